"""FAQ search: hybrid of BM25 (lemmas, kana readings, character bigrams) and dense
multilingual-e5-small embeddings, fused into one score, with a confidence and three zones.

Why each part:
- BM25 over content-word lemmas finds the entry that shares the resident's rare words;
  kana-reading bigrams catch hiragana-only questions and kanji typos with the right
  reading (住民表); character bigrams catch other typos and partial words.
- The dense model matches meaning when the words differ (「大きいごみを捨てたい」 →
  粗大ごみ). Each entry is embedded as several units (question, each alternative
  phrasing, and answer chunks prefixed with the question) and scores by its best unit,
  so long answers are matched by their parts.
- Hiragana questions are first rewritten with the corpus's own kanji words
  (KanaRestorer: 「りょういくてちょう」 → 「療育手帳」), which helps both BM25 and the
  embedding model.
- Fusion is a weighted sum of the lexical score (normalised by the query's IDF mass,
  ≈ share of the question covered) and the cosine mapped onto [0, 1].
- The first RERANK_DEPTH fused candidates are re-ordered by a linear score over their
  per-field and per-unit features (rerank_features), fitted by bench.calibrate on our
  question set and on a corpus stripped of its phrasings (as other cities' are).
- Confidence and zones come from small logistic models over absolute features of the
  best hit (api/faq/calibration.py), fitted on our question set by bench.calibrate.

`SearchEngine` is the interface the store and routes use; `HybridEngine` is the one
implementation, used unchanged by the api and by bench/retrieval.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

import numpy as np

from api.faq.analysis import Analyzer, KanaRestorer, without_asking_phrases
from api.faq.calibration import RERANK_DEPTH, Calibration, features
from api.faq.dense import DenseIndex, EmbeddingCache, Embedder
from api.faq.langdetect import query_language
from api.faq.lexical import LexicalIndex

_SENTENCE_END = re.compile(r"(?<=[。？！?!\n])")


@dataclass(frozen=True)
class Params:
    # field weights of the lexical score: question+alternatives lemmas (q), answer
    # lemmas (a), kana-reading bigrams (r) and character bigrams (c) of question+alternatives
    field_weights: dict = field(default_factory=lambda: {"q": 0.25, "a": 0.25, "r": 0.25, "c": 0.25})
    lexical_cap: float = 1.5  # one entry repeating a word must not drown the dense signal
    lexical_weight: float = 0.5
    dense_weight: float = 0.5
    # e5 cosines of unrelated Japanese texts sit near 0.78, paraphrases above 0.9
    dense_floor: float = 0.80
    dense_ceil: float = 0.93
    chunk_chars: int = 160
    # The embedding's cost grows with the question's length (≈ 0.3 ms per token here); long
    # roundabout questions ask at the end, so the dense side reads the end of the question,
    # without set phrases of asking, up to embed_tokens tokens (embed_chars bounds the counting).
    embed_chars: int = 160
    embed_tokens: int = 64
    chunk_penalty: float = -0.01  # negative: a fitting answer chunk is a slightly stronger sign
    max_alternatives: int = 10


DEFAULT_PARAMS = Params()


@dataclass(frozen=True)
class Doc:
    id: str
    question: str
    alternatives: tuple[str, ...]
    answer: str
    # the staff's questions in foreign languages (api.faq.langs): dense units of their own kind,
    # read only for foreign-language queries, so Japanese search is as it was
    translated: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    id: str
    score: float


@dataclass(frozen=True)
class Result:
    hits: list[Hit]
    confidence: float  # probability that the first hit is the right entry
    in_scope: float  # probability that the FAQ can answer the question at all
    zone: str  # "answer" | "suggest" | "none"
    features: tuple[float, ...] = ()
    query_lang: str = "ja"  # "ja", or the foreign language the query was searched as


class _QueryVectors:
    """The embedder's query side, named apart, so query vectors can use the EmbeddingCache."""

    def __init__(self, embedder: Embedder):
        self.name = f"{embedder.name}/query"
        self.dim = embedder.dim
        self.passages = embedder.queries


class SearchEngine(Protocol):
    def index(self, docs: list[Doc]) -> None: ...
    def upsert(self, doc: Doc) -> None: ...
    def remove(self, doc_id: str) -> None: ...
    def search(self, query: str, k: int = 5) -> Result: ...


def lexical_sum(p: Params, fields: dict[str, np.ndarray]) -> np.ndarray:
    """The field-weighted lexical score of every slot."""
    return sum(p.field_weights[name] * part for name, part in fields.items())


def fuse(p: Params, fields: dict[str, np.ndarray], dense: np.ndarray) -> np.ndarray:
    """One score per slot from the per-field lexical scores and the dense cosines
    (dense: (2, n), best over question units and over answer-chunk units)."""
    lex = lexical_sum(p, fields)
    # chunk_penalty moves answer-chunk cosines against question cosines (measured: a small bonus helps).
    best = np.maximum(dense[0], dense[1] - p.chunk_penalty)
    dense01 = np.clip((best - p.dense_floor) / (p.dense_ceil - p.dense_floor), 0.0, 1.0)
    return p.lexical_weight * np.minimum(lex, p.lexical_cap) + p.dense_weight * dense01


def lexical_leaders(p: Params, fields: dict[str, np.ndarray], k: int = 100) -> np.ndarray:
    """The k slots with the best lexical sum: the dense side scores them exactly at any size."""
    lex = lexical_sum(p, fields)
    return np.argpartition(-lex, k)[:k] if len(lex) > k else np.arange(len(lex))


def _rank_of(values: np.ndarray, slots: np.ndarray) -> np.ndarray:
    """0-based rank of each of `slots` among all values (ties share the better rank)."""
    return (values[None, :] > values[slots, None]).sum(axis=1)


def rerank_features(p: Params, fused: np.ndarray, fields: dict[str, np.ndarray], dense: np.ndarray,
                    coverage: list[dict[str, float]], slots: np.ndarray) -> np.ndarray:
    """(len(slots), len(RERANK_FEATURES)): what each candidate's fused score is made of.
    The two ranks say whether lexical and dense search agree on a candidate; removed entries
    (fused −inf, postings kept until compaction) must not push the others down."""
    gone = ~np.isfinite(fused)
    lex = np.where(gone, -np.inf, lexical_sum(p, fields))
    best_dense = np.where(gone, -np.inf, np.maximum(dense[0], dense[1] - p.chunk_penalty))
    cols = [fused[slots]]
    cols += [np.minimum(fields[name][slots], p.lexical_cap) for name in ("q", "a", "r", "c")]
    cols += [np.array([c[name] for c in coverage]) for name in ("q", "a", "r", "c")]
    cols += [dense[0][slots], dense[1][slots], np.log1p(_rank_of(lex, slots)), np.log1p(_rank_of(best_dense, slots))]
    return np.stack(cols, axis=1).astype(np.float64)


def chunks(text: str, size: int) -> list[str]:
    """Answer split at sentence ends into pieces of about `size` characters."""
    out, cur = [], ""
    for sentence in _SENTENCE_END.split(text):
        sentence = sentence.strip()
        if not sentence:
            continue
        if cur and len(cur) + len(sentence) > size:
            out.append(cur)
            cur = ""
        cur = f"{cur}{sentence}" if not cur else f"{cur} {sentence}"
    if cur:
        out.append(cur)
    return out


# query vectors kept for texts searched again soon (a message's second search in its turn)
QUERY_VECTORS = 256


class HybridEngine:
    """In-memory; updates touch only the changed entry; safe to call from many threads."""

    def __init__(self, analyzer: Analyzer, embedder: Embedder, cache: EmbeddingCache | None = None,
                 params: Params = DEFAULT_PARAMS, calibration: Calibration | None = None):
        self.analyzer = analyzer
        self.embedder = embedder
        self.cache = cache or EmbeddingCache(None)
        self.params = params
        self.calibration = calibration or Calibration.load()
        self._lock = threading.RLock()
        # A resident's message is often searched twice in its turn (the ごみ分別 match settles a thing
        # named without asking by the FAQ's reading of it, then the reply searches it again): its
        # vector, the search's dearest part, is computed once. lru_cache is thread-safe.
        self._query_vector = lru_cache(maxsize=QUERY_VECTORS)(self._embed_query)
        self._reset()

    def _embed_query(self, text: str) -> np.ndarray:
        vecs = self.embedder.queries([text])
        vecs.setflags(write=False)  # (shared by every search of the text)
        return vecs

    def _reset(self) -> None:
        self._lexical = LexicalIndex(self.params.field_weights.keys())
        self._dense = DenseIndex(self.embedder.dim, kinds=3)
        self._restorer = KanaRestorer(self.analyzer)
        self._slot_of: dict[str, int] = {}
        self._id_of: list[str | None] = []

    # -- analysis -------------------------------------------------------------------
    def _lexical_units(self, doc: Doc) -> dict[str, list[str]]:
        asked = "\n".join((doc.question, *doc.alternatives))
        a = self.analyzer
        return {"q": a.terms(asked), "a": a.terms(doc.answer), "r": a.reading_grams(asked), "c": a.char_grams(asked)}

    def _dense_units(self, doc: Doc) -> list[tuple[str, int]]:
        """(text, kind): kind 0 = the question and its phrasings, 1 = answer chunks with the question,
        2 = the staff's translated questions."""
        asked = [t for t in dict.fromkeys((doc.question, *doc.alternatives[: self.params.max_alternatives])) if t.strip()]
        told = [f"{doc.question}\n{c}" for c in chunks(doc.answer, self.params.chunk_chars)]
        translated = [t for t in dict.fromkeys(doc.translated) if t.strip()]
        return [(t, 0) for t in asked] + [(t, 1) for t in told] + [(t, 2) for t in translated]

    def _learn(self, doc: Doc) -> None:
        for text in (doc.question, doc.answer):
            self._restorer.learn(text)
        for text in doc.alternatives:
            self._restorer.learn(text, official=False)

    def _prepare(self, docs: list[Doc]) -> list[tuple[Doc, dict, np.ndarray, list[int]]]:
        texts, kinds, spans = [], [], []
        for doc in docs:
            units = self._dense_units(doc)
            spans.append((len(texts), len(texts) + len(units)))
            texts += [t for t, _ in units]
            kinds += [k for _, k in units]
        vectors = self.cache.embed(self.embedder, texts) if texts else np.zeros((0, self.embedder.dim), np.float32)
        return [(doc, self._lexical_units(doc), vectors[s:e], kinds[s:e]) for doc, (s, e) in zip(docs, spans)]

    def fork(self) -> "HybridEngine":
        """An independent copy of the index (same analyzer, model and cache): changes to
        the copy never reach this engine. For what-if checks of staff edits; no rebuild."""
        other = object.__new__(HybridEngine)
        other.analyzer, other.embedder, other.cache = self.analyzer, self.embedder, self.cache
        other.params, other.calibration = self.params, self.calibration
        other._lock = threading.RLock()
        other._query_vector = self._query_vector  # (the same model: the same vectors)
        with self._lock:
            other._lexical = self._lexical.fork()
            other._dense = self._dense.fork()
            other._restorer = self._restorer.fork()
            other._slot_of = dict(self._slot_of)
            other._id_of = list(self._id_of)
        return other

    def query_vectors(self, queries: list[str], vectors: dict) -> None:
        """Fills `vectors` (query text as embedded → vector) for many queries in batches."""
        texts = list(dict.fromkeys(self.dense_text(self._restorer.restore(q)) for q in queries))
        todo = [t for t in texts if t not in vectors]
        if todo:  # through the on-disk cache: computed once per machine, not per start
            for t, v in zip(todo, self.cache.embed(_QueryVectors(self.embedder), todo)):
                vectors[t] = np.atleast_2d(v)

    def dense_text(self, restored: str) -> str:
        """What the embedding model reads of a (restored) question: in the corpus's words where
        the synonyms know them (as BM25 reads it), its hiragana words in kanji, its end, within
        the token budget."""
        text = without_asking_phrases(self.analyzer.synonyms.apply(restored))[-self.params.embed_chars:]
        text = self._restorer.in_kanji(text)
        budget, count = self.params.embed_tokens, self.embedder.query_tokens
        if count(text) <= budget:
            return text
        keep, too_long = 1, len(text)  # the longest suffix within the budget (tokens grow with length)
        while keep + 1 < too_long:
            mid = (keep + too_long) // 2
            keep, too_long = (mid, too_long) if count(text[-mid:]) <= budget else (keep, mid)
        return text[-keep:]

    # -- writes ---------------------------------------------------------------------
    def index(self, docs: list[Doc]) -> None:
        prepared = self._prepare(docs)
        with self._lock:
            self._reset()
            lexical = {}
            for doc, units, vectors, kinds in prepared:
                self._learn(doc)
                slot = self._new_slot(doc.id)
                lexical[slot] = units
                self._dense.add(slot, vectors, kinds)
            self._lexical.build(lexical)

    def _new_slot(self, doc_id: str) -> int:
        slot = len(self._id_of)
        self._id_of.append(doc_id)
        self._slot_of[doc_id] = slot
        return slot

    def upsert(self, doc: Doc) -> None:
        [(doc, units, vectors, kinds)] = self._prepare([doc])
        with self._lock:
            self._remove(doc.id)
            self._learn(doc)
            slot = self._new_slot(doc.id)
            self._lexical.add(slot, units)
            self._dense.add(slot, vectors, kinds)

    def remove(self, doc_id: str) -> None:
        with self._lock:
            self._remove(doc_id)

    def _remove(self, doc_id: str) -> None:
        slot = self._slot_of.pop(doc_id, None)
        if slot is not None:
            self._id_of[slot] = None
            self._lexical.remove(slot)
            self._dense.remove(slot)

    def __len__(self) -> int:
        return len(self._slot_of)

    # -- reads ----------------------------------------------------------------------
    def _query_units(self, query: str) -> tuple[dict[str, list[str]], str]:
        a = self.analyzer
        restored = self._restorer.restore(query)
        terms = a.terms(restored)
        return {"q": terms, "a": terms, "r": a.reading_grams(query), "c": a.char_grams(restored)}, restored

    def components(self, query: str) -> tuple[dict[str, np.ndarray], np.ndarray, list[str | None]]:
        """Per-field lexical scores and the dense scores of every slot, and the slot → id list."""
        q_units, restored = self._query_units(query)
        q_vecs = self.embedder.queries([self.dense_text(restored)])
        with self._lock:
            n = len(self._id_of)
            ids = list(self._id_of)
            fields = self._lexical.field_scores(q_units, n)
            dense = self._dense.score(q_vecs, n, also=self._leaders(fields))
        return fields, dense, ids

    def _leaders(self, fields: dict[str, np.ndarray]) -> np.ndarray | None:
        """The lexical leaders, when the dense index shortlists (else nothing to add)."""
        return lexical_leaders(self.params, fields) if self._dense.shortlists else None

    def candidates(self, q_units: dict[str, list[str]], fused: np.ndarray, fields: dict[str, np.ndarray],
                   dense: np.ndarray, top: list[int]) -> tuple[list[int], np.ndarray]:
        """The first RERANK_DEPTH slots of `top` (fused order) and their re-ranking features."""
        head = np.asarray(top[:RERANK_DEPTH])
        coverage = self._lexical.coverages(q_units, head)
        return list(head), rerank_features(self.params, fused, fields, dense, coverage, head)

    def _rerank(self, q_units, fused, fields, dense, top: list[int]) -> tuple[list[int], float]:
        """The candidates in the re-ranker's order, and its margin between the first two."""
        weights = self.calibration.rerank_weights
        if len(top) < 2:
            return top, 0.0
        if not weights:
            return top, float(fused[top[0]] - fused[top[1]])
        head, x = self.candidates(q_units, fused, fields, dense, top)
        scores = x @ np.asarray(weights)
        order = np.argsort(-scores, kind="stable")  # stable: ties keep the fused order
        return [head[i] for i in order] + top[len(head):], float(scores[order[0]] - scores[order[1]])

    def search(self, query: str, k: int = 5, vectors: dict | None = None, lang: str | None = None) -> Result:
        """vectors: optional cache of query vectors (filled by query_vectors) for batch checks.
        lang: the resident's language, if known; the query's script decides first (api.faq.langdetect)."""
        query_lang = query_language(query, lang)
        # a foreign query (when there are zones for it): the staff's translated questions count as
        # question units, and its zones come from the foreign calibration
        foreign = self.calibration.foreign if query_lang != "ja" else None
        q_units, restored = self._query_units(query)
        text = self.dense_text(restored)
        q_vecs = vectors.get(text) if vectors is not None else None
        if q_vecs is None:
            q_vecs = self._query_vector(text)
            if vectors is not None:
                vectors[text] = q_vecs
        with self._lock:
            n = len(self._id_of)
            fields = self._lexical.field_scores(q_units, n)
            dense = self._dense.score(q_vecs, n, also=self._leaders(fields))
            if foreign is not None:
                dense = np.stack([np.maximum(dense[0], dense[2]), dense[1], dense[2]])
            fused = fuse(self.params, fields, dense)
            if len(self._slot_of) < n:  # removed entries keep their slot until the next full index
                fused[[slot for slot, doc_id in enumerate(self._id_of) if doc_id is None]] = -np.inf
            take = min(max(k, 2, RERANK_DEPTH), len(self._slot_of))
            if take == 0:
                return Result(hits=[], confidence=0.0, in_scope=0.0, zone="none", query_lang=query_lang)
            top = np.argpartition(-fused, take - 1)[:take]
            ids = {int(s): self._id_of[s] for s in top}
            top = sorted(top, key=lambda s: (-fused[s], ids[s]))
            top, rerank_margin = self._rerank(q_units, fused, fields, dense, top)
            best = top[0]
            coverage = self._lexical.coverage(q_units, best)
        runner_up = float(fused[top[1]]) if len(top) > 1 else 0.0
        x = features(float(fused[best]), runner_up, float(max(dense[0][best], dense[1][best])), coverage,
                     len(set(q_units["q"])), rerank_margin)
        zones = foreign or self.calibration
        confidence = zones.confidence(x)
        in_scope = zones.in_scope(x)
        hits = [Hit(ids[s], round(float(fused[s]), 4)) for s in top[: max(k, 1)]]
        return Result(hits=hits, confidence=round(confidence, 4), in_scope=round(in_scope, 4),
                      zone=zones.zone(in_scope, confidence), features=tuple(x),
                      query_lang=query_lang if foreign is not None else "ja")
