"""/api/chat with "furigana" and "lang": checked, passed to the bot as message metadata, echoed, and
ふりがな segments on each bot message. The api's own Rasa client talks HTTP to a stand-in of
Rasa's REST channel (Rasa itself runs in the e2e and browser tests)."""
import pytest

ANSWER = "住民票の写しは、市役所本庁舎1階の市民課で取れます。詳しくは https://www.city.hikarino.example/ をご覧ください。"


@pytest.fixture
def rasa(rasa_rest):
    rasa_rest.reply = [{"text": ANSWER}, {"buttons": [{"title": "はい", "payload": "/affirm"},
                                                      {"title": "転入届を出したい", "payload": "/deny"}]}]
    return rasa_rest.received


def test_furigana_segments_on_each_bot_message(client, rasa):
    r = client.post("/api/chat", json={"text": "住民票を取りたい", "furigana": True})
    assert r.status_code == 200
    body = r.json()
    assert body["furigana"] is True and body["lang"] == "ja"
    text, buttons_only = body["messages"]
    assert text["text"] == ANSWER  # the plain text stays as it is
    assert "".join(s["text"] for s in text["furigana"]) == ANSWER
    assert text["furigana"][:3] == [{"text": "住民票", "reading": "じゅうみんひょう"}, {"text": "の", "reading": None},
                                    {"text": "写", "reading": "うつ"}]
    assert {"text": "市役所本庁舎", "reading": "しやくしょほんちょうしゃ"} in text["furigana"]
    assert not any("<" in s["text"] or (s["reading"] and "<" in s["reading"]) for s in text["furigana"])
    assert buttons_only["furigana"] == []
    # the choices get theirs too
    yes, move_in = buttons_only["buttons"]
    assert yes["title"] == "はい" and yes["furigana"] == [{"text": "はい", "reading": None}]
    assert move_in["furigana"] == [{"text": "転入届", "reading": "てんにゅうとどけ"}, {"text": "を", "reading": None},
                                   {"text": "出", "reading": "だ"}, {"text": "したい", "reading": None}]
    assert rasa[-1]["metadata"]["furigana"] is True and rasa[-1]["metadata"]["lang"] == "ja"


def test_without_furigana_no_segments(client, rasa):
    r = client.post("/api/chat", json={"text": "住民票を取りたい"})
    assert r.status_code == 200
    assert r.json()["furigana"] is False
    assert all(m["furigana"] is None for m in r.json()["messages"])
    assert all(b["furigana"] is None for m in r.json()["messages"] for b in m["buttons"])
    assert rasa[-1]["metadata"]["furigana"] is False and rasa[-1]["metadata"]["lang"] == "ja"
    assert rasa[-1]["metadata"]["client"]  # the status look-up's client tag is still there


@pytest.mark.parametrize("lang", ["ja", "ja-easy", "en", "zh-Hans", "ko", "vi", "pt", "es", "fil", "ne", "id"])
def test_each_language_is_passed_and_echoed(client, rasa, lang):
    r = client.post("/api/chat", json={"payload": "/greet", "lang": lang})
    assert r.status_code == 200 and r.json()["lang"] == lang
    assert rasa[-1]["metadata"]["lang"] == lang


@pytest.mark.parametrize("body,detail", [
    ({"text": "住民票", "lang": "fr"}, "lang には次のいずれか"),
    ({"text": "住民票", "lang": "JA"}, "lang には次のいずれか"),
    ({"text": "住民票", "lang": ""}, "lang には次のいずれか"),
    ({"text": "住民票", "lang": "ja-easy<script>"}, "lang には次のいずれか"),
    ({"text": "住民票", "lang": "x" * 10_000}, "送信された内容を読み取れませんでした"),
    ({"text": "住民票", "lang": None}, "送信された内容を読み取れませんでした"),
    ({"text": "住民票", "lang": ["ja"]}, "送信された内容を読み取れませんでした"),
    ({"text": "住民票", "furigana": "yes"}, "送信された内容を読み取れませんでした"),
    ({"text": "住民票", "furigana": 1}, "送信された内容を読み取れませんでした"),
    ({"text": "住民票", "furigana": None}, "送信された内容を読み取れませんでした"),
])
def test_bad_lang_and_furigana_are_refused_in_japanese(client, rasa, body, detail):
    r = client.post("/api/chat", json=body)
    assert r.status_code == 422
    assert r.json()["detail"].startswith(detail)
    assert rasa == []  # nothing reached the bot


# ---- /api/chat/furigana: readings of messages the widget shows already ----

def test_readings_of_shown_messages(client):
    texts = ["火事・救急は119番へお電話ください。", "はい", "", "住民票の写しを取りたい"]
    r = client.post("/api/chat/furigana", json={"texts": texts})
    assert r.status_code == 200
    out = r.json()["furigana"]
    assert len(out) == len(texts)
    assert ["".join(s["text"] for s in segs) for segs in out] == texts
    assert out[0][:3] == [{"text": "火事", "reading": "かじ"}, {"text": "・", "reading": None},
                          {"text": "救急", "reading": "きゅうきゅう"}]
    assert out[1] == [{"text": "はい", "reading": None}] and out[2] == []
    assert client.post("/api/chat/furigana", json={"texts": []}).json() == {"furigana": []}


def test_readings_answer_other_sites(client):
    """The widget embedded on a city's site calls it cross-origin, as /api/chat."""
    r = client.options("/api/chat/furigana", headers={
        "Origin": "https://www.city.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Content-Type"})
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "*"


def test_readings_count_toward_the_chat_limit():
    from api import ratelimit

    assert ratelimit.group_of("POST", "/api/chat/furigana") == "chat"


@pytest.mark.parametrize("body,detail", [
    ({"texts": ["住民票"] * 61}, "送信された内容を読み取れませんでした"),
    ({"texts": ["住" * 10_001, "民" * 10_000]}, "一度にお送りいただける文章は60件、合わせて20,000文字までです。"),
    ({"texts": [1, 2]}, "送信された内容を読み取れませんでした"),
    ({"texts": "住民票"}, "送信された内容を読み取れませんでした"),
    ({"texts": [None]}, "送信された内容を読み取れませんでした"),
    ({}, "送信された内容を読み取れませんでした"),
])
def test_bad_reading_requests_are_refused_in_japanese(client, body, detail):
    r = client.post("/api/chat/furigana", json=body)
    assert r.status_code == 422 and r.json()["detail"].startswith(detail)
