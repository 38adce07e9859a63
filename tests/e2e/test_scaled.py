"""Scaled mode (`make run-scaled`: run.py --scaled) on the machine's PostgreSQL and Redis, as on
CI: two api workers sharing one address, two Rasa servers, two action servers.

- a staff edit is searchable in every api worker within a second;
- a conversation's form carries on when its Rasa server dies (the tracker is in PostgreSQL);
- under an open-loop load, kill -9 of one Rasa server, one action server and one api worker
  fails no resident's message (the client retries a lost connection once, as the widget does)
  and loses no ticket a resident was given a number for.
"""
import asyncio
import json
import os
import re
import signal
import threading
import time
import uuid

import httpx
import pytest
from sqlalchemy import create_engine, text

from api.channels.rasa import ranking
from bench.load import QUESTIONS, run
from tests.e2e.conftest import STAFF_TOKEN, run_services

PG = "postgresql+psycopg://postgres@127.0.0.1:5432"
STAFF = {"Authorization": f"Bearer {STAFF_TOKEN}"}
NAME = f"madoguchi_e2e_{uuid.uuid4().hex[:8]}"


def _databases(action: str) -> None:
    admin = create_engine(f"{PG}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for db in (NAME, f"{NAME}_tracker"):
            if action == "drop":
                conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"),
                             {"d": db})
                conn.execute(text(f'DROP DATABASE IF EXISTS "{db}"'))
            else:  # the staff account is made before the services start
                conn.execute(text(f'CREATE DATABASE "{db}"'))
    admin.dispose()


@pytest.fixture(scope="module")
def scaled(line_platform):
    _databases("create")
    try:
        yield from run_services(line_platform, scaled=2, MADOGUCHI_DB_URL=f"{PG}/{NAME}",
                                MADOGUCHI_TRACKER_URL=f"postgresql://postgres@127.0.0.1:5432/{NAME}_tracker",
                                MADOGUCHI_REDIS_URL="redis://127.0.0.1:6379/11",
                                MADOGUCHI_RATE_CHAT_ALL="100000/minute")
    finally:
        _databases("drop")


def _health_by_worker(base: str, want: int, timeout_s: float = 30) -> dict[int, int]:
    """FAQ counts of each api worker, by /healthz over fresh connections (the kernel spreads them)."""
    seen: dict[int, int] = {}
    deadline = time.monotonic() + timeout_s
    while len(seen) < want and time.monotonic() < deadline:
        body = httpx.get(f"{base}/healthz", timeout=10).json()
        seen[body["worker"]] = body["faqs"]
    assert len(seen) == want, seen
    return seen


def _port(svc, name: str) -> int:
    args = open(f"/proc/{svc.pid(name)}/cmdline", "rb").read().split(b"\0")
    return int(args[args.index(b"--port") + 1])


def _all_up(svc, timeout_s: float = 300) -> None:
    """Every Rasa and action server answers on its own port (a restarted one has loaded)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            urls = [f"http://127.0.0.1:{_port(svc, n)}/" for n in ("rasa-1", "rasa-2")] + \
                   [f"http://127.0.0.1:{_port(svc, n)}/health" for n in ("actions-1", "actions-2")]
            if all(httpx.get(u, timeout=3).status_code == 200 for u in urls):
                svc.wait_healthy(60)
                return
        except (httpx.HTTPError, OSError, ValueError):
            pass
        time.sleep(1)
    raise TimeoutError("not every server came back")


def _texts(reply: dict) -> str:
    return "\n".join(m["text"] for m in reply["messages"])


def test_all_processes_are_up_on_postgresql(scaled):
    names = sorted(p.stem for p in (scaled.var / "run").glob("*.pid"))
    assert names == ["actions-1", "actions-2", "api-1", "api-2", "rasa-1", "rasa-2"]
    assert not (scaled.var / "madoguchi.db").exists() and not (scaled.var / "rasa-tracker.db").exists()
    _health_by_worker(scaled.base, 2)


def test_an_edit_is_live_in_every_api_worker_within_a_second(scaled):
    before = _health_by_worker(scaled.base, 2)
    entry = {"id": "e2e-scaled-001", "category": "施設・開庁時間", "question": "星空観察会はいつ開かれますか",
             "alternatives": ["星を見るイベント", "天体観測の会"],
             "answer": "星空観察会は毎年8月の第1土曜日、市民天文台で開きます。", "department": "生涯学習課",
             "phone": "012-345-6998", "url": "https://www.city.example.jp/event/hoshi.html", "verified": "2026-11-01"}
    r = scaled.http.post("/api/admin/faqs", json=entry, headers=STAFF)
    assert r.status_code == 201, r.text
    saved = time.monotonic()
    live: set[int] = set()
    while len(live) < 2 and time.monotonic() - saved < 1.0:
        body = httpx.get(f"{scaled.base}/healthz", timeout=5).json()
        if body["faqs"] == before[body["worker"]] + 1:
            live.add(body["worker"])
    assert len(live) == 2, f"live in {live} of {set(before)} after 1 s"
    # and every worker answers with it
    for _ in range(6):
        hits = httpx.get(f"{scaled.base}/api/faq/search", params={"q": "星空観察会はいつ"}, timeout=10).json()["hits"]
        assert hits[0]["id"] == "e2e-scaled-001"


def test_a_form_carries_on_when_its_rasa_server_dies(scaled):
    r1 = scaled.chat("申請の状況を確認したいです")
    assert "申請番号" in _texts(r1)
    sender = r1["sender"]
    servers = {f"http://127.0.0.1:{_port(scaled, n)}": n for n in ("rasa-1", "rasa-2")}
    own = servers[ranking(sender, list(servers))[0]]
    os.kill(scaled.proc.pid, signal.SIGSTOP)  # hold the supervisor: the server stays dead meanwhile
    try:
        os.kill(scaled.pid(own), signal.SIGKILL)
        r2 = scaled.chat("A-2026-000101", sender=sender)
        assert "生年月日" in _texts(r2)  # the other server knows where the form was
        r3 = scaled.chat("昭和60年6月15日", sender=sender)
        assert "審査中" in _texts(r3)
    finally:
        os.kill(scaled.proc.pid, signal.SIGCONT)
    _all_up(scaled)


def _leave_questions(base: str, numbers: list, failures: list, stop: threading.Event) -> None:
    """A resident after another leaves a question for staff (two turns), as the widget sends them
    (once more, with the same message_id, when the connection broke: without it an api killed after
    Rasa's answer made the question a new message after the form had ended); the ticket numbers the
    bot gave are collected."""
    with httpx.Client(base_url=base, timeout=60) as client:
        def chat(body: dict) -> dict:
            body = {**body, "message_id": uuid.uuid4().hex}
            try:
                r = client.post("/api/chat", json=body)
            except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
                time.sleep(0.7)
                r = client.post("/api/chat", json=body)
            if r.status_code != 200:
                failures.append(r.status_code)
                raise AssertionError(r.text)
            return r.json()

        while not stop.is_set():
            try:
                asked = chat({"payload": "/leave_question"})
                reply = chat({"sender": asked["sender"], "text": "土曜日に戸籍謄本を受け取れますか"})
            except AssertionError:
                continue
            found = re.search(r"Q-\d{4}-\d{6}", _texts(reply))
            if found:
                numbers.append(found.group(0))
            else:
                failures.append(("no ticket number", _texts(asked), _texts(reply)))


def test_kill_one_of_each_during_load_fails_no_resident(scaled):
    with open(QUESTIONS, encoding="utf-8") as f:
        questions = [json.loads(line)["text"] for line in f if line.strip()]
    _all_up(scaled)
    killed = []

    def killer():
        for delay, name in ((6, "rasa-1"), (6, "actions-1"), (6, "api-1")):
            time.sleep(delay)
            pid = scaled.pid(name)
            os.kill(pid, signal.SIGKILL)
            killed.append((name, pid))

    numbers, failures, stop = [], [], threading.Event()
    tickets = threading.Thread(target=_leave_questions, args=(scaled.base, numbers, failures, stop))
    t = threading.Thread(target=killer)
    t.start()
    tickets.start()
    result = asyncio.run(run(scaled.base, rate=4, seconds=30, turns=3, questions=questions, seed=7))
    t.join()
    stop.set()
    tickets.join()
    assert [n for n, _ in killed] == ["rasa-1", "actions-1", "api-1"]
    assert result["errors"] == 0, result
    assert result["replies"] == result["sent"]
    # every question the bot acknowledged with a number is there for staff
    assert not failures and len(numbers) >= 5, (failures, numbers)
    for number in numbers:
        assert scaled.http.get(f"/api/admin/tickets/{number}", headers=STAFF).status_code == 200, number
    # each dead process was restarted by the supervisor
    for name, pid in killed:
        assert scaled.pid(name) != pid
