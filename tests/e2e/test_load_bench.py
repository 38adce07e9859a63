"""bench.load against the real stack: a short open-loop run answers every message and reads each
service's CPU time from the supervisor's pid files."""
import asyncio
import json

from bench.load import QUESTIONS, cpu_seconds, run


def test_open_loop_load_is_answered_and_costed(services):
    with open(QUESTIONS, encoding="utf-8") as f:
        questions = [json.loads(line)["text"] for line in f if line.strip()]
    before = cpu_seconds(services.var)
    assert set(before) >= {"api", "rasa", "actions"}
    result = asyncio.run(run(services.base, rate=4, seconds=3, turns=3, questions=questions, seed=1))
    after = cpu_seconds(services.var)
    assert result["sent"] == 12 and result["errors"] == 0 and result["replies"] == 12
    assert 0 < result["p50_ms"] <= result["p95_ms"] <= result["p99_ms"]
    assert after["rasa"] > before["rasa"] and after["api"] > before["api"]
