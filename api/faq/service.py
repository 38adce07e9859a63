"""The FAQ store (SQLite via SQLAlchemy) kept in step with the search engine.

Every write goes to the database first and then to the engine, so a staff edit is
searchable as soon as the request returns; the engine never needs a full rebuild
for one change.
"""
from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from api.faq.analysis import Analyzer, Synonyms
from api.config import read_settings
from api.faq.calibration import Calibration
from api.faq.checkset import CheckQuery, check_set
from api.faq.corpus import entry_hash, load_corpus
from api.faq.langs import FOREIGN, answer_in, question_in
from api.faq.models import Faq, FaqRevision
from api.faq.schemas import FaqCreate, FaqLangOut, FaqOut, FaqUpdate, SearchHit, SearchOut
from api.faq.dense import E5Embedder, EmbeddingCache
from api.faq.search import Doc, HybridEngine, SearchEngine

log = logging.getLogger(__name__)


# everyday words and spellings any city's residents use (はんこ → 印鑑); a city adds its own
# in its corpus folder's synonyms/
GENERAL_SYNONYMS = Path(__file__).with_name("synonyms")


def build_engine(synonyms_dir: Path | None, embedding_cache: Path | None,
                 calibration: Calibration | None = None) -> HybridEngine:
    """The search engine as the api runs it (bench/retrieval builds it with this too; bench.calibrate
    with a neutral calibration while it fits a new one). synonyms_dir: the city's own synonyms."""
    analyzer = Analyzer(Synonyms.load(GENERAL_SYNONYMS, synonyms_dir))
    return HybridEngine(analyzer, E5Embedder(), EmbeddingCache(embedding_cache), calibration=calibration)


STATUSES = ("draft", "published")
SNAPSHOT_FIELDS = ("id", "category", "question", "alternatives", "answer", "department", "phone", "url",
                   "verified", "status", "translations")
# kept query vectors of the regression check; past this many (texts residents asked
# come and go) they are read again from the on-disk embedding cache
MAX_KEPT_VECTORS = 20_000


@dataclass(frozen=True)
class Change:
    """A question of the check set (api.faq.checkset) whose answer would change with an edit."""

    text: str
    source: str
    expected: str | None
    asked: int
    before_id: str | None
    before_zone: str
    after_id: str | None
    after_zone: str


@dataclass(frozen=True)
class Preview:
    zone: str
    confidence: float
    hits: list  # [(FaqOut, score)], best first
    lang: str = "ja"  # the resident's language asked about
    query_lang: str = "ja"  # the language the question was searched as
    answer_langs: tuple = ()  # per hit: the language of the answer that resident would get


def snapshot(row: Faq | FaqOut) -> dict:
    out = FaqOut.model_validate(row).model_dump(mode="json")
    snap = {key: out[key] for key in SNAPSHOT_FIELDS}
    snap["deleted"] = bool(getattr(row, "deleted", False))
    if getattr(row, "pending", None):
        snap["pending"] = row.pending
    return snap


class FaqNotFound(LookupError):
    pass


class FaqExists(ValueError):
    pass


class FaqNotPublished(ValueError):
    """A pending draft was asked of an entry residents cannot see (edit the entry itself)."""


def _doc(row: Faq | FaqOut) -> Doc:
    # staff-translated questions are matched by foreign-language queries only (api.faq.search)
    translated = tuple(t["question"] for lang, t in sorted((row.translations or {}).items())
                       if lang in FOREIGN and t.get("question"))
    return Doc(row.id, row.question, tuple(row.alternatives or ()), row.answer, translated)


class FaqService:
    def __init__(self, sessions: sessionmaker, engine: SearchEngine):
        self.sessions = sessions
        self.engine = engine
        self._entries: dict[str, FaqOut] = {}
        self._write_lock = threading.Lock()
        self._query_vectors: dict = {}  # regression check: query vectors, computed once
        # the live search's top answer per check question, valid while the live index is
        # unchanged (_index_version): a check, and the publish after it, search only the copy
        self._versions = itertools.count(1)  # next() is atomic: concurrent writers never share a version
        self._index_version = 0
        self._live_tops: tuple[int, dict[str, tuple[str | None, str]]] = (0, {})
        self._vectors_lock = threading.Lock()
        self._tops_lock = threading.Lock()
        self._warming: threading.Thread | None = None
        # told the id of every entry whose searchable state this process changed (scaled mode:
        # api.bus tells the other api processes, which apply it with refresh())
        self.changed: Callable[[str], None] = lambda faq_id: None

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
                    row = Faq(**_row_fields(entry), origin="corpus", corpus_hash=digest, status="published")
                    session.add(row)
                    session.flush()
                    self._revise(session, row, "corpus", "import")
                    counts["added"] += 1
                elif row.origin != "corpus" or row.deleted:
                    counts["kept_staff"] += 1
                elif row.corpus_hash == digest:
                    counts["unchanged"] += 1
                else:
                    for key, value in _row_fields(entry).items():
                        setattr(row, key, value)
                    row.corpus_hash = digest
                    session.flush()
                    self._revise(session, row, "corpus", "import")
                    counts["updated"] += 1
        self.reload()
        return counts

    def reload(self) -> None:
        with self.sessions() as session:
            rows = session.scalars(select(Faq).where(Faq.deleted.is_(False), Faq.status == "published")).all()
            entries = {row.id: FaqOut.model_validate(row) for row in rows}
        self.engine.index([_doc(e) for e in entries.values()])
        self._index_version = next(self._versions)
        self._entries = entries

    # -- reads ----------------------------------------------------------------------
    def list(self, category: str | None = None) -> list[FaqOut]:
        """Published entries (what residents can find)."""
        items = sorted(self._entries.values(), key=lambda e: e.id)
        return [e for e in items if category is None or e.category == category]

    def get(self, faq_id: str) -> FaqOut:
        try:
            return self._entries[faq_id]
        except KeyError:
            raise FaqNotFound(faq_id) from None

    def get_in(self, faq_id: str, lang: str | None) -> FaqLangOut:
        """An entry with its answer and question in the best language for `lang` (api.faq.langs)."""
        entry = self.get(faq_id)
        answer, answer_lang = answer_in(entry.answer, entry.translations, lang)
        question, question_lang = question_in(entry.question, entry.translations, lang)
        return FaqLangOut(**{**entry.model_dump(), "answer": answer, "question": question},
                          answer_lang=answer_lang, question_lang=question_lang, answer_ja=entry.answer,
                          question_ja=entry.question)

    def search(self, query: str, k: int = 5, lang: str | None = None) -> SearchOut:
        """lang: the resident's language (None or "ja": Japanese); it picks each hit's answer
        and helps tell a foreign query (the engine also reads the query's script)."""
        result = self.engine.search(query, k, lang=lang)
        hits = []
        for hit in result.hits:
            entry = self._entries.get(hit.id)
            if entry is None:  # removed between search and lookup
                continue
            answer, answer_lang = answer_in(entry.answer, entry.translations, lang)
            question, question_lang = question_in(entry.question, entry.translations, lang)
            hits.append(
                SearchHit(
                    id=entry.id, score=hit.score, question=question,
                    category=entry.category, answer=answer, department=entry.department,
                    phone=entry.phone, url=entry.url, answer_lang=answer_lang, question_lang=question_lang,
                )
            )
        return SearchOut(query=query, confidence=result.confidence, in_scope=result.in_scope, zone=result.zone,
                         hits=hits, query_lang=result.query_lang)

    # -- staff writes -----------------------------------------------------------------
    def create_entry(self, data: FaqCreate, actor: str = "api") -> FaqOut:
        with self._write_lock, self.sessions() as session, session.begin():
            row = session.get(Faq, data.id)
            if row is not None and not row.deleted:
                raise FaqExists(data.id)
            if row is None:
                row = Faq(id=data.id)
                session.add(row)
            self._apply(row, data)
            row.deleted = False
            row.status = "published"
            session.flush()
            out = FaqOut.model_validate(row)
            self._revise(session, row, actor, "create")
        self._publish(out)
        return out

    def update_entry(self, faq_id: str, data: FaqUpdate, actor: str = "api") -> FaqOut:
        try:
            entry = FaqCreate(id=faq_id, **data.model_dump())
        except ValidationError:  # not a valid id: no such entry
            raise FaqNotFound(faq_id) from None
        return self.save_entry(entry, "published", actor, "edit", new=False)

    def delete_entry(self, faq_id: str, actor: str = "api", on_write: Callable | None = None) -> None:
        with self._write_lock, self.sessions() as session, session.begin():
            row = session.get(Faq, faq_id)
            if row is None or row.deleted:
                raise FaqNotFound(faq_id)
            # A tombstone, so the next corpus import does not bring the entry back.
            row.deleted = True
            row.origin = "staff"
            session.flush()
            self._revise(session, row, actor, "delete")
            if on_write is not None:
                on_write(session, FaqOut.model_validate(row))
        self._drop(faq_id)
        self.changed(faq_id)

    def save_entry(self, data: FaqCreate, status: str, actor: str, action: str, *, new: bool | None = None,
                   on_write: Callable | None = None, drop_pending: bool = False) -> FaqOut:
        """Creates (new=True), updates (new=False) or either (None) an entry with a status.

        The row, its revision and whatever `on_write(session, out)` adds (an audit row) are
        one commit; then a published entry is searchable at once and a draft is taken out
        of the search.
        """
        return self.save_many([(data, status)], actor, action, new=new, on_write=on_write,
                              drop_pending=drop_pending)[0]

    def save_many(self, items: list[tuple[FaqCreate, str]], actor: str, action: str, *, new: bool | None = None,
                  on_write: Callable | None = None, skip_unchanged: bool = False,
                  drop_pending: bool = False) -> list[FaqOut]:
        """Several entries in one commit; returns those written (skip_unchanged: entries
        whose content and status are already so are left alone). A pending draft is kept
        (imports and the staff API change the live entry only) unless drop_pending: the
        console's own save, which is that draft."""
        outs: list[FaqOut] = []
        with self._write_lock, self.sessions() as session, session.begin():
            for data, status in items:
                if status not in STATUSES:
                    raise ValueError(status)
                row = session.get(Faq, data.id)
                live = row is not None and not row.deleted
                if new is True and live:
                    raise FaqExists(data.id)
                if new is False and not live:
                    raise FaqNotFound(data.id)
                if skip_unchanged and live and snapshot(row) == {**snapshot(row), **data.model_dump(mode="json"),
                                                                  "status": status}:
                    continue  # same content and status: no revision, no re-indexing
                if row is None:
                    row = Faq(id=data.id)
                    session.add(row)
                self._apply(row, data)
                row.deleted = False
                row.status = status
                if drop_pending:
                    row.pending = None
                session.flush()
                out = FaqOut.model_validate(row)
                self._revise(session, row, actor, action if live or action != "edit" else "create")
                outs.append(out)
            if on_write is not None:
                on_write(session, outs)
        for out in outs:
            self._sync(out)
        return outs

    # -- pending drafts of published entries: the live entry stays as it is ----------------
    def save_pending(self, data: FaqCreate, actor: str, action: str = "draft",
                     on_write: Callable | None = None) -> FaqOut:
        def keep(row: Faq) -> None:
            if row.status != "published":
                raise FaqNotPublished(row.id)
            row.pending = data.model_dump(mode="json")
        return self._change(data.id, actor, action, keep, on_write)

    def discard_pending(self, faq_id: str, actor: str, on_write: Callable | None = None) -> FaqOut:
        def drop(row: Faq) -> None:
            row.pending = None
        return self._change(faq_id, actor, "discard", drop, on_write)

    def unpublish(self, faq_id: str, actor: str, on_write: Callable | None = None) -> FaqOut:
        """Takes a published entry out of the search. A pending draft becomes the entry's
        content: it is the newest staff work, and what the edit page already showed."""
        def withdraw(row: Faq) -> None:
            if row.status != "published":
                raise FaqNotPublished(row.id)
            if row.pending:
                self._apply(row, FaqCreate(**row.pending))
            row.pending = None
            row.status = "draft"
        return self._change(faq_id, actor, "unpublish", withdraw, on_write)

    def _change(self, faq_id: str, actor: str, action: str, change: Callable[[Faq], None],
                on_write: Callable | None) -> FaqOut:
        """One change to one entry with its revision and `on_write(session, [out])` in one
        commit; the search is touched only when the entry's status changed."""
        with self._write_lock, self.sessions() as session, session.begin():
            row = session.get(Faq, faq_id)
            if row is None or row.deleted:
                raise FaqNotFound(faq_id)
            was = row.status
            change(row)
            session.flush()
            out = FaqOut.model_validate(row)
            self._revise(session, row, actor, action)
            if on_write is not None:
                on_write(session, [out])
        if out.status != was:
            self._sync(out)
        return out

    def _revise(self, session: Session, row: Faq, actor: str, action: str) -> FaqRevision:
        last = session.scalar(select(func.max(FaqRevision.number)).where(FaqRevision.faq_id == row.id)) or 0
        rev = FaqRevision(faq_id=row.id, number=last + 1, snapshot=snapshot(row), actor=(actor or "-")[:64],
                          action=action)
        session.add(rev)
        return rev

    def _sync(self, out: FaqOut) -> None:
        if out.status == "published":
            self._put(out)
        else:
            self._drop(out.id)
        self.changed(out.id)

    def refresh(self, faq_id: str | None = None) -> None:
        """Makes the search show what the database holds for one entry (None: all), after
        another process changed it."""
        if faq_id is None:
            self.reload()
            return
        with self.sessions() as session:
            row = session.get(Faq, faq_id)
            out = FaqOut.model_validate(row) if row is not None and not row.deleted else None
        if out is not None and out.status == "published":
            self._put(out)
        elif faq_id in self._entries:
            self._drop(faq_id)

    def _drop(self, faq_id: str) -> None:
        self._entries.pop(faq_id, None)
        self.engine.remove(faq_id)
        self._index_version = next(self._versions)

    # -- what-if: preview and regression check (never touches the live engine) -----------
    def _what_if(self, entry: FaqOut | None, remove: str | None = None):
        """A copy of the engine with `entry` put in (or `remove` taken out), and the
        entries it can answer with."""
        engine = self.engine.fork() if hasattr(self.engine, "fork") else None
        if engine is None:
            raise RuntimeError("this search engine cannot be copied")
        entries = dict(self._entries)
        if remove:
            engine.remove(remove)
            entries.pop(remove, None)
        if entry is not None:
            engine.upsert(_doc(entry))
            entries[entry.id] = entry
        return engine, entries

    def preview(self, query: str, entry: FaqOut | None = None, k: int = 3, lang: str = "ja") -> Preview:
        """What the bot would answer to `query` from a resident reading `lang` if `entry` (e.g. a
        draft) were published."""
        engine, entries = self._what_if(entry) if entry is not None else (self.engine, dict(self._entries))
        result = engine.search(query, k, lang=lang)
        hits = [(entries[h.id], h.score) for h in result.hits[:k] if h.id in entries]
        langs = tuple(answer_in(e.answer, e.translations, lang)[1] for e, _ in hits)
        return Preview(zone=result.zone, confidence=result.confidence, hits=hits, lang=lang,
                       query_lang=result.query_lang, answer_langs=langs)

    def check_queries(self) -> list[CheckQuery]:
        """The city's own questions (api.faq.checkset), read afresh: the log grows and
        the phrasings change with every publish."""
        with self.sessions() as session:
            return check_set(session, self._entries.values(), read_settings().check_queries)

    def _fill_vectors(self, queries: list[CheckQuery]) -> dict:
        """The query vectors of `queries`, computed once and kept (bounded)."""
        if hasattr(self.engine, "query_vectors"):
            with self._vectors_lock:
                if len(self._query_vectors) > MAX_KEPT_VECTORS:
                    self._query_vectors = {}
                self.engine.query_vectors([q.text for q in queries], self._query_vectors)
        return self._query_vectors

    def _live_top(self, queries: list[CheckQuery], vectors: dict) -> list[tuple[str | None, str]]:
        """(top id, zone) of each query on the live search, remembered until it changes.
        One at a time: a check that starts while the warm-up runs waits and reuses its work."""
        with self._tops_lock:
            version = self._index_version
            kept_version, kept = self._live_tops
            tops = dict(kept) if kept_version == version else {}
            out = []
            for q in queries:
                if q.text not in tops:
                    result = self.engine.search(q.text, 1, vectors=vectors)
                    tops[q.text] = (result.hits[0].id if result.hits else None, result.zone)
                out.append(tops[q.text])
            if self._index_version == version:  # not changed meanwhile
                self._live_tops = (version, tops)
            return out

    def warm_check(self) -> None:
        """Starts computing the check set's vectors and live answers in the background, so
        a regression check does not wait for them (only what is missing; not twice at once)."""
        def warm() -> None:
            queries = self.check_queries()
            self._live_top(queries, self._fill_vectors(queries))
        if self._warming is None or not self._warming.is_alive():
            self._warming = threading.Thread(target=warm, name="faq-check-warm", daemon=True)
            self._warming.start()

    def regression(self, entry: FaqOut | None, remove: str | None = None,
                   queries: Iterable[CheckQuery] | None = None) -> list[Change]:
        """The questions whose top answer or zone would change if `entry` were published
        (or `remove` taken out of the search), against the search as it is now.
        Query vectors are computed once and kept; the index is copied, not rebuilt."""
        queries = list(queries if queries is not None else self.check_queries())
        started = time.perf_counter()
        engine, _ = self._what_if(entry, remove)
        vectors = self._fill_vectors(queries)
        changes = []
        for q, b in zip(queries, self._live_top(queries, vectors)):
            after = engine.search(q.text, 1, vectors=vectors)
            a = (after.hits[0].id if after.hits else None, after.zone)
            if (b[1], b[0] if b[1] != "none" else None) != (a[1], a[0] if a[1] != "none" else None):
                changes.append(Change(q.text, q.source, q.expected, q.asked, b[0], b[1], a[0], a[1]))
        log.info("regression check: %d queries, %d changes, %.1f s", len(queries), len(changes),
                 time.perf_counter() - started)
        return changes

    @staticmethod
    def _apply(row: Faq, data: FaqUpdate | FaqCreate) -> None:
        for key, value in _row_fields(data).items():
            setattr(row, key, value)
        row.origin = "staff"

    def _publish(self, out: FaqOut) -> None:
        self._put(out)
        self.changed(out.id)

    def _put(self, out: FaqOut) -> None:
        self.engine.upsert(_doc(out))
        self._index_version = next(self._versions)
        self._entries[out.id] = out


def _row_fields(data: FaqCreate | FaqUpdate) -> dict:
    fields = data.model_dump(mode="json", exclude={"id"})
    fields["verified"] = data.verified
    if isinstance(data, FaqCreate):
        fields["id"] = data.id
    return fields
