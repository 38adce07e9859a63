"""The bot in the resident's language: actions (against a stand-in of the api's internal endpoints,
real HTTP), domain responses through bot/nlg.py, the gate that sends a message in another language
to the FAQ search, and each message's language kept on Rasa's REST channel (bot/serve.py)."""
from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker

import locales
from actions.faq import ActionAnswerFaq, ActionAnswerFaqById
from actions.smalltalk import ActionSmallTalk
from actions.status import ActionCheckApplicationStatus, status_text
from tests.bot.test_actions import CONTACT, ENTRY, FakeApi, run

APP = {"number": "A-2026-000101", "procedure": "児童手当 認定請求", "status_label": "審査中",
       "next_step": "結果は郵送でお知らせします。", "department": "こども家庭課", "phone": "012-345-6500",
       "history": [{"on": "2026-04-01", "status_label": "受付", "note": None}]}


def tracker(text: str, intent: str, lang: str | None, **kw) -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": kw.get("entities") or []}
    if lang is not None:
        message["metadata"] = {"lang": lang, "message_id": "m-12345678"}
    return Tracker("web:abc", kw.get("slots") or {}, message, [], False, None, {}, "action_listen")


def test_greeting_in_english_and_in_easy_japanese():
    (m,), _ = run(ActionSmallTalk(), FakeApi(zone="none"), tracker("hi", "greet", "en"))
    assert m["text"] == locales.text("en", "greeting", assistant="the AI assistant of ことぶき川町")
    assert m["lang"] == "en"
    assert [b["title"] for b in m["buttons"]] == ["Residence certificate", "How to put out garbage",
                                                  "Check my application", "Talk to staff"]
    assert m["buttons"][2]["payload"] == "/check_application_status"
    (m,), _ = run(ActionSmallTalk(), FakeApi(zone="none"), tracker("こんにちは", "greet", "ja-easy"))
    assert m["text"].startswith("こんにちは。ことぶき川町の AI窓口「まどぐち」です。") and m["lang"] == "ja-easy"


def test_a_japanese_answer_for_an_english_speaker_says_so_with_the_departments_phone():
    fake = FakeApi(zone="answer")  # the api before task B: no answer_lang, a Japanese answer
    messages, events = run(ActionAnswerFaq(), fake, tracker("Where can I get help with domestic violence?",
                                                            "ask_question", "en"))
    intro, answer, note, ask = messages
    assert (intro["lang"], answer["lang"], note["lang"], ask["lang"]) == ("en", "ja", "en", "en")
    assert intro["text"] == 'About "DVの相談はどこにできますか":'
    assert answer["text"] == ENTRY["answer"]
    assert note["text"].splitlines() == ["This answer is only available in Japanese.",
                                         "In charge: 子ども家庭課 (phone 012-345-6500)",
                                         "More information: https://www.city.example/dv.html"]
    assert ask["text"] == "Was this answer helpful?"
    assert [b["title"] for b in ask["buttons"]] == ["👍 Helpful", "👎 Not helpful"]
    assert fake.searches()[0]["lang"] == "en" and fake.searches()[0]["sender"] == "web:abc"
    assert {"event": "slot", "name": "last_faq_id", "value": "dv-001", "timestamp": None} in events


@pytest.mark.parametrize("lang,answer_lang,note", [
    ("en", "en", None),  # staff wrote an English answer: one message, no note
    ("vi", "ja-easy", "Câu trả lời này được viết bằng tiếng Nhật dễ hiểu (やさしい日本語)."),
    ("ja-easy", "ja", "この 答えは、ふつうの 日本語で 書いてあります。ふりがなを つけました。"),
    ("ja-easy", "ja-easy", None),
])
def test_the_note_follows_the_answers_language(lang, answer_lang, note):
    entry = dict(ENTRY, answer="ANSWER-TEXT", answer_lang=answer_lang)
    messages, _ = run(ActionAnswerFaq(), FakeApi(zone="answer", hits=[entry]), tracker("question text", "ask_question", lang))
    if note is None:
        assert len(messages) == 2 and "ANSWER-TEXT" in messages[0]["text"] and messages[0]["lang"] == lang
    else:
        assert [m["lang"] for m in messages] == [lang, answer_lang, lang, lang]
        assert messages[1]["text"] == "ANSWER-TEXT" and messages[2]["text"].splitlines()[0] == note


def test_japanese_residents_get_what_they_always_got():
    fake = FakeApi(zone="answer")
    messages, _ = run(ActionAnswerFaq(), fake, tracker("DVの相談をしたいです", "ask_question", None))
    assert len(messages) == 2 and messages[0]["lang"] == "ja"
    assert messages[0]["text"].startswith("「DVの相談はどこにできますか」についてご案内します。\n\n")
    assert "lang" not in fake.searches()[0]


def test_choices_and_apology_in_the_residents_language():
    from tests.bot.test_actions import OTHERS

    messages, _ = run(ActionAnswerFaq(), FakeApi(zone="suggest", hits=OTHERS), tracker("other question", "ask_question", "ko"))
    assert messages[0]["text"] == "혹시 다음 중 하나에 대한 질문인가요?"
    assert [b["title"] for b in messages[0]["buttons"]][-2:] == ["해당 없음", "직원에게 질문 보내기"]
    messages, _ = run(ActionAnswerFaq(), FakeApi(zone="none"), tracker("space travel grant", "ask_question", "pt"))
    assert messages[0]["text"].startswith("Desculpe, não encontrei informações") and CONTACT["call"] in messages[0]["text"]
    assert [b["title"] for b in messages[0]["buttons"]] == ["Enviar pergunta aos funcionários", "Quero saber a quem contatar"]


def test_a_chosen_entry_is_asked_for_in_the_residents_language():
    calls = []

    async def entry(request):
        from aiohttp import web
        calls.append(dict(request.query))
        return web.json_response(dict(ENTRY, answer_lang="es", answer="RESPUESTA"))

    trk = tracker("/choose_faq", "choose_faq", "es", entities=[{"entity": "faq_id", "value": "dv-001"}])
    from tests.bot.api_stand_in import run_action
    messages, _ = run_action(ActionAnswerFaqById(), trk, [("GET", "/internal/faq/{id}", entry)])
    assert calls[0]["lang"] == "es" and "RESPUESTA" in messages[0]["text"] and messages[0]["lang"] == "es"


def test_status_in_english_and_easy_japanese():
    text = status_text(APP, "en")
    assert text.splitlines()[0] == "Status of application A-2026-000101 (児童手当 認定請求):"
    assert "Current status: 審査中" in text and "・2026/4/1 受付" in text and "Contact: こども家庭課 (phone 012-345-6500)" in text
    assert "・2026年4月1日 受付" in status_text(APP, "ja-easy")
    slots = {"application_number": "A-2026-000101", "birth_date": "1990-04-01"}
    fake = FakeApi(lookup={"result": "found", "application": APP, "retry_after": None})
    (m,), _ = run(ActionCheckApplicationStatus(), fake, tracker("1990/4/1", "inform", "en", slots=slots))
    assert m["lang"] == "en" and m["buttons"][0]["title"] == "Tell me when the status changes"
    fake = FakeApi(lookup={"result": "locked", "application": None, "retry_after": 300})
    (m,), _ = run(ActionCheckApplicationStatus(), fake, tracker("1990/4/1", "inform", "ja-easy", slots=slots))
    assert "5分ぐらい 待ってから" in m["text"]


# ---------------------------------------------------------------- the gate


def gate(text: str, intent: str, lang: str | None = None) -> dict:
    from rasa.shared.nlu.training_data.message import Message

    from bot.components import EvidenceGate

    data = {"text": text, "intent": {"name": intent, "confidence": 0.8}, "metadata": {"lang": lang} if lang else {}}
    message = Message(data=data)
    EvidenceGate().process([message])
    return message.get("intent")


@pytest.mark.parametrize("text,intent,lang,expected", [
    ("Hello", "greet", None, "greet"),  # a greeting in another language: small talk in the resident's language
    ("Hello!", "ask_question", "en", "greet"),
    ("Xin chào", "out_of_scope", "vi", "greet"),
    ("감사합니다", "ask_question", "ko", "thanks"),
    ("Muchas gracias 😊", "nlu_fallback", "es", "thanks"),
    ("Bye", "ask_question", "en", "goodbye"),
    ("Hello, how can I get a residence certificate?", "greet", "en", "ask_question"),  # more than a greeting
    ("Thank you. Where is the city hall?", "thanks", "en", "ask_question"),
    ("How can I get a copy of my residence certificate?", "inform", None, "ask_question"),  # code-like, but words
    ("I want to talk to staff", "request_staff", "en", "ask_question"),
    ("こんにちは", "greet", "en", "greet"),  # a Japanese greeting from a resident of English: greeted in English
    ("住民票", "greet", "en", "ask_question"),  # the resident chose English: the search
    ("こんにちは", "greet", "ja-easy", "greet"),  # やさしい日本語 is Japanese: as before
    ("こんにちは", "greet", None, "greet"),
    ("A-2026-000123", "inform", "en", "inform"),  # a number any language may give a form
    ("1990/4/1", "inform", "vi", "inform"),
    ("Q-2026-000123", "ticket_status", "en", "ticket_status"),
    ("Q-2026-000123", "inform", "en", "ticket_status"),  # "type the number" in a foreign text: its look-up
    ("What about Q-2026-000123?", "ask_question", "en", "ticket_status"),
    ("How do I renew my residence card?", "ask_question", "en", "ask_question"),
    ("/greet", "greet", "en", "greet"),  # a button's payload is not read as text
])
def test_gate_by_language(text, intent, lang, expected):
    result = gate(text, intent, lang)
    assert result["name"] == expected
    if expected != intent:
        assert result["gated_from"] == intent


# ---------------------------------------------------------------- domain responses (bot/nlg.py)


def nlg_generate(name: str, lang: str | None):
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.nlg import CatalogueNLG

    domain = Domain.load("domain.yml")
    trk = DialogueStateTracker.from_events("web:abc", [UserUttered("x", metadata={"lang": lang} if lang else {})])
    return asyncio.run(CatalogueNLG(endpoint_config=None, domain=domain).generate(name, trk, "rest"))


def test_domain_responses_in_the_residents_language():
    en = nlg_generate("utter_ask_application_number", "en")
    assert en["text"].startswith("I will check the status of your application.") and en["lang"] == "en"
    assert en["buttons"] == [{"title": "Stop", "payload": "/deny"}]
    ne = nlg_generate("utter_faq_none", "ne")
    assert [b["title"] for b in ne["buttons"]] == ["प्रश्न कर्मचारीलाई पठाउनुहोस्", "कहाँ सम्पर्क गर्ने?"]
    assert [b["payload"] for b in ne["buttons"]] == ["/leave_question", "/request_staff"]
    ja = nlg_generate("utter_goodbye", None)
    assert ja["text"] == "ご利用ありがとうございました。またいつでもご質問ください。" and ja["lang"] == "ja"
    assert nlg_generate("utter_goodbye", "tlh")["lang"] == "ja"  # not one of ours: Japanese
    assert nlg_generate("utter_no_such_response", "en") is None


def test_the_endpoints_name_the_catalogue_nlg():
    import yaml

    assert yaml.safe_load(open("endpoints.yml"))["nlg"] == {"type": "bot.nlg.CatalogueNLG"}


# ---------------------------------------------------------------- the REST channel (bot/serve.py)


def test_the_rest_collector_keeps_each_messages_language():
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.shared.core.events import BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.serve import answered, install_lang_on_rest

    install_lang_on_rest()
    out = CollectingOutputChannel()
    asyncio.run(out.send_response("web:abc", {"text": "About X:\n\nTEXT", "lang": "en", "utter_action": "x"}))
    asyncio.run(out.send_response("web:abc", {"text": "Q?", "buttons": [{"title": "Stop", "payload": "/deny"}], "lang": "en"}))
    asyncio.run(out.send_response("web:abc", {"text": "ふつう"}))
    assert out.messages == [
        {"recipient_id": "web:abc", "text": "About X:", "lang": "en"},
        {"recipient_id": "web:abc", "text": "TEXT", "lang": "en"},
        {"recipient_id": "web:abc", "text": "Q?", "buttons": [{"title": "Stop", "payload": "/deny"}], "lang": "en"},
        {"recipient_id": "web:abc", "text": "ふつう"},
    ]
    trk = DialogueStateTracker.from_events("web:abc", [
        UserUttered("hi", metadata={"message_id": "m-first-01"}),
        BotUttered("Hello.\n\nAsk me.", metadata={"lang": "en"}),
        BotUttered("住民票は市民課で。", metadata={"lang": "ja"}),
    ])
    assert answered(trk, "m-first-01") == [
        {"recipient_id": "web:abc", "text": "Hello.", "lang": "en"},
        {"recipient_id": "web:abc", "text": "Ask me.", "lang": "en"},
        {"recipient_id": "web:abc", "text": "住民票は市民課で。", "lang": "ja"},
    ]
