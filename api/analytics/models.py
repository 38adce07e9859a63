"""Conversation events (masked, sender hashed), the unmet needs derived from them, and the
console's decisions on inbox groups."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base, utcnow


class ConversationEvent(Base):
    """One thing a resident did. kind: question | suggestion_taken | feedback.

    question: zone (answer/suggest/none), top FAQ id (None when nothing was found) and the
    question text, masked (api.privacy.mask). suggestion_taken: the chosen FAQ id.
    feedback: FAQ id and helpful (👍 True / 👎 False). The sender is only a keyed hash
    (api.privacy.sender_key; a plain SHA-256 in rows older versions stored).
    """

    __tablename__ = "conversation_events"
    __table_args__ = (Index("ix_conv_kind_day", "kind", "day"), Index("ix_conv_sender_at", "sender_hash", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    day: Mapped[dt.date] = mapped_column(Date, index=True)  # in JST
    channel: Mapped[str] = mapped_column(String(20))
    sender_hash: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    zone: Mapped[str | None] = mapped_column(String(10), nullable=True)
    faq_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    helpful: Mapped[bool | None] = mapped_column(nullable=True)
    text: Mapped[str] = mapped_column(Text, default="")
    # question: an item the resident asked how to throw away that the ごみ分別 list lacks
    # (api.gomi.matcher.Match.missing), masked like the text
    item: Mapped[str | None] = mapped_column(String(200), nullable=True)


class InboxDecision(Base):
    """Staff closed an inbox group (dismissed, or added as an alternative phrasing).

    The group stays hidden until an event newer than `at` arrives for it.
    """

    __tablename__ = "inbox_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_key: Mapped[str] = mapped_column(String(300), index=True)
    action: Mapped[str] = mapped_column(String(20))  # dismiss | alternative | gomi_item | gomi_alias
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))


class InboxItem(Base):
    """One unmet need, derived from the events as they are recorded (api.analytics.service):
    a question with no answer, a suggestion nobody chose within 30 minutes (deleted when
    the resident chooses one), a 👎 with the question asked just before. Its group key is
    computed once, when the event is recorded, so that the inbox and the figures group and
    count in SQL instead of reading every event at every page view.
    """

    __tablename__ = "inbox_items"
    __table_args__ = (Index("ix_inbox_key_at", "group_key", "at"), Index("ix_inbox_sender_at", "sender_hash", "at"),
                      Index("ix_inbox_at", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column()  # the conversation event it comes from
    group_key: Mapped[str] = mapped_column(String(300))
    reason: Mapped[str] = mapped_column(String(10))  # none | suggest | down | gomi (service.REASONS)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    sender_hash: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text, default="")  # masked; for 👎 the question asked before

