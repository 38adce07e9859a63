"""ごみ分別 in the chat: the FAQ action asks the api's garbage-sorting list first (a local
stand-in for the api's internal endpoints, real HTTP)."""
from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

from aiohttp import web
from rasa_sdk import Tracker

from actions.faq import ActionAnswerFaq, ActionAnswerFaqById
from tests.bot.api_stand_in import run_action

ATTR = "出典：横浜市「ごみと資源物の出し方一覧表」(CC BY 4.0)"
FUTON = {"id": "1.2665", "item_id": "2665", "name": "布団", "category": "粗大ごみ", "notes": "畳んで50cm未満のものは燃やすごみへ",
         "urls": [], "fee_kind": "", "fee": "", "fee_note": "", "remarks": "", "attribution": ATTR,
         "source_url": "https://www.city.example/gomi.html"}
IRONS = [dict(FUTON, id="1.2", name="アイロン(プラスチック製)", category="燃やすごみ", notes=""),
         dict(FUTON, id="1.3", name="アイロン(金属製)", category="小さな金属類", notes=""),
         dict(FUTON, id="1.4", name="アイロン台", category="粗大ごみ", notes="")]
FAQ = {"id": "gomi-010", "question": "粗大ごみの申し込み方法", "answer": "粗大ごみ受付センターへお申し込みください。",
       "department": "資源循環課", "phone": "012-345-6100", "url": None}


class FakeApi:
    def __init__(self, match: Optional[dict], faq_zone: str = "none"):
        self.match, self.faq_zone = match, faq_zone
        self.calls: List[Dict[str, Any]] = []

    async def gomi(self, request: web.Request) -> web.Response:
        self.calls.append({"path": request.path, "query": dict(request.query)})
        if self.match is None:
            return web.json_response({"detail": "not found"}, status=404)
        return web.json_response(self.match)

    async def item(self, request: web.Request) -> web.Response:
        self.calls.append({"path": request.path})
        uid = request.match_info["uid"]
        found = [i for i in IRONS + [FUTON] if i["id"] == uid]
        return web.json_response(found[0]) if found else web.json_response({}, status=404)

    async def search(self, request: web.Request) -> web.Response:
        self.calls.append({"path": request.path, "query": dict(request.query)})
        return web.json_response({"zone": self.faq_zone, "hits": [] if self.faq_zone == "none" else [FAQ]})

    async def contact(self, request: web.Request) -> web.Response:
        return web.json_response({"city": "ことぶき川町", "phone": "", "hours": "", "office": "", "hall": "役場",
                                  "site": "", "call": "ことぶき川町役場"})


def run(action, fake: FakeApi, text: str, entities: Optional[list] = None, lang: Optional[str] = None) -> tuple:
    message = {"text": text, "intent": {"name": "ask_question", "confidence": 0.9}, "entities": entities or []}
    if lang:
        message["metadata"] = {"lang": lang}
    trk = Tracker("web:abc", {}, message, [], False, None, {}, "action_listen")

    return run_action(action, trk, [("GET", "/internal/gomi/match", fake.gomi),
                                    ("GET", "/internal/gomi/items/{uid}", fake.item),
                                    ("GET", "/internal/faq/search", fake.search),
                                    ("GET", "/internal/contact", fake.contact)])


def test_item_question_gets_category_notes_and_attribution_and_the_faq_is_not_needed():
    fake = FakeApi({"item_question": True, "rule": False, "found": [{"kind": "item", "text": "ふとん", "items": [FUTON]}]})
    messages, events = run(ActionAnswerFaq(), fake, "ふとんは何ごみ？")
    assert len(messages) == 1
    text = messages[0]["text"]
    assert text.startswith("「布団」の出し方をご案内します。") and "分別区分：粗大ごみ" in text
    assert "注意点：畳んで50cm未満のものは燃やすごみへ" in text and text.endswith(ATTR)
    assert "詳しくは：https://www.city.example/gomi.html" in text  # the list's page, the item having no link
    searches = [c for c in fake.calls if c["path"] == "/internal/faq/search"]
    assert searches and searches[0]["query"]["sender"] == "web:abc"  # still counted for the console
    assert events == []


def test_a_resident_writing_another_language_is_answered_from_the_list_too():
    """The matcher reads residents' other languages (api/gomi/foreign.py): the item in the resident's
    language's frame, the list's own Japanese words inside it."""
    fake = FakeApi({"item_question": True, "rule": False, "found": [{"kind": "item", "text": "布団", "items": [FUTON]}]})
    messages, _ = run(ActionAnswerFaq(), fake, "How do I throw away a futon?", lang="en")
    assert fake.calls[0] == {"path": "/internal/gomi/match", "query": {"q": "How do I throw away a futon?"}}
    assert messages[0]["text"].startswith('How to put out "布団":') and ATTR in messages[0]["text"]


def test_item_and_a_sure_faq_answer_are_both_shown():
    fake = FakeApi({"item_question": True, "rule": True, "found": [{"kind": "item", "text": "布団", "items": [FUTON]}]},
                   faq_zone="answer")
    messages, events = run(ActionAnswerFaq(), fake, "布団を捨てたいので粗大ごみの申し込みをしたい")
    assert "分別区分：粗大ごみ" in messages[0]["text"]
    assert "粗大ごみ受付センター" in "\n".join(m.get("text") or "" for m in messages)
    assert events[0]["name"] == "last_faq_id" and events[0]["value"] == "gomi-010"


def test_choices_use_the_faq_choice_payload_and_a_choice_is_answered():
    fake = FakeApi({"item_question": True, "rule": False, "found": [{"kind": "choices", "text": "アイロン", "items": IRONS}]})
    messages, _ = run(ActionAnswerFaq(), fake, "アイロン捨てたい")
    buttons = messages[0]["buttons"]
    assert "素材や種類によって" in messages[0]["text"]
    assert [b["title"] for b in buttons] == ["アイロン(プラスチック製)", "アイロン(金属製)", "アイロン台", "どれでもない"]
    payload = buttons[1]["payload"]
    assert payload == '/choose_faq{"faq_id":"gomi:1.3"}'
    chosen = json.loads(payload[len("/choose_faq"):])["faq_id"]
    messages, _ = run(ActionAnswerFaqById(), fake, payload, entities=[{"entity": "faq_id", "value": chosen}])
    assert "分別区分：小さな金属類" in messages[0]["text"] and ATTR in messages[0]["text"]


def test_a_thing_the_list_names_by_a_broader_word_is_offered_under_it():
    tools = dict(FUTON, id="1.9", name="工具", category="燃えないごみ", notes="")
    fake = FakeApi({"item_question": True, "rule": False, "missing": "のこぎり",
                    "found": [{"kind": "suggest", "text": "のこぎり", "broader": "工具", "items": [tools]}]})
    messages, _ = run(ActionAnswerFaq(), fake, "のこぎりは何ごみ？")
    assert messages[0]["text"].startswith("「のこぎり」という品目は一覧に見つかりませんでした。")
    assert [b["title"] for b in messages[0]["buttons"]] == ["工具", "どれでもない"]
    assert messages[0]["buttons"][0]["payload"] == '/choose_faq{"faq_id":"gomi:1.9"}'


def test_fee_and_links_lines():
    from actions.faq import gomi_text

    item = dict(FUTON, fee_kind="粗大ごみ処理手数料", fee="500円", fee_note="品目により異なります", urls=["https://a.example/x"],
                remarks="予約制です")
    text = gomi_text(item)
    assert "料金：粗大ごみ処理手数料　500円（品目により異なります）" in text and "備考：予約制です" in text
    assert "詳しくは：https://a.example/x" in text and "city.example/gomi.html" not in text


def test_not_an_item_question_or_no_list_goes_to_the_faq():
    for match in ({"item_question": False, "rule": True, "found": []}, None):
        fake = FakeApi(match, faq_zone="answer")
        messages, _ = run(ActionAnswerFaq(), fake, "粗大ごみの申し込み方法")
        assert "粗大ごみ受付センター" in messages[0]["text"] and "分別区分" not in messages[0]["text"]


def test_an_item_the_city_does_not_collect_says_where_it_goes():
    from actions.faq import gomi_text

    where = "「テレビ」は、市のごみの収集には出せません。家電リサイクル法の対象品目です。"
    text = gomi_text(dict(FUTON, name="テレビ", category="家電リサイクル", notes="", where=where))
    lines = text.splitlines()
    assert lines[1] == "分別区分：家電リサイクル" and lines[2] == where
    assert "市のごみの収集" not in gomi_text(FUTON)


def test_a_thing_named_without_asking_comes_after_the_faqs_reply():
    """Where the api settled a thing named without asking beside the FAQ's answer about the garbage
    (`after_faq`: api/gomi/topic.py), the answer comes first, the item after it, then the feedback
    question; where it left the thing as `maybe` (the FAQ unsure of another matter), the item is one
    more button after the FAQ's もしかして, before 「どれでもない」."""
    settled = {"item_question": True, "after_faq": True, "rule": False, "missing": "", "maybe": [],
               "found": [{"kind": "item", "text": "布団", "score": 1.0, "broader": "", "items": [FUTON]}]}
    messages, _ = run(ActionAnswerFaq(), FakeApi(settled, faq_zone="answer"), "布団 押し入れの奥")
    texts = [m.get("text") or "" for m in messages]
    assert "粗大ごみ受付センター" in texts[0]
    assert any("「布団」の出し方" in x for x in texts[1:-1]) and ATTR in "\n".join(texts)
    assert texts[-1] == "この回答は役に立ちましたか？"
    assert all(b["payload"].startswith("/feedback") for b in messages[-1]["buttons"])
    # the FAQ unsure after all (its index changed between the two searches): the item alone
    messages, _ = run(ActionAnswerFaq(), FakeApi(settled, faq_zone="suggest"), "布団 押し入れの奥")
    assert "「布団」の出し方" in messages[0]["text"] and "粗大ごみ受付センター" not in " ".join(m.get("text") or "" for m in messages)
    maybe = {"item_question": False, "after_faq": False, "rule": False, "missing": "", "found": [],
             "maybe": [{"kind": "item", "text": "布団", "score": 1.0, "broader": "", "items": [FUTON]}]}
    messages, _ = run(ActionAnswerFaq(), FakeApi(maybe, faq_zone="suggest"), "布団 押し入れの奥")
    titles = [b["title"] for b in messages[-1]["buttons"]]
    assert titles[:3] == ["粗大ごみの申し込み方法", "布団", "どれでもない"]
    assert messages[-1]["buttons"][1]["payload"] == '/choose_faq{"faq_id":"gomi:1.2665"}'
    # the FAQ has nothing and the message said much else besides the thing: a もしかして of it alone
    messages, _ = run(ActionAnswerFaq(), FakeApi(maybe, faq_zone="none"), "布団 押し入れの奥の奥で見つけた古いもの")
    assert messages[-1]["text"] == "もしかして、次の品目のことですか？"
    assert [b["title"] for b in messages[-1]["buttons"]][:1] == ["布団"]
