import re

from tests.api.conftest import INTERNAL, STAFF

SENDER = "web:" + "a" * 32


def _create(client, question="土曜日に住民票を受け取れますか", sender=SENDER, channel="web", transcript=None):
    body = {"sender": sender, "channel": channel, "question": question,
            "transcript": transcript or [{"who": "resident", "text": question}]}
    r = client.post("/internal/tickets", json=body, headers=INTERNAL)
    assert r.status_code == 201, r.text
    return r.json()


def test_ticket_numbers_and_expectations(client):
    first = _create(client)
    second = _create(client)
    assert re.match(r"^Q-\d{4}-\d{6}$", first["number"])
    assert int(second["number"][-6:]) == int(first["number"][-6:]) + 1
    assert "開庁日以内" in first["expect"] and "119" in first["urgent"]


def test_personal_data_is_masked_before_storage(client):
    created = _create(client, question="電話090-1234-5678に連絡ください。生年月日は1990年4月1日",
                      transcript=[{"who": "resident", "text": "マイナンバーは123456789012"},
                                  {"who": "bot", "text": "ご質問をどうぞ"}])
    stored = client.get(f"/api/admin/tickets/{created['number']}", headers=STAFF).json()
    assert "090-1234-5678" not in stored["question"] and "1990年4月1日" not in stored["question"]
    assert "123456789012" not in stored["transcript"][0]["text"]
    assert stored["transcript"][1] == {"who": "bot", "text": "ご質問をどうぞ"}


def test_status_only_for_the_sender(client):
    created = _create(client)
    own = client.get(f"/internal/tickets/{created['number']}", params={"sender": SENDER}, headers=INTERNAL)
    assert own.status_code == 200 and own.json()["status"] == "open"
    other = client.get(f"/internal/tickets/{created['number']}", params={"sender": "web:" + "b" * 32},
                       headers=INTERNAL)
    assert other.status_code == 404
    unknown = client.get("/internal/tickets/Q-1999-999999", params={"sender": SENDER}, headers=INTERNAL)
    assert unknown.status_code == 404 and unknown.json() == other.json()


def test_web_answer_is_delivered_once_through_the_inbox(client):
    sender = "web:" + "c" * 32
    created = _create(client, sender=sender)
    assert client.get("/api/chat/inbox", params={"sender": sender}).json() == {"messages": []}
    r = client.post(f"/api/admin/tickets/{created['number']}/answer", json={"answer": "第2・第4土曜の午前に受け取れます。"},
                    headers=STAFF)
    assert r.status_code == 200 and r.json()["status"] == "answered"
    inbox = client.get("/api/chat/inbox", params={"sender": sender}).json()["messages"]
    assert len(inbox) == 1 and created["number"] in inbox[0]["text"] and "第2・第4土曜" in inbox[0]["text"]
    assert client.get("/api/chat/inbox", params={"sender": sender}).json() == {"messages": []}
    status = client.get(f"/internal/tickets/{created['number']}", params={"sender": sender}, headers=INTERNAL).json()
    assert status["status_label"] == "回答済み" and "第2・第4土曜" in status["answer"]


def test_staff_ticket_endpoints_are_protected_and_validated(client):
    created = _create(client)
    assert client.get("/api/admin/tickets").status_code == 401
    assert client.post(f"/api/admin/tickets/{created['number']}/answer", json={"answer": "x"}).status_code == 401
    assert client.post(f"/api/admin/tickets/{created['number']}/answer", json={"answer": "  "},
                       headers=STAFF).status_code == 422
    assert client.post("/api/admin/tickets/Q-2026-999999/answer", json={"answer": "x"}, headers=STAFF).status_code == 404
    assert client.post(f"/api/admin/tickets/{created['number']}/close", headers=STAFF).json()["status"] == "closed"
    assert client.post(f"/api/admin/tickets/{created['number']}/answer", json={"answer": "x"},
                       headers=STAFF).status_code == 409
    listed = client.get("/api/admin/tickets", params={"status": "closed"}, headers=STAFF).json()
    assert any(t["number"] == created["number"] for t in listed)


def test_bad_ticket_input(client):
    bad = [{"sender": SENDER, "channel": "fax", "question": "x"},
           {"sender": SENDER, "channel": "web", "question": "   "},
           {"sender": SENDER, "channel": "web", "question": "x" * 2001}]
    for body in bad:
        assert client.post("/internal/tickets", json=body, headers=INTERNAL).status_code == 422
    assert client.get("/api/chat/inbox", params={"sender": "line:U1"}).status_code == 422


def test_feedback_is_stored(client):
    ok = client.post("/internal/faq/feedback", json={"sender": SENDER, "faq_id": "koseki-001", "helpful": False},
                     headers=INTERNAL)
    assert ok.status_code == 201
    unknown = client.post("/internal/faq/feedback", json={"sender": SENDER, "faq_id": "nope", "helpful": True},
                          headers=INTERNAL)
    assert unknown.status_code == 404


def test_a_request_sent_again_with_its_key_gets_the_ticket_the_first_made(client):
    """The action server sends a ticket request again when its api instance died before answering: the
    same key gets the same ticket, whichever instance takes it; another key (or none) a new one."""
    body = {"sender": SENDER, "channel": "web", "question": "粗大ごみの予約を変えたい",
            "transcript": [], "key": "0123456789abcdef0123456789abcdef"}
    first = client.post("/internal/tickets", json=body, headers=INTERNAL)
    again = client.post("/internal/tickets", json=body, headers=INTERNAL)
    assert first.status_code == again.status_code == 201
    assert first.json()["number"] == again.json()["number"]
    other = client.post("/internal/tickets", json={**body, "key": "f" * 32}, headers=INTERNAL).json()
    assert other["number"] != first.json()["number"]
    # (another sender's request with the same key takes nothing of the first's)
    stranger = client.post("/internal/tickets", json={**body, "sender": "web:" + "b" * 32}, headers=INTERNAL)
    assert stranger.status_code == 409
    # (a key is hex: not anything a caller sends)
    assert client.post("/internal/tickets", json={**body, "key": "x'; DROP"}, headers=INTERNAL).status_code == 422
