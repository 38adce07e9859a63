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


def test_a_town_the_matcher_was_not_tuned_on():
    """みずほ野町 (bench/data/gomi-town/, fictional, standard layout with the prefix, CP932): its
    questions name items of its list or 'missing', and the figures measured when it was added
    (category 88.6 %, 89.1 % since the 捨てる fix; missing named 2 of 3) do not fall; the goal, 95 %,
    is not met yet."""
    town = DATA.parent / "gomi-town"
    listed = read_list((town / "mizuhono-town.csv").read_bytes())
    assert len(listed.items) >= 400
    items = [Item(i.item_id, i.name, i.category) for i in listed.items]
    questions = load_questions(town / "questions.txt")
    assert len(questions) >= 150
    report = evaluate(Matcher(items), {i.uid: i for i in items}, questions)
    assert report["missing_questions"] >= 3 and report["missing_named"] >= 2
    assert report["category_pct"] >= 88.0
    assert report["rule_wrongly_matched"] == 0 and report["multi_right_pct"] == 100.0


def test_every_blind_set_names_items_of_its_list():
    """The blind sets (written and labelled by people who saw neither the matcher nor the other
    sets: README ごみ分別) label every message with names of their list, '-' or 'missing'."""
    for folder, name, count in ((DATA, "yokohama-city.csv", 26), (DATA.parent / "gomi-town", "mizuhono-town.csv", 26),
                                (DATA.parent / "gomi-sakuragawa", "sakuragawa-city.csv", 14),
                                (DATA.parent / "gomi-harukaze", "harukaze-city.csv", 8)):
        items = [Item(i.item_id, i.name, i.category) for i in read_list((folder / name).read_bytes()).items]
        matcher, index = Matcher(items), {i.uid: i for i in items}
        files = sorted(folder.glob("blind*-*.txt"))
        # (dev and held-out halves of blind, blind2 … blind13; さくら川市: blind7 … blind13; はるかぜ市: blind10 … blind13)
        assert len(files) == count, files
        for path in files:
            report = evaluate(matcher, index, load_questions(path))  # exits on an unknown item name
            # (one-item questions: the town's small list lacks more things, so more of its messages are 'missing'
            # or name several things — blind10-dev has 40)
            assert report["item_questions"] >= 40 and report["rule_questions"] >= 9, path


def test_several_things_the_list_lacks_count_as_one_it_lacks():
    """「神棚と古いお札」 labelled 'missing | missing' is right when the list's lack is named (the staff's inbox),
    as a single missing thing is: no several-item answer can be right for it."""
    items = [Item("a", "アルバム", "燃やすごみ")]
    report = evaluate(Matcher(items), {i.uid: i for i in items},
                      [("missing | missing", "神棚と古いお札は何ごみ？"), ("アルバム | missing", "アルバムと神棚は何ごみ？")])
    assert report["missing_questions"] == 1 and report["multi_questions"] == 1
    assert report["missing_answered_with_an_item"] == 0


def test_lists_written_for_the_bench_import_and_their_questions_name_their_items():
    """きたはま町 (CP932, the prefix, things under their kind), みなと坂市 (UTF-8, no prefix, <br> and links in the
    notes), さざなみ市 (a city's own layout, its columns found from the headers), あさぎり市 (UTF-8 with BOM, no prefix),
    ひがしやま町 (CP932, the prefix), うみかぜ市 (UTF-8, LF, no prefix), ゆきしろ市 (UTF-8 with BOM,
    CRLF, the prefix), みずなぎ市 (CP932, CRLF, a city's own layout with a reading column), ひのくに市 (UTF-8 with BOM,
    LF, no prefix, names joined with ／) and ことなみ市 (CP932, CRLF, the prefix, Kansai): lists and question sets written for the bench by helpers who saw no code
    (README ごみ分別); every label names an item of its list, '-' or 'missing', and the halves hold what their header
    says (きたはま町, みなと坂市, さざなみ市, あさぎり市, うみかぜ市 and ゆきしろ市 have a second set, listq2, by another
    helper; みなと坂市's has 300 messages; the lifeq sets of ことなみ市 and みなと坂市 (one set of messages) and of あさぎり市
    and ひのくに市 (another), 240 messages each written from residents' life situations by a helper who saw no list and
    labelled against each list by another, hold almost no rule questions; so do うみかぜ市's and ゆきしろ市's, a third
    writer's messages, and みずなぎ市's and ひがしやま町's, a fourth's; きたはま町's and さざなみ市's lifeq, a fifth
    writer's, hold ten or more: that writer was asked for some; さんごはま市 (UTF-8, CRLF, no prefix, Okinawa) and
    Yokohama's own list hold a sixth writer's lifeq, five or more rule questions a half; やまなみ市 (CP932, CRLF, the
    prefix, a mountain basin) a seventh's, nine or more; つばさ市 (UTF-8 with BOM, LF, no prefix, a commuter city of 団地)
    an eighth's, nine or more; もりさと町 (CP932, CRLF, the prefix, a snowy farming town) a ninth's, nine or more)."""
    for folder, name, rows, layout, sets in (
            ("gomi-kitahama", "kitahama-town.csv", 555, "standard", (("listq", 340), ("listq2", 340), ("lifeq", 240))),
            ("gomi-minatozaka", "minatozaka-city.csv", 1198, "standard", (("listq", 340), ("listq2", 300), ("lifeq", 240, 0))),
            ("gomi-sazanami", "sazanami-city.csv", 822, "mapped", (("listq", 340), ("listq2", 340), ("lifeq", 240))),
            ("gomi-asagiri", "asagiri-city.csv", 1119, "standard", (("listq", 340), ("listq2", 340), ("lifeq", 240, 0))),
            ("gomi-higashiyama", "higashiyama-town.csv", 460, "standard", (("listq", 340), ("lifeq", 240, 0))),
            ("gomi-umikaze", "umikaze-city.csv", 1303, "standard", (("listq", 340), ("listq2", 340), ("lifeq", 240, 0))),
            ("gomi-yukishiro", "yukishiro-city.csv", 1106, "standard", (("listq", 340), ("listq2", 340), ("lifeq", 240, 0))),
            ("gomi-mizunagi", "mizunagi-city.csv", 1035, "mapped", (("listq", 340), ("lifeq", 240, 0))),
            ("gomi-hinokuni", "hinokuni-city.csv", 963, "standard", (("listq", 340), ("lifeq", 240, 0))),
            ("gomi-kotonami", "kotonami-city.csv", 927, "standard", (("listq", 340), ("lifeq", 240, 0))),
            ("gomi-sangohama", "sangohama-city.csv", 870, "standard", (("listq", 340), ("lifeq", 240, 5))),
            ("gomi-yamanami", "yamanami-city.csv", 809, "standard", (("listq", 340), ("lifeq", 240, 9))),
            ("gomi-tsubasa", "tsubasa-city.csv", 789, "standard", (("listq", 340), ("lifeq", 240, 9))),
            ("gomi-morisato", "morisato-town.csv", 725, "standard", (("listq", 340), ("lifeq", 240, 9))),
            ("gomi", "yokohama-city.csv", 3413, "yokohama", (("lifeq", 240, 5),))):
        path = DATA.parent / folder
        listed = read_list((path / name).read_bytes())
        assert len(listed.items) == rows and (path / name.replace(".csv", ".json")).exists()
        assert listed.layout == layout
        items = [Item(i.item_id, i.name, i.category) for i in listed.items]
        matcher, index = Matcher(items), {i.uid: i for i in items}
        for prefix, size, *least_rules in sets:
            total = 0
            for half in ("dev", "heldout"):
                questions = load_questions(path / f"{prefix}-{half}.txt")
                total += len(questions)
                report = evaluate(matcher, index, questions)  # exits on an unknown item name
                assert report["item_questions"] + report["multi_questions"] >= 80, (folder, prefix, half)
                assert report["rule_questions"] >= (least_rules or [9])[0], (folder, prefix, half)
            assert total == size, (folder, prefix)
