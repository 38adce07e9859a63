"""Channel bookkeeping tables."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base, utcnow



class LineEvent(Base):
    """A LINE webhook event already taken in: LINE redelivers events, each is handled once."""

    __tablename__ = "line_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_event_id: Mapped[str] = mapped_column(String(64), unique=True)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class LineUser(Base):
    """A LINE user's language, remembered: from LINE's profile when it is one of ours, or chosen in
    the language menu. The user is a keyed hash of the sender id (api.privacy.sender_key), never
    the LINE userId. `lang` None: the profile was read and gave none of ours (Japanese is used)."""

    __tablename__ = "line_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_key: Mapped[str] = mapped_column(String(64), unique=True)
    lang: Mapped[str | None] = mapped_column(String(10), nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
