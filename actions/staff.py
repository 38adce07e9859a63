"""Talking to staff, v1: the right office, its phone and the opening hours."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.api_client import ApiClient, ApiUnavailable
from actions.faq import confident_answer, utter_answer
from actions.messages import LEAVE_QUESTION_BUTTON, contact


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
            office = f"・このご相談の担当：{entry['department']} 電話 {entry['phone']}"
        else:
            faq_id = tracker.get_slot("last_faq_id")
            try:
                entry = await api.get_faq(faq_id) if faq_id else None
            except ApiUnavailable:
                entry = None
            office = entry and f"・先ほどのご案内（{entry['category']}）の担当：{entry['department']} 電話 {entry['phone']}"
        lines = ["職員へのご相談は、お電話または窓口でお受けしています。"]
        if office:
            lines.append(office)
        lines.append(f"・どこに聞けばよいか分からないとき：{info['office']} 市役所代表 {info['phone']}")
        lines.append(f"受付時間：{info['hours']}")
        lines.append("火事・救急は119番、事件・事故は110番へお電話ください。")
        lines.append("時間外でも、ご質問を職員に送っておくと、後日このチャットでお答えします。")
        dispatcher.utter_message(text="\n".join(lines), buttons=[LEAVE_QUESTION_BUTTON])
        return events
