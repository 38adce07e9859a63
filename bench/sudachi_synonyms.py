"""Selects the groups of Sudachi's synonym dictionary that help FAQ search, measured.

    PYTHONPATH=. .venv/bin/python -m bench.sudachi_synonyms SOURCE [--out FILE] [--cache FILE]

SOURCE: Sudachi's synonyms.txt (SudachiDict src/main/text/synonyms.txt at the commit named in
api/faq/synonyms/sudachi/README.md, e.g. ../shared/resources/sudachi-synonyms/synonyms.txt; the
project ships only the groups kept, with the licence). Writes the kept groups to
api/faq/synonyms/sudachi.txt (one group a line, canonical first, as general.txt), which the api
loads with the general synonyms; the full report goes to stdout.

1. Candidates (FORMAT.md): only words that may trigger an expansion (展開制御フラグ 0 or empty;
   1 = never triggers, 2 = deleted/harmful, both skipped); no words of one character, no pure
   ASCII words, no kana-only words under three characters (they occur inside other words, as
   EXCLUDED's do: 初め in 初めて, which the measurement alone had kept), no words the project's synonyms (general.txt, faq_corpus/synonyms) already have. A group that
   shares a word with one of the project's groups joins that group (its canonical word); one that
   touches two of them is skipped. Otherwise the canonical word is the member the corpus texts
   (questions and answers of ひかり野市 and ことぶき川町) use most, else the dictionary's first.
   A group is a candidate only if one member occurs in a corpus and another in some question of
   the FITTED parts (the rest could change nothing measurable).
2. Selection, on the fitted parts only (held-out queries are never read until the final report):
   five shapes (our questions; the same of the corpus without phrasings; the phrasings asked of
   that corpus; the blind questions of that corpus; ことぶき川町's blind questions). Per query, the
   rank of the first relevant entry with general synonyms + candidates against general only. A
   changed query is attributed to the candidate groups whose words occur in it (or, when none
   does, in its relevant entries or its old or new first hit: a change from the corpus side). A
   group is dropped if any query attributed to it gets worse, or none gets better through a word
   of its own in the question; repeated until nothing changes.
3. Report: nDCG@10, SR@1, SR@5 per shape, fitted and held-out, general only against general +
   kept groups.
"""
from __future__ import annotations

import argparse
import csv
import datetime
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Callable

from api.faq.analysis import Analyzer, Synonyms
from api.faq.calibration import Calibration
from api.faq.dense import E5Embedder, EmbeddingCache
from api.faq.search import Doc, HybridEngine
from api.faq.service import GENERAL_SYNONYMS
from bench.retrieval import ROOT, evaluate, heldout_ids, load_beir, phrasing_set, split

OUT = GENERAL_SYNONYMS / "sudachi.txt"
CITY = ROOT / "faq_corpus" / "synonyms"
SOURCE_COMMIT = "2c7cbcf2914edaccab53a28ae0d3e4befb524053"
_ASCII = re.compile(r"^[\x00-\x7f]+$")
_KANA = re.compile(r"^[\u3041-\u3096\u30a1-\u30fcー]+$")
DEPTH = 100
# Words that occur inside other words (general.txt's rule; the replacement is on raw text):
EXCLUDED = {"初め": "初めて"}
_EMBEDDER: E5Embedder | None = None
CALIBRATION = Calibration.load()  # read once: every engine of a run ranks with the same re-ranker


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def read_groups(path: Path, keep_row: Callable[[list[str]], bool] | None = None) -> list[list[str]]:
    """[words] of each dictionary group that may be expanded, in the file's order; `keep_row`: a
    further condition on a row (bench/sudachi_gomi.py keeps nouns of some fields)."""
    groups: dict[str, list[str]] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.reader(f):
            if len(row) < 9 or not row[0].strip():
                continue
            flag = row[2].strip()
            if flag not in ("", "0") or (keep_row is not None and not keep_row(row)):
                continue
            word = nfkc(row[8]).strip()
            if word in EXCLUDED or len(word) < 2 or _ASCII.match(word) or (_KANA.match(word) and len(word) < 3):
                continue
            members = groups.setdefault(row[0].strip(), [])
            if word not in members:
                members.append(word)
    return [g for g in groups.values() if len(g) >= 2]


def read_lines(folder: Path) -> list[list[str]]:
    return [g for path in sorted(folder.glob("*.txt")) for g in read_lines_file(path)]


def candidates(groups: list[list[str]], corpus: str, questions: str, known: list[list[str]]) -> list[list[str]]:
    """Lines (canonical first) of the groups that could change something measurable."""
    canonical_of = {}
    for g in known:
        for w in g:
            canonical_of.setdefault(w, g[0])
    counts = Counter()
    out, taken = [], set()
    for group in groups:
        hit = {canonical_of[w] for w in group if w in canonical_of}
        if len(hit) > 1:
            continue
        members = [w for w in group if w not in canonical_of and w not in taken]
        if not members:
            continue
        if hit:
            canon = hit.pop()
            in_corpus = [canon] if canon in corpus else []
        else:
            in_corpus = [w for w in members if w in corpus]
            if not in_corpus:
                continue
            for w in in_corpus:
                counts[w] = counts[w] or corpus.count(w)
            canon = max(in_corpus, key=lambda w: counts[w])  # ties: the dictionary's order
        if not in_corpus and canon not in corpus:
            continue
        others = [w for w in members if w != canon]
        if not any(w in questions for w in others):
            continue  # no question uses another member: nothing to measure
        line = [canon, *others]
        out.append(line)
        taken.update(others)
        taken.add(canon)
    return out


def shapes(data: Path) -> list[tuple]:
    """(name, docs, city synonyms?, queries, qrels, phrasings?, held-out ids)."""
    docs, queries, qrels = load_beir(data / "hikarino")
    stripped, phrasings, phrasing_qrels = phrasing_set(docs)
    _, blind, blind_qrels = load_beir(data / "blind-hikarino")
    town_docs, town, town_qrels = load_beir(data / "kotobukigawa")
    ours, blind_held, town_held = (heldout_ids(data / n) for n in ("hikarino", "blind-hikarino", "kotobukigawa"))
    return [("hikarino", docs, True, queries, qrels, False, ours),
            ("hikarino no-alternatives", stripped, True, queries, qrels, False, ours),
            ("hikarino phrasings", stripped, True, phrasings, phrasing_qrels, True, ours),
            ("blind-hikarino no-alternatives", stripped, True, blind, blind_qrels, False, blind_held),
            ("kotobukigawa", town_docs, False, town, town_qrels, False, town_held)]


def engine(docs: list[Doc], city: bool, extra: list[list[str]], cache: Path) -> HybridEngine:
    """As build_engine: general.txt, then the Sudachi groups (sudachi.txt sorts after it), then the city's."""
    groups = read_lines_general() + extra + (read_lines(CITY) if city else [])
    global _EMBEDDER
    if _EMBEDDER is None:  # one model for every engine
        _EMBEDDER = E5Embedder()
    eng = HybridEngine(Analyzer(Synonyms(groups)), _EMBEDDER, EmbeddingCache(cache), calibration=CALIBRATION)
    eng.index(docs)
    return eng


def read_lines_general() -> list[list[str]]:
    return [g for path in sorted(GENERAL_SYNONYMS.glob("*.txt")) if path != OUT
            for g in read_lines_file(path)]


def read_lines_file(path: Path) -> list[list[str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append([nfkc(w).strip() for w in re.split(r"[,、，]", line) if w.strip()])
    return out


def ranks(eng: HybridEngine, queries: dict[str, str], qrels: dict) -> dict[str, tuple[int, str | None]]:
    """(rank of the first relevant entry, DEPTH + 1 if none; first hit) per answerable query."""
    out = {}
    for qid, text in queries.items():
        relevant = {d for d, g in qrels.get(qid, {}).items() if g > 0}
        if not relevant:
            continue
        hits = [h.id for h in eng.search(text, DEPTH).hits]
        first = next((i for i, d in enumerate(hits) if d in relevant), DEPTH)
        out[qid] = (first + 1, hits[0] if hits else None)
    return out


def words_in(text: str, lines: list[list[str]]) -> set[int]:
    text = nfkc(text)
    return {i for i, line in enumerate(lines) if any(w in text for w in line)}


def compare(lines: list[list[str]], kept: list[int], chosen: list[tuple], base: dict, cache: Path,
            only: set[int] | None = None) -> tuple[set[int], set[int], dict[int, dict]]:
    """Groups (indices into lines) with a query made better through their words, and with one made
    worse, comparing general + lines[kept] against general only. only: just the queries whose
    words touch these groups (a quick test of one group; the loop then checks every query)."""
    sub = [lines[i] for i in kept]
    worse, better = set(), set()
    evidence = {i: {"better": [], "worse": []} for i in kept}
    for name, docs, city, queries, qrels, ph, held in chosen:
        fitted = split(queries, held, ph, False)
        if only is not None:
            fitted = {q: t for q, t in fitted.items() if {kept[j] for j in words_in(t, sub)} & only}
            if not fitted:
                continue
        texts = {d.id: nfkc(f"{d.question}\n{d.answer}") for d in docs}
        eng = engine(docs, city, sub, cache)
        for qid, (rank, top) in ranks(eng, fitted, qrels).items():
            before, old_top = base[name][qid]
            if rank == before:
                continue
            in_query = words_in(fitted[qid], sub) | words_in(eng._restorer.restore(fitted[qid]), sub)
            touched = in_query
            if not touched:  # a change from the corpus side
                side = "\n".join(texts.get(d, "") for d in (*qrels[qid], old_top, top) if d)
                touched = words_in(side, sub)
            for j in touched:
                i = kept[j]
                if rank > before:
                    worse.add(i)
                    evidence[i]["worse"].append((name, qid, before, rank))
                elif j in in_query:
                    better.add(i)
                    evidence[i]["better"].append((name, qid, before, rank))
    return better, worse, evidence


def select(lines: list[list[str]], chosen: list[tuple], cache: Path) -> tuple[list[list[str]], dict]:
    """Drops every group with a loss or without a gain, until nothing changes; then each dropped group
    that had a gain is tried alone beside the kept ones (its own questions), and the loop runs again."""
    base = {}
    for name, docs, city, queries, qrels, ph, held in chosen:
        eng = engine(docs, city, [], cache)
        base[name] = ranks(eng, split(queries, held, ph, False), qrels)
    kept = list(range(len(lines)))
    gained: set[int] = set()
    evidence: dict[int, dict] = {}
    retried = False
    for round_ in range(12):
        better, worse, evidence = compare(lines, kept, chosen, base, cache)
        gained |= better
        new = [i for i in kept if i in better and i not in worse]
        print(f"round {round_ + 1}: {len(kept)} groups, {len(better)} with a gain, {len(worse)} with a loss → {len(new)}",
              flush=True)
        if new == kept:
            if retried:
                break
            retried = True
            for i in sorted(gained - set(kept)):
                trial = sorted(new + [i])
                b, w, _ = compare(lines, trial, chosen, base, cache, only={i})
                if i in b and i not in w:
                    new = trial
                    print(f"  retried alone: {', '.join(lines[i][:3])} … kept", flush=True)
        kept = new
    return [lines[i] for i in kept], {tuple(lines[i]): evidence.get(i) for i in kept}


def figures(eng: HybridEngine, queries: dict[str, str], qrels: dict) -> dict:
    metrics, _, _ = evaluate(eng, queries, qrels)
    return {k: metrics[k] for k in ("answerable", "ndcg@10", "sr@1", "sr@5")}


def report(kept: list[list[str]], chosen: list[tuple], cache: Path, parts=("fitted", "held-out")) -> None:
    for name, docs, city, queries, qrels, ph, held in chosen:
        before, after = engine(docs, city, [], cache), engine(docs, city, kept, cache)
        for part in parts:
            q = split(queries, held, ph, part == "held-out")
            print(f"  {name} [{part}]: general {figures(before, q, qrels)} → + sudachi {figures(after, q, qrels)}",
                  flush=True)


def write(path: Path, kept: list[list[str]], considered: int, source_groups: int) -> None:
    header = f"""# Sudachi 同義語辞書から選んだグループ（自動生成: PYTHONPATH=. .venv/bin/python -m bench.sudachi_synonyms）
# 出典: SudachiDict src/main/text/synonyms.txt (WorksApplications/SudachiDict, commit {SOURCE_COMMIT}),
# Apache License 2.0。ライセンス・出典・変更点は api/faq/synonyms/sudachi/ にあります。
# 選び方（bench/sudachi_synonyms.py の docstring）: 展開に使える語（展開制御フラグ 0）だけ、1文字・ASCII・
# 2文字以下のかなの語、ほかの語の一部になる語（初め → 初めて）と既存の同義語にある語を除き、一語が bench/data の二つのベンチマーク用コーパスに、別の一語が
# 学習用の質問（heldout.txt 以外）に出るグループ {considered} 件（辞書の展開可能なグループ {source_groups} 件中）を
# 候補とし、5つの質問セットの学習用部分で、かかわる質問が1つも悪化せず1つ以上改善したものだけを残した。
# 先頭が正規形（コーパスで使われている語）。手で編集せず、辞書や質問セットが変わったら再生成すること。
# 生成日: {datetime.date.today().isoformat()}
"""
    body = "".join(", ".join(line) + "\n" for line in kept)
    path.write_text(header + "\n" + body, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", type=Path, help="Sudachi's synonyms.txt")
    ap.add_argument("--data", type=Path, default=ROOT / "bench" / "data")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--cache", type=Path, default=ROOT / "var" / "cache" / "embeddings.sqlite")
    ap.add_argument("--candidates", action="store_true", help="only list the candidates")
    ap.add_argument("--no-heldout", action="store_true", help="report the fitted parts only")
    args = ap.parse_args(argv)

    groups = read_groups(args.source)
    chosen = shapes(args.data)
    corpus = "\n".join(nfkc(f"{d.question}\n{d.answer}") for name in ("hikarino", "kotobukigawa")
                       for d in load_beir(args.data / name)[0])
    questions = "\n".join(nfkc(t) for _, _, _, q, _, ph, held in chosen for t in split(q, held, ph, False).values())
    known = read_lines_general() + read_lines(CITY)
    lines = candidates(groups, corpus, questions, known)
    print(f"{len(groups)} expandable groups, {len(lines)} candidates", flush=True)
    if args.candidates:
        for line in lines:
            print(", ".join(line))
        return 0
    kept, evidence = select(lines, chosen, args.cache)
    print(f"kept {len(kept)} of {len(lines)}:")
    for line in kept:
        ev = evidence[tuple(line)]
        print(f"  {', '.join(line)}   better {len(ev['better'])}: {ev['better'][:3]}")
    write(args.out, kept, len(lines), len(groups))
    report(kept, chosen, args.cache, ("fitted",) if args.no_heldout else ("fitted", "held-out"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
