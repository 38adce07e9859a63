"""Emergencies: the 119/110 numbers first, always.

Only messages with the words of an emergency happening now reach this action (fire, illness or
injury, crime, gas: bot/text.py, checked by bot.components.EvidenceGate and forced by
EmergencyOverride). Even then the message may also be a question the FAQ answers
(「救急車を呼ぶほどではないときの相談先」): the numbers come first, then the FAQ's answer or
choices when the search has any, so nobody is left with a wrong "call 119" and nothing else."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.api_client import ApiClient
from actions.faq import reply_from_faq
from actions.messages import lang_of, t

NOT_URGENT_LEAD = t("ja", "emergency_not_urgent")


class ActionEmergency(Action):
    def name(self) -> Text:
        return "action_emergency"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        dispatcher.utter_message(response="utter_emergency")
        text = (tracker.latest_message.get("text") or "").strip()
        if not text or text.startswith("/"):
            return []
        lead = t(lang_of(tracker), "emergency_not_urgent")
        return await reply_from_faq(dispatcher, tracker, ApiClient(), text, "emergency", lead=lead)
