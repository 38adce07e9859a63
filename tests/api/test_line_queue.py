"""The LINE queue (api.linequeue) with its real handlers (api.channels.line) and a stand-in for LINE
that fails on demand: nothing acknowledged is lost, nothing is shown twice.

Each test has a database of its own (SQLite, and PostgreSQL when it is reachable), so the api's own
worker (started by the app's lifespan on the api's database) never takes these jobs.
"""
import asyncio
import datetime as dt
import json
import threading
import time
import uuid

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import sessionmaker

from api.channels import line
from api.channels.messages import Message
from api.channels.models import LineEvent
from api.config import get_settings
from api.linequeue import service as q
from api.linequeue.models import LineJob
from api.linequeue.worker import Worker
from tests.api.test_line_unit import FakeRasa, parsed, post, text_event

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/lineq_test"  # created: psql -c 'create database lineq_test'
TABLES = [LineJob.__table__, LineEvent.__table__]


def _pg_engine():
    pytest.importorskip("psycopg")
    engine = create_engine(PG_URL, pool_pre_ping=True)
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as exc:  # no server, no database
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    return engine


@pytest.fixture(params=["sqlite", "postgresql"])
def sessions(request, tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'queue.db'}", connect_args={"check_same_thread": False,
                                                                             "timeout": 30}) \
        if request.param == "sqlite" else _pg_engine()
    from api.db import Base

    Base.metadata.drop_all(engine, tables=TABLES)
    Base.metadata.create_all(engine, tables=TABLES)
    yield sessionmaker(bind=engine, expire_on_commit=False)
    engine.dispose()


@pytest.fixture
def to_platform(platform, monkeypatch):
    settings = get_settings().model_copy(update=dict(line_api_base=platform.base, line_timeout_s=0.5))
    monkeypatch.setattr(line, "get_settings", lambda: settings)
    yield platform
    platform.reset()


FAST = q.Policy(lease_s=1.0, retry_base_s=0.05, retry_max_s=0.2, give_up_s=60)


def user() -> str:
    return "U" + uuid.uuid4().hex


def pushes_to(uid: str):
    return lambda c: c["path"] == "/v2/bot/message/push" and (c["body"] or {}).get("to") == uid


def enqueue(sessions, *jobs: LineJob) -> list[int]:
    with sessions() as s:
        for job in jobs:
            q.enqueue(s, job)
        s.commit()
        return [job.id for job in jobs]


def jobs(sessions) -> list[LineJob]:
    with sessions() as s:
        return list(s.scalars(select(LineJob).order_by(LineJob.id)))


async def run_until(worker: Worker, done, timeout_s: float = 15) -> None:
    """Runs the worker until done() holds (checked in a thread: it reads the database), then stops it."""
    task = asyncio.create_task(worker.run())
    try:
        deadline = time.monotonic() + timeout_s
        while not await asyncio.to_thread(done):
            assert time.monotonic() < deadline, "timed out"
            assert not task.done(), task
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def worker(sessions, rasa=None, policy=FAST, **kw) -> Worker:
    return Worker(q.JobQueue(sessions, policy), line.handlers(rasa or FakeRasa()), poll_s=0.05, **kw)


# ---------------------------------------------------------------- events: stored before 200, handled later


def test_event_is_stored_before_the_200_and_handled_by_a_worker_started_later(client, sessions, to_platform,
                                                                              monkeypatch):
    real = line.store_events
    monkeypatch.setattr(line, "store_events", lambda events: real(events, sessions=sessions))
    ev = text_event("住民票の写しはどこで取れますか", user=user())
    assert post(client, {"destination": "Ubot", "events": [ev]}).status_code == 200
    # answered 200: the event is in the database, with the resident's text until it is handled; no worker yet
    [job] = jobs(sessions)
    assert job.kind == "event" and job.status == "queued"
    assert q.unseal(job.payload)["event"]["message"]["text"] == ev["message"]["text"]
    assert "住民票" not in json.dumps(job.payload, ensure_ascii=False)  # sealed, not in clear
    rasa = FakeRasa(replies=[{"text": "住民票は市民課で取れます。"}])
    asyncio.run(run_until(worker(sessions, rasa), lambda: not jobs(sessions)))
    assert rasa.sent == [(f"line:{ev['source']['userId']}", "住民票の写しはどこで取れますか", "line")]
    [call] = to_platform.replies_to(ev["replyToken"], timeout_s=5)
    assert call["body"]["messages"][0]["text"] == "住民票は市民課で取れます。"
    assert jobs(sessions) == []  # done: deleted, and the text with it


def test_old_reply_token_falls_back_to_a_push(sessions, to_platform):
    uid = user()
    ev = text_event("こんにちは", user=uid)
    ev["timestamp"] = int((time.time() - 120) * 1000)  # the worker was down for two minutes
    assert line.store_events([parsed(ev)], sessions=sessions) == 1
    asyncio.run(run_until(worker(sessions), lambda: not jobs(sessions)))
    assert to_platform.replies_to(ev["replyToken"], timeout_s=0) == []
    [push] = to_platform.delivered(pushes_to(uid))
    assert push["retry_key"] and push["body"]["messages"][0]["text"] == "住民票は市民課で取れます。"


def test_failed_reply_falls_back_to_a_push(sessions, to_platform):
    uid = user()
    ev = text_event("こんにちは", user=uid)
    to_platform.fail(1, 400, match=lambda c: (c["body"] or {}).get("replyToken") == ev["replyToken"])  # token expired
    line.store_events([parsed(ev)], sessions=sessions)
    asyncio.run(run_until(worker(sessions), lambda: not jobs(sessions)))
    assert [c["status"] for c in to_platform.replies_to(ev["replyToken"], timeout_s=0)] == [400]
    assert len(to_platform.delivered(pushes_to(uid))) == 1


def test_one_users_events_in_order_and_never_at_once_users_side_by_side(sessions, to_platform):
    class Slow(FakeRasa):
        def __init__(self):
            super().__init__()
            self.active: dict[str, int] = {}
            self.most: dict[str, int] = {}
            self.overlap = False

        async def send(self, sender, message, channel, metadata=None):
            self.sent.append((sender, message, channel))
            self.active[sender] = self.active.get(sender, 0) + 1
            self.most[sender] = max(self.most.get(sender, 0), self.active[sender])
            self.overlap |= len([n for n in self.active.values() if n]) > 1
            await asyncio.sleep(0.05)
            self.active[sender] -= 1
            return [{"text": f"答え:{message}"}]

    a, b = user(), user()
    events = [text_event(f"{who}質問{i}", user=uid) for i in range(5) for who, uid in (("A", a), ("B", b))]
    line.store_events([parsed(e) for e in events], sessions=sessions)
    rasa = Slow()
    asyncio.run(run_until(worker(sessions, rasa), lambda: not jobs(sessions), timeout_s=30))
    for who, uid in (("A", a), ("B", b)):
        assert [m for s, m, _ in rasa.sent if s == f"line:{uid}"] == [f"{who}質問{i}" for i in range(5)]
        assert rasa.most[f"line:{uid}"] == 1
    assert rasa.overlap  # two users were answered side by side
    tokens = {e["replyToken"] for e in events}
    replied = [c["body"]["messages"][0]["text"] for c in to_platform.find(lambda c: c["path"].endswith("/reply"))
               if c["body"]["replyToken"] in tokens and c["body"]["messages"][0]["text"].startswith("答え:A")]
    assert replied == [f"答え:A質問{i}" for i in range(5)]


# ---------------------------------------------------------------- deliveries: retries, retry key, give-up


def test_line_500_then_ok_is_delivered_once_with_the_same_retry_key(sessions, to_platform):
    uid = user()
    to_platform.fail(2, 500, match=pushes_to(uid))
    enqueue(sessions, line.send_job(uid, [Message(text="回答です")]))
    asyncio.run(run_until(worker(sessions), lambda: not jobs(sessions)))
    calls = to_platform.find(pushes_to(uid))
    assert [c["status"] for c in calls] == [500, 500, 200]
    assert len({c["retry_key"] for c in calls}) == 1 and calls[0]["retry_key"]
    assert len(to_platform.delivered(pushes_to(uid))) == 1


def test_answer_lost_in_a_timeout_is_not_shown_twice(sessions, to_platform):
    uid = user()
    to_platform.stall(1, seconds=1.5, accept=True, match=pushes_to(uid))  # LINE took it; its answer came too late
    enqueue(sessions, line.send_job(uid, [Message(text="回答です")]))
    asyncio.run(run_until(worker(sessions), lambda: not jobs(sessions)))
    calls = to_platform.wait_for(pushes_to(uid), count=2, timeout_s=5)
    assert [c["status"] for c in sorted(calls, key=lambda c: c["status"])] == [200, 409]  # the resend: 409
    assert len({c["retry_key"] for c in calls}) == 1
    assert len(to_platform.delivered(pushes_to(uid))) == 1


def test_429_is_retried_later(sessions, to_platform):
    uid = user()
    to_platform.fail(1, 429, match=pushes_to(uid))
    enqueue(sessions, line.send_job(uid, [Message(text="回答です")]))
    asyncio.run(run_until(worker(sessions), lambda: not jobs(sessions)))
    assert [c["status"] for c in to_platform.find(pushes_to(uid))] == [429, 200]


@pytest.mark.parametrize("status", [400, 403])
def test_refused_push_is_given_up_at_once_recorded_without_the_text(sessions, to_platform, status):
    uid = user()
    to_platform.fail(1, status, match=pushes_to(uid))
    enqueue(sessions, line.send_job(uid, [Message(text="回答です")]))
    asyncio.run(run_until(worker(sessions), lambda: jobs(sessions)[0].status == "failed"))
    [job] = jobs(sessions)
    assert job.payload is None and uid not in job.lane and str(status) in job.last_error and job.attempts == 1
    assert len(to_platform.find(pushes_to(uid))) == 1  # not sent again
    with sessions() as s:
        assert q.counts(s) == {"waiting": 0, "failed": 1}


def test_a_job_failing_past_the_give_up_time_is_recorded(sessions, to_platform):
    uid = user()
    to_platform.fail(100, 503, match=pushes_to(uid))
    [job_id] = enqueue(sessions, line.send_job(uid, [Message(text="回答です")]))
    with sessions() as s:  # made two days ago
        s.get(LineJob, job_id).created_at = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=2)
        s.commit()
    asyncio.run(run_until(worker(sessions), lambda: jobs(sessions)[0].status == "failed"))
    [job] = jobs(sessions)
    assert "503" in job.last_error and "still failing" in job.last_error and job.payload is None


def test_bad_payload_is_retried_not_lost(sessions, to_platform):
    """A handler that raises is a failure like any other: the job stays and is tried again."""
    [job_id] = enqueue(sessions, q.new_job("send", "push:Ubroken", {"to": "Ubroken"}, retry_key=True))
    asyncio.run(run_until(worker(sessions), lambda: jobs(sessions)[0].attempts >= 2))
    [job] = jobs(sessions)
    assert job.status in ("queued", "running") and "KeyError" in job.last_error


# ---------------------------------------------------------------- leases: two workers, a dead worker


def test_two_workers_never_claim_the_same_job(sessions):
    enqueue(sessions, *(q.new_job("send", f"push:U{i}", {}) for i in range(60)))
    queue = q.JobQueue(sessions, q.Policy(lease_s=60))
    got: dict[str, list[int]] = {"a": [], "b": []}

    def claimer(name):
        for _ in range(40):
            got[name] += [j.id for j in queue.claim(name, 3)]

    threads = [threading.Thread(target=claimer, args=(n,)) for n in got]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not set(got["a"]) & set(got["b"])
    assert len(got["a"]) + len(got["b"]) == 60


def test_job_of_a_dead_worker_is_taken_over_after_its_lease(sessions, to_platform):
    uid = user()
    enqueue(sessions, line.send_job(uid, [Message(text="回答です")]))
    queue = q.JobQueue(sessions, FAST)
    [taken] = queue.claim("dead-process", 5)  # then it dies: never finishes, never renews
    assert queue.claim("someone-else", 5) == []  # leased: nobody else may take it
    started = time.monotonic()
    asyncio.run(run_until(worker(sessions), lambda: not jobs(sessions)))
    assert time.monotonic() - started >= FAST.lease_s * 0.8
    [push] = to_platform.delivered(pushes_to(uid))
    assert push["retry_key"] == taken.retry_key
    # the dead worker's late result is not recorded: the job is no longer its own
    assert queue.finish(taken, "dead-process", q.Done()) is False


def test_a_running_job_keeps_its_lease(sessions, to_platform):
    """A handler slower than the lease is not taken by another worker meanwhile (the lease is renewed)."""
    uid = user()
    to_platform.stall(1, seconds=2.5, accept=True, match=pushes_to(uid))
    slow = worker(sessions, policy=q.Policy(lease_s=0.6, retry_base_s=0.05, retry_max_s=0.1, give_up_s=60))
    settings = line.get_settings().model_copy(update=dict(line_timeout_s=5))
    line_settings = line.get_settings
    enqueue(sessions, line.send_job(uid, [Message(text="回答です")]))

    async def both():
        line.get_settings = lambda: settings
        try:
            task = asyncio.create_task(slow.run())
            await asyncio.sleep(1.5)  # the push is stalled, the lease (0.6 s) renewed twice by now
            other = await asyncio.to_thread(q.JobQueue(sessions, slow.queue.policy).claim, "other", 5)
            await run_until_gone(task)
            return other
        finally:
            line.get_settings = line_settings

    async def run_until_gone(task):
        deadline = time.monotonic() + 10
        while await asyncio.to_thread(jobs, sessions):
            assert time.monotonic() < deadline
            await asyncio.sleep(0.05)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    assert asyncio.run(both()) == []
    assert len(to_platform.find(pushes_to(uid))) == 1


# ---------------------------------------------------------------- staff answers while LINE is down


def test_ticket_answer_while_line_is_down_is_delivered_later(client, to_platform):
    """Through the staff api and the api's own worker (the app's lifespan), on the api's database."""
    from tests.api.conftest import INTERNAL, STAFF
    from tests.api.test_admin_console import ticket_row

    uid = user()
    to_platform.fail(2, 503, match=pushes_to(uid))  # LINE down for the first two tries (then 2 s, 4 s waits)
    r = client.post("/internal/tickets", headers=INTERNAL, json={
        "sender": f"line:{uid}", "channel": "line", "question": "粗大ごみの予約を変えたい", "transcript": []})
    number = r.json()["number"]
    r = client.post(f"/api/admin/tickets/{number}/answer", headers=STAFF, json={"answer": "お電話で承ります。"})
    assert r.status_code == 200 and r.json()["status"] == "answered" and r.json()["delivered_at"] is None
    to_platform.wait_for(lambda c: pushes_to(uid)(c) and c["status"] == 200, timeout_s=60)
    deadline = time.monotonic() + 10
    while ticket_row(number).delivered_at is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ticket_row(number).delivered_at is not None
    calls = to_platform.find(pushes_to(uid))
    assert [c["status"] for c in calls] == [503, 503, 200] and len({c["retry_key"] for c in calls}) == 1
    assert "お電話で承ります。" in json.dumps(calls[-1]["body"], ensure_ascii=False)
