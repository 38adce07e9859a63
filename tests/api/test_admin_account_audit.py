"""The staff console: changing one's own password (/admin/account) and the audit log (/admin/audit)."""
import csv
import datetime as dt
import io
import itertools
import re

import pytest
from sqlalchemy import update

from tests.api.test_admin_console import PASSWORD, _db, audit_rows, browser, csrf, try_login, user_row

NEW = "a brand new passphrase"
_n = itertools.count(1)


def make_user(role: str, name: str | None = None) -> str:
    """As in test_admin_console, with login ids of this module's own (pytest imports that module twice)."""
    from api.admin import accounts

    login = f"acct-{role}{next(_n)}"
    with _db() as s:
        accounts.create_user(s, login, name or f"{role}さん", role, PASSWORD, actor="test")
    return login


def logged_in(client, role: str) -> tuple:
    login = make_user(role)
    b = browser(client)
    r = try_login(b, login)
    assert r.status_code == 303 and r.headers["location"] == "/admin", r.text
    return b, login


@pytest.fixture(autouse=True)
def _plain_http_cookies(monkeypatch):
    monkeypatch.setenv("MADOGUCHI_INSECURE_COOKIES", "1")


def change(b, current=PASSWORD, new=NEW, again=None, token=None):
    token = csrf(b.get("/admin/account").text) if token is None else token
    return b.post("/admin/account", data={"csrf_token": token, "current_password": current, "password": new,
                                          "password_again": new if again is None else again})


def error_text(page_html: str) -> str:
    return re.search(r'<p class="error" id="account-error" role="alert">(.*?)</p>', page_html, re.S).group(1)


def add_audit(actor: str, action: str, target: str = "", details: dict | None = None, count: int = 1) -> None:
    from api.admin import accounts

    with _db() as s:
        for _ in range(count):
            accounts.audit(s, actor, action, target, details)
        s.commit()


# -- changing one's own password ------------------------------------------------------------
@pytest.mark.parametrize("role", ["viewer", "editor", "admin"])
def test_every_role_changes_their_password(client, role):
    b, login = logged_in(client, role)
    other = browser(client)
    assert try_login(other, login).status_code == 303  # the same person on another computer
    home = b.get("/admin").text
    assert 'href="/admin/account"' in home
    page = b.get("/admin/account")
    assert page.status_code == 200 and "<h1>パスワードの変更</h1>" in page.text and login in page.text
    old_hash = user_row(login).password_hash

    r = change(b)
    assert r.status_code == 303 and r.headers["location"] == "/admin/account?done=password_changed"
    assert "パスワードを変更しました" in b.get(r.headers["location"]).text
    assert b.get("/admin").status_code == 200  # this session kept
    assert other.get("/admin").status_code == 303  # the other one ended
    row = user_row(login)
    assert row.password_hash != old_hash and row.password_hash.startswith("$argon2id$")
    assert try_login(browser(client), login, PASSWORD).status_code == 401
    assert try_login(browser(client), login, NEW).status_code == 303
    [entry] = audit_rows("password.change", login)
    assert entry.actor == login and entry.actor_id == row.id
    assert PASSWORD not in str(entry.details) and NEW not in str(entry.details)


@pytest.mark.parametrize("new, again, message", [
    ("short pass", "short pass", "12文字以上"),
    (NEW, "another passphrase", "一致しません"),
    (PASSWORD, PASSWORD, "現在のパスワードと違うもの"),
    (" " * 16, " " * 16, "空白だけ"),
])
def test_bad_new_password_changes_nothing(client, new, again, message):
    b, login = logged_in(client, "viewer")
    before = user_row(login).password_hash
    r = change(b, new=new, again=again)
    assert r.status_code == 422 and message in error_text(r.text)
    assert 'id="new-password"' in r.text and 'aria-describedby="account-error" aria-invalid="true"' in r.text
    assert user_row(login).password_hash == before and user_row(login).failed_logins == 0
    assert not audit_rows("password.change", login)
    assert try_login(browser(client), login, PASSWORD).status_code == 303


def test_wrong_current_password_counts_toward_the_lock_out(client):
    b, login = logged_in(client, "editor")
    before = user_row(login).password_hash
    r = change(b, current="not my password!")
    assert r.status_code == 401 and "現在のパスワードを確かめてください" in error_text(r.text)
    field = re.search(r'<input id="current-password"[^>]*>', r.text).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="account-error"' in field
    assert user_row(login).password_hash == before and user_row(login).failed_logins == 1
    for _ in range(4):
        assert change(b, current="not my password!").status_code == 401
    row = user_row(login)
    assert row.password_hash == before and row.locked_until is not None
    # locked like after failed log-ins: no log-in, and even the right password cannot change it
    assert try_login(browser(client), login, PASSWORD).status_code == 401
    locked = change(b)
    assert locked.status_code == 401 and error_text(locked.text) == error_text(r.text)
    assert user_row(login).password_hash == before
    reasons = [a.details["reason"] for a in audit_rows("password.change_failure", login)]
    assert reasons == ["password"] * 5 + ["locked"]
    assert "locked_until" in audit_rows("password.change_failure", login)[4].details
    # once the lock has passed, the right password works again
    from api.admin.models import StaffUser

    with _db() as s:
        s.execute(update(StaffUser).where(StaffUser.login == login)
                  .values(locked_until=dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)))
        s.commit()
    assert change(b).status_code == 303


def test_password_change_needs_the_session_csrf_token(client):
    b, login = logged_in(client, "admin")
    other, _ = logged_in(client, "viewer")
    before = user_row(login).password_hash
    for token in ("", "wrong", csrf(other.get("/admin").text)):
        r = change(b, token=token)
        assert r.status_code == 403 and "ページを開き直して" in r.text
    r = b.post("/admin/account", data={"current_password": PASSWORD, "password": NEW, "password_again": NEW})
    assert r.status_code == 403
    assert user_row(login).password_hash == before and not audit_rows("password.change", login)
    anonymous = browser(client).post("/admin/account", data={"current_password": PASSWORD, "password": NEW,
                                                             "password_again": NEW, "csrf_token": "x"})
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/admin/login")


# -- the audit log ------------------------------------------------------------------------
def test_admin_reads_and_filters_the_audit_log(client):
    b, me = logged_in(client, "admin")
    actor = make_user("viewer")
    add_audit(actor, "test.first", "T-1", {"note": "最初の記録"})
    add_audit(actor, "test.second", "T-2", {"note": "二番目の記録", "count": 3})
    assert 'href="/admin/audit"' in b.get("/admin").text

    page = b.get("/admin/audit", params={"actor": actor})
    assert page.status_code == 200 and "<h1>監査ログ</h1>" in page.text
    body = page.text.split("<tbody>", 1)[1]
    assert body.index("test.second") < body.index("test.first")  # newest first
    assert "note: 二番目の記録\ncount: 3" in body and "T-1" in body
    assert me not in body  # only the chosen actor
    assert f'<option value="{actor}" selected>' in page.text

    only = b.get("/admin/audit", params={"actor": actor, "action": "test.first"}).text.split("<tbody>", 1)[1]
    assert "test.first" in only and "test.second" not in only
    by_action = b.get("/admin/audit", params={"action": "login.success"}).text.split("<tbody>", 1)[1]
    assert f"<td>{me}</td>" in by_action and "test.first" not in by_action
    time = re.search(r'<th scope="row">(\d{4}-\d\d-\d\d \d\d:\d\d)</th>', body).group(1)
    jst_now = dt.datetime.now(dt.timezone(dt.timedelta(hours=9)))
    assert abs(dt.datetime.strptime(time, "%Y-%m-%d %H:%M") - jst_now.replace(tzinfo=None)) < dt.timedelta(minutes=2)
    empty = b.get("/admin/audit", params={"actor": "nobody-at-all"})
    assert empty.status_code == 200 and "該当する記録はありません" in empty.text


def test_audit_log_pages_by_100(client):
    b, _ = logged_in(client, "admin")
    actor = make_user("viewer")
    add_audit(actor, "test.bulk", "old", count=50)
    add_audit(actor, "test.bulk", "new", count=100)
    first = b.get("/admin/audit", params={"actor": actor})
    rows = re.findall(r"<td>test\.bulk</td>\s*<td class=\"question\">(\w+)</td>", first.text)
    assert rows == ["new"] * 100 and "150件（1 / 2ページ）" in first.text
    assert f'href="/admin/audit?actor={actor}&amp;page=2" rel="next">次へ</a>' in first.text
    assert "前へ" not in first.text
    second = b.get("/admin/audit", params={"actor": actor, "page": 2})
    assert re.findall(r"<td>test\.bulk</td>\s*<td class=\"question\">(\w+)</td>", second.text) == ["old"] * 50
    assert 'rel="prev">前へ</a>' in second.text and "次へ" not in second.text
    assert b.get("/admin/audit", params={"actor": actor, "page": 99}).status_code == 200  # last page


def test_audit_csv_has_bom_and_the_rows(client):
    b, _ = logged_in(client, "admin")
    actor = make_user("viewer")
    add_audit(actor, "test.csv", "=HYPERLINK(\"http://evil\")", {"text": "日本語の詳細"})
    add_audit(actor, "test.other", "x")
    page = b.get("/admin/audit", params={"actor": actor, "action": "test.csv"})
    assert f'href="/admin/audit.csv?actor={actor}&amp;action=test.csv"' in page.text
    r = b.get("/admin/audit.csv", params={"actor": actor, "action": "test.csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"] and r.headers["cache-control"] == "no-store"
    assert r.content.startswith("\ufeff".encode("utf-8"))
    header, *rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert header == ["日時（JST）", "操作者", "操作", "対象", "詳細"]
    assert len(rows) == 1 and rows[0][1:] == [actor, "test.csv", "'=HYPERLINK(\"http://evil\")", "text: 日本語の詳細"]
    everything = list(csv.reader(io.StringIO(b.get("/admin/audit.csv", params={"actor": actor}).text)))
    assert [row[2] for row in everything[1:]] == ["test.other", "test.csv"]


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_audit_log_is_for_admins_only(client, role):
    b, _ = logged_in(client, role)
    assert 'href="/admin/audit"' not in b.get("/admin").text
    for url in ("/admin/audit", "/admin/audit.csv"):
        r = b.get(url)
        assert r.status_code == 403 and "権限がありません" in r.text


def test_audit_log_refuses_anonymous_access(client):
    marker = make_user("viewer", name="監査ログ匿名確認")
    add_audit(marker, "test.anonymous", "secret-target")
    for url in ("/admin/audit", "/admin/audit.csv"):
        r = browser(client).get(url)
        assert r.status_code == 303 and r.headers["location"].startswith("/admin/login")
        assert "secret-target" not in r.text


def test_html_in_audit_details_is_escaped(client):
    b, _ = logged_in(client, "admin")
    actor = make_user("viewer")
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    add_audit(actor, "test.escape", "<b>target</b>", {"answer": attack, "nested": {"html": "<i>x</i>"}})
    body = b.get("/admin/audit", params={"actor": actor}).text
    assert "<script>alert" not in body and "<img src=x" not in body and "<b>target</b>" not in body
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in body and "&lt;b&gt;target&lt;/b&gt;" in body
    assert "<i>x</i>" not in body and "&lt;i&gt;x&lt;/i&gt;" in body


def test_new_pages_are_accessible_by_structure(client):
    b, _ = logged_in(client, "admin")
    for url in ("/admin/account", "/admin/audit"):
        body = b.get(url).text
        assert '<html lang="ja">' in body and body.count("<h1>") == 1
        ids = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', body)
        controls = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*>', body)
        assert ids and len(ids) == len(controls), url
        for control_id in ids:
            assert f'<label for="{control_id}">' in body, (url, control_id)
