"""Greetings, thanks, goodbyes, "are you a bot?" and a yes/no out of context — unless the
message is really a question.

The intent classifier sees only a few examples of each small-talk intent, so a question about
something it has never seen (「ほたる観賞会はいつですか」) can land on one of them. Small talk
almost never matches an FAQ confidently, so a confident match wins over the small-talk reply."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.api_client import ApiClient
from actions.faq import confident_answer, utter_answer
from actions.messages import lang_of, utter_small_talk


class ActionSmallTalk(Action):
    def name(self) -> Text:
        return "action_small_talk"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        text = (tracker.latest_message.get("text") or "").strip()
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        api = ApiClient()
        lang = lang_of(tracker)
        entry = await confident_answer(api, text, tracker.sender_id, lang)
        if entry:
            return utter_answer(dispatcher, entry, lang)
        await utter_small_talk(dispatcher, api, intent, lang)
        return []
