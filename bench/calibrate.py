"""Fits the search confidence (api/faq/calibration.json) on our resident question set.

    .venv/bin/python -m bench.calibrate [DIR] [--cache FILE]

First the re-ranker of the first fused candidates: a linear score over their features
(api/faq/calibration.py RERANK_FEATURES), fitted as a softmax over each question's
candidates towards its best-graded entry, on two sets at once: our resident questions,
and each entry's alternative phrasings asked of the corpus stripped of its phrasings (the
shape of other cities' FAQs, which have question and answer only). Fitting both keeps
the weights from leaning on the phrasings. Out-of-fold top-1 (5 folds over questions)
is printed for each set; the weights written are fitted on everything.
Then two logistic models over the features of the best hit:
in_scope (answerable vs out-of-scope questions) and confidence (best hit relevant).
Thresholds: the smallest in_scope threshold that puts ≥ SCOPE_TARGET of the
out-of-scope questions in "no answer", and the smallest confidence threshold whose
"answer" zone is ≥ PRECISION_TARGET precise. Both targets sit a little above the
issue's bars (90 %, 95 %) because a fit is always a bit kinder to the data it saw.
Rerun after any change to the ranking (api/faq/search.py Params) or the question set.
"""
from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np

from api.faq.calibration import DEFAULT_FILE, FEATURES, RERANK_DEPTH, Calibration
from api.faq.search import Doc, HybridEngine, fuse
from bench.retrieval import ROOT, evaluate, load_beir, phrasing_set
from api.faq.service import build_engine

SCOPE_TARGET = 0.92
PRECISION_TARGET = 0.96
L2 = 0.01
RERANK_L2 = 0.01
FOLDS = 5


def fit_logistic(x: np.ndarray, y: np.ndarray, steps: int = 20000, rate: float = 0.5) -> list[float]:
    mu, sd = x.mean(0), x.std(0) + 1e-9
    z = np.c_[np.ones(len(x)), (x - mu) / sd]
    w = np.zeros(z.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-z @ w))
        w -= rate * (z.T @ (p - y) / len(y) + L2 * np.r_[0.0, w[1:]])
    # back to raw feature units, so the api needs no standardisation
    return [float(w[0] - np.sum(w[1:] * mu / sd)), *map(float, w[1:] / sd)]


def candidate_rows(engine: HybridEngine, queries: dict[str, str], qrels: dict[str, dict[str, int]]) -> list:
    """Per answerable question: the re-ranking features of its first fused candidates and their grades."""
    rows = []
    for qid, text in queries.items():
        grades = qrels.get(qid, {})
        if not any(g > 0 for g in grades.values()):
            continue
        fields, dense, ids = engine.components(text)
        fused = fuse(engine.params, fields, dense)
        top = [int(s) for s in np.argsort(-fused, kind="stable")[:RERANK_DEPTH]]
        head, x = engine.candidates(engine._query_units(text)[0], fused, fields, dense, top)
        rows.append((x, np.array([grades.get(ids[s], 0) for s in head], dtype=float)))
    return rows


def _padded(rows: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features (questions, RERANK_DEPTH, features), grades, and a mask of real candidates."""
    n, f = len(rows), rows[0][0].shape[1]
    x, y, mask = np.zeros((n, RERANK_DEPTH, f)), np.zeros((n, RERANK_DEPTH)), np.zeros((n, RERANK_DEPTH), bool)
    for i, (xi, yi) in enumerate(rows):
        x[i, : len(yi)], y[i, : len(yi)], mask[i, : len(yi)] = xi, yi, True
    return x, y, mask


def fit_rerank(rows: list, steps: int = 3000, rate: float = 0.5) -> list[float]:
    """Softmax over each question's candidates towards its best-graded ones (questions whose
    candidates hold no relevant entry teach nothing and are left out)."""
    x, y, mask = _padded(rows)
    target = (y == y.max(axis=1, keepdims=True)) & (y > 0) & mask
    keep = target.any(axis=1)
    x, mask, target = x[keep], mask[keep], target[keep] / target[keep].sum(axis=1, keepdims=True)
    flat = x[mask]
    mu, sd = flat.mean(0), flat.std(0) + 1e-9
    z = (x - mu) / sd
    w = np.zeros(x.shape[2])
    for _ in range(steps):
        logits = np.where(mask, z @ w, -np.inf)
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        w -= rate * (np.einsum("nk,nkf->f", p - target, z) / len(z) + RERANK_L2 * w)
    return [float(v) for v in w / sd]  # a per-feature shift changes no order: no intercept needed


def top1(rows: list, weights: list[float] | None) -> float:
    hits = [y[int(np.argmax(x @ np.asarray(weights))) if weights else 0] > 0 for x, y in rows]
    return float(np.mean(hits))


def out_of_fold(sets: list[list], target: int, seed: int = 0) -> float:
    """Top-1 on sets[target], each fold's weights fitted on the other folds and on every other set."""
    rows = sets[target]
    folds = np.random.default_rng(seed).permutation(len(rows)) % FOLDS
    others = [r for i, s in enumerate(sets) if i != target for r in s]
    right = 0.0
    for f in range(FOLDS):
        test = [r for r, k in zip(rows, folds) if k == f]
        weights = fit_rerank([r for r, k in zip(rows, folds) if k != f] + others)
        right += top1(test, weights) * len(test)
    return right / len(rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dir", type=Path, nargs="?", default=ROOT / "bench" / "data" / "hikarino")
    ap.add_argument("--cache", type=Path, default=ROOT / "var" / "cache" / "embeddings.sqlite")
    ap.add_argument("--out", type=Path, default=DEFAULT_FILE)
    args = ap.parse_args()

    docs, queries, qrels = load_beir(args.dir)
    synonyms = ROOT / "faq_corpus" / "synonyms"
    engine = build_engine(synonyms, args.cache)
    engine.index(docs)
    stripped, phrasings, phrasing_qrels = phrasing_set(docs)
    plain = build_engine(synonyms, args.cache)
    plain.index(stripped)
    sets = [candidate_rows(engine, queries, qrels), candidate_rows(plain, phrasings, phrasing_qrels)]
    rerank = fit_rerank(sets[0] + sets[1])
    for i, name in enumerate(("our questions", "phrasings, no-phrasing corpus")):
        print(f"re-ranker, {name}: top-1 {top1(sets[i], None):.4f} fused, {out_of_fold(sets, i):.4f} out-of-fold")
    neutral = [0.0] * (len(FEATURES) + 1)  # the logistic models are fitted below, on the re-ranked order
    engine.calibration = Calibration(neutral, neutral, 0.0, 0.0, tuple(rerank))
    rows = []
    for qid, text in queries.items():
        result = engine.search(text, 3)
        relevant = {d for d, g in qrels.get(qid, {}).items() if g > 0}
        rows.append((list(result.features), bool(relevant), bool(result.hits) and result.hits[0].id in relevant))
    x = np.array([r[0] for r in rows])
    answerable = np.array([r[1] for r in rows], dtype=float)
    correct = np.array([r[2] for r in rows], dtype=float)
    scope_w = fit_logistic(x, answerable)
    correct_w = fit_logistic(x, correct)

    probe = Calibration(scope_w, correct_w, 0.0, 0.0, tuple(rerank))
    scope = np.array([probe.in_scope(list(v)) for v in x])
    conf = np.array([probe.confidence(list(v)) for v in x])
    oos_scope = np.sort(scope[answerable == 0])
    # just above the k-th lowest out-of-scope score, k = the fewest questions that make the target
    need = int(np.ceil(SCOPE_TARGET * len(oos_scope)))
    scope_t = float(oos_scope[min(max(need - 1, 0), len(oos_scope) - 1)]) if len(oos_scope) else 0.5
    scope_t = math.floor(scope_t * 1e4 + 1) / 1e4  # stored with 4 decimals: round up, never onto or below it
    passing = scope >= scope_t
    answer_t = 1.0
    for t in np.arange(0.30, 0.99, 0.01):
        zone = passing & (conf >= t)
        if zone.sum() and correct[zone].mean() >= PRECISION_TARGET:
            answer_t = float(round(t, 2))
            break
    calibration = Calibration(scope_w, correct_w, scope_t, answer_t, tuple(rerank))
    args.out.write_text(json.dumps(calibration.to_json(), indent=2) + "\n", encoding="utf-8")

    engine.calibration = calibration
    metrics, _, _ = evaluate(engine, queries, qrels)
    print(f"features: {', '.join(FEATURES)}")
    print(f"scope threshold {calibration.scope_threshold}, answer threshold {calibration.answer_threshold} → {args.out}")
    print(json.dumps(metrics, ensure_ascii=False))


if __name__ == "__main__":
    main()
