"""How sure the search is, and the order of its first hits: small linear models.

- rerank: the first RERANK_DEPTH fused candidates are put in order by a linear score
  over their features (RERANK_FEATURES); the fused sum alone weighs every signal the
  same for every candidate, the re-ranker learns how much each one says.

- in_scope: is the question one the FAQ can answer at all? (else: "no answer")
- confidence: is the best hit the right entry? (answer at once, or offer choices)

Weights and thresholds are fitted on our resident question set by
`python -m bench.calibrate` and stored in calibration.json beside this file; the
features are absolute (cosines, shares of the question covered), so they carry over
to other cities' corpora better than raw ranking scores would.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

FEATURES = ("fused", "margin", "dense", "cov_q", "cov_a", "cov_r", "cov_c", "log_terms", "rerank_margin")
# per candidate: fused score, each field's capped lexical score and coverage, best cosine
# of the question units and of the answer chunks, log rank of the lexical and dense sums
RERANK_FEATURES = ("fused", "lex_q", "lex_a", "lex_r", "lex_c", "cov_q", "cov_a", "cov_r", "cov_c",
                   "cos_question", "cos_answer", "log_lex_rank", "log_dense_rank")
RERANK_DEPTH = 10
# A question in a foreign language (api.faq.langdetect) is ranked by the same hybrid search (the
# dense model is multilingual; the staff's translated questions count as question units), but its
# features say other things (the lexical coverage is near zero, cosines across languages are lower):
# its in_scope / confidence models and thresholds are fitted apart (ForeignCalibration).
DEFAULT_FILE = Path(__file__).with_name("calibration.json")


def features(fused1: float, fused2: float, dense: float, coverage: dict[str, float], n_terms: int,
             rerank_margin: float) -> list[float]:
    """rerank_margin: how far the re-ranker puts the first candidate ahead of the second, in its
    own units; whether the best is clearly the best transfers across corpora better than how
    high it scores."""
    return [fused1, fused1 - fused2, dense, coverage.get("q", 0.0), coverage.get("a", 0.0),
            coverage.get("r", 0.0), coverage.get("c", 0.0), math.log1p(n_terms), rerank_margin]


def _logistic(weights: list[float], x: list[float]) -> float:
    z = weights[0] + sum(w * v for w, v in zip(weights[1:], x))
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


@dataclass(frozen=True)
class Zones:
    """in_scope and confidence (logistic over FEATURES) and the two thresholds that make the zones."""

    scope_weights: list[float]
    correct_weights: list[float]
    scope_threshold: float
    answer_threshold: float

    def in_scope(self, x: list[float]) -> float:
        return _logistic(self.scope_weights, x)

    def confidence(self, x: list[float]) -> float:
        return _logistic(self.correct_weights, x)

    def zone(self, in_scope: float, confidence: float) -> str:
        if in_scope < self.scope_threshold:
            return "none"
        return "answer" if confidence >= self.answer_threshold else "suggest"

    def zones_json(self) -> dict:
        return {"features": list(FEATURES), "scope_weights": self.scope_weights,
                "correct_weights": self.correct_weights, "scope_threshold": self.scope_threshold,
                "answer_threshold": self.answer_threshold}


@dataclass(frozen=True)
class ForeignCalibration(Zones):
    """Zones of foreign-language questions, fitted by `python -m bench.langs --calibrate` on the
    translated question sets (bench/data/langs), apart from the Japanese ones."""

    def to_json(self) -> dict:
        return self.zones_json()

    @classmethod
    def from_json(cls, data: dict, path: Path) -> "ForeignCalibration":
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"{path}: foreign features {data['features']} do not match {FEATURES}; "
                             "rerun bench.langs --calibrate")
        return cls(data["scope_weights"], data["correct_weights"], data["scope_threshold"], data["answer_threshold"])


@dataclass(frozen=True)
class Calibration(Zones):
    rerank_weights: tuple[float, ...] = ()  # empty: the fused order stands
    # None: foreign-language questions go through the Japanese search as any other
    foreign: ForeignCalibration | None = None

    def to_json(self) -> dict:
        out = {**self.zones_json(), "rerank_features": list(RERANK_FEATURES), "rerank_weights": list(self.rerank_weights)}
        if self.foreign is not None:
            out["foreign"] = self.foreign.to_json()
        return out

    @classmethod
    def load(cls, path: Path = DEFAULT_FILE) -> "Calibration":
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"{path}: features {data['features']} do not match {FEATURES}; rerun bench.calibrate")
        rerank = tuple(data.get("rerank_weights", ()))
        if rerank and tuple(data["rerank_features"]) != RERANK_FEATURES:
            raise ValueError(f"{path}: rerank features do not match {RERANK_FEATURES}; rerun bench.calibrate")
        foreign = ForeignCalibration.from_json(data["foreign"], path) if data.get("foreign") else None
        return cls(data["scope_weights"], data["correct_weights"], data["scope_threshold"], data["answer_threshold"],
                   rerank, foreign)
