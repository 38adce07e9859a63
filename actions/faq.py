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


# ごみ分別: a choice among the city's items rides on the FAQ's choice payload with this prefix,
# so the buttons need no new intent (and no retraining).
GOMI_PREFIX = "gomi:"
GOMI_MAX_FOUND = 3


def gomi_text(item: Dict[str, Any]) -> str:
    """How an item of the city's list goes out, in short lines, with the list's attribution."""
    lines = [f"「{item['name']}」の出し方をご案内します。", f"分別区分：{item['category']}"]
    if item.get("notes"):
        lines.append(f"注意点：{item['notes']}")
    if item.get("where"):  # not collected by the city: where it goes (api.gomi.guidance)
        lines.append(item["where"])
    fee = "　".join(x for x in (item.get("fee_kind"), item.get("fee")) if x)
    if fee or item.get("fee_note"):
        lines.append("料金：" + fee + (f"（{item['fee_note']}）" if fee and item.get("fee_note") else item.get("fee_note") or ""))
    if item.get("remarks"):
        lines.append(f"備考：{item['remarks']}")
    urls = (item.get("urls") or [])[:2] or ([item["source_url"]] if item.get("source_url") else [])
    for url in urls:
        lines.append(f"詳しくは：{url}")
    if item.get("attribution"):
        lines.append(item["attribution"])
    return "\n".join(lines)


def gomi_buttons(items: List[Dict[str, Any]]) -> List[Dict[str, str]]:
    buttons = []
    for item in items[:SUGGESTIONS]:
        title = item["name"] if len(item["name"]) <= TITLE_MAX else item["name"][: TITLE_MAX - 1] + "…"
        payload = "/choose_faq" + json.dumps({"faq_id": GOMI_PREFIX + item["id"]}, ensure_ascii=False,
                                             separators=(",", ":"))
        buttons.append({"title": title, "payload": payload})
    return buttons + [{"title": "どれでもない", "payload": "/none_of_these"}]


def utter_gomi(dispatcher: CollectingDispatcher, found: List[Dict[str, Any]]) -> None:
    """Each item the question names: its answer, or the choices when the question does not decide."""
    for f in found[:GOMI_MAX_FOUND]:
        items = f.get("items") or []
        if not items:
            continue
        if f.get("kind") == "item":
            dispatcher.utter_message(text=gomi_text(items[0]))
        elif f.get("kind") == "choices":
            dispatcher.utter_message(
                text=f"「{f.get('text') or items[0]['name']}」は、素材や種類によって出し方が変わります。どれにあたりますか？",
                buttons=gomi_buttons(items))
        else:
            dispatcher.utter_message(text="もしかして、次の品目のことですか？", buttons=gomi_buttons(items))


async def reply_from_gomi(dispatcher: CollectingDispatcher, tracker: Tracker, api: ApiClient,
                          text: str) -> Optional[List[Dict]]:
    """The city's garbage-sorting list answers a question about items (「スプレー缶は何ごみ？」);
    the FAQ's answer follows when the search is sure of one too (a rule beside the item).
    None when the question is not about an item (or there is no list): the FAQ answers."""
    try:
        match = await api.match_gomi(text)
    except ApiUnavailable:
        return None
    if not match or not match.get("item_question") or not match.get("found"):
        return None
    utter_gomi(dispatcher, match["found"])
    try:
        result = await api.search_faq(text, k=1, sender=tracker.sender_id)
    except ApiUnavailable:
        return []
    hits = result.get("hits") or []
    if result.get("zone") == "answer" and hits:
        dispatcher.utter_message(text="あわせて、よくある質問からもご案内します。")
        return utter_answer(dispatcher, hits[0])
    return []


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
        api = ApiClient()
        gomi = await reply_from_gomi(dispatcher, tracker, api, text)
        if gomi is not None:
            return gomi
        return await reply_from_faq(dispatcher, tracker, api, text, intent)


class ActionAnswerFaqById(Action):
    """A "もしかして" button was pressed: answer that FAQ."""

    def name(self) -> Text:
        return "action_answer_faq_by_id"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        faq_id: Optional[str] = next(tracker.get_latest_entity_values("faq_id"), None)
        api = ApiClient()
        item = bool(faq_id) and str(faq_id).startswith(GOMI_PREFIX)  # an item of the garbage-sorting list
        try:
            if item:
                entry = await api.get_gomi_item(str(faq_id)[len(GOMI_PREFIX):])
            else:
                entry = await api.get_faq(faq_id, sender=tracker.sender_id) if valid_faq_id(faq_id) else None
        except ApiUnavailable:
            dispatcher.utter_message(text=api_down_text())
            return []
        if not entry:
            dispatcher.utter_message(text="申し訳ありません。その品目は見つかりませんでした。もう一度品目名を入力してください。" if item
                                     else "申し訳ありません。その回答は見つかりませんでした。もう一度ご質問を入力してください。")
            return []
        if item:
            dispatcher.utter_message(text=gomi_text(entry))
            return []
        return utter_answer(dispatcher, entry)
