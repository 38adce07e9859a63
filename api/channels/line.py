"""The LINE channel: POST /line/webhook (LINE Messaging API) and push() for later deliveries.

LINE posts events signed with the channel secret (X-Line-Signature: base64 HMAC-SHA256
of the raw body). The webhook checks the signature, answers 200 at once and handles
the events in the background: each resident's text (or button postback) goes to Rasa
as sender `line:<userId>`, and all of Rasa's messages for that event go back in one
reply call. Rasa's buttons become LINE quick-reply buttons on the last message.

Calls to LINE use line-bot-sdk 3 (AsyncApiClient / AsyncMessagingApi) with
`Configuration(host=LINE_API_BASE)`: the SDK puts the configured host in front of
`/v2/bot/message/reply`, so a local stand-in for LINE can be used in tests.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import uuid
from collections.abc import Awaitable, Callable

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
    TextMessage,
)
from linebot.v3.messaging.exceptions import ApiException
from linebot.v3.webhook import WebhookParser
from linebot.v3.webhooks import (
    AudioMessageContent,
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
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from api import ratelimit
from api.channels.messages import PAYLOAD_RE, Button, Message
from api.channels.models import LineEvent
from api.channels.rasa import RasaClient, RasaUnavailable
from api.channels.web import UNAVAILABLE
from api.config import get_settings
from api.db import SessionLocal
from api.textnorm import TextError, clean_user_text

log = logging.getLogger(__name__)
router = APIRouter(tags=["line"])

# Messaging API limits (https://developers.line.biz/en/reference/messaging-api/).
MAX_MESSAGES = 5  # per reply / push call
MAX_TEXT = 5000  # characters of a text message
MAX_QUICK_REPLY = 13  # quick-reply buttons on a message
MAX_LABEL = 20  # characters of a quick-reply button label
MAX_ACTION_TEXT = 300  # postback data, displayText, message action text
REQUEST_TIMEOUT_S = 15
EVENT_MEMORY = dt.timedelta(days=7)  # how long webhook event ids are remembered

NOT_CONFIGURED = "LINEは設定されていません。"
NOT_TEXT = (
    "申し訳ありません。スタンプ・画像・動画・音声・ファイル・位置情報にはお答えできません。"
    "お手数ですが、ご質問を文字で入力してください。"
)
BAD_BUTTON = "申し訳ありません。ボタンの内容を読み取れませんでした。お手数ですが、ご質問を文字で入力してください。"
CHOOSE = "次の中からお選びください。"
WELCOME = (
    "友だち追加ありがとうございます。{city}のAI窓口「まどぐち」です。\n"
    "住民票・戸籍、税金、保険・年金、ごみ、子育てなど、{city}の手続きやサービスについて、"
    "ふだんの言葉でご質問ください。自動でお答えします。\n"
    "\n"
    "例えば\n"
    "・住民票の写しはどこで取れますか\n"
    "・粗大ごみを出したい\n"
    "・申請の状況を確認したい\n"
    "・職員と話したい\n"
    "\n"
    "【緊急の場合】火事・救急は119番、事件・事故は110番へ電話してください。"
    "このトークでは通報を受け付けられません。\n"
    "\n"
    "お電話でのお問い合わせ：{call}"
)
WELCOME_BUTTONS = [
    Button(title="住民票を取りたい", payload="住民票を取りたい"),
    Button(title="ごみの出し方", payload="ごみの出し方を知りたい"),
    Button(title="申請の状況を確認", payload="/check_application_status"),
    Button(title="職員に相談したい", payload="/request_staff"),
]
_NOT_TEXT_CONTENT = (
    StickerMessageContent,
    ImageMessageContent,
    VideoMessageContent,
    AudioMessageContent,
    FileMessageContent,
    LocationMessageContent,
)

# Background work: kept referenced until done, so the event loop does not drop it.
_tasks: set[asyncio.Task] = set()
_last_prune = 0.0


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
        texts = [CHOOSE]
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


def _short(user_id: str) -> str:
    """A user id shortened for logs."""
    return user_id[:5] + "…" if len(user_id) > 5 else user_id


async def _call(kind: str, send: Callable[[AsyncMessagingApi], Awaitable[object]]) -> bool:
    """One Messaging API call; False (logged) when LINE is not configured or the call fails."""
    settings = get_settings()
    if not settings.line_access_token:
        log.warning("LINE %s not sent: LINE_CHANNEL_ACCESS_TOKEN is not set", kind)
        return False
    config = Configuration(host=settings.line_api_base, access_token=settings.line_access_token)
    async with AsyncApiClient(config) as client:
        try:
            await send(AsyncMessagingApi(client))
        except ApiException as exc:
            body = exc.body if isinstance(exc.body, str) else ""
            log.warning("LINE %s failed: HTTP %s %s", kind, exc.status, body[:300])
            return False
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
            log.warning("LINE %s failed: %s: %s", kind, type(exc).__name__, exc)
            return False
        except ValueError:
            # The call went through (2xx) but the response body was not the documented
            # one (e.g. `{}`): the SDK cannot parse it, yet the messages were accepted.
            resp = getattr(client, "last_response", None)
            if resp is not None and 200 <= resp.status < 300:
                return True
            raise
    return True


async def reply(reply_token: str, messages: list[Message]) -> bool:
    request = reply_request(reply_token, messages)
    if request is None:
        return True
    return await _call(
        "reply", lambda api: api.reply_message(request, _request_timeout=REQUEST_TIMEOUT_S)
    )


async def push(user_id: str, messages: list[Message]) -> bool:
    """Sends messages to a LINE user outside a reply (ticket answers, notifications).

    `user_id` is the LINE userId (`U…`); a sender id `line:U…` is accepted too.
    Rendered like replies. Returns False (and logs) when LINE is not configured,
    there is nothing to send, or the call fails.
    """
    settings = get_settings()
    if not settings.line_channel_secret or not settings.line_access_token:
        log.warning("LINE push not sent: LINE is not configured")
        return False
    if user_id.startswith("line:"):
        user_id = user_id[len("line:"):]
    request = push_request(user_id, messages)
    if request is None:
        log.warning("LINE push to %s not sent: no message to send", _short(user_id))
        return False
    retry_key = str(uuid.uuid4())
    ok = await _call(
        "push",
        lambda api: api.push_message(request, x_line_retry_key=retry_key, _request_timeout=REQUEST_TIMEOUT_S),
    )
    if ok:
        log.info("LINE push to %s: %d message(s)", _short(user_id), len(request.messages))
    return ok


# ---------------------------------------------------------------- events


def _first_time(webhook_event_id: str) -> bool:
    """Records the event id; False when it was already recorded (a redelivery)."""
    global _last_prune
    with SessionLocal() as session:
        session.add(LineEvent(webhook_event_id=webhook_event_id))
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            return False
        if time.monotonic() - _last_prune > 3600:
            _last_prune = time.monotonic()
            since = dt.datetime.now(dt.timezone.utc) - EVENT_MEMORY
            session.execute(delete(LineEvent).where(LineEvent.received_at < since))
            session.commit()
    return True


def _unavailable() -> Message:
    s = get_settings()
    return Message(text=UNAVAILABLE.format(call=s.call()))


def welcome() -> Message:
    s = get_settings()
    return Message(
        text=WELCOME.format(city=s.city_name, call=s.call()),
        buttons=list(WELCOME_BUTTONS),
    )


async def _converse(rasa: RasaClient, sender: str, message: str) -> list[Message]:
    try:
        return await rasa.converse(sender, message, channel="line")
    except RasaUnavailable as exc:
        log.warning("rasa unavailable: %s", exc)
        return [_unavailable()]


async def handle_event(rasa: RasaClient, event) -> None:
    """One webhook event: works out the answer and replies, each event at most once."""
    if getattr(event, "mode", "active") != "active":  # standby: another channel answers
        return
    source = getattr(event, "source", None)
    if not isinstance(source, UserSource) or not source.user_id:
        return  # one-to-one chats only: answers may be personal (application status)
    reply_token = getattr(event, "reply_token", None)
    if not reply_token:
        return
    sender = f"line:{source.user_id}"

    if isinstance(event, FollowEvent):
        work: Callable[[], Awaitable[list[Message]]] | None = None
        answer = [welcome()]
    elif isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent):
        try:
            text = clean_user_text(event.message.text, get_settings().max_text_chars)
        except TextError as exc:
            answer, work = [Message(text=str(exc))], None
        else:
            # Typed text is never taken as an intent command ("/intent" is for buttons).
            message = text.lstrip("/ ") or "？"
            answer, work = [], (lambda: _converse(rasa, sender, message))
    elif isinstance(event, MessageEvent) and isinstance(event.message, _NOT_TEXT_CONTENT):
        answer, work = [Message(text=NOT_TEXT)], None
    elif isinstance(event, PostbackEvent):
        data = (event.postback.data or "").strip()
        if PAYLOAD_RE.match(data):
            answer, work = [], (lambda: _converse(rasa, sender, data))
        else:
            log.info("LINE postback with unknown data ignored")
            answer, work = [Message(text=BAD_BUTTON)], None
    else:
        return  # unfollow, join, unsend, …: nothing to say

    try:
        first = await asyncio.to_thread(_first_time, event.webhook_event_id)
    except SQLAlchemyError:  # answering matters more than never answering twice
        log.exception("LINE event %s: could not record it; answering anyway", event.webhook_event_id)
        first = True
    if not first:
        log.info("LINE event %s already handled; redelivery skipped", event.webhook_event_id)
        return
    if work is not None:
        # per LINE user (the webhook's own client is LINE's platform): a flood of messages
        # from one account gets a request to wait, not a conversation turn each
        limits = ratelimit.current()
        wait = await limits.ahit(ratelimit.parse_rates(limits.settings.rate_line_user), "line-user",
                                 ratelimit.client_tag(sender))
        if wait:
            answer, work = [Message(text=ratelimit.TOO_MANY.format(wait=ratelimit.wait_text(wait)))], None
    if work is not None:
        try:
            answer = await work()
        except Exception:  # a fault here must still leave the resident an answer
            log.exception("LINE event %s: conversation failed", event.webhook_event_id)
            answer = [_unavailable()]
    if answer:
        await reply(reply_token, answer)


async def handle_events(rasa: RasaClient, events: list) -> None:
    """Events of one webhook call: in order per user, users side by side. Never raises."""
    by_user: dict[str, list] = {}
    for event in events:
        user = getattr(getattr(event, "source", None), "user_id", None) or ""
        by_user.setdefault(user, []).append(event)

    async def one_user(user_events: list) -> None:
        for event in user_events:
            try:
                await handle_event(rasa, event)
            except Exception:
                log.exception("LINE event %s failed", getattr(event, "webhook_event_id", "?"))

    await asyncio.gather(*(one_user(evs) for evs in by_user.values()))


def _detail(code: int, detail: str) -> JSONResponse:
    return JSONResponse(status_code=code, content={"detail": detail})


@router.post(
    "/line/webhook",
    responses={401: {"description": "bad signature"}, 503: {"description": "LINE not configured"}},
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

    events = payload.events or []
    if events:  # none: LINE's "Verify" button
        task = asyncio.create_task(handle_events(request.app.state.rasa, events))
        _tasks.add(task)
        task.add_done_callback(_tasks.discard)
    return JSONResponse(status_code=status.HTTP_200_OK, content={})
