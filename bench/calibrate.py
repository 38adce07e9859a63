"""Fits the search confidence (api/faq/calibration.json) on our resident question set.

    .venv/bin/python -m bench.calibrate [DIR] [--cache FILE]

Two logistic models over the features of the best hit (api/faq/calibration.py):
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
from pathlib import Path

import numpy as np

from api.faq.calibration import DEFAULT_FILE, FEATURES, Calibration
from bench.retrieval import ROOT, evaluate, load_beir
from api.faq.service import build_engine

SCOPE_TARGET = 0.92
PRECISION_TARGET = 0.96
L2 = 0.01


def fit_logistic(x: np.ndarray, y: np.ndarray, steps: int = 20000, rate: float = 0.5) -> list[float]:
    mu, sd = x.mean(0), x.std(0) + 1e-9
    z = np.c_[np.ones(len(x)), (x - mu) / sd]
    w = np.zeros(z.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-z @ w))
        w -= rate * (z.T @ (p - y) / len(y) + L2 * np.r_[0.0, w[1:]])
    # back to raw feature units, so the api needs no standardisation
    return [float(w[0] - np.sum(w[1:] * mu / sd)), *map(float, w[1:] / sd)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dir", type=Path, nargs="?", default=ROOT / "bench" / "data" / "hikarino")
    ap.add_argument("--cache", type=Path, default=ROOT / "var" / "cache" / "embeddings.sqlite")
    ap.add_argument("--out", type=Path, default=DEFAULT_FILE)
    args = ap.parse_args()

    docs, queries, qrels = load_beir(args.dir)
    engine = build_engine(ROOT / "faq_corpus" / "synonyms", args.cache)
    engine.index(docs)
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

    probe = Calibration(scope_w, correct_w, 0.0, 0.0)
    scope = np.array([probe.in_scope(list(v)) for v in x])
    conf = np.array([probe.confidence(list(v)) for v in x])
    oos_scope = np.sort(scope[answerable == 0])
    scope_t = float(oos_scope[min(int(np.ceil(SCOPE_TARGET * len(oos_scope))), len(oos_scope) - 1)]) + 1e-6 if len(oos_scope) else 0.5
    passing = scope >= scope_t
    answer_t = 1.0
    for t in np.arange(0.30, 0.99, 0.01):
        zone = passing & (conf >= t)
        if zone.sum() and correct[zone].mean() >= PRECISION_TARGET:
            answer_t = float(round(t, 2))
            break
    calibration = Calibration(scope_w, correct_w, round(scope_t, 4), answer_t)
    args.out.write_text(json.dumps(calibration.to_json(), indent=2) + "\n", encoding="utf-8")

    engine.calibration = calibration
    metrics, _, _ = evaluate(engine, queries, qrels)
    print(f"features: {', '.join(FEATURES)}")
    print(f"scope threshold {calibration.scope_threshold}, answer threshold {calibration.answer_threshold} → {args.out}")
    print(json.dumps(metrics, ensure_ascii=False))


if __name__ == "__main__":
    main()
