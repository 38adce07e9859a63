"""Recording conversation events, and reading them back as the console's inbox and figures.

Recording never disturbs a resident: any failure is logged and swallowed.

Inbox grouping (simple and explainable): a question that ended with suggestions nobody
took, or with no answer, is grouped by the search engine's top FAQ id when there was one
("faq:<id>": different words, same need), otherwise by its normalised text ("text:<…>":
NFKC, lower case, without spaces, punctuation and symbols). 👎 on an answer is grouped by
that FAQ ("down:<id>"), shown with the question the resident asked just before.

Each unmet need is kept as an inbox item (models.InboxItem) in the transaction that records
its event, and taken back when the resident chooses a suggestion within 30 minutes; the
inbox and the figures then group and count in SQL, so a page costs the same with a year of
events as with a day's.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import and_, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from api.analytics.models import ConversationEvent, InboxDecision, InboxItem
from api.privacy import mask, sender_key

log = logging.getLogger(__name__)
JST = dt.timezone(dt.timedelta(hours=9), "JST")
TAKE_WINDOW = dt.timedelta(minutes=30)  # a suggestion chosen later than this counts as not taken
CHANNELS = ("web", "line")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def aware(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value


def sender_hash(sender: str) -> str:
    """The keyed hash of the sender (api.privacy.sender_key): events of one resident can be
    counted together, and nobody without the key can link them to a LINE user id.
    Versions before it stored a plain SHA-256 (legacy_sender_hash; api.retention.forget finds both)."""
    return sender_key(sender)


def legacy_sender_hash(sender: str) -> str:
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
            e = ConversationEvent(at=at, day=at.astimezone(JST).date(), channel=channel_of(sender, channel),
                                  sender_hash=sender_hash(sender), **fields)
            session.add(e)
            session.flush()  # the event's id, for its inbox item
            _track(session, e)
            session.commit()
    except Exception:  # analytics must never break a conversation
        log.exception("analytics event not stored")


def record_question(sender: str, channel: str | None, text: str, zone: str, top_faq_id: str | None,
                    missing_item: str = "") -> None:
    _store(sender, channel, kind="question", zone=zone, faq_id=top_faq_id, text=mask(text)[:2000],
           item=mask(missing_item)[:200] or None)


def record_search(sender: str, channel: str | None, result, missing_item: str = "") -> None:
    """A FAQ search made for a resident (api.faq.schemas.SearchOut); `missing_item`: the item
    the question asked about that the ごみ分別 list lacks, if any."""
    record_question(sender, channel, result.query, result.zone, result.hits[0].id if result.hits else None,
                    missing_item)


def record_suggestion_taken(sender: str, channel: str | None, faq_id: str) -> None:
    _store(sender, channel, kind="suggestion_taken", faq_id=faq_id)


def record_feedback(sender: str, channel: str | None, faq_id: str, helpful: bool) -> None:
    _store(sender, channel, kind="feedback", faq_id=faq_id, helpful=helpful)


# -- inbox ----------------------------------------------------------------------------
def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PSZC")


REASONS = {"none": "回答なし", "suggest": "候補を選ばず", "down": "👎", "gomi": "ごみ分別の一覧にない品目"}


def group_key(zone: str | None, faq_id: str | None, text: str) -> str:
    if zone in ("suggest", "none") and faq_id:
        return f"faq:{faq_id}"
    return "text:" + normalise(text)[:200]


def inbox_item(e, last_question) -> dict | None:
    """The inbox item an event adds, if any: the one rule, for recording and for rebuilding.

    `e` is an event (row or object); `last_question` the sender's question before it (at,
    text), or None. A suggestion chosen later is not seen here: it deletes the items.
    """
    at = aware(e.at)
    item = getattr(e, "item", None)
    if e.kind == "question" and item:
        # an item the ごみ分別 list lacks: a row of its own kind, whatever the FAQ answered
        # (the FAQ's answer about garbage in general does not tell how this item goes out)
        key, reason, text = "gomi:" + normalise(item)[:200], "gomi", e.text
    elif e.kind == "question" and e.zone in ("none", "suggest"):
        key, reason, text = group_key(e.zone, e.faq_id, e.text), e.zone, e.text
    elif e.kind == "feedback" and e.helpful is False and e.faq_id:
        recent = last_question is not None and at - aware(last_question.at) <= TAKE_WINDOW
        key, reason, text = f"down:{e.faq_id}", "down", last_question.text if recent else ""
    else:
        return None
    return {"event_id": e.id, "group_key": key[:300], "reason": reason, "at": at, "sender_hash": e.sender_hash,
            "text": text or ""}


def _track(session: Session, e: ConversationEvent) -> None:
    """Keeps the inbox items in step with a new event (same transaction as the event)."""
    if e.kind == "suggestion_taken":  # the resident's suggestions of the last 30 minutes were not in vain
        session.execute(delete(InboxItem).where(InboxItem.sender_hash == e.sender_hash, InboxItem.reason == "suggest",
                                                InboxItem.at >= e.at - TAKE_WINDOW, InboxItem.at <= e.at))
        return
    last = None
    if e.kind == "feedback":
        last = session.execute(select(ConversationEvent.at, ConversationEvent.text)
                               .where(ConversationEvent.sender_hash == e.sender_hash,
                                      ConversationEvent.kind == "question", ConversationEvent.id < e.id)
                               .order_by(ConversationEvent.at.desc(), ConversationEvent.id.desc()).limit(1)).first()
    item = inbox_item(e, last)
    if item is not None:
        session.add(InboxItem(**item))


def rebuild_inbox(conn) -> int:
    """Derives every inbox item again from the events, in time order, with inbox_item's rule
    (a Session or a Connection; the caller commits). For a database made before the items
    were kept, and for events loaded in bulk (bench.console). Returns the number of items."""
    table = InboxItem.__table__
    conn.execute(delete(table))
    last_question: dict[str, object] = {}
    suggested: dict[str, list[dict]] = {}  # per sender, suggest items a later choice may take back
    items: list[dict] = []
    c = ConversationEvent
    for e in conn.execute(select(c.id, c.at, c.sender_hash, c.kind, c.zone, c.faq_id, c.helpful, c.text, c.item)
                          .order_by(c.at, c.id)):
        if e.kind == "suggestion_taken":
            at = aware(e.at)
            for item in suggested.get(e.sender_hash, ()):
                if at - TAKE_WINDOW <= item["at"] <= at:
                    item["taken"] = True
            continue
        item = inbox_item(e, last_question.get(e.sender_hash))
        if e.kind == "question":
            last_question[e.sender_hash] = e
        if item is not None:
            items.append(item)
            if item["reason"] == "suggest":
                suggested.setdefault(e.sender_hash, []).append(item)
    rows = [item for item in items if not item.pop("taken", False)]
    for start in range(0, len(rows), 5000):
        conn.execute(insert(table), rows[start:start + 5000])
    return len(rows)


@dataclass
class Group:
    """An inbox group as the console shows it: counts, first and last time, reasons and the
    five most frequent wordings (masked), most frequent first."""

    key: str
    count: int
    first: dt.datetime
    last: dt.datetime
    reasons: Counter = field(default_factory=Counter)
    texts: Counter = field(default_factory=Counter)

    @property
    def faq_id(self) -> str | None:
        """The FAQ the group is about: the closest one (faq:) or the one marked 👎 (down:)."""
        kind, _, rest = self.key.partition(":")
        return rest if kind in ("faq", "down") and rest else None

    @property
    def missing_item(self) -> str | None:
        """The item name residents asked for that the ごみ分別 list lacks (gomi: groups)."""
        kind, _, rest = self.key.partition(":")
        return rest if kind == "gomi" and rest else None

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


def _grouped(since: dt.datetime | None, key: str | None, open_only: bool):
    """One row per group (key, n, first, last, first_id), open ones only if asked: a group
    is open when it has something newer than the last staff decision on it."""
    i = InboxItem
    stmt = select(i.group_key.label("key"), func.count().label("n"), func.min(i.at).label("first"),
                  func.max(i.at).label("last"), func.min(i.id).label("first_id")).group_by(i.group_key)
    if since is not None:
        stmt = stmt.where(i.at >= since)
    if key is not None:
        stmt = stmt.where(i.group_key == key)
    groups = stmt.subquery()
    if not open_only:
        return select(groups)
    decided = (select(InboxDecision.group_key, func.max(InboxDecision.at).label("at"))
               .group_by(InboxDecision.group_key).subquery())
    return (select(groups).outerjoin(decided, decided.c.group_key == groups.c.key)
            .where(or_(decided.c.at.is_(None), groups.c.last > decided.c.at)))


def groups(session: Session, *, since: dt.datetime | None = None, open_only: bool = False,
           limit: int | None = None, offset: int = 0, key: str | None = None) -> list[Group]:
    """Unmet needs since `since`, grouped, most asked first, then most recent; open_only:
    the inbox (groups with something newer than the last staff decision on them)."""
    base = _grouped(since, key, open_only).subquery()
    stmt = select(base).order_by(base.c.n.desc(), base.c.last.desc(), base.c.first_id).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    out = {r.key: Group(r.key, r.n, aware(r.first), aware(r.last)) for r in session.execute(stmt)}
    if not out:
        return []
    i = InboxItem
    # reasons and wordings in order of first appearance, so that ties keep that order
    where = [i.group_key.in_(list(out))] + ([i.at >= since] if since is not None else [])
    for r in session.execute(select(i.group_key, i.reason, func.count().label("n")).where(*where)
                             .group_by(i.group_key, i.reason).order_by(func.min(i.id))):
        out[r.group_key].reasons[r.reason] = r.n
    texts = (select(i.group_key, i.text, func.count().label("n"), func.min(i.id).label("first_id"))
             .where(*where, i.text != "").group_by(i.group_key, i.text).subquery())
    rank = func.row_number().over(partition_by=texts.c.group_key, order_by=(texts.c.n.desc(), texts.c.first_id))
    ranked = select(texts, rank.label("rank")).subquery()
    for r in session.execute(select(ranked).where(ranked.c.rank <= 5).order_by(ranked.c.group_key, ranked.c.rank)):
        out[r.group_key].texts[r.text] = r.n
    return list(out.values())


def count_groups(session: Session, *, open_only: bool = False) -> int:
    return session.scalar(select(func.count()).select_from(_grouped(None, None, open_only).subquery())) or 0


def find_group(session: Session, key: str) -> Group | None:
    """A group whether staff decided on it or not (a decision may be taken twice)."""
    found = groups(session, key=key[:300])
    return found[0] if found and found[0].key == key else None


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
    c = ConversationEvent
    seen = {(day, channel): n for day, channel, n in session.execute(
        select(c.day, c.channel, func.count(c.sender_hash.distinct())).where(c.day >= start).group_by(c.day, c.channel))}
    return [(day, {ch: seen.get((day, ch), 0) for ch in CHANNELS})
            for day in (start + dt.timedelta(days=i) for i in range(days))]


def since_days(days: int) -> dt.datetime:
    return _now() - dt.timedelta(days=days)


def _recent(days: int) -> list:
    """Events of the last `days` × 24 hours. The JST day implied by that adds nothing to the
    selection but lets the database use the (kind, day) index instead of reading every event."""
    since = since_days(days)
    return [ConversationEvent.day >= since.astimezone(JST).date(), ConversationEvent.at >= since]


def outcomes(session: Session, days: int = 30) -> dict[str, int]:
    c = ConversationEvent
    counts = dict(session.execute(select(c.zone, func.count()).where(c.kind == "question", *_recent(days))
                                  .group_by(c.zone)).all())
    return {z: counts.get(z, 0) for z in ("answer", "suggest", "none")}


def feedback_counts(session: Session, days: int = 30) -> dict[str, int]:
    c = ConversationEvent
    counts = dict(session.execute(select(c.helpful, func.count()).where(c.kind == "feedback", *_recent(days))
                                  .group_by(c.helpful)).all())
    return {"up": counts.get(True, 0), "down": counts.get(False, 0)}


def top_faqs(session: Session, days: int = 30, n: int = 10) -> list[tuple[str, int]]:
    """FAQs given as answers: a confident answer, or a suggestion the resident chose
    (most first; ties in order of first use)."""
    c = ConversationEvent
    given = or_(and_(c.kind == "question", c.zone == "answer"), c.kind == "suggestion_taken")
    count = func.count()
    rows = session.execute(select(c.faq_id, count).where(given, c.faq_id.is_not(None), c.faq_id != "", *_recent(days))
                           .group_by(c.faq_id).order_by(count.desc(), func.min(c.id)).limit(n))
    return [(faq_id, k) for faq_id, k in rows]


def months_before(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    m += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(y, m, d)
        except ValueError:
            continue
    raise ValueError(day)
