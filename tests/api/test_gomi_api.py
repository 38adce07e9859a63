"""The api's ごみ分別 endpoints, loaded at start from MADOGUCHI_GOMI (tests/api/data/gomi)."""
from tests.api.conftest import INTERNAL

ATTRIBUTION = "出典：横浜市「ごみと資源物の出し方一覧表」(CC BY 4.0)"


def test_internal_match_needs_the_token(client):
    assert client.get("/internal/gomi/match", params={"q": "ふとん"}).status_code == 401


def test_internal_match_returns_the_item_with_its_attribution(client):
    r = client.get("/internal/gomi/match", params={"q": "ふとんは何ごみ？"}, headers=INTERNAL)
    assert r.status_code == 200
    body = r.json()
    assert body["item_question"] is True and body["rule"] is False
    item = body["found"][0]["items"][0]
    assert (item["name"], item["category"], item["attribution"]) == ("布団", "粗大ごみ", ATTRIBUTION)
    assert item["notes"] == "畳んで50cm未満のものは燃やすごみへ"
    again = client.get(f"/internal/gomi/items/{item['id']}", headers=INTERNAL).json()
    assert again == item
    assert client.get("/internal/gomi/items/9.999", headers=INTERNAL).status_code == 404


def test_choices_and_rule_questions(client):
    body = client.get("/internal/gomi/match", params={"q": "アイロン捨てたい"}, headers=INTERNAL).json()
    assert body["found"][0]["kind"] == "choices"
    names = [i["name"] for i in body["found"][0]["items"]]
    # every row the word names first; then those nearest what the message means (api/gomi/topic.py)
    assert names[:3] == ["アイロン(プラスチック製)", "アイロン(金属製)", "アイロン台"] and len(names) <= 6
    rule = client.get("/internal/gomi/match", params={"q": "粗大ごみの申し込み方法"}, headers=INTERNAL).json()
    assert rule == {"item_question": False, "after_faq": False, "rule": True, "missing": "", "unlisted": "",
                    "found": [], "maybe": []}


def test_a_thing_named_without_asking_is_settled_by_the_citys_faq(client):
    """A thing named without asking how it goes out: the item question when the demo city's FAQ
    has nothing for the message (or is unsure and finds the garbage first); beside the FAQ's
    answer when that is about the garbage too; after its もしかして when the message asks of a
    matter of the thing (api/gomi/topic.py, with the real FAQ search)."""
    def match(q: str) -> dict:
        return client.get("/internal/gomi/match", params={"q": q}, headers=INTERNAL).json()

    for q, name in (("枕 そばがら", "枕"), ("アイロン台 ボロボロ", "アイロン台"), ("フライパン テフロンはげた", "フライパン")):
        body = match(q)
        assert body["item_question"] is True and body["found"][0]["items"][0]["name"] == name, q
        assert body["maybe"] == []
    assert client.get("/api/gomi/search", params={"q": "枕 そばがら"}).json()["item_question"] is True
    assert match("枕 そばがら")["after_faq"] is False
    # the FAQ answers about the garbage (粗大ごみ): the item after its answer
    body = match("布団 押し入れの奥")
    assert body["item_question"] is True and body["after_faq"] is True and body["found"][0]["items"][0]["name"] == "布団"
    # a matter of the thing (解約): the item after the FAQ's もしかして, never its answer
    body = match("携帯電話の解約方法を教えてください。")
    assert body["item_question"] is False and body["maybe"][0]["items"][0]["name"] == "携帯電話"
    # a thing someone else owns (隣の), a thing asked for: not answered as an item either
    for q in ("隣の家の自転車がずっと置きっぱなし", "がいこくごの 新聞 ありますか"):
        assert match(q)["item_question"] is False, q


def test_public_search_gives_plain_text_and_links_as_data(client):
    body = client.get("/api/gomi/search", params={"q": "携帯電話の捨て方"}).json()
    item = body["found"][0]["items"][0]
    assert "<" not in item["notes"] and item["urls"] == ["https://www.tca.or.jp/mobile-recycle/"]
    assert client.get("/api/gomi/search", params={"q": "\u0000"}).status_code == 422


def test_a_second_start_with_the_same_file_keeps_the_dataset(client):
    from api.db import SessionLocal
    from api.gomi.service import GomiService

    service = client.app.state.gomi
    again = GomiService.create(SessionLocal, __import__("api.config", fromlist=["x"]).get_settings().gomi_path)
    assert len(again) == len(service) == 40


def test_a_thing_described_not_named_is_offered_the_rows_it_means(client):
    """Nothing of the list named, no rule, and nothing in the demo FAQ: the rows nearest the message's
    meaning (api/gomi/meaning.py, the FAQ's own embedding model) as a もしかして — small talk gets none."""
    def match(q: str) -> dict:
        return client.get("/internal/gomi/match", params={"q": q}, headers=INTERNAL).json()
    body = match("雨の日にさす骨の折れたの")
    assert body["item_question"] is True and [f["kind"] for f in body["found"]] == ["suggest"]
    assert {"かさ(骨がプラスチック製)", "かさ(骨が金属製)"} <= {i["name"] for i in body["found"][0]["items"]}
    assert body["found"][0]["items"][0]["attribution"] == ATTRIBUTION
    assert match("足を拭く布のマット")["found"][0]["items"][0]["name"] == "足拭きマット"
    for q in ("こんにちは", "ありがとうございました", "住民票の写しがほしい"):
        assert match(q)["found"] == [], q
