"""bench.langs: the question sets in nine languages, the foreign zones' calibration and the report."""
import json
import shutil

import pytest
import yaml

from api.faq.calibration import DEFAULT_FILE, Calibration
from api.faq.langs import FOREIGN
from bench import langs
from bench.retrieval import ROOT


def test_question_sets_are_complete_and_their_gold_entries_exist():
    questions = langs.load_questions(ROOT / "bench" / "data" / "langs")
    ids = {name: {json.loads(line)["_id"] for line in open(ROOT / "bench" / "data" / name / "corpus.jsonl",
                                                          encoding="utf-8")} for name in langs.CORPORA}
    assert len({q["qid"] for q in questions}) == len(questions)
    answerable = [q for q in questions if q["gold"]["hikarino"]]
    assert len(answerable) >= 40  # the brief's floor, per language
    for q in questions:
        assert all(q.get(lang, "").strip() for lang in langs.LANGS), q["qid"]
        assert set(q["gold"]) == set(langs.CORPORA)
        for corpus, gold in q["gold"].items():
            assert set(gold) <= ids[corpus], (q["qid"], corpus)
    # both halves hold answerable and out-of-scope questions
    for fitted in (True, False):
        part = [q for q in questions if langs.fitted_part(q["qid"]) == fitted]
        assert any(q["gold"]["hikarino"] for q in part) and any(not q["gold"]["hikarino"] for q in part)


def test_figures_by_hand():
    rows = [{"gold": {"a"}, "ids": ["a", "b"], "zone": "answer"},
            {"gold": {"a"}, "ids": ["b", "c", "a"], "zone": "suggest"},
            {"gold": {"c"}, "ids": ["a", "b", "d"], "zone": "none"},
            {"gold": set(), "ids": ["a"], "zone": "none"},
            {"gold": set(), "ids": ["b"], "zone": "answer"}]
    f = langs.figures(rows)
    assert f["questions"] == 5 and f["answerable"] == 3
    assert f["sr@1"] == round(1 / 3, 4) and f["sr@3"] == round(2 / 3, 4)
    assert (f["zone_answer"], f["zone_suggest"], f["zone_none"]) == (0.4, 0.2, 0.4)
    assert f["answer_precision"] == 0.5  # the out-of-scope question answered is wrong
    assert f["answerable_in_none"] == round(1 / 3, 4) and f["oos_in_none"] == 0.5


@pytest.fixture(scope="module")
def small_data(tmp_path_factory):
    """The two corpora cut to the gold entries of 16 topics and as many others, and those topics."""
    src = ROOT / "bench" / "data"
    out = tmp_path_factory.mktemp("langs-data")
    questions = [q for q in langs.load_questions(src / "langs") if q["qid"] in
                 {f"x{i:02d}" for i in range(1, 13)} | {f"o{i:02d}" for i in range(1, 5)}]
    (out / "langs").mkdir()
    (out / "langs" / "questions_1.yml").write_text(yaml.safe_dump(questions, allow_unicode=True), encoding="utf-8")
    for name in langs.CORPORA:
        gold = {d for q in questions for d in q["gold"][name]}
        rows = [json.loads(line) for line in open(src / name / "corpus.jsonl", encoding="utf-8")]
        keep = [r for r in rows if r["_id"] in gold] + [r for r in rows if r["_id"] not in gold][:len(gold)]
        (out / name).mkdir()
        (out / name / "corpus.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in keep),
                                                 encoding="utf-8")
        shutil.copy(src / name / "queries.jsonl", out / name / "queries.jsonl")
        (out / name / "qrels").mkdir()
        (out / name / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\n", encoding="utf-8")
    return out


def test_calibrate_and_report(small_data, tmp_path, capsys):
    calibration = tmp_path / "calibration.json"
    shutil.copy(DEFAULT_FILE, calibration)
    report = tmp_path / "report.json"
    assert langs.main(["--data", str(small_data), "--calibration", str(calibration), "--calibrate",
                       "--out", str(report)]) == 0
    printed = capsys.readouterr().out
    assert "hikarino/held-out  (before → after)" in printed and "kotobukigawa/all" in printed
    result = json.loads(printed.strip().splitlines()[-1])
    assert result == json.loads(report.read_text(encoding="utf-8"))
    assert set(result) == {"hikarino/fitted", "hikarino/held-out", "kotobukigawa/all"}
    for part in result.values():
        assert set(part) == {*langs.LANGS, "foreign"}
        for row in part.values():
            assert set(row["before"]) == set(row["after"]) >= {"sr@1", "sr@3", "zone_answer", "answer_precision",
                                                               "answerable_in_none", "oos_in_none"}
    # the Japanese search is untouched; foreign questions no longer land in "none" wholesale
    for part in result.values():
        assert part["ja"]["before"] == part["ja"]["after"]
        foreign = part["foreign"]
        assert foreign["before"]["answerable_in_none"] > 0.5 > foreign["after"]["answerable_in_none"]
        assert foreign["after"]["sr@3"] > 0.6
    # the foreign zones are written beside the Japanese ones, which are kept
    written, before = Calibration.load(calibration), Calibration.load(DEFAULT_FILE)
    assert written.foreign is not None and 0 < written.foreign.scope_threshold < 1
    assert (written.scope_weights, written.rerank_weights) == (before.scope_weights, before.rerank_weights)
    # a second run reads them back and reports the same
    assert langs.main(["--data", str(small_data), "--calibration", str(calibration)]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1]) == result


def test_without_foreign_zones_the_report_says_what_to_run(small_data, tmp_path, capsys):
    calibration = tmp_path / "calibration.json"
    data = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
    data.pop("foreign", None)
    calibration.write_text(json.dumps(data), encoding="utf-8")
    assert langs.main(["--data", str(small_data), "--calibration", str(calibration)]) == 1
    assert "--calibrate" in capsys.readouterr().err


def test_the_shipped_calibration_has_foreign_zones():
    foreign = Calibration.load().foreign
    assert foreign is not None and 0 < foreign.scope_threshold < foreign.answer_threshold <= 1
    assert len(FOREIGN) == 9
