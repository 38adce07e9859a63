"""Abuse limits on the public endpoints (api.ratelimit): rates per client and overall, the end
of a window, body sizes before parsing (LINE's webhook too), console log-in delays."""
import base64
import hashlib
import hmac
import json
import time

import pytest
from fastapi.testclient import TestClient

from api import ratelimit
from api.config import get_settings
from tests.api.test_admin_console import PASSWORD, audit_rows, csrf, make_user, try_login, user_row

SEARCH = "/api/faq/search"


@pytest.fixture(autouse=True)
def _plain_http_cookies(monkeypatch):
    # TestClient speaks http://testserver: a Secure cookie would not come back.
    monkeypatch.setenv("MADOGUCHI_INSECURE_COOKIES", "1")


@pytest.fixture
def limits(client):
    """Fresh counters with some settings changed; the suite's own afterwards."""
    def configure(**changes):
        return ratelimit.configure(get_settings().model_copy(update=changes))
    yield configure
    ratelimit.configure()


def at(client, address: str) -> TestClient:
    """A client talking from `address`, on the app the `client` fixture started."""
    return TestClient(client.app, client=(address, 40000), follow_redirects=False)


def retry_after(r) -> int:
    value = int(r.headers["Retry-After"])
    assert value >= 1
    return value


# -- rates ------------------------------------------------------------------------------------
def test_per_client_limit_is_per_client(client, limits):
    limits(rate_search="3/minute", rate_search_all="1000/minute")
    a, b = at(client, "198.51.100.1"), at(client, "198.51.100.2")
    for _ in range(3):
        assert a.get(SEARCH, params={"q": "住民票"}).status_code == 200
    r = a.get(SEARCH, params={"q": "住民票"})
    assert r.status_code == 429
    assert "短い時間に多くの送信がありました" in r.json()["detail"]
    assert 1 <= retry_after(r) <= 60
    # another client is not affected
    assert b.get(SEARCH, params={"q": "住民票"}).status_code == 200


def test_overall_limit_counts_every_client(client, limits):
    limits(rate_search="100/minute", rate_search_all="4/minute")
    for i in range(4):
        assert at(client, f"198.51.100.{10 + i}").get(SEARCH, params={"q": "ごみ"}).status_code == 200
    r = at(client, "198.51.100.99").get(SEARCH, params={"q": "ごみ"})
    assert r.status_code == 429 and "混み合っています" in r.json()["detail"]
    retry_after(r)


def test_the_garbage_lists_search_counts_as_a_search(client, limits):
    """/api/gomi/search runs the FAQ's search too (and embeds a message that names nothing of the list): one budget."""
    limits(rate_search="2/minute", rate_search_all="1000/minute")
    a = at(client, "198.51.100.30")
    assert [a.get("/api/gomi/search", params={"q": "ふとん"}).status_code for _ in range(2)] == [200, 200]
    r = a.get(SEARCH, params={"q": "ふとん"})
    assert r.status_code == 429 and a.get("/api/gomi/search", params={"q": "ふとん"}).status_code == 429


def test_window_ends(client, limits):
    limits(rate_search="2/1 second", rate_search_all="1000/minute")
    a = at(client, "198.51.100.20")
    assert [a.get(SEARCH, params={"q": "税"}).status_code for _ in range(3)] == [200, 200, 429]
    time.sleep(1.2)
    assert a.get(SEARCH, params={"q": "税"}).status_code == 200


def test_forwarded_for_only_from_a_trusted_proxy(client, limits):
    limits(rate_search="1/minute", rate_search_all="1000/minute", trusted_proxies="10.0.0.0/8")
    proxy = at(client, "10.1.2.3")
    for resident in ("203.0.113.1", "203.0.113.2"):  # two residents behind the city's proxy
        r = proxy.get(SEARCH, params={"q": "保育"}, headers={"X-Forwarded-For": f"{resident}, 10.9.9.9"})
        assert r.status_code == 200
    assert proxy.get(SEARCH, params={"q": "保育"}, headers={"X-Forwarded-For": "203.0.113.1"}).status_code == 429
    # from an address that is not a trusted proxy the header is ignored: one client, whatever it claims
    other = at(client, "198.51.100.30")
    assert other.get(SEARCH, params={"q": "保育"}, headers={"X-Forwarded-For": "203.0.113.7"}).status_code == 200
    assert other.get(SEARCH, params={"q": "保育"}, headers={"X-Forwarded-For": "203.0.113.8"}).status_code == 429


def test_chat_429_is_readable_by_the_widget_on_another_site(client, limits):
    limits(rate_chat="1/minute", rate_chat_all="1000/minute")
    a = at(client, "198.51.100.40")
    origin = {"Origin": "https://www.city.example.jp"}
    a.post("/api/chat", json={"text": "住民票"}, headers=origin)  # Rasa is down in tests: 503
    r = a.post("/api/chat", json={"text": "住民票"}, headers=origin)
    assert r.status_code == 429 and r.headers["access-control-allow-origin"] == "*"
    retry_after(r)
    assert a.get("/api/chat/inbox", params={"sender": "web:" + "0" * 32}).status_code == 429


def test_line_webhook_and_console_login_are_limited(client, limits):
    limits(rate_line="2/minute", rate_line_all="1000/minute", rate_login="2/minute", rate_login_all="1000/minute")
    line = at(client, "198.51.100.50")
    codes = [line.post("/line/webhook", content=b"{}", headers={"X-Line-Signature": "x"}).status_code
             for _ in range(3)]
    assert codes == [401, 401, 429]
    b = at(client, "198.51.100.51")
    # each try opens the form first (a fresh CSRF token): the page itself is not counted
    assert [try_login(b, "nobody-here", "wrong password!!").status_code for _ in range(3)] == [401, 401, 429]
    r = try_login(b, "nobody-here", "wrong password!!")
    assert "text/html" in r.headers["content-type"] and "お試しください" in r.text
    retry_after(r)
    # pages (GET) are not counted toward the log-in limit
    assert b.get("/admin/login").status_code == 200


# -- body sizes -------------------------------------------------------------------------------
def _sign(raw: bytes) -> str:
    return base64.b64encode(hmac.new(b"line-test-secret", raw, hashlib.sha256).digest()).decode()


def test_oversize_json_is_413_before_parsing(client, limits):
    limits(max_body_bytes=2048)
    body = json.dumps({"text": "あ" * 3000}, ensure_ascii=False).encode()
    r = client.post("/api/chat", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and "大きすぎます" in r.json()["detail"]
    # streamed without a Content-Length: counted as it arrives
    r = client.post("/api/chat", content=iter([body[:1000], body[1000:]]),
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and "大きすぎます" in r.json()["detail"]
    # a body within the limit reaches the route as before (Rasa is down in tests: 503)
    assert client.post("/api/chat", json={"text": "住民票"}).status_code == 503


def test_oversize_line_webhook_is_413_before_the_signature(client, limits):
    limits(max_line_body_bytes=4096)
    raw = json.dumps({"destination": "U0", "events": [], "pad": "x" * 10000}).encode()
    r = client.post("/line/webhook", content=raw, headers={"X-Line-Signature": _sign(raw)})
    assert r.status_code == 413 and "大きすぎます" in r.json()["detail"]
    r = client.post("/line/webhook", content=iter([raw[:3000], raw[3000:]]),
                    headers={"X-Line-Signature": "forged"})
    assert r.status_code == 413  # not 401: the body was refused before any signature was computed
    small = json.dumps({"destination": "U0", "events": []}).encode()
    assert client.post("/line/webhook", content=small, headers={"X-Line-Signature": _sign(small)}).status_code == 200


# -- console log-in delays ---------------------------------------------------------------------
def test_login_delays_grow_and_end(client, limits):
    import datetime as dt

    from sqlalchemy import update

    from api.admin.accounts import login_delay
    from api.admin.models import StaffUser
    from api.db import SessionLocal

    assert [login_delay(n) for n in (1, 4, 5, 6, 7, 8)] == [0, 0, 30, 60, 120, 240]
    assert login_delay(40) == 15 * 60  # capped at MADOGUCHI_STAFF_LOCKOUT_MINUTES

    login = make_user("viewer")
    b = at(client, "198.51.100.60")

    def wait_of_last_failure() -> float:
        row = user_row(login)
        return (row.locked_until.replace(tzinfo=dt.timezone.utc) - dt.datetime.now(dt.timezone.utc)).total_seconds()

    def wait_over() -> None:
        with SessionLocal() as s:
            s.execute(update(StaffUser).where(StaffUser.login == login)
                      .values(locked_until=dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)))
            s.commit()

    for _ in range(5):
        assert try_login(b, login, "wrong password!!").status_code == 401
    waits = [wait_of_last_failure()]
    for _ in range(2):
        wait_over()
        assert try_login(b, login, "wrong password!!").status_code == 401
        waits.append(wait_of_last_failure())
    assert 25 < waits[0] <= 30 and 55 < waits[1] <= 60 and 115 < waits[2] <= 120
    assert try_login(b, login).status_code == 401  # waiting: even the right password
    wait_over()
    assert try_login(b, login).status_code == 303
    assert user_row(login).failed_logins == 0


def test_one_client_trying_many_accounts_waits(client, limits, monkeypatch):
    limits()
    monkeypatch.setenv("MADOGUCHI_STAFF_CLIENT_MAX_FAILED_LOGINS", "3")
    login = make_user("viewer")
    b = at(client, "198.51.100.70")
    for i in range(3):
        assert try_login(b, f"guess-{i}-{login}", "wrong password!!").status_code == 401
    delays = audit_rows("login.client_delay")
    assert delays and delays[-1].details == {"client": "198.51.100.70", "delay_s": 30.0}
    # this client now waits, whatever account it tries, the right password included; no rows written
    before = len(audit_rows("login.failure"))
    assert try_login(b, login).status_code == 401
    assert len(audit_rows("login.failure")) == before
    # another client is not held up
    assert try_login(at(client, "198.51.100.71"), login).status_code == 303


def test_unknown_login_ids_do_not_fill_the_audit_log(client, limits, monkeypatch):
    limits()
    monkeypatch.setenv("MADOGUCHI_UNKNOWN_LOGIN_AUDIT", "3/hour")
    for i in range(6):
        try_login(at(client, f"198.51.100.{80 + i}"), f"made-up-{i}-x", "wrong password!!")
    written = [r for r in audit_rows("login.failure") if r.target.startswith("made-up-")]
    assert len(written) == 3


def test_redis_storage(client):
    """The same limits, counted in Redis (MADOGUCHI_REDIS_URL): what several api processes share."""
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError as exc:
        pytest.skip(f"no Redis at 127.0.0.1:6379 ({type(exc).__name__}): the Redis storage is not tested")
    redis.Redis.from_url(url).flushdb()
    try:
        settings = get_settings().model_copy(update={"redis_url": url, "rate_search": "2/minute",
                                                     "rate_search_all": "1000/minute"})
        current = ratelimit.configure(settings)
        assert type(current.storage).__name__ == "RedisStorage"
        # the suite's own client: its event loop lives on (Redis connections belong to a loop)
        assert [client.get(SEARCH, params={"q": "年金"}).status_code for _ in range(3)] == [200, 200, 429]
        # a second process's limiter (a fresh one on the same Redis) sees the same count
        ratelimit.configure(settings)
        assert client.get(SEARCH, params={"q": "年金"}).status_code == 429
        assert redis.Redis.from_url(url).keys("*")  # counted there, not in memory
        assert ratelimit.Backoff("t", 1, 30, 60).failed("k") == 30
        assert 0 < ratelimit.Backoff("t", 1, 30, 60).wait("k") <= 30
    finally:
        redis.Redis.from_url(url).flushdb()
        ratelimit.configure()


def test_line_user_flood_is_asked_to_wait(client, limits):
    """LINE's webhook comes from LINE's platform: each user's turns are limited on their own."""
    from tests.api.test_line_unit import USER, FakeRasa, handle, text_event

    limits(rate_line_user="2/minute")
    rasa = FakeRasa()
    answers = [handle(rasa, text_event(f"住民票の写し {i}")) for i in range(3)]
    assert len(rasa.sent) == 2  # the third turn never reached Rasa
    [(_token, [asked_to_wait])] = answers[-1]
    assert "短い時間に多くの送信がありました" in asked_to_wait.text
    handle(rasa, text_event("住民票", user="U" + "0" * 32))  # another user goes on
    assert len(rasa.sent) == 3
