"""How fast the staff console's pages are at a real city's size.

    .venv/bin/python -m bench.console [--faqs 2000] [--events 100000] [--runs 5] [--json] [--keep DIR]

Fills a fresh SQLite database in a temporary directory (MADOGUCHI_VAR, MADOGUCHI_DB_URL
and MADOGUCHI_CORPUS point there) with a year of a city's console data: FAQs (our
corpus repeated until there are --faqs, ids suffixed "-c2", "-c3"…, texts kept so their
embeddings come from the shared cache, verified dates spread over three years),
--events conversation events (questions answered / suggested / not answered, chosen
suggestions, 👍/👎, web and LINE, every day of the year), tickets, applications, staff
accounts, audit rows and inbox decisions. Then it logs in as an admin through the log-in
form and requests every console page through the real app (FastAPI's TestClient, in
this process): one warm-up, then --runs timed requests each. Reported per page: median
and max server time in ms and the HTML size in bytes.

Start-up (importing the corpus, building the search index, the regression check's query
vectors that the FAQ edit page starts computing) is timed apart: it is not page time.
The data are random but seeded, so two runs fill the same database.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
JST = dt.timezone(dt.timedelta(hours=9))
PASSWORD = "bench-console-password"

# wordings residents use around the corpus's questions (masked texts are stored as typed)
ENDINGS = ["", "？", "について教えて", "はどうすればいいですか", " 知りたい", "って", "を調べています", "…"]
# needs the corpus does not cover: the texts of "nothing came close" questions
PLACES = ["公園", "河川敷", "駅前広場", "体育館", "図書館", "市民プール", "商店街", "公民館", "キャンプ場", "海岸",
          "グラウンド", "文化会館", "道の駅", "児童館", "霊園"]
DOINGS = ["ドローンを飛ばしたい", "バーベキューをしたい", "屋台を出したい", "ロケ撮影をしたい", "花火をしたい",
          "犬を放したい", "楽器を練習したい", "結婚式の写真を撮りたい", "ヨガ教室を開きたい", "車中泊をしたい"]


# -- the corpus ---------------------------------------------------------------------------
def write_corpus(out: Path, n: int, rng: random.Random) -> list[str]:
    """Our corpus repeated to n entries, as faq_corpus YAML files; returns the ids."""
    source = ROOT / "faq_corpus"
    files = [(p.stem, yaml.safe_load(p.read_text(encoding="utf-8"))) for p in sorted(source.glob("*.yml"))]
    per_copy = sum(len(data["entries"]) for _, data in files)
    out.mkdir(parents=True)
    shutil.copytree(source / "synonyms", out / "synonyms")
    ids: list[str] = []
    today = dt.date.today()
    copy = 0
    while len(ids) < n:
        for stem, data in files:
            entries = []
            for raw in data["entries"][: n - len(ids)]:
                entry = dict(raw)
                if copy:
                    entry["id"] = f"{raw['id']}-c{copy + 1}"
                entry["verified"] = today - dt.timedelta(days=rng.randint(0, 3 * 365))
                entries.append(entry)
                ids.append(entry["id"])
            if entries:
                (out / f"{stem}-{copy + 1}.yml").write_text(
                    yaml.safe_dump({"category": data["category"], "entries": entries}, allow_unicode=True,
                                   sort_keys=False), encoding="utf-8")
        copy += 1
    assert per_copy and len(ids) == n
    return ids


# -- the data -------------------------------------------------------------------------------
def fill(session, faq_service, n_events: int, rng: random.Random) -> dict:
    """Conversation events, tickets, applications, staff accounts, audit rows, inbox decisions."""
    from sqlalchemy import insert

    from api.admin import accounts
    from api.admin.models import AuditLog, StaffUser
    from api.analytics import service as analytics
    from api.analytics.models import ConversationEvent, InboxDecision
    from api.applications.models import Application, ApplicationEvent
    from api.tickets.models import Ticket

    entries = faq_service.list()
    questions = {e.id: [e.question, *e.alternatives] for e in entries}
    ids = [e.id for e in entries]
    # popularity: a few FAQs are asked a lot (Zipf-like weights over a shuffled order)
    popular = ids[:]
    rng.shuffle(popular)
    weights = [1 / (i + 1) ** 0.9 for i in range(len(popular))]
    hard = rng.sample(ids, min(250, len(ids)))  # the entries questions only come close to
    weak = set(hard[:100])
    unmet = [f"{p}で{d}" for p in PLACES for d in DOINGS]
    rng.shuffle(unmet)
    unmet = unmet[:150]
    now = dt.datetime.now(dt.timezone.utc)
    start = now - dt.timedelta(days=365)

    def wording(faq_id: str) -> str:
        return rng.choice(questions[faq_id]) + rng.choice(ENDINGS)

    rows: list[dict] = []
    resident = 0
    while len(rows) < n_events:
        resident += 1
        channel = "line" if rng.random() < 0.35 else "web"
        sender = f"{channel}:{'U' if channel == 'line' else ''}{resident:032x}"
        who = analytics.sender_hash(sender)
        at = start + dt.timedelta(seconds=rng.uniform(0, 365 * 86400 - 3600))

        def event(kind: str, **fields) -> None:
            rows.append({"at": at, "day": at.astimezone(analytics.JST).date(), "channel": channel,
                         "sender_hash": who, "kind": kind, "zone": None, "faq_id": None, "helpful": None,
                         "text": "", **fields})

        for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4))):
            r = rng.random()
            if r < 0.60:  # answered; some residents say whether it helped
                faq_id = rng.choices(popular, weights)[0]
                event("question", zone="answer", faq_id=faq_id, text=wording(faq_id))
                if rng.random() < 0.3:  # 👎 mostly on the entries that only come close
                    at += dt.timedelta(seconds=rng.randint(5, 120))
                    event("feedback", faq_id=faq_id, helpful=rng.random() < (0.5 if faq_id in weak else 0.97))
            elif r < 0.85:  # もしかして: half of them choose one within minutes
                faq_id = rng.choice(hard)
                event("question", zone="suggest", faq_id=faq_id, text=wording(faq_id))
                if rng.random() < 0.5:
                    at += dt.timedelta(seconds=rng.randint(5, 600))
                    event("suggestion_taken", faq_id=rng.choice([faq_id, rng.choice(ids)]))
            else:  # no answer: the closest entry, or nothing close at all
                if rng.random() < 0.7:
                    faq_id = rng.choice(hard)
                    event("question", zone="none", faq_id=faq_id, text=wording(faq_id) + " 今日中に")
                else:
                    text = rng.choice(unmet)
                    event("question", zone="none", text=rng.choice((text, text + "。", text.replace("で", "で ", 1),
                                                                    text + "です")))
            at += dt.timedelta(seconds=rng.randint(20, 300))
    rows.sort(key=lambda r: r["at"])
    session.execute(insert(ConversationEvent), rows[:n_events])

    # staff: an admin (who runs this benchmark), editors and viewers
    admin = accounts.create_user(session, "bench-admin", "ベンチ管理者", "admin", PASSWORD, actor="bench")
    staff = [admin]
    for i in range(20):
        role = "editor" if i < 12 else "viewer"
        staff.append(StaffUser(login=f"staff{i:02d}", display_name=f"職員{i:02d}", role=role,
                               password_hash=admin.password_hash, active=i != 19, failed_logins=0))
    session.add_all(staff[1:])
    session.flush()

    # tickets: a few hundred over the year, most answered
    tickets = []
    for seq in range(1, 301):
        created = start + dt.timedelta(days=365 * seq / 301)
        status = "open" if seq > 260 else rng.choice(("answered", "answered", "answered", "closed"))
        question = rng.choice(unmet + [wording(rng.choice(ids)) for _ in range(3)])
        tickets.append(Ticket(year=created.year, seq=seq, sender=f"web:{seq:032x}", channel=rng.choice(("web", "line")),
                              question=question, status=status, created_at=created,
                              transcript=[{"who": "resident", "text": question}, {"who": "bot", "text": "職員に送りますか"}],
                              answer="担当課から回答します。" if status != "open" else None,
                              answered_at=created + dt.timedelta(days=1) if status != "open" else None))
    session.add_all(tickets)

    # applications: a few hundred with their histories
    statuses = ["received", "reviewing", "action_required", "ready", "completed"]
    procedures = ["児童手当 認定請求", "保育施設 入所申込", "介護保険 要介護認定申請", "マイナンバーカード 交付申請",
                  "住民票の写し 郵送請求", "犬の登録", "粗大ごみ 収集申込", "国民健康保険 加入届"]
    numbers = []
    for i in range(300):
        number = f"A-{now.year}-{200000 + i:06d}"
        numbers.append(number)
        steps = statuses[: rng.randint(1, len(statuses))]
        first = (start + dt.timedelta(days=rng.randint(0, 330))).date()
        app = Application(number=number, procedure=rng.choice(procedures), birth_date=dt.date(1960 + i % 50, 1 + i % 12, 1),
                          status=steps[-1], department="市民課", phone="012-345-6111")
        app.history = [ApplicationEvent(on=first + dt.timedelta(days=7 * k), status=s, note="")
                       for k, s in enumerate(steps)]
        session.add(app)

    # audit rows: a year of console work, and inbox decisions made on the way
    actions = ["login.success", "login.success", "login.success", "ticket.answer", "faq.edit", "faq.publish",
               "inbox.dismiss", "faq.add_alternative", "application.status", "logout", "login.failure"]
    audit = []
    for i in range(10_000):
        who = rng.choice(staff[:13])
        audit.append({"at": start + dt.timedelta(seconds=365 * 86400 * i / 10_000), "actor_id": who.id,
                      "actor": who.login, "action": rng.choice(actions), "target": rng.choice(ids),
                      "details": {"note": "ベンチマーク"}})
    session.execute(insert(AuditLog), audit)
    keys = sorted({analytics.group_key(r["zone"], r["faq_id"], r["text"]) for r in rows[: n_events // 2]
                   if r["kind"] == "question" and r["zone"] in ("suggest", "none")})
    session.execute(insert(InboxDecision), [
        {"group_key": key, "action": "dismiss", "at": start + dt.timedelta(days=182), "actor": "staff00"}
        for key in rng.sample(keys, min(150, len(keys)))])
    # events loaded in bulk bypass the recording that keeps the inbox items: derive them once
    analytics.rebuild_inbox(session)
    session.commit()
    top = analytics.groups(session, open_only=True, limit=1)[0]
    return {"admin": admin.login, "ticket": tickets[-1].number, "application": numbers[-1],
            "user_id": staff[5].id, "unmet": unmet[0], "group": top.key, "wording": top.text}


# -- timing ---------------------------------------------------------------------------------
def log_in(client, login: str) -> None:
    page = client.get("/admin/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = client.post("/admin/login", data={"login": login, "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 303 and r.headers["location"] == "/admin", r.text[:500]


def pages(facts: dict, faq_ids: list[str], category: str) -> list[tuple[str, str]]:
    from urllib.parse import quote

    faq = faq_ids[0]
    return [
        ("dashboard", "/admin"),
        ("inbox", "/admin/inbox"),
        ("inbox, page 2", "/admin/inbox?page=2"),
        ("inbox: choose FAQ", "/admin/inbox/faq?key=" + quote(facts["group"]) + "&q=" + quote(facts["wording"])),
        ("figures", "/admin/figures"),
        ("FAQ list", "/admin/faqs"),
        ("FAQ list, category", "/admin/faqs?category=" + quote(category)),
        ("FAQ list, 要確認", "/admin/faqs?stale=1"),
        ("FAQ list, search", "/admin/faqs?q=" + quote("住民票")),
        ("FAQ list, page 20", "/admin/faqs?page=20"),
        ("FAQ edit", f"/admin/faqs/{faq}"),
        ("FAQ history", f"/admin/faqs/{faq}/history"),
        ("FAQ new (from inbox)", "/admin/faqs/new?question=" + quote(facts["unmet"])),
        ("FAQ import", "/admin/faqs/import"),
        ("tickets (open)", "/admin/tickets"),
        ("tickets (all)", "/admin/tickets?status=all"),
        ("ticket", f"/admin/tickets/{facts['ticket']}"),
        ("applications", "/admin/applications"),
        ("applications, search", "/admin/applications?q=" + quote("保育")),
        ("application", f"/admin/applications/{facts['application']}"),
        ("users", "/admin/users"),
        ("user", f"/admin/users/{facts['user_id']}"),
        ("audit log", "/admin/audit"),
        ("audit log, action", "/admin/audit?action=faq.edit"),
        ("account", "/admin/account"),
    ]


def time_page(client, path: str, runs: int) -> dict:
    r = client.get(path)  # warm-up (templates compiled, caches filled); not counted
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        r = client.get(path)
        times.append((time.perf_counter() - t0) * 1000)
    return {"status": r.status_code, "median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1),
            "bytes": len(r.content)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--faqs", type=int, default=2000)
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--json", action="store_true", help="print only the JSON line")
    ap.add_argument("--keep", type=Path, help="fill this (new) directory and keep it, instead of a temporary one")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    var = args.keep or Path(tempfile.mkdtemp(prefix="madoguchi-bench-console-"))
    var.mkdir(parents=True, exist_ok=True)
    corpus = var / "corpus"
    if corpus.exists():
        sys.exit(f"{var} is not empty: give a new directory to --keep")
    faq_ids = write_corpus(corpus, args.faqs, rng)
    # settings are read at import: set them before anything from api/ is imported
    os.environ.update({"MADOGUCHI_VAR": str(var), "MADOGUCHI_DB_URL": f"sqlite:///{var / 'madoguchi.db'}",
                       "MADOGUCHI_CORPUS": str(corpus), "MADOGUCHI_INSECURE_COOKIES": "1",
                       "MADOGUCHI_RASA_URL": "http://127.0.0.1:9", "MADOGUCHI_ACTIONS_URL": "http://127.0.0.1:9"})
    # embeddings depend only on the text: share them with the tests and other runs
    os.environ.setdefault("MADOGUCHI_EMBED_CACHE", str(ROOT / "var" / "cache" / "embeddings.sqlite"))
    from fastapi.testclient import TestClient

    from api.db import SessionLocal
    from api.main import app

    t0 = time.perf_counter()
    with TestClient(app, follow_redirects=False) as client:
        faq = app.state.faq
        startup_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        with SessionLocal() as session:
            facts = fill(session, faq, args.events, rng)
        fill_s = time.perf_counter() - t0
        # the FAQ edit page starts computing the regression check's query vectors in the
        # background; let that finish first, or it would slow down every page timed after it
        t0 = time.perf_counter()
        faq.warm_check()
        if faq._warming is not None:
            faq._warming.join()
        warm_s = time.perf_counter() - t0
        log_in(client, facts["admin"])
        results = []
        for name, path in pages(facts, faq_ids, faq.get(faq_ids[0]).category):
            results.append({"page": name, "path": path, **time_page(client, path, args.runs)})
    summary = {"faqs": args.faqs, "events": args.events, "runs": args.runs, "startup_s": round(startup_s, 1),
               "fill_s": round(fill_s, 1), "check_vectors_s": round(warm_s, 1), "pages": results}
    if not args.json:
        print(f"{args.faqs} FAQs, {args.events} events; start-up {startup_s:.1f} s, filling {fill_s:.1f} s, "
              f"regression-check vectors {warm_s:.1f} s; {args.runs} runs a page after one warm-up")
        print(f"{'page':28s} {'status':>6s} {'median ms':>10s} {'max ms':>9s} {'HTML bytes':>11s}")
        for r in results:
            print(f"{r['page']:28s} {r['status']:6d} {r['median_ms']:10.1f} {r['max_ms']:9.1f} {r['bytes']:11,d}")
    print(json.dumps(summary, ensure_ascii=False))
    if args.keep is None:
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
