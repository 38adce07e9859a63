"""Actions against a local stand-in for the api's internal endpoints (real HTTP, real aiohttp
client): what each action says, and which calls it makes — a search is counted as a resident's
question only when `sender` is passed."""
from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional

from aiohttp import web
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from tests.bot.api_stand_in import run_action

from actions.emergency import NOT_URGENT_LEAD, ActionEmergency
from actions.smalltalk import ActionSmallTalk
from actions.staff import ActionStaffContact
from actions.status import ActionCheckApplicationStatus, ActionSubscribeStatus

ENTRY = {"id": "dv-001", "category": "相談", "question": "DVの相談はどこにできますか",
         "answer": "配偶者暴力相談支援センターでお受けしています。", "department": "子ども家庭課",
         "phone": "012-345-6500", "url": "https://www.city.example/dv.html"}
CONTACT = {"city": "ことぶき川町", "phone": "0123-45-1111", "hours": "平日 8時30分〜17時15分", "office": "総務課",
           "hall": "役場", "site": "", "call": "役場代表 0123-45-1111（平日 8時30分〜17時15分）"}
OTHERS = [dict(ENTRY, id=f"other-{i:03d}", question=f"ほかの質問{i}") for i in range(1, 8)]


class FakeApi:
    """Answers like the api: `zone` decides the search result; records every request."""

    def __init__(self, zone: str = "none", subscribe_status: int = 201, hits: Optional[list] = None,
                 lookup: Optional[dict] = None):
        self.zone, self.subscribe_status = zone, subscribe_status
        self.hits = hits
        self.lookup_reply = lookup or {"result": "not_found", "application": None, "retry_after": None}
        self.calls: List[Dict[str, Any]] = []

    async def search(self, request: web.Request) -> web.Response:
        self.calls.append({"path": request.path, "query": dict(request.query)})
        hits = self.hits if self.hits is not None else ([] if self.zone == "none" else [ENTRY])
        return web.json_response({"zone": self.zone, "hits": hits[: int(request.query.get("k", "5"))]})

    async def contact(self, request: web.Request) -> web.Response:
        return web.json_response(CONTACT)

    async def subscribe(self, request: web.Request) -> web.Response:
        self.calls.append({"path": request.path, "json": await request.json()})
        if self.subscribe_status == 404:
            return web.json_response({"detail": "該当する申請が見つかりません。"}, status=404)
        return web.json_response({"subscribed": True, "number": request.match_info["number"]}, status=201)

    async def lookup(self, request: web.Request) -> web.Response:
        self.calls.append({"path": request.path, "json": await request.json()})
        return web.json_response(self.lookup_reply)

    def searches(self) -> List[Dict[str, str]]:
        return [c["query"] for c in self.calls if c["path"] == "/internal/faq/search"]


def tracker(text: str, intent: str, sender: str = "web:abc", entities: Optional[list] = None,
            slots: Optional[dict] = None, gated_from: Optional[str] = None, metadata: Optional[dict] = None) -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or []}
    if metadata is not None:
        message["metadata"] = metadata
    if gated_from:
        message["intent"]["gated_from"] = gated_from
    return Tracker(sender, slots or {}, message, [], False, None, {}, "action_listen")


def run(action, fake: FakeApi, trk: Tracker) -> tuple:
    return run_action(action, trk, [("GET", "/internal/faq/search", fake.search),
                                    ("GET", "/internal/contact", fake.contact),
                                    ("POST", "/internal/applications/lookup", fake.lookup),
                                    ("POST", "/internal/applications/{number}/subscribe", fake.subscribe)])


def said(messages: List[dict]) -> str:
    return "\n".join(m.get("text") or m.get("response") or "" for m in messages)


def test_emergency_without_a_match_gets_only_the_numbers():
    fake = FakeApi(zone="none")
    messages, _ = run(ActionEmergency(), fake, tracker("家が燃えてる！", "emergency"))
    assert [m.get("response") for m in messages] == ["utter_emergency"]


def test_emergency_gets_the_numbers_then_the_answer():
    fake = FakeApi(zone="answer")
    messages, events = run(ActionEmergency(), fake, tracker("DVの相談をしたいです", "emergency"))
    assert messages[0].get("response") == "utter_emergency"
    assert NOT_URGENT_LEAD in said(messages) and "配偶者暴力相談支援センター" in said(messages)
    assert fake.searches()[0]["sender"] == "web:abc"  # counted for the staff console
    assert {"event": "slot", "name": "last_faq_id", "value": "dv-001", "timestamp": None} in events


def test_guessed_emergency_without_a_match_says_nothing_more_but_is_counted():
    fake = FakeApi(zone="none")
    messages, _ = run(ActionEmergency(), fake, tracker("公園でドローンを飛ばしてもいいですか", "emergency"))
    assert [m.get("response") for m in messages] == ["utter_emergency"]
    assert fake.searches()[0]["sender"] == "web:abc"


def test_guessed_emergency_with_suggestions_offers_them_after_the_lead():
    fake = FakeApi(zone="suggest")
    messages, _ = run(ActionEmergency(), fake, tracker("水道が止まった", "emergency"))
    assert messages[1]["text"].startswith(NOT_URGENT_LEAD)
    assert any(b["payload"].startswith("/choose_faq") for b in messages[1]["buttons"])


def test_short_small_talk_is_not_searched_and_the_greeting_names_the_configured_city():
    fake = FakeApi(zone="answer")
    messages, _ = run(ActionSmallTalk(), fake, tracker("こんにちは", "greet"))
    assert len(messages) == 1 and "ことぶき川町のAI窓口" in messages[0]["text"] and fake.searches() == []
    assert messages[0]["buttons"][2]["payload"] == "/check_application_status"
    messages, _ = run(ActionSmallTalk(), FakeApi(zone="none"), tracker("あなたはAI?", "bot_challenge"))
    assert "ことぶき川町のAI窓口（自動応答）" in said(messages) and "ひかり野" not in said(messages)


def test_unsure_search_offers_five_choices_none_of_these_and_staff():
    from actions.faq import ActionAnswerFaq

    messages, _ = run(ActionAnswerFaq(), FakeApi(zone="suggest", hits=OTHERS), tracker("ほかの質問について", "ask_question"))
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert titles == [f"ほかの質問{i}" for i in range(1, 6)] + ["どれでもない", "質問を職員に送る"]


def test_no_match_apology_names_the_configured_city_and_offers_staff():
    from actions.faq import ActionAnswerFaq

    messages, _ = run(ActionAnswerFaq(), FakeApi(zone="none"), tracker("宇宙旅行の補助金", "ask_question"))
    assert "役場代表 0123-45-1111" in said(messages) and "ひかり野" not in said(messages)
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/leave_question", "/request_staff"]
    messages, _ = run(ActionAnswerFaq(), FakeApi(zone="none"), tracker("明日の天気は", "out_of_scope"))
    assert "ことぶき川町の手続き" in said(messages)


def test_small_talk_sent_to_the_search_stays_small_talk_when_nothing_fits():
    from actions.faq import ActionAnswerFaq

    trk = tracker("夜中なのに答えてくれてありがとう", "ask_question", gated_from="thanks")
    messages, _ = run(ActionAnswerFaq(), FakeApi(zone="none"), trk)
    assert [m.get("response") for m in messages] == ["utter_thanks"]
    messages, _ = run(ActionAnswerFaq(), FakeApi(zone="answer"), trk)
    assert "配偶者暴力相談支援センター" in said(messages)
    # without a courtesy's words, a question the classifier took for "are you a bot?" is a question
    trk = tracker("となりのおばあさん 新聞がたまってる", "ask_question", gated_from="bot_challenge")
    messages, _ = run(ActionAnswerFaq(), FakeApi(zone="none"), trk)
    assert "見つかりませんでした" in said(messages) and "自動応答" not in said(messages)


def test_answer_leaves_out_what_the_city_s_faq_does_not_have():
    from actions.faq import answer_text

    bare = {"id": "x-1", "question": "Q", "answer": "A", "department": None, "phone": None, "url": None}
    text = answer_text(bare, CONTACT)
    assert "None" not in text and "お問い合わせ：役場代表 0123-45-1111" in text and "詳しくは" not in text
    assert "担当：税務課\n詳しくは：https://x.example/" in answer_text(dict(bare, department="税務課", url="https://x.example/"))
    assert "お問い合わせ：電話 0123-45-6789" in answer_text(dict(bare, phone="0123-45-6789"))
    full = answer_text(ENTRY)
    assert "担当：子ども家庭課（電話 012-345-6500）\n詳しくは：https://www.city.example/dv.html" in full


def test_small_talk_that_is_a_question_gets_the_answer_and_is_counted_once():
    fake = FakeApi(zone="answer")
    messages, _ = run(ActionSmallTalk(), fake, tracker("ほたる観賞会はいつですか", "bot_challenge"))
    assert "配偶者暴力相談支援センター" in said(messages) and "utter_iamabot" not in said(messages)
    assert [("sender" in q) for q in fake.searches()] == [False, True]


def test_small_talk_with_only_a_half_match_stays_small_talk_and_is_not_counted():
    fake = FakeApi(zone="suggest")
    messages, _ = run(ActionSmallTalk(), fake, tracker("ありがとうございました", "thanks"))
    assert [m.get("response") for m in messages] == ["utter_thanks"]
    assert all("sender" not in q for q in fake.searches())


def test_staff_request_naming_a_need_gets_its_answer_and_office():
    fake = FakeApi(zone="answer")
    messages, _ = run(ActionStaffContact(), fake, tracker("DVの相談窓口を知りたい", "request_staff"))
    body = said(messages)
    assert "配偶者暴力相談支援センター" in body and "このご相談の担当：子ども家庭課 電話 012-345-6500" in body
    assert "0123-45-1111" in body and messages[-1]["buttons"][0]["payload"] == "/leave_question"


def test_plain_staff_request_gets_the_switchboard():
    fake = FakeApi(zone="none")
    messages, _ = run(ActionStaffContact(), fake, tracker("職員と話したい", "request_staff"))
    assert len(messages) == 1 and "0123-45-1111" in said(messages) and "このご相談" not in said(messages)


def test_subscribe_words_without_a_status_check_but_a_sure_answer_get_the_answer():
    fake = FakeApi(zone="answer")
    messages, _ = run(ActionSubscribeStatus(), fake, tracker("婚姻届の期限が来たら知らせてほしい", "subscribe_status"))
    assert "配偶者暴力相談支援センター" in said(messages) and "先に申請状況の確認" not in said(messages)


def test_subscribe_without_a_status_check_asks_for_one_first():
    fake = FakeApi()
    messages, events = run(ActionSubscribeStatus(), fake, tracker("変わったら知らせて", "subscribe_status"))
    assert "先に申請状況の確認" in said(messages) and events == []
    assert not [c for c in fake.calls if "subscribe" in c["path"]]


def test_subscribe_uses_the_number_just_seen_and_the_channel():
    fake = FakeApi()
    trk = tracker("変わったら知らせて", "subscribe_status", sender="line:U123",
                  slots={"last_application_number": "A-2026-000101"})
    messages, _ = run(ActionSubscribeStatus(), fake, trk)
    [call] = [c for c in fake.calls if "subscribe" in c["path"]]
    assert call["path"] == "/internal/applications/A-2026-000101/subscribe"
    assert call["json"] == {"sender": "line:U123", "channel": "line"}
    assert "承知しました" in said(messages) and "LINE" in said(messages)


def test_subscribe_payload_number_wins_and_a_refusal_is_explained():
    fake = FakeApi(subscribe_status=404)
    entities = [{"entity": "application_number", "value": "ａ－２０２６－０００１０２"}]
    trk = tracker('/subscribe_status{"application_number":"A-2026-000102"}', "subscribe_status",
                  entities=entities, slots={"last_application_number": "A-2026-000101"})
    messages, events = run(ActionSubscribeStatus(), fake, trk)
    [call] = [c for c in fake.calls if "subscribe" in c["path"]]
    assert call["path"].endswith("/A-2026-000102/subscribe")
    assert "設定できませんでした" in said(messages) and "承知しました" not in said(messages) and events == []


def test_malformed_kanji_birth_dates_are_asked_again_not_a_crash():
    from actions.status import ValidateApplicationStatusForm

    form = ValidateApplicationStatusForm()
    for text in ("十十", "二三十", "平成二三十年十十月一日"):
        trk = tracker(text, "inform", slots={"requested_slot": "birth_date", "application_number": "A-2026-000101"})
        dispatcher = CollectingDispatcher()
        result = asyncio.run(form.extract_birth_date(dispatcher, trk, {}))
        assert result == {"birth_date": None}
        assert [m.get("response") for m in dispatcher.messages] == ["utter_invalid_birth_date"]


def test_status_lookup_passes_the_client_and_says_how_long_to_wait():
    """The api limits look-ups per client too: the web chat's keyed hash of the resident's address
    (the message's metadata) goes with the look-up; a wait is told in minutes, with the phone."""
    fake = FakeApi(lookup={"result": "locked", "application": None, "retry_after": 120})
    slots = {"application_number": "A-2026-000101", "birth_date": "1985-06-15"}
    messages, events = run(ActionCheckApplicationStatus(), fake,
                           tracker("昭和60年6月15日", "inform", slots=slots, metadata={"client": "c0ffee"}))
    body = [c["json"] for c in fake.calls if c["path"] == "/internal/applications/lookup"][0]
    assert body == {"sender": "web:abc", "number": "A-2026-000101", "birth_date": "1985-06-15", "client": "c0ffee"}
    assert "約2分たってから" in said(messages) and CONTACT["call"] in said(messages)
    # LINE (no client in the metadata): the sender alone
    fake = FakeApi()
    run(ActionCheckApplicationStatus(), fake, tracker("昭和60年6月15日", "inform", sender="line:U1", slots=slots))
    assert "client" not in fake.calls[0]["json"]


def _with_offer(fake: FakeApi, offer: dict):
    async def handover_offer(request: web.Request) -> web.Response:
        fake.calls.append({"path": request.path, "query": dict(request.query)})
        return web.json_response(offer)
    return [("GET", "/internal/faq/search", fake.search), ("GET", "/internal/contact", fake.contact),
            ("GET", "/internal/handover/offer", handover_offer)]


def test_staff_request_in_hours_offers_a_live_chat_with_the_faqs_department():
    import json

    from tests.bot.api_stand_in import run_action

    fake = FakeApi(zone="answer")
    offer = {"available": True, "department": "子ども家庭課", "label": "ことぶき川町 子ども家庭課",
             "hours": "月〜金 8:30〜17:15", "wait_text": "約3分", "reason": ""}
    messages, _ = run_action(ActionStaffContact(), tracker("DVの相談窓口を知りたい", "request_staff"),
                             _with_offer(fake, offer))
    asked = [c["query"] for c in fake.calls if c["path"] == "/internal/handover/offer"]
    assert asked == [{"faq_department": "子ども家庭課"}]
    last = messages[-1]
    assert "ことぶき川町 子ども家庭課の職員と、このチャットでお話しいただけます（待ち時間の目安：約3分）" in last["text"]
    live, leave = last["buttons"]
    assert live["title"] == "今すぐ職員とチャットする" and leave["payload"] == "/leave_question"
    assert live["payload"].startswith("/live_chat{")
    assert json.loads(live["payload"][len("/live_chat"):]) == {"department": "子ども家庭課", "faq_id": "dv-001"}


def test_staff_request_out_of_hours_names_the_chat_hours_and_offers_the_ticket():
    from tests.bot.api_stand_in import run_action

    fake = FakeApi(zone="none")
    offer = {"available": False, "department": "市民課", "label": "ことぶき川町 市民課",
             "hours": "月〜金 8:30〜17:15（祝日・年末年始などの休業日を除く）", "wait_text": "", "reason": "closed"}
    messages, _ = run_action(ActionStaffContact(), tracker("職員と話したい", "request_staff"), _with_offer(fake, offer))
    assert "職員とのチャットの受付：月〜金 8:30〜17:15" in messages[-1]["text"]
    assert [b["payload"] for b in messages[-1]["buttons"]] == ["/leave_question"]


def _thumbs_down(fake: FakeApi, offer: dict):
    from actions.feedback import ActionFeedback
    from tests.bot.api_stand_in import run_action

    async def entry(request: web.Request) -> web.Response:
        return web.json_response(ENTRY)

    async def feedback(request: web.Request) -> web.Response:
        return web.json_response({"stored": True})

    message = {"text": "/feedback", "intent": {"name": "feedback", "confidence": 1.0},
               "entities": [{"entity": "faq_id", "value": "dv-001"}, {"entity": "helpful", "value": False}]}
    events = [{"event": "user", "text": "DVの相談窓口を知りたい"}, {"event": "user", "text": "/feedback"}]
    trk = Tracker("web:abc", {}, message, events, False, None, {}, "action_listen")
    return run_action(ActionFeedback(), trk, _with_offer(fake, offer) + [
        ("GET", "/internal/faq/dv-001", entry), ("POST", "/internal/faq/feedback", feedback)])


LIVE_NOW = {"available": True, "department": "子ども家庭課", "label": "ことぶき川町 子ども家庭課",
            "hours": "", "wait_text": "すぐにおつなぎできます", "reason": ""}


def test_thumbs_down_offers_other_answers_then_still_not_solved():
    """👎 with other answers: those first, and 「まだ解決しない」 (→ request_staff: the live chat,
    the ticket, the phone) rather than the staff at once."""
    fake = FakeApi(zone="suggest", hits=[ENTRY] + OTHERS)
    messages, _ = _thumbs_down(fake, LIVE_NOW)
    assert not [c for c in fake.calls if c["path"] == "/internal/handover/offer"]
    buttons = messages[-1]["buttons"]
    assert [b["title"] for b in buttons[:3]] == ["ほかの質問1", "ほかの質問2", "ほかの質問3"]
    assert buttons[3:] == [{"title": "まだ解決しない（職員に相談する）", "payload": "/request_staff"}]


def test_thumbs_down_with_nothing_else_offers_the_answers_department_live():
    fake = FakeApi(zone="none")
    messages, _ = _thumbs_down(fake, LIVE_NOW)
    asked = [c["query"] for c in fake.calls if c["path"] == "/internal/handover/offer"]
    assert asked == [{"faq_department": "子ども家庭課"}]
    assert messages[0].get("response") == "utter_faq_none"
    (live,) = messages[-1]["buttons"]
    assert live["title"] == "今すぐ職員とチャットする" and '"department":"子ども家庭課"' in live["payload"]


def test_still_not_solved_offers_the_last_answers_department_live():
    """「まだ解決しない」 is the button's /request_staff: the department is the last answer's."""
    from tests.bot.api_stand_in import run_action

    async def entry(request: web.Request) -> web.Response:
        return web.json_response(ENTRY)

    fake = FakeApi(zone="none")
    trk = tracker("/request_staff", "request_staff", slots={"last_faq_id": "dv-001"})
    messages, _ = run_action(ActionStaffContact(), trk, _with_offer(fake, LIVE_NOW) + [("GET", "/internal/faq/dv-001", entry)])
    assert [c["query"] for c in fake.calls if c["path"] == "/internal/handover/offer"] == [{"faq_department": "子ども家庭課"}]
    assert not [c for c in fake.calls if c["path"] == "/internal/faq/search"]  # the payload is not a question
    assert [b["payload"] for b in messages[-1]["buttons"]][1:] == ["/leave_question"]
    assert messages[-1]["buttons"][0]["payload"].startswith("/live_chat{")
