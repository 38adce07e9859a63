"""The LINE channel: POST /line/webhook (LINE Messaging API) and the LINE queue's two kinds of job.

LINE posts events signed with the channel secret (X-Line-Signature: base64 HMAC-SHA256
of the raw body). The webhook checks the signature and stores each event that needs an
answer, with its de-duplication row, in one commit, before it answers 200 (a transactional
outbox, api.linequeue): a process that dies after the 200 loses nothing. The queue's worker
(one in each api process) then answers each user's events one at a time, in order: the
resident's text (or button postback) goes to Rasa as sender `line:<userId>`, and all of
Rasa's messages for that event become one delivery job — a reply while the reply token is
fresh, else a push with the job's X-Line-Retry-Key, retried with backoff while LINE fails.
Staff answers and status notifications are delivery jobs too (enqueue_push). Rasa's
buttons become LINE quick-reply buttons on the last message.

Calls to LINE use line-bot-sdk 3 (AsyncApiClient / AsyncMessagingApi) with
`Configuration(host=LINE_API_BASE)`: the SDK puts the configured host in front of
`/v2/bot/message/reply`, so a local stand-in for LINE can be used in tests.
"""
from __future__ import annotations

import asyncio
import enum
import logging
import time
from collections.abc import Awaitable, Callable
from typing import NamedTuple

import aiohttp
from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import (
    AsyncApiClient,
    AsyncMessagingApi,
    Configuration,
    MessageAction,
    PostbackAction,
    PushMessageRequest,
    QuickReply,
    QuickReplyItem,
    ReplyMessageRequest,
    ShowLoadingAnimationRequest,
    TextMessage,
)
from linebot.v3.messaging.exceptions import ApiException
from linebot.v3.webhook import WebhookParser
from linebot.v3.webhooks import (
    AudioMessageContent,
    Event,
    FileMessageContent,
    FollowEvent,
    ImageMessageContent,
    LocationMessageContent,
    MessageEvent,
    PostbackEvent,
    StickerMessageContent,
    TextMessageContent,
    UserSource,
    VideoMessageContent,
)
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

import locales
from api import ratelimit
from api.channels import line_lang
from api.channels.messages import PAYLOAD_RE, Button, Message
from api.channels.models import LineEvent
from api.channels.rasa import RasaClient, RasaUnavailable
from api.channels.web import UNAVAILABLE
from api.config import get_settings
from api.db import SessionLocal
from api.linequeue import worker as queue_worker
from api.linequeue.models import LineJob
from api.linequeue.service import Claimed, Done, GiveUp, Retry, enqueue, new_job
from api.textnorm import TextError, clean_user_text

log = logging.getLogger(__name__)
router = APIRouter(tags=["line"])

# Messaging API limits (https://developers.line.biz/en/reference/messaging-api/).
MAX_MESSAGES = 5  # per reply / push call
MAX_TEXT = 5000  # characters of a text message
MAX_QUICK_REPLY = 13  # quick-reply buttons on a message
MAX_LABEL = 20  # characters of a quick-reply button label
MAX_ACTION_TEXT = 300  # postback data, displayText, message action text

NOT_CONFIGURED = "LINEは設定されていません。"
STORE_FAILED = "一時的に受け付けられませんでした。"
# The resident-facing texts are in locales/<lang>.yml (the Japanese ones here for tests and callers).
NOT_TEXT = locales.text("ja", "line_not_text")
BAD_BUTTON = locales.text("ja", "line_bad_button")
CHOOSE = locales.text("ja", "line_choose")
# the welcome's choices: words sent as the resident's message (Japanese: the FAQ search answers them
# in the resident's language), and the bot's commands
WELCOME_BUTTONS = [
    ("button_resident_record", "住民票を取りたい"),
    ("button_garbage", "ごみの出し方を知りたい"),
    ("button_check_status", "/check_application_status"),
    ("button_consult_staff", "/request_staff"),
]
_NOT_TEXT_CONTENT = (
    StickerMessageContent,
    ImageMessageContent,
    VideoMessageContent,
    AudioMessageContent,
    FileMessageContent,
    LocationMessageContent,
)



# ---------------------------------------------------------------- rendering


def _units(text: str) -> int:
    """Length as LINE counts it at most (UTF-16 code units: an emoji may count as 2)."""
    return len(text.encode("utf-16-le")) // 2


def _prefix(text: str, limit: int) -> str:
    """The longest prefix of text of at most `limit` units, never splitting a character."""
    n = 0
    for i, ch in enumerate(text):
        n += 2 if ord(ch) > 0xFFFF else 1
        if n > limit:
            return text[:i]
    return text


def cut(text: str, limit: int) -> str:
    """text, shortened with "…" to at most `limit` units."""
    if _units(text) <= limit:
        return text
    return _prefix(text, limit - 1).rstrip() + "…"


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most `limit` units, broken at a line end where one is near."""
    pieces = []
    text = text.strip()
    while _units(text) > limit:
        head = _prefix(text, limit)
        brk = head.rfind("\n")
        if brk > len(head) // 2:
            head = head[:brk]
        pieces.append(head.rstrip())
        text = text[len(head):].strip()
    if text:
        pieces.append(text)
    return pieces


def _quick_reply_item(button: Button) -> QuickReplyItem | None:
    title = button.title.strip()
    payload = button.payload.strip()
    if not title or not payload:
        return None
    label = cut(title, MAX_LABEL)
    if payload.startswith("/"):
        if not PAYLOAD_RE.match(payload) or _units(payload) > MAX_ACTION_TEXT:
            log.warning("LINE: button %r dropped: its payload cannot be a postback", title)
            return None
        action = PostbackAction(label=label, data=payload, display_text=cut(title, MAX_ACTION_TEXT))
    else:
        action = MessageAction(label=label, text=cut(payload, MAX_ACTION_TEXT))
    return QuickReplyItem(action=action)


def render(messages: list[Message]) -> list[TextMessage]:
    """Channel-neutral messages → at most 5 LINE text messages, buttons as quick replies on the last."""
    texts = [m.text.strip() for m in messages if m.text and m.text.strip()]
    buttons = [b for m in messages for b in m.buttons]
    if not texts and buttons:
        texts = [locales.text(messages[-1].lang if messages else "ja", "line_choose")]
    if not texts:
        return []
    if len(texts) > MAX_MESSAGES:
        texts = texts[: MAX_MESSAGES - 1] + ["\n\n".join(texts[MAX_MESSAGES - 1:])]
    pieces = [p for t in texts for p in split_text(t)]
    if len(pieces) > MAX_MESSAGES:  # only for absurdly long answers: keep the start
        log.warning("LINE: a reply of %d pieces was shortened to %d messages", len(pieces), MAX_MESSAGES)
        pieces = pieces[: MAX_MESSAGES - 1] + [cut("\n\n".join(pieces[MAX_MESSAGES - 1:]), MAX_TEXT)]

    items: list[QuickReplyItem] = []
    seen: set[tuple[str, str]] = set()
    for button in buttons:
        key = (button.title, button.payload)
        if key in seen:
            continue
        seen.add(key)
        item = _quick_reply_item(button)
        if item is None:
            continue
        if len(items) == MAX_QUICK_REPLY:
            log.warning("LINE: more than %d buttons; the rest are not shown", MAX_QUICK_REPLY)
            break
        items.append(item)

    out = [TextMessage(text=p) for p in pieces]
    if items:
        out[-1].quick_reply = QuickReply(items=items)
    return out


def reply_request(reply_token: str, messages: list[Message]) -> ReplyMessageRequest | None:
    rendered = render(messages)
    return ReplyMessageRequest(reply_token=reply_token, messages=rendered) if rendered else None


def push_request(user_id: str, messages: list[Message]) -> PushMessageRequest | None:
    rendered = render(messages)
    return PushMessageRequest(to=user_id, messages=rendered) if rendered else None


# ---------------------------------------------------------------- calls to LINE


class Outcome(enum.Enum):
    """How one call to LINE ended, as far as sending it again is concerned."""

    SENT = "sent"  # 2xx
    DUPLICATE = "duplicate"  # 409 to a push with a retry key: LINE took that request already
    RETRY = "retry"  # 5xx, 429, a timeout, no connection: may succeed later
    REJECTED = "rejected"  # any other 4xx: the same request would be refused again
    OFF = "off"  # LINE is not configured

    @property
    def delivered(self) -> bool:
        return self in (Outcome.SENT, Outcome.DUPLICATE)


class Call(NamedTuple):
    outcome: Outcome
    detail: str = ""


def _short(user_id: str) -> str:
    """A user id shortened for logs."""
    return user_id[:5] + "…" if len(user_id) > 5 else user_id


def _classify(status_code: int) -> Outcome:
    if 200 <= status_code < 300:
        return Outcome.SENT
    if status_code == 409:
        return Outcome.DUPLICATE
    if status_code == 429 or status_code >= 500:
        return Outcome.RETRY
    return Outcome.REJECTED


async def _call(kind: str, send: Callable[[AsyncMessagingApi], Awaitable[object]]) -> Call:
    """One Messaging API call, never raising for what LINE or the network may do."""
    settings = get_settings()
    if not settings.line_access_token:
        log.warning("LINE %s not sent: LINE_CHANNEL_ACCESS_TOKEN is not set", kind)
        return Call(Outcome.OFF, "LINE_CHANNEL_ACCESS_TOKEN is not set")
    config = Configuration(host=settings.line_api_base, access_token=settings.line_access_token)
    async with AsyncApiClient(config) as client:
        try:
            await send(AsyncMessagingApi(client))
        except ApiException as exc:
            body = exc.body if isinstance(exc.body, str) else ""
            outcome = _classify(exc.status or 0)
            if outcome is not Outcome.DUPLICATE:
                log.warning("LINE %s failed: HTTP %s %s", kind, exc.status, body[:300])
            return Call(outcome, f"HTTP {exc.status} {body[:200]}".strip())
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
            log.warning("LINE %s failed: %s: %s", kind, type(exc).__name__, exc)
            return Call(Outcome.RETRY, f"{type(exc).__name__}: {exc}"[:200])
        except ValueError:
            # The call went through (2xx) but the response body was not the documented
            # one (e.g. `{}`): the SDK cannot parse it, yet the messages were accepted.
            resp = getattr(client, "last_response", None)
            if resp is not None and 200 <= resp.status < 300:
                return Call(Outcome.SENT)
            raise
    return Call(Outcome.SENT)


async def reply(reply_token: str, messages: list[Message]) -> Call:
    request = reply_request(reply_token, messages)
    if request is None:
        return Call(Outcome.SENT, "nothing to send")
    timeout = get_settings().line_timeout_s
    return await _call("reply", lambda api: api.reply_message(request, _request_timeout=timeout))


async def push(user_id: str, messages: list[Message], retry_key: str) -> Call:
    """Sends messages to a LINE user outside a reply (the delivery queue's fallback and its pushes).

    `user_id` is the LINE userId (`U…`); a sender id `line:U…` is accepted too. `retry_key`
    (X-Line-Retry-Key, a UUID) is the same on every resend of one delivery: LINE answers 409 to
    a key it has already accepted, so a resend after a lost answer is never shown twice.
    """
    settings = get_settings()
    if not settings.line_channel_secret or not settings.line_access_token:
        log.warning("LINE push not sent: LINE is not configured")
        return Call(Outcome.OFF, "LINE is not configured")
    user_id = user_id.removeprefix("line:")
    request = push_request(user_id, messages)
    if request is None:
        log.warning("LINE push to %s not sent: no message to send", _short(user_id))
        return Call(Outcome.REJECTED, "no message to send")
    done = await _call("push", lambda api: api.push_message(
        request, x_line_retry_key=retry_key, _request_timeout=settings.line_timeout_s))
    if done.outcome is Outcome.SENT:
        log.info("LINE push to %s: %d message(s)", _short(user_id), len(request.messages))
    elif done.outcome is Outcome.DUPLICATE:
        log.info("LINE push to %s: already accepted with this retry key", _short(user_id))
    return done


async def show_typing(user_id: str, seconds: int = 20) -> Call:
    """LINE's loading animation in the user's chat while a staff member types a live-chat reply
    (LINE ends it when the next message arrives, or after `seconds`: 5–60, in steps of 5)."""
    request = ShowLoadingAnimationRequest(chat_id=user_id.removeprefix("line:"), loading_seconds=seconds)
    return await _call("loading animation", lambda api: api.show_loading_animation(
        request, _request_timeout=get_settings().line_timeout_s))


# ---------------------------------------------------------------- events


def _unavailable(lang: str = "ja") -> Message:
    s = get_settings()
    return Message(text=locales.text(lang, "unavailable", call=s.call()), lang=lang)


def welcome(lang: str = "ja") -> Message:
    s = get_settings()
    return Message(
        text=locales.text(lang, "line_welcome", city=s.city_name, call=s.call()),
        buttons=[Button(title=locales.text(lang, key), payload=payload) for key, payload in WELCOME_BUTTONS],
        lang=lang,
    )


async def _converse(rasa: RasaClient, sender: str, message: str, event_id: str, lang: str = "ja") -> list[Message]:
    try:
        # the webhook event's id as the message's: an event job taken over after a dead worker's
        # lease is answered once by the bot (bot/serve.py), not handled a second time; the user's
        # language as on the web (the bot's texts, the FAQ search)
        return await rasa.converse(sender, message, channel="line", metadata={"message_id": event_id, "lang": lang})
    except RasaUnavailable as exc:
        log.warning("rasa unavailable: %s", exc)
        return [_unavailable(lang)]


def _user_of(event) -> str | None:
    """The LINE user an event is to be answered for; None when it needs no answer from us."""
    if getattr(event, "mode", "active") != "active":  # standby: another channel answers
        return None
    source = getattr(event, "source", None)
    if not isinstance(source, UserSource) or not source.user_id:
        return None  # one-to-one chats only: answers may be personal (application status)
    if not getattr(event, "reply_token", None):
        return None
    if isinstance(event, (FollowEvent, PostbackEvent)) or (
            isinstance(event, MessageEvent) and isinstance(event.message, (TextMessageContent, *_NOT_TEXT_CONTENT))):
        return source.user_id
    return None  # unfollow, join, unsend, other message types: nothing to say


async def answer_event(rasa: RasaClient, event) -> list[Message]:
    """The bot's answer to one webhook event (nothing for events that need none). Never raises
    for Rasa's sake: a bot that cannot answer gives the apology with the city's phone."""
    user = _user_of(event)
    if user is None:
        return []
    sender = f"line:{user}"
    known, new = await line_lang.language_of(user)
    lang = known or "ja"
    if isinstance(event, FollowEvent):
        # LINE's language when it is ours; otherwise the welcome in Japanese and the language menu
        return [welcome(lang)] if known else [welcome("ja"), line_lang.menu("ja")]
    work: Callable[[], Awaitable[list[Message]]]
    if isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent):
        try:
            text = clean_user_text(event.message.text, get_settings().max_text_chars)
        except TextError as exc:
            return [Message(text=str(exc))]
        if line_lang.asks_for_menu(text):
            return [line_lang.menu(lang)]
        # Typed text is never taken as an intent command ("/intent" is for buttons).
        message = text.lstrip("/ ") or "？"
        work = lambda: _converse(rasa, sender, message, event.webhook_event_id, lang)  # noqa: E731
    elif isinstance(event, PostbackEvent):
        data = (event.postback.data or "").strip()
        choice = line_lang.chosen(data)
        if choice:
            await line_lang.remember(user, choice)
            return [Message(text=locales.text(choice, "line_language_set"), lang=choice), welcome(choice)]
        if not PAYLOAD_RE.match(data):
            log.info("LINE postback with unknown data ignored")
            return [Message(text=locales.text(lang, "line_bad_button"), lang=lang)]
        work = lambda: _converse(rasa, sender, data, event.webhook_event_id, lang)  # noqa: E731
    else:
        return [Message(text=locales.text(lang, "line_not_text"), lang=lang)]
    # per LINE user (the webhook's own client is LINE's platform): a flood of messages
    # from one account gets a request to wait, not a conversation turn each
    limits = ratelimit.current()
    wait = await limits.ahit(ratelimit.parse_rates(limits.settings.rate_line_user), "line-user",
                             ratelimit.client_tag(sender))
    if wait:
        return [Message(text=ratelimit.TOO_MANY.format(wait=ratelimit.wait_text(wait)))]
    from api.handover import routes as handover  # the live chat with staff: its buttons, and what is typed while it is open

    is_payload = isinstance(event, PostbackEvent)
    try:
        live = await handover.turn(rasa, sender, "line", data if is_payload else message, is_payload, lang)
    except Exception:
        log.exception("LINE event %s: live chat failed", event.webhook_event_id)
        return [_unavailable()]
    if live is not None:
        return live[0]
    try:
        return await work()
    except Exception:  # a fault here must still leave the resident an answer
        log.exception("LINE event %s: conversation failed", event.webhook_event_id)
        return [_unavailable(lang)]


# ---------------------------------------------------------------- the queue's jobs (api.linequeue)


def send_job(user_id: str, messages: list[Message], reply_token: str | None = None,
             reply_by: float | None = None, ticket: str | None = None) -> LineJob:
    """A delivery: a reply while `reply_token` is usable (until `reply_by`, epoch seconds), else a
    push with the job's retry key. Replies and pushes have lanes of their own, so a push waiting
    out LINE's monthly limit (429) never holds up the free replies of a conversation."""
    user_id = user_id.removeprefix("line:")
    payload = {"to": user_id, "messages": [m.model_dump() for m in messages]}
    if reply_token:
        payload |= {"reply_token": reply_token, "reply_by": reply_by}
    if ticket:
        payload["ticket"] = ticket
    return new_job("send", f"{'reply' if reply_token else 'push'}:{user_id}", payload, retry_key=True)


def enqueue_push(session: Session, sender: str, messages: list[Message], ticket: str | None = None) -> None:
    """A push to a LINE user, stored by the caller's commit (the same as the change that causes it)."""
    enqueue(session, send_job(sender, messages, ticket=ticket))


async def run_event_job(rasa: RasaClient, job: Claimed) -> Done:
    """A stored webhook event: the bot's answer becomes a delivery job, in the same commit that
    removes the event (and with it the resident's text)."""
    event = Event.from_dict(job.payload["event"])
    messages = await answer_event(rasa, event)
    if not messages:
        return Done()
    reply_by = event.timestamp / 1000 + get_settings().line_reply_max_age_s
    return Done(follow=[send_job(event.source.user_id, messages, event.reply_token, reply_by)])


async def run_send_job(job: Claimed) -> Done | Retry | GiveUp:
    """A delivery: the reply on the first try while its token is fresh; otherwise, or when the
    reply fails, a push carrying the job's X-Line-Retry-Key. Retried on what may pass (5xx, 429,
    timeouts, no connection), given up on any other 4xx; done on 409 (LINE has it already)."""
    payload = job.payload
    messages = [Message.model_validate(m) for m in payload["messages"]]
    token = payload.get("reply_token")
    if token and job.attempts == 1 and time.time() < (payload.get("reply_by") or 0):
        tried = await reply(token, messages)
        if tried.outcome is Outcome.SENT:
            return _sent(payload)
        log.info("LINE job %d: the reply failed (%s); pushing instead", job.id, tried.detail)
    done = await push(payload["to"], messages, job.retry_key or "")
    if done.outcome.delivered:
        return _sent(payload)
    if done.outcome is Outcome.REJECTED:
        return GiveUp(done.detail)
    return Retry(done.detail)


def _sent(payload: dict) -> Done:
    number = payload.get("ticket")
    if not number:
        return Done()

    def delivered(session: Session) -> None:
        from api.tickets.service import mark_delivered

        mark_delivered(session, number)

    return Done(also=delivered)


def handlers(rasa: RasaClient) -> dict:
    return {"event": lambda job: run_event_job(rasa, job), "send": run_send_job}


# ---------------------------------------------------------------- webhook


def store_events(events: list, sessions=None) -> int:
    """Stores the events that need an answer, each with its de-duplication row, in one commit;
    an event id already stored (LINE redelivers) is skipped. Returns how many were new."""
    sessions = sessions or SessionLocal
    for attempt in range(2):  # a redelivery racing in another process: the unique id decides, then again
        with sessions() as session:
            ids = [e.webhook_event_id for e in events]
            seen = set(session.scalars(select(LineEvent.webhook_event_id).where(LineEvent.webhook_event_id.in_(ids))))
            new = 0
            for event in events:
                if event.webhook_event_id in seen:
                    log.info("LINE event %s already taken in; redelivery skipped", event.webhook_event_id)
                    continue
                seen.add(event.webhook_event_id)
                session.add(LineEvent(webhook_event_id=event.webhook_event_id))
                enqueue(session, new_job("event", f"event:{event.source.user_id}", {"event": event.to_dict()}))
                new += 1
            try:
                session.commit()
                return new
            except IntegrityError:
                session.rollback()
                if attempt:
                    raise
    return 0


def _detail(code: int, detail: str) -> JSONResponse:
    return JSONResponse(status_code=code, content={"detail": detail})


@router.post(
    "/line/webhook",
    responses={401: {"description": "bad signature"}, 503: {"description": "LINE not configured, or events not stored"}},
)
async def webhook(request: Request) -> JSONResponse:
    settings = get_settings()
    if not settings.line_channel_secret:
        return _detail(status.HTTP_503_SERVICE_UNAVAILABLE, NOT_CONFIGURED)
    raw = await request.body()
    signature = request.headers.get("X-Line-Signature")
    if not signature:
        return _detail(status.HTTP_401_UNAUTHORIZED, "署名（X-Line-Signature）がありません。")
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _detail(status.HTTP_401_UNAUTHORIZED, "署名が正しくありません。")
    parser = WebhookParser(settings.line_channel_secret)
    try:
        payload = parser.parse(body, signature, as_payload=True)
    except InvalidSignatureError:
        log.warning("LINE webhook with a wrong signature rejected")
        return _detail(status.HTTP_401_UNAUTHORIZED, "署名が正しくありません。")
    except Exception as exc:  # signed, but not a webhook body we can read
        log.warning("LINE webhook body unreadable: %s", type(exc).__name__)
        return _detail(status.HTTP_400_BAD_REQUEST, "送信された内容を読み取れませんでした。")

    events = [e for e in payload.events or [] if _user_of(e)]  # none: LINE's "Verify" button, or nothing to say
    if events:
        # stored before LINE hears 200: an event LINE was told we have is never lost to a crash
        try:
            await asyncio.to_thread(store_events, events)
        except SQLAlchemyError:
            log.exception("LINE webhook: %d event(s) could not be stored; LINE may redeliver them", len(events))
            return _detail(status.HTTP_503_SERVICE_UNAVAILABLE, STORE_FAILED)
        queue_worker.wake()
    return JSONResponse(status_code=status.HTTP_200_OK, content={})
