"""Rasa's SQL tracker store, storing events as trackerstore.masking allows (endpoints.yml:
`type: trackerstore.sql.MaskingTrackerStore`).

Rasa keeps a conversation in memory while it handles one message and reads it back from
here for the next, so masking on save never changes what the current turn sees: the
actions get the resident's own words. What a form still needs across turns (a birth date
typed before the application number) is stored sealed and unsealed on reading; once the
look-up has run (the slot is None again), the sealed values of that sender become ＊＊＊.
"""
from __future__ import annotations

import json
import logging
from typing import Optional, Text

from cryptography.fernet import Fernet, InvalidToken
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SlotSet
from sqlalchemy import create_engine, event
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool
from sqlalchemy.engine import make_url
from rasa.shared.core.trackers import DialogueStateTracker

from trackerstore.masking import PII_SLOTS, SEALED, forget_sealed, protect, tracker_key

logger = logging.getLogger(__name__)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


class MaskingTrackerStore(SQLTrackerStore):
    def __init__(self, *args, db_url: Optional[Text] = None, **kwargs) -> None:
        if db_url:  # one SQLAlchemy URL (MADOGUCHI_TRACKER_URL) in place of Rasa's separate fields
            url = make_url(db_url)
            kwargs.update(dialect=url.drivername, host=url.host, port=url.port, db=url.database,
                          username=url.username, password=url.password)
        super().__init__(*args, **kwargs)
        self._fernet = Fernet(tracker_key())
        if self.engine.dialect.name == "sqlite":
            # WAL, and fsync at checkpoints rather than at every turn's commit: a commit was 12 %
            # of the Rasa server's time under load (py-spy). A crash of the process loses
            # nothing; a power cut may lose the last turns of conversations (the api's records
            # of them stay). Connections kept in a pool: SQLAlchemy 1.4 opens and closes one per
            # session for an SQLite file, and the last one closing checkpoints the WAL.
            url = self.engine.url
            self.engine.dispose()
            self.engine = create_engine(url, poolclass=QueuePool, pool_size=2,
                                        connect_args={"check_same_thread": False})
            event.listen(self.engine, "connect", _sqlite_pragmas)
            self.sessionmaker = sessionmaker(bind=self.engine)

    # -- sealing ----------------------------------------------------------------------
    def _seal(self, value: str) -> str:
        return SEALED + self._fernet.encrypt(value.encode()).decode()

    def _unseal(self, event: dict) -> dict:
        value = event.get("value")
        if event.get("event") == "slot" and isinstance(value, str) and value.startswith(SEALED):
            try:
                return {**event, "value": self._fernet.decrypt(value[len(SEALED):].encode()).decode()}
            except (InvalidToken, ValueError):  # another key: as if never given
                return {**event, "value": None}
        return event

    # -- Rasa's interface -------------------------------------------------------------
    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id,
                                     fetch_events_from_all_sessions=fetch_events_from_all_sessions).all()
            events = [self._unseal(json.loads(row.data)) for row in rows]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        needed = {name for name in PII_SLOTS if tracker.get_slot(name) is not None}
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = protect(event.as_dict(), keep=lambda name: name in needed, seal=self._seal)
                intent = (data.get("parse_data") or {}).get("intent", {}).get("name")
                session.add(self.SQLEvent(sender_id=tracker.sender_id, type_name=event.type_name,
                                          timestamp=data.get("timestamp"), intent_name=intent,
                                          action_name=data.get("name"), data=json.dumps(data)))
            gone = PII_SLOTS - needed
            # only a conversation that had such a slot can have sealed values to forget: no
            # query on every other turn
            if gone and any(isinstance(e, SlotSet) and e.key in gone for e in tracker.events):
                self._forget(session, tracker.sender_id, gone)
            session.commit()

    def _forget(self, session, sender_id: Text, slots) -> None:
        """Sealed values of slots the conversation no longer holds become ＊＊＊."""
        rows = session.query(self.SQLEvent).filter(
            self.SQLEvent.sender_id == sender_id, self.SQLEvent.type_name == "slot",
            self.SQLEvent.data.like(f'%"{SEALED}%')).all()
        for row in rows:
            event = json.loads(row.data)
            if event.get("name") in slots:
                row.data = json.dumps(forget_sealed(event))
