"""Retrieval benchmark: the api's own search engine over any BEIR-format corpus.

    .venv/bin/python -m bench.retrieval DIR [--json] [--run FILE] [--k 10] [--cache FILE]
                                            [--no-alternatives | --phrasings] [--heldout]

DIR holds corpus.jsonl ({"_id", "title", "text"}; title = the FAQ question, text = the
answer; an optional "alternatives" list is used when present), queries.jsonl
({"_id", "text"}) and qrels/test.tsv (query-id, corpus-id, graded score). The engine is
built fresh from DIR (build_s), then each query is run once, one at a time.

Reported: nDCG@10 (gain = grade), Recall@10, MRR@10, SR@1, SR@5 over queries that
have qrels; p50/p95 query latency; build time. When DIR also has queries without
qrels (out of scope), the zones are scored too: share of each zone, precision of the
"answer" zone (its top hit is relevant), and share of out-of-scope queries in "none".
--no-alternatives indexes question and answer only (the shape of other cities' FAQs);
--phrasings asks each entry's alternative phrasings of that stripped corpus instead of
queries.jsonl. --heldout keeps only the frozen held-out queries (DIR/heldout.txt; of the
phrasings, those of a third of the entries). Nothing is fetched from the network.
"""
from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
import zlib
from collections import defaultdict
from pathlib import Path

from api.faq.search import Doc, HybridEngine
from api.faq.service import build_engine

ROOT = Path(__file__).resolve().parent.parent


def load_beir(folder: Path) -> tuple[list[Doc], dict[str, str], dict[str, dict[str, int]]]:
    docs = []
    with open(folder / "corpus.jsonl", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                docs.append(Doc(str(row["_id"]), row.get("title") or "", tuple(row.get("alternatives") or ()),
                                row.get("text") or ""))
    queries = {}
    with open(folder / "queries.jsonl", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                queries[str(row["_id"])] = row["text"]
    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    with open(folder / "qrels" / "test.tsv", encoding="utf-8") as f:
        for i, line in enumerate(f):
            parts = line.rstrip("\n").split("\t")
            if i == 0 and not parts[-1].lstrip("-").isdigit():
                continue  # header
            if len(parts) >= 3:
                qrels[parts[0]][parts[1]] = int(parts[2])
    return docs, queries, dict(qrels)


def heldout_ids(folder: Path) -> set[str]:
    """The frozen held-out part of a question set (DIR/heldout.txt): nothing is fitted or tuned on it."""
    path = folder / "heldout.txt"
    return set(path.read_text(encoding="utf-8").split()) if path.exists() else set()


def is_heldout_phrasing(qid: str) -> bool:
    """A third of the entries, fixed by their id, lend their phrasings to the held-out part of the
    phrasing set (whole entries, so no phrasing of a held-out entry is fitted on)."""
    return zlib.crc32(qid.split("#", 1)[0].encode()) % 3 == 0


def split(queries: dict[str, str], heldout: set[str], phrasings: bool, keep_heldout: bool) -> dict[str, str]:
    """The held-out part of `queries` (keep_heldout) or the rest."""
    held = (lambda q: is_heldout_phrasing(q)) if phrasings else (lambda q: q in heldout)
    return {q: t for q, t in queries.items() if held(q) == keep_heldout}


def phrasing_set(docs: list[Doc]) -> tuple[list[Doc], dict[str, str], dict[str, dict[str, int]]]:
    """Entries without phrasings, and each phrasing as a question whose answer is its entry."""
    stripped = [Doc(d.id, d.question, (), d.answer) for d in docs]
    queries = {f"{d.id}#{i}": alt for d in docs for i, alt in enumerate(d.alternatives)}
    return stripped, queries, {qid: {qid.split("#", 1)[0]: 1} for qid in queries}


def ndcg(ranked: list[str], rel: dict[str, int], k: int) -> float:
    dcg = sum(rel.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted((g for g in rel.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def evaluate(engine: HybridEngine, queries: dict[str, str], qrels: dict[str, dict[str, int]], k: int = 10,
             run_depth: int = 100) -> tuple[dict, dict[str, list[tuple[str, float]]], dict[str, dict]]:
    per_query: dict[str, dict] = {}
    runs: dict[str, list[tuple[str, float]]] = {}
    latencies = []
    for qid, text in queries.items():
        t0 = time.perf_counter()
        result = engine.search(text, run_depth)
        latencies.append((time.perf_counter() - t0) * 1000)
        ranked = [h.id for h in result.hits]
        runs[qid] = [(h.id, h.score) for h in result.hits]
        rel = qrels.get(qid, {})
        relevant = {d for d, g in rel.items() if g > 0}
        first = next((i for i, d in enumerate(ranked[:k]) if d in relevant), None)
        per_query[qid] = {
            "answerable": bool(relevant), "zone": result.zone, "confidence": result.confidence,
            "top1_relevant": bool(ranked) and ranked[0] in relevant,
            "ndcg": ndcg(ranked, rel, k) if relevant else None,
            "recall": len(relevant & set(ranked[:k])) / len(relevant) if relevant else None,
            "mrr": (1.0 / (first + 1) if first is not None else 0.0) if relevant else None,
            "sr1": first == 0 if relevant else None,
            "sr5": first is not None and first < 5 if relevant else None,
            "sr3": first is not None and first < 3 if relevant else None,
        }
    answerable = [m for m in per_query.values() if m["answerable"]]
    oos = [m for m in per_query.values() if not m["answerable"]]

    def mean(key: str, rows=answerable) -> float:
        return round(sum(float(m[key]) for m in rows) / len(rows), 4) if rows else 0.0

    latencies.sort()
    metrics = {
        "queries": len(per_query), "answerable": len(answerable), "out_of_scope": len(oos),
        "ndcg@10": mean("ndcg"), "recall@10": mean("recall"), "mrr@10": mean("mrr"),
        "sr@1": mean("sr1"), "sr@3": mean("sr3"), "sr@5": mean("sr5"),
        "p50_ms": round(statistics.median(latencies), 2) if latencies else 0.0,
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 2) if latencies else 0.0,
    }
    if oos:
        in_answer = [m for m in per_query.values() if m["zone"] == "answer"]
        metrics.update({
            "zone_answer": round(len(in_answer) / len(per_query), 4),
            "zone_suggest": round(sum(m["zone"] == "suggest" for m in per_query.values()) / len(per_query), 4),
            "zone_none": round(sum(m["zone"] == "none" for m in per_query.values()) / len(per_query), 4),
            "answer_precision": round(sum(m["top1_relevant"] for m in in_answer) / len(in_answer), 4) if in_answer else 0.0,
            "oos_in_none": round(sum(m["zone"] == "none" for m in oos) / len(oos), 4),
            "answerable_in_none": round(sum(m["zone"] == "none" for m in answerable) / len(answerable), 4) if answerable else 0.0,
        })
    return metrics, runs, per_query


def write_run(path: Path, runs: dict[str, list[tuple[str, float]]], tag: str = "madoguchi") -> None:
    with open(path, "w", encoding="utf-8") as f:
        for qid, ranked in runs.items():
            for rank, (doc_id, score) in enumerate(ranked[:100], start=1):
                f.write(f"{qid} Q0 {doc_id} {rank} {score:.6f} {tag}\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir", type=Path)
    ap.add_argument("--json", action="store_true", help="print only the JSON line")
    ap.add_argument("--run", type=Path, help="also write a TREC run file (top 100 per query)")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--synonyms", type=Path, default=None,
                    help="the city's own synonyms folder (default: DIR/synonyms; the general ones always apply)")
    ap.add_argument("--cache", type=Path, default=None,
                    help="embedding cache file (default: none, so build_s includes embedding)")
    shape = ap.add_mutually_exclusive_group()
    shape.add_argument("--no-alternatives", action="store_true",
                       help="index question and answer only, as other cities' FAQs are")
    shape.add_argument("--phrasings", action="store_true",
                       help="ask each entry's alternative phrasings of the corpus without them")
    ap.add_argument("--heldout", action="store_true",
                    help="only the frozen held-out queries (DIR/heldout.txt; for --phrasings a third of the entries)")
    args = ap.parse_args(argv)

    docs, queries, qrels = load_beir(args.dir)
    if args.phrasings:
        docs, queries, qrels = phrasing_set(docs)
    elif args.no_alternatives:
        docs = [Doc(d.id, d.question, (), d.answer) for d in docs]
    if args.heldout:
        queries = split(queries, heldout_ids(args.dir), args.phrasings, keep_heldout=True)
    engine = build_engine(args.synonyms or args.dir / "synonyms", args.cache)
    t0 = time.perf_counter()
    engine.index(docs)
    build_s = time.perf_counter() - t0
    engine.search("warm-up", 1)
    metrics, runs, _ = evaluate(engine, queries, qrels, args.k)
    metrics = {"corpus": len(docs), **metrics, "build_s": round(build_s, 2)}
    if args.run:
        write_run(args.run, runs)
    if not args.json:
        width = max(len(key) for key in metrics)
        print(f"retrieval benchmark: {args.dir}")
        for key, value in metrics.items():
            print(f"  {key:<{width}}  {value}")
    print(json.dumps(metrics, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
