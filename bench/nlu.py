"""Held-out NLU evaluation: the trained Rasa model (classifier and evidence gates) on messages it
was never trained on, above all on whether a question stays a question.

    .venv-bot/bin/python -m bench.nlu [--model models/madoguchi.tar.gz] [--json] [--show N]
    .venv-bot/bin/python -m bench.nlu --cross-validation 3    # rasa test nlu over the training data

Sets (each message with the intent family it should end in):
- bench/data/blind: 336 messages written blind from residents' life situations (questions,
  out-of-scope questions and 30 non-questions of every kind), never trained on;
- bench/data/hikarino: our 563 resident questions (all questions: answerable or out of scope).

A question (or out-of-scope question) is right when the final intent is ask_question,
out_of_scope or nlu_fallback (all go to the FAQ search); a misroute otherwise (small talk,
staff, status, ticket, emergency …). A non-question is right when its intent is its kind's.
--cross-validation N runs `rasa test nlu --cross-validation --folds N` on data/nlu (N trainings:
minutes each) and prints the intent classifier's held-out macro F1 from its report.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
QUESTION_INTENTS = {"ask_question", "out_of_scope", "nlu_fallback"}
# a message of this kind is handled right when its final intent is one of these
EXPECTED = {"question": QUESTION_INTENTS, "oos": QUESTION_INTENTS, "greet": {"greet"}, "thanks": {"thanks"},
            "goodbye": {"goodbye"}, "bot_challenge": {"bot_challenge"}, "affirm": {"affirm"}, "deny": {"deny"},
            "request_staff": {"request_staff"}, "emergency": {"emergency"},
            "status": {"check_application_status", "inform"}}


def message_sets() -> dict[str, list[tuple[str, str]]]:
    """(text, kind) per set."""
    blind = yaml.safe_load((ROOT / "bench" / "data" / "blind" / "questions.yml").read_text(encoding="utf-8"))
    ours = [json.loads(line) for line in
            (ROOT / "bench" / "data" / "hikarino" / "queries.jsonl").read_text(encoding="utf-8").splitlines() if line]
    return {"blind": [(str(m["q"]), m.get("kind", "question")) for m in blind],
            "ours": [(q["text"], "question") for q in ours]}


async def parse_all(model: Path, texts: list[str]) -> list[str]:
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model))
    return [((await agent.parse_message(text)).get("intent") or {}).get("name") or "" for text in texts]


def evaluate(pairs: list[tuple[str, str]], intents: list[str]) -> dict:
    questions = [(t, k, i) for (t, k), i in zip(pairs, intents) if k in ("question", "oos")]
    others = [(t, k, i) for (t, k), i in zip(pairs, intents) if k not in ("question", "oos")]
    misrouted = [(t, i) for t, _, i in questions if i not in QUESTION_INTENTS]
    wrong_others = [(t, k, i) for t, k, i in others if i not in EXPECTED.get(k, set())]
    return {
        "messages": len(pairs), "questions": len(questions), "non_questions": len(others),
        "question_misroute_rate": round(len(misrouted) / len(questions), 4) if questions else 0.0,
        "misroutes_by_intent": dict(Counter(i for _, i in misrouted)),
        "non_questions_right": round(1 - len(wrong_others) / len(others), 4) if others else None,
        "_misrouted": misrouted, "_wrong_non_questions": wrong_others,
    }


def cross_validation(folds: int) -> dict:
    out = Path(tempfile.mkdtemp(prefix="madoguchi-nlu-cv-"))
    subprocess.run([str(Path(sys.executable).with_name("rasa")), "test", "nlu", "--nlu", "data/nlu", "--config",
                    "config.yml", "--cross-validation", "--folds", str(folds), "--out", str(out), "--quiet"],
                   cwd=ROOT, check=True)
    report = json.loads((out / "intent_report.json").read_text(encoding="utf-8"))
    return {"folds": folds, "macro_f1": round(report["macro avg"]["f1-score"], 4),
            "accuracy": round(report.get("accuracy", 0.0), 4),
            "per_intent_f1": {k: round(v["f1-score"], 3) for k, v in report.items() if isinstance(v, dict)
                              and "f1-score" in v and k not in ("macro avg", "weighted avg", "micro avg")}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, default=ROOT / "models" / "madoguchi.tar.gz")
    ap.add_argument("--json", action="store_true", help="print only the JSON line")
    ap.add_argument("--show", type=int, default=10, help="misrouted messages to print per set")
    ap.add_argument("--cross-validation", type=int, default=0, metavar="FOLDS")
    args = ap.parse_args(argv)
    if args.cross_validation:
        result = cross_validation(args.cross_validation)
        print(json.dumps(result, ensure_ascii=False))
        return 0
    sets = message_sets()
    texts = [t for pairs in sets.values() for t, _ in pairs]
    intents = iter(asyncio.run(parse_all(args.model, texts)))
    report = {name: evaluate(pairs, [next(intents) for _ in pairs]) for name, pairs in sets.items()}
    if not args.json:
        for name, figures in report.items():
            print(f"{name}: " + json.dumps({k: v for k, v in figures.items() if not k.startswith("_")},
                                            ensure_ascii=False))
            for text, intent in figures["_misrouted"][: args.show]:
                print(f"    question → {intent}: {text}")
            for text, kind, intent in figures["_wrong_non_questions"][: args.show]:
                print(f"    {kind} → {intent}: {text}")
    print(json.dumps({name: {k: v for k, v in f.items() if not k.startswith("_")} for name, f in report.items()},
                     ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
