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
from actions.messages import api_down_text

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
        reset = [SlotSet("ticket_question", None)]
        if not question:
            dispatcher.utter_message(response="utter_default")
            return reset
        try:
            created = await ApiClient().create_ticket(tracker.sender_id, channel_of(tracker.sender_id), question,
                                                      transcript(tracker))
        except ApiUnavailable:
            dispatcher.utter_message(text=api_down_text())
            return reset
        dispatcher.utter_message(
            text=(f"ご質問を受け付けました。受付番号は {created['number']} です。\n"
                  f"{created['expect']}\n"
                  f"回答の状況は「{created['number']} の状況は？」と入力すると確認できます。\n"
                  f"{created['urgent']}")
        )
        return reset


class ActionTicketStatus(Action):
    def name(self) -> Text:
        return "action_ticket_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        number = find_ticket_number(tracker.latest_message.get("text") or "")
        if not number:
            dispatcher.utter_message(text="受付番号（例：Q-2026-000123）を添えて、もう一度お尋ねください。")
            return []
        try:
            status = await ApiClient().ticket_status(number, tracker.sender_id)
        except ApiUnavailable:
            dispatcher.utter_message(text=api_down_text())
            return []
        if not status:
            dispatcher.utter_message(
                text=f"受付番号 {number} のご質問は見つかりませんでした。このチャットで受け付けた番号かお確かめください。"
            )
            return []
        lines = [f"受付番号 {number}：{status['status_label']}"]
        if status.get("answer"):
            lines.append(f"職員からの回答：\n{status['answer']}")
        dispatcher.utter_message(text="\n".join(lines))
        return []
