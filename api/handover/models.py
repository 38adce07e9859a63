"""Live chats between a resident and staff, their messages, and which staff are at the console."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base, utcnow


class LiveChat(Base):
    """One hand-over of a conversation to staff. Resident texts are stored masked (api.privacy)."""

    __tablename__ = "live_chats"

    id: Mapped[int] = mapped_column(primary_key=True)
    # the raw id while the chat is waiting or active (messages must reach the resident: a LINE
    # push, the widget's poll); api.privacy.sender_key once it has ended, as for closed tickets
    sender: Mapped[str] = mapped_column(String(200), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    department: Mapped[str] = mapped_column(String(100), index=True)
    # waiting | active | ended; closing: being turned into a ticket (api.handover.service.sweep);
    # offered: a staff member offered the chat (origin "staff") and the resident has not answered yet
    status: Mapped[str] = mapped_column(String(20), default="waiting", index=True)
    # how it ended: closed (by staff), returned (to the bot), left (the resident ended it),
    # ticket (nobody took it in time, or no staff left: a ticket with everything typed);
    # a staff member's offer: declined (by the resident), expired (no answer in time, or cancelled)
    outcome: Mapped[str | None] = mapped_column(String(20), nullable=True)
    # resident: asked for by the resident; staff: offered by a staff member (from a ticket, `ticket`)
    origin: Mapped[str] = mapped_column(String(10), default="resident", server_default="resident")
    offer_sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)  # the widget took the offer
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"), nullable=True)
    faq_id: Mapped[str | None] = mapped_column(String(100), nullable=True)  # the FAQ the bot last offered
    # the resident's language (locales.LANGS): the chat's system messages are written in it
    lang: Mapped[str] = mapped_column(String(10), default="ja", server_default="ja")
    transcript: Mapped[list] = mapped_column(JSON, default=list)  # the bot part before the hand-over, masked
    note: Mapped[str] = mapped_column(Text, default="")  # the last transfer's note, for the next staff member
    # the ticket it became (nobody could take it), or, offered by staff, the ticket it was offered on
    ticket: Mapped[str | None] = mapped_column(String(20), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    waiting_since: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)  # queued or re-queued
    taken_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True, index=True)
    staff_typing_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class LiveMessage(Base):
    __tablename__ = "live_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("live_chats.id", ondelete="CASCADE"), index=True)
    who: Mapped[str] = mapped_column(String(10))  # resident | staff | system
    text: Mapped[str] = mapped_column(Text)  # a resident's masked; staff's and the system's as written
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"), nullable=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StaffPresence(Base):
    """A staff member with the live-chat page open (its script calls in every few seconds).
    Gone at log-out, or when silent for MADOGUCHI_HANDOVER_STAFF_AWAY_S."""

    __tablename__ = "staff_presence"

    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), primary_key=True)
    department: Mapped[str] = mapped_column(String(100), default="")  # "": every department
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
