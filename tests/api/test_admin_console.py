"""The staff console (/admin): log-in, sessions, CSRF, roles, tickets, accounts, audit, escaping."""
import datetime as dt
import hashlib
import html
import itertools
import uuid
import re
import time
from pathlib import Path

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from tests.api.conftest import INTERNAL

PASSWORD = "correct horse battery"
_ids = itertools.count(1)
PUBLIC = {("GET", "/admin/login"), ("POST", "/admin/login"), ("GET", "/admin/console.css")}


@pytest.fixture(autouse=True)
def _plain_http_cookies(monkeypatch):
    # TestClient speaks http://testserver: a Secure cookie would not come back.
    monkeypatch.setenv("MADOGUCHI_INSECURE_COOKIES", "1")


# -- helpers --------------------------------------------------------------------------
def _db():
    from api.db import SessionLocal

    return SessionLocal()


def make_user(role: str, name: str | None = None, password: str = PASSWORD) -> str:
    from api.admin import accounts

    # unique across modules: pytest may import this module twice (as itself and through an
    # importing test module), each copy with a counter of its own
    login = f"{role}-{uuid.uuid4().hex[:12]}"
    with _db() as s:
        accounts.create_user(s, login, name or f"{role}さん", role, password, actor="test")
    return login


def user_row(login: str):
    from api.admin.models import StaffUser

    with _db() as s:
        return s.scalar(select(StaffUser).where(StaffUser.login == login))


def audit_rows(action: str, target: str | None = None) -> list:
    from api.admin.models import AuditLog

    with _db() as s:
        stmt = select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)
        if target is not None:
            stmt = stmt.where(AuditLog.target == target)
        return list(s.scalars(stmt))


def csrf(page_html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page_html).group(1)


def login_error(page_html: str) -> str:
    return re.search(r'<p class="error" id="login-error" role="alert">(.*?)</p>', page_html, re.S).group(1)


def browser(client) -> TestClient:
    """A browser of its own (its own cookies) on the app that the `client` fixture started."""
    return TestClient(client.app, follow_redirects=False)


def try_login(b: TestClient, login: str, password: str = PASSWORD, next_path: str = ""):
    token = csrf(b.get("/admin/login").text)
    return b.post("/admin/login", data={"login": login, "password": password, "csrf_token": token, "next": next_path})


def logged_in(client, role: str, name: str | None = None) -> tuple[TestClient, str]:
    login = make_user(role, name)
    b = browser(client)
    r = try_login(b, login)
    assert r.status_code == 303 and r.headers["location"] == "/admin", r.text
    return b, login


def make_ticket(client, question="土曜日に住民票を受け取れますか", channel="web", sender=None, transcript=None) -> str:
    sender = sender or ("web:" + hashlib.md5(str(next(_ids)).encode()).hexdigest() if channel == "web"
                        else f"line:U{next(_ids):032x}")
    body = {"sender": sender, "channel": channel, "question": question,
            "transcript": transcript if transcript is not None else [{"who": "resident", "text": question}]}
    r = client.post("/internal/tickets", json=body, headers=INTERNAL)
    assert r.status_code == 201, r.text
    return r.json()["number"]


def ticket_row(number: str):
    from api.tickets import service

    with _db() as s:
        return service.get(s, number)


def set_cookies(response, name: str) -> list[str]:
    return [c for c in response.headers.get_list("set-cookie") if c.startswith(name + "=")]


def console_routes(app) -> list[tuple[str, str]]:
    found = set()
    for route in iter_route_contexts(app.routes):
        if route.path and route.path.startswith("/admin"):
            found |= {(method, route.path) for method in (route.methods or ()) if method != "HEAD"}
    return sorted(found)


def fill(path: str, number: str, user_id: int) -> str:
    return path.replace("{number}", number).replace("{user_id}", str(user_id))


# -- anonymous access -----------------------------------------------------------------
def test_every_console_route_refuses_anonymous_access(client):
    routes = console_routes(client.app)
    # the list comes from the app itself; make sure it is the real one
    assert {("GET", "/admin"), ("GET", "/admin/tickets"), ("GET", "/admin/tickets/{number}"),
            ("POST", "/admin/tickets/{number}/answer"), ("POST", "/admin/tickets/{number}/close"),
            ("GET", "/admin/users"), ("POST", "/admin/users"), ("POST", "/admin/logout")} <= set(routes)
    marker = "匿名アクセス確認用の質問ABC"
    number = make_ticket(client, question=marker)
    target = make_user("viewer", name="匿名確認さん")
    users_before = len(audit_rows("user.create"))
    for cookie in (None, "not-a-session", "x" * 300):
        b = browser(client)
        if cookie:
            b.cookies.set("madoguchi_staff", cookie, path="/admin")
        for method, path in routes:
            if (method, path) in PUBLIC:
                continue
            url = fill(path, number, user_row(target).id)
            data = {"csrf_token": "guess", "answer": "勝手な回答", "login": "intruder", "name": "侵入者",
                    "role": "admin", "password": "p" * 16, "password_again": "p" * 16}
            r = b.request(method, url, data=data if method == "POST" else None)
            assert r.status_code in (303, 401, 403), (method, path, r.status_code)
            if r.status_code == 303:
                assert r.headers["location"].startswith("/admin/login"), (method, path)
            assert marker not in r.text and "匿名確認さん" not in r.text, (method, path)
    t = ticket_row(number)
    assert t.status == "open" and t.answer is None
    assert user_row(target).active and user_row("intruder") is None
    assert len(audit_rows("user.create")) == users_before


def test_public_console_routes_show_no_data(client):
    b = browser(client)
    page = b.get("/admin/login")
    assert page.status_code == 200 and 'lang="ja"' in page.text and "<h1>ログイン</h1>" in page.text
    assert "問い合わせ" not in page.text.split("<main", 1)[1]
    assert b.get("/admin/console.css").headers["content-type"].startswith("text/css")
    # a log-in form posted without its token (e.g. from another site) is refused
    fresh = browser(client)
    r = fresh.post("/admin/login", data={"login": "x", "password": "y" * 12, "csrf_token": "forged"})
    assert r.status_code == 403 and "madoguchi_staff" not in r.headers.get("set-cookie", "")


def test_anonymous_page_request_goes_to_login_and_back(client):
    login = make_user("viewer")
    b = browser(client)
    r = b.get("/admin/tickets", params={"status": "all"})
    assert r.status_code == 303 and r.headers["location"] == "/admin/login?next=/admin/tickets"
    page = b.get(r.headers["location"])
    assert 'name="next" value="/admin/tickets"' in page.text
    r = b.post("/admin/login", data={"login": login, "password": PASSWORD, "csrf_token": csrf(page.text),
                                     "next": "/admin/tickets"})
    assert r.status_code == 303 and r.headers["location"] == "/admin/tickets"
    # never off the console
    for evil in ("//evil.example/admin", "https://evil.example/", "/api/admin/faqs", "/admin\\@evil"):
        b2 = browser(client)
        assert try_login(b2, login, next_path=evil).headers["location"] == "/admin"


# -- sessions and cookies ---------------------------------------------------------------
def test_login_logout_cookie_flags_and_audit(client, monkeypatch):
    from api.admin.models import StaffSession

    login = make_user("viewer", name="閲覧 花子")
    b = browser(client)
    r = try_login(b, login)
    assert r.status_code == 303
    [cookie] = set_cookies(r, "madoguchi_staff")
    flags = [part.strip().lower() for part in cookie.split(";")]
    assert "httponly" in flags and "samesite=strict" in flags and "path=/admin" in flags
    assert "max-age=28800" in flags and "secure" not in flags  # 8 h; plain http only with the dev switch
    token = cookie.split(";", 1)[0].split("=", 1)[1]
    with _db() as s:  # only the token's hash is stored
        assert s.scalar(select(StaffSession).where(StaffSession.token_hash == token)) is None
        row = s.scalar(select(StaffSession).where(
            StaffSession.token_hash == hashlib.sha256(token.encode()).hexdigest()))
        assert row is not None and row.user_id == user_row(login).id
    home = b.get("/admin")
    assert home.status_code == 200 and "閲覧 花子" in home.text and "公開中のFAQ" in home.text
    assert audit_rows("login.success", login)

    # logging out needs the form's token too
    assert b.post("/admin/logout").status_code == 403
    assert b.get("/admin").status_code == 200
    r = b.post("/admin/logout", data={"csrf_token": csrf(home.text)})
    assert r.status_code == 303 and r.headers["location"].startswith("/admin/login")
    [cleared] = set_cookies(r, "madoguchi_staff")
    assert "max-age=0" in cleared.lower()
    assert b.get("/admin").status_code == 303
    b.cookies.set("madoguchi_staff", token, path="/admin")  # the old token is dead for good
    assert b.get("/admin").status_code == 303
    assert audit_rows("logout", login)

    # Secure unless MADOGUCHI_INSECURE_COOKIES=1
    monkeypatch.delenv("MADOGUCHI_INSECURE_COOKIES")
    assert browser(client).get("/admin/login").headers["set-cookie"].lower().count("secure") == 1
    b2 = TestClient(client.app, base_url="https://testserver", follow_redirects=False)
    r = try_login(b2, login)
    assert r.status_code == 303 and b2.get("/admin").status_code == 200
    assert "secure" in [p.strip().lower() for p in set_cookies(r, "madoguchi_staff")[0].split(";")]
    assert all("secure" in [p.strip().lower() for p in c.split(";")] for c in set_cookies(r, "madoguchi_login"))


def test_session_expires(client, monkeypatch):
    from api.admin.models import StaffSession

    monkeypatch.setenv("MADOGUCHI_STAFF_SESSION_HOURS", "1")
    login = make_user("viewer")
    b = browser(client)
    r = try_login(b, login)
    assert "max-age=3600" in set_cookies(r, "madoguchi_staff")[0].lower()
    assert b.get("/admin").status_code == 200
    uid = user_row(login).id
    with _db() as s:
        row = s.scalar(select(StaffSession).where(StaffSession.user_id == uid))
        assert abs((row.expires_at - row.created_at) - dt.timedelta(hours=1)) < dt.timedelta(seconds=5)
        s.execute(update(StaffSession).where(StaffSession.user_id == uid)
                  .values(expires_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)))
        s.commit()
    r = b.get("/admin/tickets")
    assert r.status_code == 303 and r.headers["location"].startswith("/admin/login")
    with _db() as s:  # the expired session is gone
        assert s.scalar(select(StaffSession).where(StaffSession.user_id == uid)) is None


# -- log-in failures ------------------------------------------------------------------------
def test_failed_logins_make_the_account_wait(client):
    from api.admin.models import StaffUser

    login = make_user("editor")
    b = browser(client)
    # four failures, then the right password: not locked, counter back to zero
    for _ in range(4):
        assert try_login(b, login, "wrong password!!").status_code == 401
    assert user_row(login).failed_logins == 4
    assert try_login(browser(client), login).status_code == 303
    assert user_row(login).failed_logins == 0

    messages = set()
    for _ in range(5):
        r = try_login(b, login, "wrong password!!")
        assert r.status_code == 401 and "madoguchi_staff" not in r.headers.get("set-cookie", "")
        messages.add(login_error(r.text))
    row = user_row(login)
    locked_until = row.locked_until.replace(tzinfo=dt.timezone.utc)
    # the fifth failure in a row starts the shortest wait (MADOGUCHI_STAFF_LOGIN_DELAY_S), not a long lock
    expected = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=30)
    assert abs(locked_until - expected) < dt.timedelta(seconds=10)
    # waiting: the right password fails too, with the very same message
    r = try_login(b, login)
    assert r.status_code == 401
    messages.add(login_error(r.text))
    # unknown account: the same message again
    r = try_login(b, "no-such-person")
    assert r.status_code == 401
    messages.add(login_error(r.text))
    assert len(messages) == 1 and "5回" in messages.pop()
    reasons = [a.details["reason"] for a in audit_rows("login.failure", login)]
    assert reasons.count("password") == 9 and reasons[-1] == "locked"
    assert audit_rows("login.failure", "no-such-person")[-1].details["reason"] == "unknown"
    # once the wait is over the account opens again
    with _db() as s:
        s.execute(update(StaffUser).where(StaffUser.login == login)
                  .values(locked_until=dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)))
        s.commit()
    assert try_login(browser(client), login).status_code == 303


def test_login_form_echo_is_escaped(client):
    r = try_login(browser(client), '"><script>alert(1)</script>')
    assert r.status_code == 401
    assert "<script>alert(1)</script>" not in r.text and "&#34;&gt;&lt;script&gt;" in r.text


# -- CSRF -----------------------------------------------------------------------------
def test_post_without_csrf_token_is_refused_and_changes_nothing(client):
    b, me = logged_in(client, "admin")
    other, other_login = logged_in(client, "editor")
    number = make_ticket(client)
    target = make_user("viewer")
    uid = user_row(target).id
    other_token = csrf(other.get("/admin").text)
    for method, path in console_routes(client.app):
        if method != "POST" or (method, path) in PUBLIC:
            continue
        url = fill(path, number, uid)
        if path == "/admin/logout":
            continue  # checked below: it would end this browser's session
        data = {"answer": "勝手な回答", "login": f"csrf{next(_ids)}", "name": "偽物", "role": "admin",
                "password": "q" * 16, "password_again": "q" * 16}
        for token in (None, "", "wrong", other_token):  # missing, empty, wrong, another session's
            body = dict(data) if token is None else {**data, "csrf_token": token}
            r = b.post(url, data=body)
            assert r.status_code == 403, (path, token, r.status_code)
            assert "ページを開き直して" in r.text
        assert user_row(data["login"]) is None
    t = ticket_row(number)
    assert t.status == "open" and t.answer is None
    row = user_row(target)
    assert row.active and row.failed_logins == 0
    assert b.post("/admin/logout", data={"csrf_token": other_token}).status_code == 403
    assert b.get("/admin").status_code == 200  # still logged in
    # a JSON body carries no form token either
    r = b.post(f"/admin/tickets/{number}/answer", json={"answer": "x", "csrf_token": csrf(b.get("/admin").text)})
    assert r.status_code == 403 and ticket_row(number).answer is None


# -- roles ------------------------------------------------------------------------------
def test_viewer_reads_but_cannot_answer_or_manage_users(client):
    b, me = logged_in(client, "viewer")
    number = make_ticket(client, question="閲覧者の確認用の質問")
    page = b.get(f"/admin/tickets/{number}")
    assert page.status_code == 200 and "閲覧者の確認用の質問" in page.text
    assert 'name="answer"' not in page.text and "/close" not in page.text
    token = csrf(page.text)
    for url in (f"/admin/tickets/{number}/answer", f"/admin/tickets/{number}/close"):
        r = b.post(url, data={"csrf_token": token, "answer": "閲覧者の回答"})
        assert r.status_code == 403 and "権限がありません" in r.text and 'lang="ja"' in r.text
    t = ticket_row(number)
    assert t.status == "open" and t.answer is None
    assert b.get("/admin/users").status_code == 403
    assert "/admin/users" not in b.get("/admin").text  # not offered in the menu
    r = b.post("/admin/users", data={"csrf_token": token, "login": "made-by-viewer", "name": "x", "role": "admin",
                                     "password": "v" * 16, "password_again": "v" * 16})
    assert r.status_code == 403 and user_row("made-by-viewer") is None
    victim = user_row(make_user("editor"))
    assert b.post(f"/admin/users/{victim.id}/deactivate", data={"csrf_token": token}).status_code == 403
    assert b.get(f"/admin/users/{victim.id}").status_code == 403
    assert user_row(victim.login).active


def test_editor_answers_but_cannot_manage_users(client):
    b, _ = logged_in(client, "editor")
    token = csrf(b.get("/admin").text)
    assert b.get("/admin/users").status_code == 403
    r = b.post("/admin/users", data={"csrf_token": token, "login": "made-by-editor", "name": "x", "role": "admin",
                                     "password": "e" * 16, "password_again": "e" * 16})
    assert r.status_code == 403 and user_row("made-by-editor") is None
    number = make_ticket(client)
    assert 'name="answer"' in b.get(f"/admin/tickets/{number}").text


# -- tickets ----------------------------------------------------------------------------
def test_console_answer_is_delivered_like_the_staff_api(client, monkeypatch):
    from api.tickets import service

    calls = []
    real = service.answer

    def spy(*args, **kwargs):
        calls.append(args[2])
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "answer", spy)  # the console uses the one delivery function
    b, me = logged_in(client, "editor")
    sender = "web:" + "e" * 32
    number = make_ticket(client, sender=sender)
    page = b.get(f"/admin/tickets/{number}")
    r = b.post(f"/admin/tickets/{number}/answer",
               data={"csrf_token": csrf(page.text), "answer": "  第2・第4土曜の午前に受け取れます。\n\n市民課  "})
    assert r.status_code == 303 and r.headers["location"] == f"/admin/tickets/{number}?done=answered"
    assert calls == ["第2・第4土曜の午前に受け取れます。\n市民課"]  # checked like the api's AnswerIn
    shown = b.get(r.headers["location"]).text
    assert "回答を保存しました" in shown and "第2・第4土曜" in shown
    inbox = client.get("/api/chat/inbox", params={"sender": sender}).json()["messages"]
    assert len(inbox) == 1 and number in inbox[0]["text"] and "第2・第4土曜" in inbox[0]["text"]
    assert client.get("/api/chat/inbox", params={"sender": sender}).json() == {"messages": []}
    [row] = audit_rows("ticket.answer", number)
    assert row.actor == me and row.details["answer"].startswith("第2・第4土曜")

    # LINE: a push job of the LINE queue, stored by the answer's commit and sent by the api's worker
    # (here to a stand-in for LINE that is down for the first tries; tests/api/test_line_queue.py has more)
    from api.config import get_settings
    from tests.e2e.conftest import LinePlatform

    platform = LinePlatform()
    try:
        settings = get_settings().model_copy(update=dict(line_api_base=platform.base, line_retry_base_s=0.2))
        monkeypatch.setattr("api.channels.line.get_settings", lambda: settings)
        user = "U" + uuid.uuid4().hex
        mine = lambda c: c["path"] == "/v2/bot/message/push" and (c["body"] or {}).get("to") == user  # noqa: E731
        platform.fail(1, 503, match=mine)
        line_number = make_ticket(client, channel="line", sender=f"line:{user}")
        page = b.get(f"/admin/tickets/{line_number}")
        r = b.post(f"/admin/tickets/{line_number}/answer", data={"csrf_token": csrf(page.text), "answer": "LINEへの回答"})
        assert r.headers["location"].endswith("done=answered_line")
        assert "自動で送り直します" in b.get(r.headers["location"]).text
        assert audit_rows("ticket.answer", line_number)[0].details["channel"] == "line"
        platform.wait_for(lambda c: mine(c) and c["status"] == 200, timeout_s=30)
        [shown] = platform.delivered(mine)
        assert "LINEへの回答" in shown["body"]["messages"][0]["text"] and line_number in shown["body"]["messages"][0]["text"]
        deadline = time.monotonic() + 10
        while ticket_row(line_number).delivered_at is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ticket_row(line_number).delivered_at is not None
    finally:
        platform.close()


def test_empty_answer_and_unknown_ticket(client):
    b, _ = logged_in(client, "editor")
    number = make_ticket(client)
    token = csrf(b.get(f"/admin/tickets/{number}").text)
    r = b.post(f"/admin/tickets/{number}/answer", data={"csrf_token": token, "answer": "   \n  "})
    assert r.status_code == 422 and "回答を入力してください" in r.text and 'aria-invalid="true"' in r.text
    assert ticket_row(number).answer is None
    r = b.get("/admin/tickets/Q-1999-999999")
    assert r.status_code == 404 and "受付番号が見つかりません" in r.text
    assert b.post("/admin/tickets/Q-1999-999999/answer", data={"csrf_token": token, "answer": "x"}).status_code == 404


def test_close_ticket_then_no_answer(client):
    b, me = logged_in(client, "editor")
    number = make_ticket(client)
    token = csrf(b.get(f"/admin/tickets/{number}").text)
    r = b.post(f"/admin/tickets/{number}/close", data={"csrf_token": token})
    assert r.status_code == 303 and ticket_row(number).status == "closed"
    page = b.get(r.headers["location"]).text
    assert "対応を終了しました" in page and 'name="answer"' not in page
    r = b.post(f"/admin/tickets/{number}/answer", data={"csrf_token": token, "answer": "遅い回答"})
    assert r.status_code == 409 and ticket_row(number).answer is None
    [row] = audit_rows("ticket.close", number)
    assert row.actor == me and row.details == {"was": "open"}
    assert number in b.get("/admin/tickets", params={"status": "closed"}).text
    assert number not in b.get("/admin/tickets", params={"status": "open"}).text


def test_ticket_list_filters_and_highlights_overdue(client):
    from api.config import get_settings
    from api.tickets.models import Ticket

    b, _ = logged_in(client, "viewer")
    late, fresh = make_ticket(client, question="遅れている質問"), make_ticket(client, question="新しい質問")
    hours = 24 * get_settings().ticket_answer_days
    with _db() as s:
        year, seq = int(late[2:6]), int(late[-6:])
        s.execute(update(Ticket).where(Ticket.year == year, Ticket.seq == seq)
                  .values(created_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=hours + 1)))
        s.commit()
    page = b.get("/admin/tickets").text  # default: open ones
    rows = {m.group(2): m.group(1) for m in re.finditer(r'<tr( class="overdue")?>\s*<th scope="row"><a href="/admin/tickets/(Q-[^"]+)"', page)}
    assert rows[late] == ' class="overdue"' and rows[fresh] is None
    late_row = page.split(f'href="/admin/tickets/{late}"', 1)[1].split("</tr>", 1)[0]
    assert "期限超過" in late_row  # said in words, not by colour alone
    assert "期限超過" in b.get(f"/admin/tickets/{late}").text
    assert "期限超過" not in b.get(f"/admin/tickets/{fresh}").text
    counts = re.findall(r'<p class="count">(\d+)', b.get("/admin").text)
    assert int(counts[0]) >= 2 and int(counts[1]) >= 1 and int(counts[2]) > 200  # open, overdue, FAQs
    assert b.get("/admin/tickets", params={"status": "bogus"}).status_code == 200


def test_ticket_list_pages(client, monkeypatch):
    from api.admin import routes

    monkeypatch.setattr(routes, "TICKET_PAGE_SIZE", 2)
    b, _ = logged_in(client, "viewer")
    made = [make_ticket(client, question=f"ページ送りの確認{i}") for i in range(3)]
    seen, url, pages = [], "/admin/tickets?status=all", 0
    while url:
        page = b.get(url).text
        pages += 1
        rows = re.findall(r'<th scope="row"><a href="/admin/tickets/(Q-[^"]+)">', page)
        assert 1 <= len(rows) <= 2 and ("前へ" in page) == (pages > 1)
        seen += rows
        nxt = re.search(r'<a href="([^"]+)" rel="next">次へ</a>', page)
        url = html.unescape(nxt.group(1)) if nxt else None
        if pages == 1:
            assert url == "/admin/tickets?status=all&page=2"
    total = int(re.search(r"すべての問い合わせ（(\d+)件", page).group(1))
    assert len(seen) == len(set(seen)) == total and pages == -(-total // 2)
    assert seen[:3] == made[::-1]  # newest first
    assert b.get("/admin/tickets", params={"status": "open", "page": "x"}).status_code == 422


def test_html_in_questions_and_names_is_escaped(client):
    attack = '<script>alert("x")</script><b onmouseover="alert(1)">太字</b>'
    number = make_ticket(client, question=attack, transcript=[{"who": "resident", "text": attack},
                                                              {"who": "bot", "text": "<i>ボット</i>"}])
    b, _ = logged_in(client, "admin", name='<img src=x onerror="alert(1)">管理')
    for url in (f"/admin/tickets/{number}", "/admin/tickets", "/admin/users", "/admin"):
        body = b.get(url).text
        assert "<script>alert" not in body and "<b onmouseover" not in body and "<img src=x" not in body, url
        assert "<i>ボット</i>" not in body
    detail = b.get(f"/admin/tickets/{number}").text
    assert html.escape(attack, quote=False).replace('"', "&#34;") in detail
    assert "&lt;img src=x onerror=" in b.get("/admin/users").text
    # and nothing in the templates can turn escaping off
    templates = Path(__file__).resolve().parents[2] / "api" / "admin" / "templates"
    for path in templates.glob("*.html"):
        text = path.read_text()
        assert "|safe" not in text.replace(" ", "") and "autoescape" not in text and "Markup" not in text, path


def test_security_headers(client):
    b, _ = logged_in(client, "viewer")
    for r in (b.get("/admin"), browser(client).get("/admin/login")):
        assert r.headers["cache-control"] == "no-store"
        assert "default-src 'none'" in r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"


def test_pages_are_accessible_by_structure(client):
    b, _ = logged_in(client, "admin")
    number = make_ticket(client)
    for url in ("/admin", "/admin/tickets", f"/admin/tickets/{number}", "/admin/users", "/admin/login"):
        body = (b if url != "/admin/login" else browser(client)).get(url).text
        assert '<html lang="ja">' in body and body.count("<h1>") == 1 and '<main id="main"' in body
        # every visible form control has a label
        ids = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', body)
        controls = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*>', body)
        assert len(ids) == len(controls), url
        for control_id in ids:
            assert f'<label for="{control_id}">' in body, (url, control_id)
    css = browser(client).get("/admin/console.css").text
    assert ":focus-visible" in css


# -- accounts (admin) ------------------------------------------------------------------------
def test_admin_manages_accounts_with_audit(client):
    b, me = logged_in(client, "admin")
    page = b.get("/admin/users")
    assert page.status_code == 200 and me in page.text
    token = csrf(page.text)
    new_login = f"staff{next(_ids)}"
    form = {"csrf_token": token, "login": new_login, "name": "新人 職員", "role": "editor",
            "password": "first password 1", "password_again": "first password 1"}
    for bad, message in (({"password": "short", "password_again": "short"}, "12文字以上"),
                         ({"password_again": "something else!"}, "一致しません"),
                         ({"role": "root"}, "役割"), ({"login": "ユーザー"}, "ログインID")):
        r = b.post("/admin/users", data={**form, **bad})
        assert r.status_code == 422 and message in r.text, bad
        assert user_row(new_login) is None
    r = b.post("/admin/users", data=form)
    assert r.status_code == 303 and r.headers["location"] == "/admin/users?done=created"
    assert user_row(new_login).role == "editor"
    r = b.post("/admin/users", data=form)
    assert r.status_code == 422 and "既に使われています" in r.text
    [created] = audit_rows("user.create", new_login)
    assert created.actor == me and created.details["role"] == "editor"

    # the new member logs in; a reset ends their sessions and changes the password
    staff = browser(client)
    assert try_login(staff, new_login, "first password 1").status_code == 303
    uid = user_row(new_login).id
    r = b.post(f"/admin/users/{uid}/password",
               data={"csrf_token": token, "password": "second password 2", "password_again": "second password 2"})
    assert r.status_code == 303
    assert staff.get("/admin").status_code == 303
    assert try_login(browser(client), new_login, "first password 1").status_code == 401
    assert try_login(browser(client), new_login, "second password 2").status_code == 303
    assert audit_rows("user.password_reset", new_login)[0].actor == me

    # deactivation logs them out and keeps them out
    staff = browser(client)
    assert try_login(staff, new_login, "second password 2").status_code == 303
    r = b.post(f"/admin/users/{uid}/deactivate", data={"csrf_token": token})
    assert r.status_code == 303 and not user_row(new_login).active
    assert staff.get("/admin").status_code == 303
    assert try_login(browser(client), new_login, "second password 2").status_code == 401
    assert audit_rows("user.deactivate", new_login)[0].actor == me
    assert "無効" in b.get(f"/admin/users/{uid}").text

    # an admin cannot lock themselves out; the admin's own session survives their own reset
    my_id = user_row(me).id
    r = b.post(f"/admin/users/{my_id}/deactivate", data={"csrf_token": token})
    assert r.status_code == 409 and user_row(me).active
    r = b.post(f"/admin/users/{my_id}/password",
               data={"csrf_token": token, "password": "my new password", "password_again": "my new password"})
    assert r.status_code == 303 and b.get("/admin/users").status_code == 200
    assert b.get("/admin/users/999999").status_code == 404
