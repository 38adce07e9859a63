"""Talking to staff, v1: the right office, its phone and the opening hours."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.api_client import ApiClient, ApiUnavailable
from actions.messages import LEAVE_QUESTION_BUTTON, contact


class ActionStaffContact(Action):
    def name(self) -> Text:
        return "action_staff_contact"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        api = ApiClient()
        info = await contact(api)
        lines = ["職員へのご相談は、お電話または窓口でお受けしています。"]
        faq_id = tracker.get_slot("last_faq_id")
        entry = None
        if faq_id:
            try:
                entry = await api.get_faq(faq_id)
            except ApiUnavailable:
                entry = None
        if entry:
            lines.append(f"・先ほどのご案内（{entry['category']}）の担当：{entry['department']} 電話 {entry['phone']}")
        lines.append(f"・どこに聞けばよいか分からないとき：{info['office']} 市役所代表 {info['phone']}")
        lines.append(f"受付時間：{info['hours']}")
        lines.append("火事・救急は119番、事件・事故は110番へお電話ください。")
        lines.append("時間外でも、ご質問を職員に送っておくと、後日このチャットでお答えします。")
        dispatcher.utter_message(text="\n".join(lines), buttons=[LEAVE_QUESTION_BUTTON])
        return []
