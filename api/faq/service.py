"""The FAQ store (SQLite via SQLAlchemy) kept in step with the search engine.

Every write goes to the database first and then to the engine, so a staff edit is
searchable as soon as the request returns; the engine never needs a full rebuild
for one change.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.faq.analysis import Analyzer, Synonyms
from api.faq.corpus import entry_hash, load_corpus
from api.faq.models import Faq
from api.faq.schemas import FaqCreate, FaqOut, FaqUpdate, SearchHit, SearchOut
from api.faq.dense import E5Embedder, EmbeddingCache
from api.faq.search import Doc, HybridEngine, SearchEngine

log = logging.getLogger(__name__)


def build_engine(synonyms_dir: Path, embedding_cache: Path | None) -> HybridEngine:
    """The search engine as the api runs it (bench/retrieval builds it with this too)."""
    analyzer = Analyzer(Synonyms.load(synonyms_dir))
    return HybridEngine(analyzer, E5Embedder(), EmbeddingCache(embedding_cache))


class FaqNotFound(LookupError):
    pass


class FaqExists(ValueError):
    pass


def _doc(row: Faq | FaqOut) -> Doc:
    return Doc(row.id, row.question, tuple(row.alternatives or ()), row.answer)


class FaqService:
    def __init__(self, sessions: sessionmaker, engine: SearchEngine):
        self.sessions = sessions
        self.engine = engine
        self._entries: dict[str, FaqOut] = {}
        self._write_lock = threading.Lock()

    @classmethod
    def create(cls, sessions: sessionmaker, corpus_dir: Path, embedding_cache: Path | None) -> "FaqService":
        return cls(sessions, build_engine(corpus_dir / "synonyms", embedding_cache))

    # -- start-up -------------------------------------------------------------------
    def import_corpus(self, corpus_dir: Path) -> dict[str, int]:
        """Idempotent: new ids are added, unchanged ones skipped, staff edits and deletions kept."""
        counts = {"added": 0, "updated": 0, "unchanged": 0, "kept_staff": 0}
        entries = load_corpus(corpus_dir)
        with self.sessions() as session, session.begin():
            existing = {row.id: row for row in session.scalars(select(Faq))}
            for entry in entries:
                digest = entry_hash(entry)
                row = existing.get(entry.id)
                if row is None:
                    session.add(Faq(**_row_fields(entry), origin="corpus", corpus_hash=digest))
                    counts["added"] += 1
                elif row.origin != "corpus" or row.deleted:
                    counts["kept_staff"] += 1
                elif row.corpus_hash == digest:
                    counts["unchanged"] += 1
                else:
                    for key, value in _row_fields(entry).items():
                        setattr(row, key, value)
                    row.corpus_hash = digest
                    counts["updated"] += 1
        self.reload()
        return counts

    def reload(self) -> None:
        with self.sessions() as session:
            rows = session.scalars(select(Faq).where(Faq.deleted.is_(False))).all()
            entries = {row.id: FaqOut.model_validate(row) for row in rows}
        self.engine.index([_doc(e) for e in entries.values()])
        self._entries = entries

    # -- reads ----------------------------------------------------------------------
    def list(self, category: str | None = None) -> list[FaqOut]:
        items = sorted(self._entries.values(), key=lambda e: e.id)
        return [e for e in items if category is None or e.category == category]

    def get(self, faq_id: str) -> FaqOut:
        try:
            return self._entries[faq_id]
        except KeyError:
            raise FaqNotFound(faq_id) from None

    def search(self, query: str, k: int = 5) -> SearchOut:
        result = self.engine.search(query, k)
        hits = []
        for hit in result.hits:
            entry = self._entries.get(hit.id)
            if entry is None:  # removed between search and lookup
                continue
            hits.append(
                SearchHit(
                    id=entry.id, score=hit.score, question=entry.question,
                    category=entry.category, answer=entry.answer, department=entry.department,
                    phone=entry.phone, url=entry.url,
                )
            )
        return SearchOut(query=query, confidence=result.confidence, in_scope=result.in_scope, zone=result.zone,
                         hits=hits)

    # -- staff writes -----------------------------------------------------------------
    def create_entry(self, data: FaqCreate) -> FaqOut:
        with self._write_lock, self.sessions() as session, session.begin():
            row = session.get(Faq, data.id)
            if row is not None and not row.deleted:
                raise FaqExists(data.id)
            if row is None:
                row = Faq(id=data.id)
                session.add(row)
            self._apply(row, data)
            row.deleted = False
            session.flush()
            out = FaqOut.model_validate(row)
        self._publish(out)
        return out

    def update_entry(self, faq_id: str, data: FaqUpdate) -> FaqOut:
        with self._write_lock, self.sessions() as session, session.begin():
            row = session.get(Faq, faq_id)
            if row is None or row.deleted:
                raise FaqNotFound(faq_id)
            self._apply(row, data)
            session.flush()
            out = FaqOut.model_validate(row)
        self._publish(out)
        return out

    def delete_entry(self, faq_id: str) -> None:
        with self._write_lock, self.sessions() as session, session.begin():
            row = session.get(Faq, faq_id)
            if row is None or row.deleted:
                raise FaqNotFound(faq_id)
            # A tombstone, so the next corpus import does not bring the entry back.
            row.deleted = True
            row.origin = "staff"
        self._entries.pop(faq_id, None)
        self.engine.remove(faq_id)

    @staticmethod
    def _apply(row: Faq, data: FaqUpdate | FaqCreate) -> None:
        for key, value in _row_fields(data).items():
            setattr(row, key, value)
        row.origin = "staff"

    def _publish(self, out: FaqOut) -> None:
        self.engine.upsert(_doc(out))
        self._entries[out.id] = out


def _row_fields(data: FaqCreate | FaqUpdate) -> dict:
    fields = data.model_dump(mode="json", exclude={"id"})
    fields["verified"] = data.verified
    if isinstance(data, FaqCreate):
        fields["id"] = data.id
    return fields
