"""Tickets: numbering, masking on the way in, delivery of staff answers on the way out."""
from __future__ import annotations

import hashlib

import datetime as dt
import re

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.channels import line
from api.channels.messages import Message
from api.linequeue import worker as queue_worker
from api.config import Settings
from api.privacy import mask, sender_key
from api.tickets.models import Ticket
from api.tickets.schemas import Line, TicketCreated, TicketIn, TicketOut, TicketStatus

STATUS_LABELS = {"open": "職員が確認しています", "answered": "回答済み", "closed": "対応を終了しました"}
_NUMBER = re.compile(r"^Q-(\d{4})-(\d{6})$")


class TicketNotFound(LookupError):
    pass


class TicketKeyTaken(ValueError):
    """A ticket request's key is another sender's."""


class TicketClosed(ValueError):
    """A closed ticket takes no answer."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def parse_number(number: str) -> tuple[int, int] | None:
    m = _NUMBER.match(number.strip().upper())
    return (int(m.group(1)), int(m.group(2))) if m else None


def _made_for(session: Session, data: TicketIn) -> Ticket | None:
    """The ticket a request with this key made already, if any; a key another sender's request took is
    refused (TicketKeyTaken): keys are random, so that is no request sent again."""
    if not data.key:
        return None
    made = session.scalar(select(Ticket).where(Ticket.request_key == data.key))
    if made is not None and made.sender != data.sender:
        raise TicketKeyTaken(data.key)
    return made


def create(session: Session, data: TicketIn, settings: Settings) -> TicketCreated:
    ticket = _made_for(session, data)
    if ticket is None:
        ticket = _new(session, data)
    return _created(ticket, settings)


def _new(session: Session, data: TicketIn) -> Ticket:
    year = _now().year
    transcript = [Line(who=line.who, text=mask(line.text)).model_dump() for line in data.transcript]
    for _ in range(3):  # two requests may take the same number: the unique key decides
        seq = (session.scalar(select(func.max(Ticket.seq)).where(Ticket.year == year)) or 0) + 1
        ticket = Ticket(year=year, seq=seq, sender=data.sender, channel=data.channel,
                        question=mask(data.question), transcript=transcript, status="open", request_key=data.key)
        session.add(ticket)
        try:
            session.commit()
            return ticket
        except IntegrityError:
            session.rollback()
            # (the same request, sent again to another instance, may have made it meanwhile)
            made = _made_for(session, data)
            if made is not None:
                return made
    raise RuntimeError("could not number the ticket")


def _created(ticket: Ticket, settings: Settings) -> TicketCreated:
    return TicketCreated(
        number=ticket.number,
        expect=(f"職員が{settings.office_hours}に順に確認し、通常{settings.ticket_answer_days}開庁日以内に"
                "このチャットでお答えします。"),
        urgent=(f"お急ぎの場合は{settings.call()}へお電話ください。"
                "火事・救急は119番、事件・事故は110番へ。"),
    )


def get(session: Session, number: str) -> Ticket:
    key = parse_number(number)
    ticket = session.scalar(select(Ticket).where(Ticket.year == key[0], Ticket.seq == key[1])) if key else None
    if ticket is None:
        raise TicketNotFound(number)
    return ticket


def status_of(ticket: Ticket) -> TicketStatus:
    return TicketStatus(number=ticket.number, status=ticket.status, status_label=STATUS_LABELS[ticket.status],
                        created_at=ticket.created_at, answer=ticket.answer)


def resident_id(sender: str) -> str:
    """An opaque id of the resident who left a ticket, for staff output: the same for all of one
    resident's tickets, never their sender id (a web sender id is the key to their inbox)."""
    return "r-" + hashlib.sha256(f"madoguchi-resident:{sender}".encode()).hexdigest()[:16]


def out(ticket: Ticket) -> TicketOut:
    return TicketOut(**status_of(ticket).model_dump(), resident=resident_id(ticket.sender), channel=ticket.channel,
                     question=ticket.question, transcript=ticket.transcript, answered_at=ticket.answered_at,
                     delivered_at=ticket.delivered_at)


def answer_message(ticket: Ticket, settings: Settings) -> Message:
    return Message(text=(f"【{settings.city_name} 職員からの回答】受付番号 {ticket.number}\n"
                         f"ご質問：{ticket.question}\n\n{ticket.answer}"))


def mark_delivered(session: Session, number: str) -> None:
    """The LINE queue delivered the answer (api.channels.line; in the commit that finishes the job)."""
    key = parse_number(number)
    ticket = session.scalar(select(Ticket).where(Ticket.year == key[0], Ticket.seq == key[1])) if key else None
    if ticket is not None and ticket.status == "answered":
        ticket.delivered_at = _now()


def answer(session: Session, ticket: Ticket, text: str, settings: Settings) -> None:
    """Stores a staff answer and its delivery, in one commit: on LINE a push job of the LINE queue
    (sent at once, retried while LINE fails; delivered_at is set when LINE took it), on the web at
    the resident's next inbox poll (take_web_inbox). The one way to answer, for the staff api and
    the console; whatever the caller added to the session (its audit row) is stored by the same commit.

    `text` is already checked (schemas.AnswerIn).
    """
    if ticket.status == "closed":
        raise TicketClosed(ticket.number)
    ticket.answer = text
    ticket.status = "answered"
    ticket.answered_at = _now()
    ticket.delivered_at = None
    if ticket.channel == "line":
        line.enqueue_push(session, ticket.sender, [answer_message(ticket, settings)], ticket=ticket.number)
    session.commit()
    if ticket.channel == "line":
        queue_worker.wake()


def close(session: Session, ticket: Ticket) -> None:
    """A closed ticket takes no answer and delivers nothing more: its raw sender id is no longer
    needed and becomes the keyed hash (the resident can still ask its status: is_senders)."""
    ticket.status = "closed"
    ticket.closed_at = _now()
    ticket.sender = sender_key(ticket.sender) if ticket.sender.startswith(("web:", "line:")) else ticket.sender
    session.commit()


def is_senders(ticket: Ticket, sender: str) -> bool:
    """Whether the ticket was left by this sender (raw id while open or answered, keyed hash once closed)."""
    return ticket.sender in (sender, sender_key(sender))


def take_web_inbox(session: Session, sender: str, settings: Settings) -> list[Message]:
    """Answered, not yet delivered tickets of a web sender, then other waiting messages
    (application status changes, api.applications.notify); each is returned once."""
    from api.applications.notify import take_web_outbox

    tickets = session.scalars(
        select(Ticket).where(Ticket.sender == sender, Ticket.channel == "web", Ticket.status == "answered",
                             Ticket.delivered_at.is_(None)).order_by(Ticket.answered_at)
    ).all()
    messages = [answer_message(t, settings) for t in tickets]
    for t in tickets:
        t.delivered_at = _now()
    messages += take_web_outbox(session, sender)
    session.commit()
    return messages


def list_tickets(session: Session, status: str | None = None) -> list[TicketOut]:
    stmt = select(Ticket).order_by(Ticket.created_at.desc())
    if status:
        stmt = stmt.where(Ticket.status == status)
    return [out(t) for t in session.scalars(stmt).all()]
