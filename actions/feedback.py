"""👍 / 👎 on an FAQ answer: stored with the FAQ id; 👎 offers the next-best answers, then staff
(「まだ解決しない」), or staff at once when there is nothing else to offer."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.api_client import ApiClient, ApiUnavailable, valid_faq_id
from actions.faq import suggestion_buttons
from actions.messages import button, lang_of, say, t


def last_question(tracker: Tracker) -> Optional[str]:
    """The resident's most recent typed message before this button press."""
    for event in reversed(tracker.events[:-1] if tracker.events else []):
        text = (event.get("text") or "").strip()
        if event.get("event") == "user" and text and not text.startswith("/"):
            return text
    return None


def _helpful(value: Any) -> Optional[bool]:
    if isinstance(value, bool):
        return value
    if str(value).lower() in ("true", "1", "yes"):
        return True
    if str(value).lower() in ("false", "0", "no"):
        return False
    return None


class ActionFeedback(Action):
    def name(self) -> Text:
        return "action_feedback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        faq_id = next(tracker.get_latest_entity_values("faq_id"), None) or tracker.get_slot("last_faq_id")
        helpful = _helpful(next(tracker.get_latest_entity_values("helpful"), None))
        lang = lang_of(tracker)
        if not valid_faq_id(faq_id) or helpful is None:  # a crafted payload: thank, send nothing
            say(dispatcher, lang, t(lang, "feedback_thanks"))
            return []
        api = ApiClient()
        try:
            await api.feedback(tracker.sender_id, str(faq_id), helpful)
        except ApiUnavailable:
            pass  # the resident still deserves an answer; the vote is lost, not the conversation
        if helpful:
            say(dispatcher, lang, t(lang, "feedback_helpful"))
            return []
        question = last_question(tracker)
        others = []
        if question:
            try:
                result = await api.search_faq(question, k=4, lang=lang)
                if result.get("zone") != "none":
                    others = [h for h in result.get("hits") or [] if h["id"] != faq_id][:3]
            except ApiUnavailable:
                others = []
        if others:
            # the next-best answers first; "still not solved" then asks for staff (action_staff_contact:
            # the live chat with the answer's department when someone is there, the ticket, the phone)
            buttons = suggestion_buttons(others, none_button=False, lang=lang) + \
                [button(lang, "button_still_unsolved", "/request_staff")]
            say(dispatcher, lang, t(lang, "feedback_others"), buttons)
            return []
        # nothing else to try: in office hours a person of the answer's department can take over now
        from actions.staff import live_button, live_line, live_offer

        try:
            entry = await api.get_faq(str(faq_id), lang=lang)
        except ApiUnavailable:
            entry = None
        dispatcher.utter_message(response="utter_faq_none")
        live = await live_offer(api, entry)
        if live:
            say(dispatcher, lang, live_line(live, lang), [live_button(live, entry, lang)])
        return []
