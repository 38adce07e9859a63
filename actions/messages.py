"""Resident-facing texts shared by several actions.

The city's identity (name, phone, hours, office) is the api's configuration, read through
/internal/contact: nothing here names a city, so another city changes settings, not code,
and needs no retraining. The last answer is kept, so a reply still names the city's phone
while the api is briefly unreachable.
"""
from __future__ import annotations

import time
from typing import Dict, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import locales
from actions.api_client import ApiClient, ApiUnavailable

CONTACT_TTL_S = 60.0
# Before the api has ever answered: nothing city-specific to say but "the city office".
UNKNOWN_CONTACT = {"city": "", "phone": "", "hours": "", "office": "市役所・役場の代表窓口", "hall": "市役所・役場",
                   "site": "", "call": "市役所・役場の代表電話"}


def lang_of(tracker: Tracker) -> str:
    """The resident's language: the api sends it with every message (metadata "lang"); Japanese
    when absent or not one of ours."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    return locales.valid(metadata.get("lang") if isinstance(metadata, dict) else None)


def t(lang: str, key: str, **values: object) -> str:
    """The catalogue's text (locales/<lang>.yml)."""
    return locales.text(lang, key, **values)


def say(dispatcher: CollectingDispatcher, lang: str, text: str, buttons: Optional[list] = None,
        text_lang: Optional[str] = None) -> None:
    """One message, tagged with the language its text is in (the api and the widget read it:
    bot/serve.py keeps it on the REST channel's messages)."""
    dispatcher.utter_message(text=text, buttons=buttons or [], lang=text_lang or lang)


def button(lang: str, key: str, payload: str) -> Dict[str, str]:
    return {"title": t(lang, key), "payload": payload}


def staff_button(lang: str = "ja") -> Dict[str, str]:
    return button(lang, "button_staff", "/request_staff")


def leave_question_button(lang: str = "ja") -> Dict[str, str]:
    return button(lang, "button_leave_question", "/leave_question")


def contact_in(lang: str, info: dict) -> dict:
    """The contact with the unknown city's words in the resident's language."""
    if info is not UNKNOWN_CONTACT:
        return info
    return {**info, "office": t(lang, "unknown_office"), "call": t(lang, "unknown_call")}

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


def api_down_text(info: Optional[dict] = None, lang: str = "ja") -> str:
    info = contact_in(lang, info or last_contact())
    return t(lang, "api_down", call=info["call"])


def _assistant(info: dict, lang: str = "ja") -> str:
    """「〇〇市のAI窓口」, or just 「AI窓口」 while the city is not known."""
    return t(lang, "assistant_of_city", city=info["city"]) if info.get("city") else t(lang, "assistant")


def greeting_text(info: dict, lang: str = "ja") -> str:
    return t(lang, "greeting", assistant=_assistant(info, lang))


# typed words (not intents): in a foreign language they go to the FAQ search, which answers
# them from the Japanese FAQ cross-lingually (actions/faq.py)
GREETING_BUTTONS = [
    ("button_resident_record", "住民票を取りたい"),
    ("button_garbage", "ごみの出し方を知りたい"),
    ("button_check_status", "/check_application_status"),
    ("button_consult_staff", "/request_staff"),
]


def greeting_buttons(lang: str = "ja") -> list:
    return [button(lang, key, payload) for key, payload in GREETING_BUTTONS]


def bot_text(info: dict, lang: str = "ja") -> str:
    return t(lang, "bot_challenge", assistant=_assistant(info, lang))


def no_answer_text(info: dict, lang: str = "ja") -> str:
    return t(lang, "no_answer", call=contact_in(lang, info)["call"])


def out_of_scope_text(info: dict, lang: str = "ja") -> str:
    return t(lang, "out_of_scope_city", city=info["city"]) if info.get("city") else t(lang, "out_of_scope")


# replies that name nobody; greetings and "are you a bot?" name the city
SMALL_TALK_RESPONSES = {"goodbye": "utter_goodbye", "thanks": "utter_thanks", "affirm": "utter_anything_else",
                        "deny": "utter_anything_else"}
# what a message the gate sent to the search may still have been, when the FAQ has nothing
COURTESIES = ("greet", "thanks", "goodbye")


async def utter_small_talk(dispatcher: CollectingDispatcher, api: ApiClient, intent: Optional[str],
                           lang: str = "ja") -> None:
    if intent == "greet":
        say(dispatcher, lang, greeting_text(await contact(api), lang), greeting_buttons(lang))
    elif intent == "bot_challenge":
        say(dispatcher, lang, bot_text(await contact(api), lang))
    else:  # a domain response: bot/nlg.py picks the resident's language
        dispatcher.utter_message(response=SMALL_TALK_RESPONSES.get(intent or "", "utter_anything_else"))
