"""A large synthetic BEIR corpus for latency and memory at size (not for quality).

    .venv/bin/python -m bench.synthetic N OUT_DIR [--from bench/data/hikarino]

Repeats the source corpus until it has N entries (ids suffixed "~2", "~3"…; texts kept,
so embeddings come from the cache after the first copy) and keeps the source queries
and qrels. The ranking metrics on it mean nothing (copies tie with their originals);
query latency and build time at size do.
"""
from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from bench.retrieval import ROOT


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--source", type=Path, default=ROOT / "bench" / "data" / "hikarino")
    args = ap.parse_args()
    rows = [json.loads(line) for line in open(args.source / "corpus.jsonl", encoding="utf-8") if line.strip()]
    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "corpus.jsonl", "w", encoding="utf-8") as f:
        for i in range(args.n):
            row = dict(rows[i % len(rows)])
            copy = i // len(rows)
            if copy:
                row["_id"] = f"{row['_id']}~{copy + 1}"
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    shutil.copy(args.source / "queries.jsonl", args.out / "queries.jsonl")
    (args.out / "qrels").mkdir(exist_ok=True)
    shutil.copy(args.source / "qrels" / "test.tsv", args.out / "qrels" / "test.tsv")
    print(f"{args.n} entries → {args.out}")


if __name__ == "__main__":
    main()
