"""A staff member's own offer of a live chat (issue 14), on a ticket: the console's form, the web
resident's widget inbox and LINE push, accept / decline / expiry / cancel, what happens when the
offering staff member has gone, the ticket that stays open, the account's department, and LINE's
typing animation. Through the real app, with the stand-ins of tests/api/test_handover.py."""
from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import select

from tests.api.test_admin_console import audit_rows, csrf, logged_in, make_ticket, ticket_row
from tests.api.test_handover import (MONDAY_10, SATURDAY_10, _plain_http_cookies, chat_of, chat_row, clock,  # noqa: F401
                                     messages_of, poll, rasa, staff, sweep)


def inbox(client, who: str, lang: str = "ja") -> list[dict]:
    r = client.get("/api/chat/inbox", params={"sender": who, "lang": lang})
    assert r.status_code == 200, r.text
    return r.json()["messages"]


def offer(b, token: str, number: str, dept: str = "市民課"):
    return b.post(f"/admin/tickets/{number}/live-offer", data={"csrf_token": token, "dept": dept})


def web_ticket(client) -> tuple[str, str]:
    number = make_ticket(client, question="児童手当の振込日を知りたいです。電話は090-1234-5678です")
    return number, ticket_row(number).sender


def test_a_web_resident_takes_up_a_staff_members_offer(client, clock, rasa):
    b, login, token = staff(client, dept="市民課")
    number, who = web_ticket(client)
    page = b.get(f"/admin/tickets/{number}")
    assert "チャットを申し出る" in page.text and 'action="/admin/tickets/' + number + '/live-offer"' in page.text
    r = offer(b, token, number)
    assert r.status_code == 303 and "done=offered" in r.headers["location"]
    chat = chat_of(who)
    assert (chat.status, chat.origin, chat.ticket, chat.department) == ("offered", "staff", number, "市民課")
    assert audit_rows("live.offer", f"live:{chat.id}")
    # the ticket's question, masked, is the chat's record for the staff member
    assert chat.transcript[-1] == {"who": "resident", "text": "児童手当の振込日を知りたいです。電話は＊＊＊です"}
    live = b.get("/admin/live")
    assert "チャットを申し出て応答待ち" in live.text and f"問い合わせ {number}" in live.text
    assert [o["id"] for o in b.get("/admin/live/poll").json()["offered"]] == [chat.id]
    assert "チャットを申し出ています" in b.get(f"/admin/tickets/{number}").text

    # the widget's next inbox poll: once, in the widget's language, with its two buttons
    [said] = inbox(client, who, lang="en")
    assert said["lang"] == "en" and number in said["text"] and "Hikarino" not in said["text"]
    assert said["text"].startswith("A staff member of ひかり野市 市民課 can talk with you")
    assert [b_["payload"] for b_ in said["buttons"]] == ["/live_accept", "/live_decline"]
    assert inbox(client, who, lang="en") == []

    r = client.post("/api/chat", json={"sender": who, "payload": "/live_accept", "lang": "en"})
    assert r.status_code == 200 and r.json()["live"] is True and r.json()["messages"] == []
    assert rasa.kinds(who) == ["pause"]
    taken = chat_row(chat.id)
    assert (taken.status, taken.staff_id is not None, taken.lang) == ("active", True, "en")
    state = poll(client, who)
    assert state["status"] == "active" and state["messages"][0]["text"].startswith("A staff member from ひかり野市 市民課 will help you")
    assert login not in state["messages"][0]["text"]
    assert [m["id"] for m in b.get("/admin/live/poll").json()["mine"]] == [chat.id]
    r = b.post(f"/admin/live/{chat.id}/reply", data={"csrf_token": token, "text": "振込日は毎年2月・6月・10月です。"})
    assert r.status_code == 303 and poll(client, who)["messages"][-1]["who"] == "staff"
    assert "職員とチャット中です" in b.get(f"/admin/tickets/{number}").text
    assert ticket_row(number).status == "open"  # answered in the chat; staff close the ticket themselves
    # a second press of the button, or of one pushed long ago: the chat goes on, nothing doubles
    again = client.post("/api/chat", json={"sender": who, "payload": "/live_accept", "lang": "en"}).json()
    assert again["live"] is True and chat_row(chat.id).status == "active"


def test_declined_expired_and_cancelled_offers_leave_the_ticket_open(client, clock, rasa):
    b, _, token = staff(client, dept="市民課")
    number, who = web_ticket(client)
    assert offer(b, token, number).status_code == 303
    inbox(client, who)
    r = client.post("/api/chat", json={"sender": who, "payload": "/live_decline"}).json()
    assert r["live"] is False and number in r["messages"][0]["text"] and "後日職員から" in r["messages"][0]["text"]
    assert rasa.kinds(who) == []  # the bot was never paused
    first = chat_row(chat_of(who).id)
    assert (first.status, first.outcome) == ("ended", "declined") and not first.sender.startswith("web:")
    assert "住民の方が「あとで回答をもらう」を選びました" in b.get(f"/admin/tickets/{number}").text

    assert offer(b, token, number).status_code == 303  # offered again later: a new offer
    second = chat_of(who)
    clock.advance(601)
    b.get("/admin/live")  # still at the console
    sweep()
    assert (chat_row(second.id).status, chat_row(second.id).outcome) == ("ended", "expired")
    assert inbox(client, who) == []  # an expired offer is not shown any more
    late = client.post("/api/chat", json={"sender": who, "payload": "/live_accept"}).json()
    assert late["live"] is False and "すでに終了" in late["messages"][0]["text"]

    assert offer(b, token, number).status_code == 303
    third = chat_of(who)
    assert b.post(f"/admin/live/{third.id}/cancel", data={"csrf_token": token}).status_code == 303
    assert chat_row(third.id).outcome == "cancelled" and audit_rows("live.cancel", f"live:{third.id}")
    assert b.post(f"/admin/live/{third.id}/cancel", data={"csrf_token": token}).status_code == 409
    assert ticket_row(number).status == "open"

    from api.config import get_settings
    from api.db import SessionLocal
    from api.handover import service

    with SessionLocal() as s:
        rows = service.figures(s, MONDAY_10.astimezone(dt.timezone.utc) - dt.timedelta(days=1))
    assert rows[-1] == ["合計", 0, 0, 0, 0, "—", "3 / 0"]  # offers nobody took up are not chats
    assert get_settings().handover_offer_s == 600


def test_offers_that_cannot_be_made(client, clock, rasa):
    b, _, token = staff(client, dept="市民課")
    number, who = web_ticket(client)
    viewer, _ = logged_in(client, "viewer")
    page = viewer.get(f"/admin/tickets/{number}")
    assert "チャットを申し出る" not in page.text
    assert viewer.post(f"/admin/tickets/{number}/live-offer", data={"csrf_token": csrf(page.text), "dept": "市民課"}).status_code == 403
    assert offer(b, token, number, dept="どこか").status_code == 409
    assert offer(b, token, "Q-2026-999999").status_code == 404
    clock.at = SATURDAY_10.astimezone(dt.timezone.utc)
    r = offer(b, token, number)
    assert r.status_code == 409 and "受付時間外" in r.text
    clock.at = MONDAY_10.astimezone(dt.timezone.utc)
    assert offer(b, token, number).status_code == 303
    assert offer(b, token, number).status_code == 409  # one offer at a time
    assert b.post(f"/admin/tickets/{number}/live-offer", data={"csrf_token": "forged", "dept": "市民課"}).status_code == 403
    b.post(f"/admin/tickets/{number}/close", data={"csrf_token": token})
    closed_page = b.get(f"/admin/tickets/{number}")
    assert "チャットを申し出る" not in closed_page.text
    # a resident who asks for a person while an offer waits: that request wins, one chat only
    number2, who2 = web_ticket(client)
    assert offer(b, token, number2).status_code == 303
    from tests.api.test_handover import start_payload

    client.post("/api/chat", json={"sender": who2, "payload": start_payload()})
    assert chat_of(who2).status == "waiting" and chat_of(who2).origin == "resident"


def test_accepted_after_the_offering_staff_member_left(client, clock, rasa):
    a, _, token_a = staff(client, dept="市民課")
    number, who = web_ticket(client)
    assert offer(a, token_a, number).status_code == 303
    chat = chat_of(who)
    colleague, _, _ = staff(client, dept="市民課")
    assert a.post("/admin/logout", data={"csrf_token": token_a}).status_code == 303
    r = client.post("/api/chat", json={"sender": who, "payload": "/live_accept"}).json()
    assert r["live"] is True
    moved = chat_row(chat.id)
    assert (moved.status, moved.staff_id) == ("waiting", None)  # the department's queue: the colleague takes it
    assert "おつなぎしています" in poll(client, who)["messages"][0]["text"]

    # nobody left at all: the offer is over, the ticket is answered later
    number2, who2 = web_ticket(client)
    b, _, token_b = staff(client, dept="税務課")
    assert offer(b, token_b, number2, dept="税務課").status_code == 303
    assert b.post("/admin/logout", data={"csrf_token": token_b}).status_code == 303
    r = client.post("/api/chat", json={"sender": who2, "payload": "/live_accept"}).json()
    assert r["live"] is False and number2 in r["messages"][0]["text"] and "終了しました" in r["messages"][0]["text"]
    assert chat_of(who2).outcome == "expired" and rasa.kinds(who2) == []


def test_an_accepted_offer_not_taken_in_time_keeps_its_ticket(client, clock, rasa):
    """Accepted, then waiting in the queue past the longest wait: no second ticket — the first stays."""
    a, _, token_a = staff(client, dept="市民課")
    number, who = web_ticket(client)
    offer(a, token_a, number)
    staff(client, dept="市民課")  # a colleague, who does not take it
    a.post("/admin/logout", data={"csrf_token": token_a})
    client.post("/api/chat", json={"sender": who, "payload": "/live_accept"})
    from api.db import SessionLocal
    from api.tickets.models import Ticket

    with SessionLocal() as s:
        before = s.scalar(select(Ticket.id).order_by(Ticket.id.desc()))
    clock.advance(301)
    ended = sweep()
    assert [e.sender for e in ended] == [who]
    done = chat_row(chat_of(who).id)
    assert (done.outcome, done.ticket) == ("expired", number)
    assert number in messages_of(done.id)[-1].text
    with SessionLocal() as s:
        assert s.scalar(select(Ticket.id).order_by(Ticket.id.desc())) == before


def test_a_line_resident_gets_the_offer_pushed_in_their_language(client, clock, rasa):
    from api.channels import line_lang
    from api.db import SessionLocal
    from api.handover import routes
    from api.linequeue.models import LineJob
    from api.linequeue.service import unseal

    b, _, token = staff(client, dept="市民課")
    user = "U" + "5" * 32
    number = make_ticket(client, channel="line", sender=f"line:{user}", question="保育園の申し込みについて")
    line_lang._store(user, "vi")
    assert offer(b, token, number).status_code == 303
    with SessionLocal() as s:
        [job] = [unseal(j.payload) for j in s.scalars(select(LineJob).where(LineJob.lane == f"push:{user}"))]
    [pushed] = job["messages"]
    assert pushed["lang"] == "vi" and number in pushed["text"] and pushed["text"].startswith("Nhân viên của ひかり野市 市民課")
    assert [x["payload"] for x in pushed["buttons"]] == ["/live_accept", "/live_decline"]
    messages, live = asyncio.run(routes.turn(client.app.state.rasa, f"line:{user}", "line", "/live_accept", True, "vi"))
    assert (messages, live) == ([], True)
    chat = chat_of(f"line:{user}")
    assert chat.status == "active" and chat.lang == "vi"
    with SessionLocal() as s:
        texts = [m["text"] for j in s.scalars(select(LineJob).where(LineJob.lane == f"push:{user}").order_by(LineJob.id))
                 for m in unseal(j.payload)["messages"]]
    assert texts[-1].startswith("Nhân viên của ひかり野市 市民課")  # 「…の職員が対応します」 in Vietnamese


def test_line_typing_shows_lines_loading_animation(client, clock, rasa, platform, monkeypatch):
    from api.channels import line
    from api.config import get_settings
    from api.handover import routes
    from tests.api.test_handover import start_payload

    settings = get_settings().model_copy(update=dict(line_api_base=platform.base, line_access_token="t"))
    monkeypatch.setattr(line, "get_settings", lambda: settings)
    b, _, token = staff(client)
    user = "U" + "6" * 32
    asyncio.run(routes.turn(client.app.state.rasa, f"line:{user}", "line", start_payload(), True))
    chat = chat_of(f"line:{user}")
    b.post(f"/admin/live/{chat.id}/take", data={"csrf_token": token})
    assert b.post(f"/admin/live/{chat.id}/typing", data={"csrf_token": token}).status_code == 204
    assert b.post(f"/admin/live/{chat.id}/typing", data={"csrf_token": token}).status_code == 204  # same burst
    calls = platform.wait_for(lambda c: c["path"] == "/v2/bot/chat/loading/start", 1, 5)
    assert [c["body"] for c in calls] == [{"chatId": user, "loadingSeconds": 20}]
    clock.advance(10)  # a new burst after a pause: shown again
    assert b.post(f"/admin/live/{chat.id}/typing", data={"csrf_token": token}).status_code == 204
    assert len(platform.wait_for(lambda c: c["path"] == "/v2/bot/chat/loading/start", 2, 5)) == 2


def test_the_accounts_department_opens_the_live_page_on_its_queue(client, clock):
    admin, _ = logged_in(client, "admin")
    editor, login = logged_in(client, "editor")
    from api.admin.models import StaffUser
    from api.db import SessionLocal

    with SessionLocal() as s:
        uid = s.scalar(select(StaffUser.id).where(StaffUser.login == login))
    page = admin.get(f"/admin/users/{uid}")
    assert "（すべての担当課）" in page.text
    token = csrf(page.text)
    assert admin.post(f"/admin/users/{uid}/department", data={"csrf_token": token, "department": "どこか"}).status_code == 422
    r = admin.post(f"/admin/users/{uid}/department", data={"csrf_token": token, "department": "税務課"})
    assert r.status_code == 303 and audit_rows("user.department", login)
    live = editor.get("/admin/live")
    assert '<option value="税務課" selected>' in live.text
    assert 'data-dept="税務課"' in live.text
    assert '<option value="" selected' not in editor.get("/admin/live", params={"dept": ""}).text
    assert 'data-dept=""' in editor.get("/admin/live", params={"dept": ""}).text  # every department, chosen on the page
    from api.handover.models import StaffPresence

    with SessionLocal() as s:
        assert s.get(StaffPresence, uid).department == ""
    editor.get("/admin/live")
    with SessionLocal() as s:
        assert s.get(StaffPresence, uid).department == "税務課"
    assert editor.post(f"/admin/users/{uid}/department", data={"csrf_token": csrf(live.text), "department": ""}).status_code == 403
