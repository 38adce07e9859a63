"""/api/chat in the resident's language: each message carries the language of its text (as the bot
tags it on Rasa's REST channel; "ja" when it does not say), and for a resident who chose やさしい日本語
or another language, Japanese messages and kanji button titles come with ふりがな without asking.
A stand-in of Rasa's REST channel answers (Rasa itself runs in tests/e2e)."""
import pytest

INTRO = 'About "住民票の写し":'
ANSWER = "住民票の写しは市民課で取れます。"
NOTE = "This answer is only available in Japanese.\nIn charge: 市民課 (phone 012-345-6789)"


@pytest.fixture
def rasa(rasa_rest):
    rasa_rest.reply = [
        {"text": INTRO, "lang": "en"},
        {"text": ANSWER, "lang": "ja"},
        {"text": NOTE, "lang": "en"},
        {"text": "Is your question about one of these?", "lang": "en",
         "buttons": [{"title": "転入届を出したい", "payload": "/choose_faq"}, {"title": "None of these", "payload": "/none_of_these"}]},
    ]
    return rasa_rest


def test_each_message_says_its_language_and_japanese_ones_get_furigana(client, rasa):
    r = client.post("/api/chat", json={"text": "How can I get a residence certificate?", "lang": "en"})
    assert r.status_code == 200
    body = r.json()
    assert body["lang"] == "en" and body["furigana"] is False
    intro, answer, note, choose = body["messages"]
    assert [m["lang"] for m in body["messages"]] == ["en", "ja", "en", "en"]
    assert intro["furigana"] is None and note["furigana"] is None and choose["furigana"] is None
    assert answer["furigana"][0] == {"text": "住民票", "reading": "じゅうみんひょう"}
    assert "".join(s["text"] for s in answer["furigana"]) == ANSWER
    move_in, none = choose["buttons"]
    assert move_in["furigana"][0] == {"text": "転入届", "reading": "てんにゅうとどけ"}
    assert none["furigana"] is None  # no kanji, nothing to read
    assert rasa.received[-1]["metadata"]["lang"] == "en"


def test_easy_japanese_messages_get_furigana_ordinary_japanese_mode_does_not(client, rasa):
    rasa.reply = [{"text": "市民課で 取れます。", "lang": "ja-easy"}]
    (easy,) = client.post("/api/chat", json={"text": "住民票", "lang": "ja-easy"}).json()["messages"]
    assert easy["lang"] == "ja-easy" and easy["furigana"][0] == {"text": "市民課", "reading": "しみんか"}
    rasa.reply = [{"text": ANSWER}]  # a message that does not say: Japanese, as before issue 15
    (plain,) = client.post("/api/chat", json={"text": "住民票", "lang": "ja"}).json()["messages"]
    assert plain["lang"] == "ja" and plain["furigana"] is None


@pytest.mark.parametrize("tag", ["xx", "", None, 3, "<b>"])
def test_a_message_language_not_ours_is_read_as_japanese(client, rasa, tag):
    rasa.reply = [{"text": "はい。", "lang": tag}]
    (m,) = client.post("/api/chat", json={"text": "はい", "lang": "en"}).json()["messages"]
    assert m["lang"] == "ja"


def test_unavailable_in_the_residents_language(client, monkeypatch):
    monkeypatch.setattr(client.app.state.rasa, "servers", ["http://127.0.0.1:9"])
    r = client.post("/api/chat", json={"text": "hello", "lang": "en"})
    assert r.status_code == 503 and r.json()["detail"].startswith("Sorry, the chat is not available right now.")
    r = client.post("/api/chat", json={"text": "こんにちは"})
    assert r.status_code == 503 and r.json()["detail"].startswith("申し訳ありません。ただいまチャットがご利用いただけません。")
