"""FAQ search engine v1: BM25 over three fields, fused into one score in [0, 1].

Fields: question + alternative phrasings (lemmas), answer (lemmas), and kana-reading
bigrams of question + alternatives (hiragana questions, typos with the right reading).
Each field's BM25 score is divided by the sum of the query's IDFs in that field, so it
reads as "how much of the question this FAQ covers"; terms found nowhere in the
corpus still count in the divisor, which is what pushes out-of-scope questions
("今日の天気は？") to a low confidence.

The engine is kept behind `SearchEngine` (index / upsert / remove / search) so that
a better one can replace it without touching the store or the routes.
"""
from __future__ import annotations

import math
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Protocol

from api.faq.analysis import Analyzer

K1 = 1.2
B = 0.75
FIELD_WEIGHTS = {"q": 0.5, "a": 0.2, "r": 0.3}
# Zones, chosen on the demo city's questions: at or above ANSWER the bot answers,
# between SUGGEST and ANSWER it offers "もしかして" choices, below it says so honestly.
ANSWER_THRESHOLD = 0.55
SUGGEST_THRESHOLD = 0.30
# A lead over the runner-up of this share of the top score counts as "clearly this one".
MARGIN_FULL = 0.2


@dataclass(frozen=True)
class Doc:
    id: str
    question: str
    alternatives: tuple[str, ...]
    answer: str


@dataclass(frozen=True)
class Hit:
    id: str
    score: float


@dataclass(frozen=True)
class Result:
    hits: list[Hit]
    confidence: float
    zone: str  # "answer" | "suggest" | "none"


class SearchEngine(Protocol):
    def index(self, docs: list[Doc]) -> None: ...
    def upsert(self, doc: Doc) -> None: ...
    def remove(self, doc_id: str) -> None: ...
    def search(self, query: str, k: int = 5) -> Result: ...


def confidence_of(scores: list[float]) -> float:
    """Coverage of the question by the best FAQ, discounted when the runner-up is as good.

    A one-word question (「証明書」) is covered fully by many entries: the bot should
    then offer choices rather than pick one.
    """
    if not scores or scores[0] <= 0:
        return 0.0
    coverage = min(scores[0], 1.0)
    runner_up = scores[1] if len(scores) > 1 else 0.0
    margin = (scores[0] - runner_up) / scores[0]
    return round(coverage * (0.5 + 0.5 * min(margin / MARGIN_FULL, 1.0)), 4)


def zone_for(confidence: float) -> str:
    if confidence >= ANSWER_THRESHOLD:
        return "answer"
    if confidence >= SUGGEST_THRESHOLD:
        return "suggest"
    return "none"


class _Field:
    def __init__(self) -> None:
        self.postings: dict[str, dict[str, int]] = {}
        self.lengths: dict[str, int] = {}
        self.total = 0

    def add(self, doc_id: str, units: list[str]) -> None:
        for unit, tf in Counter(units).items():
            self.postings.setdefault(unit, {})[doc_id] = tf
        self.lengths[doc_id] = len(units)
        self.total += len(units)

    def remove(self, doc_id: str, units: list[str]) -> None:
        for unit in set(units):
            plist = self.postings.get(unit)
            if plist is not None:
                plist.pop(doc_id, None)
                if not plist:
                    del self.postings[unit]
        self.total -= self.lengths.pop(doc_id, 0)

    def score(self, units: list[str], n_docs: int) -> dict[str, float]:
        """Normalised BM25: per document, score / sum of the query units' IDF (≈ 1 when all match once)."""
        if not units or n_docs == 0:
            return {}
        avgdl = max(self.total / max(len(self.lengths), 1), 1e-9)
        scores: dict[str, float] = {}
        idf_sum = 0.0
        for unit in set(units):
            plist = self.postings.get(unit, {})
            df = len(plist)
            idf = math.log(1 + (n_docs - df + 0.5) / (df + 0.5))
            idf_sum += idf
            for doc_id, tf in plist.items():
                norm = K1 * (1 - B + B * self.lengths[doc_id] / avgdl)
                scores[doc_id] = scores.get(doc_id, 0.0) + idf * tf * (K1 + 1) / (tf + norm)
        return {d: s / idf_sum for d, s in scores.items()}


class Bm25Engine:
    """In-memory, incrementally updatable; safe to call from many threads."""

    def __init__(self, analyzer: Analyzer):
        self.analyzer = analyzer
        self._fields = {name: _Field() for name in FIELD_WEIGHTS}
        self._units: dict[str, dict[str, list[str]]] = {}
        self._lock = threading.RLock()

    def _analyze(self, doc: Doc) -> dict[str, list[str]]:
        asked = "\n".join((doc.question, *doc.alternatives))
        return {
            "q": self.analyzer.terms(asked),
            "a": self.analyzer.terms(doc.answer),
            "r": self.analyzer.reading_grams(asked),
        }

    def index(self, docs: list[Doc]) -> None:
        analyzed = {doc.id: self._analyze(doc) for doc in docs}
        with self._lock:
            self._fields = {name: _Field() for name in FIELD_WEIGHTS}
            self._units = {}
            for doc_id, units in analyzed.items():
                self._add(doc_id, units)

    def _add(self, doc_id: str, units: dict[str, list[str]]) -> None:
        for name, field in self._fields.items():
            field.add(doc_id, units[name])
        self._units[doc_id] = units

    def upsert(self, doc: Doc) -> None:
        units = self._analyze(doc)
        with self._lock:
            self._remove(doc.id)
            self._add(doc.id, units)

    def remove(self, doc_id: str) -> None:
        with self._lock:
            self._remove(doc_id)

    def _remove(self, doc_id: str) -> None:
        old = self._units.pop(doc_id, None)
        if old is not None:
            for name, field in self._fields.items():
                field.remove(doc_id, old[name])

    def __len__(self) -> int:
        return len(self._units)

    def search(self, query: str, k: int = 5) -> Result:
        q_units = {
            "q": self.analyzer.terms(query),
            "r": self.analyzer.reading_grams(query),
        }
        q_units["a"] = q_units["q"]
        with self._lock:
            n = len(self._units)
            total: dict[str, float] = {}
            for name, weight in FIELD_WEIGHTS.items():
                for doc_id, s in self._fields[name].score(q_units[name], n).items():
                    total[doc_id] = total.get(doc_id, 0.0) + weight * s
        ranked = sorted(total.items(), key=lambda item: (-item[1], item[0]))[: max(k, 2)]
        confidence = confidence_of([score for _, score in ranked])
        hits = [Hit(doc_id, round(score, 4)) for doc_id, score in ranked[: max(k, 1)]]
        return Result(hits=hits, confidence=confidence, zone=zone_for(confidence))
