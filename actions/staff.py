"""Talking to staff, v1: the right office, its phone and the opening hours."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.api_client import ApiClient, ApiUnavailable
from actions.faq import confident_answer, utter_answer
from actions.messages import contact, contact_in, lang_of, leave_question_button, say, t


def _office_line(label: str, entry: Dict[str, Any], lang: str = "ja") -> Optional[str]:
    """「・このご相談の担当：市民課 電話 …」, or None when the entry names neither."""
    parts = ([entry["department"]] if entry.get("department") else []) + \
        ([t(lang, "staff_phone", phone=entry["phone"])] if entry.get("phone") else [])
    return t(lang, "staff_office_line", label=label, who=" ".join(parts)) if parts else None


class ActionStaffContact(Action):
    def name(self) -> Text:
        return "action_staff_contact"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        api = ApiClient()
        lang = lang_of(tracker)
        info = contact_in(lang, await contact(api))
        events: List[Dict] = []
        # 「DVの相談窓口」「介護のことで相談したい」 ask for staff and name the need: when the FAQ
        # is sure about that need, its answer and office help more than the switchboard.
        text = (tracker.latest_message.get("text") or "").strip()
        entry = await confident_answer(api, text, tracker.sender_id, lang)
        if entry:
            events = utter_answer(dispatcher, entry, lang)
            office = _office_line(t(lang, "staff_this_need"), entry, lang)
        else:
            faq_id = tracker.get_slot("last_faq_id")
            try:
                entry = await api.get_faq(faq_id) if faq_id else None
            except ApiUnavailable:
                entry = None
            office = entry and _office_line(
                t(lang, "staff_last_answer", topic=entry.get("category") or entry["question"][:20]), entry, lang)
        lines = [t(lang, "staff_intro")]
        if office:
            lines.append(office)
        lines.append(t(lang, "staff_general", office=info["office"], call=info["call"]))
        lines.append(t(lang, "staff_emergency"))
        lines.append(t(lang, "staff_leave_question"))
        say(dispatcher, lang, "\n".join(lines), [leave_question_button(lang)])
        return events
