"""The tracker store: nothing a resident typed is stored in clear, a running form keeps what it
needs (sealed), and loses it once the look-up has run."""
import asyncio
import json
import sqlite3

import pytest

pytest.importorskip("rasa")

from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered  # noqa: E402
from rasa.shared.core.trackers import DialogueStateTracker  # noqa: E402

from trackerstore.sql import MaskingTrackerStore  # noqa: E402

DOMAIN = Domain.load("domain.yml")
SECRETS = ["090-1234-5678", "1234", "5678", "1990-04-01", "1990", "平成二年四月一日", "taro@example.jp",
           "3丁目12番5号"]


def stored(db) -> str:
    """Every row as stored, with JSON's \\u escapes decoded (Rasa writes ASCII JSON) — without the
    numbers Rasa makes itself (a timestamp or a message id may hold 9012 or 1234 by chance)."""
    with sqlite3.connect(db) as conn:
        rows = [json.loads(r[0]) for r in conn.execute("SELECT data FROM events")]
    for row in rows:
        row.pop("timestamp", None)
        row.pop("message_id", None)
    return "\n".join(json.dumps(row, ensure_ascii=False) for row in rows)


@pytest.fixture()
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("MADOGUCHI_VAR", str(tmp_path))
    monkeypatch.delenv("MADOGUCHI_TRACKER_KEY", raising=False)
    db = tmp_path / "tracker.db"
    return MaskingTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db)), db


def test_texts_masked_birth_date_sealed_while_needed_then_forgotten(store, tmp_path):
    ts, db = store
    sender = "web:0123456789abcdef0123456789abcdef"
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("生年月日は平成二年四月一日、電話090-1234-5678、taro@example.jp、3丁目12番5号です",
                               {"name": "inform", "confidence": 0.9}))
    tracker.update(SlotSet("birth_date", "1990-04-01"))
    tracker.update(BotUttered("申請番号を入力してください（例：A-2026-000101）"))
    asyncio.run(ts.save(tracker))

    text = stored(db)
    for secret in SECRETS:
        assert secret not in text, secret
    assert "enc:" in text and "A-2026-000101" in text
    assert (tmp_path / "secrets" / "tracker_key").stat().st_mode & 0o777 == 0o600

    again = asyncio.run(ts.retrieve(sender))
    assert again.get_slot("birth_date") == "1990-04-01"  # the form can go on

    again.update(UserUttered("A-2026-000101", {"name": "inform", "confidence": 0.9}))
    again.update(SlotSet("application_number", "A-2026-000101"))
    again.update(ActionExecuted("action_check_application_status"))
    again.update(SlotSet("application_number", None))
    again.update(SlotSet("birth_date", None))
    asyncio.run(ts.save(again))

    text = stored(db)
    assert "enc:" not in text and "＊＊＊" in text
    for secret in SECRETS:
        assert secret not in text, secret
    assert asyncio.run(ts.retrieve(sender)).get_slot("birth_date") is None


def test_a_ticket_question_is_stored_masked(store):
    ts, db = store
    tracker = DialogueStateTracker("line:U0123", DOMAIN.slots)
    tracker.update(UserUttered("マイナンバー1234ー5678ー9012の件で", {"name": "ask_question", "confidence": 0.9}))
    tracker.update(SlotSet("ticket_question", "マイナンバー1234ー5678ー9012の件で"))
    tracker.update(SlotSet("ticket_question", None))
    asyncio.run(ts.save(tracker))
    text = stored(db)
    assert "9012" not in text and "enc:" not in text and "マイナンバー＊＊＊の件で" in text
