"""Console: inbox of unmet needs, applications (status, CSV import, notifications), figures."""
import datetime as dt
import hashlib
import itertools
import re
import unicodedata

import pytest
from sqlalchemy import select

from tests.api.conftest import INTERNAL
from tests.api.test_admin_console import PASSWORD, _db, audit_rows, browser, csrf, try_login

_n = itertools.count(9901)
ROUTES = [("GET", "/admin/inbox"), ("POST", "/admin/inbox/dismiss"), ("POST", "/admin/inbox/alternative"),
          ("GET", "/admin/applications"), ("GET", "/admin/applications/A-2026-000101"),
          ("POST", "/admin/applications/A-2026-000101/status"), ("POST", "/admin/applications/import"),
          ("GET", "/admin/figures"), ("GET", "/admin/figures/daily.csv")]


@pytest.fixture(autouse=True)
def _plain_http_cookies(monkeypatch):
    monkeypatch.setenv("MADOGUCHI_INSECURE_COOKIES", "1")


def logged_in(client, role: str) -> tuple:
    """A browser logged in as a new user of `role` (logins of their own: ins-…)."""
    from api.admin import accounts

    login = f"ins-{role}{next(_n)}"
    with _db() as s:
        accounts.create_user(s, login, f"{role}さん", role, PASSWORD, actor="test")
    b = browser(client)
    assert try_login(b, login).status_code == 303
    return b, login


def web_sender() -> str:
    return "web:" + hashlib.md5(str(next(_n)).encode()).hexdigest()


def ask(client, question: str, sender: str, channel: str | None = None) -> dict:
    params = {"q": question, "sender": sender}
    if channel:
        params["channel"] = channel
    r = client.get("/internal/faq/search", params=params, headers=INTERNAL)
    assert r.status_code == 200, r.text
    return r.json()


def make_application(birth=dt.date(1980, 1, 2)) -> str:
    from api.applications.models import Application, ApplicationEvent

    number = f"A-2026-{next(_n):06d}"
    with _db() as s:
        app = Application(number=number, procedure="テスト手続き", birth_date=birth, status="received",
                          department="市民課", phone="012-345-6111")
        app.history = [ApplicationEvent(on=dt.date(2026, 11, 1), status="received", note="")]
        s.add(app)
        s.commit()
    return number


def history(number: str) -> list[tuple]:
    from api.applications.models import Application

    with _db() as s:
        app = s.get(Application, number)
        return [(e.on, e.status, e.note) for e in app.history], app.status


def subscribe(client, number: str, sender: str, channel: str, birth="1980-01-02") -> None:
    r = client.post("/internal/applications/lookup", json={"sender": sender, "number": number, "birth_date": birth},
                    headers=INTERNAL)
    assert r.json()["result"] == "found"
    r = client.post(f"/internal/applications/{number}/subscribe", json={"sender": sender, "channel": channel},
                    headers=INTERNAL)
    assert r.status_code == 201, r.text


# -- access ---------------------------------------------------------------------------
def test_new_routes_refuse_anonymous_and_viewers_cannot_act(client):
    b = browser(client)
    for method, path in ROUTES:
        r = b.request(method, path, data={"csrf_token": "guess", "key": "x"} if method == "POST" else None)
        assert r.status_code == 303 and r.headers["location"].startswith("/admin/login"), (method, path)
    viewer, _ = logged_in(client, "viewer")
    for method, path in ROUTES:
        if method == "GET":
            assert viewer.get(path).status_code == 200, path
    token = csrf(viewer.get("/admin/inbox").text)
    for method, path in ROUTES:
        if method == "POST":
            r = viewer.post(path, data={"csrf_token": token, "key": "x", "status": "completed", "date": "2026-11-30"})
            assert r.status_code == 403, path
    assert history("A-2026-000101")[1] != "completed"


def test_csrf_missing_is_refused(client):
    editor, _ = logged_in(client, "editor")
    number = make_application()
    for path in ("/admin/inbox/dismiss", "/admin/inbox/alternative", f"/admin/applications/{number}/status",
                 "/admin/applications/import"):
        r = editor.post(path, data={"key": "x", "status": "completed", "date": "2026-11-30"})
        assert r.status_code == 403, path
    assert history(number)[1] == "received"


# -- inbox ----------------------------------------------------------------------------
def test_unanswered_question_shows_once_masked_and_becomes_an_alternative(client, faq):
    question = "ぴよぴよ広場でドローンを飛ばしたい 電話090-1234-5678"
    sender = web_sender()
    for s in (sender, web_sender(), "line:U" + "1" * 32):
        assert ask(client, question, s)["zone"] == "none"
    from api.analytics.models import ConversationEvent

    with _db() as s:
        rows = s.scalars(select(ConversationEvent).where(ConversationEvent.text.like("ぴよぴよ広場%"))).all()
    assert len(rows) == 3 and {r.channel for r in rows} == {"web", "line"}
    assert all("090" not in r.text and r.sender_hash != sender for r in rows)
    assert hashlib.sha256(sender.encode()).hexdigest() in {r.sender_hash for r in rows}

    editor, login = logged_in(client, "editor")
    page = editor.get("/admin/inbox").text
    masked = "ぴよぴよ広場でドローンを飛ばしたい 電話＊＊＊"
    assert page.count(masked) >= 1 and "090-1234-5678" not in page
    assert page.count(f'value="{masked}"') == 1  # one group, one form
    key = re.search(r'name="key" value="([^"]+)">\s*<div class="field">\s*<label for="alt-text-\d+">言い換えの文</label>\s*'
                    r'<input type="text" id="alt-text-\d+" name="text" value="' + re.escape(masked), page).group(1)
    assert "/admin/faqs/new?question=" in page

    target = "koseki-001"
    r = editor.post("/admin/inbox/alternative", data={"csrf_token": csrf(page), "key": key, "faq_id": target,
                                                      "text": masked})
    assert r.status_code == 303 and r.headers["location"] == "/admin/inbox?done=alternative"
    assert unicodedata.normalize("NFKC", masked) in faq.get(target).alternatives  # stored normalised
    assert ask(client, "ぴよぴよ広場でドローンを飛ばしたい 電話0120-000-000", web_sender())["hits"][0]["id"] == target
    assert audit_rows("faq.add_alternative", target)[-1].actor == login
    # answered now: the old group is gone, the new question was answered
    assert masked not in editor.get("/admin/inbox").text


def test_dismiss_suggestions_not_taken_and_thumbs_down(client):
    editor, login = logged_in(client, "editor")
    sender = web_sender()
    asked = ask(client, "かぴばら温泉の入浴券はどこで買えますか", sender)
    top = asked["hits"][0]["id"]
    page = editor.get("/admin/inbox").text
    key = f"faq:{top}"
    assert f'value="{key}"' in page
    r = editor.post("/admin/inbox/dismiss", data={"csrf_token": csrf(page), "key": key})
    assert r.status_code == 303
    assert f'value="{key}"' not in editor.get("/admin/inbox").text
    assert audit_rows("inbox.dismiss", key)[-1].actor == login
    # 👎 on an answer, shown with the question asked just before; a chosen suggestion is not shown
    ask(client, "住民票", sender)
    r = client.post("/internal/faq/feedback", json={"sender": sender, "faq_id": "koseki-016", "helpful": False},
                    headers=INTERNAL)
    assert r.status_code == 201
    assert client.get("/internal/faq/gomi-003", params={"sender": sender}, headers=INTERNAL).status_code == 200
    page = editor.get("/admin/inbox").text
    assert 'value="down:koseki-016"' in page and "👎 1件" in page


def test_html_in_questions_is_escaped(client):
    editor, _ = logged_in(client, "editor")
    ask(client, "<b>ねこ</b>カフェの営業許可<script>alert(1)</script>", web_sender())
    for path in ("/admin/inbox", "/admin/figures"):
        page = editor.get(path).text
        assert "<b>ねこ</b>" not in page and "<script>" not in page
        assert "&lt;b&gt;ねこ&lt;/b&gt;" in page


# -- applications ---------------------------------------------------------------------
def test_status_change_keeps_history_and_notifies_line_and_web(client, monkeypatch):
    from api.channels import line

    number = make_application()
    line_sender, web = "line:U" + "a" * 32, web_sender()
    subscribe(client, number, line_sender, "line")
    subscribe(client, number, web, "web")
    # a number alone is not enough to follow an application
    r = client.post(f"/internal/applications/{number}/subscribe", json={"sender": web_sender(), "channel": "web"},
                    headers=INTERNAL)
    assert r.status_code == 404
    pushed = []

    async def fake_push(user_id, messages):
        pushed.append((user_id, [m.text for m in messages]))
        return True

    monkeypatch.setattr(line, "push", fake_push)
    editor, login = logged_in(client, "editor")
    page = editor.get(f"/admin/applications/{number}").text
    assert "お知らせ希望</dt><dd>2人" in page
    r = editor.post(f"/admin/applications/{number}/status",
                    data={"csrf_token": csrf(page), "status": "action_required", "date": "2026-11-20",
                          "note": "印鑑をお持ちください"})
    assert r.status_code == 303 and "done=status&sent=2" in r.headers["location"]
    events, status = history(number)
    assert events == [(dt.date(2026, 11, 1), "received", ""), (dt.date(2026, 11, 20), "action_required", "印鑑をお持ちください")]
    assert status == "action_required"
    assert len(pushed) == 1 and pushed[0][0] == line_sender and number in pushed[0][1][0]
    assert "追加の書類が必要です" in pushed[0][1][0]
    inbox = client.get("/api/chat/inbox", params={"sender": web}).json()["messages"]
    assert len(inbox) == 1 and number in inbox[0]["text"] and "印鑑をお持ちください" in inbox[0]["text"]
    assert client.get("/api/chat/inbox", params={"sender": web}).json()["messages"] == []  # once
    row = audit_rows("application.status", number)[-1]
    assert row.actor == login and row.details["status"] == "action_required" and row.details["was"] == "received"
    # bad input is refused and changes nothing
    r = editor.post(f"/admin/applications/{number}/status", data={"csrf_token": csrf(page), "status": "nope",
                                                                  "date": "2026-11-21"})
    assert r.status_code == 422 and len(history(number)[0]) == 2
    # list and search
    listing = editor.get("/admin/applications", params={"q": number, "status": "action_required"}).text
    assert number in listing and "A-2026-000101" not in listing


def test_csv_import_cp932_bad_row_rejected_then_valid_rows_written(client):
    editor, login = logged_in(client, "editor")
    a, b = make_application(), make_application()
    token = csrf(editor.get("/admin/applications").text)
    bad = (f"number,status,date,note\r\n{a},reviewing,2026-11-20,書類を確認しています\r\n"
           f"{b},bogus,2026-11-21,\r\nA-2026-999999,completed,2026-11-21,\r\n{b},completed,2026/13/40,\r\n")
    r = editor.post("/admin/applications/import", data={"csrf_token": token},
                    files={"file": ("status.csv", bad.encode("cp932"), "text/csv")})
    assert r.status_code == 422
    assert "3行目" in r.text and "4行目" in r.text and "5行目" in r.text and "2行目" not in r.text
    assert len(history(a)[0]) == 1 and len(history(b)[0]) == 1  # nothing written
    good = f"number,status,date,note\r\n{a},reviewing,2026-11-20,書類を確認しています\r\n{b},completed,2026-11-21,\r\n"
    for data in (good.encode("cp932"),):
        r = editor.post("/admin/applications/import", data={"csrf_token": token},
                        files={"file": ("status.csv", data, "text/csv")})
        assert r.status_code == 303, r.text
    assert history(a) == ([(dt.date(2026, 11, 1), "received", ""), (dt.date(2026, 11, 20), "reviewing", "書類を確認しています")],
                          "reviewing")
    assert history(b)[1] == "completed"
    # UTF-8 with a BOM, no header
    r = editor.post("/admin/applications/import", data={"csrf_token": token},
                    files={"file": ("s.csv", f"{a},ready,2026-11-22,窓口へ\n".encode("utf-8-sig"), "text/csv")})
    assert r.status_code == 303 and history(a)[1] == "ready"
    assert audit_rows("application.import")[-1].details["rows"] == 1


# -- figures --------------------------------------------------------------------------
def test_figures_and_csv_downloads(client, monkeypatch):
    monkeypatch.setenv("MADOGUCHI_STALE_MONTHS", "1")
    ask(client, "住民票", "line:U" + "f" * 32)
    viewer, _ = logged_in(client, "viewer")
    page = viewer.get("/admin/figures")
    assert page.status_code == 200 and page.text.count("<svg") >= 4 and "<script" not in page.text
    assert "1か月以上確認されていないFAQ" in page.text
    for name in ("daily", "outcomes", "feedback", "top_faqs", "unanswered", "stale"):
        r = viewer.get(f"/admin/figures/{name}.csv")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        assert r.content.startswith(b"\xef\xbb\xbf") and "attachment" in r.headers["content-disposition"]
    daily = viewer.get("/admin/figures/daily.csv").content.decode("utf-8-sig").splitlines()
    assert daily[0] == "日付,Webチャット,LINE" and len(daily) == 31
    assert int(daily[-1].split(",")[2]) >= 1
    assert viewer.get("/admin/figures/nope.csv").status_code == 404
