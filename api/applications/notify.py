"""Telling residents about their application: subscriptions, and the one way of delivering a
message outside a reply — a push job of the LINE queue, or the web outbox that the widget's inbox
poll (/api/chat/inbox, via api.tickets.service.take_web_inbox) hands over once."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.applications.models import Application, ApplicationEvent, LookupAttempt, Subscription, WebOutbox
from api.applications.service import NEXT_STEPS, STATUS_LABELS
from api.channels import line
from api.channels.messages import Message
from api.privacy import sender_key


class NotAllowed(LookupError):
    """Unknown number, or this sender has not looked the application up successfully."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def subscribe(session: Session, number: str, sender: str, channel: str) -> Subscription:
    """Only a sender who has already seen the application (a successful lookup with the birth
    date) may subscribe: a number alone must not be enough to follow someone's application."""
    if session.get(Application, number) is None or session.scalar(
            select(LookupAttempt.id).where(LookupAttempt.number == number, LookupAttempt.sender == sender_key(sender),
                                           LookupAttempt.ok.is_(True)).limit(1)) is None:
        raise NotAllowed(number)
    row = session.scalar(select(Subscription).where(Subscription.number == number, Subscription.sender == sender))
    if row is None:
        row = Subscription(number=number, sender=sender, channel=channel, created_at=_now())
        session.add(row)
        session.commit()
    return row


def subscribers(session: Session, number: str) -> list[Subscription]:
    return list(session.scalars(select(Subscription).where(Subscription.number == number)))


def change_message(app: Application, event: ApplicationEvent, city_name: str) -> Message:
    label = STATUS_LABELS.get(event.status, event.status)
    text = (f"【{city_name}】申請番号 {app.number}（{app.procedure}）の状況が「{label}」になりました"
            f"（{event.on:%Y年%-m月%-d日}）。\n{NEXT_STEPS.get(event.status, '')}")
    if event.note:
        text += f"\n{event.note}"
    return Message(text=text.strip())


def plan_changes(session: Session, changed: list, city_name: str) -> int:
    """Tells each subscriber of the changed applications, in the caller's transaction (stored by the
    commit of the change itself, so a change is never stored without its notices): LINE through a
    push job of the LINE queue (api.linequeue; sent at once, retried while LINE fails), web through
    the web outbox. Returns how many notices were made; the caller commits, then wakes the queue."""
    made = 0
    for app, event in changed:
        message = change_message(app, event, city_name)
        for sub in subscribers(session, app.number):
            if sub.channel == "line":
                line.enqueue_push(session, sub.sender, [message])
            else:
                session.add(WebOutbox(sender=sub.sender, text=message.text, created_at=_now()))
            made += 1
    return made


def take_web_outbox(session: Session, sender: str) -> list[Message]:
    """Waiting messages of a web sender, each returned once (the caller commits)."""
    rows = session.scalars(select(WebOutbox).where(WebOutbox.sender == sender, WebOutbox.delivered_at.is_(None))
                           .order_by(WebOutbox.id)).all()
    for row in rows:
        row.delivered_at = _now()
    return [Message(text=row.text) for row in rows]
