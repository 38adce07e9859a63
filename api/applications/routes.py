from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from api.applications import service
from api.applications.schemas import LookupIn, LookupOut
from api.config import get_settings
from api.db import get_session
from api.security import require_internal

internal = APIRouter(prefix="/internal/applications", tags=["internal"], dependencies=[Depends(require_internal)])


@internal.post("/lookup", response_model=LookupOut)
def lookup(req: LookupIn, session: Annotated[Session, Depends(get_session)]) -> LookupOut:
    s = get_settings()
    return service.lookup(session, req, s.lookup_max_failures, s.lookup_window_s)
