"""The LINE channel without Rasa: signatures, rendering, event handling, calls to a local LINE stand-in."""
import asyncio
import base64
import hashlib
import hmac
import json
import time
import uuid

import pytest
from linebot.v3.messaging import PushMessageRequest, ReplyMessageRequest
from linebot.v3.webhooks import Event

from api.channels import line
from api.channels.messages import PAYLOAD_RE, Button, Message
from api.channels.rasa import RasaClient, RasaUnavailable
from api.config import get_settings

SECRET = "line-test-secret"  # as set in conftest.py
USER = "U" + "4af4980629" * 3 + "12"


def sign(raw: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), raw, hashlib.sha256).digest()).decode()


def event(kind: str, user: str = USER, source: dict | None = None, **extra) -> dict:
    body = {
        "type": kind,
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "source": source or {"type": "user", "userId": user},
        "webhookEventId": uuid.uuid4().hex.upper()[:26],
        "deliveryContext": {"isRedelivery": False},
        "replyToken": uuid.uuid4().hex,
    }
    body.update(extra)
    return body


def text_event(text: str, **kw) -> dict:
    return event("message", message={"id": "1", "type": "text", "text": text, "quoteToken": "q"}, **kw)


def postback_event(data: str, **kw) -> dict:
    return event("postback", postback={"data": data}, **kw)


def follow_event(**kw) -> dict:
    return event("follow", follow={"isUnblocked": False}, **kw)


NOT_TEXT_MESSAGES = [
    {"id": "2", "type": "sticker", "quoteToken": "q", "packageId": "446", "stickerId": "1988",
     "stickerResourceType": "STATIC"},
    {"id": "3", "type": "image", "quoteToken": "q", "contentProvider": {"type": "line"}},
    {"id": "4", "type": "video", "quoteToken": "q", "duration": 1000, "contentProvider": {"type": "line"}},
    {"id": "5", "type": "audio", "duration": 1000, "contentProvider": {"type": "line"}},
    {"id": "6", "type": "file", "fileName": "a.pdf", "fileSize": 10},
    {"id": "7", "type": "location", "latitude": 35.68, "longitude": 139.76, "address": "東京都"},
]


def parsed(d: dict):
    e = Event.from_dict(d)
    assert type(e).__name__ != "Event", "test event must parse as its own type"
    return e


def roundtrip_reply(req: ReplyMessageRequest) -> dict:
    """The request as LINE receives it; must parse with line-bot-sdk's own model."""
    raw = req.to_json()
    again = ReplyMessageRequest.from_json(raw)
    assert again.reply_token == req.reply_token and len(again.messages) == len(req.messages)
    return json.loads(raw)


def units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# ---------------------------------------------------------------- webhook: signature and configuration


def stored(*events: dict) -> list[str]:
    """Which of these events the webhook has stored (its de-duplication row and its job are one commit)."""
    from api.channels.models import LineEvent
    from api.db import SessionLocal
    from sqlalchemy import select

    ids = [e["webhookEventId"] for e in events]
    with SessionLocal() as session:
        return list(session.scalars(select(LineEvent.webhook_event_id).where(LineEvent.webhook_event_id.in_(ids))))


def post(client, body: dict | bytes, signature: str | None = "auto"):
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json"}
    if signature == "auto":
        signature = sign(raw)
    if signature is not None:
        headers["X-Line-Signature"] = signature
    return client.post("/line/webhook", content=raw, headers=headers)


def test_valid_signature_is_accepted_and_the_event_stored(client):
    ev = text_event("住民票を取りたい")
    r = post(client, {"destination": "Ubot", "events": [ev]})
    assert r.status_code == 200
    assert stored(ev) == [ev["webhookEventId"]]  # before the 200 (tests/api/test_line_queue.py: then handled)


@pytest.mark.parametrize(
    "signature",
    [
        sign(b"something else"),  # signed another body
        sign(json.dumps({"events": []}).encode(), secret="not-the-secret"),
        "",
        "not base64 at all",
    ],
)
def test_forged_signature_is_401_and_nothing_stored(client, signature):
    ev = text_event("こんにちは")
    body = json.dumps({"destination": "Ubot", "events": [ev]}).encode()
    r = post(client, body, signature=signature)
    assert r.status_code == 401
    assert isinstance(r.json()["detail"], str) and r.json()["detail"]
    assert stored(ev) == []


def test_missing_signature_is_401(client):
    ev = text_event("こんにちは")
    r = post(client, {"destination": "Ubot", "events": [ev]}, signature=None)
    assert r.status_code == 401 and "署名" in r.json()["detail"]
    assert stored(ev) == []


def test_body_not_utf8_is_401(client):
    raw = b"\xff\xfe{\"events\": []}"
    r = post(client, raw)
    assert r.status_code == 401


@pytest.mark.parametrize("raw", [b"{not json", b"[]", b"{\"no_events\": 1}"])
def test_signed_but_unreadable_body_is_400(client, raw):
    r = post(client, raw)
    assert r.status_code == 400 and r.json()["detail"]


def test_empty_events_verification_is_200(client):
    from api.db import SessionLocal
    from api.linequeue.models import LineJob
    from sqlalchemy import func, select

    with SessionLocal() as session:
        before = session.scalar(select(func.count()).select_from(LineJob))
    r = post(client, {"destination": "Ubot", "events": []})
    assert r.status_code == 200
    with SessionLocal() as session:
        assert session.scalar(select(func.count()).select_from(LineJob)) <= before


def test_not_configured_is_503(client, monkeypatch):
    settings = get_settings().model_copy(update=dict(line_channel_secret=""))
    monkeypatch.setattr(line, "get_settings", lambda: settings)
    ev = text_event("こんにちは")
    r = post(client, {"destination": "Ubot", "events": [ev]})
    assert r.status_code == 503
    assert r.json() == {"detail": "LINEは設定されていません。"}
    assert stored(ev) == []


def test_events_that_need_no_answer_are_not_stored(client):
    unfollow = event("unfollow")
    del unfollow["replyToken"]
    group = text_event("こんにちは", source={"type": "group", "groupId": "Cgroup", "userId": USER})
    assert post(client, {"destination": "Ubot", "events": [unfollow, group]}).status_code == 200
    assert stored(unfollow, group) == []


def test_database_down_is_503_so_line_redelivers(client, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def down(events):
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(line, "store_events", down)
    r = post(client, {"destination": "Ubot", "events": [text_event("こんにちは")]})
    assert r.status_code == 503 and r.json()["detail"]


def test_payload_regex_is_shared_with_web():
    from api.channels import web

    assert web.PAYLOAD_RE is PAYLOAD_RE
    assert PAYLOAD_RE.match('/choose_faq{"faq_id":"koseki-001"}')
    assert not PAYLOAD_RE.match("住民票")


# ---------------------------------------------------------------- rendering


def test_at_most_five_messages_the_rest_merged_into_the_fifth():
    msgs = [Message(text=f"メッセージ{i}") for i in range(1, 9)]
    body = roundtrip_reply(line.reply_request("tok", msgs))
    texts = [m["text"] for m in body["messages"]]
    assert len(texts) == 5
    assert texts[:4] == ["メッセージ1", "メッセージ2", "メッセージ3", "メッセージ4"]
    assert texts[4] == "メッセージ5\n\nメッセージ6\n\nメッセージ7\n\nメッセージ8"


def test_one_call_for_several_messages_quick_reply_on_the_last():
    msgs = [
        Message(text="住民票の写しは市民課の窓口で取れます。"),
        Message(text="この回答は役に立ちましたか？", buttons=[
            Button(title="👍 役に立った", payload='/feedback{"faq_id":"juminhyo-001","helpful":true}'),
            Button(title="👎 役に立たなかった", payload='/feedback{"faq_id":"juminhyo-001","helpful":false}'),
        ]),
    ]
    body = roundtrip_reply(line.reply_request("tok", msgs))
    assert body["replyToken"] == "tok"
    first, last = body["messages"]
    assert "quickReply" not in first
    items = last["quickReply"]["items"]
    assert [i["action"]["type"] for i in items] == ["postback", "postback"]
    assert items[0]["action"] == {
        "type": "postback", "label": "👍 役に立った",
        "data": '/feedback{"faq_id":"juminhyo-001","helpful":true}', "displayText": "👍 役に立った",
    }


def test_postback_and_message_actions():
    msgs = [Message(text="こんにちは", buttons=[
        Button(title="住民票を取りたい", payload="住民票を取りたい"),
        Button(title="申請の状況を確認", payload="/check_application_status"),
        Button(title="壊れたボタン", payload="/not a payload"),  # cannot be a postback: dropped
    ])]
    items = roundtrip_reply(line.reply_request("tok", msgs))["messages"][0]["quickReply"]["items"]
    assert [i["action"] for i in items] == [
        {"type": "message", "label": "住民票を取りたい", "text": "住民票を取りたい"},
        {"type": "postback", "label": "申請の状況を確認", "data": "/check_application_status",
         "displayText": "申請の状況を確認"},
    ]


def test_quick_reply_at_most_13_and_labels_at_most_20():
    long_title = "とても長いボタンの名前でありまして二十文字を超えています"
    buttons = [Button(title=f"{i}番目の{long_title}", payload=f"質問{i}") for i in range(20)]
    buttons.append(Button(title="🙂" * 15, payload="/greet"))
    body = roundtrip_reply(line.reply_request("tok", [Message(text="どれですか", buttons=buttons)]))
    items = body["messages"][-1]["quickReply"]["items"]
    assert len(items) == 13
    for item in items:
        label = item["action"]["label"]
        assert 0 < len(label) <= 20 and units(label) <= 20
        assert label.endswith("…")
    assert items[0]["action"]["text"] == "質問0"  # the payload is sent whole


def test_emoji_label_is_not_split_in_a_surrogate_pair():
    body = roundtrip_reply(line.reply_request("t", [Message(text="x", buttons=[Button(title="🙂" * 15, payload="/greet")])]))
    label = body["messages"][0]["quickReply"]["items"][0]["action"]["label"]
    assert units(label) <= 20 and set(label) <= {"🙂", "…"}


def test_long_text_is_split_at_5000():
    text = "あ" * 12_000
    body = roundtrip_reply(line.reply_request("tok", [Message(text=text)]))
    texts = [m["text"] for m in body["messages"]]
    assert [len(t) for t in texts] == [5000, 5000, 2000]
    assert "".join(texts) == text


def test_long_text_prefers_line_breaks():
    lines = [f"{i:04d} " + "い" * 94 for i in range(120)]  # 100 characters a line
    text = "\n".join(lines)
    body = roundtrip_reply(line.reply_request("tok", [Message(text=text)]))
    texts = [m["text"] for m in body["messages"]]
    assert len(texts) == 3 and all(len(t) <= 5000 for t in texts)
    assert "\n".join(texts).split("\n") == lines  # no line cut in two


def test_absurdly_long_reply_still_fits_one_call():
    body = roundtrip_reply(line.reply_request("tok", [Message(text="う" * 40_000), Message(text="最後")]))
    assert len(body["messages"]) == 5
    assert all(len(m["text"]) <= 5000 for m in body["messages"])


def test_buttons_without_text_and_nothing_to_send():
    body = roundtrip_reply(line.reply_request("tok", [Message(buttons=[Button(title="はい", payload="/affirm")])]))
    assert body["messages"][0]["text"] == line.CHOOSE and body["messages"][0]["quickReply"]["items"]
    assert line.reply_request("tok", []) is None
    assert line.reply_request("tok", [Message(text="  ")]) is None


def test_push_request_parses():
    req = line.push_request(USER, [Message(text="ご質問への回答です。", buttons=[Button(title="ありがとう", payload="/thankyou")])])
    again = PushMessageRequest.from_json(req.to_json())
    assert again.to == USER and again.messages[0].text == "ご質問への回答です。"


# ---------------------------------------------------------------- event handling


class FakeRasa(RasaClient):
    """Rasa's side of a turn, scripted: converse() is RasaClient's own."""

    def __init__(self, replies=None, down=False, actions_up=True):
        self.replies = replies if replies is not None else [{"text": "住民票は市民課で取れます。"}]
        self.down = down
        self._actions_up = actions_up
        self.sent = []

    async def send(self, sender, message, channel, metadata=None):
        self.sent.append((sender, message, channel))
        if self.down:
            raise RasaUnavailable("connection refused")
        return self.replies

    async def actions_up(self):
        return self._actions_up


_ANSWERS: list = []


@pytest.fixture
def replies(client):
    """What the handler answers, per event: (reply token, messages). (client: tables exist.)"""
    _ANSWERS.clear()
    return _ANSWERS


def handle(rasa, *events) -> list:
    """Answers the events one by one as the LINE queue's worker does; returns (and records) the answers."""
    async def run():
        out = []
        for e in events:
            ev = parsed(e)
            messages = await line.answer_event(rasa, ev)
            if messages:
                out.append((getattr(ev, "reply_token", None), messages))
        return out

    answers = asyncio.run(run())
    _ANSWERS.extend(answers)
    return answers


def only_text(replies) -> str:
    assert len(replies) == 1
    return "\n".join(m.text for m in replies[0][1])


def test_text_goes_to_rasa_as_line_sender(replies):
    rasa = FakeRasa(replies=[{"text": "住民票は市民課で取れます。"},
                             {"text": "役に立ちましたか？", "buttons": [{"title": "👍", "payload": "/feedback"}]}])
    ev = text_event("ＡＢＣ 住民票の写しは　どこで取れますか")
    handle(rasa, ev)
    assert rasa.sent == [(f"line:{USER}", "ABC 住民票の写しは どこで取れますか", "line")]
    token, messages = replies[0]
    assert token == ev["replyToken"] and len(replies) == 1
    assert [m.text for m in messages] == ["住民票は市民課で取れます。", "役に立ちましたか？"]


def test_typed_intent_commands_are_just_text(replies):
    rasa = FakeRasa()
    handle(rasa, text_event('/feedback{"faq_id":"x","helpful":true}'))
    assert not rasa.sent[0][1].startswith("/")


@pytest.mark.parametrize("text,expected", [("あ" * 1001, "長すぎます"), ("\u200b\x00 ", "空です")])
def test_unusable_text_gets_a_polite_reply_without_rasa(replies, text, expected):
    rasa = FakeRasa()
    handle(rasa, text_event(text))
    assert rasa.sent == []
    assert expected in only_text(replies)


def test_postback_with_a_payload_goes_to_rasa(replies):
    rasa = FakeRasa(replies=[{"text": "申請番号を入力してください。"}])
    handle(rasa, postback_event("/check_application_status"))
    assert rasa.sent == [(f"line:{USER}", "/check_application_status", "line")]
    assert "申請番号" in only_text(replies)


def test_postback_with_other_data_is_not_sent_to_rasa(replies):
    rasa = FakeRasa()
    handle(rasa, postback_event("action=buy&itemid=1"))
    assert rasa.sent == []
    assert only_text(replies) == line.BAD_BUTTON


def test_follow_gets_the_welcome(replies):
    handle(FakeRasa(), follow_event())
    body = only_text(replies)
    assert "まどぐち" in body and "119" in body and "110" in body and "012-345-6000" in body
    assert replies[0][1][0].buttons  # example questions as buttons


@pytest.mark.parametrize("message", NOT_TEXT_MESSAGES, ids=lambda m: m["type"])
def test_non_text_messages_get_a_polite_request(replies, message):
    rasa = FakeRasa()
    handle(rasa, event("message", message=message))
    assert rasa.sent == []
    assert only_text(replies) == line.NOT_TEXT


def test_nothing_for_unfollow_groups_and_standby(replies):
    rasa = FakeRasa()
    unfollow = event("unfollow")
    del unfollow["replyToken"]
    group = text_event("こんにちは", source={"type": "group", "groupId": "Cgroup", "userId": USER})
    standby = text_event("こんにちは", mode="standby")
    del standby["replyToken"]
    handle(rasa, unfollow, group, standby)
    assert rasa.sent == [] and replies == []


def test_redelivered_event_is_stored_once(client):
    ev = text_event("住民票")
    again = dict(ev, deliveryContext={"isRedelivery": True})
    other = text_event("ごみ")
    assert line.store_events([parsed(ev)]) == 1
    assert line.store_events([parsed(again)]) == 0
    assert line.store_events([parsed(ev), parsed(other), parsed(again)]) == 1
    assert sorted(stored(ev, other)) == sorted([ev["webhookEventId"], other["webhookEventId"]])


def test_rasa_down_gets_an_apology_with_the_city_phone(replies):
    handle(FakeRasa(down=True), text_event("住民票"))
    body = only_text(replies)
    assert "申し訳ありません" in body and "012-345-6000" in body and "8時30分" in body


def test_action_server_down_gets_an_apology(replies):
    handle(FakeRasa(replies=[], actions_up=False), text_event("住民票"))
    assert "申し訳ありません" in only_text(replies)


def test_one_failing_event_does_not_stop_the_others(replies):
    class Broken(FakeRasa):
        async def send(self, sender, message, channel, metadata=None):
            if message == "壊れる":
                raise RuntimeError("boom")
            return await super().send(sender, message, channel, metadata)

    rasa = Broken()
    handle(rasa, text_event("壊れる"), text_event("住民票"))
    assert [m for _, m, _ in rasa.sent] == ["住民票"]
    assert len(replies) == 2 and "申し訳ありません" in replies[0][1][0].text


# ---------------------------------------------------------------- calls to a stand-in for LINE


@pytest.fixture
def to_platform(platform, monkeypatch):
    settings = get_settings().model_copy(update=dict(line_api_base=platform.base))
    monkeypatch.setattr(line, "get_settings", lambda: settings)
    return platform


def test_webhook_to_reply_call_end_to_end_without_rasa(client, to_platform):
    ev = text_event("住民票の写しはどこで取れますか")
    r = post(client, {"destination": "Ubot", "events": [ev]})
    assert r.status_code == 200
    calls = to_platform.replies_to(ev["replyToken"], timeout_s=10)
    assert len(calls) == 1
    call = calls[0]
    assert call["headers"]["authorization"] == "Bearer line-test-access-token"
    req = ReplyMessageRequest.from_json(call["raw"].decode())
    assert "申し訳ありません" in req.messages[0].text  # Rasa is not running here
    # The same event again (a redelivery): accepted, not answered again.
    assert post(client, {"destination": "Ubot", "events": [ev]}).status_code == 200
    time.sleep(0.5)
    assert len(to_platform.replies_to(ev["replyToken"], timeout_s=0)) == 1


def test_reply_goes_to_the_configured_host(to_platform):
    assert asyncio.run(line.reply("tok-host", [Message(text="テスト")])).outcome is line.Outcome.SENT
    (call,) = to_platform.replies_to("tok-host", timeout_s=5)
    assert call["path"] == "/v2/bot/message/reply"


def test_push(to_platform):
    msgs = [Message(text="お問い合わせ Q-2026-000123 への回答です。", buttons=[Button(title="ありがとう", payload="/thankyou")])]
    key = str(uuid.uuid4())
    assert asyncio.run(line.push(f"line:{USER}", msgs, key)).outcome is line.Outcome.SENT
    calls = to_platform.wait_for(lambda c: c["path"] == "/v2/bot/message/push" and c["body"]["messages"][0]["text"].startswith("お問い合わせ Q-2026-000123"), timeout_s=5)
    assert len(calls) == 1
    call = calls[0]
    assert call["headers"]["authorization"] == "Bearer line-test-access-token"
    assert call["headers"]["x-line-retry-key"] == key
    req = PushMessageRequest.from_json(call["raw"].decode())
    assert req.to == USER and req.messages[0].quick_reply.items[0].action.data == "/thankyou"
    # the same key again: LINE (and its stand-in) answer 409, which counts as delivered, once
    again = asyncio.run(line.push(f"line:{USER}", msgs, key))
    assert again.outcome is line.Outcome.DUPLICATE and again.outcome.delivered


@pytest.mark.parametrize("status,outcome", [(500, "RETRY"), (503, "RETRY"), (429, "RETRY"), (400, "REJECTED"),
                                            (403, "REJECTED"), (409, "DUPLICATE")])
def test_line_statuses_are_classified(to_platform, status, outcome):
    key = str(uuid.uuid4())
    # Only this push's call fails: a queue worker left from another test must not take the failure.
    to_platform.fail(1, status, match=lambda c: c["headers"].get("x-line-retry-key") == key)
    done = asyncio.run(line.push(USER, [Message(text="回答です")], key))
    assert done.outcome is line.Outcome[outcome] and str(status) in done.detail


def test_push_when_line_fails_or_is_not_configured(monkeypatch):
    # Nothing listens at LINE_API_BASE here.
    key = str(uuid.uuid4())
    assert asyncio.run(line.push(USER, [Message(text="回答です")], key)).outcome is line.Outcome.RETRY
    assert asyncio.run(line.push(USER, [], key)).outcome is line.Outcome.REJECTED
    settings = get_settings().model_copy(update=dict(line_channel_secret="", line_access_token=""))
    monkeypatch.setattr(line, "get_settings", lambda: settings)
    assert asyncio.run(line.push(USER, [Message(text="回答です")], key)).outcome is line.Outcome.OFF


def test_secrets_are_not_in_settings_repr():
    shown = repr(get_settings())
    assert "line-test-secret" not in shown and "line-test-access-token" not in shown
