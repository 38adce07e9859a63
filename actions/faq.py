"""Answering questions from the city's FAQ through the api's search."""
from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.api_client import ApiClient, ApiUnavailable, valid_faq_id
from actions.messages import (COURTESIES, LEAVE_QUESTION_BUTTON, STAFF_BUTTON, api_down_text, contact, last_contact,
                              no_answer_text, out_of_scope_text, utter_small_talk)
from bot.text import says_a_courtesy

# Up to five choices, most likely first: a real city's FAQ has the right entry among the
# engine's first five far more often than first (one city: 52 % first, 80 % in five).
SUGGESTIONS = 5
TITLE_MAX = 40
# Shorter messages are not questions however they match (「ありがとう」「こんにちは」).
MIN_QUESTION_CHARS = 6


def answer_text(entry: Dict[str, Any], info: Optional[Dict[str, str]] = None) -> str:
    """The entry's answer and whom to ask; a city's own FAQ often has no department, phone
    or URL, and then the line says what the entry has, or names the city's contact."""
    parts = [f"「{entry['question']}」についてご案内します。", entry["answer"]]
    department, phone, url = (entry.get(k) for k in ("department", "phone", "url"))
    if department and phone:
        parts.append(f"担当：{department}（電話 {phone}）")
    elif department or phone:
        parts.append(f"担当：{department}" if department else f"お問い合わせ：電話 {phone}")
    else:
        parts.append(f"お問い合わせ：{(info or last_contact())['call']}")
    if url:
        parts[-1] += f"\n詳しくは：{url}"
    return "\n\n".join(parts)


def feedback_buttons(faq_id: str) -> List[Dict[str, str]]:
    def payload(helpful: bool) -> str:
        return "/feedback" + json.dumps({"faq_id": faq_id, "helpful": helpful}, separators=(",", ":"))

    return [{"title": "👍 役に立った", "payload": payload(True)}, {"title": "👎 役に立たなかった", "payload": payload(False)}]


def utter_answer(dispatcher: CollectingDispatcher, entry: Dict[str, Any]) -> List[Dict]:
    """The answer, then the feedback question as its own message (rendered alike on every channel)."""
    dispatcher.utter_message(text=answer_text(entry))
    dispatcher.utter_message(text="この回答は役に立ちましたか？", buttons=feedback_buttons(entry["id"]))
    return [SlotSet("last_faq_id", entry["id"])]


def suggestion_buttons(hits: List[Dict[str, Any]], none_button: bool = True) -> List[Dict[str, str]]:
    buttons = []
    for hit in hits[:SUGGESTIONS]:
        title = hit["question"]
        if len(title) > TITLE_MAX:
            title = title[: TITLE_MAX - 1] + "…"
        payload = "/choose_faq" + json.dumps({"faq_id": hit["id"]}, ensure_ascii=False, separators=(",", ":"))
        buttons.append({"title": title, "payload": payload})
    if none_button:
        buttons += [{"title": "どれでもない", "payload": "/none_of_these"}, LEAVE_QUESTION_BUTTON]
    return buttons


async def reply_from_faq(dispatcher: CollectingDispatcher, tracker: Tracker, api: ApiClient, text: str,
                         intent: Optional[str], lead: str = "") -> List[Dict]:
    """The best FAQ when sure, "もしかして" choices when unsure, an honest apology when nothing
    fits. A message is a question whatever the classifier guessed (out_of_scope, nlu_fallback):
    its guess only picks the words of the apology. With `lead` (the message came after another
    reply, e.g. the emergency numbers) the answer or choices are introduced by it, and nothing
    is said when nothing fits."""
    try:
        result = await api.search_faq(text, k=SUGGESTIONS, sender=tracker.sender_id)
    except ApiUnavailable:
        if not lead:
            dispatcher.utter_message(text=api_down_text())
        return []
    zone = result.get("zone", "none")
    hits = result.get("hits") or []
    if zone == "answer" and hits:
        if lead:
            dispatcher.utter_message(text=lead)
        return utter_answer(dispatcher, hits[0])
    if zone == "suggest" and hits:
        ask = "もしかして、次のどれかについてのご質問ですか？"
        dispatcher.utter_message(text=f"{lead}\n{ask}" if lead else ask, buttons=suggestion_buttons(hits))
        return []
    if lead:
        return []
    # A courtesy that said more than small-talk words was asked as a question; with nothing
    # close in the FAQ, it was a courtesy after all (「夜中なのに答えてくれてありがとう」). Only
    # with the courtesy's words in it: 「となりのおばあさん 新聞がたまってる」 came out as "are
    # you a bot?" and must not be told "I am an AI".
    gated_from = (tracker.latest_message.get("intent") or {}).get("gated_from")
    if gated_from in COURTESIES and says_a_courtesy(text):
        await utter_small_talk(dispatcher, api, gated_from)
        return []
    info = await contact(api)
    if intent == "out_of_scope":
        dispatcher.utter_message(text=out_of_scope_text(info))
        return []
    dispatcher.utter_message(text=no_answer_text(info), buttons=[LEAVE_QUESTION_BUTTON, STAFF_BUTTON])
    return []


async def confident_answer(api: ApiClient, text: str, sender: str) -> Optional[Dict[str, Any]]:
    """The FAQ entry when the search is sure of it, else None (and then nothing is counted as a
    resident's question: used where the message is most likely not a question at all)."""
    if len(text) < MIN_QUESTION_CHARS or text.startswith("/"):
        return None
    try:
        if (await api.search_faq(text, k=1)).get("zone") != "answer":
            return None
        result = await api.search_faq(text, k=1, sender=sender)
    except ApiUnavailable:
        return None
    hits = result.get("hits") or []
    return hits[0] if result.get("zone") == "answer" and hits else None


class ActionAnswerFaq(Action):
    def name(self) -> Text:
        return "action_answer_faq"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        text = (tracker.latest_message.get("text") or "").strip()
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if not text or text.startswith("/"):
            dispatcher.utter_message(response="utter_default")
            return []
        return await reply_from_faq(dispatcher, tracker, ApiClient(), text, intent)


class ActionAnswerFaqById(Action):
    """A "もしかして" button was pressed: answer that FAQ."""

    def name(self) -> Text:
        return "action_answer_faq_by_id"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        faq_id: Optional[str] = next(tracker.get_latest_entity_values("faq_id"), None)
        api = ApiClient()
        try:
            entry = await api.get_faq(faq_id, sender=tracker.sender_id) if valid_faq_id(faq_id) else None
        except ApiUnavailable:
            dispatcher.utter_message(text=api_down_text())
            return []
        if not entry:
            dispatcher.utter_message(text="申し訳ありません。その回答は見つかりませんでした。もう一度ご質問を入力してください。")
            return []
        return utter_answer(dispatcher, entry)
