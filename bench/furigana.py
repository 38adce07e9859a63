"""ふりがな cost per bot message: every answer of a corpus (the longest texts the bot sends) read
into segments once (cache miss: the analyser runs) and again (cache hit).

    .venv/bin/python -m bench.furigana [CORPUS_DIR] [--json]

Reports p50/p95/max milliseconds per message for both (each message's least of --runs runs, each
run on a fresh cache, so that other work on a shared machine counts as little as it can), the
answers' length and how many segments carry a reading. One thread, as one request of the api.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from api.config import ROOT
from api.faq.analysis import Analyzer
from api.faq.corpus import load_corpus
from api.furigana import Furigana, WordList
from api.furigana.wordlist import GENERAL


def timed(furigana: Furigana, texts: list[str]) -> list[float]:
    out = []
    for text in texts:
        started = time.perf_counter()
        furigana.segments(text)
        out.append((time.perf_counter() - started) * 1000)
    return out


def least(runs: list[list[float]]) -> list[float]:
    return [min(times) for times in zip(*runs)]


def summary(ms: list[float]) -> dict:
    q = statistics.quantiles(ms, n=20)
    return {"p50_ms": round(statistics.median(ms), 3), "p95_ms": round(q[-1], 3), "max_ms": round(max(ms), 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=ROOT / "faq_corpus")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    texts = [e.answer for e in load_corpus(args.corpus)]
    analyzer = Analyzer()
    analyzer.morphemes("準備")  # the tagger's dictionary is loaded once per thread, not per message
    words = WordList.load(GENERAL, args.corpus / "readings")
    miss, hit = [], []
    for _ in range(max(1, args.runs)):
        furigana = Furigana(analyzer, words)
        miss.append(timed(furigana, texts))
        hit.append(timed(furigana, texts))
    miss, hit = least(miss), least(hit)
    segments = [furigana.segments(t) for t in texts]
    result = {"messages": len(texts), "chars_p50": int(statistics.median(len(t) for t in texts)),
              "chars_max": max(len(t) for t in texts),
              "readings_per_message": round(statistics.mean(sum(1 for _, r in s if r) for s in segments), 1),
              "first": summary(miss), "cached": summary(hit)}
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    print(f"{result['messages']} answers, {result['chars_p50']} characters (median, max {result['chars_max']}), "
          f"{result['readings_per_message']} readings each on average")
    for name in ("first", "cached"):
        s = result[name]
        print(f"  {name:7} p50 {s['p50_ms']} ms  p95 {s['p95_ms']} ms  max {s['max_ms']} ms")


if __name__ == "__main__":
    main()
