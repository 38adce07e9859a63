"""The whole bot, measured as residents meet it: each query of a BEIR folder is sent to a running
madoguchi as the first message of a new conversation, and the first reply is read like a
resident reads it (the answer's FAQ from its 👍/👎 buttons, the "もしかして" choices from theirs).

    .venv/bin/python -m bench.dialogue DIR --url http://127.0.0.1:8000 [--json] [--heldout]
    .venv/bin/python -m bench.dialogue DIR --start [--no-alternatives | --phrasings] [--heldout]

--start runs madoguchi itself (scripts/run.py on free ports, a temporary var/ directory) with
DIR's corpus as the city's FAQ (written as a corpus folder for MADOGUCHI_CORPUS), so each shape
of FAQ is measured on the real stack: --no-alternatives drops the alternative phrasings (the
shape of other cities' FAQs), --phrasings asks those phrasings of that stripped corpus.
--url measures a madoguchi already running with DIR's corpus. --heldout keeps only the queries
listed in DIR/heldout.txt (the frozen part nothing is tuned on; of the phrasings, those of a
third of the entries); --limit N the first N.

A query with qrels is answerable; one without is out of scope, unless its row in queries.jsonl
says another `kind` (greet, thanks, request_staff, emergency, status, …: messages that are not
questions), which is then the reply it should get. Reported: the share answered, the precision
of answers, the right FAQ first (the answer, or the first choice), the right FAQ shown (the
answer or any choice), "no answer", misroutes by kind (an emergency notice, small talk, a staff
hand-off, a form … in reply to a question), non-questions handled as what they are, latency.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx
import yaml

from bench.retrieval import ROOT, heldout_ids, load_beir, phrasing_set, split

_FAQ_ID = re.compile(r'"faq_id"\s*:\s*"([^"]+)"')
# What each kind of reply says (the bot's own texts: domain.yml, actions/)
MARKERS = [
    ("emergency", "【緊急の場合】"),
    ("status", "申請番号を入力してください"),
    ("status", "申請者の生年月日を入力してください"),
    ("subscribe", "お知らせする申請を確かめるため"),
    ("ticket_form", "職員にお送りするご質問を入力してください"),
    ("ticket_status", "受付番号（例：Q-"),
    ("ticket_status", "受付番号 Q-"),
    ("staff", "職員へのご相談は"),
    ("greet", "「まどぐち」です"),
    ("bot_challenge", "（自動応答）です"),
    ("thanks", "どういたしまして"),
    ("goodbye", "ご利用ありがとうございました"),
    ("yes_no", "ほかにお手伝いできることはありますか"),
    ("default", "うまく理解できませんでした"),
    ("out_of_scope", "そのご質問にはお答えできません"),
    ("none", "情報が見つかりませんでした"),
]
SMALL_TALK = {"greet", "thanks", "goodbye", "bot_challenge", "yes_no", "default"}
# what a non-question should get: its kind → the reply kinds that are right for it
EXPECTED = {"greet": {"greet"}, "thanks": {"thanks"}, "goodbye": {"goodbye"}, "bot_challenge": {"bot_challenge"},
            "affirm": {"yes_no"}, "deny": {"yes_no"}, "request_staff": {"staff"}, "emergency": {"emergency"},
            "status": {"status"}}


def read_reply(messages: list[dict]) -> dict:
    """What a resident sees first: the kind of reply, the answered FAQ, the offered FAQs."""
    answered, choices, kinds = None, [], []
    for message in messages:
        text = message.get("text") or ""
        for button in message.get("buttons") or []:
            payload = button.get("payload") or ""
            found = _FAQ_ID.search(payload)
            if payload.startswith("/feedback") and found and answered is None:
                answered = found.group(1)
            elif payload.startswith("/choose_faq") and found:
                choices.append(found.group(1))
        kinds += [kind for kind, marker in MARKERS if marker in text and kind not in kinds]
    if answered:
        kinds.append("answer")
    elif choices:
        kinds.append("suggest")
    return {"answered": answered, "choices": choices, "kinds": kinds or ["other"]}


def score(rows: list[dict]) -> dict:
    """rows: {"relevant": set, "kind": str, "reply": read_reply(...), "ms": float}."""
    questions = [r for r in rows if r["kind"] in ("question", "oos")]
    answerable = [r for r in questions if r["relevant"]]
    oos = [r for r in questions if not r["relevant"]]
    others = [r for r in rows if r["kind"] not in ("question", "oos")]

    def share(part, whole) -> float:
        return round(len(part) / len(whole), 4) if whole else 0.0

    answered = [r for r in questions if r["reply"]["answered"]]
    right = [r for r in answered if r["reply"]["answered"] in r["relevant"]]

    def first(r) -> str | None:
        return r["reply"]["answered"] or next(iter(r["reply"]["choices"]), None)

    def shown(r) -> set:
        return {r["reply"]["answered"], *r["reply"]["choices"]} - {None}

    misroutes = Counter()
    for r in questions:
        for kind in r["reply"]["kinds"]:
            if kind in SMALL_TALK or kind in ("emergency", "status", "subscribe", "ticket_form", "ticket_status",
                                             "staff", "other"):
                misroutes[kind] += 1
    misrouted = [r for r in questions if set(r["reply"]["kinds"]) & set(misroutes)]
    latencies = sorted(r["ms"] for r in rows)
    return {
        "queries": len(rows), "answerable": len(answerable), "out_of_scope": len(oos), "non_questions": len(others),
        "answered": share(answered, questions),
        "answer_precision": share(right, answered),
        "right_first": share([r for r in answerable if first(r) in r["relevant"]], answerable),
        "right_shown": share([r for r in answerable if shown(r) & r["relevant"]], answerable),
        "answerable_no_answer": share([r for r in answerable if not shown(r)], answerable),
        "oos_no_answer": share([r for r in oos if not shown(r)], oos),
        "oos_answered": share([r for r in oos if r["reply"]["answered"]], oos),
        "misrouted": share(misrouted, questions),
        "misroutes": dict(misroutes),
        "non_questions_right": share([r for r in others if set(r["reply"]["kinds"]) & EXPECTED.get(r["kind"], set())],
                                     others),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else 0.0,
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1) if latencies else 0.0,
    }


def write_corpus(docs, folder: Path) -> None:
    """DIR's corpus as a city's FAQ folder for MADOGUCHI_CORPUS: question and answer (and the
    alternative phrasings when the shape keeps them), nothing else, as real exports are."""
    folder.mkdir(parents=True, exist_ok=True)
    entries = [{"id": _slug(d.id), "question": d.question, "answer": d.answer,
                **({"alternatives": list(d.alternatives)} if d.alternatives else {})} for d in docs]
    (folder / "faq.yml").write_text(yaml.safe_dump({"entries": entries}, allow_unicode=True, sort_keys=False),
                                    encoding="utf-8")


def _slug(doc_id: str) -> str:
    """The api's id rule (lower-case ascii, digits, '-'); BEIR ids are kept when they fit."""
    return re.sub(r"[^a-z0-9\-]", "-", doc_id.lower()).strip("-") or "x"


class Madoguchi:
    """scripts/run.py on free ports with a temporary var/ and the given corpus (the e2e tests' way)."""

    def __init__(self, corpus: Path, extra_env: dict | None = None):
        import socket

        def port() -> int:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                return s.getsockname()[1]

        self.var = Path(tempfile.mkdtemp(prefix="madoguchi-bench-"))
        api = port()
        env = dict(os.environ, MADOGUCHI_CORPUS=str(corpus), **(extra_env or {}))
        env.setdefault("MADOGUCHI_EMBED_CACHE", str(ROOT / "var" / "cache" / "embeddings.sqlite"))
        for group in ("CHAT", "SEARCH"):  # every simulated resident talks from 127.0.0.1
            env.setdefault(f"MADOGUCHI_RATE_{group}", "100000/minute")
        self.url = f"http://127.0.0.1:{api}"
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "scripts" / "run.py"), "--api-port", str(api), "--rasa-port", str(port()),
             "--actions-port", str(port()), "--internal-port", str(port()), "--var", str(self.var)],
            cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
        )

    def wait(self, timeout_s: float = 600) -> float:
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout_s:
            if self.proc.poll() is not None:
                raise RuntimeError(f"madoguchi exited ({self.proc.returncode}); logs in {self.var / 'logs'}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=3).status_code == 200:
                    return time.monotonic() - t0
            except httpx.HTTPError:
                pass
            time.sleep(1)
        raise TimeoutError("madoguchi did not start")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


def load_set(folder: Path, shape: str, heldout: bool) -> tuple[list, list[dict]]:
    """The docs to index and the query rows ({"id", "text", "kind", "relevant"}) of one shape."""
    docs, queries, qrels = load_beir(folder)
    kinds = {}
    with open(folder / "queries.jsonl", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                kinds[str(row["_id"])] = row.get("kind")
    if shape == "phrasings":
        docs, queries, qrels = phrasing_set(docs)
    elif shape == "no-alternatives":
        docs = [type(d)(d.id, d.question, (), d.answer) for d in docs]
    if heldout:
        queries = split(queries, heldout_ids(folder), shape == "phrasings", keep_heldout=True)
    rows = []
    for qid, text in queries.items():
        relevant = {_slug(d) for d, g in qrels.get(qid, {}).items() if g > 0}
        kind = kinds.get(qid) or ("question" if relevant else "oos")
        rows.append({"id": qid, "text": text, "kind": kind, "relevant": relevant})
    return docs, rows


def run(url: str, rows: list[dict]) -> list[dict]:
    with httpx.Client(base_url=url, timeout=120) as http:
        for row in rows:
            t0 = time.perf_counter()
            r = http.post("/api/chat", json={"text": row["text"]})
            row["ms"] = (time.perf_counter() - t0) * 1000
            r.raise_for_status()
            row["reply"] = read_reply(r.json()["messages"])
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir", type=Path)
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="a madoguchi already running with DIR's corpus")
    where.add_argument("--start", action="store_true", help="start madoguchi with DIR's corpus (temporary var/)")
    shape = ap.add_mutually_exclusive_group()
    shape.add_argument("--no-alternatives", action="store_true", help="index question and answer only")
    shape.add_argument("--phrasings", action="store_true", help="ask the phrasings of the corpus without them")
    ap.add_argument("--heldout", action="store_true", help="only the queries in DIR/heldout.txt")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--city", default="", help="MADOGUCHI_CITY_NAME for --start")
    ap.add_argument("--json", action="store_true", help="print only the JSON line")
    ap.add_argument("--details", type=Path, help="write every query's reply as JSONL")
    args = ap.parse_args(argv)

    shape = "phrasings" if args.phrasings else "no-alternatives" if args.no_alternatives else "as-is"
    docs, rows = load_set(args.dir, shape, args.heldout)
    if args.limit:
        rows = rows[: args.limit]
    server, start_s = None, None
    if args.start:
        corpus = Path(tempfile.mkdtemp(prefix="madoguchi-corpus-"))
        write_corpus(docs, corpus)
        server = Madoguchi(corpus, {"MADOGUCHI_CITY_NAME": args.city} if args.city else None)
        try:
            start_s = server.wait()
        except BaseException:
            server.stop()
            raise
    try:
        run(server.url if server else args.url, rows)
    finally:
        if server:
            server.stop()
    metrics = {"set": args.dir.name, "shape": shape, "heldout": args.heldout, **score(rows)}
    if start_s is not None:
        metrics["start_s"] = round(start_s, 1)
    if args.details:
        with open(args.details, "w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps({**row, "relevant": sorted(row["relevant"])}, ensure_ascii=False) + "\n")
    if not args.json:
        width = max(len(k) for k in metrics)
        print(f"dialogue benchmark: {args.dir} ({shape}{', held-out' if args.heldout else ''})")
        for key, value in metrics.items():
            print(f"  {key:<{width}}  {value}")
    print(json.dumps(metrics, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
