"""FAQ editing in the staff console (/admin/faqs): roles, CSRF, drafts, pending drafts of
published entries (discard, unpublish), publishing with the regression check over the
city's own questions, preview, history and restore, CSV / YAML import and export,
escaping, and the schema upgrade of older databases. A city's own CSV and YAML files:
test_faq_import."""
import itertools
import re

import pytest
from sqlalchemy import create_engine, select

from tests.api.conftest import INTERNAL, STAFF
from tests.api.test_admin_console import audit_rows, browser, console_routes, csrf, logged_in

_n = itertools.count(1)



@pytest.fixture(autouse=True)
def _plain_http_cookies(monkeypatch):
    monkeypatch.setenv("MADOGUCHI_INSECURE_COOKIES", "1")


def new_id() -> str:
    return f"test-{next(_n):03d}"


def form(faq_id: str | None = None, **over) -> dict:
    data = {"id": faq_id or new_id(), "question": "ひかり野ばら園の春の公開はいつですか？",
            "alternatives": "ばら園 公開日\nばら園を見に行きたい", "answer": "ばら園の春の公開は5月の第3土曜日からです。",
            "category": "施設・イベント", "department": "公園緑地課", "phone": "012-345-6999",
            "url": "https://www.city.hikarino.example/bara.html", "verified": "2026-06-01"}
    data.update(over)
    return data


def post(b, url: str, data: dict, page: str = "/admin/faqs/new"):
    return b.post(url, data={**data, "csrf_token": csrf(b.get(page).text)})


def row(faq_id: str):
    from api.db import SessionLocal
    from api.faq.models import Faq

    with SessionLocal() as s:
        return s.get(Faq, faq_id)


def revisions(faq_id: str) -> list:
    from api.db import SessionLocal
    from api.faq.models import FaqRevision

    with SessionLocal() as s:
        return list(s.scalars(select(FaqRevision).where(FaqRevision.faq_id == faq_id).order_by(FaqRevision.number)))


def search_ids(client, q: str) -> list[str]:
    r = client.get("/api/faq/search", params={"q": q, "k": 10})
    assert r.status_code == 200, r.text
    return [h["id"] for h in r.json()["hits"]]


def fill(path: str, faq_id: str) -> str:
    return path.replace("{faq_id}", faq_id)


def publish(b, faq_id: str, data: dict):
    """Publishes through the check, confirming the listed changes when there are any."""
    url = f"/admin/faqs/{faq_id}"
    r = post(b, url, {**data, "action": "publish"}, page=url)
    if r.status_code == 409:
        r = b.post(url, data={**data, "action": "publish", "confirm": "1",
                              "digest": re.search(r'name="digest" value="([^"]+)"', r.text).group(1),
                              "csrf_token": csrf(r.text)})
    assert r.status_code == 303 and r.headers["location"].endswith("done=published"), r.text[:500]
    return r


def top_answer(client, q: str) -> str:
    return client.get("/api/faq/search", params={"q": q}).json()["hits"][0]["answer"]


def published_entry(b, words: str, when: str) -> tuple[str, dict]:
    """A new published entry about `words` whose answer says `when`."""
    faq_id = new_id()
    data = form(faq_id, question=f"{words}はいつありますか？", alternatives=f"{words}の日程\n{words} 何時から",
                answer=f"{words}は{when}からです。")
    assert post(b, "/admin/faqs/new", {**data, "action": "draft"}).status_code == 303
    publish(b, faq_id, data)
    return faq_id, data


# -- access ---------------------------------------------------------------------------
def test_every_faq_route_refuses_anonymous_access(client):
    routes = [r for r in console_routes(client.app) if r[1].startswith("/admin/faqs")]
    assert {("GET", "/admin/faqs"), ("GET", "/admin/faqs/{faq_id}"), ("POST", "/admin/faqs/{faq_id}"),
            ("POST", "/admin/faqs/import"), ("GET", "/admin/faqs/export.csv"),
            ("POST", "/admin/faqs/{faq_id}/restore"), ("GET", "/admin/faqs/{faq_id}/history"),
            ("POST", "/admin/faqs/{faq_id}/discard"), ("POST", "/admin/faqs/{faq_id}/unpublish")} <= set(routes)
    target = "koseki-001"
    before = row(target).answer
    for cookie in (None, "not-a-session"):
        b = browser(client)
        if cookie:
            b.cookies.set("madoguchi_staff", cookie, path="/admin")
        for method, path in routes:
            data = {**form(target, answer="乗っ取り"), "csrf_token": "guess", "action": "publish", "number": "1"}
            r = b.request(method, fill(path, target), data=data if method == "POST" else None)
            assert r.status_code in (303, 401, 403), (method, path, r.status_code)
            if r.status_code == 303:
                assert r.headers["location"].startswith("/admin/login"), (method, path)
            assert "住民票" not in r.text, (method, path)
    assert row(target).answer == before and row(target).status == "published" and row("new") is None


def test_missing_csrf_is_refused_and_changes_nothing(client):
    b, _ = logged_in(client, "editor")
    faq_id = new_id()
    r = b.post("/admin/faqs/new", data={**form(faq_id), "action": "draft"})
    assert r.status_code == 403 and "送信を受け付けられませんでした" in r.text
    r = b.post("/admin/faqs/new", data={**form(faq_id), "action": "draft", "csrf_token": "forged"})
    assert r.status_code == 403
    assert row(faq_id) is None
    before = row("koseki-001").answer
    r = b.post("/admin/faqs/koseki-001", data={**form("koseki-001", answer="x"), "action": "publish"})
    assert r.status_code == 403 and row("koseki-001").answer == before
    r = b.post("/admin/faqs/import", files={"file": ("a.csv", b"id\n", "text/csv")})
    assert r.status_code == 403


def test_viewer_reads_but_cannot_edit(client):
    b, _ = logged_in(client, "viewer")
    assert b.get("/admin/faqs").status_code == 200
    page = b.get("/admin/faqs/koseki-001", params={"ask": "住民票がほしい"})
    assert page.status_code == 200 and "koseki-001" in page.text and "<fieldset disabled>" in page.text
    assert 'value="publish"' not in page.text
    assert b.get("/admin/faqs/koseki-001/history").status_code == 200
    assert b.get("/admin/faqs/new").status_code == 403
    assert b.get("/admin/faqs/import").status_code == 403
    token = csrf(b.get("/admin/faqs").text)
    before = row("koseki-001").answer
    r = b.post("/admin/faqs/koseki-001", data={**form("koseki-001", answer="閲覧者の編集"), "action": "draft",
                                                "csrf_token": token})
    assert r.status_code == 403 and row("koseki-001").answer == before
    faq_id = new_id()
    assert b.post("/admin/faqs/new", data={**form(faq_id), "action": "draft", "csrf_token": token}).status_code == 403
    r = b.post("/admin/faqs/koseki-001/restore", data={"number": "1", "csrf_token": token})
    assert r.status_code == 403
    r = b.post("/admin/faqs/import", data={"csrf_token": token}, files={"file": ("a.csv", b"x", "text/csv")})
    assert r.status_code == 403
    assert row(faq_id) is None


# -- editing, drafts, publishing ------------------------------------------------------------
def test_validation_errors_are_shown_next_to_fields(client):
    b, _ = logged_in(client, "editor")
    faq_id = new_id()
    r = post(b, "/admin/faqs/new", {**form(faq_id, phone="電話して", url="not a url", verified="昨日", answer=""),
                                     "action": "draft"})
    assert r.status_code == 422
    assert 'id="err-phone"' in r.text and "電話番号は数字とハイフン" in r.text
    assert 'id="err-url"' in r.text and 'id="err-verified"' in r.text and 'id="err-answer"' in r.text
    page = b.get("/admin/faqs/new", params={"question": "粗大ごみ <b>の</b>  出し方"})  # prefill from the inbox
    assert 'value="粗大ごみ &lt;b&gt;の&lt;/b&gt; 出し方"' in page.text
    r = post(b, "/admin/faqs/new", {**form("Bad ID!"), "action": "draft"})
    assert r.status_code == 422 and 'id="err-id"' in r.text
    assert row(faq_id) is None


def test_draft_is_never_searchable_and_publish_is_at_once(client, faq):
    b, login = logged_in(client, "editor")
    faq_id = new_id()
    words = "かっぱ祭りの花火大会"
    data = form(faq_id, question=f"{words}はいつありますか？", alternatives=f"{words}の日程\n{words} 何時から",
                answer=f"{words}は8月15日19時からです。雨天中止。")
    r = post(b, "/admin/faqs/new", {**data, "action": "draft"})
    assert r.status_code == 303 and r.headers["location"] == f"/admin/faqs/{faq_id}?done=draft"
    assert row(faq_id).status == "draft"
    assert faq_id not in search_ids(client, f"{words}はいつ")
    assert faq_id not in [e.id for e in faq.list()]
    assert client.get("/api/admin/faqs/" + faq_id, headers=STAFF).status_code == 404
    # the preview includes the draft, residents still never see it
    page = b.get(f"/admin/faqs/{faq_id}", params={"ask": f"{words}はいつ？"})
    assert page.status_code == 200 and re.search(rf"<li>{faq_id}：", page.text)
    assert faq_id not in search_ids(client, f"{words}はいつ")
    assert audit_rows("faq.create", faq_id)
    # publish (nothing else changes for this new topic, or confirm)
    publish(b, faq_id, data)
    assert search_ids(client, f"{words}はいつ")[0] == faq_id
    assert "8月15日" in top_answer(client, f"{words}はいつ")
    assert [a.actor for a in audit_rows("faq.publish", faq_id)] == [login]
    assert [r.action for r in revisions(faq_id)] == ["create", "publish"]
    # tidy up: other tests search the city's own corpus
    assert b.post(f"/admin/faqs/{faq_id}/delete", data={"csrf_token": csrf(page.text)}).status_code == 303


def test_draft_of_a_published_entry_keeps_residents_answer_until_published(client):
    b, login = logged_in(client, "editor")
    words = "かっぱ橋の朝市"
    faq_id, data = published_entry(b, words, "毎月第1日曜日の7時")
    url = f"/admin/faqs/{faq_id}"
    draft = {**data, "answer": f"{words}は毎月第2日曜日の8時からです。"}
    r = post(b, url, {**draft, "action": "draft"}, page=url)
    assert r.status_code == 303 and r.headers["location"] == f"{url}?done=pending"
    # residents still get the live text; the draft waits beside it
    assert search_ids(client, f"{words}はいつ")[0] == faq_id
    assert "第1日曜日" in top_answer(client, f"{words}はいつ")
    assert row(faq_id).status == "published" and row(faq_id).answer == data["answer"]
    assert row(faq_id).pending["answer"] == draft["answer"]
    assert [r.action for r in revisions(faq_id)][-1] == "draft" and audit_rows("faq.draft", faq_id)[-1].actor == login
    page = b.get(url, params={"done": "pending"})
    assert "公開中の内容は変わっていません" in page.text and "下書きを公開すると住民への回答が変わります" in page.text
    assert draft["answer"] in page.text.split('id="f-answer"', 1)[1].split("</textarea>", 1)[0]
    compare = page.text.split('id="pending-heading"', 1)[1].split("</section>", 1)[0]
    assert f"削除：{data['answer']}" in compare and f"追加：{draft['answer']}" in compare
    assert 'action="/admin/faqs/' + faq_id + '/discard"' in page.text
    # the list marks it, and the status filter finds it
    listed = b.get("/admin/faqs", params={"status": "pending"}).text
    assert f">{faq_id}</a>" in listed and "下書きあり</span>" in listed
    assert "koseki-001" not in listed
    # publishing applies the draft (through the check) and clears it
    publish(b, faq_id, draft)
    assert "第2日曜日" in top_answer(client, f"{words}はいつ")
    assert row(faq_id).pending is None and row(faq_id).answer == draft["answer"]
    assert audit_rows("faq.publish", faq_id)[-1].details["from_draft"] is True
    assert f">{faq_id}</a>" not in b.get("/admin/faqs", params={"status": "pending"}).text
    # discarding a later draft keeps the live entry
    r = post(b, url, {**draft, "answer": "捨てる下書きです。", "action": "draft"}, page=url)
    assert r.status_code == 303 and row(faq_id).pending
    r = b.post(f"{url}/discard", data={"csrf_token": csrf(b.get(url).text)})
    assert r.status_code == 303 and r.headers["location"].endswith("done=discarded")
    assert row(faq_id).pending is None and row(faq_id).answer == draft["answer"]
    assert "第2日曜日" in top_answer(client, f"{words}はいつ")
    assert audit_rows("faq.discard", faq_id)[-1].actor == login
    assert [r.action for r in revisions(faq_id)] == ["create", "publish", "draft", "publish", "draft", "discard"]
    # tidy up
    assert b.post(f"{url}/delete", data={"csrf_token": csrf(b.get(url).text)}).status_code == 303


def test_unpublish_is_an_explicit_confirmed_action(client):
    b, login = logged_in(client, "editor")
    words = "ひかり野川の灯ろう流し"
    faq_id, data = published_entry(b, words, "8月16日の18時")
    url = f"/admin/faqs/{faq_id}"
    page = b.get(url)
    assert "公開を停止" in page.text and 'action="/admin/faqs/' + faq_id + '/unpublish"' in page.text
    r = b.post(f"{url}/unpublish", data={"csrf_token": csrf(page.text)})
    assert r.status_code == 409 and 'role="alert"' in r.text and "確認欄にチェック" in r.text
    assert row(faq_id).status == "published" and search_ids(client, f"{words}はいつ")[0] == faq_id
    # a pending draft becomes the unpublished entry's content (what the edit page showed)
    draft = {**data, "answer": f"{words}は中止になりました。"}
    assert post(b, url, {**draft, "action": "draft"}, page=url).status_code == 303
    r = b.post(f"{url}/unpublish", data={"csrf_token": csrf(page.text), "confirm": "1"})
    assert r.status_code == 303 and r.headers["location"].endswith("done=unpublished")
    assert faq_id not in search_ids(client, f"{words}はいつ")
    assert row(faq_id).status == "draft" and row(faq_id).pending is None and row(faq_id).answer == draft["answer"]
    assert audit_rows("faq.unpublish", faq_id)[-1].actor == login
    assert [r.action for r in revisions(faq_id)][-1] == "unpublish"
    page = b.get(url)
    assert "公開を停止</button>" not in page.text and "下書きを破棄" not in page.text
    # saving the now-unpublished entry edits it directly, as for any draft
    assert post(b, url, {**draft, "answer": "直した下書き", "action": "draft"}, page=url).status_code == 303
    assert row(faq_id).answer == "直した下書き" and row(faq_id).pending is None
    assert b.post(f"{url}/delete", data={"csrf_token": csrf(page.text)}).status_code == 303


def test_unpublish_unconfirmed_lists_the_questions_that_would_lose_their_answer(client):
    b, _ = logged_in(client, "editor")
    url = "/admin/faqs/koseki-001"
    page = b.get(url)
    r = b.post(f"{url}/unpublish", data={"csrf_token": csrf(page.text)})
    assert r.status_code == 409 and "公開を停止した場合に回答が変わる住民の質問" in r.text
    assert "koseki-001（answer）" in r.text  # residents answered by it today are listed
    assert "件の質問の回答が変わることを確認しました" not in r.text  # that box is for publishing
    assert row("koseki-001").status == "published"


def test_restore_of_a_published_entry_makes_a_draft_published_through_the_check(client):
    b, login = logged_in(client, "editor")
    words = "ひかり野の菊まつり"
    faq_id, first = published_entry(b, words, "11月1日")
    url = f"/admin/faqs/{faq_id}"
    second = {**first, "answer": f"{words}は11月8日からです。"}
    publish(b, faq_id, second)
    assert "11月8日" in top_answer(client, f"{words}はいつ")
    history = b.get(f"{url}/history")
    assert "第2版の内容を下書きにする" in history.text and "公開中の内容は変わりません" in history.text
    r = b.post(f"{url}/restore", data={"number": "2", "csrf_token": csrf(history.text)})  # the first publish
    assert r.status_code == 303 and r.headers["location"].endswith("done=restored_pending")
    assert "11月8日" in top_answer(client, f"{words}はいつ")
    assert row(faq_id).answer == second["answer"] and row(faq_id).pending["answer"] == first["answer"]
    assert audit_rows("faq.restore", faq_id)[-1].details == {"revision": 2, "status": "published",
                                                             "as_pending_draft": True}
    page = b.get(url, params={"done": "restored_pending"})
    assert "公開中の内容は変わっていません" in page.text and "追加：" + first["answer"] in page.text
    latest = b.get(f"{url}/history").text.split(f'id="rev-{len(revisions(faq_id))}"', 1)[1].split("</section>", 1)[0]
    assert "復元" in latest and "この版で保存した下書き" in latest and "追加：" + first["answer"] in latest
    publish(b, faq_id, first)
    assert "11月1日" in top_answer(client, f"{words}はいつ") and row(faq_id).pending is None
    assert [r.action for r in revisions(faq_id)] == ["create", "publish", "publish", "restore", "publish"]
    assert b.post(f"{url}/delete", data={"csrf_token": csrf(page.text)}).status_code == 303


def test_import_changes_the_live_entry_and_keeps_a_pending_draft(client):
    b, _ = logged_in(client, "editor")
    words = "ひかり野港の花火"
    faq_id, data = published_entry(b, words, "7月20日")
    url = f"/admin/faqs/{faq_id}"
    draft = {**data, "answer": "下書きの回答です。"}
    assert post(b, url, {**draft, "action": "draft"}, page=url).status_code == 303
    imported = {**data, "answer": f"{words}は7月27日からです。"}
    line = ",".join(f'"{imported[c]}"' if c != "status" else "published" for c in HEADER.strip().split(","))
    token = csrf(b.get("/admin/faqs/import").text)
    r = b.post("/admin/faqs/import", data={"csrf_token": token},
               files={"file": ("faqs.csv", (HEADER + line + "\r\n").encode(), "text/csv")})
    assert r.status_code == 200 and "1件を取り込みました" in r.text and "下書きはそのまま残ります" in r.text
    assert "7月27日" in top_answer(client, f"{words}はいつ")
    assert row(faq_id).answer == imported["answer"] and row(faq_id).pending["answer"] == draft["answer"]
    assert b.post(f"{url}/delete", data={"csrf_token": token}).status_code == 303


def test_draft_actions_need_csrf_and_the_editor_role(client):
    b, _ = logged_in(client, "editor")
    faq_id, data = published_entry(b, "ひかり野の凧あげ大会", "1月15日の10時")
    url = f"/admin/faqs/{faq_id}"
    assert post(b, url, {**data, "answer": "下書き", "action": "draft"}, page=url).status_code == 303
    viewer, _ = logged_in(client, "viewer")
    page = viewer.get(url)
    assert page.status_code == 200 and "下書きあり" in page.text
    assert "下書きを破棄</button>" not in page.text and "公開を停止</button>" not in page.text
    token = csrf(page.text)
    for who, extra in ((b, {}), (b, {"csrf_token": "forged"}), (viewer, {"csrf_token": token})):
        for path in ("discard", "unpublish"):
            r = who.post(f"{url}/{path}", data={"confirm": "1", **extra})
            assert r.status_code == 403, (path, extra)
        r = who.post(url, data={**data, "answer": "乗っ取り", "action": "draft", **extra})
        assert r.status_code == 403
        r = who.post(f"{url}/restore", data={"number": "1", **extra})
        assert r.status_code == 403
    assert row(faq_id).status == "published" and row(faq_id).pending["answer"] == "下書き"
    assert row(faq_id).answer == data["answer"]
    assert b.post(f"{url}/delete", data={"csrf_token": csrf(b.get(url).text)}).status_code == 303


def test_regression_check_lists_a_stolen_question(client, faq):
    question = "住民票"
    owner = search_ids(client, question)[0]
    for n in range(2):  # residents asked it (through the action server, which passes the sender)
        r = client.get("/internal/faq/search", params={"q": question, "sender": f"web:stolen{n}"}, headers=INTERNAL)
        assert r.status_code == 200
    b, _ = logged_in(client, "editor")
    faq_id = new_id()
    data = form(faq_id, question="住民票", alternatives="住民票\n住民票がほしい\n住民票の写し",
                answer="住民票についてのテスト用の回答です。", category="住民票・戸籍・印鑑登録")
    r = post(b, "/admin/faqs/new", {**data, "action": "publish"})
    assert r.status_code == 409, r.text[:500]
    assert "回答が変わる住民の質問" in r.text and "確認欄にチェック" in r.text
    table = r.text.split('id="check-heading"', 1)[1]
    assert re.search(rf"<td>{question}</td><td>住民の質問（\d+回）</td><td>{owner}（", table), table[:2000]
    assert row(faq_id) is None and search_ids(client, question)[0] == owner
    # confirming without the checkbox is refused again; with it, it is published
    digest = re.search(r'name="digest" value="([^"]+)"', r.text).group(1)
    r2 = b.post("/admin/faqs/new", data={**data, "action": "publish", "digest": digest, "csrf_token": csrf(r.text)})
    assert r2.status_code == 409 and row(faq_id) is None
    r3 = b.post("/admin/faqs/new", data={**data, "action": "publish", "digest": digest, "confirm": "1",
                                         "csrf_token": csrf(r.text)})
    assert r3.status_code == 303 and row(faq_id).status == "published"
    assert search_ids(client, question)[0] == faq_id
    # tidy up: the stolen question goes back
    r = b.post(f"/admin/faqs/{faq_id}/delete", data={"csrf_token": csrf(r.text)})
    assert r.status_code == 303 and search_ids(client, question)[0] == owner
    assert [r.action for r in revisions(faq_id)][-1] == "delete"


def test_check_set_is_what_residents_asked_and_the_entries_phrasings(tmp_path):
    import datetime as dt

    from sqlalchemy.orm import Session

    from api.analytics.models import ConversationEvent
    from api.faq.checkset import check_set, resident_questions
    from api.faq.schemas import FaqOut

    engine = create_engine(f"sqlite:///{tmp_path / 'events.db'}")
    ConversationEvent.__table__.create(engine)
    day = dt.datetime(2026, 5, 1, tzinfo=dt.timezone.utc)
    asked = [("住民票がほしい", 0), ("住民票がほしい", 1), ("住民票がほしい", 2), ("犬の登録", 3), ("犬の登録", 4),
             ("犬の登録", 5), ("ごみの日", 6), ("", 7)]
    with Session(engine) as s:
        for i, (text_, hours) in enumerate(asked):
            s.add(ConversationEvent(at=day + dt.timedelta(hours=hours), day=day.date(), channel="web",
                                    sender_hash=f"h{i}", kind="question", zone="answer", text=text_))
        s.add(ConversationEvent(at=day, day=day.date(), channel="web", sender_hash="h", kind="feedback",
                                faq_id="a-1", helpful=False, text="フィードバック"))
        s.commit()
        entries = [FaqOut(id="b-1", question="ごみ", alternatives=["ごみの日", "燃えるごみ"], answer="a", origin="corpus",
                          category=None, department=None, phone=None, url=None, verified=None),
                   FaqOut(id="a-1", question="犬", alternatives=["犬を飼った"], answer="a", origin="corpus",
                          category=None, department=None, phone=None, url=None, verified=None)]
        extra = tmp_path / "extra.jsonl"
        extra.write_text('{"_id": "1", "text": "保育園に入りたい"}\nnot json\n{"_id": "2", "text": "燃えるごみ"}\n',
                         encoding="utf-8")
        got = [(q.text, q.source, q.expected, q.asked) for q in check_set(s, entries, extra)]
        # most asked first, then most recent; a text already asked is not repeated as a phrasing
        assert got == [("犬の登録", "resident", None, 3), ("住民票がほしい", "resident", None, 3),
                       ("ごみの日", "resident", None, 1), ("犬を飼った", "phrasing", "a-1", 0),
                       ("燃えるごみ", "phrasing", "b-1", 0), ("保育園に入りたい", "file", None, 0)]
        assert [q.text for q in resident_questions(s, limit=2)] == ["犬の登録", "住民票がほしい"]
        assert [q.source for q in check_set(s, entries, tmp_path / "missing.jsonl")].count("file") == 0


def test_regression_check_reads_nothing_of_bench(faq, monkeypatch):
    """A real city's check must not ask the demo city's question set."""
    import api.faq.service as service

    monkeypatch.delenv("MADOGUCHI_CHECK_QUERIES", raising=False)
    assert not hasattr(service, "CHECK_QUERIES")
    queries = faq.check_queries()
    phrasings = {(alt, e.id) for e in faq.list() for alt in e.alternatives}
    assert {(q.text, q.expected) for q in queries if q.source == "phrasing"} <= phrasings
    assert {q.source for q in queries} <= {"resident", "phrasing"}
    assert len({q.text for q in queries}) == len(queries)


def test_an_entry_with_only_question_and_answer(client):
    b, _ = logged_in(client, "editor")
    question = "かっぱ淵の遊歩道は夜も通れますか"
    data = {"id": "", "question": question, "answer": "夜間は閉鎖しています。", "alternatives": "", "category": "",
            "department": "", "phone": "", "url": "", "verified": ""}
    r = post(b, "/admin/faqs/new", {**data, "action": "draft"})
    from api.faq.ids import question_id
    faq_id = question_id(question)
    assert r.status_code == 303 and r.headers["location"] == f"/admin/faqs/{faq_id}?done=draft", r.text[-1500:]
    saved = row(faq_id)
    assert (saved.category, saved.department, saved.phone, saved.url, saved.verified) == (None,) * 5
    page = b.get(f"/admin/faqs/{faq_id}")
    assert page.status_code == 200 and "None" not in page.text and "分類（任意）" in page.text
    listed = b.get("/admin/faqs", params={"q": faq_id}).text
    assert f">{faq_id}</a>" in listed and "未設定" in listed and "None" not in listed
    # dates as cities write them
    r = post(b, f"/admin/faqs/{faq_id}", {**data, "verified": "令和8年4月1日", "action": "draft"}, f"/admin/faqs/{faq_id}")
    assert r.status_code == 303 and row(faq_id).verified.isoformat() == "2026-04-01"
    r = post(b, f"/admin/faqs/{faq_id}", {**data, "verified": "4月1日", "action": "draft"}, f"/admin/faqs/{faq_id}")
    assert r.status_code == 422 and "令和8年4月1日 のように入力してください" in r.text
    # publishing it runs the check like any other entry
    publish(b, faq_id, {**data, "id": faq_id})
    assert search_ids(client, question)[0] == faq_id
    assert b.post(f"/admin/faqs/{faq_id}/delete", data={"csrf_token": csrf(page.text)}).status_code == 303


def test_history_diff_and_restore(client):
    b, login = logged_in(client, "editor")
    faq_id = new_id()
    first = form(faq_id, answer="最初の回答です。\n二行目はそのまま。")
    assert post(b, "/admin/faqs/new", {**first, "action": "draft"}).status_code == 303
    second = {**first, "answer": "直した回答です。\n二行目はそのまま。", "phone": "012-345-6000"}
    assert post(b, f"/admin/faqs/{faq_id}", {**second, "action": "draft"}, f"/admin/faqs/{faq_id}").status_code == 303
    page = b.get(f"/admin/faqs/{faq_id}/history")
    assert page.status_code == 200
    latest = page.text.split('id="rev-2"', 1)[1].split("</section>", 1)[0]
    assert "削除：最初の回答です。" in latest and "追加：直した回答です。" in latest
    assert "削除：012-345-6999" in latest and "追加：012-345-6000" in latest
    assert "質問</h3>" not in latest  # unchanged fields are not listed
    r = b.post(f"/admin/faqs/{faq_id}/restore", data={"number": "1", "csrf_token": csrf(page.text)})
    assert r.status_code == 303
    assert row(faq_id).answer == "最初の回答です。\n二行目はそのまま。" and row(faq_id).phone == "012-345-6999"
    revs = revisions(faq_id)
    assert [r.action for r in revs] == ["create", "edit", "restore"] and revs[-1].actor == login
    assert audit_rows("faq.restore", faq_id)[-1].details["revision"] == 1


# -- import / export ------------------------------------------------------------------------
HEADER = "id,category,question,alternatives,answer,department,phone,url,verified,status\r\n"


def csv_row(faq_id, question, alternatives="言い換えその1 | 言い換えその2", phone="012-345-6111", status="published", verified="2026-05-01"):
    return (f'{faq_id},ごみ・リサイクル,{question},"{alternatives}",{question}の回答です。,環境課,{phone},'
            f"https://www.city.hikarino.example/gomi.html,{verified},{status}\r\n")


def test_shift_jis_csv_with_a_bad_row_is_rejected_then_a_good_one_imports(client, faq):
    b, login = logged_in(client, "editor")
    ids = [new_id() for _ in range(3)]
    bad = (HEADER + csv_row(ids[0], "カラス対策のネットは貸してもらえますか", "ネット 貸出 | カラスよけ")
           + csv_row(ids[1], "ごみ袋の値段はいくらですか", "ごみ袋 値段\nごみぶくろ いくら")
           + csv_row(ids[2], "蛍光灯はどう捨てますか", phone="でんわ"))
    token = csrf(b.get("/admin/faqs/import").text)
    r = b.post("/admin/faqs/import", data={"csrf_token": token},
               files={"file": ("faqs.csv", bad.encode("cp932"), "text/csv")})
    assert r.status_code == 422
    # the header is line 1; the second entry spans lines 3–4 (a line break inside quotes)
    assert f"5行目（ID {ids[2]}）" in r.text and "電話番号" in r.text
    assert all(row(i) is None for i in ids)
    good = bad.replace("でんわ", "012-345-6222")
    r = b.post("/admin/faqs/import", data={"csrf_token": token},
               files={"file": ("faqs.csv", good.encode("cp932"), "text/csv")})
    assert r.status_code == 200 and "3件を取り込みました" in r.text
    assert row(ids[0]).alternatives == ["ネット 貸出", "カラスよけ"]
    assert row(ids[1]).alternatives == ["ごみ袋 値段", "ごみぶくろ いくら"]
    assert ids[0] in search_ids(client, "カラス対策のネットは貸してもらえますか")
    assert [r.action for r in revisions(ids[2])] == ["import"]
    assert audit_rows("faq.import")[-1].actor == login
    for faq_id in ids:  # tidy up: other tests search the city's own corpus
        assert b.post(f"/admin/faqs/{faq_id}/delete", data={"csrf_token": token}).status_code == 303
    assert ids[0] not in search_ids(client, "カラス対策のネットは貸してもらえますか")


def test_export_has_bom_and_reimports_cleanly(client):
    b, _ = logged_in(client, "editor")
    faq_id = new_id()
    assert post(b, "/admin/faqs/new", {**form(faq_id, answer="一行目\n二行目、\"引用\"付き"), "action": "draft"}).status_code == 303
    r = b.get("/admin/faqs/export.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf")
    assert faq_id in r.text and "koseki-001" in r.text
    revs_before = len(revisions("koseki-001"))
    token = csrf(b.get("/admin/faqs/import").text)
    r2 = b.post("/admin/faqs/import", data={"csrf_token": token}, files={"file": ("faqs.csv", r.content, "text/csv")})
    assert r2.status_code == 200 and "件を取り込みました" in r2.text, r2.text[-1500:]
    assert row(faq_id).answer == "一行目\n二行目、\"引用\"付き" and row(faq_id).status == "draft"
    # unchanged entries get no new revision
    assert row("koseki-001").status == "published" and len(revisions("koseki-001")) == revs_before
    assert "変更があったもの 0件" in r2.text
    # the faq_corpus YAML format too
    y = b.get("/admin/faqs/export.yml")
    assert y.status_code == 200 and "category:" in y.text and f"id: {faq_id}" in y.text
    r3 = b.post("/admin/faqs/import", data={"csrf_token": token}, files={"file": ("faqs.yml", y.content, "application/yaml")})
    assert r3.status_code == 200 and "件を取り込みました" in r3.text, r3.text[-1500:]
    assert row(faq_id).status == "draft"


def test_yaml_import_reports_the_bad_entry(client):
    b, _ = logged_in(client, "editor")
    faq_id = new_id()
    doc = ("category: テスト\nentries:\n"
           f"  - id: {faq_id}\n    question: よい質問\n    answer: 回答\n    department: 課\n"
           "    phone: 012-345-6000\n    url: https://www.city.hikarino.example/\n    verified: 2026-01-01\n"
           "  - id: BAD\n    question: 悪い質問\n")
    token = csrf(b.get("/admin/faqs/import").text)
    r = b.post("/admin/faqs/import", data={"csrf_token": token}, files={"file": ("x.yml", doc.encode(), "text/yaml")})
    assert r.status_code == 422 and "2項目目（ID BAD）" in r.text and row(faq_id) is None


# -- list, escaping ---------------------------------------------------------------------------
def test_list_filters_search_and_stale(client, monkeypatch):
    b, _ = logged_in(client, "viewer")
    page = b.get("/admin/faqs")
    assert page.status_code == 200 and "件（1 / " in page.text
    assert page.text.count('<th scope="row">') == 50
    assert "次のページ" in page.text
    r = b.get("/admin/faqs", params={"q": "住民票がほしい"})
    assert "koseki-001" in r.text
    r = b.get("/admin/faqs", params={"q": "koseki-00"})
    assert "koseki-001" in r.text and "gomi-001" not in r.text
    r = b.get("/admin/faqs", params={"status": "draft", "category": "住民票・戸籍・印鑑登録"})
    assert "koseki-001" not in r.text
    monkeypatch.setenv("MADOGUCHI_STALE_MONTHS", "1")
    r = b.get("/admin/faqs", params={"stale": "1", "category": "住民票・戸籍・印鑑登録"})
    assert "要確認" in r.text and "koseki-001" in r.text  # verified 2026-10-01, over a month ago
    monkeypatch.setenv("MADOGUCHI_STALE_MONTHS", "1200")
    r = b.get("/admin/faqs", params={"stale": "1"})
    assert "<caption>0件" in r.text


def test_html_in_faq_text_is_escaped(client):
    b, _ = logged_in(client, "editor")
    faq_id = new_id()
    evil = '<script>alert("x")</script><b>太字</b>'
    assert post(b, "/admin/faqs/new", {**form(faq_id, question="質問" + evil, answer="回答" + evil,
                                             alternatives=evil), "action": "draft"}).status_code == 303
    for url in (f"/admin/faqs?q={faq_id}", f"/admin/faqs/{faq_id}", f"/admin/faqs/{faq_id}/history",
                f"/admin/faqs/{faq_id}?ask=" + "%3Cscript%3E"):
        page = b.get(url)
        assert page.status_code == 200
        assert "<script>" not in page.text and "<b>太字" not in page.text, url
        assert "&lt;script&gt;" in page.text, url
