"""Many residents at once: an open-loop load of multi-turn conversations against a running madoguchi.

    .venv/bin/python -m bench.load --url http://127.0.0.1:8000 --rate 10 --seconds 60 [--var var]
                                   [--turns 3] [--json] [--seed 0]

Open loop: messages arrive at --rate a second whatever the replies take (a slow service is not
given time to catch up, as residents do not wait for each other). Each arrival is the next turn
of a conversation whose previous reply has come (residents read before they type), or the first
turn of a new conversation (a fresh sender) when none is ready; a conversation has --turns turns,
questions of our resident set (bench/data/hikarino/queries.jsonl) drawn at random.

A message whose connection failed before any answer (refused, reset, closed: an api process
that died) is sent once more after 0.7 s, as the widget does (api/static/widget.js); such
retries are counted, and their latency includes the pause.

Reported: p50/p95/p99 latency of the replies, errors (HTTP status other than 200, timeouts),
the rate achieved (replies a second over the run), and the CPU time of each service per message,
read from /proc for the pids the supervisor wrote to <var>/run/ (scripts/run.py). Start
madoguchi with the per-client limits raised (one address sends everything here):
MADOGUCHI_RATE_CHAT=100000/minute MADOGUCHI_RATE_CHAT_ALL=100000/minute make run.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "bench" / "data" / "hikarino" / "queries.jsonl"
_TICKS = os.sysconf("SC_CLK_TCK")
WIDGET_RETRY_S = 0.7  # api/static/widget.js RETRY_AFTER_MS


def cpu_seconds(var: Path) -> dict[str, float]:
    """CPU seconds (user + system) so far of each service whose pid the supervisor wrote."""
    out = {}
    for pidfile in sorted((var / "run").glob("*.pid")):
        try:
            stat = Path(f"/proc/{pidfile.read_text().strip()}/stat").read_text()
        except (OSError, ValueError):
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
        out[pidfile.stem] = (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


class Conversation:
    def __init__(self, turns: list[str]):
        self.turns, self.sender = turns, None


async def run(url: str, rate: float, seconds: float, turns: int, questions: list[str], seed: int,
              timeout_s: float = 30.0) -> dict:
    rng = random.Random(seed)
    latencies, errors, kinds, retried = [], 0, {}, 0
    ready: list[Conversation] = []
    tasks = []
    limits = httpx.Limits(max_connections=1000, max_keepalive_connections=100)
    async with httpx.AsyncClient(base_url=url, timeout=timeout_s, limits=limits) as client:

        async def post(body: dict) -> httpx.Response:
            nonlocal retried
            try:
                return await client.post("/api/chat", json=body)
            except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
                retried += 1  # the widget's one retry
                await asyncio.sleep(WIDGET_RETRY_S)
                return await client.post("/api/chat", json=body)

        async def turn(conv: Conversation) -> None:
            nonlocal errors
            body = {"text": conv.turns.pop(0)} | ({"sender": conv.sender} if conv.sender else {})
            started = time.perf_counter()
            try:
                r = await post(body)
                ok = r.status_code == 200
                if ok:
                    conv.sender = r.json().get("sender", conv.sender)
                else:
                    kinds[str(r.status_code)] = kinds.get(str(r.status_code), 0) + 1
            except httpx.HTTPError as e:
                ok = False
                kinds[type(e).__name__] = kinds.get(type(e).__name__, 0) + 1
            latencies.append(time.perf_counter() - started) if ok else None
            errors += 0 if ok else 1
            if ok and conv.turns:
                ready.append(conv)

        start = time.perf_counter()
        sent = 0
        while (due := start + sent / rate) < start + seconds:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            conv = ready.pop(0) if ready else Conversation([rng.choice(questions) for _ in range(turns)])
            tasks.append(asyncio.create_task(turn(conv)))
            sent += 1
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - start
    return {"sent": sent, "replies": len(latencies), "errors": errors, "error_kinds": kinds, "retried": retried,
            "achieved_per_s": round(len(latencies) / elapsed, 2), "elapsed_s": round(elapsed, 1),
            "p50_ms": round(1000 * percentile(latencies, 0.50), 1), "p95_ms": round(1000 * percentile(latencies, 0.95), 1),
            "p99_ms": round(1000 * percentile(latencies, 0.99), 1),
            "mean_ms": round(1000 * statistics.mean(latencies), 1) if latencies else 0.0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--url", default="http://127.0.0.1:8000")
    ap.add_argument("--rate", type=float, required=True, help="messages a second")
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--turns", type=int, default=3)
    ap.add_argument("--var", type=Path, default=ROOT / "var", help="the running madoguchi's var dir (pids)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true", help="print only the JSON line")
    args = ap.parse_args()
    with open(QUESTIONS, encoding="utf-8") as f:
        questions = [json.loads(line)["text"] for line in f if line.strip()]
    before = cpu_seconds(args.var)
    result = asyncio.run(run(args.url.rstrip("/"), args.rate, args.seconds, args.turns, questions, args.seed))
    after = cpu_seconds(args.var)
    per_message = {name: round(1000 * (after[name] - before[name]) / max(1, result["replies"]), 1)
                   for name in after if name in before}
    result |= {"rate": args.rate, "turns": args.turns, "cpu_ms_per_message": per_message}
    if not args.json:
        print(f"offered {args.rate:g} msg/s for {args.seconds:g} s ({args.turns}-turn conversations, fresh senders)")
        for key in ("sent", "replies", "errors", "retried", "achieved_per_s", "p50_ms", "p95_ms", "p99_ms"):
            print(f"  {key:16s} {result[key]}")
        if result["error_kinds"]:
            print(f"  error kinds      {result['error_kinds']}")
        for name, ms in per_message.items():
            print(f"  CPU ms/message   {name}: {ms}")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
