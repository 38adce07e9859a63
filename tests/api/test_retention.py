"""Sender ids kept only where needed, retention per store, and forgetting one resident."""
import datetime as dt
import json
import sqlite3
import time

from sqlalchemy import select

from tests.api.conftest import INTERNAL, STAFF

UTC = dt.timezone.utc


def _lookup(client, sender, number, birth):
    r = client.post("/internal/applications/lookup", headers=INTERNAL,
                    json={"sender": sender, "number": number, "birth_date": birth})
    assert r.status_code == 200, r.text
    return r.json()


def _ticket(client, sender, question="質問です"):
    r = client.post("/internal/tickets", headers=INTERNAL,
                    json={"sender": sender, "channel": "web", "question": question, "transcript": []})
    assert r.status_code == 201, r.text
    return r.json()["number"]


def _tracker_db(var) -> sqlite3.Connection:
    conn = sqlite3.connect(var / "rasa-tracker.db")
    conn.execute("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, "
                 "timestamp REAL, intent_name TEXT, action_name TEXT, data TEXT)")
    return conn


def test_lookup_attempts_keep_a_keyed_hash_and_subscribing_still_works(client):
    from api.applications.models import LookupAttempt
    from api.db import SessionLocal
    from api.privacy import sender_key

    sender = "web:retention-lookup"
    assert _lookup(client, sender, "A-2026-000103", "1948-11-03")["result"] == "found"
    with SessionLocal() as db:
        senders = set(db.scalars(select(LookupAttempt.sender)))
    assert sender not in senders and sender_key(sender) in senders
    r = client.post("/internal/applications/A-2026-000103/subscribe", headers=INTERNAL,
                    json={"sender": sender, "channel": "web"})
    assert r.status_code == 201, r.text
    r = client.post("/internal/applications/A-2026-000103/subscribe", headers=INTERNAL,
                    json={"sender": "web:someone-else", "channel": "web"})
    assert r.status_code == 404


def test_a_closed_ticket_forgets_the_raw_sender_but_its_resident_can_still_ask(client):
    from api.db import SessionLocal
    from api.privacy import sender_key
    from api.tickets import service

    sender = "web:retention-ticket"
    number = _ticket(client, sender)
    assert client.post(f"/api/admin/tickets/{number}/close", headers=STAFF).status_code == 200
    with SessionLocal() as db:
        ticket = service.get(db, number)
        assert ticket.sender == sender_key(sender) and ticket.closed_at is not None
    assert client.get(f"/internal/tickets/{number}", params={"sender": sender}, headers=INTERNAL).status_code == 200
    assert client.get(f"/internal/tickets/{number}", params={"sender": "web:other"},
                      headers=INTERNAL).status_code == 404


def test_purge_deletes_per_store_what_is_past_its_retention(client):
    from api.admin.models import AuditLog
    from api.analytics.models import ConversationEvent
    from api.applications.models import LookupAttempt, WebOutbox
    from api.channels.models import LineEvent
    from api.config import get_settings
    from api.db import SessionLocal
    from api.retention import purge
    from api.tickets import service
    from api.tickets.models import Ticket

    settings = get_settings()
    now = dt.datetime.now(UTC)
    old, recent = now - dt.timedelta(days=400), now - dt.timedelta(hours=1)
    old_ticket, new_ticket = _ticket(client, "web:purge-old"), _ticket(client, "web:purge-new")
    with SessionLocal() as db:
        for number, when in ((old_ticket, old), (new_ticket, recent)):
            t = service.get(db, number)
            service.close(db, t)
            t.closed_at = when
        for when, tag in ((old, "old"), (recent, "new")):
            db.add(ConversationEvent(at=when, day=when.date(), channel="web", sender_hash="x" * 64, kind="question",
                                     text=f"purge-{tag}"))
            db.add(WebOutbox(sender=f"web:purge-{tag}", text=f"purge-{tag}", created_at=when))
            db.add(LineEvent(webhook_event_id=f"purge-{tag}", received_at=when))
            db.add(LookupAttempt(sender=f"web:purge-raw-{tag}", number="A-2026-000101", at=when, ok=False))
        db.commit()
    conn = _tracker_db(settings.var_dir)
    with conn:
        conn.execute("DELETE FROM events")
        for ts, data in ((time.time() - 400 * 86400, {"event": "user", "text": "old"}),
                         (time.time() - 3 * 86400, {"event": "slot", "name": "birth_date", "value": "enc:abc"}),
                         (time.time() - 60, {"event": "slot", "name": "birth_date", "value": "enc:running"}),
                         (time.time() - 60, {"event": "user", "text": "new"})):
            conn.execute("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, ?, ?, ?)",
                         ("web:purge", data["event"], ts, json.dumps(data)))
    conn.close()
    logs = settings.var_dir / "logs"
    logs.mkdir(exist_ok=True)
    (logs / "api.log.1").write_text("old")
    (logs / "api.log").write_text("live")
    past = time.time() - 30 * 86400
    import os
    os.utime(logs / "api.log.1", (past, past))
    os.utime(logs / "api.log", (past, past))

    counts = purge(settings, now)

    assert counts["tracker_events"] == 1 and counts["tracker_sealed_forgotten"] == 1
    with SessionLocal() as db:
        assert service.get(db, new_ticket)
        assert db.scalar(select(Ticket).where(Ticket.seq == int(old_ticket[-6:]), Ticket.year == int(old_ticket[2:6]))) is None
        assert set(db.scalars(select(ConversationEvent.text).where(ConversationEvent.text.like("purge-%")))) == {"purge-new"}
        assert set(db.scalars(select(WebOutbox.text).where(WebOutbox.text.like("purge-%")))) == {"purge-new"}
        assert set(db.scalars(select(LineEvent.webhook_event_id).where(LineEvent.webhook_event_id.like("purge-%")))) == {"purge-new"}
        senders = set(db.scalars(select(LookupAttempt.sender)))
        assert not any(s.startswith(("web:", "line:")) for s in senders)  # raw ids of older versions hashed
        row = db.scalars(select(AuditLog).where(AuditLog.action == "privacy.purge").order_by(AuditLog.id.desc())).first()
        assert row is not None and row.details["tickets"] >= 1
    conn = sqlite3.connect(settings.var_dir / "rasa-tracker.db")
    rows = [json.loads(d) for (d,) in conn.execute("SELECT data FROM events ORDER BY id")]
    conn.close()
    assert rows == [{"event": "slot", "name": "birth_date", "value": "＊＊＊"},
                    {"event": "slot", "name": "birth_date", "value": "enc:running"}, {"event": "user", "text": "new"}]
    assert not (logs / "api.log.1").exists() and (logs / "api.log").exists()


def test_forget_deletes_one_resident_everywhere_and_is_audited(client):
    from api.admin.models import AuditLog
    from api.analytics.models import ConversationEvent
    from api.analytics.service import record_question, sender_hash
    from api.applications.models import LookupAttempt
    from api.config import get_settings
    from api.db import SessionLocal
    from api.privacy import sender_key
    from api.retention import main

    sender, other = "web:forget-me", "web:keep-me"
    _ticket(client, sender)
    kept = _ticket(client, other)
    _lookup(client, sender, "A-2026-000105", "2001-12-24")
    record_question(sender, "web", "粗大ごみ", "none", None)
    from api.analytics.service import legacy_sender_hash

    with SessionLocal() as db:  # a row stored by an older version (plain SHA-256)
        now = dt.datetime.now(UTC)
        db.add(ConversationEvent(at=now, day=now.date(), channel="web", sender_hash=legacy_sender_hash(sender),
                                 kind="question", text="old version"))
        db.commit()
    conn = _tracker_db(get_settings().var_dir)
    with conn:
        for who in (sender, other):
            conn.execute("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, 'user', ?, '{}')",
                         (who, time.time()))
    conn.close()

    assert main(["forget", sender]) == 0

    with SessionLocal() as db:
        assert db.scalar(select(LookupAttempt).where(LookupAttempt.sender == sender_key(sender))) is None
        assert db.scalar(select(ConversationEvent).where(ConversationEvent.sender_hash.in_(
            (sender_hash(sender), legacy_sender_hash(sender))))) is None
        row = db.scalars(select(AuditLog).where(AuditLog.action == "privacy.forget").order_by(AuditLog.id.desc())).first()
        assert row.details["tickets"] == 1 and row.details["tracker_events"] == 1
        assert sender not in json.dumps(row.details) and sender not in row.target
    r = client.get("/api/admin/tickets", headers=STAFF)
    numbers = {t["number"] for t in r.json()}
    assert kept in numbers
    conn = sqlite3.connect(get_settings().var_dir / "rasa-tracker.db")
    senders = [s for (s,) in conn.execute("SELECT sender_id FROM events")]
    assert sender not in senders and other in senders
    conn.close()
    assert main(["forget", "someone"]) == 2


def test_forget_by_ticket_number_open_or_closed(client):
    from api.db import SessionLocal
    from api.retention import main
    from api.tickets import service

    open_one = _ticket(client, "web:forget-by-ticket")
    other = _ticket(client, "web:forget-by-ticket")
    assert main(["forget", open_one]) == 0
    with SessionLocal() as db:
        for number in (open_one, other):  # every ticket of that resident
            try:
                service.get(db, number)
                raise AssertionError(f"{number} still stored")
            except service.TicketNotFound:
                pass
    closed = _ticket(client, "web:forget-closed")
    assert client.post(f"/api/admin/tickets/{closed}/close", headers=STAFF).status_code == 200
    assert main(["forget", closed]) == 0
    with SessionLocal() as db:
        try:
            service.get(db, closed)
            raise AssertionError("closed ticket still stored")
        except service.TicketNotFound:
            pass
    assert main(["forget", "Q-2026-999999"]) == 1


def test_scrub_tracker_masks_events_stored_in_clear_and_leaves_running_forms(client):
    from api.config import get_settings
    from api.retention import scrub_tracker

    conn = _tracker_db(get_settings().var_dir)
    events = [{"event": "user", "text": "電話は090-1234-5678", "parse_data": {"text": "電話は090-1234-5678",
                                                                           "intent": {"name": "inform"}}},
              {"event": "slot", "name": "birth_date", "value": "1990-04-01"},
              {"event": "slot", "name": "birth_date", "value": "enc:running"},
              {"event": "slot", "name": "application_number", "value": "A-2026-000101"}]
    with conn:
        conn.execute("DELETE FROM events")
        for e in events:
            conn.execute("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES ('web:s', ?, ?, ?)",
                         (e["event"], time.time(), json.dumps(e)))
    conn.close()
    assert scrub_tracker() == 2
    conn = sqlite3.connect(get_settings().var_dir / "rasa-tracker.db")
    rows = [json.loads(d) for (d,) in conn.execute("SELECT data FROM events ORDER BY id")]
    conn.close()
    assert rows[0]["text"] == "電話は＊＊＊" and rows[0]["parse_data"]["text"] == "電話は＊＊＊"
    assert rows[0]["parse_data"]["intent"]["name"] == "inform"
    assert rows[1]["value"] == "＊＊＊" and rows[2]["value"] == "enc:running" and rows[3]["value"] == "A-2026-000101"
    assert scrub_tracker() == 0


def test_the_tracker_store_in_postgresql_is_purged_and_forgotten_too():
    """Scaled mode keeps Rasa's tracker in PostgreSQL (MADOGUCHI_TRACKER_URL, Rasa's psycopg2 URL):
    retention and forgetting reach it there as in SQLite."""
    import uuid

    import pytest
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    from api.config import get_settings
    from api.retention import _purge_tracker, _tracker
    from trackerstore.masking import SEALED

    name = f"madoguchi_retention_{uuid.uuid4().hex[:8]}"
    admin = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError:
        pytest.skip("needs PostgreSQL on 127.0.0.1:5432 (as on CI)")
    settings = get_settings().model_copy(update={"tracker_url": f"postgresql://postgres@127.0.0.1:5432/{name}"})
    try:
        with _tracker(settings) as conn:
            assert conn is None  # no events table yet: nothing to do, no error
        db = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
        now = time.time()
        with db.begin() as conn:
            conn.execute(text("CREATE TABLE events (id SERIAL PRIMARY KEY, sender_id TEXT, type_name TEXT, "
                              "timestamp DOUBLE PRECISION, intent_name TEXT, action_name TEXT, data TEXT)"))
            rows = [("web:old", "user", now - 40 * 86400, "{}"), ("web:new", "user", now, "{}"),
                    ("web:form", "slot", now - 2 * 86400,
                     json.dumps({"event": "slot", "name": "birth_date", "value": SEALED + "xyz"}))]
            for sender, kind, stamp, data in rows:
                conn.execute(text("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (:s, :k, :t, :d)"),
                             {"s": sender, "k": kind, "t": stamp, "d": data})
        assert _purge_tracker(settings, now) == {"tracker_events": 1, "tracker_sealed_forgotten": 1}
        with db.connect() as conn:
            left = dict(conn.execute(text("SELECT sender_id, data FROM events")).fetchall())
        assert set(left) == {"web:new", "web:form"} and SEALED not in left["web:form"]
        db.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"), {"d": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def test_line_jobs_given_up_are_purged_and_a_users_waiting_jobs_forgotten(client):
    from api.config import get_settings
    from api.db import SessionLocal
    from api.linequeue import service as q
    from api.linequeue.models import LineJob
    from api.privacy import sender_key
    from api.retention import forget, purge

    now = dt.datetime.now(UTC)
    gone, kept = "U" + "9" * 32, "U" + "8" * 32
    with SessionLocal() as db:
        waiting = [q.new_job("send", f"push:{uid}", {"to": uid, "messages": [{"text": "回答"}]}) for uid in (gone, kept)]
        for job in waiting:
            job.next_at = now + dt.timedelta(days=1)  # not due: the api's own worker leaves them alone
        failed = [LineJob(kind="send", lane=sender_key(f"push:{uid}"), status="failed", finished_at=when,
                          last_error="HTTP 400")
                  for uid, when in ((gone, now - dt.timedelta(days=8)), (kept, now - dt.timedelta(hours=1)))]
        db.add_all(waiting + failed)
        db.commit()
        ids = [j.id for j in waiting + failed]

    assert purge(get_settings(), now)["line_jobs_failed"] >= 1
    assert forget(f"line:{gone}", "tests")["line_jobs"] == 1  # its waiting job (the old failed one was purged)
    with SessionLocal() as db:
        left = set(db.scalars(select(LineJob.id).where(LineJob.id.in_(ids))))
        assert left == {ids[1], ids[3]}  # the other user's waiting job and recent failure
        db.execute(LineJob.__table__.delete().where(LineJob.id.in_(ids)))
        db.commit()
