from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base, utcnow



class Faq(Base):
    __tablename__ = "faqs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    question: Mapped[str] = mapped_column(Text)
    alternatives: Mapped[list] = mapped_column(JSON, default=list)
    answer: Mapped[str] = mapped_column(Text)
    # Missing in many cities' own FAQ exports: NULL, never a placeholder that the bot
    # could read out to a resident. Databases made before these were optional get
    # them relaxed once, when they are brought to the baseline (api.migrations.legacy).
    category: Mapped[str | None] = mapped_column(String(100), index=True, nullable=True)
    department: Mapped[str | None] = mapped_column(String(200), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(40), nullable=True)
    url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    verified: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # "corpus": as imported from faq_corpus/; "staff": created or edited by staff,
    # which a later corpus import must not overwrite.
    origin: Mapped[str] = mapped_column(String(10), default="corpus")
    corpus_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    deleted: Mapped[bool] = mapped_column(default=False)
    # "published": searchable by residents; "draft": seen only in the staff console.
    # server_default: rows of databases made before the column get "published" when it is
    # added (api.migrations.legacy).
    status: Mapped[str] = mapped_column(String(10), default="published", server_default="published")
    # A staff edit of a published entry saved as a draft (FaqCreate fields as JSON): the
    # live columns above, and so residents' answers, change only when it is published.
    pending: Mapped[dict | None] = mapped_column(JSON, nullable=True, default=None)
    # Staff-written answers in other languages, {lang: {question?, answer}} (api.faq.langs):
    # part of the entry, so revisions, pending drafts, imports and the audit carry them.
    translations: Mapped[dict | None] = mapped_column(JSON, nullable=True, default=dict)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class FaqRevision(Base):
    """One saved state of an entry: a full snapshot after each create / edit / publish /
    restore / delete / import, numbered 1, 2, … per entry."""

    __tablename__ = "faq_revisions"
    __table_args__ = (UniqueConstraint("faq_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    faq_id: Mapped[str] = mapped_column(String(64), index=True)
    number: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict] = mapped_column(JSON)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Feedback(Base):
    """👍 / 👎 on an answer. The sender is kept only as a hash: enough to count, not to identify."""

    __tablename__ = "faq_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    faq_id: Mapped[str] = mapped_column(String(64), index=True)
    helpful: Mapped[bool]
    sender_hash: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
