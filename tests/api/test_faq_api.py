import datetime as dt

from tests.api.conftest import INTERNAL, STAFF

NEW_FAQ = {
    "id": "test-hotaru-001",
    "category": "施設・開庁時間",
    "question": "ほたる観賞会はいつ開かれますか",
    "alternatives": ["ホタルを見に行きたい", "ほたるのイベント"],
    "answer": "ほたる観賞会は毎年6月の第2土曜日、ひかり野川緑地で開きます。\n申し込みは不要です。",
    "department": "公園緑地課",
    "phone": "012-345-6999",
    "url": "https://www.city.hikarino.example/event/hotaru.html",
    "verified": "2026-11-01",
}


def test_search_endpoint(client):
    r = client.get("/api/faq/search", params={"q": "住民票の写しがほしい", "k": 3})
    assert r.status_code == 200
    data = r.json()
    assert 0 <= data["confidence"] <= 1
    assert data["zone"] in {"answer", "suggest", "none"}
    assert len(data["hits"]) <= 3
    assert data["hits"][0]["category"] == "住民票・戸籍・印鑑登録"


def test_search_bad_input(client):
    assert client.get("/api/faq/search").status_code == 422
    assert client.get("/api/faq/search", params={"q": "   "}).status_code == 422
    assert client.get("/api/faq/search", params={"q": "あ" * 3000}).status_code == 422
    assert client.get("/api/faq/search", params={"q": "住民票", "k": 0}).status_code == 422
    r = client.get("/api/faq/search", params={"q": "<script>alert(1)</script>"})
    assert r.status_code == 200


def test_out_of_scope_question_has_no_answer(client):
    r = client.get("/api/faq/search", params={"q": "明日の東京の天気は晴れますか"})
    assert r.json()["zone"] == "none"


def test_corpus_is_loaded(faq):
    entries = faq.list()
    assert len(entries) >= 100
    assert len({e.category for e in entries}) >= 5
    for e in entries:
        assert len(e.alternatives) >= 2 and e.url.startswith("https://")


def test_staff_crud_is_live_at_once(client):
    assert client.get("/api/faq/search", params={"q": "ほたる観賞会"}).json()["zone"] != "answer"

    r = client.post("/api/admin/faqs", json=NEW_FAQ, headers=STAFF)
    assert r.status_code == 201, r.text
    hit = client.get("/api/faq/search", params={"q": "ほたる観賞会はいつ"}).json()
    assert hit["hits"][0]["id"] == NEW_FAQ["id"] and hit["zone"] == "answer"

    assert client.post("/api/admin/faqs", json=NEW_FAQ, headers=STAFF).status_code == 409

    changed = dict(NEW_FAQ, answer="ほたる観賞会は今年は中止です。")
    del changed["id"]
    r = client.put(f"/api/admin/faqs/{NEW_FAQ['id']}", json=changed, headers=STAFF)
    assert r.status_code == 200
    got = client.get(f"/internal/faq/{NEW_FAQ['id']}", headers=INTERNAL).json()
    assert got["answer"] == "ほたる観賞会は今年は中止です。" and got["origin"] == "staff"

    assert client.delete(f"/api/admin/faqs/{NEW_FAQ['id']}", headers=STAFF).status_code == 204
    assert client.get(f"/api/admin/faqs/{NEW_FAQ['id']}", headers=STAFF).status_code == 404
    assert all(h["id"] != NEW_FAQ["id"] for h in client.get("/api/faq/search", params={"q": "ほたる観賞会"}).json()["hits"])
    assert client.delete(f"/api/admin/faqs/{NEW_FAQ['id']}", headers=STAFF).status_code == 404


def test_staff_endpoints_need_the_token(client):
    assert client.get("/api/admin/faqs").status_code == 401
    assert client.post("/api/admin/faqs", json=NEW_FAQ).status_code == 401
    assert client.post("/api/admin/faqs", json=NEW_FAQ, headers=INTERNAL).status_code == 401


def test_staff_input_is_validated(client):
    bad = [
        dict(NEW_FAQ, id="Bad ID!"),
        dict(NEW_FAQ, question="   "),
        dict(NEW_FAQ, url="javascript:alert(1)"),
        dict(NEW_FAQ, phone="call me"),
        dict(NEW_FAQ, verified="昨日"),
        dict(NEW_FAQ, answer="x" * 6000),
    ]
    for body in bad:
        r = client.post("/api/admin/faqs", json=body, headers=STAFF)
        assert r.status_code == 422, body
    r = client.post("/api/admin/faqs", content=b"\xff\xfe{", headers={**STAFF, "Content-Type": "application/json"})
    assert r.status_code in (400, 422)


def test_html_is_stored_as_text(client):
    body = dict(NEW_FAQ, id="test-html-001", question="<b>太字</b>の質問？<script>x</script>")
    assert client.post("/api/admin/faqs", json=body, headers=STAFF).status_code == 201
    got = client.get("/api/admin/faqs/test-html-001", headers=STAFF).json()
    assert got["question"] == "<b>太字</b>の質問?<script>x</script>"  # NFKC, otherwise untouched
    client.delete("/api/admin/faqs/test-html-001", headers=STAFF)


def test_corpus_import_is_idempotent_and_keeps_staff_edits(client, faq):
    from api.config import get_settings

    first = faq.list()[0]
    edited = first.model_dump(exclude={"id", "origin"})
    edited["answer"] = "職員が書き直した回答です。"
    edited["verified"] = dt.date(2026, 11, 20).isoformat()
    assert client.put(f"/api/admin/faqs/{first.id}", json=edited, headers=STAFF).status_code == 200

    counts = faq.import_corpus(get_settings().corpus_dir)
    assert counts["added"] == 0 and counts["updated"] == 0
    assert counts["kept_staff"] >= 1
    assert faq.get(first.id).answer == "職員が書き直した回答です。"


def test_only_question_and_answer_are_required_missing_fields_are_null(client):
    """The shape the action server reads: every key is there, a missing field is null."""
    body = {"id": "test-minimal-001", "question": "かっぱ池の釣りは許可が要りますか",
            "answer": "かっぱ池での釣りに許可は要りません。"}
    r = client.post("/api/admin/faqs", json=body, headers=STAFF)
    assert r.status_code == 201, r.text
    try:
        missing = {"category": None, "department": None, "phone": None, "url": None, "verified": None}
        got = client.get("/internal/faq/test-minimal-001", headers=INTERNAL).json()
        assert {k: got[k] for k in missing} == missing and got["alternatives"] == []
        hit = client.get("/internal/faq/search", params={"q": "かっぱ池の釣りは許可が要りますか"},
                         headers=INTERNAL).json()["hits"][0]
        assert hit["id"] == "test-minimal-001"
        assert {k: hit[k] for k in ("category", "department", "phone", "url")} == {
            "category": None, "department": None, "phone": None, "url": None}
        # blank strings are missing too; written dates in common forms are read
        changed = {**body, "category": "  ", "department": "", "phone": "", "url": "", "verified": "令和8年4月1日"}
        del changed["id"]
        r = client.put("/api/admin/faqs/test-minimal-001", json=changed, headers=STAFF)
        assert r.status_code == 200, r.text
        assert r.json()["category"] is None and r.json()["url"] is None and r.json()["verified"] == "2026-04-01"
    finally:
        client.delete("/api/admin/faqs/test-minimal-001", headers=STAFF)


def test_required_fields_and_bad_optional_values_are_refused(client):
    for body in ({"id": "test-bad-001", "question": "質問だけ"}, {"id": "test-bad-001", "answer": "回答だけ"},
                 {"id": "test-bad-001", "question": " ", "answer": "回答"},
                 {"id": "test-bad-001", "question": "q", "answer": "a", "verified": "2026/13/40"},
                 {"id": "test-bad-001", "question": "q", "answer": "a", "url": "https://x.example/" + "a" * 600},
                 {"id": "test-bad-001", "question": "q", "answer": "a", "phone": "電話してください"}):
        assert client.post("/api/admin/faqs", json=body, headers=STAFF).status_code == 422, body
    ok = {"id": "test-bad-001", "question": "q", "answer": "a", "phone": "０１２-３４５-６１１１（内線２３４）"}
    r = client.post("/api/admin/faqs", json=ok, headers=STAFF)
    assert r.status_code == 201 and r.json()["phone"] == "012-345-6111(内線234)"
    client.delete("/api/admin/faqs/test-bad-001", headers=STAFF)
