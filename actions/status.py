"""Application status: a form for 申請番号 and 生年月日, then a lookup through the api."""
from __future__ import annotations

import json
import logging
import re
import unicodedata
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.api_client import ApiClient, ApiUnavailable, channel_of
from actions.dates import parse_birth_date
from actions.messages import STAFF_BUTTON, api_down_text, contact
from actions.faq import confident_answer, utter_answer

logger = logging.getLogger(__name__)
_NUMBER = re.compile(r"A\s*[-‐‑‒–—―−ー]?\s*(\d{4})\s*[-‐‑‒–—―−ー]?\s*(\d{6})(?!\d)")
# Intents that leave the form to the rules (cancel, emergency, staff, a question)
# when the message holds nothing the form asked for.
INTERRUPTIONS = {"deny", "emergency", "request_staff", "ask_question", "goodbye", "out_of_scope", "bot_challenge"}


def find_application_number(text: str) -> Optional[str]:
    m = _NUMBER.search(unicodedata.normalize("NFKC", text or "").upper())
    return f"A-{m.group(1)}-{m.group(2)}" if m else None


def _latest(tracker: Tracker) -> tuple:
    msg = tracker.latest_message or {}
    return (msg.get("text") or ""), ((msg.get("intent") or {}).get("name") or "")


def _client(tracker: Tracker) -> Optional[str]:
    """The api's keyed hash of the resident's address (web chat), from the message's metadata."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    client = metadata.get("client") if isinstance(metadata, dict) else None
    return client if isinstance(client, str) and client else None


def wait_text(seconds: Any) -> str:
    """「約5分」 from the api's retry_after; 「しばらく」 when it gave none."""
    if not isinstance(seconds, (int, float)) or seconds <= 0:
        return "しばらく"
    return f"{int(seconds)}秒ほど" if seconds < 60 else f"約{-(-int(seconds) // 60)}分"


def _wants_other_thing(text: str, intent: str) -> bool:
    return text.startswith("/") or intent in INTERRUPTIONS


class ValidateApplicationStatusForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_application_status_form"

    async def extract_application_number(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        text, intent = _latest(tracker)
        number = find_application_number(text)
        if number:
            return {"application_number": number}
        if tracker.get_slot("requested_slot") == "application_number" and not _wants_other_thing(text, intent):
            dispatcher.utter_message(response="utter_invalid_application_number")
            return {"application_number": None}
        return {}

    async def extract_birth_date(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        text, intent = _latest(tracker)
        rest = _NUMBER.sub(" ", unicodedata.normalize("NFKC", text).upper())
        try:
            date = parse_birth_date(rest)
        except Exception:  # whatever was typed, the resident gets an answer (asked again)
            logger.exception("birth date not parsed")
            date = None
        if date:
            return {"birth_date": date.isoformat()}
        if tracker.get_slot("requested_slot") == "birth_date" and not _wants_other_thing(text, intent):
            dispatcher.utter_message(response="utter_invalid_birth_date")
            return {"birth_date": None}
        return {}


def _fmt_date(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"


def status_text(app: Dict[str, Any]) -> str:
    lines = [
        f"申請番号 {app['number']}（{app['procedure']}）の状況です。",
        f"現在の状況：{app['status_label']}",
        app["next_step"],
        "これまでの経過：",
    ]
    for event in app["history"]:
        note = f"（{event['note']}）" if event.get("note") else ""
        lines.append(f"・{_fmt_date(event['on'])} {event['status_label']}{note}")
    lines.append(f"お問い合わせ：{app['department']}（電話 {app['phone']}）")
    return "\n".join(lines)


def subscribe_button(number: str) -> Dict[str, str]:
    payload = "/subscribe_status" + json.dumps({"application_number": number}, separators=(",", ":"))
    return {"title": "状況が変わったら知らせてほしい", "payload": payload}


class ActionCheckApplicationStatus(Action):
    def name(self) -> Text:
        return "action_check_application_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        number = tracker.get_slot("application_number")
        birth_date = tracker.get_slot("birth_date")
        reset = [SlotSet("application_number", None), SlotSet("birth_date", None)]
        if not number or not birth_date:
            dispatcher.utter_message(response="utter_default")
            return reset
        api = ApiClient()
        try:
            result = await api.lookup_application(tracker.sender_id, number, birth_date, _client(tracker))
        except ApiUnavailable:
            dispatcher.utter_message(text=api_down_text())
            return reset
        outcome = result.get("result")
        if outcome == "found":
            app = result["application"]
            dispatcher.utter_message(text=status_text(app), buttons=[subscribe_button(app["number"])])
            return reset + [SlotSet("last_application_number", app["number"])]
        elif outcome == "locked":
            info = await contact(api)
            dispatcher.utter_message(
                text="確認に続けて失敗したため、しばらくの間チャットでの確認を止めています。"
                f"{wait_text(result.get('retry_after'))}たってから、もう一度お試しください。"
                f"お急ぎの場合は、申請先の担当課か{info['call']}へお電話ください。"
            )
        else:
            dispatcher.utter_message(
                text="申請番号と生年月日に一致する申請が見つかりませんでした。入力内容をお確かめのうえ、もう一度お試しください。",
                buttons=[{"title": "もう一度入力する", "payload": "/check_application_status"}, STAFF_BUTTON],
            )
        return reset


class ActionSubscribeStatus(Action):
    """「変更があったら知らせてほしい」 after a status check. The api accepts only a number this
    sender has just seen with the right birth date, so a number typed here alone follows nothing."""

    def name(self) -> Text:
        return "action_subscribe_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        text, _ = _latest(tracker)
        number = (find_application_number(next(tracker.get_latest_entity_values("application_number"), "") or "")
                  or find_application_number(text) or tracker.get_slot("last_application_number"))
        api = ApiClient()
        if not number:
            # no status check to follow: a question the FAQ is sure about is answered instead
            entry = await confident_answer(api, text, tracker.sender_id)
            if entry:
                return utter_answer(dispatcher, entry)
            dispatcher.utter_message(
                text="お知らせする申請を確かめるため、先に申請状況の確認をお願いします。確認のあとで「状況が変わったら知らせて」と入力してください。",
                buttons=[{"title": "申請の状況を確認", "payload": "/check_application_status"}],
            )
            return []
        try:
            result = await api.subscribe_status(number, tracker.sender_id)
        except ApiUnavailable:
            dispatcher.utter_message(text=api_down_text())
            return []
        if not result:
            dispatcher.utter_message(
                text=f"申請番号 {number} のお知らせを設定できませんでした。お知らせは、このチャットで申請番号と生年月日を確認した申請についてだけ設定できます。",
                buttons=[{"title": "申請の状況を確認", "payload": "/check_application_status"}],
            )
            return []
        where = ("このLINEのトークでお知らせします。" if channel_of(tracker.sender_id) == "line"
                 else "次にこの窓口（チャット）を開いたときにお知らせします。")
        dispatcher.utter_message(text=f"承知しました。申請番号 {result['number']} の状況が変わったら、{where}")
        return [SlotSet("last_application_number", result["number"])]
