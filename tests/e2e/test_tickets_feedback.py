"""Feedback on answers and the staff hand-off (tickets), through /api/chat with the real services."""
import re
import time

from tests.e2e.conftest import STAFF_TOKEN
from tests.e2e.test_conversations import buttons, texts

STAFF = {"Authorization": f"Bearer {STAFF_TOKEN}"}


def test_answer_carries_feedback_and_thumbs_down_offers_more(services):
    reply = services.chat("住民票の写しはどこで取れますか")
    assert "この回答は役に立ちましたか" in texts(reply)
    fb = {b["title"]: b["payload"] for b in buttons(reply) if b["payload"].startswith("/feedback")}
    assert set(fb) == {"👍 役に立った", "👎 役に立たなかった"}
    down = services.chat(payload=fb["👎 役に立たなかった"], sender=reply["sender"])
    payloads = [b["payload"] for b in buttons(down)]
    assert all("koseki-001" not in p for p in payloads if p.startswith("/choose_faq"))
    if any(p.startswith("/choose_faq") for p in payloads):
        # other answers first; 「まだ解決しない」 then leads to staff (the ticket, the phone)
        assert payloads[-1] == "/request_staff"
        down = services.chat(payload="/request_staff", sender=reply["sender"])
        assert "/leave_question" in [b["payload"] for b in buttons(down)]
        assert "012-345-6111" in texts(down)  # the answer's department: 市民課 証明係
    else:
        assert "/leave_question" in payloads
    up = services.chat(payload=fb["👍 役に立った"], sender=reply["sender"])
    assert "ありがとうございます" in texts(up)


def test_ticket_round_trip_on_the_web(services):
    r1 = services.chat("職員と話したい")
    sender = r1["sender"]
    assert "/leave_question" in [b["payload"] for b in buttons(r1)]
    r2 = services.chat(payload="/leave_question", sender=sender)
    assert "ご質問を入力してください" in texts(r2)
    r3 = services.chat("土曜日に戸籍謄本を受け取れますか。電話は090-1234-5678です", sender=sender)
    number = re.search(r"Q-\d{4}-\d{6}", texts(r3)).group(0)
    assert "開庁日以内" in texts(r3)

    stored = services.http.get(f"/api/admin/tickets/{number}", headers=STAFF).json()
    assert "090-1234-5678" not in stored["question"] and stored["channel"] == "web"

    status = services.chat(f"{number}の状況は？", sender=sender)
    assert "職員が確認しています" in texts(status)

    r = services.http.post(f"/api/admin/tickets/{number}/answer", headers=STAFF,
                           json={"answer": "第2・第4土曜の午前、市民課で受け取れます。"})
    assert r.status_code == 200
    inbox = services.http.get("/api/chat/inbox", params={"sender": sender}).json()["messages"]
    assert len(inbox) == 1 and number in inbox[0]["text"] and "第2・第4土曜" in inbox[0]["text"]

    other = services.chat(f"{number}の状況は？")  # another resident cannot read it
    assert "見つかりませんでした" in texts(other)


def test_cancel_leaving_a_question(services):
    r1 = services.chat(payload="/leave_question")
    r2 = services.chat("やめる", sender=r1["sender"])
    assert "やめました" in texts(r2)


def test_ticket_round_trip_on_line(services, line_platform):
    from linebot.v3.messaging import PushMessageRequest

    from tests.e2e.test_line import event, new_user, reply_to, send, text_event, texts as line_texts

    user = new_user()
    ev = event("postback", user, postback={"data": "/leave_question"})
    assert send(services, ev).status_code == 200
    assert "ご質問を入力してください" in line_texts(reply_to(line_platform, ev))
    ev = text_event("犬の登録は土曜日もできますか", user)
    send(services, ev)
    number = re.search(r"Q-\d{4}-\d{6}", line_texts(reply_to(line_platform, ev))).group(0)
    assert services.http.get(f"/api/admin/tickets/{number}", headers=STAFF).json()["channel"] == "line"

    r = services.http.post(f"/api/admin/tickets/{number}/answer", headers=STAFF,
                           json={"answer": "土曜日は受け付けていません。平日に環境保全課へお越しください。"})
    assert r.status_code == 200 and r.json()["status"] == "answered"  # stored with its push job (the LINE queue)
    [call] = line_platform.wait_for(lambda c: c["path"] == "/v2/bot/message/push" and user in c["raw"].decode())
    push = PushMessageRequest.from_json(call["raw"].decode())
    assert push.to == user and number in push.messages[0].text and "環境保全課" in push.messages[0].text
    assert call["headers"]["x-line-retry-key"]
    deadline = time.monotonic() + 10  # the job's end sets delivered_at, just after LINE's answer
    while not services.http.get(f"/api/admin/tickets/{number}", headers=STAFF).json()["delivered_at"]:
        assert time.monotonic() < deadline
        time.sleep(0.1)
