"""bench.dialogue reads replies as a resident does and scores them (the live run is bench's job)."""
from bench.dialogue import read_reply, score, write_corpus
from bench.retrieval import Doc

ANSWER = [{"text": "「住民票」についてご案内します。", "buttons": []},
          {"text": "この回答は役に立ちましたか？", "buttons": [
              {"title": "👍 役に立った", "payload": '/feedback{"faq_id":"koseki-001","helpful":true}'},
              {"title": "👎 役に立たなかった", "payload": '/feedback{"faq_id":"koseki-001","helpful":false}'}]}]
CHOICES = [{"text": "もしかして、次のどれかについてのご質問ですか？", "buttons": [
    {"title": "A", "payload": '/choose_faq{"faq_id":"gomi-001"}'},
    {"title": "B", "payload": '/choose_faq{"faq_id":"gomi-003"}'},
    {"title": "どれでもない", "payload": "/none_of_these"}, {"title": "質問を職員に送る", "payload": "/leave_question"}]}]
EMERGENCY_THEN_ANSWER = [{"text": "【緊急の場合】火事・救急は 119番", "buttons": []}] + ANSWER
NONE = [{"text": "申し訳ありません。そのご質問にお答えできる情報が見つかりませんでした。", "buttons": []}]


def test_replies_are_read_like_a_resident_reads_them():
    assert read_reply(ANSWER) == {"answered": "koseki-001", "choices": [], "kinds": ["answer"]}
    assert read_reply(CHOICES)["choices"] == ["gomi-001", "gomi-003"]
    assert read_reply(EMERGENCY_THEN_ANSWER)["kinds"] == ["emergency", "answer"]
    assert read_reply(NONE)["kinds"] == ["none"]
    assert read_reply([{"text": "こんにちは。ことぶき川町のAI窓口「まどぐち」です。", "buttons": []}])["kinds"] == ["greet"]


def test_scores_count_answers_choices_misroutes_and_non_questions():
    rows = [
        {"kind": "question", "relevant": {"koseki-001"}, "reply": read_reply(ANSWER), "ms": 100},
        {"kind": "question", "relevant": {"gomi-003"}, "reply": read_reply(CHOICES), "ms": 200},
        {"kind": "question", "relevant": {"koseki-001"}, "reply": read_reply(EMERGENCY_THEN_ANSWER), "ms": 300},
        {"kind": "oos", "relevant": set(), "reply": read_reply(NONE), "ms": 100},
        {"kind": "greet", "relevant": set(), "reply": read_reply(
            [{"text": "こんにちは。〇〇市のAI窓口「まどぐち」です。", "buttons": []}]), "ms": 50},
    ]
    s = score(rows)
    assert (s["answerable"], s["out_of_scope"], s["non_questions"]) == (3, 1, 1)
    assert s["answer_precision"] == 1.0 and s["right_first"] == round(2 / 3, 4) and s["right_shown"] == 1.0
    assert s["misroutes"] == {"emergency": 1} and s["misrouted"] == 0.25
    assert s["oos_no_answer"] == 1.0 and s["non_questions_right"] == 1.0


def test_a_set_s_corpus_is_written_as_a_city_s_faq_folder(tmp_path):
    from api.faq.corpus import load_corpus

    write_corpus([Doc("koseki-001", "住民票は？", (), "市民課で。"), Doc("Q_2", "戸籍は？", ("こせき",), "本庁舎で。")],
                 tmp_path)
    entries = load_corpus(tmp_path)
    assert [e.id for e in entries] == ["koseki-001", "q-2"] and entries[1].alternatives == ["こせき"]
    assert entries[0].department is None and entries[0].phone is None
