"""bench.gomi on its own data (bench/data/gomi): the question set names real items, and the
development set keeps the goal (≥ 95 % right category, no rule question taken for an item)."""
from bench.gomi import DATA, evaluate, load_questions
from api.gomi.importer import read_list
from api.gomi.matcher import Item, Matcher


def test_development_set_keeps_the_goal():
    items = [Item(i.item_id, i.name, i.category) for i in read_list((DATA / "yokohama-city.csv").read_bytes()).items]
    questions = load_questions(DATA / "questions.txt")
    assert len(questions) + len(load_questions(DATA / "heldout.txt")) >= 300
    report = evaluate(Matcher(items), {i.uid: i for i in items}, questions)  # exits on an unknown item name
    assert report["category_pct"] >= 95.0
    assert report["rule_wrongly_matched"] == 0
