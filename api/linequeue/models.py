"""The durable job table of the LINE queue (api.linequeue.service, api.linequeue.worker)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base, utcnow

WAITING = ("queued", "running")  # a job in one of these blocks the later jobs of its lane


class LineJob(Base):
    """One piece of LINE work: a webhook event to answer (kind `event`) or messages to deliver
    (kind `send`: a reply while the reply token is fresh, else a push with `retry_key`).

    Jobs of one lane (`event:U…`, `reply:U…`, `push:U…`) run one at a time in id order; a job
    that is done is deleted, one given up stays as `failed` without its payload and with its
    lane replaced by a keyed hash (a visible count, no resident data), until retention.
    """

    __tablename__ = "line_jobs"
    __table_args__ = (Index("ix_line_jobs_due", "status", "next_at"), Index("ix_line_jobs_lane", "lane", "id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    lane: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict | None] = mapped_column(JSON, nullable=True)  # cleared when done or given up
    retry_key: Mapped[str | None] = mapped_column(String(36), nullable=True)  # X-Line-Retry-Key of its pushes
    status: Mapped[str] = mapped_column(String(12), default="queued")  # queued, running, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    lease_owner: Mapped[str | None] = mapped_column(String(80), nullable=True)
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(300), nullable=True)
