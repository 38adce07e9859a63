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
