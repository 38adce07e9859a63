"""What the live chat with staff (api/handover) costs the chat: the hand-over hook that every
resident turn passes before Rasa (a sender with no open chat: one indexed look-up), and one
widget poll of /api/chat/live, with --open open and --ended ended chats in the database.

    .venv/bin/python -m bench.live_chat [--open 200] [--ended 2000] [--runs 500]

A fresh SQLite database in a temporary MADOGUCHI_VAR; the functions the routes run, in this
process (no HTTP): median and p95 in ms.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import uuid


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--open", type=int, default=200)
    ap.add_argument("--ended", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=500)
    args = ap.parse_args(argv)
    os.environ["MADOGUCHI_VAR"] = tempfile.mkdtemp(prefix="madoguchi-live-bench-")
    os.environ.pop("MADOGUCHI_DB_URL", None)
    from api.db import SessionLocal, init_db
    from api.handover import routes, service
    from api.handover.models import LiveChat, LiveMessage

    init_db()
    with SessionLocal() as db:
        for i in range(args.open + args.ended):
            chat = LiveChat(sender=f"web:{uuid.uuid4().hex}", channel="web", department="市民課",
                            status="waiting" if i < args.open else "ended", transcript=[], note="",
                            created_at=service.now(), waiting_since=service.now())
            db.add(chat)
            db.flush()
            db.add_all(LiveMessage(chat_id=chat.id, who="staff", text="お待たせしました。" * 3, at=service.now())
                       for _ in range(5))
        db.commit()
        polled = db.get(LiveChat, 1).sender

    async def hook() -> list[float]:
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            assert await routes.turn(None, f"web:{uuid.uuid4().hex}", "web", "住民票", False) is None
            times.append((time.perf_counter() - t) * 1000)
        return times

    def poll() -> list[float]:
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            routes.live_poll(polled, 0)
            times.append((time.perf_counter() - t) * 1000)
        return times

    for name, times in (("hand-over hook of a bot turn", asyncio.run(hook())), ("widget poll", poll())):
        times.sort()
        print(f"{name}: median {statistics.median(times):.2f} ms, p95 {times[int(len(times) * 0.95)]:.2f} ms "
              f"({args.runs} runs, {args.open} open and {args.ended} ended chats)")


if __name__ == "__main__":
    main()
