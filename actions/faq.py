"""Answering questions from the city's FAQ through the api's search."""
from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

import locales
from actions.api_client import ApiClient, ApiUnavailable, valid_faq_id
from actions.messages import (COURTESIES, api_down_text, button, contact, contact_in, lang_of, last_contact,
                              leave_question_button, no_answer_text, out_of_scope_text, say, staff_button, t,
                              utter_small_talk)
from bot.text import says_a_courtesy

# Up to five choices, most likely first: a real city's FAQ has the right entry among the
# engine's first five far more often than first (one city: 52 % first, 80 % in five).
SUGGESTIONS = 5
TITLE_MAX = 40
# Shorter messages are not questions however they match (「ありがとう」「こんにちは」).
MIN_QUESTION_CHARS = 6


def contact_line(entry: Dict[str, Any], info: Optional[Dict[str, str]] = None, lang: str = "ja") -> str:
    """Whom to ask about an entry; a city's own FAQ often has no department, phone or URL, and
    then the line says what the entry has, or names the city's contact."""
    department, phone, url = (entry.get(k) for k in ("department", "phone", "url"))
    if department and phone:
        line = t(lang, "faq_department_phone", department=department, phone=phone)
    elif department or phone:
        line = t(lang, "faq_department", department=department) if department else t(lang, "faq_phone", phone=phone)
    else:
        line = t(lang, "faq_call", call=contact_in(lang, info or last_contact())["call"])
    if url:
        line += "\n" + t(lang, "more_at", url=url)
    return line


def answer_text(entry: Dict[str, Any], info: Optional[Dict[str, str]] = None, lang: str = "ja") -> str:
    """The entry's answer and whom to ask (one text, its parts apart: channels show them as messages)."""
    return "\n\n".join([t(lang, "faq_intro", question=entry["question"]), entry["answer"],
                         contact_line(entry, info, lang)])


def answer_lang_of(entry: Dict[str, Any]) -> str:
    """The language the api gave the entry's answer in (B's contract: `answer_lang`; Japanese when
    the api does not say, as before issue 15)."""
    return locales.valid(entry.get("answer_lang"))


def language_note(lang: str, answer_lang: str) -> Optional[str]:
    """One line in the resident's language when the answer is in another: easy Japanese, or the
    staff's ordinary Japanese (never a machine translation presented as the city's word)."""
    if answer_lang == lang or answer_lang not in locales.JAPANESE:
        return None
    if answer_lang == "ja-easy":
        return t(lang, "answer_in_ja_easy")
    return t(lang, "answer_in_ja_normal" if lang == "ja-easy" else "answer_in_ja")


def feedback_buttons(faq_id: str, lang: str = "ja") -> List[Dict[str, str]]:
    def payload(helpful: bool) -> str:
        return "/feedback" + json.dumps({"faq_id": faq_id, "helpful": helpful}, separators=(",", ":"))

    return [button(lang, "button_helpful", payload(True)), button(lang, "button_not_helpful", payload(False))]


def utter_answer(dispatcher: CollectingDispatcher, entry: Dict[str, Any], lang: str = "ja",
                 gomi: Optional[List[Dict[str, Any]]] = None) -> List[Dict]:
    """The answer, then the feedback question as its own message (rendered alike on every channel).
    An answer in another language than the resident's comes as its own message tagged with its
    language, between the resident's-language introduction and the line saying so with whom to ask.
    gomi: things of the garbage-sorting list to answer after it, before the feedback question."""
    answer_lang = answer_lang_of(entry)
    note = language_note(lang, answer_lang)
    if note is None:
        say(dispatcher, lang, answer_text(entry, lang=lang), text_lang=answer_lang if answer_lang != lang else lang)
    else:
        say(dispatcher, lang, t(lang, "faq_intro", question=entry["question"]))
        say(dispatcher, lang, entry["answer"], text_lang=answer_lang)
        say(dispatcher, lang, note + "\n" + contact_line(entry, lang=lang))
    if gomi:
        utter_gomi(dispatcher, gomi, lang)
    say(dispatcher, lang, t(lang, "faq_ask_helpful"), feedback_buttons(entry["id"], lang))
    return [SlotSet("last_faq_id", entry["id"])]


def suggestion_buttons(hits: List[Dict[str, Any]], none_button: bool = True, lang: str = "ja") -> List[Dict[str, str]]:
    buttons = []
    for hit in hits[:SUGGESTIONS]:
        title = hit["question"]
        if len(title) > TITLE_MAX:
            title = title[: TITLE_MAX - 1] + "…"
        payload = "/choose_faq" + json.dumps({"faq_id": hit["id"]}, ensure_ascii=False, separators=(",", ":"))
        buttons.append({"title": title, "payload": payload})
    if none_button:
        buttons += [button(lang, "button_none_of_these", "/none_of_these"), leave_question_button(lang)]
    return buttons


# ごみ分別: a choice among the city's items rides on the FAQ's choice payload with this prefix,
# so the buttons need no new intent (and no retraining).
GOMI_PREFIX = "gomi:"
GOMI_MAX_FOUND = 3


def gomi_text(item: Dict[str, Any], lang: str = "ja") -> str:
    """How an item of the city's list goes out, in short lines, with the list's attribution."""
    lines = [t(lang, "gomi_intro", name=item["name"]), t(lang, "gomi_category", category=item["category"])]
    if item.get("notes"):
        lines.append(t(lang, "gomi_notes", notes=item["notes"]))
    if item.get("where"):  # not collected by the city: where it goes (api.gomi.guidance)
        lines.append(item["where"])
    fee = "　".join(x for x in (item.get("fee_kind"), item.get("fee")) if x)
    if fee or item.get("fee_note"):
        lines.append(t(lang, "gomi_fee", fee=fee + (f"（{item['fee_note']}）" if fee and item.get("fee_note")
                                                    else item.get("fee_note") or "")))
    if item.get("remarks"):
        lines.append(t(lang, "gomi_remarks", remarks=item["remarks"]))
    urls = (item.get("urls") or [])[:2] or ([item["source_url"]] if item.get("source_url") else [])
    for url in urls:
        lines.append(t(lang, "more_at", url=url))
    if item.get("attribution"):
        lines.append(item["attribution"])
    return "\n".join(lines)


def gomi_buttons(items: List[Dict[str, Any]], lang: str = "ja", none_button: bool = True) -> List[Dict[str, str]]:
    buttons = []
    for item in items[:SUGGESTIONS]:
        title = item["name"] if len(item["name"]) <= TITLE_MAX else item["name"][: TITLE_MAX - 1] + "…"
        payload = "/choose_faq" + json.dumps({"faq_id": GOMI_PREFIX + item["id"]}, ensure_ascii=False,
                                             separators=(",", ":"))
        buttons.append({"title": title, "payload": payload})
    return buttons + ([button(lang, "button_none_of_these", "/none_of_these")] if none_button else [])


def utter_gomi(dispatcher: CollectingDispatcher, found: List[Dict[str, Any]], lang: str = "ja") -> None:
    """Each item the question names: its answer, or the choices when the question does not decide."""
    for f in found[:GOMI_MAX_FOUND]:
        items = f.get("items") or []
        if not items:
            continue
        if f.get("kind") == "item":
            say(dispatcher, lang, gomi_text(items[0], lang))
        elif f.get("kind") == "choices":
            say(dispatcher, lang, t(lang, "gomi_choices", name=f.get("text") or items[0]["name"]), gomi_buttons(items, lang))
        elif f.get("broader") and f.get("text"):  # the list names the thing only by a broader word (のこぎり → 工具)
            say(dispatcher, lang, t(lang, "gomi_broader", name=f["text"]), gomi_buttons(items, lang))
        else:
            say(dispatcher, lang, t(lang, "gomi_maybe"), gomi_buttons(items, lang))


async def match_gomi(api: ApiClient, text: str) -> Dict[str, Any]:
    """The garbage-sorting list's reading of the message ({} when there is none). In every
    language: the matcher reads residents' other languages' names of things (api/gomi/foreign.py)."""
    try:
        return await api.match_gomi(text) or {}
    except ApiUnavailable:
        return {}


async def reply_from_gomi(dispatcher: CollectingDispatcher, tracker: Tracker, api: ApiClient,
                          text: str, match: Dict[str, Any]) -> Optional[List[Dict]]:
    """The city's garbage-sorting list answers a question about items (「スプレー缶は何ごみ？」);
    the FAQ's answer follows when the search is sure of one too (a rule beside the item) — or comes
    first, where the api settled a thing named without asking beside it (`after_faq`: 「すぷれーかん
    あなあける？」). None when the question is not about an item (or there is no list): the FAQ answers."""
    lang = lang_of(tracker)
    if not match.get("item_question") or not match.get("found"):
        return None
    try:
        result = await api.search_faq(text, k=1, sender=tracker.sender_id, lang=lang)
    except ApiUnavailable:
        result = {}
    hits = result.get("hits") or []
    if result.get("zone") != "answer" or not hits:
        utter_gomi(dispatcher, match["found"], lang)
        return []
    if match.get("after_faq"):
        return utter_answer(dispatcher, hits[0], lang, gomi=match["found"])
    utter_gomi(dispatcher, match["found"], lang)
    say(dispatcher, lang, t(lang, "faq_also"))
    return utter_answer(dispatcher, hits[0], lang)


async def reply_from_faq(dispatcher: CollectingDispatcher, tracker: Tracker, api: ApiClient, text: str,
                         intent: Optional[str], lead: str = "", gomi_maybe: Optional[List[Dict[str, Any]]] = None
                         ) -> List[Dict]:
    """The best FAQ when sure, "もしかして" choices when unsure, an honest apology when nothing
    fits. A message is a question whatever the classifier guessed (out_of_scope, nlu_fallback):
    its guess only picks the words of the apology. With `lead` (the message came after another
    reply, e.g. the emergency numbers) the answer or choices are introduced by it, and nothing
    is said when nothing fits. In the resident's language (the search matches a question in
    another language cross-lingually: the api is told the language)."""
    lang = lang_of(tracker)
    try:
        result = await api.search_faq(text, k=SUGGESTIONS, sender=tracker.sender_id, lang=lang)
    except ApiUnavailable:
        if not lead:
            say(dispatcher, lang, api_down_text(lang=lang))
        return []
    zone = result.get("zone", "none")
    hits = result.get("hits") or []
    if zone == "answer" and hits:
        if lead:
            say(dispatcher, lang, lead)
        return utter_answer(dispatcher, hits[0], lang)
    # a thing of the garbage-sorting list the message names without asking, where the FAQ is unsure
    # of another matter (api/gomi/topic.py): its items after the FAQ's もしかして; where the FAQ has
    # nothing and the message says much else besides the thing: a もしかして of its items
    maybe = [i for f in gomi_maybe or [] for i in f.get("items") or []]
    if zone == "suggest" and hits:
        ask = t(lang, "faq_suggest")
        say(dispatcher, lang, f"{lead}\n{ask}" if lead else ask,
            suggestion_buttons(hits, none_button=False, lang=lang)
            + gomi_buttons(maybe[:GOMI_MAX_FOUND], lang, none_button=False) + suggestion_buttons([], lang=lang))
        return []
    if lead:
        return []
    if maybe:  # (the FAQ has nothing, and the message says much else besides the thing)
        say(dispatcher, lang, t(lang, "gomi_maybe"), gomi_buttons(maybe[:SUGGESTIONS], lang))
        return []
    # A courtesy that said more than small-talk words was asked as a question; with nothing
    # close in the FAQ, it was a courtesy after all (「夜中なのに答えてくれてありがとう」). Only
    # with the courtesy's words in it: 「となりのおばあさん 新聞がたまってる」 came out as "are
    # you a bot?" and must not be told "I am an AI".
    gated_from = (tracker.latest_message.get("intent") or {}).get("gated_from")
    if gated_from in COURTESIES and says_a_courtesy(text):
        await utter_small_talk(dispatcher, api, gated_from, lang)
        return []
    info = await contact(api)
    if intent == "out_of_scope":
        say(dispatcher, lang, out_of_scope_text(info, lang))
        return []
    say(dispatcher, lang, no_answer_text(info, lang), [leave_question_button(lang), staff_button(lang)])
    return []


async def confident_answer(api: ApiClient, text: str, sender: str, lang: str = "ja") -> Optional[Dict[str, Any]]:
    """The FAQ entry when the search is sure of it, else None (and then nothing is counted as a
    resident's question: used where the message is most likely not a question at all)."""
    if len(text) < MIN_QUESTION_CHARS or text.startswith("/"):
        return None
    try:
        if (await api.search_faq(text, k=1, lang=lang)).get("zone") != "answer":
            return None
        result = await api.search_faq(text, k=1, sender=sender, lang=lang)
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
            dispatcher.utter_message(response="utter_default")  # bot/nlg.py: in the resident's language
            return []
        api = ApiClient()
        match = await match_gomi(api, text)
        gomi = await reply_from_gomi(dispatcher, tracker, api, text, match)
        if gomi is not None:
            return gomi
        return await reply_from_faq(dispatcher, tracker, api, text, intent, gomi_maybe=match.get("maybe"))


class ActionAnswerFaqById(Action):
    """A "もしかして" button was pressed: answer that FAQ."""

    def name(self) -> Text:
        return "action_answer_faq_by_id"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        faq_id: Optional[str] = next(tracker.get_latest_entity_values("faq_id"), None)
        lang = lang_of(tracker)
        api = ApiClient()
        item = bool(faq_id) and str(faq_id).startswith(GOMI_PREFIX)  # an item of the garbage-sorting list
        try:
            if item:
                entry = await api.get_gomi_item(str(faq_id)[len(GOMI_PREFIX):])
            else:
                entry = (await api.get_faq(faq_id, sender=tracker.sender_id, lang=lang)
                         if valid_faq_id(faq_id) else None)
        except ApiUnavailable:
            say(dispatcher, lang, api_down_text(lang=lang))
            return []
        if not entry:
            say(dispatcher, lang, t(lang, "gomi_not_found" if item else "faq_not_found"))
            return []
        if item:
            say(dispatcher, lang, gomi_text(entry, lang))
            return []
        return utter_answer(dispatcher, entry, lang)
