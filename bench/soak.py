"""A long run at a steady rate: do memory and latency stay flat? (issue 12; not run in CI)

    .venv/bin/python -m bench.soak --url http://127.0.0.1:8000 --rate 10 --minutes 30 [--var var] [--json]

bench.load's open-loop traffic (3-turn conversations of our resident questions, fresh senders),
one window a minute: for each window the p50/p95 latency, errors, and the resident memory (RSS)
of every process whose pid the supervisor wrote to <var>/run/. At the end, each process's
memory and the p95 of the last five windows against the first five (after one warm-up window).
Start madoguchi with the per-client limits raised (bench.load's docstring).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
from pathlib import Path

from bench.load import QUESTIONS, ROOT, run


def rss_mb(var: Path) -> dict[str, float]:
    out = {}
    for pidfile in sorted((var / "run").glob("*.pid")):
        try:
            status = Path(f"/proc/{pidfile.read_text().strip()}/status").read_text()
        except (OSError, ValueError):
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                out[pidfile.stem] = round(int(line.split()[1]) / 1024, 1)
    return out


def soak(url: str, rate: float, minutes: int, var: Path) -> dict:
    with open(QUESTIONS, encoding="utf-8") as f:
        questions = [json.loads(line)["text"] for line in f if line.strip()]
    windows = []
    for minute in range(minutes):
        result = asyncio.run(run(url, rate, 60, 3, questions, seed=minute))
        windows.append({"minute": minute + 1, "p50_ms": result["p50_ms"], "p95_ms": result["p95_ms"],
                        "errors": result["errors"], "achieved_per_s": result["achieved_per_s"], "rss_mb": rss_mb(var)})
        print(json.dumps(windows[-1], ensure_ascii=False), flush=True)
    steady = windows[1:]
    head, tail = steady[:5], steady[-5:]
    summary = {
        "rate": rate, "minutes": minutes, "errors": sum(w["errors"] for w in windows),
        "p95_first_ms": statistics.median(w["p95_ms"] for w in head),
        "p95_last_ms": statistics.median(w["p95_ms"] for w in tail),
        "rss_first_mb": head[0]["rss_mb"], "rss_last_mb": tail[-1]["rss_mb"],
    }
    return {"summary": summary, "windows": windows}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--url", default="http://127.0.0.1:8000")
    ap.add_argument("--rate", type=float, default=10)
    ap.add_argument("--minutes", type=int, default=30)
    ap.add_argument("--var", type=Path, default=ROOT / "var", help="the running madoguchi's var dir (pids)")
    ap.add_argument("--json", action="store_true", help="print only the JSON lines")
    args = ap.parse_args()
    if args.minutes < 7:
        ap.error("--minutes: at least 7 (a warm-up minute, then five to compare at each end)")
    result = soak(args.url.rstrip("/"), args.rate, args.minutes, args.var)
    s = result["summary"]
    if not args.json:
        print(f"{s['minutes']} min at {s['rate']:g} msg/s: {s['errors']} errors; p95 {s['p95_first_ms']} ms "
              f"(minutes 2-6) → {s['p95_last_ms']} ms (last 5)")
        for name, first in s["rss_first_mb"].items():
            print(f"  RSS {name}: {first} → {s['rss_last_mb'].get(name)} MB")
    print(json.dumps(result["summary"], ensure_ascii=False))


if __name__ == "__main__":
    main()
