"""The web chat endpoint: /api/chat, used by the page at / (and later the widget)."""
from __future__ import annotations

import logging
import re
import uuid

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, model_validator

import locales
from api import ratelimit
from api.channels.messages import PAYLOAD_RE, Message, Ruby
from api.channels.rasa import RasaClient, RasaUnavailable
from api.config import get_settings
from api.furigana import Furigana
from api.handover import routes as handover
from api.textnorm import TextError, clean_user_text

log = logging.getLogger(__name__)
router = APIRouter(tags=["chat"])

_SENDER = re.compile(r"^web:[0-9a-f]{32}$")

UNAVAILABLE = locales.text("ja", "unavailable", call="{call}")


# The resident's language: Japanese, やさしい日本語, and the languages of issue 15 (BCP 47). Passed to
# the bot with every message (metadata "lang"): its texts follow it (locales/, bot/nlg.py), a
# question in another language goes to the FAQ search cross-lingually, and each message the
# api returns says which language it is in.
LANGS = locales.LANGS
BAD_LANG = "lang には次のいずれかを指定してください：" + "、".join(LANGS) + "。"


class ChatIn(BaseModel):
    sender: str | None = Field(default=None, max_length=100)
    text: str | None = Field(default=None, max_length=20000)
    payload: str | None = Field(default=None, max_length=400)
    furigana: bool = Field(default=False, strict=True)  # readings over the kanji of the bot's messages
    lang: str = Field(default="ja", max_length=20)
    # the client's id of this message, the same when it sends the message again (the widget after a
    # broken connection): the bot answers it once (bot/serve.py); the api makes one when absent
    message_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{8,64}$")

    @model_validator(mode="after")
    def _one_of(self) -> "ChatIn":
        if (self.text is None) == (self.payload is None):
            raise ValueError("text と payload のどちらか一方を送ってください。")
        return self


class ChatOut(BaseModel):
    sender: str
    messages: list[Message]
    lang: str
    furigana: bool
    live: bool = False  # a live chat with staff is open: the widget polls /api/chat/live


# /api/chat/furigana: the messages a widget shows (it keeps 50) and what reading them may cost
MAX_FURIGANA_TEXTS = 60
MAX_FURIGANA_CHARS = 20_000
TOO_MUCH = f"一度にお送りいただける文章は{MAX_FURIGANA_TEXTS}件、合わせて{MAX_FURIGANA_CHARS:,}文字までです。"


class FuriganaIn(BaseModel):
    texts: list[str] = Field(max_length=MAX_FURIGANA_TEXTS)


class FuriganaOut(BaseModel):
    furigana: list[list[Ruby]]


def ruby(furigana: Furigana, text: str) -> list[Ruby]:
    return [Ruby(text=t, reading=r) for t, r in furigana.segments(text)]


def new_sender() -> str:
    return f"web:{uuid.uuid4().hex}"


def _unavailable(lang: str = "ja") -> JSONResponse:
    s = get_settings()
    return JSONResponse(
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        content={"detail": locales.text(lang, "unavailable", call=s.call())},
        headers={"Retry-After": "30"},
    )


_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def add_furigana(furigana: Furigana, messages: list[Message], asked: bool, lang: str) -> None:
    """ふりがな where the resident needs it: on every message when asked for; and, for a resident
    who chose やさしい日本語 or another language, on each Japanese message (a city's answer in
    Japanese) and each button title with kanji (an FAQ entry's question): kanji are the barrier."""
    for m in messages:
        if asked or (lang != "ja" and m.japanese):
            m.furigana = ruby(furigana, m.text)
        for b in m.buttons:
            if asked or (lang != "ja" and (m.japanese or _KANJI.search(b.title))):
                b.furigana = ruby(furigana, b.title)


@router.post("/api/chat", response_model=ChatOut, responses={503: {"description": "bot unavailable"}})
async def chat(body: ChatIn, request: Request):
    settings = get_settings()
    if body.sender is None:
        sender = new_sender()
    elif _SENDER.match(body.sender):
        sender = body.sender
    else:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail="sender の形式が正しくありません。")

    if body.lang not in LANGS:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=BAD_LANG)

    if body.payload is not None:
        if not PAYLOAD_RE.match(body.payload):
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail="ボタンの内容が正しくありません。")
        message = body.payload
    else:
        try:
            message = clean_user_text(body.text, settings.max_text_chars)
        except TextError as exc:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=str(exc)) from None
        # Typed text is never taken as an intent command ("/intent" is for buttons).
        message = message.lstrip("/ ") or "？"
    rasa: RasaClient = request.app.state.rasa
    # the live chat with staff (api.handover): its buttons, and while it is open what the resident types
    live = await handover.turn(rasa, sender, "web", message, body.payload is not None, body.lang)
    if live is not None:
        return ChatOut(sender=sender, messages=live[0], lang=body.lang, furigana=False, live=live[1])
    try:
        # the client's keyed hash: the status look-up's per-client limit (a new sender id is free)
        client = ratelimit.client_tag(ratelimit.client_address(request))
        metadata = {"client": client, "lang": body.lang, "furigana": body.furigana,
                    "message_id": body.message_id or uuid.uuid4().hex}
        messages = await rasa.converse(sender, message, channel="web", metadata=metadata)
    except RasaUnavailable as exc:
        log.warning("rasa unavailable: %s", exc)
        return _unavailable(body.lang)
    if body.furigana or body.lang != "ja":
        # the choices too: a resident who needs readings needs them there
        add_furigana(request.app.state.furigana, messages, body.furigana, body.lang)
    return ChatOut(sender=sender, messages=messages, lang=body.lang, furigana=body.furigana)


@router.post("/api/chat/furigana", response_model=FuriganaOut)
async def furigana_of(body: FuriganaIn, request: Request):
    """ふりがな of the bot's messages a widget already shows, asked when the resident switches
    ふりがな on (they came without it, as did the widget's own greeting). Stateless: the texts
    are read and answered, never stored (the cache of readings is in memory only)."""
    if sum(len(t) for t in body.texts) > MAX_FURIGANA_CHARS:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=TOO_MUCH)
    furigana: Furigana = request.app.state.furigana
    # a thread: a long list read for the first time would hold the event loop for tens of ms
    return FuriganaOut(furigana=await run_in_threadpool(lambda: [ruby(furigana, t) for t in body.texts]))
