"""Talking to staff, v1: the right office, its phone and the opening hours."""
from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.api_client import ApiClient, ApiUnavailable
from actions.faq import confident_answer, utter_answer
from actions.messages import LEAVE_QUESTION_BUTTON, contact


def _office_line(label: str, entry: Dict[str, Any]) -> Optional[str]:
    """「・このご相談の担当：市民課 電話 …」, or None when the entry names neither."""
    who = " ".join(f"{k}{entry[v]}" for k, v in (("", "department"), ("電話 ", "phone")) if entry.get(v))
    return f"・{label}：{who}" if who else None


class ActionStaffContact(Action):
    def name(self) -> Text:
        return "action_staff_contact"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        api = ApiClient()
        info = await contact(api)
        events: List[Dict] = []
        # 「DVの相談窓口」「介護のことで相談したい」 ask for staff and name the need: when the FAQ
        # is sure about that need, its answer and office help more than the switchboard.
        text = (tracker.latest_message.get("text") or "").strip()
        entry = await confident_answer(api, text, tracker.sender_id)
        if entry:
            events = utter_answer(dispatcher, entry)
            office = _office_line("このご相談の担当", entry)
        else:
            faq_id = tracker.get_slot("last_faq_id")
            try:
                entry = await api.get_faq(faq_id) if faq_id else None
            except ApiUnavailable:
                entry = None
            office = entry and _office_line(f"先ほどのご案内（{entry.get('category') or entry['question'][:20]}）の担当", entry)
        live = await _live_offer(api, entry)
        lines = []
        buttons = [LEAVE_QUESTION_BUTTON]
        if live and live.get("available"):
            lines.append(live_line(live))
            buttons.insert(0, live_button(live, entry))
        lines.append("職員へのご相談は、お電話または窓口でもお受けしています。" if lines else
                     "職員へのご相談は、お電話または窓口でお受けしています。")
        if office:
            lines.append(office)
        lines.append(f"・どこに聞けばよいか分からないとき：{info['office']}（{info['call']}）")
        if live and live.get("reason") == "closed" and live.get("hours"):  # closed now, not just nobody free
            lines.append(f"・職員とのチャットの受付：{live['hours']}")
        lines.append("火事・救急は119番、事件・事故は110番へお電話ください。")
        lines.append("時間外でも、ご質問を職員に送っておくと、後日このチャットでお答えします。")
        dispatcher.utter_message(text="\n".join(lines), buttons=buttons)
        return events


def live_line(live: Dict[str, Any]) -> str:
    return f"いま{live['label']}の職員と、このチャットでお話しいただけます（待ち時間の目安：{live['wait_text']}）。"


def live_button(live: Dict[str, Any], entry: Optional[Dict[str, Any]]) -> Dict[str, str]:
    """The offer's button: its payload is taken by the api (api.handover.routes), never by Rasa."""
    args = {"department": live["department"], "faq_id": (entry or {}).get("id") or ""}
    return {"title": "今すぐ職員とチャットする",
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
