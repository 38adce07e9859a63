from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status

from api.config import get_settings
from api.gomi.service import GomiService
from api.gomi.topic import faq_reading
from api.security import require_internal
from api.textnorm import TextError, clean_user_text


def get_gomi_service(request: Request) -> GomiService:
    return request.app.state.gomi


Service = Annotated[GomiService, Depends(get_gomi_service)]
QueryText = Annotated[str, Query(min_length=1, max_length=2000)]

public = APIRouter(prefix="/api/gomi", tags=["gomi"])
internal = APIRouter(prefix="/internal/gomi", tags=["internal"], dependencies=[Depends(require_internal)])


def _match(service: GomiService, q: str, request: Request) -> dict:
    try:
        text = clean_user_text(q, get_settings().max_text_chars)
    except TextError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=str(exc)) from None
    return service.match(text, faq_reading(request.app.state.faq))


@public.get("/search")
def search(service: Service, q: QueryText, request: Request) -> dict:
    """The items a question names, with how each goes out and the list's attribution."""
    return _match(service, q, request)


@internal.get("/match")
def internal_match(service: Service, q: QueryText, request: Request) -> dict:
    """For the action server: is this a question about an item, and which."""
    return _match(service, q, request)


@internal.get("/items/{uid}")
def internal_item(service: Service, uid: str) -> dict:
    item = service.get(uid)
    if item is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="該当する品目がありません。")
    return item
