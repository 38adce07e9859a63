from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.db import Base


class Application(Base):
    __tablename__ = "applications"

    number: Mapped[str] = mapped_column(String(20), primary_key=True)  # A-2026-000101
    procedure: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(30))
    department: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(40))
    history: Mapped[list["ApplicationEvent"]] = relationship(
        order_by="ApplicationEvent.on", cascade="all, delete-orphan"
    )


class ApplicationEvent(Base):
    __tablename__ = "application_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(ForeignKey("applications.number"), index=True)
    on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")


class LookupAttempt(Base):
    """Each status lookup, kept to slow down guessing of numbers and birth dates. `sender` is
    api.privacy.sender_key(sender id): counting and comparing need no raw id."""

    __tablename__ = "lookup_attempts"
    __table_args__ = (Index("ix_lookup_sender_at", "sender", "at"), Index("ix_lookup_number_at", "number", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    sender: Mapped[str] = mapped_column(String(200))
    number: Mapped[str] = mapped_column(String(40))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    ok: Mapped[bool] = mapped_column(default=False)


class LookupThrottle(Base):
    """Look-up tries of one key (a sender, a client or an application number, each a keyed
    hash): counted, and the next try's earliest time moved on, in one UPDATE (see throttle.py)."""

    __tablename__ = "lookup_throttle"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    tries: Mapped[int] = mapped_column(Integer, default=0)
    next_at: Mapped[float] = mapped_column(Float, default=0.0)  # epoch seconds: portable arithmetic in SQL
    last_at: Mapped[float] = mapped_column(Float, default=0.0)


class LookupAlert(Base):
    """A spike of failed status look-ups (all residents together), shown on the console's dashboard."""

    __tablename__ = "lookup_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    last_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    failures: Mapped[int] = mapped_column(Integer, default=0)  # failures past the threshold in this spike


class Subscription(Base):
    """A resident who asked to be told when an application's status changes (table `notify`)."""

    __tablename__ = "notify"
    __table_args__ = (UniqueConstraint("number", "sender", name="uq_notify_number_sender"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(ForeignKey("applications.number"), index=True)
    # the raw id (line:U… or web:…), needed: a LINE push goes to this user id, and a web
    # resident's outbox is found by it (deleted with the resident's data: api.retention.forget)
    sender: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class WebOutbox(Base):
    """A message waiting for a web resident; /api/chat/inbox hands it over once."""

    __tablename__ = "web_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    # the raw web sender id, needed: /api/chat/inbox finds the messages by it
    sender: Mapped[str] = mapped_column(String(200), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
