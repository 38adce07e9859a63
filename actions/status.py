"""Application status: a form for 申請番号 and 生年月日, then a lookup through the api."""
from __future__ import annotations

import json
import logging
import re
import unicodedata
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.api_client import ApiClient, ApiUnavailable, channel_of
from actions.dates import parse_birth_date
from actions.messages import api_down_text, button, contact, contact_in, lang_of, say, staff_button, t
from actions.faq import confident_answer, utter_answer

logger = logging.getLogger(__name__)
_NUMBER = re.compile(r"A\s*[-‐‑‒–—―−ー]?\s*(\d{4})\s*[-‐‑‒–—―−ー]?\s*(\d{6})(?!\d)")
# Intents that leave the form to the rules (cancel, emergency, staff, a question)
# when the message holds nothing the form asked for.
INTERRUPTIONS = {"deny", "emergency", "request_staff", "ask_question", "goodbye", "out_of_scope", "bot_challenge"}


def find_application_number(text: str) -> Optional[str]:
    m = _NUMBER.search(unicodedata.normalize("NFKC", text or "").upper())
    return f"A-{m.group(1)}-{m.group(2)}" if m else None


def _latest(tracker: Tracker) -> tuple:
    msg = tracker.latest_message or {}
    return (msg.get("text") or ""), ((msg.get("intent") or {}).get("name") or "")


def _client(tracker: Tracker) -> Optional[str]:
    """The api's keyed hash of the resident's address (web chat), from the message's metadata."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    client = metadata.get("client") if isinstance(metadata, dict) else None
    return client if isinstance(client, str) and client else None


def wait_text(seconds: Any, lang: str = "ja") -> str:
    """「約5分」 from the api's retry_after; 「しばらく」 when it gave none."""
    if not isinstance(seconds, (int, float)) or seconds <= 0:
        return t(lang, "wait_some")
    return t(lang, "wait_seconds", n=int(seconds)) if seconds < 60 else t(lang, "wait_minutes", n=-(-int(seconds) // 60))


def _wants_other_thing(text: str, intent: str) -> bool:
    return text.startswith("/") or intent in INTERRUPTIONS


class ValidateApplicationStatusForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_application_status_form"

    async def extract_application_number(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        text, intent = _latest(tracker)
        number = find_application_number(text)
        if number:
            return {"application_number": number}
        if tracker.get_slot("requested_slot") == "application_number" and not _wants_other_thing(text, intent):
            dispatcher.utter_message(response="utter_invalid_application_number")
            return {"application_number": None}
        return {}

    async def extract_birth_date(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        text, intent = _latest(tracker)
        rest = _NUMBER.sub(" ", unicodedata.normalize("NFKC", text).upper())
        try:
            date = parse_birth_date(rest)
        except Exception:  # whatever was typed, the resident gets an answer (asked again)
            logger.exception("birth date not parsed")
            date = None
        if date:
            return {"birth_date": date.isoformat()}
        if tracker.get_slot("requested_slot") == "birth_date" and not _wants_other_thing(text, intent):
            dispatcher.utter_message(response="utter_invalid_birth_date")
            return {"birth_date": None}
        return {}


def _fmt_date(iso: str, lang: str = "ja") -> str:
    y, m, d = iso.split("-")
    return t(lang, "date", year=int(y), month=int(m), day=int(d))


def status_text(app: Dict[str, Any], lang: str = "ja") -> str:
    """The frame in the resident's language; the procedure, status labels, next step and notes are
    the city's own words (Japanese), as its system gives them."""
    lines = [
        t(lang, "status_header", number=app["number"], procedure=app["procedure"]),
        t(lang, "status_now", status=app["status_label"]),
        app["next_step"],
        t(lang, "status_history"),
    ]
    for event in app["history"]:
        note = f"（{event['note']}）" if event.get("note") else ""
        lines.append(f"・{_fmt_date(event['on'], lang)} {event['status_label']}{note}")
    lines.append(t(lang, "status_contact", department=app["department"], phone=app["phone"]))
    return "\n".join(lines)


def subscribe_button(number: str, lang: str = "ja") -> Dict[str, str]:
    payload = "/subscribe_status" + json.dumps({"application_number": number}, separators=(",", ":"))
    return button(lang, "button_subscribe", payload)


class ActionCheckApplicationStatus(Action):
    def name(self) -> Text:
        return "action_check_application_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        number = tracker.get_slot("application_number")
        birth_date = tracker.get_slot("birth_date")
        reset = [SlotSet("application_number", None), SlotSet("birth_date", None)]
        lang = lang_of(tracker)
        if not number or not birth_date:
            dispatcher.utter_message(response="utter_default")
            return reset
        api = ApiClient()
        try:
            result = await api.lookup_application(tracker.sender_id, number, birth_date, _client(tracker))
        except ApiUnavailable:
            say(dispatcher, lang, api_down_text(lang=lang))
            return reset
        outcome = result.get("result")
        if outcome == "found":
            app = result["application"]
            say(dispatcher, lang, status_text(app, lang), [subscribe_button(app["number"], lang)])
            return reset + [SlotSet("last_application_number", app["number"])]
        elif outcome == "locked":
            info = contact_in(lang, await contact(api))
            say(dispatcher, lang, t(lang, "status_locked", wait=wait_text(result.get("retry_after"), lang), call=info["call"]))
        else:
            say(dispatcher, lang, t(lang, "status_not_found"),
                [button(lang, "button_retry_status", "/check_application_status"), staff_button(lang)])
        return reset


class ActionSubscribeStatus(Action):
    """「変更があったら知らせてほしい」 after a status check. The api accepts only a number this
    sender has just seen with the right birth date, so a number typed here alone follows nothing."""

    def name(self) -> Text:
        return "action_subscribe_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        text, _ = _latest(tracker)
        lang = lang_of(tracker)
        number = (find_application_number(next(tracker.get_latest_entity_values("application_number"), "") or "")
                  or find_application_number(text) or tracker.get_slot("last_application_number"))
        api = ApiClient()
        if not number:
            # no status check to follow: a question the FAQ is sure about is answered instead
            entry = await confident_answer(api, text, tracker.sender_id, lang)
            if entry:
                return utter_answer(dispatcher, entry, lang)
            say(dispatcher, lang, t(lang, "subscribe_first"),
                [button(lang, "button_check_status", "/check_application_status")])
            return []
        try:
            result = await api.subscribe_status(number, tracker.sender_id)
        except ApiUnavailable:
            say(dispatcher, lang, api_down_text(lang=lang))
            return []
        if not result:
            say(dispatcher, lang, t(lang, "subscribe_failed", number=number),
                [button(lang, "button_check_status", "/check_application_status")])
            return []
        where = "subscribed_line" if channel_of(tracker.sender_id) == "line" else "subscribed_web"
        say(dispatcher, lang, t(lang, where, number=result["number"]))
        return [SlotSet("last_application_number", result["number"])]
