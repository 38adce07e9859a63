"""End-to-end chat latency and service memory, against a running madoguchi.

    .venv/bin/python -m bench.chat [--url http://127.0.0.1:8000] [--var var] [--rounds 5] [--json]

Sends the FAQ questions below (each from a new sender) through /api/chat, reports the
median and p95 latency in ms, and the peak resident memory (VmHWM) of the api, Rasa
server and action server read from /proc using the pids the supervisor wrote to var/run/.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import httpx

QUESTIONS = [
    "住民票の写しはどこで取れますか",
    "粗大ごみを出したいです",
    "マイナンバーカードをなくしました",
    "保育園に入りたい",
    "児童手当はいつ振り込まれますか",
    "転出届はいつまでに出せばいいですか",
    "犬を飼い始めたら何をすればいいですか",
    "市役所は土曜日も開いていますか",
]


def peak_memory_mb(var: Path) -> dict:
    out = {}
    for pidfile in sorted((var / "run").glob("*.pid")):
        try:
            status = Path(f"/proc/{pidfile.read_text().strip()}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                out[pidfile.stem] = round(int(line.split()[1]) / 1024, 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:8000")
    ap.add_argument("--var", default="var")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    times = []
    with httpx.Client(base_url=args.url, timeout=60) as http:
        http.post("/api/chat", json={"text": "こんにちは"})  # warm-up
        for _ in range(args.rounds):
            for q in QUESTIONS:
                t0 = time.perf_counter()
                r = http.post("/api/chat", json={"text": q})
                times.append((time.perf_counter() - t0) * 1000)
                r.raise_for_status()
    times.sort()
    result = {
        "requests": len(times),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        "peak_rss_mb": peak_memory_mb(Path(args.var)),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"requests {result['requests']}  median {result['p50_ms']} ms  p95 {result['p95_ms']} ms")
        for name, mb in result["peak_rss_mb"].items():
            print(f"  peak RSS {name:8s} {mb:8.1f} MB")
        print(json.dumps(result))


if __name__ == "__main__":
    main()
