from __future__ import annotations

import logging
import re
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, status
from sqlalchemy.orm import Session

from api.channels.messages import Message
from api.config import get_settings
from api.db import get_session
from api.security import require_editor, require_internal, require_staff
from api.tickets import service
from api.tickets.schemas import AnswerIn, TicketCreated, TicketIn, TicketOut, TicketStatus

log = logging.getLogger(__name__)
DB = Annotated[Session, Depends(get_session)]
NOT_FOUND = "該当する受付番号が見つかりません。"

internal = APIRouter(prefix="/internal/tickets", tags=["internal"], dependencies=[Depends(require_internal)])
admin = APIRouter(prefix="/api/admin/tickets", tags=["admin"], dependencies=[Depends(require_staff)])
inbox = APIRouter(tags=["chat"])


@internal.post("", response_model=TicketCreated, status_code=status.HTTP_201_CREATED)
def create_ticket(data: TicketIn, session: DB) -> TicketCreated:
    try:
        return service.create(session, data, get_settings())
    except service.TicketKeyTaken:
        raise HTTPException(status.HTTP_409_CONFLICT, "この受付キーは使われています。") from None


@internal.get("/{number}", response_model=TicketStatus)
def ticket_status(number: str, sender: Annotated[str, Query(max_length=200)], session: DB) -> TicketStatus:
    """Only the resident who left the ticket may read it: anyone else gets the same 404."""
    try:
        ticket = service.get(session, number)
    except service.TicketNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=NOT_FOUND) from None
    if not service.is_senders(ticket, sender):
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=NOT_FOUND)
    return service.status_of(ticket)


@admin.get("", response_model=list[TicketOut])
def list_tickets(session: DB, status_filter: Annotated[str | None, Query(alias="status", pattern="^(open|answered|closed)$")] = None) -> list[TicketOut]:
    return service.list_tickets(session, status_filter)


def _get(session: Session, number: str):
    try:
        return service.get(session, number)
    except service.TicketNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=NOT_FOUND) from None


@admin.get("/{number}", response_model=TicketOut)
def get_ticket(number: str, session: DB) -> TicketOut:
    return service.out(_get(session, number))


Editor = Annotated[object, Depends(require_editor)]


@admin.post("/{number}/answer", response_model=TicketOut)
def answer_ticket(number: str, data: AnswerIn, session: DB, actor: Editor) -> TicketOut:
    """Stores the answer and its delivery: LINE push through the LINE queue (at once, retried while LINE
    fails; `delivered_at` is set when LINE took it), web on the resident's next inbox poll. Audited under
    the token's account, stored by the same commit as the answer and its delivery (as in the console)."""
    ticket = _get(session, number)
    if ticket.status == "closed":
        raise HTTPException(status.HTTP_409_CONFLICT, detail="この問い合わせは対応を終了しています。")
    actor.audit(session, "ticket.answer", ticket.number, {"channel": ticket.channel, "answer": data.answer})
    try:
        service.answer(session, ticket, data.answer, get_settings())
    except service.TicketClosed:
        session.rollback()
        raise HTTPException(status.HTTP_409_CONFLICT, detail="この問い合わせは対応を終了しています。") from None
    return service.out(ticket)


@admin.post("/{number}/close", response_model=TicketOut)
def close_ticket(number: str, session: DB, actor: Editor) -> TicketOut:
    ticket = _get(session, number)
    actor.audit(session, "ticket.close", ticket.number)
    service.close(session, ticket)
    return service.out(ticket)


_WEB_SENDER = re.compile(r"^web:[0-9a-f]{32}$")


@inbox.get("/api/chat/inbox")
def chat_inbox(sender: Annotated[str, Query(max_length=100)], session: DB,
               lang: Annotated[str, Query(max_length=10)] = "ja") -> dict[str, list[Message]]:
    """Staff answers waiting for a web resident (each returned once), and a staff member's offer
    of a live chat (in the widget's language `lang`)."""
    from api.handover import service as handover

    if not _WEB_SENDER.match(sender):
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail="sender の形式が正しくありません。")
    settings = get_settings()
    messages = service.take_web_inbox(session, sender, settings)
    messages += handover.take_web_offer(session, settings, sender, lang)
    session.commit()
    return {"messages": messages}
