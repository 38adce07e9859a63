"""Status look-up limits (api.applications.throttle), each on its own: per client with many
numbers, per sender, per application number with many clients, overall; growing delays
that end; the end of a key's window; concurrent wrong tries; the console's alert."""
import datetime as dt
import threading
import uuid

import pytest
from sqlalchemy import select

from api import ratelimit
from api.applications import service, throttle
from api.applications.models import LookupAlert
from api.applications.schemas import LookupIn
from api.config import get_settings
from api.db import SessionLocal
from tests.api.test_admin_console import logged_in



@pytest.fixture(autouse=True)
def _fresh(client, monkeypatch):
    monkeypatch.setenv("MADOGUCHI_INSECURE_COOKIES", "1")
    ratelimit.configure()
    yield
    ratelimit.configure()


def settings(**changes):
    return get_settings().model_copy(update=changes)


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:12]}"


def unknown_number() -> str:
    """A number no application has (many of them: the per-number limit never fires)."""
    return f"A-2099-{uuid.uuid4().int % 1_000_000:06d}"


def make_application(birth: dt.date) -> str:
    """An application of this test's own: other tests' tries on the demo numbers do not count here."""
    from api.applications.models import Application

    number = f"A-2098-{uuid.uuid4().int % 1_000_000:06d}"
    with SessionLocal() as session:
        session.add(Application(number=number, procedure="児童手当 認定請求", birth_date=birth, status="reviewing",
                                department="子育て支援課", phone="012-345-6100"))
        session.commit()
    return number


def look(s, *, sender=None, client=None, number=None, birth=dt.date(2000, 1, 1)):
    req = LookupIn(sender=sender or unique("web:"), client=client, number=number or unknown_number(),
                   birth_date=birth)
    with SessionLocal() as session:
        return service.lookup(session, req, s)


def test_per_client_with_many_numbers_and_senders():
    s, client = settings(lookup_client_max_failures=7), unique("client-")
    # new sender and new number every time: only the client ties the tries together
    assert [look(s, client=client).result for _ in range(7)] == ["not_found"] * 7
    out = look(s, client=client)
    assert out.result == "locked" and 55 <= out.retry_after <= 60
    # the same sender and number from another client are not held up
    assert look(s, client=unique("client-")).result == "not_found"


def test_per_sender_with_many_numbers():
    s, sender = settings(), unique("line:U")
    assert [look(s, sender=sender).result for _ in range(5)] == ["not_found"] * 5
    assert look(s, sender=sender).result == "locked"
    assert look(s).result == "not_found"  # anyone else goes on


def test_per_number_with_many_clients_and_the_applicant_gets_through():
    s = settings(lookup_delay_s=1.0, lookup_max_delay_s=8.0)
    number = make_application(dt.date(1990, 4, 1))
    for _ in range(5):  # five guessers, each a new sender from a new client
        assert look(s, number=number, client=unique("client-")).result == "not_found"
    out = look(s, number=number, client=unique("client-"), birth=dt.date(1990, 4, 1))
    assert out.result == "locked" and out.retry_after == 1
    # the real applicant waits the delay, not an hour, and then gets through
    import time

    time.sleep(1.1)
    out = look(s, number=number, client=unique("client-"), birth=dt.date(1990, 4, 1))
    assert out.result == "found" and out.application.number == number
    # and that success forgot the number's tries: the next guess is free again
    assert look(s, number=number).result == "not_found"


def test_delays_grow_and_end():
    s = settings(lookup_max_failures=2, lookup_delay_s=10.0, lookup_max_delay_s=40.0)
    keys = throttle.keys(unique("web:"), None, unknown_number())
    t0 = 1_000_000.0
    with SessionLocal() as session:
        assert throttle.claim(session, keys, s, now=t0) == 0
        assert throttle.claim(session, keys, s, now=t0 + 1) == 0  # 2nd: free, but the next waits 10 s
        assert throttle.claim(session, keys, s, now=t0 + 2) == pytest.approx(9)
        assert throttle.claim(session, keys, s, now=t0 + 11) == 0  # 3rd: the next waits 20 s
        assert throttle.claim(session, keys, s, now=t0 + 12) == pytest.approx(19)
        assert throttle.claim(session, keys, s, now=t0 + 31) == 0  # 4th: 40 s
        assert throttle.claim(session, keys, s, now=t0 + 32) == pytest.approx(39)
        assert throttle.claim(session, keys, s, now=t0 + 71) == 0  # 5th: still 40 s (the cap)
        assert throttle.claim(session, keys, s, now=t0 + 72) == pytest.approx(39)


def test_a_keys_tries_are_forgotten_after_its_window():
    s = settings(lookup_max_failures=2, lookup_delay_s=10.0, lookup_window_s=600)
    keys = throttle.keys(unique("web:"), None, unknown_number())
    t0 = 2_000_000.0
    with SessionLocal() as session:
        throttle.claim(session, keys, s, now=t0)
        throttle.claim(session, keys, s, now=t0 + 1)
        assert throttle.claim(session, keys, s, now=t0 + 500) == 0  # 3rd try within the window: the next waits
        assert throttle.claim(session, keys, s, now=t0 + 505) > 0
        # a window without tries: counting starts again, the first tries are free
        assert throttle.claim(session, keys, s, now=t0 + 1200) == 0
        assert throttle.claim(session, keys, s, now=t0 + 1201) == 0


def test_overall_limit():
    s = settings(lookup_rate_all="3/minute")
    assert [look(s).result for _ in range(3)] == ["not_found"] * 3
    out = look(s)
    assert out.result == "locked" and out.retry_after >= 1


def test_concurrent_wrong_tries_cannot_pass_the_limit():
    s = settings()
    number = unknown_number()
    n = 24
    barrier = threading.Barrier(n)
    results: list[str] = []
    lock = threading.Lock()

    def guess():
        barrier.wait()
        out = look(s, number=number)  # each a new sender, no client: only the number ties them
        with lock:
            results.append(out.result)

    threads = [threading.Thread(target=guess) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == n
    assert results.count("not_found") == s.lookup_max_failures
    assert results.count("locked") == n - s.lookup_max_failures


def test_failure_spike_is_shown_on_the_console(client):
    s = settings(lookup_alert="3/10 minutes")
    with SessionLocal() as session:
        before = session.scalar(select(LookupAlert).order_by(LookupAlert.id.desc()).limit(1))
    for _ in range(6):
        look(s)
    with SessionLocal() as session:
        alert = session.scalar(select(LookupAlert).order_by(LookupAlert.id.desc()).limit(1))
    assert alert is not None and (before is None or alert.id != before.id or alert.failures > before.failures)
    assert alert.failures >= 3
    b, _ = logged_in(client, "viewer")
    page = b.get("/admin").text
    assert "申請状況の確認で、一致しない入力が急に増えています" in page


def test_web_chat_gives_the_action_server_its_client(client, monkeypatch):
    """The per-client limit needs the resident's client: the chat passes a keyed hash to Rasa,
    whose action sends it with the look-up (never the address itself)."""
    seen = {}

    async def send(sender, message, channel, metadata=None):
        seen.update(metadata or {})
        return [{"recipient_id": sender, "text": "はい"}]

    monkeypatch.setattr(client.app.state.rasa, "send", send)
    assert client.post("/api/chat", json={"text": "申請の状況を確認したい"}).status_code == 200
    assert seen["client"] == ratelimit.client_tag("testclient") and "testclient" not in seen["client"]
    number = make_application(dt.date(1985, 6, 15))
    r = client.post("/internal/applications/lookup", headers={"Authorization": "Bearer internal-test-token"},
                    json={"sender": unique("web:"), "number": number, "birth_date": "1985-06-15",
                          "client": seen["client"]})
    assert r.status_code == 200 and r.json()["result"] == "found"
