"""Recording conversation events, and reading them back as the console's inbox and figures.

Recording never disturbs a resident: any failure is logged and swallowed.

Inbox grouping (simple and explainable): a question that ended with suggestions nobody
took, or with no answer, is grouped by the search engine's top FAQ id when there was one
("faq:<id>": different words, same need), otherwise by its normalised text ("text:<…>":
NFKC, lower case, without spaces, punctuation and symbols). 👎 on an answer is grouped by
that FAQ ("down:<id>"), shown with the question the resident asked just before.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.analytics.models import ConversationEvent, InboxDecision
from api.privacy import mask

log = logging.getLogger(__name__)
JST = dt.timezone(dt.timedelta(hours=9), "JST")
TAKE_WINDOW = dt.timedelta(minutes=30)  # a suggestion chosen later than this counts as not taken
CHANNELS = ("web", "line")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def aware(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value


def sender_hash(sender: str) -> str:
    return hashlib.sha256(sender.encode()).hexdigest()


def channel_of(sender: str, channel: str | None = None) -> str:
    if channel in CHANNELS:
        return channel
    prefix = sender.split(":", 1)[0] if ":" in sender else ""
    return prefix if prefix in CHANNELS else "web"


# -- recording ------------------------------------------------------------------------
def _store(sender: str, channel: str | None, **fields) -> None:
    from api.db import SessionLocal  # the engine the app uses (tests point it at a scratch dir)

    try:
        at = _now()
        with SessionLocal() as session:
            session.add(ConversationEvent(at=at, day=at.astimezone(JST).date(), channel=channel_of(sender, channel),
                                          sender_hash=sender_hash(sender), **fields))
            session.commit()
    except Exception:  # analytics must never break a conversation
        log.exception("analytics event not stored")


def record_question(sender: str, channel: str | None, text: str, zone: str, top_faq_id: str | None) -> None:
    _store(sender, channel, kind="question", zone=zone, faq_id=top_faq_id, text=mask(text)[:2000])


def record_search(sender: str, channel: str | None, result) -> None:
    """A FAQ search made for a resident (api.faq.schemas.SearchOut)."""
    record_question(sender, channel, result.query, result.zone, result.hits[0].id if result.hits else None)


def record_suggestion_taken(sender: str, channel: str | None, faq_id: str) -> None:
    _store(sender, channel, kind="suggestion_taken", faq_id=faq_id)


def record_feedback(sender: str, channel: str | None, faq_id: str, helpful: bool) -> None:
    _store(sender, channel, kind="feedback", faq_id=faq_id, helpful=helpful)


# -- inbox ----------------------------------------------------------------------------
def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PSZC")


REASONS = {"none": "回答なし", "suggest": "候補を選ばず", "down": "👎"}


@dataclass
class Group:
    key: str
    faq_id: str | None
    count: int = 0
    first: dt.datetime | None = None
    last: dt.datetime | None = None
    reasons: Counter = field(default_factory=Counter)
    texts: Counter = field(default_factory=Counter)

    def add(self, at: dt.datetime, reason: str, text: str) -> None:
        self.count += 1
        self.first = at if self.first is None or at < self.first else self.first
        self.last = at if self.last is None or at > self.last else self.last
        self.reasons[reason] += 1
        if text:
            self.texts[text] += 1

    @property
    def text(self) -> str:
        """The most frequent wording (masked)."""
        return self.texts.most_common(1)[0][0] if self.texts else ""

    @property
    def wordings(self) -> list[str]:
        return [t for t, _ in self.texts.most_common(5)]

    @property
    def reason_labels(self) -> list[tuple[str, int]]:
        return [(REASONS[r], n) for r, n in self.reasons.most_common()]


def group_key(zone: str | None, faq_id: str | None, text: str) -> str:
    if zone in ("suggest", "none") and faq_id:
        return f"faq:{faq_id}"
    return "text:" + normalise(text)[:200]


def _events(session: Session, since: dt.datetime | None) -> list[ConversationEvent]:
    stmt = select(ConversationEvent).order_by(ConversationEvent.at, ConversationEvent.id)
    if since is not None:
        stmt = stmt.where(ConversationEvent.at >= since)
    return list(session.scalars(stmt))


def all_groups(session: Session, since: dt.datetime | None = None) -> list[Group]:
    """Every unmet need since `since`, grouped, most asked first (decisions ignored)."""
    events = _events(session, since)
    taken: dict[str, list[dt.datetime]] = {}
    for e in events:
        if e.kind == "suggestion_taken":
            taken.setdefault(e.sender_hash, []).append(aware(e.at))
    last_question: dict[str, ConversationEvent] = {}
    groups: dict[str, Group] = {}

    def add(key: str, faq_id: str | None, at: dt.datetime, reason: str, text: str) -> None:
        groups.setdefault(key, Group(key, faq_id)).add(at, reason, text)

    for e in events:
        at = aware(e.at)
        if e.kind == "question":
            last_question[e.sender_hash] = e
            if e.zone == "none" or (e.zone == "suggest" and not any(
                    at <= t <= at + TAKE_WINDOW for t in taken.get(e.sender_hash, ()))):
                key = group_key(e.zone, e.faq_id, e.text)
                add(key, e.faq_id, at, e.zone, e.text)
        elif e.kind == "feedback" and e.helpful is False and e.faq_id:
            q = last_question.get(e.sender_hash)
            text = q.text if q is not None and at - aware(q.at) <= TAKE_WINDOW else ""
            add(f"down:{e.faq_id}", e.faq_id, at, "down", text)
    return sorted(groups.values(), key=lambda g: (-g.count, -g.last.timestamp()))


def open_groups(session: Session) -> list[Group]:
    """The inbox: groups with something newer than the last staff decision on them."""
    decided: dict[str, dt.datetime] = {}
    for d in session.scalars(select(InboxDecision)):
        at = aware(d.at)
        decided[d.group_key] = max(at, decided.get(d.group_key, at))
    return [g for g in all_groups(session) if g.key not in decided or g.last > decided[g.key]]


def find_group(session: Session, key: str) -> Group | None:
    return next((g for g in all_groups(session) if g.key == key), None)


def decide(session: Session, key: str, action: str, actor: str) -> None:
    """Adds the decision to the session; the caller commits it with its audit row."""
    session.add(InboxDecision(group_key=key[:300], action=action, at=_now(), actor=actor[:64]))


# -- figures --------------------------------------------------------------------------
def today() -> dt.date:
    return _now().astimezone(JST).date()


def daily_conversations(session: Session, days: int = 30) -> list[tuple[dt.date, dict[str, int]]]:
    """Distinct residents (hashed senders) per day and channel, the last `days` days."""
    end = today()
    start = end - dt.timedelta(days=days - 1)
    seen: dict[dt.date, dict[str, set]] = {}
    for day, channel, who in session.execute(select(ConversationEvent.day, ConversationEvent.channel,
                                                    ConversationEvent.sender_hash)
                                             .where(ConversationEvent.day >= start)):
        seen.setdefault(day, {}).setdefault(channel, set()).add(who)
    out = []
    for i in range(days):
        day = start + dt.timedelta(days=i)
        out.append((day, {c: len(seen.get(day, {}).get(c, ())) for c in CHANNELS}))
    return out


def _since(days: int) -> dt.datetime:
    return _now() - dt.timedelta(days=days)


def outcomes(session: Session, days: int = 30) -> dict[str, int]:
    counts = Counter(session.scalars(select(ConversationEvent.zone).where(
        ConversationEvent.kind == "question", ConversationEvent.at >= _since(days))))
    return {z: counts.get(z, 0) for z in ("answer", "suggest", "none")}


def feedback_counts(session: Session, days: int = 30) -> dict[str, int]:
    counts = Counter(session.scalars(select(ConversationEvent.helpful).where(
        ConversationEvent.kind == "feedback", ConversationEvent.at >= _since(days))))
    return {"up": counts.get(True, 0), "down": counts.get(False, 0)}


def top_faqs(session: Session, days: int = 30, n: int = 10) -> list[tuple[str, int]]:
    """FAQs given as answers: a confident answer, or a suggestion the resident chose."""
    counts: Counter = Counter()
    for kind, zone, faq_id in session.execute(select(ConversationEvent.kind, ConversationEvent.zone,
                                                     ConversationEvent.faq_id)
                                              .where(ConversationEvent.at >= _since(days))):
        if faq_id and ((kind == "question" and zone == "answer") or kind == "suggestion_taken"):
            counts[faq_id] += 1
    return counts.most_common(n)


def months_before(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    m += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(y, m, d)
        except ValueError:
            continue
    raise ValueError(day)
