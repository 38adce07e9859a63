"""Resident-facing texts shared by several actions.

The city's identity (name, phone, hours, office) is the api's configuration, read through
/internal/contact: nothing here names a city, so another city changes settings, not code,
and needs no retraining. The last answer is kept, so a reply still names the city's phone
while the api is briefly unreachable.
"""
from __future__ import annotations

import time
from typing import Dict, Optional

from rasa_sdk.executor import CollectingDispatcher

from actions.api_client import ApiClient, ApiUnavailable

CONTACT_TTL_S = 60.0
# Before the api has ever answered: nothing city-specific to say but "the city office".
UNKNOWN_CONTACT = {"city": "", "phone": "", "hours": "", "office": "市役所・役場の代表窓口", "hall": "市役所・役場",
                   "site": "", "call": "市役所・役場の代表電話"}

STAFF_BUTTON = {"title": "問い合わせ先を知りたい", "payload": "/request_staff"}
LEAVE_QUESTION_BUTTON = {"title": "質問を職員に送る", "payload": "/leave_question"}

_known: Dict[str, object] = {"info": None, "at": 0.0}


def last_contact() -> dict:
    """The city's contact as last read from the api (UNKNOWN_CONTACT before the first read)."""
    return _known["info"] or UNKNOWN_CONTACT  # type: ignore[return-value]


async def contact(api: ApiClient) -> dict:
    info: Optional[dict] = _known["info"]  # type: ignore[assignment]
    if info is not None and time.monotonic() - float(_known["at"]) < CONTACT_TTL_S:  # type: ignore[arg-type]
        return info
    try:
        fresh = await api.contact()
    except ApiUnavailable:
        fresh = None
    if fresh:
        _known.update(info={**UNKNOWN_CONTACT, **fresh}, at=time.monotonic())
    return last_contact()


def api_down_text(info: Optional[dict] = None) -> str:
    info = info or last_contact()
    return ("申し訳ありません。ただいま情報を調べることができません。しばらくしてからもう一度お試しください。"
            f"お急ぎの場合は、{info['call']}へお電話ください。")


def _assistant(info: dict) -> str:
    """「〇〇市のAI窓口」, or just 「AI窓口」 while the city is not known."""
    return f"{info['city']}のAI窓口" if info.get("city") else "AI窓口"


def greeting_text(info: dict) -> str:
    return (f"こんにちは。{_assistant(info)}「まどぐち」です。"
            "手続きやサービスについて、ふだんの言葉でご質問ください。")


GREETING_BUTTONS = [
    {"title": "住民票を取りたい", "payload": "住民票を取りたい"},
    {"title": "ごみの出し方", "payload": "ごみの出し方を知りたい"},
    {"title": "申請の状況を確認", "payload": "/check_application_status"},
    {"title": "職員に相談したい", "payload": "/request_staff"},
]


def bot_text(info: dict) -> str:
    return (f"わたしは{_assistant(info)}（自動応答）です。"
            "職員と話したいときは「職員と話したい」と入力してください。")


def no_answer_text(info: dict) -> str:
    return ("申し訳ありません。そのご質問にお答えできる情報が見つかりませんでした。\n"
            f"別の言葉で聞き直していただくか、{info['call']}へお電話ください。")


def out_of_scope_text(info: dict) -> str:
    where = f"{info['city']}の" if info.get("city") else ""
    return (f"申し訳ありません。わたしは{where}手続きやサービスについてご案内するAI窓口のため、"
            "そのご質問にはお答えできません。手続きやサービスについてのご質問をどうぞ。")


# replies that name nobody; greetings and "are you a bot?" name the city
SMALL_TALK_RESPONSES = {"goodbye": "utter_goodbye", "thanks": "utter_thanks", "affirm": "utter_anything_else",
                        "deny": "utter_anything_else"}
# what a message the gate sent to the search may still have been, when the FAQ has nothing
COURTESIES = ("greet", "thanks", "goodbye")


async def utter_small_talk(dispatcher: CollectingDispatcher, api: ApiClient, intent: Optional[str]) -> None:
    if intent == "greet":
        dispatcher.utter_message(text=greeting_text(await contact(api)), buttons=GREETING_BUTTONS)
    elif intent == "bot_challenge":
        dispatcher.utter_message(text=bot_text(await contact(api)))
    else:
        dispatcher.utter_message(response=SMALL_TALK_RESPONSES.get(intent or "", "utter_anything_else"))
