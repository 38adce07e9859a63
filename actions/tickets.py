"""Leaving a question for staff (a ticket) and asking how it stands."""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.api_client import ApiClient, ApiUnavailable
from actions.messages import api_down_text, lang_of, say, t

TRANSCRIPT_LINES = 12
_TICKET = re.compile(r"Q\s*[-‐‑‒–—―−ー]?\s*(\d{4})\s*[-‐‑‒–—―−ー]?\s*(\d{6})(?!\d)")
# While the form waits for the question, only these leave it; a question typed
# (whatever the classifier thinks it is) is the question.
INTERRUPTIONS = {"deny", "emergency"}


def find_ticket_number(text: str) -> Optional[str]:
    m = _TICKET.search(unicodedata.normalize("NFKC", text or "").upper())
    return f"Q-{m.group(1)}-{m.group(2)}" if m else None


def channel_of(sender_id: str) -> str:
    return "line" if sender_id.startswith("line:") else "web"


def transcript(tracker: Tracker, limit: int = TRANSCRIPT_LINES) -> List[Dict[str, str]]:
    """The recent typed conversation (button payloads left out); the api masks it."""
    lines = []
    for event in tracker.events:
        text = (event.get("text") or "").strip()
        if event.get("event") == "user" and text and not text.startswith("/"):
            lines.append({"who": "resident", "text": text[:2000]})
        elif event.get("event") == "bot" and text:
            lines.append({"who": "bot", "text": text[:2000]})
    return lines[-limit:]


class ValidateTicketForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_ticket_form"

    async def extract_ticket_question(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if tracker.get_slot("requested_slot") != "ticket_question":
            return {}
        msg = tracker.latest_message or {}
        text = (msg.get("text") or "").strip()
        intent = (msg.get("intent") or {}).get("name")
        if not text or text.startswith("/") or intent in INTERRUPTIONS:
            return {}
        return {"ticket_question": text[:2000]}


class ActionCreateTicket(Action):
    def name(self) -> Text:
        return "action_create_ticket"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        question = tracker.get_slot("ticket_question")
        lang = lang_of(tracker)
        reset = [SlotSet("ticket_question", None)]
        if not question:
            dispatcher.utter_message(response="utter_default")
            return reset
        try:
            created = await ApiClient().create_ticket(tracker.sender_id, channel_of(tracker.sender_id), question,
                                                      transcript(tracker))
        except ApiUnavailable:
            say(dispatcher, lang, api_down_text(lang=lang))
            return reset
        # expect / urgent: the api's words (when staff answer, whom to call), in Japanese
        say(dispatcher, lang, "\n".join([t(lang, "ticket_created", number=created["number"]), created["expect"],
                                         t(lang, "ticket_how_to_check", number=created["number"]), created["urgent"]]))
        return reset


class ActionTicketStatus(Action):
    def name(self) -> Text:
        return "action_ticket_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        number = find_ticket_number(tracker.latest_message.get("text") or "")
        lang = lang_of(tracker)
        if not number:
            say(dispatcher, lang, t(lang, "ticket_ask_number"))
            return []
        try:
            status = await ApiClient().ticket_status(number, tracker.sender_id)
        except ApiUnavailable:
            say(dispatcher, lang, api_down_text(lang=lang))
            return []
        if not status:
            say(dispatcher, lang, t(lang, "ticket_not_found", number=number))
            return []
        lines = [t(lang, "ticket_status", number=number, status=status["status_label"])]
        if status.get("answer"):
            lines.append(t(lang, "ticket_answer") + "\n" + status["answer"])
        say(dispatcher, lang, "\n".join(lines))
        return []
