"""bench.retrieval and the calibrated zones, on the real corpus and a small BEIR folder."""
import json

import pytest

from bench import retrieval


@pytest.fixture(scope="module")
def small_beir(tmp_path_factory):
    """50 FAQs of our corpus and a few of our questions, in BEIR format."""
    src = retrieval.ROOT / "bench" / "data" / "hikarino"
    out = tmp_path_factory.mktemp("beir")
    rows = [json.loads(line) for line in open(src / "corpus.jsonl", encoding="utf-8")][:50]
    ids = {r["_id"] for r in rows}
    (out / "corpus.jsonl").write_text("\n".join(json.dumps({k: r[k] for k in ("_id", "title", "text")},
                                                           ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    qrels = [line.rstrip("\n").split("\t") for line in open(src / "qrels" / "test.tsv", encoding="utf-8")][1:]
    keep = {q for q, d, _ in qrels if d in ids}
    queries = [json.loads(line) for line in open(src / "queries.jsonl", encoding="utf-8")]
    (out / "queries.jsonl").write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in queries if q["_id"] in keep)
                                       + "\n", encoding="utf-8")
    (out / "qrels").mkdir()
    (out / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\n" + "".join(
        f"{q}\t{d}\t{g}\n" for q, d, g in qrels if d in ids), encoding="utf-8")
    return out


def test_bench_asks_the_phrasings_of_a_corpus_stripped_of_them(tmp_path, capsys):
    rows = [{"_id": "gomi", "title": "粗大ごみの出し方", "text": "受付センターに申し込んでください。",
             "alternatives": ["大きいごみを捨てたい", "ソファを処分したい"]},
            {"_id": "juminhyo", "title": "住民票の写しの取り方", "text": "市民課かコンビニで取れます。",
             "alternatives": ["住民票がほしい"]}]
    (tmp_path / "corpus.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    (tmp_path / "queries.jsonl").write_text(json.dumps({"_id": "q1", "text": "住民票"}, ensure_ascii=False) + "\n",
                                            encoding="utf-8")
    (tmp_path / "qrels").mkdir()
    (tmp_path / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq1\tjuminhyo\t1\n", encoding="utf-8")
    assert retrieval.main([str(tmp_path), "--json", "--phrasings"]) == 0
    metrics = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert metrics["queries"] == 3 and metrics["answerable"] == 3  # one per phrasing
    assert retrieval.main([str(tmp_path), "--json", "--no-alternatives"]) == 0
    metrics = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert metrics["queries"] == 1 and metrics["sr@1"] == 1.0


def test_bench_command_json_and_run_file(small_beir, tmp_path, capsys):
    run = tmp_path / "run.trec"
    assert retrieval.main([str(small_beir), "--json", "--run", str(run)]) == 0
    metrics = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    for key in ("ndcg@10", "recall@10", "mrr@10", "sr@1", "sr@5", "p50_ms", "p95_ms", "build_s"):
        assert key in metrics
    assert metrics["corpus"] == 50 and metrics["ndcg@10"] > 0.6
    lines = run.read_text().splitlines()
    qid, q0, doc, rank, score, tag = lines[0].split()
    assert q0 == "Q0" and rank == "1" and tag == "madoguchi"
    float(score)


def test_metrics_by_hand():
    assert retrieval.ndcg(["a", "b"], {"a": 2}, 10) == 1.0
    assert retrieval.ndcg(["b", "a"], {"a": 1}, 10) == pytest.approx(1 / 1.584962500721156)
    assert retrieval.ndcg(["x"], {"a": 1}, 10) == 0.0


@pytest.mark.parametrize("question", ["住民票の写しがほしいです", "粗大ごみの申し込み方法を教えて", "犬を飼い始めたので登録したい"])
def test_clear_questions_are_answered(faq, question):
    assert faq.search(question, 3).zone == "answer"


@pytest.mark.parametrize("question", ["明日の天気は晴れますか", "おすすめのラーメン屋を教えて", "円安はいつまで続きますか"])
def test_out_of_scope_gets_no_answer(faq, question):
    assert faq.search(question, 3).zone == "none"


def test_hiragana_question_is_restored(faq):
    result = faq.search("りょういくてちょうは どこで もらえますか", 3)
    assert result.hits[0].id.startswith("fukushi-")


def test_rerank_fit_learns_the_telling_feature_and_phrasing_set():
    import numpy as np

    from api.faq.calibration import DEFAULT_FILE, RERANK_FEATURES, Calibration
    from api.faq.search import Doc
    from bench.calibrate import fit_rerank, top1
    from bench.retrieval import phrasing_set

    rng = np.random.default_rng(0)
    rows = []
    for _ in range(60):  # feature 1 marks the right candidate, feature 0 is noise
        x = rng.normal(size=(10, 2))
        right = int(rng.integers(10))
        x[right, 1] += 5
        rows.append((x, np.eye(10)[right] * 2))
    weights = fit_rerank(rows)
    assert weights[1] > abs(weights[0]) and top1(rows, weights) > 0.9
    stripped, queries, qrels = phrasing_set([Doc("a", "Q", ("P1", "P2"), "A")])
    assert stripped[0].alternatives == () and sorted(queries.values()) == ["P1", "P2"]
    assert all(q == {"a": 1} for q in qrels.values())
    assert len(Calibration.load(DEFAULT_FILE).rerank_weights) == len(RERANK_FEATURES)
