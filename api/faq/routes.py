from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response, status
from sqlalchemy.orm import Session

from api.analytics import service as analytics
from api.config import get_settings
from api.db import get_session
from api.faq.models import Feedback
from api.faq.langs import TRANSLATION_LANGS
from api.faq.schemas import FAQ_ID_PATTERN, FaqCreate, FaqLangOut, FaqOut, FaqUpdate, FeedbackIn, SearchOut
from api.faq.service import FaqExists, FaqNotFound, FaqService
from api.gomi.topic import files_unlisted
from api.security import require_editor, require_internal, require_staff
from api.textnorm import TextError, clean_user_text


def get_faq_service(request: Request) -> FaqService:
    return request.app.state.faq


Service = Annotated[FaqService, Depends(get_faq_service)]
QueryText = Annotated[str, Query(min_length=1, max_length=2000)]
TopK = Annotated[int, Query(ge=1, le=50)]
Sender = Annotated[str | None, Query(max_length=200)]
Channel = Annotated[str | None, Query(max_length=20)]
FaqId = Annotated[str, Path(min_length=1, max_length=64, pattern=FAQ_ID_PATTERN)]
# the resident's language: "ja" or one of api.faq.langs (the widget's LANGS); picks each answer's language
Lang = Annotated[str, Query(pattern="^(" + "|".join(("ja", *TRANSLATION_LANGS)) + ")$", max_length=20,
                            description="ja, ja-easy, en, zh-Hans, ko, vi, pt, es, fil, ne, id")]

public = APIRouter(prefix="/api/faq", tags=["faq"])
internal = APIRouter(prefix="/internal/faq", tags=["internal"], dependencies=[Depends(require_internal)])
admin = APIRouter(prefix="/api/admin/faqs", tags=["admin"], dependencies=[Depends(require_staff)])


def _search(service: FaqService, q: str, k: int, lang: str = "ja") -> SearchOut:
    try:
        text = clean_user_text(q, get_settings().max_text_chars)
    except TextError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=str(exc)) from None
    return service.search(text, k, lang=lang)


@public.get("/search", response_model=SearchOut)
def search(service: Service, q: QueryText, k: TopK = 5, lang: Lang = "ja") -> SearchOut:
    return _search(service, q, k, lang)


@internal.get("/search", response_model=SearchOut)
def internal_search(request: Request, service: Service, q: QueryText, k: TopK = 5, sender: Sender = None,
                    channel: Channel = None, lang: Lang = "ja") -> SearchOut:
    result = _search(service, q, k, lang)
    if sender:  # a resident's question (from the action server): counted for the console
        gomi = getattr(request.app.state, "gomi", None)
        # an item the ごみ分別 list lacks goes to the console's inbox as such (the chat asked the
        # list first and came here because it had no answer)
        # — and a message that is only a thing's name the list lacks, when the FAQ has nothing for it either
        # (「インクカートリッジ」: not 「住民票」, another matter's even where the FAQ is unsure of it)
        match = gomi.match(result.query) if gomi is not None else {}
        first = result.hits[0].category if result.hits else None
        missing = match.get("missing") or (match.get("unlisted", "") if files_unlisted(result.zone, first) else "")
        analytics.record_search(sender, channel, result, missing)
    return result


def _get(service: FaqService, faq_id: str) -> FaqOut:
    try:
        return service.get(faq_id)
    except FaqNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="該当するFAQがありません。") from None


@internal.get("/{faq_id}", response_model=FaqLangOut)
def internal_get(service: Service, faq_id: FaqId, sender: Sender = None, channel: Channel = None,
                 lang: Lang = "ja") -> FaqLangOut:
    try:
        entry = service.get_in(faq_id, lang)
    except FaqNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="該当するFAQがありません。") from None
    if sender:  # a resident chose this entry among the suggestions
        analytics.record_suggestion_taken(sender, channel, faq_id)
    return entry


@internal.post("/feedback", status_code=status.HTTP_201_CREATED)
def feedback(data: FeedbackIn, service: Service, session: Annotated[Session, Depends(get_session)]) -> dict:
    _get(service, data.faq_id)  # 404 for an unknown entry
    channel = data.sender.split(":", 1)[0] if ":" in data.sender else "web"
    digest = hashlib.sha256(data.sender.encode()).hexdigest()
    session.add(Feedback(faq_id=data.faq_id, helpful=data.helpful, sender_hash=digest, channel=channel))
    session.commit()
    analytics.record_feedback(data.sender, channel, data.faq_id, data.helpful)
    return {"stored": True}


@admin.get("", response_model=list[FaqOut])
def list_faqs(service: Service, category: str | None = None) -> list[FaqOut]:
    return service.list(category)


@admin.get("/{faq_id}", response_model=FaqOut)
def get_faq(service: Service, faq_id: FaqId) -> FaqOut:
    return _get(service, faq_id)


def _audit(actor, action: str, faq_id: str) -> None:
    """An audit row for a staff API change, under the token's account."""
    from api.db import SessionLocal

    with SessionLocal() as session:
        actor.audit(session, action, faq_id)
        session.commit()


Editor = Annotated[object, Depends(require_editor)]


@admin.post("", response_model=FaqOut, status_code=status.HTTP_201_CREATED)
def create_faq(service: Service, data: FaqCreate, actor: Editor) -> FaqOut:
    try:
        entry = service.create_entry(data)
    except FaqExists:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=f"ID {data.id} は既に使われています。") from None
    _audit(actor, "faq.create", entry.id)
    return entry


@admin.put("/{faq_id}", response_model=FaqOut)
def update_faq(service: Service, faq_id: FaqId, data: FaqUpdate, actor: Editor) -> FaqOut:
    try:
        entry = service.update_entry(faq_id, data)
    except FaqNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="該当するFAQがありません。") from None
    _audit(actor, "faq.edit", faq_id)
    return entry


@admin.delete("/{faq_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_faq(service: Service, faq_id: FaqId, actor: Editor) -> Response:
    try:
        service.delete_entry(faq_id)
    except FaqNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="該当するFAQがありません。") from None
    _audit(actor, "faq.delete", faq_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
