"""Retention and deletion of residents' data (docs/privacy.md).

    .venv/bin/python -m api.retention purge                 # what is past its retention, now
    .venv/bin/python -m api.retention forget web:0123abcd…  # everything of one resident (audited)
    .venv/bin/python -m api.retention scrub-tracker         # mask tracker events stored before masking

purge() deletes, per store, what is older than its MADOGUCHI_RETENTION_*_DAYS: Rasa's tracker
events, conversation events and inbox items, tickets closed that long ago, web outbox
messages, subscriptions to applications finished that long ago, LINE webhook event ids and
given-up LINE jobs, status look-up attempts and log files no longer written to. It also replaces the raw sender
ids that older versions kept in lookup_attempts by their keyed hash, and turns sealed form
values left in the tracker store by conversations abandoned mid-form into ＊＊＊. The api runs
it five minutes after start and then daily (start_purge_task); every run with deletions writes an audit row.

forget(sender) deletes one resident's data from every store that can be searched by sender
id, raw or hashed; the audit row names the resident only by the keyed hash.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import getpass
import json
import logging
import sys
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, delete, func, inspect, or_, select, text
from sqlalchemy.engine import make_url

from api.config import Settings, get_settings
from api.privacy import MASK, is_sender_key, sender_key

log = logging.getLogger(__name__)
SEALED_GRACE_S = 24 * 3600  # a form abandoned this long ago needs its sealed values no more
DAY_S = 24 * 3600
_UPDATE = text("UPDATE events SET data = :data WHERE id = :id")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def tracker_url(settings: Settings) -> str | None:
    """Rasa's tracker store as a URL the api can open: MADOGUCHI_TRACKER_URL (scaled mode's
    PostgreSQL, through the api's driver), else the SQLite file; None when there is none."""
    if settings.tracker_url:
        url = make_url(settings.tracker_url)
        if url.drivername == "postgresql":  # Rasa's psycopg2 name; the api has psycopg 3
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)
    if settings.tracker_dialect != "sqlite":
        return None
    path = Path(settings.tracker_db) if settings.tracker_db else settings.var_dir / "rasa-tracker.db"
    return f"sqlite:///{path}" if path.exists() else None


@contextmanager
def _tracker(settings: Settings):
    """A transaction on the tracker store's database, or None when it has no events yet."""
    url = tracker_url(settings)
    engine = create_engine(url) if url else None
    try:
        if engine is None or not inspect(engine).has_table("events"):
            yield None
            return
        with engine.begin() as conn:
            if conn.dialect.name == "sqlite":  # what is deleted or masked leaves no trace in free pages
                conn.exec_driver_sql("PRAGMA secure_delete=ON")
            yield conn
    finally:
        if engine is not None:
            engine.dispose()


def _purge_tracker(settings: Settings, now: float) -> dict[str, int]:
    from trackerstore.masking import SEALED, forget_sealed

    with _tracker(settings) as conn:
        if conn is None:
            return {"tracker_events": 0, "tracker_sealed_forgotten": 0}
        deleted = conn.execute(text("DELETE FROM events WHERE timestamp < :t"),
                               {"t": now - settings.retention_tracker_days * DAY_S}).rowcount
        forgotten = 0
        rows = conn.execute(text("SELECT id, data FROM events WHERE type_name = 'slot' AND timestamp < :t "
                                 "AND data LIKE :sealed"),
                            {"t": now - SEALED_GRACE_S, "sealed": f'%"{SEALED}%'}).fetchall()
        for row_id, data in rows:
            event = json.loads(data)
            masked = forget_sealed(event)
            if masked != event:
                conn.execute(_UPDATE, {"data": json.dumps(masked), "id": row_id})
                forgotten += 1
    return {"tracker_events": deleted, "tracker_sealed_forgotten": forgotten}


def scrub_tracker(settings: Settings | None = None) -> int:
    """Masks every tracker event as the tracker store does on saving (for events stored before
    it did); sealed values of running forms are left alone. Returns the number of rows changed."""
    from trackerstore.masking import PII_SLOTS, SEALED, mask_value

    settings = settings or get_settings()
    changed = 0
    with _tracker(settings) as conn:
        if conn is None:
            return 0
        for row_id, data in conn.execute(text("SELECT id, data FROM events")).fetchall():
            event = json.loads(data)
            masked = mask_value(event)
            if event.get("event") == "slot" and event.get("name") in PII_SLOTS \
                    and isinstance(event.get("value"), str) and not event["value"].startswith(SEALED):
                masked = {**event, "value": MASK}
            if masked != event:
                conn.execute(_UPDATE, {"data": json.dumps(masked), "id": row_id})
                changed += 1
    return changed


def _purge_logs(settings: Settings, now: float) -> int:
    logs = settings.var_dir / "logs"
    removed = 0
    if not logs.is_dir():
        return 0
    for path in logs.rglob("*"):
        # <service>.log is being written (rotated copies are <service>.log.N)
        if path.is_file() and path.suffix != ".log" and path.stat().st_mtime < now - settings.retention_log_days * DAY_S:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def purge(settings: Settings | None = None, now: dt.datetime | None = None) -> dict[str, int]:
    """Deletes what is past its retention in every store; returns the counts per store."""
    from api.admin.accounts import audit
    from api.analytics.models import ConversationEvent, InboxDecision, InboxItem
    from api.applications.models import Application, ApplicationEvent, LookupAttempt, Subscription, WebOutbox
    from api.channels.models import LineEvent
    from api.db import SessionLocal
    from api.handover.models import LiveChat, LiveMessage
    from api.linequeue.models import LineJob
    from api.tickets.models import Ticket

    settings = settings or get_settings()
    now = now or _now()

    def before(days: int) -> dt.datetime:
        return now - dt.timedelta(days=days)

    counts: dict[str, int] = {}
    with SessionLocal() as db:
        conv = before(settings.retention_conversation_days)
        counts["conversation_events"] = db.execute(delete(ConversationEvent).where(ConversationEvent.at < conv)).rowcount
        counts["inbox_items"] = db.execute(delete(InboxItem).where(InboxItem.at < conv)).rowcount
        counts["inbox_decisions"] = db.execute(delete(InboxDecision).where(InboxDecision.at < conv)).rowcount
        closed = before(settings.retention_ticket_days)
        counts["tickets"] = db.execute(delete(Ticket).where(
            Ticket.status == "closed",
            func.coalesce(Ticket.closed_at, Ticket.answered_at, Ticket.created_at) < closed)).rowcount
        counts["web_outbox"] = db.execute(delete(WebOutbox).where(
            WebOutbox.created_at < before(settings.retention_outbox_days))).rowcount
        # live chats with staff, counted from their end, with their messages (open ones stay)
        old_chats = select(LiveChat.id).where(LiveChat.status == "ended",
                                              LiveChat.ended_at < before(settings.retention_live_chat_days))
        db.execute(delete(LiveMessage).where(LiveMessage.chat_id.in_(old_chats)))
        counts["live_chats"] = db.execute(delete(LiveChat).where(LiveChat.id.in_(old_chats))).rowcount
        # subscriptions end with their application: finished (completed, withdrawn) that long ago
        last_event = select(ApplicationEvent.number).group_by(ApplicationEvent.number).having(
            func.max(ApplicationEvent.on) < before(settings.retention_outbox_days).date())
        finished = select(Application.number).where(Application.status.in_(("completed", "withdrawn")),
                                                     Application.number.in_(last_event))
        counts["subscriptions"] = db.execute(delete(Subscription).where(Subscription.number.in_(finished))).rowcount
        counts["line_events"] = db.execute(delete(LineEvent).where(
            LineEvent.received_at < before(settings.retention_line_event_days))).rowcount
        # given-up LINE jobs (no payload, hashed lane): the record of a failure, kept as long as event ids
        counts["line_jobs_failed"] = db.execute(delete(LineJob).where(
            LineJob.status == "failed", LineJob.finished_at < before(settings.retention_line_event_days))).rowcount
        counts["lookup_attempts"] = db.execute(delete(LookupAttempt).where(
            LookupAttempt.at < before(settings.retention_lookup_days))).rowcount
        # raw sender ids kept by older versions: the keyed hash instead
        hashed = 0
        for attempt in db.scalars(select(LookupAttempt).where(
                or_(LookupAttempt.sender.like("web:%"), LookupAttempt.sender.like("line:%")))):
            attempt.sender = sender_key(attempt.sender)
            hashed += 1
        for ticket in db.scalars(select(Ticket).where(
                Ticket.status == "closed", or_(Ticket.sender.like("web:%"), Ticket.sender.like("line:%")))):
            ticket.sender = sender_key(ticket.sender)
            hashed += 1
        counts["sender_ids_hashed"] = hashed
        db.commit()
        stamp = now.timestamp()
        counts.update(_purge_tracker(settings, stamp))
        counts["log_files"] = _purge_logs(settings, stamp)
        if any(counts.values()):
            audit(db, "system:retention", "privacy.purge", "", counts)
            db.commit()
    log.info("retention purge: %s", counts)
    return counts


def sender_of_ticket(number: str) -> str | None:
    """The sender id behind a ticket number: raw while the ticket is open or answered, the keyed
    hash once closed; None for an unknown number."""
    from api.db import SessionLocal
    from api.tickets import service

    with SessionLocal() as db:
        try:
            return service.get(db, number).sender
        except service.TicketNotFound:
            return None


def forget(sender: str, actor: str, settings: Settings | None = None) -> dict[str, int]:
    """Deletes everything stored about one resident (sender id `web:…` or `line:U…`, or only the
    keyed hash of one, from a closed ticket) and writes an audit row naming the resident only by
    the keyed hash."""
    from api.admin.accounts import audit
    from api.analytics.models import ConversationEvent, InboxItem
    from api.analytics.service import legacy_sender_hash, sender_hash
    from api.applications.models import LookupAttempt, Subscription, WebOutbox
    from api.channels.models import LineUser
    from api.db import SessionLocal
    from api.linequeue.models import LineJob
    from api.handover.models import LiveChat, LiveMessage
    from api.linequeue.service import lanes_of
    from api.tickets.models import Ticket

    settings = settings or get_settings()
    key = sender if is_sender_key(sender) else sender_key(sender, settings.pii_key)
    counts: dict[str, int] = {}
    with SessionLocal() as db:
        counts["tickets"] = db.execute(delete(Ticket).where(Ticket.sender.in_((sender, key)))).rowcount
        chats = select(LiveChat.id).where(LiveChat.sender.in_((sender, key)))
        db.execute(delete(LiveMessage).where(LiveMessage.chat_id.in_(chats)))
        counts["live_chats"] = db.execute(delete(LiveChat).where(LiveChat.id.in_(chats))).rowcount
        counts["subscriptions"] = db.execute(delete(Subscription).where(Subscription.sender == sender)).rowcount
        counts["web_outbox"] = db.execute(delete(WebOutbox).where(WebOutbox.sender == sender)).rowcount
        counts["line_jobs"] = db.execute(delete(LineJob).where(
            LineJob.lane.in_(lanes_of(sender.removeprefix("line:"))))).rowcount if sender.startswith("line:") else 0
        counts["line_users"] = db.execute(delete(LineUser).where(LineUser.user_key == key)).rowcount
        counts["lookup_attempts"] = db.execute(delete(LookupAttempt).where(
            LookupAttempt.sender.in_((sender, key)))).rowcount
        hashes = (key,) if is_sender_key(sender) else (sender_hash(sender), legacy_sender_hash(sender))
        counts["conversation_events"] = db.execute(delete(ConversationEvent).where(
            ConversationEvent.sender_hash.in_(hashes))).rowcount
        counts["inbox_items"] = db.execute(delete(InboxItem).where(InboxItem.sender_hash.in_(hashes))).rowcount
        with _tracker(settings) as conn:
            counts["tracker_events"] = 0 if conn is None else conn.execute(
                text("DELETE FROM events WHERE sender_id = :s"), {"s": sender}).rowcount
        audit(db, actor, "privacy.forget", f"sender:{key[:16]}", counts)
        db.commit()
    return counts


FIRST_PURGE_S = 300  # after start: the api is serving by then, and a start-up is not slowed


async def _purge_daily(first_s: float, interval_s: float) -> None:
    await asyncio.sleep(first_s)
    while True:
        try:
            await asyncio.to_thread(purge)
        except Exception:  # a failed purge must not stop the api; it is tried again next time
            log.exception("retention purge failed")
        await asyncio.sleep(interval_s)


def start_purge_task(first_s: float = FIRST_PURGE_S, interval_s: float = DAY_S) -> asyncio.Task:
    """The api's purge job: shortly after start, then daily, in a thread (the event loop stays free)."""
    return asyncio.create_task(_purge_daily(first_s, interval_s), name="retention-purge")


def _who() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:
        return "cli"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m api.retention", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    sub.add_parser("purge", help="delete what is past its retention now")
    one = sub.add_parser("forget", help="delete one resident's data by sender id")
    one.add_argument("sender", help="the sender id (web:<hex> or line:U…), or a ticket number Q-… of theirs")
    sub.add_parser("scrub-tracker", help="mask tracker events stored before the masking tracker store")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from api.db import init_db

    init_db()
    if args.command == "purge":
        print(json.dumps(purge(), ensure_ascii=False))
    elif args.command == "forget":
        sender = args.sender.strip()
        if sender.upper().startswith("Q-"):
            sender = sender_of_ticket(sender) or ""
            if not sender:
                print("その受付番号の質問は見つかりません。", file=sys.stderr)
                return 1
        if not (sender.startswith(("web:", "line:")) or is_sender_key(sender)):
            print("sender id は web:… か line:…、または受付番号 Q-… です。", file=sys.stderr)
            return 2
        print(json.dumps(forget(sender, _who()), ensure_ascii=False))
    else:
        print(json.dumps({"tracker_events_masked": scrub_tracker()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
