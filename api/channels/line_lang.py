"""The language of each LINE user: LINE's profile language when it is one of ours, else the
language menu (a quick reply, also on 「Language」「言語」), remembered per user by a keyed hash.

`GET /v2/bot/profile/{userId}` gives `language` as a BCP 47 tag when the user agreed to LINE's
privacy policy ("en", "ja", "zh-Hans", "pt-BR"…). It is read once per user (the first event after
this feature, or the follow) and stored; a choice in the menu overrides it.
"""
from __future__ import annotations

import asyncio
import json
import logging
import re

import aiohttp
from linebot.v3.messaging import AsyncApiClient, AsyncMessagingApi, Configuration
from linebot.v3.messaging.exceptions import ApiException
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

import locales
from api.channels.messages import Button, Message
from api.channels.models import LineUser
from api.config import get_settings
from api.db import SessionLocal
from api.privacy import sender_key

log = logging.getLogger(__name__)

# the postback of a choice in the menu (handled by the api, never sent to Rasa)
CHOOSE = re.compile(r'^/choose_language\{"lang":"([A-Za-z-]{2,10})"\}$')
# typed words that open the menu, in every language we speak (compared case- and width-folded)
MENU_WORDS = {"language", "languages", "lang", "言語", "げんご", "ことば", "言葉", "语言", "語言", "언어", "ngôn ngữ",
              "idioma", "wika", "भाषा", "bahasa"}
# LINE's tags that are ours under another spelling
ALIASES = {"zh": "zh-Hans", "zh-CN": "zh-Hans", "zh-SG": "zh-Hans", "tl": "fil", "in": "id"}


def ours(tag: str | None) -> str | None:
    """One of our languages for a BCP 47 tag from LINE ("pt-BR" → "pt"), or None."""
    if not tag or not isinstance(tag, str):
        return None
    if tag in locales.LANGS:
        return tag
    if tag in ALIASES:
        return ALIASES[tag]
    primary = tag.split("-")[0].lower()
    if primary == "zh":
        return "zh-Hans" if "Hans" in tag or tag.endswith(("-CN", "-SG")) else None  # not 繁體
    if primary in locales.LANGS and primary not in ("ja",):
        return primary
    return ALIASES.get(primary) or ("ja" if primary == "ja" else None)


def asks_for_menu(text: str) -> bool:
    import unicodedata

    return unicodedata.normalize("NFKC", text or "").strip().strip("?？!！。.").casefold() in MENU_WORDS


def chosen(data: str) -> str | None:
    """The language of a menu postback, or None when the data is not one."""
    m = CHOOSE.match(data or "")
    return m.group(1) if m and m.group(1) in locales.LANGS else None


def menu(lang: str = "ja") -> Message:
    """The language menu: each language by its own name (quick-reply postbacks)."""
    buttons = [Button(title=name, payload="/choose_language" + json.dumps({"lang": code}, separators=(",", ":")))
               for code, name in locales.language_names().items()]
    return Message(text=locales.text(lang, "line_language_menu"), buttons=buttons, lang=lang)


# ---------------------------------------------------------------- stored per user


def _key(user_id: str) -> str:
    return sender_key(f"line:{user_id.removeprefix('line:')}")


def _stored(user_id: str) -> tuple[bool, str | None]:
    """(known, lang): whether the user has a row, and its language."""
    with SessionLocal() as session:
        row = session.scalar(select(LineUser).where(LineUser.user_key == _key(user_id)))
        return (row is not None, row.lang if row else None)


def stored_language(user_id: str) -> str | None:
    """The language kept for a LINE user (a staff member's offer is pushed in it), None when none."""
    return _stored(user_id)[1]


def _store(user_id: str, lang: str | None) -> None:
    key = _key(user_id)
    for attempt in range(2):  # a first event of the same user in another process: the unique key decides
        with SessionLocal() as session:
            row = session.scalar(select(LineUser).where(LineUser.user_key == key))
            if row is None:
                session.add(LineUser(user_key=key, lang=lang))
            else:
                row.lang = lang
            try:
                session.commit()
                return
            except IntegrityError:
                session.rollback()
                if attempt:
                    raise


async def remember(user_id: str, lang: str | None) -> None:
    await asyncio.to_thread(_store, user_id, lang)


async def profile_language(user_id: str) -> tuple[bool, str | None]:
    """(read, tag): LINE's profile language of the user; read False when LINE could not be asked."""
    settings = get_settings()
    if not settings.line_access_token:
        return False, None
    config = Configuration(host=settings.line_api_base, access_token=settings.line_access_token)
    async with AsyncApiClient(config) as client:
        try:
            profile = await AsyncMessagingApi(client).get_profile(user_id, _request_timeout=settings.line_timeout_s)
        except ApiException as exc:
            # 404: no such user (or one who blocked the account): nothing to learn, nothing to retry
            return exc.status == 404, None
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError, ValueError) as exc:
            log.warning("LINE profile not read: %s", type(exc).__name__)
            return False, None
    return True, getattr(profile, "language", None)


async def language_of(user_id: str) -> tuple[str | None, bool]:
    """(lang, new): the user's language (None: none of ours is known, Japanese is used), and
    whether it was learnt just now from the profile (the first contact)."""
    try:
        known, lang = await asyncio.to_thread(_stored, user_id)
    except SQLAlchemyError:
        log.exception("LINE user language not read")
        return None, False
    if known:
        return lang, False
    read, tag = await profile_language(user_id)
    lang = ours(tag)
    if read:  # a failed call is asked again at the next event
        try:
            await remember(user_id, lang)
        except SQLAlchemyError:
            log.exception("LINE user language not stored")
    return lang, True
