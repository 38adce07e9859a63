"""Emergencies: the 119/110 numbers first, always.

Unmistakable words (bot/text.py, forced by bot.components.EmergencyOverride) get only that.
When the emergency was the classifier's guess, the message may be an ordinary question that
merely sounds urgent (「道路に穴があいています」「公園でドローンを飛ばしてもいいですか」):
the numbers still come first, then the FAQ's answer or choices, so nobody is left with a
wrong "call 119" and nothing else — and staff see the question if nothing fits."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.api_client import ApiClient
from actions.faq import reply_from_faq
from bot.text import is_emergency

NOT_URGENT_LEAD = "緊急でないご質問でしたら、こちらをご覧ください。"


class ActionEmergency(Action):
    def name(self) -> Text:
        return "action_emergency"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        dispatcher.utter_message(response="utter_emergency")
        text = (tracker.latest_message.get("text") or "").strip()
        if not text or text.startswith("/") or is_emergency(text):
            return []
        return await reply_from_faq(dispatcher, tracker, ApiClient(), text, "emergency", lead=NOT_URGENT_LEAD)
