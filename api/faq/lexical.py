"""BM25 over named fields, with O(changed document) updates.

Each field keeps, per unit (lemma or kana bigram), a posting of (slot, tf-part)
where tf-part = tf·(k1+1) / (tf + k1·(1 − b + b·dl/avgdl)). Postings live in numpy
arrays (scored with one vectorised scatter-add per query unit), plus a small
Python tail for documents added since the arrays were last rebuilt; IDF comes from
live document frequencies at query time, so a staff edit needs no rebuild.
A removed document keeps its slot, masked out, until the next compaction.
"""
from __future__ import annotations

import math
from collections import Counter

import numpy as np

K1 = 1.2
B = 0.75
COMPACT_AFTER = 2000  # tail postings before they are merged into the arrays


class _Field:
    def __init__(self) -> None:
        self.arrays: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.tail: dict[str, list[tuple[int, float]]] = {}
        self.tail_size = 0
        self.df: Counter[str] = Counter()
        self.total_len = 0
        self.live = 0

    def fork(self) -> "_Field":
        """An independent copy (the posting arrays are shared: they are replaced, never changed)."""
        other = _Field()
        other.arrays = dict(self.arrays)
        other.tail = {u: list(p) for u, p in self.tail.items()}
        other.tail_size, other.df = self.tail_size, Counter(self.df)
        other.total_len, other.live = self.total_len, self.live
        return other

    def avgdl(self) -> float:
        return self.total_len / self.live if self.live else 1.0

    def tf_parts(self, units: list[str], avgdl: float) -> dict[str, float]:
        norm = K1 * (1 - B + B * len(units) / max(avgdl, 1e-9))
        return {u: tf * (K1 + 1) / (tf + norm) for u, tf in Counter(units).items()}

    def build(self, docs: list[tuple[int, list[str]]]) -> None:
        self.total_len = sum(len(units) for _, units in docs)
        self.live = len(docs)
        avgdl = self.avgdl()
        lists: dict[str, tuple[list[int], list[float]]] = {}
        self.df = Counter()
        for slot, units in docs:
            for unit, w in self.tf_parts(units, avgdl).items():
                slots, weights = lists.setdefault(unit, ([], []))
                slots.append(slot)
                weights.append(w)
                self.df[unit] += 1
        self.arrays = {u: (np.asarray(s, dtype=np.int32), np.asarray(w, dtype=np.float32)) for u, (s, w) in lists.items()}
        self.tail, self.tail_size = {}, 0

    def add(self, slot: int, units: list[str]) -> None:
        self.total_len += len(units)
        self.live += 1
        for unit, w in self.tf_parts(units, self.avgdl()).items():
            self.tail.setdefault(unit, []).append((slot, w))
            self.df[unit] += 1
            self.tail_size += 1

    def remove(self, units: list[str]) -> None:
        """Statistics only: the slot is masked by the index."""
        self.total_len -= len(units)
        self.live -= 1
        for unit in set(units):
            self.df[unit] -= 1
            if self.df[unit] <= 0:
                del self.df[unit]

    def idf(self, unit: str, n_docs: int) -> float:
        df = self.df.get(unit, 0)
        return math.log(1 + (n_docs - df + 0.5) / (df + 0.5))

    def score(self, units: list[str], n_docs: int, out: np.ndarray) -> None:
        """Adds Σ idf·tf-part / Σ idf into out (≈ 1 when every query unit matches once)."""
        uniq = set(units)
        if not uniq or n_docs == 0:
            return
        idfs = {u: self.idf(u, n_docs) for u in uniq}
        total_idf = sum(idfs.values())
        for unit, idf in idfs.items():
            w = idf / total_idf
            arr = self.arrays.get(unit)
            if arr is not None:
                out[arr[0]] += arr[1] * w  # slots in one posting are distinct: no need for np.add.at
            for slot, part in self.tail.get(unit, ()):
                out[slot] += part * w


class LexicalIndex:
    """Normalised BM25 per field over slots (integer document positions)."""

    def __init__(self, field_names):
        self.fields = {name: _Field() for name in field_names}
        self.units: dict[int, dict[str, list[str]]] = {}

    def fork(self) -> "LexicalIndex":
        other = LexicalIndex(())
        other.fields = {name: f.fork() for name, f in self.fields.items()}
        other.units = dict(self.units)
        return other

    def build(self, docs: dict[int, dict[str, list[str]]]) -> None:
        self.units = dict(docs)
        for name, field in self.fields.items():
            field.build([(slot, units[name]) for slot, units in docs.items()])

    def add(self, slot: int, units: dict[str, list[str]]) -> None:
        self.units[slot] = units
        for name, field in self.fields.items():
            field.add(slot, units[name])
        if sum(f.tail_size for f in self.fields.values()) > COMPACT_AFTER:
            self.build(self.units)

    def remove(self, slot: int) -> None:
        units = self.units.pop(slot, None)
        if units is not None:
            for name, field in self.fields.items():
                field.remove(units[name])

    def coverage(self, query_units: dict[str, list[str]], slot: int) -> dict[str, float]:
        """Per field, the IDF-weighted share of the query's units that the document contains."""
        return self.coverages(query_units, [slot])[0]

    def coverages(self, query_units: dict[str, list[str]], slots) -> list[dict[str, float]]:
        """coverage() of several documents, the query's IDFs computed once."""
        n_docs = len(self.units)
        idfs = {name: {u: field.idf(u, n_docs) for u in set(query_units.get(name, []))}
                for name, field in self.fields.items()}
        out = []
        for slot in slots:
            doc = self.units.get(int(slot), {})
            shares = {}
            for name, idf in idfs.items():
                total = sum(idf.values())
                have = idf.keys() & set(doc.get(name, []))
                shares[name] = sum(idf[u] for u in have) / total if total else 0.0
            out.append(shares)
        return out

    def field_scores(self, query_units: dict[str, list[str]], n_slots: int) -> dict[str, np.ndarray]:
        n_docs = len(self.units)
        out = {}
        for name in self.fields:
            part = np.zeros(n_slots, dtype=np.float32)
            self.fields[name].score(query_units.get(name, []), n_docs, part)
            out[name] = part
        return out
