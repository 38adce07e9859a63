"""Console: inbox of unmet needs, applications (status, CSV import, notifications), figures."""
import datetime as dt
import hashlib
import html
import itertools
import random
import re
import unicodedata

import pytest
from sqlalchemy import select

from tests.api.conftest import INTERNAL
from tests.api.test_admin_console import PASSWORD, _db, audit_rows, browser, csrf, try_login

_n = itertools.count(9901)
ROUTES = [("GET", "/admin/inbox"), ("GET", "/admin/inbox/faq"), ("POST", "/admin/inbox/dismiss"),
          ("POST", "/admin/inbox/alternative"),
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


def group_key_of(page: str, text: str) -> str:
    """The key of the inbox row whose FAQ search is prefilled with `text`."""
    return re.search(r'name="key" value="([^"]+)">\s*<input type="hidden" name="page" value="\d+">\s*'
                     r'<div class="field">\s*<label for="pick-q-\d+">追加先のFAQを探す</label>\s*'
                     r'<input type="text" id="pick-q-\d+" name="q" value="' + re.escape(text) + '"', page).group(1)


def key_of(text: str) -> str:
    """The inbox group a question (as stored, masked) went to."""
    from api.analytics.models import InboxItem

    with _db() as s:
        return s.scalar(select(InboxItem.group_key).where(InboxItem.text == text).order_by(InboxItem.id.desc()).limit(1))


def offered(page: str) -> list[str]:
    """The FAQ ids a choose-FAQ page offers, in order."""
    return re.findall(r'<button type="submit" name="faq_id" value="([^"]+)">', page)


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
        if method == "GET":  # choosing where a wording goes is an editor's work
            assert viewer.get(path).status_code == (403 if path == "/admin/inbox/faq" else 200), path
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
    from api.privacy import sender_key

    assert sender_key(sender) in {r.sender_hash for r in rows}  # keyed: not the plain SHA-256
    assert hashlib.sha256(sender.encode()).hexdigest() not in {r.sender_hash for r in rows}

    editor, login = logged_in(client, "editor")
    page = editor.get("/admin/inbox").text
    masked = "ぴよぴよ広場でドローンを飛ばしたい 電話＊＊＊"
    assert page.count(masked) >= 1 and "090-1234-5678" not in page
    assert page.count(f'name="q" value="{masked}"') == 1  # one group, one search form
    assert "<option" not in page.split("<main", 1)[1]  # no list of every FAQ per row
    key = group_key_of(page, masked)
    assert "/admin/faqs/new?question=" in page

    target = "koseki-001"
    chooser = editor.get("/admin/inbox/faq", params={"key": key, "q": target})
    assert chooser.status_code == 200 and "<h1>言い換えの追加先を選ぶ</h1>" in chooser.text
    assert offered(chooser.text)[0] == target  # a typed FAQ id comes first
    assert f'<textarea id="alt-text" name="text" maxlength="500" rows="2">{masked}</textarea>' in chooser.text
    r = editor.post("/admin/inbox/alternative", data={"csrf_token": csrf(chooser.text), "key": key,
                                                      "faq_id": target, "text": masked})
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
    from api.config import get_settings
    from tests.e2e.conftest import LinePlatform

    number = make_application()
    user = "U" + hashlib.md5(number.encode()).hexdigest()
    line_sender, web = f"line:{user}", web_sender()
    subscribe(client, number, line_sender, "line")
    subscribe(client, number, web, "web")
    # a number alone is not enough to follow an application
    r = client.post(f"/internal/applications/{number}/subscribe", json={"sender": web_sender(), "channel": "web"},
                    headers=INTERNAL)
    assert r.status_code == 404
    platform = LinePlatform()  # LINE: a push job stored with the change, sent by the api's LINE queue worker
    settings = get_settings().model_copy(update=dict(line_api_base=platform.base))
    monkeypatch.setattr(line, "get_settings", lambda: settings)
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
    try:
        [push] = platform.wait_for(lambda c: c["path"] == "/v2/bot/message/push" and (c["body"] or {}).get("to") == user,
                                   timeout_s=20)
    finally:
        platform.close()
    text = push["body"]["messages"][0]["text"]
    assert number in text and "追加の書類が必要です" in text and push["retry_key"]
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


def test_application_list_pages_and_keeps_the_search(client, monkeypatch):
    from api.admin import applications

    monkeypatch.setattr(applications, "PAGE_SIZE", 2)
    viewer, _ = logged_in(client, "viewer")
    made = [make_application() for _ in range(3)]
    seen, url, pages = [], "/admin/applications?q=テスト手続き", 0
    while url:
        page = viewer.get(url).text
        pages += 1
        rows = re.findall(r'<th scope="row"><a href="/admin/applications/(A-[^"]+)">', page)
        assert 1 <= len(rows) <= 2 and ("前へ" in page) == (pages > 1)
        assert f"申請（{2 * pages - 1}〜{2 * pages - 2 + len(rows)}件目、申請番号の新しい順）" in page
        seen += rows
        nxt = re.search(r'<a href="([^"]+)" rel="next">次へ</a>', page)
        url = html.unescape(nxt.group(1)) if nxt else None
        if pages == 1:
            assert url == "/admin/applications?q=%E3%83%86%E3%82%B9%E3%83%88%E6%89%8B%E7%B6%9A%E3%81%8D&page=2"
    assert set(made) <= set(seen) and len(seen) == len(set(seen)) and seen == sorted(seen, reverse=True)
    assert "A-2026-000101" not in seen


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
    # the page lists the 50 least recently verified; the CSV and the FAQ list have them all
    stale = viewer.get("/admin/figures/stale.csv").content.decode("utf-8-sig").splitlines()[1:]
    assert len(stale) > 50
    section = page.text.split('id="h-stale"', 1)[1]
    assert f"（{len(stale)}件のうち50件を表示）" in section and section.count("<tr><th scope=\"row\"") == 50
    assert f'<a href="/admin/faqs?stale=1">すべてをFAQ一覧で見る（{len(stale)}件）</a>' in section


# -- inbox: paging and choosing the FAQ ------------------------------------------------
def inbox_keys(page: str) -> list[str]:
    return re.findall(r'<form method="post" action="/admin/inbox/dismiss">\s*'
                      r'<input type="hidden" name="csrf_token" value="[^"]+">\s*'
                      r'<input type="hidden" name="key" value="([^"]+)">', page)


def test_inbox_pages_through_every_open_group_once(client, monkeypatch):
    from api.admin import insights
    from api.analytics import service as analytics

    for i in range(4):  # nothing came close: four groups of their own
        analytics.record_question(web_sender(), None, f"ぺりかん{'一二三四'[i]}号の乗船券の買い方", "none", None)
    monkeypatch.setattr(insights, "PAGE_SIZE", 3)
    editor, _ = logged_in(client, "editor")
    with _db() as s:
        total = analytics.count_groups(s, open_only=True)
    assert total >= 4
    seen, url, pages = [], "/admin/inbox", 0
    while url:
        page = editor.get(url).text
        pages += 1
        keys = inbox_keys(page)
        assert 1 <= len(keys) <= 3 and f"未対応の質問（{total}件、多い順。{pages} / {-(-total // 3)}ページ）" in page
        seen += keys
        assert ("前へ" in page) == (pages > 1)
        nxt = re.search(r'<a href="([^"]+)" rel="next">次へ</a>', page)
        url = nxt.group(1).replace("&amp;", "&") if nxt else None
    assert len(seen) == len(set(seen)) == total and pages == -(-total // 3)
    assert sum(k.startswith("text:ぺりかん") for k in seen) == 4
    # a page past the end shows the last one; a decision taken on page 2 comes back to page 2
    assert inbox_keys(editor.get("/admin/inbox", params={"page": 999}).text) == seen[3 * (pages - 1):]
    page2 = editor.get("/admin/inbox", params={"page": 2}).text
    r = editor.post("/admin/inbox/dismiss", data={"csrf_token": csrf(page2), "key": inbox_keys(page2)[0], "page": "2"})
    assert r.status_code == 303 and r.headers["location"] == "/admin/inbox?done=dismissed&page=2"


def test_choose_faq_searches_and_adds_the_phrasing(client, faq):
    editor, login = logged_in(client, "editor")
    question = "ちくわぶ祭りの会場へのシャトルバスはありますか"
    ask(client, question, web_sender())
    key = key_of(question)
    page = editor.get("/admin/inbox/faq", params={"key": key, "q": "住民票の写しがほしい"})
    assert page.status_code == 200 and 'role="search"' in page.text
    ids = offered(page.text)
    assert 1 <= len(ids) <= 10 and len(set(ids)) == len(ids) and "koseki-001" in ids[:3]
    assert page.text.count("に追加</button>") == len(ids)
    target = ids[-1]
    before = list(faq.get(target).alternatives)
    r = editor.post("/admin/inbox/alternative", data={"csrf_token": csrf(page.text), "key": key, "faq_id": target,
                                                      "text": question, "page": "1"})
    assert r.status_code == 303 and r.headers["location"] == "/admin/inbox?done=alternative"
    assert faq.get(target).alternatives == [*before, question]
    row = audit_rows("faq.add_alternative", target)[-1]
    assert row.actor == login and row.details == {"alternative": question, "group": key}
    assert audit_rows("inbox.dismiss", key) == []
    assert question not in editor.get("/admin/inbox").text  # decided; back when asked again


def test_choose_faq_one_click_for_the_closest_faq(client, faq):
    editor, login = logged_in(client, "editor")
    question = "かぴばら温泉の回数券はどこで買えますか"
    top = ask(client, question, web_sender())
    assert top["zone"] in ("suggest", "none") and top["hits"]
    closest = top["hits"][0]["id"]
    assert key_of(question) == f"faq:{closest}"
    page = editor.get("/admin/inbox").text
    [row] = [r for r in page.split("<tr>") if f'name="key" value="faq:{closest}"' in r]
    form = re.search(r'<form method="post" action="/admin/inbox/alternative">(.*?)</form>', row, re.S).group(1)
    assert f'<button type="submit">{closest} の言い換えとして追加</button>' in form
    assert f'name="faq_id" value="{closest}"' in form
    wording = html.unescape(re.search(r'name="text" value="([^"]+)"', form).group(1))
    r = editor.post("/admin/inbox/alternative", data={"csrf_token": csrf(page), "key": f"faq:{closest}",
                                                      "faq_id": closest, "text": wording})
    assert r.status_code == 303
    assert wording in faq.get(closest).alternatives
    assert audit_rows("faq.add_alternative", closest)[-1].actor == login
    # 👎 groups offer no such button: their FAQ is the answer residents found wrong
    assert all("の言い換えとして追加" not in r for r in page.split("<tr>") if 'name="key" value="down:' in r)


def test_choose_faq_bad_input(client, faq):
    from api.analytics import service as analytics

    editor, _ = logged_in(client, "editor")
    question = "もぐら公園の砂場の砂を持ち帰りたい"
    ask(client, question, web_sender())
    key = key_of(question)
    # empty: a prompt, no results
    for q in ("", "   "):
        page = editor.get("/admin/inbox/faq", params={"key": key, "q": q})
        assert page.status_code == 200 and "探す言葉を入力してください" in page.text and offered(page.text) == []
    # huge: cut to the field's length, still searched
    page = editor.get("/admin/inbox/faq", params={"key": key, "q": "住民票" * 2000})
    assert page.status_code == 200 and f'name="q" value="{"住民票" * 66}住民"' in page.text and offered(page.text)
    # markup is text
    page = editor.get("/admin/inbox/faq", params={"key": key, "q": '<script>alert(1)</script><b>住民票</b>'})
    assert page.status_code == 200 and "<script>alert" not in page.text and "<b>住民票</b>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;住民票&lt;/b&gt;" in page.text
    # unknown group
    for bad in ("", "faq:no-such-faq-ever", "x" * 1000):
        r = editor.get("/admin/inbox/faq", params={"key": bad, "q": "住民票"})
        assert r.status_code == 404 and "見つかりませんでした" in r.text
    token = csrf(editor.get("/admin/inbox").text)
    r = editor.post("/admin/inbox/alternative", data={"csrf_token": token, "key": "faq:no-such-faq-ever",
                                                      "faq_id": "koseki-001", "text": "x"})
    assert r.status_code == 404
    # unknown FAQ: the chooser again, with the error and the wording kept; nothing written
    before = faq.get("koseki-001").alternatives
    for faq_id in ("", "no-such-faq", "../koseki-001"):
        r = editor.post("/admin/inbox/alternative", data={"csrf_token": token, "key": key, "faq_id": faq_id,
                                                          "text": "砂場の砂"})
        assert r.status_code == 422 and "FAQを選んでください" in r.text and 'role="alert"' in r.text
        assert ">砂場の砂</textarea>" in r.text
    # no CSRF token, or another session's: refused, nothing written
    other, _ = logged_in(client, "editor")
    for data in ({"key": key, "faq_id": "koseki-001", "text": "砂場"},
                 {"csrf_token": csrf(other.get("/admin/inbox").text), "key": key, "faq_id": "koseki-001", "text": "砂場"}):
        assert editor.post("/admin/inbox/alternative", data=data).status_code == 403
    assert faq.get("koseki-001").alternatives == before
    with _db() as s:
        assert key in {g.key for g in analytics.groups(s, open_only=True)}  # still open


def test_choose_faq_page_is_accessible_by_structure(client):
    editor, _ = logged_in(client, "editor")
    question = "らっこ水族館の年間パスは住民割引がありますか"
    ask(client, question, web_sender())
    inbox = editor.get("/admin/inbox").text
    key = key_of(question)
    for body in (inbox, editor.get("/admin/inbox/faq", params={"key": key, "q": "住民票"}).text):
        assert '<html lang="ja">' in body and body.count("<h1>") == 1
        ids = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', body)
        controls = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*>', body)
        assert ids and len(ids) == len(controls) == len(set(ids))
        for control_id in ids:
            assert f'<label for="{control_id}">' in body, control_id


# -- the inbox and figures in SQL give what the Python over every event gave -------------
NOW = dt.datetime(2026, 11, 29, 16, 0, tzinfo=dt.timezone.utc)  # 01:00 JST: no events in the half hour before


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """A database of its own, where the analytics functions record and read."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker

    import api.db
    from api.analytics import models  # noqa: F401 (its tables registered on Base)
    from api.db import Base

    engine = create_engine(f"sqlite:///{tmp_path / 'scratch.db'}")
    Base.metadata.create_all(engine)
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    monkeypatch.setattr(api.db, "SessionLocal", sessions)
    yield engine, sessions
    engine.dispose()


def record_scenario(monkeypatch, seed: int) -> None:
    """Residents' conversations over 45 days, recorded through the analytics functions."""
    from api.analytics import service as analytics

    rng = random.Random(seed)
    texts = ["ぴよぴよ広場で花火", "ぴよぴよ広場で 花火！", "ぴよぴよ広場で花火。", "粗大ごみ 出し方", "住民票 どこ",
             "<b>ねこ</b>", "ねこ", "", "電話＊＊＊"]
    faqs = ["a-001", "a-002", "a-003", "b-001", "b-002"]
    senders = [f"web:{i:032x}" for i in range(12)] + [f"line:U{i:032x}" for i in range(8)]
    steps = []
    for n in range(120):
        sender = rng.choice(senders)
        at = (NOW - dt.timedelta(days=rng.randint(0, 45))).replace(hour=4 + rng.randint(0, 8), minute=0) \
            + dt.timedelta(seconds=rng.randint(0, 3600), microseconds=n)
        for _ in range(rng.randint(1, 5)):
            r = rng.random()
            if r < 0.55:
                zone = rng.choice(("answer", "suggest", "suggest", "none"))
                top = rng.choice(faqs + [None]) if zone == "none" else rng.choice(faqs)
                steps.append((at, analytics.record_question, (sender, None, rng.choice(texts), zone, top)))
            elif r < 0.75:
                steps.append((at, analytics.record_suggestion_taken, (sender, None, rng.choice(faqs))))
            else:
                steps.append((at, analytics.record_feedback, (sender, None, rng.choice(faqs), rng.random() < 0.4)))
            at += dt.timedelta(minutes=rng.choice((1, 5, 20, 29, 31, 45)), microseconds=1)
    for at, record, args in sorted(steps, key=lambda s: s[0]):
        monkeypatch.setattr(analytics, "_now", lambda at=at: at)
        record(*args)
    monkeypatch.setattr(analytics, "_now", lambda: NOW)


def reference_groups(events, since=None) -> list[tuple]:
    """The inbox as it was computed before (Python over every event), as comparable tuples."""
    from collections import Counter

    from api.analytics.service import REASONS, TAKE_WINDOW, aware, group_key

    events = [e for e in events if since is None or aware(e.at) >= since]
    taken = {}
    for e in events:
        if e.kind == "suggestion_taken":
            taken.setdefault(e.sender_hash, []).append(aware(e.at))
    last_question, groups = {}, {}

    def add(key, faq_id, at, reason, text):
        g = groups.setdefault(key, {"key": key, "faq_id": faq_id, "count": 0, "first": at, "last": at,
                                    "reasons": Counter(), "texts": Counter()})
        g["count"] += 1
        g["first"], g["last"] = min(g["first"], at), max(g["last"], at)
        g["reasons"][reason] += 1
        if text:
            g["texts"][text] += 1

    for e in events:
        at = aware(e.at)
        if e.kind == "question":
            last_question[e.sender_hash] = e
            if e.zone == "none" or (e.zone == "suggest" and not any(
                    at <= t <= at + TAKE_WINDOW for t in taken.get(e.sender_hash, ()))):
                add(group_key(e.zone, e.faq_id, e.text), e.faq_id, at, e.zone, e.text)
        elif e.kind == "feedback" and e.helpful is False and e.faq_id:
            q = last_question.get(e.sender_hash)
            add(f"down:{e.faq_id}", e.faq_id, at, "down", q.text if q is not None and at - aware(q.at) <= TAKE_WINDOW else "")
    ordered = sorted(groups.values(), key=lambda g: (-g["count"], -g["last"].timestamp()))
    return [(g["key"], g["faq_id"], g["count"], g["first"], g["last"],
             [(REASONS[r], n) for r, n in g["reasons"].most_common()],
             g["texts"].most_common(1)[0][0] if g["texts"] else "", [t for t, _ in g["texts"].most_common(5)])
            for g in ordered]


def as_tuples(groups) -> list[tuple]:
    return [(g.key, g.faq_id, g.count, g.first, g.last, g.reason_labels, g.text, g.wordings) for g in groups]


def events_of(sessions) -> list:
    from api.analytics.models import ConversationEvent

    with sessions() as s:
        return list(s.scalars(select(ConversationEvent).order_by(ConversationEvent.at, ConversationEvent.id)))


def items_of(sessions) -> list[tuple]:
    from api.analytics.models import InboxItem

    with sessions() as s:
        return [(i.event_id, i.group_key, i.reason, i.at, i.sender_hash, i.text)
                for i in s.scalars(select(InboxItem).order_by(InboxItem.event_id))]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_inbox_groups_are_what_they_were(scratch, monkeypatch, seed):
    from api.analytics import service as analytics
    from api.analytics.models import InboxDecision

    _, sessions = scratch
    record_scenario(monkeypatch, seed)
    events = events_of(sessions)
    expected = reference_groups(events)
    assert len(events) > 200 and len(expected) > 10
    assert any(t[0].startswith("down:") and t[6] for t in expected) and any(t[0].startswith("text:") for t in expected)
    since = NOW - dt.timedelta(days=30)
    with sessions() as s:
        assert as_tuples(analytics.groups(s)) == expected
        assert as_tuples(analytics.groups(s, since=since)) == reference_groups(events, since)
        assert as_tuples(analytics.groups(s, limit=4, offset=3)) == expected[3:7]
        assert analytics.count_groups(s) == len(expected)
        assert as_tuples([analytics.find_group(s, expected[5][0])]) == [expected[5]]
        assert analytics.find_group(s, "text:nothing-like-this") is None
        # decisions: one before a group's last event (it is back), one after (it stays closed)
        reopened, closed = expected[0], expected[1]
        s.add_all([InboxDecision(group_key=reopened[0], action="dismiss", at=reopened[4] - dt.timedelta(seconds=1),
                                 actor="t"),
                   InboxDecision(group_key=closed[0], action="dismiss", at=closed[4], actor="t")])
        s.commit()
        open_keys = [g.key for g in analytics.groups(s, open_only=True)]
        assert open_keys == [t[0] for t in expected if t[0] != closed[0]]
        assert analytics.count_groups(s, open_only=True) == len(expected) - 1
        assert analytics.find_group(s, closed[0]).key == closed[0]  # still found: a decision may be taken twice


def test_recorded_items_equal_a_rebuild_and_an_upgrade(scratch, monkeypatch, tmp_path):
    from sqlalchemy import MetaData, Table, inspect
    from sqlalchemy.orm import sessionmaker

    from api.analytics import service as analytics
    from api.analytics.models import ConversationEvent
    from api.db import init_db, make_engine
    from tests.api.test_migrations import last_version_before_migrations

    engine, sessions = scratch
    record_scenario(monkeypatch, 4)
    recorded = items_of(sessions)
    assert recorded
    with sessions() as s:
        assert analytics.rebuild_inbox(s) == len(recorded)
        s.commit()
    assert items_of(sessions) == recorded
    # a database made before migrations and before the items were kept, with the same events:
    # init_db derives them
    old = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    last_version_before_migrations(old)
    with old.begin() as conn:
        conn.exec_driver_sql("DROP TABLE inbox_items")
    names = [c["name"] for c in inspect(old).get_columns("conversation_events")]
    with engine.connect() as src, old.begin() as dst:
        rows = src.execute(select(*(ConversationEvent.__table__.c[n] for n in names))).mappings().all()
        dst.execute(Table("conversation_events", MetaData(), autoload_with=dst).insert(), [dict(r) for r in rows])
    init_db(old)
    assert items_of(sessionmaker(bind=old)) == recorded
    old.dispose()


@pytest.mark.parametrize("seed", [5, 6])
def test_figures_are_what_they_were(scratch, monkeypatch, seed):
    from collections import Counter

    from api.analytics import service as analytics

    _, sessions = scratch
    record_scenario(monkeypatch, seed)
    events = events_of(sessions)
    with sessions() as s:
        # daily: distinct residents per JST day and channel, the last 30 days
        start = analytics.today() - dt.timedelta(days=29)
        seen = {}
        for e in events:
            if e.day >= start:
                seen.setdefault((e.day, e.channel), set()).add(e.sender_hash)
        daily = analytics.daily_conversations(s)
        assert [d for d, _ in daily] == [start + dt.timedelta(days=i) for i in range(30)]
        assert daily == [(d, {c: len(seen.get((d, c), ())) for c in ("web", "line")}) for d, _ in daily]
        assert sum(sum(c.values()) for _, c in daily) > 0
        recent = sorted((e for e in events if analytics.aware(e.at) >= NOW - dt.timedelta(days=30)), key=lambda e: e.id)
        zones = Counter(e.zone for e in recent if e.kind == "question")
        assert analytics.outcomes(s) == {z: zones.get(z, 0) for z in ("answer", "suggest", "none")}
        helpful = Counter(e.helpful for e in recent if e.kind == "feedback")
        assert analytics.feedback_counts(s) == {"up": helpful[True], "down": helpful[False]}
        used = Counter(e.faq_id for e in recent if e.faq_id and (
            (e.kind == "question" and e.zone == "answer") or e.kind == "suggestion_taken"))
        assert analytics.top_faqs(s) == used.most_common(10) and analytics.top_faqs(s, n=3) == used.most_common(3)
