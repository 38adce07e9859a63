"""The live chat's resident side: the chat turn's hand-over hook, the widget's poll, and the
action server's question "can this conversation reach a person now?".

- `turn()` is called by both channels (api.channels.web, api.channels.line) before a message
  goes to Rasa: the offer's button (``/live_chat{"department": …}``) queues the conversation and
  pauses the bot; ``/live_end`` ends it; ``/live_accept`` / ``/live_decline`` answer a staff
  member's offer (api.handover.service.offer_on_ticket); while a chat is open, what the resident
  types goes to the staff member (stored masked), never to the bot.
- ``GET /api/chat/live?sender=…&after=…``: the widget's poll while a chat is open: new staff and
  system messages, the state, and whether the staff member is typing.
- ``GET /internal/handover/offer?department=…``: open, staffed, and the wait estimate.
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from pydantic import BaseModel

import locales
from api.channels.messages import Button, Message
from api.channels.rasa import RasaClient, RasaUnavailable
from api.config import get_settings
from api.db import SessionLocal
from api.handover import service
from api.security import require_internal

log = logging.getLogger(__name__)
public = APIRouter(tags=["chat"])
internal = APIRouter(prefix="/internal/handover", tags=["internal"], dependencies=[Depends(require_internal)])

START = "/live_chat"
END = "/live_end"


def _leave_button(lang: str) -> Button:
    return Button(title=locales.text(lang, "button_leave_question"), payload="/leave_question")


def _said(lang: str, key: str, buttons: list[Button] | None = None, **values: object) -> Message:
    return Message(text=locales.text(lang, key, **values), buttons=buttons or [], lang=lang)
_WEB_SENDER = re.compile(r"^web:[0-9a-f]{32}$")


def _start_args(payload: str) -> dict:
    try:
        args = json.loads(payload[len(START):] or "{}")
    except ValueError:
        return {}
    return args if isinstance(args, dict) else {}


async def set_paused(rasa: RasaClient | None, sender: str, paused: bool) -> None:
    """Rasa's pause (the bot never answers over a person) or resume; a Rasa that cannot be
    reached is logged: the api routes the resident's messages by the chat's state anyway."""
    if rasa is None:
        return
    try:
        await rasa.set_paused(sender, paused)
    except RasaUnavailable as exc:
        log.warning("live chat: could not %s the bot for a conversation: %s", "pause" if paused else "resume", exc)


def _wake_line() -> None:
    from api.linequeue import worker as queue_worker

    queue_worker.wake()


def wake_line(chat) -> None:
    """After a commit that queued pushes to a LINE resident: the LINE worker sends them now."""
    if chat.channel == "line":
        _wake_line()


async def turn(rasa: RasaClient, sender: str, channel: str, message: str, is_payload: bool, lang: str = "ja"
               ) -> tuple[list[Message], bool] | None:
    """The live chat's part of one resident turn: (messages to answer with, chat open?), or None
    when the bot is to answer it."""
    if is_payload and (message == START or message.startswith(START + "{")):
        return await _start(rasa, sender, channel, _start_args(message), lang)
    if is_payload and message == END:
        return await resident_ends(rasa, sender, lang)
    if is_payload and message == service.ACCEPT:
        return await _accept(rasa, sender, channel, lang)
    if is_payload and message == service.DECLINE:
        return [await asyncio.to_thread(_with_session, service.decline, sender, lang)], False

    def route() -> tuple[list[Message], bool] | None:
        with SessionLocal() as session:
            chat = service.open_chat(session, sender)
            if chat is None:
                return None
            if is_payload:  # an earlier bot message's button: the bot is not listening now
                return [_said(chat.lang, "live_in_chat", [service.end_button(chat.lang)])], True
            service.resident_says(session, chat, message)
            return [], True

    return await asyncio.to_thread(route)


async def _start(rasa: RasaClient, sender: str, channel: str, args: dict, lang: str = "ja") -> tuple[list[Message], bool]:
    settings = get_settings()
    department = str(args.get("department") or "")[:100]
    faq_id = str(args.get("faq_id") or "")[:100] or None
    try:
        transcript = await rasa.recent_turns(sender)
    except RasaUnavailable as exc:
        log.warning("live chat: the conversation's recent turns could not be read: %s", exc)
        transcript = []

    def queue():
        with SessionLocal() as session:
            chat, offer = service.start(session, settings, sender, channel, department, faq_id, transcript, lang)
            return (chat.id if chat else None), offer

    chat_id, offer = await asyncio.to_thread(queue)
    if chat_id is None:
        return [_said(lang, service.NOT_AVAILABLE, [_leave_button(lang)], hours=offer.hours)], False
    await set_paused(rasa, sender, True)
    if channel == "line":
        _wake_line()
    return [], True


def _with_session(fn, *args):
    with SessionLocal() as session:
        return fn(session, *args)


async def _accept(rasa: RasaClient, sender: str, channel: str, lang: str) -> tuple[list[Message], bool]:
    """A staff member's offer accepted: the bot pauses as for a chat the resident asked for."""
    chat, said = await asyncio.to_thread(_with_session, service.accept, get_settings(), sender, lang)
    if chat is None:
        return [said], False
    await set_paused(rasa, sender, True)
    if channel == "line":
        _wake_line()
    return [], True


async def resident_ends(rasa: RasaClient, sender: str, lang: str = "ja") -> tuple[list[Message], bool]:
    def end() -> bool:
        with SessionLocal() as session:
            chat = service.open_chat(session, sender)
            if chat is None:
                return False
            service.end(session, chat, "left", service.LEFT)
            session.commit()
            return True

    if not await asyncio.to_thread(end):
        return [_said(lang, "live_already_ended")], False
    await set_paused(rasa, sender, False)
    if sender.startswith("line:"):
        _wake_line()
    return [], False


async def after_sweep(rasa: RasaClient | None, ended: list[service.Ended]) -> None:
    """Chats that ended without the resident (tickets): the bot takes the conversation again."""
    for e in ended:
        await set_paused(rasa, e.sender, False)
    if any(e.channel == "line" for e in ended):
        _wake_line()


async def sweep_forever(rasa: RasaClient, every_s: float = 5.0) -> None:
    """The api's background task: staff who left, waits too long (api.handover.service.sweep)."""
    while True:
        try:
            ended = await asyncio.to_thread(_sweep_once)
            await after_sweep(rasa, ended)
        except asyncio.CancelledError:
            raise
        except Exception:  # a failed round must not stop the next
            log.exception("live chat: sweep failed")
        await asyncio.sleep(every_s)


def _sweep_once() -> list[service.Ended]:
    with SessionLocal() as session:
        return service.sweep(session, get_settings())


# ---------------------------------------------------------------- the widget's poll


class LiveLine(BaseModel):
    id: int
    who: str  # staff | system
    text: str
    label: str  # the city and department (settings: 「〇〇市 市民課」) for staff messages; "" for the system's
    lang: str = "ja"  # the language of its text: staff write Japanese, the system the resident's


class LiveState(BaseModel):
    status: str  # none | waiting | active | ended
    label: str = ""
    typing: bool = False
    messages: list[LiveLine] = []


@public.get("/api/chat/live", response_model=LiveState)
def live_poll(sender: Annotated[str, Query(max_length=100)], after: Annotated[int, Query(ge=0)] = 0) -> LiveState:
    """What staff said since message `after`, for a web resident (their sender id is the key)."""
    if not _WEB_SENDER.match(sender):
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail="sender の形式が正しくありません。")
    settings = get_settings()
    with SessionLocal() as session:
        chat = service.last_chat(session, sender)
        if chat is None:
            return LiveState(status="none")
        who_label = service.label(settings, chat.department)
        lines = [LiveLine(id=m.id, who=m.who, text=m.text, label=who_label if m.who == "staff" else "",
                          lang="ja" if m.who == "staff" else chat.lang)
                 for m in service.messages_after(session, chat, after) if m.who != "resident"]
        return LiveState(status="waiting" if chat.status == "closing" else chat.status, label=who_label, typing=service.typing(chat), messages=lines)


# ---------------------------------------------------------------- the action server's question


class OfferOut(BaseModel):
    available: bool
    department: str
    label: str
    hours: str
    wait_text: str = ""  # (Japanese; the action server words it in the resident's language from wait_s)
    wait_s: float | None = None
    reason: str = ""


@internal.get("/offer", response_model=OfferOut)
def offer(faq_department: Annotated[str, Query(max_length=200)] = "") -> OfferOut:
    settings = get_settings()
    with SessionLocal() as session:
        found = service.offer(session, settings, service.department_for(settings, faq_department))
    return OfferOut(available=found.available, department=found.department, label=found.label, hours=found.hours,
                    wait_text=found.wait_text, wait_s=found.wait_s, reason=found.reason)
