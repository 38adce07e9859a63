from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy.orm import Session

from api.applications import notify, service
from api.applications.schemas import LookupIn, LookupOut, SubscribeIn
from api.config import get_settings
from api.db import get_session
from api.security import require_internal

internal = APIRouter(prefix="/internal/applications", tags=["internal"], dependencies=[Depends(require_internal)])


@internal.post("/lookup", response_model=LookupOut)
def lookup(req: LookupIn, session: Annotated[Session, Depends(get_session)]) -> LookupOut:
    return service.lookup(session, req, get_settings())


@internal.post("/{number}/subscribe", status_code=201)
def subscribe(number: str, req: SubscribeIn, session: Annotated[Session, Depends(get_session)]) -> dict:
    """「変更があったら知らせてほしい」: the sender must have looked this application up successfully."""
    canon = service.canonical_number(number) or ""
    try:
        notify.subscribe(session, canon, req.sender, req.channel)
    except notify.NotAllowed:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="該当する申請が見つかりません。") from None
    return {"subscribed": True, "number": canon}
