"""ごみ分別 bench: residents' item questions over Yokohama's list (bench/data/gomi/).

    .venv/bin/python -m bench.gomi [--list FILE] [--questions FILE ...] [--pad FILE] [--json OUT]

Reports, for the development set (questions.txt) and the held-out set (heldout.txt, never
used to tune the matcher) separately — or for the question files given with --questions, each
its own column (another city's list: bench/data/gomi-town/) — top-1 item accuracy, category accuracy (strict: the
first reply names the right category; with choices: a choice list that holds the right item
counts too), the choice rate, item questions not recognised, items the list lacks that the matcher names
as missing (expected 'missing') or answers with another item instead, rule questions wrongly taken for
item questions, several-item questions fully right; and p50/p95 matching latency over all
questions with the real list and with the list grown to 5,000 items.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import time
import unicodedata
from pathlib import Path

from api.gomi.importer import read_list
from api.gomi.matcher import Item, Matcher, fee_key
from api.gomi.meaning import Meanings
from api.gomi.topic import files_unlisted, settle

DATA = Path(__file__).parent / "data" / "gomi"


def load_questions(path: Path) -> list[tuple[str, str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            expected, question = line.split("\t", 1)
            # (item names as the importer keeps them: a label may copy the list's full-width （）)
            out.append((unicodedata.normalize("NFKC", expected).strip(), question.strip()))
    return out


def grow(items: list[Item], n: int, seed: int = 16) -> list[Item]:
    """The list grown to n items with names made of two real ones (「XのY」, 「X用Y」)."""
    rng = random.Random(seed)
    out = list(items)
    while len(out) < n:
        a, b = rng.sample(items, 2)
        name = f"{a.name.split('(')[0]}{rng.choice(['の', '用', ''])}{b.name.split('(')[0]}"
        out.append(Item(f"x{len(out)}", name, b.category))
    return out


def faq_reading_of(cache: Path | None):
    """The demo city's FAQ search as the api runs it (faq_corpus/, the embedding cache), read as
    the api's gomi matching reads it (api/gomi/topic.py): a message's zone and best entry's category;
    and, as the api builds it beside the search, a list's rows by their names' meaning (`read.meanings(items)`,
    api/gomi/meaning.py)."""
    from api.faq.corpus import load_corpus
    from api.faq.search import Doc
    from api.faq.service import build_engine

    engine = build_engine(None, cache)
    entries = load_corpus(Path(__file__).resolve().parent.parent / "faq_corpus")
    engine.index([Doc(e.id, e.question, tuple(e.alternatives or ()), e.answer) for e in entries])
    category = {e.id: e.category for e in entries}

    def read(q: str) -> tuple[str, str | None]:
        result = engine.search(q, 1)
        return result.zone, (category.get(result.hits[0].id) if result.hits else None)
    read.meanings = lambda items: Meanings(engine.embedder, engine.cache, items)
    return read


def evaluate(matcher: Matcher, items: dict[str, Item], questions: list[tuple[str, str]], faq=None, meant=None) -> dict:
    """faq: the FAQ search's reading of a message (--faq), which settles a thing named without
    asking as the api does (api/gomi/topic.py); without it that thing's もしかして counts as shown (an
    upper bound: it is not shown over an FAQ answer). meant: the rows nearest a message's meaning
    (api/gomi/meaning.py), offered as the api offers them where nothing else was found."""
    by_name: dict[str, set[str]] = {}
    for it in items.values():
        by_name.setdefault(it.name, set()).add(it.uid)
    n_item = top1 = cat_strict = cat_any = choices = missed = 0
    n_rule = rule_wrong = rule_after = n_multi = multi_ok = 0
    n_missing = missing_named = missing_answered = maybe_right = sure = sure_wrong = 0
    failures = []
    for expected, q in questions:
        m = settle(matcher.match(q), q, faq, meant)
        if all(part.strip() == "missing" for part in expected.split(" | ")):
            expected = "missing"  # (several things, all of them ones the list lacks: as one the list lacks)
        if expected == "missing":
            # the list lacks the item: the resident should hear so and the staff's inbox get its name;
            # an item answered instead is wrong (a もしかして is not)
            n_missing += 1
            # (a message that is only the thing's name: named when the FAQ has no answer either, as the api does)
            named = bool(m.missing) or bool(m.unlisted and faq is not None and files_unlisted(*faq(q)))
            missing_named += named
            wrong = m.item_question and any(f.kind == "item" for f in m.found)
            missing_answered += wrong
            if wrong or not named:
                failures.append({"q": q, "expected": "missing", "missing": m.missing,
                                 "got": [[items[u].name for u in f.items[:3]] for f in m.found]})
            continue
        if expected == "-":
            n_rule += 1
            if m.item_question and m.after_faq:  # the FAQ's answer first, the item after it
                rule_after += 1
            elif m.item_question:
                rule_wrong += 1
                failures.append({"q": q, "expected": "-", "got": [[items[u].name for u in f.items[:3]] for f in m.found]})
            continue
        if " | " in expected:
            n_multi += 1
            # each part an item name, 'a / b' (any of them) or 'missing' (the list lacks it: not counted);
            # every part the list has must be found, each by an answer of its category or a choice holding it
            want = [[n.strip() for n in part.split(" / ")] for part in expected.split(" | ")]
            got = [f for f in m.found]

            def found(f, names: list[str]) -> bool:
                cats = {items[u].category for n in names for u in by_name[n]}
                return items[f.items[0]].category in cats or any(items[u].name in names for u in f.items)

            ok = m.item_question and all(any(found(f, names) for f in got) for names in want if names != ["missing"])
            multi_ok += ok
            if not ok:
                failures.append({"q": q, "expected": want, "got": [[items[u].name for u in f.items[:3]] for f in got]})
            continue
        n_item += 1
        names = [e.strip() for e in expected.split(" / ")]
        for name in names:
            if name not in by_name:
                raise SystemExit(f"unknown item in the question set: {name}")
        cats = {items[next(iter(by_name[name]))].category for name in names}
        f = m.found[0] if m.item_question and m.found else None
        if f is None:
            missed += 1
            # the chat's second chance: a もしかして of the thing named, after the FAQ's reply (settled
            # as the api does with --faq; without it, an upper bound)
            offered = {items[u].name for g in m.maybe for u in g.items}
            shown = bool(m.maybe)
            maybe_right += shown and (bool(offered & set(names)) or any(items[g.items[0]].category in cats
                                                                        for g in m.maybe if g.kind == "item"))
            failures.append({"q": q, "expected": names, "got": None,
                             "maybe": [[items[u].name for u in g.items[:3]] for g in m.maybe]})
            continue
        first = items[f.items[0]]
        if f.kind == "item":  # a sure answer: how often it is of another category (what residents trust)
            sure += 1
            sure_wrong += first.category not in cats
        if f.kind != "item":
            choices += 1
        if f.kind == "item" or len(names) > 1:
            top1 += first.name in names
            cat_strict += f.kind == "item" and first.category in cats
        offered = {items[u].name for u in f.items}
        right = (first.category in cats) if f.kind == "item" else bool(offered & set(names))
        cat_any += right
        if not right or (f.kind == "item" and first.name not in names and len(names) == 1):
            # (a top-1 miss of the right category is listed too: right=True)
            failures.append({"q": q, "expected": names, "kind": f.kind, "right": right,
                             "got": [items[u].name for u in f.items[:4]]})
    pct = lambda a, b: round(100.0 * a / b, 1) if b else None  # noqa: E731
    return {"item_questions": n_item, "top1_item_pct": pct(top1, n_item), "category_strict_pct": pct(cat_strict, n_item),
            "category_pct": pct(cat_any, n_item), "choice_rate_pct": pct(choices, n_item),
            "category_with_maybe_pct": pct(cat_any + maybe_right, n_item),
            "not_recognised_pct": pct(missed, n_item), "sure_wrong_pct": pct(sure_wrong, sure), "multi_questions": n_multi, "multi_right_pct": pct(multi_ok, n_multi),
            "rule_questions": n_rule, "rule_wrongly_matched": rule_wrong, "rule_item_after_faq": rule_after, "missing_questions": n_missing,
            "missing_named": missing_named, "missing_answered_with_an_item": missing_answered, "failures": failures}


def other_matters(matcher: Matcher, faq, meant=None) -> dict:
    """Residents' messages written blind about every matter of a city (bench/data/blind/, labelled
    against the demo FAQ), those about another matter than the garbage (answered by another entry,
    or no question for a city's FAQ): those answered with an item all the same — the
    matcher's own item questions, and the things named without asking that the FAQ settled."""
    import yaml

    blind = Path(__file__).parent / "data" / "blind"
    labels = {x["id"]: x.get("relevant") or {} for x in yaml.safe_load((blind / "labels_hikarino.yml").read_text(encoding="utf-8"))}
    messages = yaml.safe_load((blind / "questions.yml").read_text(encoding="utf-8"))
    own = settled = after = 0
    wrong = []
    n_other = 0
    for n, x in enumerate(messages, 1):
        relevant = labels.get(f"b{n:03d}", {})
        # another matter: not a question for a municipal FAQ at all, or one another entry answers
        # (a question the demo FAQ lacks may well be about an item: 「割れた瓶ってどうやって捨てればいい？」)
        if any(e.startswith("gomi") for e in relevant) or (x["kind"] == "question" and 2 not in relevant.values()):
            continue
        n_other += 1
        m = matcher.match(x["q"])
        s = settle(m, x["q"], faq, meant)
        own += m.item_question
        settled += s.item_question and not m.item_question
        after += bool(s.maybe)
        if s.item_question:
            wrong.append(x["q"])
    return {"messages": n_other, "answered_with_an_item": own, "settled_as_items": settled,
            "item_offered_after_the_faq": after, "wrong": wrong}


def faq_phrasings(matcher: Matcher, corpus: Path, faq=None, meant=None) -> dict:
    """The demo FAQ corpus's questions and phrasings taken for item questions: those of its ごみ
    entries mostly should be (both are then shown), those of other entries should not. With faq (and
    meant): as the api settles them (api/gomi/topic.py), things named without asking and rows meant too."""
    import yaml

    gomi = other = n = maybe_other = 0
    taken = []
    for path in sorted(corpus.glob("*.y*ml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        entries = data if isinstance(data, list) else data.get("faqs") or data.get("entries") or []
        for e in entries:
            if not isinstance(e, dict) or not e.get("question"):
                continue
            for text in [e["question"], *(e.get("alternatives") or [])]:
                n += 1
                m = matcher.match(text)
                # a もしかして of an item (shown only when the FAQ finds nothing for the phrasing)
                maybe_other += bool(m.maybe) and not str(e.get("id", "")).startswith("gomi")
                m = settle(m, text, faq, meant)
                if m.item_question:
                    if str(e.get("id", "")).startswith("gomi"):
                        gomi += 1
                    else:
                        other += 1
                        taken.append(text)
    return {"phrasings": n, "taken_in_gomi_entries": gomi, "taken_elsewhere": other, "elsewhere": taken,
            "maybe_elsewhere": maybe_other}


def own_names(matcher: Matcher, items: list[Item]) -> dict:
    """Each item's own name asked as 「Xは何ごみ？」: answered with that item (alone, or among the choices
    offered) — a check of the list's shape that needs no question set (a city's new list)."""
    wrong = []
    for it in items:
        m = matcher.match(f"{it.name}は何ごみ？")
        f = m.found[0] if m.item_question and m.found else None
        if not f or (f.items[0] != it.uid if f.kind == "item" else it.uid not in f.items):
            wrong.append(it.name)
    return {"items": len(items), "answered_pct": round(100.0 * (len(items) - len(wrong)) / len(items), 1),
            "wrong": wrong}


def latency(match, questions: list[str], rounds: int = 3) -> dict:
    """match: a Matcher's match, or a list's Meanings' nearest (each message once: it keeps the last ones)."""
    times = []
    for _ in range(rounds):
        for q in questions:
            t = time.perf_counter()
            match(q)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(times[int(len(times) * 0.95) - 1], 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--list", type=Path, default=DATA / "yokohama-city.csv")
    ap.add_argument("--questions", type=Path, action="append",
                    help="question files over --list (default: Yokohama's questions.txt and heldout.txt)")
    ap.add_argument("--pad", type=Path, help="another list whose items join the list before it is grown to 5,000 "
                                             "(Yokohama's with the town's: real names of two cities)")
    ap.add_argument("--json", type=Path, help="also write the report here")
    ap.add_argument("--failures", action="store_true", help="print the first question set's failures")
    ap.add_argument("--faq", type=Path, nargs="?", const=Path("var/cache/embeddings.sqlite"), default=None,
                    help="run the demo FAQ search (embedding cache: this file) to count a thing's もしかして only "
                         "where the FAQ does not answer, as the chat shows it")
    ap.add_argument("--no-meaning", action="store_true",
                    help="with --faq: without the rows offered by a message's meaning (api/gomi/meaning.py)")
    args = ap.parse_args()
    listed = read_list(args.list.read_bytes())
    items = [Item(i.item_id, i.name, i.category, tuple(i.aliases), fee=fee_key(i.fee_kind, i.fee)) for i in listed.items]
    t = time.perf_counter()
    matcher = Matcher(items)
    build_s = time.perf_counter() - t
    index = {i.uid: i for i in items}
    files = args.questions or [DATA / "questions.txt", DATA / "heldout.txt"]
    names = [f.stem for f in files] if args.questions else ["dev", "heldout"]
    sets = {name: load_questions(f) for name, f in zip(names, files)}
    report = {"list": args.list.name, "items": len(items), "build_s": round(build_s, 2)}
    faq = faq_reading_of(args.faq) if args.faq else None
    meant = faq.meanings(items).nearest if faq and not args.no_meaning else None
    for name, qs in sets.items():
        report[name] = evaluate(matcher, index, qs, faq, meant)
    report["own_names"] = own_names(matcher, items)
    corpus = Path(__file__).resolve().parent.parent / "faq_corpus"
    if corpus.exists():
        report["faq_corpus"] = faq_phrasings(matcher, corpus, faq, meant)
    if faq:
        report["other_matters"] = other_matters(matcher, faq, meant)
    all_q = [q for qs in sets.values() for _, q in qs]
    matcher.match("ウォームアップ")
    report["latency"] = latency(matcher.match, all_q)
    if meant:  # (the FAQ's search runs for such a message in any case: only the rows' nearness is the meaning's own)
        report["meaning_latency"] = latency(faq.meanings(items).nearest, list(dict.fromkeys(all_q)), rounds=1)
    pad = []
    if args.pad:
        pad = [Item(f"pad.{i.item_id}", i.name, i.category, tuple(i.aliases), fee=fee_key(i.fee_kind, i.fee))
               for i in read_list(args.pad.read_bytes()).items]
    big = grow(items + pad, 5000)
    t = time.perf_counter()
    big_matcher = Matcher(big)
    report["items_5000"] = {"build_s": round(time.perf_counter() - t, 2), **latency(big_matcher.match, all_q)}
    rows = [("", *sets)]
    for key, label in (("item_questions", "item questions"), ("top1_item_pct", "top-1 item %"),
                       ("category_pct", "right category % (choices holding it count)"),
                       ("category_strict_pct", "right category % (first reply, strict)"),
                       ("category_with_maybe_pct", "… with the もしかして after the FAQ's reply %"
                        + (" (FAQ run)" if args.faq else " (upper bound)")),
                       ("choice_rate_pct", "choice rate %"), ("not_recognised_pct", "not recognised %"),
                       ("sure_wrong_pct", "sure answers of another category %"),
                       ("multi_questions", "several-item questions"), ("multi_right_pct", "several items all right %"),
                       ("rule_questions", "rule / other questions"), ("rule_wrongly_matched", "rule questions taken for items"),
                       ("rule_item_after_faq", "… an item after the FAQ's answer"),
                       ("missing_questions", "items the list lacks"), ("missing_named", "… named as missing"),
                       ("missing_answered_with_an_item", "… answered with another item")):
        rows.append((label, *(str(report[name][key]) for name in sets)))
    width = max(len(r[0]) for r in rows)
    print(f"{report['list']}: {report['items']} items, matcher built in {report['build_s']} s")
    for r in rows:
        print(f"{r[0]:<{width}}  " + "  ".join(f"{c:>9}" for c in r[1:]))
    print(f"latency ({len(items)} items): p50 {report['latency']['p50_ms']} ms, p95 {report['latency']['p95_ms']} ms")
    print(f"latency (5000 items{', ' + str(len(pad)) + ' of them from ' + args.pad.name if pad else ''}): "
          f"p50 {report['items_5000']['p50_ms']} ms, p95 {report['items_5000']['p95_ms']} ms"
          f" (built in {report['items_5000']['build_s']} s)")
    if "meaning_latency" in report:
        print(f"a message's meaning (embedded, its rows' nearness; where nothing was found): "
              f"p50 {report['meaning_latency']['p50_ms']} ms, p95 {report['meaning_latency']['p95_ms']} ms")
    own = report["own_names"]
    print(f"the list's own names asked (「Xは何ごみ？」): {own['answered_pct']} % of {own['items']} answered with their item"
          f"{' (not: ' + ', '.join(own['wrong'][:8]) + (' …' if len(own['wrong']) > 8 else '') + ')' if own['wrong'] else ''}")
    if "faq_corpus" in report:
        fc = report["faq_corpus"]
        print(f"demo FAQ phrasings taken for item questions{' (as the FAQ settles them)' if faq else ''}: "
              f"{fc['taken_in_gomi_entries']} in ごみ entries, "
              f"{fc['taken_elsewhere']} elsewhere {fc['elsewhere']} (of {fc['phrasings']}); "
              f"an item's もしかして (when the FAQ had nothing) for {fc['maybe_elsewhere']} elsewhere")
    if "other_matters" in report:
        om = report["other_matters"]
        print(f"blind residents' messages about other matters answered with an item: {om['answered_with_an_item']} by the "
              f"matcher + {om['settled_as_items']} settled by the FAQ (of {om['messages']}) {om['wrong']}; "
              f"an item offered after the FAQ's reply for {om['item_offered_after_the_faq']}")
    if args.failures:
        for f in report[names[0]]["failures"]:
            print(json.dumps(f, ensure_ascii=False))
    out = {k: ({kk: vv for kk, vv in v.items() if kk != "failures"} if isinstance(v, dict) else v) for k, v in report.items()}
    for name in sets:
        out[f"{name}_failures"] = len(report[name]["failures"])
    print(json.dumps(out, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
