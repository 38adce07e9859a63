from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base, utcnow



class Ticket(Base):
    """A question a resident left for staff. Texts are stored masked (api.privacy)."""

    __tablename__ = "tickets"
    __table_args__ = (UniqueConstraint("year", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    # the raw id while the ticket is open or answered, needed to deliver the staff answer (LINE
    # push to this user id; the web widget's inbox is found by it); api.privacy.sender_key once closed
    sender: Mapped[str] = mapped_column(String(200), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    question: Mapped[str] = mapped_column(Text)
    transcript: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | answered | closed
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # web residents fetch the answer from /api/chat/inbox; LINE residents get a push
    delivered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # retention counts from here (MADOGUCHI_RETENTION_TICKET_DAYS)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # the action server's random key for this request: a request sent again (its api instance died before
    # answering) gets the ticket the first made, not a second one
    request_key: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True, index=True)

    @property
    def number(self) -> str:
        return f"Q-{self.year}-{self.seq:06d}"
