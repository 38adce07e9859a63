"""The live chat with staff through the real app: the resident's web side (/api/chat's hand-over
hook, /api/chat/live), the console's 職員チャット page and its actions, the action server's offer,
Rasa's pause/resume (a stand-in for Rasa's HTTP api records them), LINE pushes through the LINE
queue, and what becomes a ticket (a wait too long, the only staff member logging out).

A clock fixture moves api.handover.service's time: office hours and waits do not depend on when
the tests run."""
from __future__ import annotations

import datetime as dt
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import delete, select

from tests.api.conftest import INTERNAL
from tests.api.test_admin_console import audit_rows, csrf, logged_in

JST = dt.timezone(dt.timedelta(hours=9))
MONDAY_10 = dt.datetime(2026, 12, 7, 10, 0, tzinfo=JST)  # a working day
SATURDAY_10 = dt.datetime(2026, 12, 5, 10, 0, tzinfo=JST)
HOLIDAY_10 = dt.datetime(2026, 9, 22, 10, 0, tzinfo=JST)  # 国民の休日 (a Tuesday)


@pytest.fixture(autouse=True)
def _plain_http_cookies(monkeypatch):
    monkeypatch.setenv("MADOGUCHI_INSECURE_COOKIES", "1")


class Clock:
    def __init__(self, at: dt.datetime):
        self.at = at.astimezone(dt.timezone.utc)

    def __call__(self) -> dt.datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch, client):
    from api.db import SessionLocal
    from api.handover import service
    from api.handover.models import LiveChat, LiveMessage, StaffPresence

    with SessionLocal() as s:  # every test starts with no chats and nobody at the console
        s.execute(delete(LiveMessage))
        s.execute(delete(LiveChat))
        s.execute(delete(StaffPresence))
        s.commit()
    c = Clock(MONDAY_10)
    monkeypatch.setattr(service, "now", c)
    return c


class RasaStandIn:
    """Rasa's HTTP api as the api uses it: records appended events, answers a tracker."""

    def __init__(self):
        self.events: list[tuple[str, dict, str]] = []
        self.reads: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _json(self, body, code=200):
                out = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.events.append((self.path.split("/")[2], body, self.path.partition("token=")[2]))
                self._json({})

            def do_GET(self):
                outer.reads.append(self.path.split("/")[2])
                self._json({"events": [
                    {"event": "user", "text": "職員と話したい 電話は090-1234-5678"},
                    {"event": "bot", "text": "職員へのご相談はお電話でも"},
                    {"event": "user", "text": "/live_chat"}]})

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def kinds(self, sender: str) -> list[str]:
        # the path segment as Rasa takes it (undecoded): it must be the sender id itself
        return [body["event"] for who, body, _ in self.events if who == sender]


@pytest.fixture
def rasa(client):
    from api.channels.rasa import RasaClient

    stand_in = RasaStandIn()
    real = client.app.state.rasa
    client.app.state.rasa = RasaClient(stand_in.url, "http://127.0.0.1:9", 5.0, "rasa-token")
    try:
        yield stand_in
    finally:
        client.app.state.rasa = real
        stand_in.server.shutdown()


def sender() -> str:
    return f"web:{uuid.uuid4().hex}"


def start_payload(department="市民課", faq_id="juminhyo-001") -> str:
    return "/live_chat" + json.dumps({"department": department, "faq_id": faq_id}, ensure_ascii=False)


def chat_row(chat_id: int):
    from api.db import SessionLocal
    from api.handover.models import LiveChat

    with SessionLocal() as s:
        return s.get(LiveChat, chat_id)


def messages_of(chat_id: int) -> list:
    from api.db import SessionLocal
    from api.handover.models import LiveMessage

    with SessionLocal() as s:
        return list(s.scalars(select(LiveMessage).where(LiveMessage.chat_id == chat_id).order_by(LiveMessage.id)))


def chat_of(who: str):
    from api.db import SessionLocal
    from api.handover import service

    with SessionLocal() as s:
        return service.last_chat(s, who)


def poll(client, who: str, after: int = 0) -> dict:
    r = client.get("/api/chat/live", params={"sender": who, "after": after})
    assert r.status_code == 200, r.text
    return r.json()


def staff(client, role="editor", dept=""):
    b, login = logged_in(client, role)
    page = b.get("/admin/live", params={"dept": dept} if dept else None)
    assert page.status_code == 200
    return b, login, csrf(page.text)


def sweep():
    from api.config import get_settings
    from api.db import SessionLocal
    from api.handover import service

    with SessionLocal() as s:
        return service.sweep(s, get_settings())


def test_offer_follows_hours_holidays_and_staff_presence(client, clock):
    def offer(dept=""):
        r = client.get("/internal/handover/offer", params={"faq_department": dept}, headers=INTERNAL)
        assert r.status_code == 200
        return r.json()

    assert offer("市民課 住民記録係")["reason"] == "no_staff"  # open, but nobody at the console
    staff(client, role="viewer")
    assert offer("市民課 住民記録係")["reason"] == "no_staff"  # a viewer cannot answer: not counted
    b, _, _ = staff(client)
    got = offer("市民課 住民記録係")
    assert got["available"] and got["department"] == "市民課" and got["label"] == "ひかり野市 市民課"
    assert got["wait_text"] == "約3分"  # no history yet: three minutes each, one person ahead of none
    assert offer("税務課 市民税係")["department"] == "税務課"
    assert offer("どこにもない課")["department"] == "市民課"  # unknown: the first queue
    for closed in (SATURDAY_10, HOLIDAY_10, dt.datetime(2026, 12, 30, 10, tzinfo=JST),
                   dt.datetime(2026, 12, 7, 17, 15, tzinfo=JST)):
        clock.at = closed.astimezone(dt.timezone.utc)
        b.get("/admin/live")  # still present
        got = offer()
        assert not got["available"] and got["reason"] == "closed", closed
        assert got["hours"] == "月〜金 8:30〜17:15（祝日・年末年始などの休業日を除く）"
    assert client.get("/internal/handover/offer").status_code == 401


def test_live_chat_on_the_web_from_offer_to_close(client, clock, rasa):
    b, login, token = staff(client, dept="市民課")
    r = client.post("/api/chat", json={"payload": start_payload()})
    assert r.status_code == 200 and r.json()["live"] is True and r.json()["messages"] == []
    who = r.json()["sender"]
    assert rasa.kinds(who) == ["pause"] and rasa.events[0][2] == "rasa-token"
    assert rasa.reads == [who]  # the conversation's recent turns, read under its own id
    state = poll(client, who)
    assert state["status"] == "waiting" and "ひかり野市 市民課の職員におつなぎしています" in state["messages"][0]["text"]
    chat = chat_of(who)
    # the bot part, masked, without button payloads
    assert chat.transcript == [{"who": "resident", "text": "職員と話したい 電話は＊＊＊"},
                               {"who": "bot", "text": "職員へのご相談はお電話でも"}]
    assert chat.faq_id == "juminhyo-001"

    # typed while waiting: to staff, masked, never to the bot
    r = client.post("/api/chat", json={"sender": who, "text": "住所変更の件です。電話は090-1111-2222です"})
    assert r.json() == {"sender": who, "messages": [], "lang": "ja", "furigana": False, "live": True}
    assert messages_of(chat.id)[-1].text == "住所変更の件です。電話は＊＊＊です"
    page = b.get("/admin/live", params={"dept": "市民課"})
    assert f"会話 {chat.id}" in page.text and "1人の住民が職員を待っています" in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'none'; script-src 'self'")
    polled = b.get("/admin/live/poll", params={"dept": "市民課"}).json()
    assert [w["id"] for w in polled["waiting"]] == [chat.id]

    r = b.post(f"/admin/live/{chat.id}/take", data={"csrf_token": token, "dept": "市民課"})
    assert r.status_code == 303
    assert audit_rows("live.take", f"live:{chat.id}")
    detail = b.get("/admin/live", params={"chat": chat.id})
    assert "住所変更の件です。電話は＊＊＊です" in detail.text and 'id="reply"' in detail.text
    last = poll(client, who)["messages"][-1]["id"]

    assert b.post(f"/admin/live/{chat.id}/typing", data={"csrf_token": token}).status_code == 204
    assert poll(client, who, last)["typing"] is True
    r = b.post(f"/admin/live/{chat.id}/reply", data={"csrf_token": token, "text": "転入の手続きですね。本人確認書類をお持ちください。"})
    assert r.status_code == 303
    state = poll(client, who, last)
    assert state["typing"] is False and state["status"] == "active"
    said = state["messages"][-1]
    assert said["who"] == "staff" and said["label"] == "ひかり野市 市民課" and said["text"].startswith("転入の手続き")
    assert login not in json.dumps(state, ensure_ascii=False)  # never a person's name
    assert "さん" not in said["label"]

    r = b.post(f"/admin/live/{chat.id}/close", data={"csrf_token": token})
    assert r.status_code == 303 and audit_rows("live.close", f"live:{chat.id}")
    state = poll(client, who, state["messages"][-1]["id"])
    assert state["status"] == "ended" and "職員が会話を終了しました" in state["messages"][0]["text"]
    assert rasa.kinds(who) == ["pause", "resume"]
    ended = chat_row(chat.id)
    assert ended.outcome == "closed" and not ended.sender.startswith("web:")  # the keyed hash once ended
    assert poll(client, who)["status"] == "ended"  # still found by the hash


def test_transfer_to_another_department_and_return_to_the_bot(client, clock, rasa):
    a, _, token_a = staff(client, dept="市民課")
    c, _, token_c = staff(client, dept="税務課")
    who = client.post("/api/chat", json={"payload": start_payload()}).json()["sender"]
    chat = chat_of(who)
    assert a.post(f"/admin/live/{chat.id}/take", data={"csrf_token": token_a}).status_code == 303
    # the other department's staff cannot answer a chat they do not hold
    assert c.post(f"/admin/live/{chat.id}/reply", data={"csrf_token": token_c, "text": "横から"}).status_code == 409
    assert a.post(f"/admin/live/{chat.id}/transfer", data={"csrf_token": token_a, "to": "dept:どこか"}).status_code == 409
    r = a.post(f"/admin/live/{chat.id}/transfer",
               data={"csrf_token": token_a, "to": "dept:税務課", "note": "住民税の減免について"})
    assert r.status_code == 303 and audit_rows("live.transfer", f"live:{chat.id}")
    moved = chat_row(chat.id)
    assert (moved.status, moved.department, moved.staff_id, moved.note) == ("waiting", "税務課", None, "住民税の減免について")
    assert "担当をひかり野市 税務課に引き継ぎます" in poll(client, who)["messages"][-1]["text"]
    waiting = c.get("/admin/live/poll", params={"dept": "税務課"}).json()["waiting"]
    assert waiting[0]["id"] == chat.id and waiting[0]["note"] == "住民税の減免について"
    assert c.post(f"/admin/live/{chat.id}/take", data={"csrf_token": token_c}).status_code == 303
    r = c.post(f"/admin/live/{chat.id}/return", data={"csrf_token": token_c})
    assert r.status_code == 303 and audit_rows("live.return", f"live:{chat.id}")
    assert chat_row(chat.id).outcome == "returned" and rasa.kinds(who) == ["pause", "resume"]
    assert "AIによる自動応答に戻ります" in poll(client, who)["messages"][-1]["text"]
    # back with the bot: the next message goes to Rasa (down in these tests: 503), not to staff
    n = len(messages_of(chat.id))
    assert client.post("/api/chat", json={"sender": who, "text": "ありがとう"}).status_code == 503
    assert len(messages_of(chat.id)) == n


def test_transfer_to_a_colleague(client, clock, rasa):
    a, _, token_a = staff(client)
    c, login_c, token_c = staff(client)
    from tests.api.test_admin_console import user_row

    colleague = user_row(login_c).id
    who = client.post("/api/chat", json={"payload": start_payload()}).json()["sender"]
    chat = chat_of(who)
    a.post(f"/admin/live/{chat.id}/take", data={"csrf_token": token_a})
    assert a.post(f"/admin/live/{chat.id}/transfer", data={"csrf_token": token_a, "to": "staff:999999"}).status_code == 409
    a.post(f"/admin/live/{chat.id}/transfer", data={"csrf_token": token_a, "to": f"staff:{colleague}", "note": "お願いします"})
    assert chat_row(chat.id).staff_id == colleague
    mine = c.get("/admin/live/poll").json()["waiting"]
    assert mine[0]["id"] == chat.id and mine[0]["for_me"] is True
    assert all(w["id"] != chat.id for w in a.get("/admin/live/poll").json()["waiting"])  # meant for the colleague


def test_out_of_hours_the_button_offers_the_ticket_instead(client, clock, rasa):
    staff(client)
    clock.at = HOLIDAY_10.astimezone(dt.timezone.utc)
    r = client.post("/api/chat", json={"payload": start_payload()})
    body = r.json()
    assert r.status_code == 200 and body["live"] is False
    assert "ただいま職員とのチャットはご利用いただけません（受付：月〜金 8:30〜17:15" in body["messages"][0]["text"]
    assert body["messages"][0]["buttons"][0]["payload"] == "/leave_question"
    assert chat_of(body["sender"]) is None and rasa.kinds(body["sender"]) == []


def test_not_taken_in_time_becomes_a_ticket_with_everything_typed(client, clock, rasa):
    b, _, _ = staff(client)
    who = client.post("/api/chat", json={"payload": start_payload()}).json()["sender"]
    client.post("/api/chat", json={"sender": who, "text": "マイナンバーは1234-5678-9012です。転出届のことで"})
    clock.advance(200)
    b.get("/admin/live/poll")  # still at the console
    assert sweep() == []
    clock.advance(120)  # 320 s > MADOGUCHI_HANDOVER_WAIT_MAX_S (300)
    b.get("/admin/live/poll")
    ended = sweep()
    assert [e.sender for e in ended] == [who]
    chat = chat_row(ended[0].chat_id)
    assert chat.outcome == "ticket" and chat.ticket.startswith("Q-")
    ticket = client.get(f"/internal/tickets/{chat.ticket}", params={"sender": who}, headers=INTERNAL).json()
    assert ticket["status"] == "open"
    from api.db import SessionLocal
    from api.tickets import service as tickets

    with SessionLocal() as s:
        t = tickets.get(s, chat.ticket)
        # stored masked (the ticket's NFKC makes the mask's ＊ half-width); no digit of the number is left
        assert t.question in ("マイナンバーは＊＊＊です。転出届のことで", "マイナンバーは***です。転出届のことで")
        assert t.sender == who
        assert [line["who"] for line in t.transcript][-1] == "resident"
    last = poll(client, who)["messages"][-1]["text"]
    assert f"受付番号 {chat.ticket} でお預かりしました" in last


def test_the_only_staff_member_logging_out_turns_waiting_residents_into_tickets(client, clock, rasa):
    b, _, token = staff(client)
    who = client.post("/api/chat", json={"payload": start_payload()}).json()["sender"]
    assert sweep() == []
    assert b.post("/admin/logout", data={"csrf_token": token}).status_code == 303
    ended = sweep()
    assert [e.sender for e in ended] == [who] and chat_row(ended[0].chat_id).outcome == "ticket"
    # the api's background sweep resumes the bot; here the test does what it does
    import asyncio

    from api.handover import routes

    asyncio.run(routes.after_sweep(client.app.state.rasa, ended))
    assert rasa.kinds(who) == ["pause", "resume"]


def test_a_staff_member_who_leaves_an_active_chat_hands_it_back_to_the_queue(client, clock, rasa):
    a, _, token_a = staff(client)
    c, _, _ = staff(client)
    who = client.post("/api/chat", json={"payload": start_payload()}).json()["sender"]
    chat = chat_of(who)
    a.post(f"/admin/live/{chat.id}/take", data={"csrf_token": token_a})
    clock.advance(70)  # a's page is closed (no poll for longer than MADOGUCHI_HANDOVER_STAFF_AWAY_S); c polls
    c.get("/admin/live/poll")
    assert sweep() == []
    row = chat_row(chat.id)
    assert row.status == "waiting" and row.staff_id is None
    assert "担当の職員が退出しました" in poll(client, who)["messages"][-1]["text"]


def test_the_resident_ends_the_chat(client, clock, rasa):
    staff(client)
    who = client.post("/api/chat", json={"payload": start_payload()}).json()["sender"]
    r = client.post("/api/chat", json={"sender": who, "payload": "/choose_faq{\"faq_id\":\"x\"}"})
    assert "ただいま職員とのチャット中です" in r.json()["messages"][0]["text"]  # old buttons do not reach the bot
    r = client.post("/api/chat", json={"sender": who, "payload": "/live_end"})
    assert r.json()["live"] is False and chat_of(who).outcome == "left"
    assert rasa.kinds(who) == ["pause", "resume"]
    r = client.post("/api/chat", json={"sender": who, "payload": "/live_end"})
    assert "すでに終了しています" in r.json()["messages"][0]["text"]


def test_a_button_pressed_twice_queues_once(client, clock, rasa):
    staff(client)
    who = client.post("/api/chat", json={"payload": start_payload()}).json()["sender"]
    client.post("/api/chat", json={"sender": who, "payload": start_payload()})
    from api.db import SessionLocal
    from api.handover.models import LiveChat

    with SessionLocal() as s:
        assert len(s.scalars(select(LiveChat).where(LiveChat.sender == who)).all()) == 1


def test_bad_input(client, clock, rasa):
    assert client.get("/api/chat/live", params={"sender": "line:Uabc"}).status_code == 422
    assert client.get("/api/chat/live", params={"sender": sender(), "after": -1}).status_code == 422
    assert poll(client, sender())["status"] == "none"
    v, _, token_v = staff(client, role="viewer")
    e, _, token_e = staff(client)
    who = client.post("/api/chat", json={"payload": start_payload(department="<script>")}).json()["sender"]
    chat = chat_of(who)
    assert chat.department == "市民課"  # not a queue: the first one
    assert v.post(f"/admin/live/{chat.id}/take", data={"csrf_token": token_v}).status_code == 403
    assert e.post(f"/admin/live/{chat.id}/take", data={"csrf_token": "wrong"}).status_code == 403
    assert e.post("/admin/live/999999/take", data={"csrf_token": token_e}).status_code == 404
    # a broken payload still queues (department unknown → the first queue)
    r = client.post("/api/chat", json={"payload": "/live_chat{\"department\":1}"})
    assert r.json()["live"] is True


def test_line_resident_gets_staff_messages_by_push(client, clock, rasa):
    from api.db import SessionLocal
    from api.handover import routes
    from api.linequeue.models import LineJob
    from api.linequeue.service import unseal

    b, _, token = staff(client)
    user = f"U{uuid.uuid4().hex}"
    import asyncio

    messages, live = asyncio.run(routes.turn(client.app.state.rasa, f"line:{user}", "line", start_payload(), True))
    assert (messages, live) == ([], True)
    asyncio.run(routes.turn(client.app.state.rasa, f"line:{user}", "line", "子どもの医療費のことです", False))
    chat = chat_of(f"line:{user}")
    b.post(f"/admin/live/{chat.id}/take", data={"csrf_token": token})
    b.post(f"/admin/live/{chat.id}/reply", data={"csrf_token": token, "text": "受給者証をお持ちですか。"})
    with SessionLocal() as s:
        jobs = [unseal(j.payload) for j in s.scalars(select(LineJob).where(LineJob.lane == f"push:{user}")
                                                      .order_by(LineJob.id))]
    texts = [m["text"] for job in jobs for m in job["messages"]]
    assert "おつなぎしています" in texts[0] and "職員が対応します" in texts[1]
    assert texts[2] == "【ひかり野市 市民課】\n受給者証をお持ちですか。"
    assert jobs[2]["messages"][0]["buttons"][0]["payload"] == "/live_end"  # LINE's way to end the chat


def test_figures_retention_and_forget(client, clock, rasa):
    from api import retention
    from api.db import SessionLocal
    from api.handover import service

    b, _, token = staff(client)
    taken = client.post("/api/chat", json={"payload": start_payload()}).json()["sender"]
    left = client.post("/api/chat", json={"payload": start_payload(department="税務課")}).json()["sender"]
    clock.advance(90)
    b.post(f"/admin/live/{chat_of(taken).id}/take", data={"csrf_token": token})
    client.post("/api/chat", json={"sender": left, "payload": "/live_end"})
    with SessionLocal() as s:
        rows = service.figures(s, MONDAY_10.astimezone(dt.timezone.utc) - dt.timedelta(days=1))
    assert rows == [["市民課", 1, 1, 0, 0, 90, "0 / 0"], ["税務課", 1, 0, 0, 1, "—", "0 / 0"], ["合計", 2, 1, 0, 1, 90, "0 / 0"]]
    page = b.get("/admin/figures")
    assert "職員チャット（直近30日、担当課別）" in page.text  # the real clock: these rows are not in its window
    assert b.get("/admin/figures/live_chats.csv").status_code == 200

    # forget: one resident's chats and messages; purge: ended chats past their retention
    assert retention.forget(left, actor="test")["live_chats"] == 1
    assert chat_of(left) is None
    b.post(f"/admin/live/{chat_of(taken).id}/close", data={"csrf_token": token})
    ended_id = chat_of(taken).id
    assert retention.purge(now=dt.datetime.now(dt.timezone.utc))["live_chats"] == 0  # ended just now (test clock)
    from api.handover.models import LiveChat

    with SessionLocal() as s:  # as if it had ended 91 days ago (a purge at another time would touch other tests' data)
        s.get(LiveChat, ended_id).ended_at = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=91)
        s.commit()
    assert retention.purge()["live_chats"] == 1
    assert chat_row(ended_id) is None and messages_of(ended_id) == []


def test_a_chat_is_taken_or_ticketed_once(client, clock, rasa):
    """Two staff members taking at once, and a sweep racing a take (another api process's): one wins."""
    from api.config import get_settings
    from api.db import SessionLocal
    from api.handover import service

    a, login_a, token_a = staff(client)
    c, login_c, token_c = staff(client)
    from tests.api.test_admin_console import user_row

    who = client.post("/api/chat", json={"payload": start_payload()}).json()["sender"]
    chat_id = chat_of(who).id
    with SessionLocal() as s1, SessionLocal() as s2:
        first, second = s1.get(service.LiveChat, chat_id), s2.get(service.LiveChat, chat_id)  # both read "waiting"
        service.take(s1, get_settings(), first, user_row(login_a).id, "A")
        s1.commit()
        with pytest.raises(service.LiveError):
            service.take(s2, get_settings(), second, user_row(login_c).id, "C")
    assert chat_row(chat_id).staff_id == user_row(login_a).id

    who = client.post("/api/chat", json={"payload": start_payload()}).json()["sender"]
    chat_id = chat_of(who).id
    clock.advance(400)
    a.get("/admin/live/poll")
    c.get("/admin/live/poll")
    with SessionLocal() as s:  # a staff member takes it between the sweep's read and its claim
        stale = s.get(service.LiveChat, chat_id)
        s.commit()  # a new transaction next, but the session keeps the chat as it read it ("waiting")
        assert c.post(f"/admin/live/{chat_id}/take", data={"csrf_token": token_c}).status_code == 303
        assert stale.status == "waiting"
        assert service.sweep(s, get_settings()) == []  # its claim found the chat taken: no ticket
    assert chat_row(chat_id).status == "active" and chat_row(chat_id).ticket is None


def test_a_resident_of_another_language_reads_the_chat_in_it(client, clock, rasa):
    b, _login, token = staff(client, dept="市民課")
    r = client.post("/api/chat", json={"payload": start_payload(), "lang": "en"})
    who = r.json()["sender"]
    state = poll(client, who)
    queued = state["messages"][0]
    assert queued["lang"] == "en" and queued["text"].startswith("Connecting you to a staff member from ひかり野市 市民課"), queued
    chat = chat_of(who)
    assert chat.lang == "en"
    b.post(f"/admin/live/{chat.id}/take", data={"csrf_token": token, "dept": "市民課"})
    b.post(f"/admin/live/{chat.id}/reply", data={"csrf_token": token, "text": "はい、どうぞ。"})
    said = poll(client, who, queued["id"])["messages"]
    assert [m["lang"] for m in said] == ["en", "ja"]  # the system's words in English, the staff member's Japanese
    r = client.post("/api/chat", json={"sender": who, "payload": "/choose_faq{\"faq_id\":\"x\"}", "lang": "en"})
    m = r.json()["messages"][0]
    assert m["lang"] == "en" and "End chat with staff" in m["text"] and m["buttons"][0]["title"] == "End chat with staff"
    r = client.post("/api/chat", json={"sender": who, "payload": "/live_end", "lang": "en"})
    r = client.post("/api/chat", json={"sender": who, "payload": "/live_end", "lang": "en"})
    assert r.json()["messages"][0]["lang"] == "en" and "すでに" not in r.json()["messages"][0]["text"]
