"""LINE webhook → real api + Rasa + action server → reply calls to a local stand-in for LINE."""
import base64
import hashlib
import hmac
import json
import os
import signal
import time
import uuid

from linebot.v3.messaging import ReplyMessageRequest

from tests.e2e.conftest import LINE_SECRET, LINE_TOKEN

NO_CALL_WAIT_S = 1.5  # how long "no call came" is watched


def sign(raw: bytes, secret: str = LINE_SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), raw, hashlib.sha256).digest()).decode()


def new_user() -> str:
    return "U" + uuid.uuid4().hex


def event(kind: str, user: str, **extra) -> dict:
    body = {
        "type": kind,
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": user},
        "webhookEventId": uuid.uuid4().hex.upper()[:26],
        "deliveryContext": {"isRedelivery": False},
        "replyToken": uuid.uuid4().hex,
    }
    body.update(extra)
    return body


def text_event(text: str, user: str) -> dict:
    return event("message", user, message={"id": str(time.time_ns()), "type": "text", "text": text, "quoteToken": "q"})


def send(services, *events, signature: str | None = None):
    raw = json.dumps({"destination": "Ubot", "events": list(events)}, ensure_ascii=False).encode()
    r = services.http.post("/line/webhook", content=raw, headers={
        "Content-Type": "application/json", "X-Line-Signature": signature or sign(raw)})
    return r


def reply_to(line_platform, ev: dict, timeout_s: float = 30) -> ReplyMessageRequest:
    """The one reply call for this event; its body parsed with line-bot-sdk's own model."""
    calls = line_platform.replies_to(ev["replyToken"], timeout_s=timeout_s)
    assert len(calls) == 1, f"expected one reply call, got {len(calls)}"
    call = calls[0]
    assert call["path"] == "/v2/bot/message/reply"
    assert call["headers"]["authorization"] == f"Bearer {LINE_TOKEN}"
    req = ReplyMessageRequest.from_json(call["raw"].decode())
    assert req.reply_token == ev["replyToken"] and 1 <= len(req.messages) <= 5
    return req


def texts(req: ReplyMessageRequest) -> str:
    return "\n".join(m.text for m in req.messages)


def quick_replies(req: ReplyMessageRequest) -> list:
    last = req.messages[-1]
    return [i.action for i in last.quick_reply.items] if last.quick_reply else []


def test_japanese_question_gets_the_faq_answer(services, line_platform):
    ev = text_event("住民票の写しはどこで取れますか", new_user())
    r = send(services, ev)
    assert r.status_code == 200
    req = reply_to(line_platform, ev)
    assert "住民票" in texts(req) and "担当：市民課" in texts(req)
    for action in quick_replies(req):
        assert len(action.label) <= 20


def test_conversation_over_postback_buttons(services, line_platform):
    user = new_user()
    ev = event("postback", user, postback={"data": "/check_application_status"})
    assert send(services, ev).status_code == 200
    assert "申請番号" in texts(reply_to(line_platform, ev))
    ev2 = text_event("A-2026-000101", user)  # the same conversation continues (sender line:<userId>)
    assert send(services, ev2).status_code == 200
    assert "生年月日" in texts(reply_to(line_platform, ev2))


def test_status_check_then_told_on_line(services, line_platform):
    user = new_user()
    ev = text_event("A-2026-000102の申請状況を知りたい", user)
    send(services, ev)
    assert "生年月日" in texts(reply_to(line_platform, ev))
    ev = text_event("平成2年4月1日", user)
    send(services, ev)
    req = reply_to(line_platform, ev)
    assert "保育施設" in texts(req)
    [told] = [a for a in quick_replies(req) if a.type == "postback" and a.data.startswith("/subscribe_status")]
    ev = event("postback", user, postback={"data": told.data})
    send(services, ev)
    body = texts(reply_to(line_platform, ev))
    assert "承知しました" in body and "A-2026-000102" in body and "LINE" in body


def test_greeting_buttons_become_quick_replies(services, line_platform):
    ev = text_event("こんにちは", new_user())
    send(services, ev)
    req = reply_to(line_platform, ev)
    actions = quick_replies(req)
    assert actions, "the greeting offers buttons"
    kinds = {(a.type, (a.data if a.type == "postback" else a.text)) for a in actions}
    assert ("postback", "/check_application_status") in kinds
    assert any(kind == "message" for kind, _ in kinds)


def test_follow_gets_the_welcome(services, line_platform):
    ev = event("follow", new_user(), follow={"isUnblocked": False})
    assert send(services, ev).status_code == 200
    body = texts(reply_to(line_platform, ev, timeout_s=10))
    assert "まどぐち" in body and "119" in body and "110" in body


def test_sticker_gets_a_polite_request_for_words(services, line_platform):
    ev = event("message", new_user(), message={
        "id": "1", "type": "sticker", "quoteToken": "q", "packageId": "446", "stickerId": "1988",
        "stickerResourceType": "STATIC"})
    assert send(services, ev).status_code == 200
    assert "文字で入力" in texts(reply_to(line_platform, ev, timeout_s=10))


def test_redelivered_event_is_answered_once(services, line_platform):
    ev = text_event("こんにちは", new_user())
    assert send(services, ev).status_code == 200
    assert send(services, dict(ev, deliveryContext={"isRedelivery": True})).status_code == 200
    reply_to(line_platform, ev)
    time.sleep(NO_CALL_WAIT_S)
    assert len(line_platform.replies_to(ev["replyToken"], timeout_s=0)) == 1


def test_forged_signature_is_rejected_and_nothing_is_sent(services, line_platform):
    ev = text_event("こんにちは", new_user())
    r = send(services, ev, signature=sign(b"another body"))
    assert r.status_code == 401 and r.json()["detail"]
    r = send(services, ev, signature=sign(json.dumps({"events": [ev]}).encode(), secret="forged-secret"))
    assert r.status_code == 401
    assert line_platform.replies_to(ev["replyToken"], timeout_s=NO_CALL_WAIT_S) == []


def test_verify_with_empty_events(services, line_platform):
    before = len(line_platform.calls)
    assert send(services).status_code == 200
    time.sleep(0.3)
    assert len(line_platform.calls) == before


def test_event_survives_a_kill_of_the_api_right_after_the_200(services, line_platform):
    """The webhook stores the event before its 200 (the LINE queue): the api killed at once (kill -9)
    and restarted by the supervisor still answers it — by reply or, the token being old by then, by
    push — and exactly once."""
    uid = new_user()
    ev = text_event("住民票の写しはどこで取れますか", uid)
    pid = services.pid("api")
    rasa = services.pid("rasa")
    os.kill(rasa, signal.SIGSTOP)  # Rasa holds the answer: the api is surely killed mid-event
    try:
        assert send(services, ev).status_code == 200
        time.sleep(0.5)  # the worker has taken the event and waits for Rasa
        os.kill(pid, signal.SIGKILL)
    finally:
        os.kill(rasa, signal.SIGCONT)
    assert line_platform.find(lambda c: (c["body"] or {}).get("replyToken") == ev["replyToken"]) == []
    deadline = time.monotonic() + 30
    while services.pid("api") == pid and time.monotonic() < deadline:  # the supervisor starts a new one
        time.sleep(0.1)
    assert services.pid("api") != pid
    services.wait_healthy(300)

    def answer(c):
        body = c["body"] or {}
        return (c["path"] == "/v2/bot/message/reply" and body.get("replyToken") == ev["replyToken"]) or (
            c["path"] == "/v2/bot/message/push" and body.get("to") == uid)

    line_platform.wait_for(lambda c: answer(c) and c["accepted"], timeout_s=120)
    time.sleep(3 * NO_CALL_WAIT_S)  # nothing more comes
    [shown] = line_platform.delivered(answer)
    assert "住民票" in "\n".join(m["text"] for m in shown["body"]["messages"])
    print(f"answered by {shown['path'].rsplit('/', 1)[-1]} after the kill")
