"""Builds the BEIR folders of the questions written blind (bench/data/blind/questions.yml, by a
writer who never saw either corpus) against each corpus they were labelled for:

    .venv/bin/python -m bench.build_blind

- bench/data/kotobukigawa/: ことぶき川町's FAQ (corpus/*.yaml, a real town's export shape: no
  phrasings, optional fields missing) with labels_kotobukigawa.yml;
- bench/data/blind-hikarino/: our demo corpus (faq_corpus/) with labels_hikarino.yml.

queries.jsonl keeps every message with its `kind` (question, oos, greet, emergency, status …:
bench.dialogue checks that non-questions get their own reply); qrels/test.tsv has the labels.
heldout.txt: half of the ids, drawn once with a fixed seed; nothing is fitted or tuned on them.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

import yaml

from api.faq.corpus import load_corpus

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
HELDOUT_SEED = 20261204


def blind_queries() -> list[dict]:
    items = yaml.safe_load((DATA / "blind" / "questions.yml").read_text(encoding="utf-8"))
    return [{"_id": f"b{i:03d}", "text": str(item["q"]).strip(), "style": item.get("style", ""),
             "kind": item.get("kind", "question")} for i, item in enumerate(items, start=1)]


def town_corpus() -> list[dict]:
    rows = []
    for path in sorted((DATA / "kotobukigawa" / "corpus").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for entry in data.get("entries") or []:
            rows.append({"_id": entry["id"], "title": entry["question"], "text": entry["answer"],
                         "category": data.get("category", "")})
    return rows


def demo_corpus() -> list[dict]:
    return [{"_id": e.id, "title": e.question, "text": e.answer, "alternatives": e.alternatives}
            for e in load_corpus(ROOT / "faq_corpus")]


def write(folder: Path, corpus: list[dict], queries: list[dict], labels_file: Path) -> None:
    labels = {row["id"]: row.get("relevant") or {}
              for row in yaml.safe_load(labels_file.read_text(encoding="utf-8"))}
    ids = {row["_id"] for row in corpus}
    (folder / "qrels").mkdir(parents=True, exist_ok=True)
    with open(folder / "corpus.jsonl", "w", encoding="utf-8") as f:
        for row in corpus:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    with open(folder / "queries.jsonl", "w", encoding="utf-8") as f:
        for row in queries:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    with open(folder / "qrels" / "test.tsv", "w", encoding="utf-8") as f:
        f.write("query-id\tcorpus-id\tscore\n")
        for row in queries:
            for doc_id, grade in (labels.get(row["_id"]) or {}).items():
                if doc_id not in ids:
                    raise ValueError(f"{labels_file.name}: {row['_id']} names unknown entry {doc_id}")
                f.write(f"{row['_id']}\t{doc_id}\t{int(grade)}\n")
    all_ids = [row["_id"] for row in queries]
    held = sorted(random.Random(HELDOUT_SEED).sample(all_ids, len(all_ids) // 2))
    (folder / "heldout.txt").write_text("\n".join(held) + "\n", encoding="utf-8")
    print(f"{folder.relative_to(ROOT)}: {len(corpus)} entries, {len(queries)} queries, "
          f"{sum(1 for q in queries if labels.get(q['_id']))} with labels, {len(held)} held out")


def main() -> None:
    queries = blind_queries()
    write(DATA / "kotobukigawa", town_corpus(), queries, DATA / "blind" / "labels_kotobukigawa.yml")
    write(DATA / "blind-hikarino", demo_corpus(), queries, DATA / "blind" / "labels_hikarino.yml")


if __name__ == "__main__":
    main()
