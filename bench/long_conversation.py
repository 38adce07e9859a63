"""One long conversation: does a reply slow down as the conversation grows?

    .venv/bin/python -m bench.long_conversation --url http://127.0.0.1:8000 [--turns 200] [--json]

One sender asks --turns questions of our resident set (bench/data/hikarino/queries.jsonl) one
after another, each after the previous reply, and the medians of the first 20 and the last 20
turns are compared (issue 12's target: the last within 10 % of the first). Run it on an idle
madoguchi with the per-client limits raised (MADOGUCHI_RATE_CHAT=100000/minute).
"""
from __future__ import annotations

import argparse
import json
import statistics
import time

import httpx

from bench.load import QUESTIONS


def run(url: str, turns: int, window: int = 20) -> dict:
    with open(QUESTIONS, encoding="utf-8") as f:
        questions = [json.loads(line)["text"] for line in f if line.strip()]
    latencies, sender = [], None
    with httpx.Client(base_url=url, timeout=60) as client:
        for i in range(turns):
            body = {"text": questions[i % len(questions)]} | ({"sender": sender} if sender else {})
            started = time.perf_counter()
            r = client.post("/api/chat", json=body)
            latencies.append(time.perf_counter() - started)
            r.raise_for_status()
            sender = r.json()["sender"]
    first = statistics.median(latencies[:window])
    last = statistics.median(latencies[-window:])
    return {"turns": turns, "first_median_ms": round(1000 * first, 1), "last_median_ms": round(1000 * last, 1),
            "growth_pct": round(100 * (last - first) / first, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--url", default="http://127.0.0.1:8000")
    ap.add_argument("--turns", type=int, default=200)
    ap.add_argument("--json", action="store_true", help="print only the JSON line")
    args = ap.parse_args()
    result = run(args.url.rstrip("/"), args.turns)
    if not args.json:
        print(f"one conversation of {result['turns']} turns: median {result['first_median_ms']} ms over the first 20,"
              f" {result['last_median_ms']} ms over the last 20 ({result['growth_pct']:+} %)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
