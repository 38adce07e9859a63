"""Talking to staff, v1: the right office, its phone and the opening hours."""
from __future__ import annotations

import json
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
        live = await _live_offer(api, entry)
        lines = []
        buttons = [leave_question_button(lang)]
        if live and live.get("available"):
            lines.append(live_line(live, lang))
            buttons.insert(0, live_button(live, entry, lang))
        lines.append(t(lang, "staff_intro_also") if lines else t(lang, "staff_intro"))
        if office:
            lines.append(office)
        lines.append(t(lang, "staff_general", office=info["office"], call=info["call"]))
        if live and live.get("reason") == "closed" and live.get("hours"):  # closed now, not just nobody free
            lines.append(t(lang, "staff_live_hours", hours=live["hours"]))
        lines.append(t(lang, "staff_emergency"))
        lines.append(t(lang, "staff_leave_question"))
        say(dispatcher, lang, "\n".join(lines), buttons)
        return events


def live_line(live: Dict[str, Any], lang: str = "ja") -> str:
    return t(lang, "live_offer", label=live["label"], wait=_wait_text(live, lang))


def _wait_text(live: Dict[str, Any], lang: str) -> str:
    """The wait estimate in the resident's language (the api gives seconds; wait_text is Japanese)."""
    seconds = live.get("wait_s")
    if not isinstance(seconds, (int, float)):
        return live.get("wait_text") or ""
    return t(lang, "live_wait_now") if seconds < 45 else t(lang, "live_wait_minutes", minutes=max(1, round(seconds / 60)))


def live_button(live: Dict[str, Any], entry: Optional[Dict[str, Any]], lang: str = "ja") -> Dict[str, str]:
    """The offer's button: its payload is taken by the api (api.handover.routes), never by Rasa."""
    args = {"department": live["department"], "faq_id": (entry or {}).get("id") or ""}
    return {"title": t(lang, "button_live_chat"),
            "payload": "/live_chat" + json.dumps(args, ensure_ascii=False, separators=(",", ":"))}


async def live_offer(api: ApiClient, entry: Optional[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """The live chat's offer when a person can take the conversation now, else None."""
    live = await _live_offer(api, entry)
    return live if live and live.get("available") else None


async def _live_offer(api: ApiClient, entry: Optional[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """The api's answer whether a person can take this conversation now (the FAQ's 担当 picks the
    department's queue); None when the api cannot say (the offer is then left out)."""
    try:
        return await api.handover_offer((entry or {}).get("department") or "")
    except ApiUnavailable:
        return None
