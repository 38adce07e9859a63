"""How long the api takes to start with a real city's FAQ, the first time and later.

    .venv/bin/python -m bench.startup [--entries 2000] [--repeat 1] [--no-api] [--json] [--keep DIR]

Builds a corpus of --entries FAQs in the shape of a real city's export (question and
answer only, no alternative phrasings): ことぶき川町's 199 entries, written in a real
town's style, and ひかり野市's 249 without their phrasings, taken in turn and repeated.
Every copy after the first is varied so that none of its texts (question or answer
chunk) is one the engine has seen: another town's name in place of the town's, each
digit shifted by the copy's number, and the town's name before the question. Lengths
stay as they were, so the embedding work is that of a corpus of this size.

Then it times, each from an empty temporary embedding cache (nothing comes from
var/cache):
- engine, first start: `HybridEngine.index` of the corpus with the cache empty
  (embedding every unit), --repeat times (the median is reported);
- engine, later start: the same with the cache filled (analysis, cache reads, index);
- api, first and later start (unless --no-api): uvicorn serving `api.main:app` as
  scripts/run.py starts it, with MADOGUCHI_CORPUS a folder of YAML files of the corpus
  and MADOGUCHI_VAR a fresh directory, from launch until /healthz answers; the first
  time with an empty database and cache, then again on the same directory. The api's
  log of the first start is kept (--keep) and its progress lines are counted.
Also reported: units embedded (questions and answer chunks), distinct unit texts, and
tokens per unit (as the model reads them), and the machine's load average.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from itertools import chain, zip_longest
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {"k": ROOT / "bench" / "data" / "kotobukigawa", "h": ROOT / "bench" / "data" / "hikarino"}
# the source towns' names, longest first, and fictional names of other towns for the copies
TOWN_NAMES = ("ことぶき川町", "ひかり野市", "ことぶき川", "ひかり野")
OTHER_TOWNS = ("みどり台町", "さくら坂市", "あおば川町", "はなみ野市", "つばき沢町", "もみじ平市", "すずらん町",
               "かすみ浦市", "ひばり丘町", "なぎさ浜市", "やまぶき町", "しらかば市")


def _source_rows() -> list[tuple[str, dict]]:
    """(source key, row) of both source corpora, taken in turn, so any prefix has both styles."""
    per_source = []
    for key, folder in SOURCES.items():
        with open(folder / "corpus.jsonl", encoding="utf-8") as f:
            per_source.append([(key, json.loads(line)) for line in f if line.strip()])
    return [pair for pair in chain.from_iterable(zip_longest(*per_source)) if pair is not None]


def _varied(text: str, copy: int) -> str:
    """`text` as copy number `copy` (0: unchanged) writes it: another town, other numbers."""
    if copy == 0:
        return text
    town = OTHER_TOWNS[(copy - 1) % len(OTHER_TOWNS)]
    for name in TOWN_NAMES:
        text = text.replace(name, town if name[-1] in "町市" else town[:-1])
    shift = 1 + (copy - 1) // len(OTHER_TOWNS)
    return "".join(str((int(ch) + shift) % 10) if "0" <= ch <= "9" else ch for ch in text)


def city_corpus(n: int) -> list[dict]:
    """n entries {id, category, question, answer}, every copy's texts distinct (module doc)."""
    rows = _source_rows()
    out = []
    for i in range(n):
        key, row = rows[i % len(rows)]
        copy = i // len(rows)
        question = _varied(row["title"], copy)
        if copy and not any(town in question for town in OTHER_TOWNS):
            question = f"{OTHER_TOWNS[(copy - 1) % len(OTHER_TOWNS)]}の{question}"
        out.append({"id": f"{key}-{row['_id']}-{copy + 1}", "category": row.get("category") or "その他",
                    "question": question, "answer": _varied(row["text"], copy)})
    return out


def write_yaml(entries: list[dict], folder: Path, per_file: int = 250) -> None:
    """The corpus as a city hands it over: YAML files of `entries:` (MADOGUCHI_CORPUS)."""
    folder.mkdir(parents=True, exist_ok=True)
    for start in range(0, len(entries), per_file):
        part = [{k: e[k] for k in ("id", "question", "answer", "category")} for e in entries[start:start + per_file]]
        with open(folder / f"faq-{start // per_file + 1:03d}.yml", "w", encoding="utf-8") as f:
            yaml.safe_dump({"entries": part}, f, allow_unicode=True, sort_keys=False, width=1000)


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# -- the engine alone ----------------------------------------------------------------------
def time_engine(entries: list[dict], synonyms: Path, work: Path, repeat: int) -> dict:
    from api.faq.dense import EmbeddingCache
    from api.faq.search import Doc, HybridEngine
    from api.faq.service import build_engine

    docs = [Doc(e["id"], e["question"], (), e["answer"]) for e in entries]
    t0 = time.perf_counter()
    engine = build_engine(synonyms, None)
    load_s = time.perf_counter() - t0
    units = [text for doc in docs for text, _ in engine._dense_units(doc)]
    first, first_cpu, cache = [], [], None
    for run in range(repeat):
        cache = EmbeddingCache(work / f"embeddings-{run}.sqlite")
        fresh = HybridEngine(engine.analyzer, engine.embedder, cache, engine.params, engine.calibration)
        t0, c0 = time.perf_counter(), time.process_time()
        fresh.index(docs)
        first.append(time.perf_counter() - t0)
        first_cpu.append(time.process_time() - c0)
    later = []
    for _ in range(max(repeat, 3)):  # cheap: always a few
        fresh = HybridEngine(engine.analyzer, engine.embedder, EmbeddingCache(cache.path), engine.params,
                             engine.calibration)
        t0 = time.perf_counter()
        fresh.index(docs)
        later.append(time.perf_counter() - t0)
    tokens = sorted(engine.embedder._encoder.token_count(t, False) for t in units)
    return {
        "encoder_load_s": round(load_s, 2),
        "engine_first_s": round(statistics.median(first), 1), "engine_first_runs_s": [round(x, 1) for x in first],
        # CPU seconds of all the process's threads: on a loaded machine the wall time says more
        # about the other jobs; CPU seconds / cores is what an idle machine of these cores takes.
        "engine_first_cpu_s": round(statistics.median(first_cpu), 1),
        "engine_later_s": round(statistics.median(later), 1), "engine_later_runs_s": [round(x, 1) for x in later],
        "units": len(units), "distinct_units": len(set(units)), "units_per_entry": round(len(units) / len(docs), 2),
        "tokens_per_unit_mean": round(statistics.mean(tokens), 1), "tokens_per_unit_median": statistics.median(tokens),
        "tokens_per_unit_p90": tokens[int(0.9 * (len(tokens) - 1))], "tokens": sum(tokens),
        "units_per_s": round(len(set(units)) / statistics.median(first), 1),
    }


# -- the whole api -------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_api(var: Path, corpus: Path, log_path: Path, timeout_s: float = 1800) -> float:
    """Seconds from launching the api (uvicorn, as scripts/run.py does) until /healthz answers."""
    port = _free_port()
    env = {**os.environ, "MADOGUCHI_VAR": str(var), "MADOGUCHI_CORPUS": str(corpus), "PYTHONPATH": str(ROOT),
           "MADOGUCHI_RASA_URL": "http://127.0.0.1:9", "MADOGUCHI_ACTIONS_URL": "http://127.0.0.1:9",
           "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "1")}
    env.pop("MADOGUCHI_EMBED_CACHE", None)  # the cache under the fresh var/: empty on the first start
    command = [sys.executable, "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1",
               "--port", str(port), "--no-access-log"]
    with open(log_path, "ab") as log:
        t0 = time.perf_counter()
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
        try:
            while time.perf_counter() - t0 < timeout_s:
                if proc.poll() is not None:
                    raise RuntimeError(f"the api exited with {proc.returncode}; see {log_path}")
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
                    return time.perf_counter() - t0
                except urllib.error.HTTPError:  # 503: Rasa is not running here, but the api is up
                    return time.perf_counter() - t0
                except OSError:
                    time.sleep(0.2)
            raise RuntimeError(f"the api did not answer within {timeout_s} s; see {log_path}")
        finally:  # the api ignores SIGTERM while its start-up code runs
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def time_api(entries: list[dict], work: Path) -> dict:
    corpus, var = work / "corpus", work / "var"
    write_yaml(entries, corpus)
    first_log, later_log = work / "api-first.log", work / "api-later.log"
    first = start_api(var, corpus, first_log)
    later = start_api(var, corpus, later_log)
    progress = [line for line in first_log.read_text(encoding="utf-8", errors="replace").splitlines()
                if "embedding" in line]
    return {"api_first_s": round(first, 1), "api_later_s": round(later, 1), "api_progress_lines": len(progress),
            "api_log_sample": progress[:2] + progress[-1:]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entries", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=1, help="first-start engine builds to take the median of")
    ap.add_argument("--no-api", action="store_true", help="time the engine only, not the api's start-up")
    ap.add_argument("--json", action="store_true", help="print only the JSON line")
    ap.add_argument("--keep", type=Path, help="work in this (new) directory and keep it (corpus, caches, api logs)")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="madoguchi-bench-startup-"))
    work.mkdir(parents=True, exist_ok=True)
    entries = city_corpus(args.entries)
    summary = {"entries": args.entries, "cores": os.cpu_count(), "load_before": load_average()}
    # the api reads the city's synonyms next to its corpus: a city that has none has none here too
    summary.update(time_engine(entries, work / "corpus" / "synonyms", work, args.repeat))
    (work / "summary.json").write_text(json.dumps(summary, ensure_ascii=False))  # kept (--keep) if the api part fails
    if not args.no_api:
        summary.update(time_api(entries, work))
    summary["load_after"] = load_average()
    if not args.json:
        s = summary
        print(f"{s['entries']} entries (no phrasings), {s['units']} units ({s['distinct_units']} distinct, "
              f"{s['units_per_entry']} an entry), tokens a unit: mean {s['tokens_per_unit_mean']}, "
              f"median {s['tokens_per_unit_median']}, p90 {s['tokens_per_unit_p90']}; {s['cores']} cores, "
              f"load {s['load_before']} → {s['load_after']}")
        print(f"{'start':44s} {'seconds':>8s}")
        rows = [("encoder load", s["encoder_load_s"]),
                (f"engine, first (empty cache, median of {args.repeat})", s["engine_first_s"]),
                ("engine, first: CPU seconds of all threads", s["engine_first_cpu_s"]),
                ("engine, later (filled cache, median of 3)", s["engine_later_s"])]
        if not args.no_api:
            rows += [("api, first (until /healthz)", s["api_first_s"]), ("api, later (until /healthz)", s["api_later_s"])]
        for name, value in rows:
            print(f"{name:44s} {value:8.1f}")
        print(f"embedding rate (first start): {s['units_per_s']} units/s")
        if not args.no_api:
            print(f"progress lines in the api's log (first start): {s['api_progress_lines']}")
            for line in s["api_log_sample"]:
                print(f"  {line}")
    print(json.dumps(summary, ensure_ascii=False))
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
