"""Builds the BEIR files of our own question set from faq_corpus/ and src/questions_*.yml.

    .venv/bin/python -m bench.build_hikarino

corpus.jsonl: one line per FAQ (title = question, text = answer; the alternative
phrasings are kept under "alternatives" for engines that use them — BEIR readers
ignore extra keys). queries.jsonl and qrels/test.tsv from the question files;
out-of-scope questions are in queries.jsonl with no qrels line.
"""
from __future__ import annotations

import json
from pathlib import Path

import yaml

from api.faq.corpus import load_corpus

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "data" / "hikarino"


def main() -> None:
    entries = load_corpus(ROOT / "faq_corpus")
    ids = {e.id for e in entries}
    with open(OUT / "corpus.jsonl", "w", encoding="utf-8") as f:
        for e in entries:
            row = {"_id": e.id, "title": e.question, "text": e.answer, "alternatives": e.alternatives}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    queries, qrels, seen = [], [], set()
    for path in sorted((OUT / "src").glob("questions_*.yml")):
        prefix = path.stem.split("_", 1)[1]
        for i, item in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")) or []):
            text = str(item["q"]).strip()
            if text in seen:
                continue
            seen.add(text)
            qid = f"{prefix}{i + 1:03d}"
            queries.append({"_id": qid, "text": text, "style": item.get("style", "")})
            for doc_id, grade in (item.get("relevant") or {}).items():
                if doc_id not in ids:
                    raise SystemExit(f"{path.name}: {text!r}: unknown FAQ id {doc_id}")
                qrels.append((qid, doc_id, int(grade)))
    with open(OUT / "queries.jsonl", "w", encoding="utf-8") as f:
        for q in queries:
            f.write(json.dumps(q, ensure_ascii=False) + "\n")
    (OUT / "qrels").mkdir(exist_ok=True)
    with open(OUT / "qrels" / "test.tsv", "w", encoding="utf-8") as f:
        f.write("query-id\tcorpus-id\tscore\n")
        for qid, doc_id, grade in qrels:
            f.write(f"{qid}\t{doc_id}\t{grade}\n")
    answerable = len({q for q, _, _ in qrels})
    print(f"{len(entries)} FAQs, {len(queries)} questions ({answerable} answerable, {len(queries) - answerable} out of scope)")


if __name__ == "__main__":
    main()
