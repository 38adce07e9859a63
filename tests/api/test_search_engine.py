"""The search engine on a small corpus written here, independent of faq_corpus/."""
import pytest

from api.faq.analysis import Analyzer, Synonyms
from api.faq.dense import E5Embedder
from api.faq.search import Doc, HybridEngine

DOCS = [
    Doc("juminhyo", "住民票の写しはどこで取れますか", ("住民票がほしい", "住民票 取り方"),
        "市民課の窓口かコンビニで取れます。本人確認書類を持ってきてください。"),
    Doc("sodai", "粗大ごみの出し方を教えてください", ("大きいごみを捨てたい", "粗大ごみ 申込"),
        "粗大ごみ受付センターに電話かインターネットで申し込んでください。処理券を貼って出します。"),
    Doc("mynumber-lost", "マイナンバーカードをなくしたときは", ("マイナンバーカード 紛失",),
        "マイナンバー総合フリーダイヤルに連絡して一時停止し、警察に遺失届を出してください。"),
    Doc("hoikusho", "保育所の入所の申し込み方法", ("保育所に入りたい",),
        "保育課で申込書を受け取り、必要書類と一緒に提出してください。"),
]


@pytest.fixture(scope="module")
def embedder():
    return E5Embedder()


@pytest.fixture()
def engine(embedder):
    e = HybridEngine(Analyzer(Synonyms([["マイナンバーカード", "マイナ", "個人番号カード"], ["保育所", "保育園"]])), embedder)
    e.index(list(DOCS))
    return e


@pytest.mark.parametrize(
    "query,expected",
    [
        ("住民票を取りたい", "juminhyo"),
        ("じゅうみんひょうがほしい", "juminhyo"),  # hiragana only
        ("住民表ほしい", "juminhyo"),  # typo with the right reading
        ("ソダイゴミ", "sodai"),  # katakana
        ("マイナなくした", "mynumber-lost"),  # synonym
        ("個人番号カードを紛失しました", "mynumber-lost"),  # multi-token synonym
        ("保育園に入れたい", "hoikusho"),
    ],
)
def test_top_hit(engine, query, expected):
    result = engine.search(query, 3)
    assert result.hits[0].id == expected


def test_out_of_scope_lands_in_no_answer(engine):
    assert engine.search("明日の天気を教えて", 3).zone == "none"
    assert engine.search("おすすめのラーメン屋", 3).zone == "none"


def test_confident_answer_zone(engine):
    result = engine.search("粗大ごみの出し方を教えてください", 3)
    assert result.zone == "answer"
    assert 0 < result.confidence <= 1 and 0 < result.in_scope <= 1


def test_upsert_and_remove_are_immediate(engine):
    assert engine.search("犬の登録", 3).zone == "none"
    engine.upsert(Doc("inu", "犬の登録はどうすればいいですか", ("犬を飼い始めた",), "環境課で登録してください。"))
    assert engine.search("犬の登録", 3).hits[0].id == "inu"
    engine.upsert(Doc("inu", "猫の相談窓口", (), "環境課へ。"))  # replaced, old words gone
    assert engine.search("犬の登録", 3).zone != "answer"
    assert engine.search("猫の相談窓口はどこ", 1).hits[0].id == "inu"
    engine.remove("inu")
    assert len(engine) == len(DOCS)


def test_garbage_queries_do_not_crash(engine):
    for q in ["", "!!!", "🙂🙂🙂", "<script>alert(1)</script>", "' OR 1=1 --", "ｱｲｳ", "a" * 5000]:
        result = engine.search(q, 3)
        assert result.zone in {"answer", "suggest", "none"}


def test_concurrent_searches(engine):
    from concurrent.futures import ThreadPoolExecutor

    queries = ["住民票を取りたい", "粗大ごみ", "マイナなくした", "保育園"] * 25
    with ThreadPoolExecutor(8) as pool:
        tops = list(pool.map(lambda q: engine.search(q, 1).hits[0].id, queries))
    assert tops[:4] == ["juminhyo", "sodai", "mynumber-lost", "hoikusho"]
    assert tops == tops[:4] * 25


def test_synonym_inside_canonical_word_is_left_alone():
    syn = Synonyms([["マイナンバーカード", "マイナ", "マイナカード"]])
    assert syn.apply("マイナンバーカードをなくした") == "マイナンバーカードをなくした"
    assert syn.apply("マイナなくした") == "マイナンバーカードなくした"
    assert syn.apply("マイナカードの更新") == "マイナンバーカードの更新"


def test_kana_restoration_leaves_inflections_and_the_citys_own_kana_alone():
    from api.faq.analysis import KanaRestorer

    restorer = KanaRestorer(Analyzer(Synonyms([])))
    for text in ("動物の死体の引き取り", "指定ごみ袋", "消火器の捨て方", "療育手帳の申請", "住民票", "転入届", "駐車場"):
        restorer.learn(text)
    restorer.learn("各種証明書は窓口で申請しています。ご相談ください。")  # the city writes しています
    restorer.learn("じゅうみんひょう", official=False)  # a phrasing that mimics residents
    assert restorer.restore("りょういくてちょうがほしい") == "療育手帳がほしい"
    assert restorer.restore("じゅうみんひょうをとりたい") == "住民票をとりたい"
    assert restorer.restore("作り直したいのですが") == "作り直したいのですが"  # not 死体
    assert restorer.restore("どうすればいいでしょうか") == "どうすればいいでしょうか"  # not 消火
    assert restorer.restore("書類を確認しています") == "書類を確認しています"  # not 指定
    assert restorer.restore("どこにとどける") == "どこにとどける"  # not 届 + る: the verb is whole
    # a long vowel typed as 「ー」 reads as the kana spelling does (チュウシャジョウ)
    assert restorer.restore("ちゅーしゃじょうはある?") == "駐車場はある?"
    assert restorer.restore("ﾁｭｰｼｬｼﾞｮｰ") == "駐車場"


def test_a_question_written_all_in_katakana_reads_as_words():
    from api.faq.analysis import KanaRestorer

    restorer = KanaRestorer(Analyzer(Synonyms([["ファミリー・サポート・センター", "ファミサポ"]])))
    restorer.learn("住民税はコンビニで納められます")
    assert restorer.restore("ジュウミンゼイ イツ ヒカレル") == "住民税 いつ ひかれる"
    assert restorer.restore("ファミサポ ノ トウロク") == "ファミサポ の とうろく"  # a word the synonyms know
    assert restorer.restore("ｺﾝﾋﾞﾆ デ ハラエル?") == "コンビニ で はらえる?"  # the city's own katakana word stays
    assert restorer.restore("住民税 イツ") == "住民税 イツ"  # mixed writing is left as written


def test_hiragana_spellings_of_the_corpus_katakana_words_are_restored():
    from api.faq.analysis import KanaRestorer

    restorer = KanaRestorer(Analyzer(Synonyms([])))
    restorer.learn("マイナンバーカードの申請")
    restorer.learn("デイサービスを使いたい")
    restorer.learn("ごみの出し方")  # the city writes ごみ in hiragana: never rewritten
    assert restorer.restore("まいなんばーかーど つくりたい") == "マイナンバーカード つくりたい"
    assert restorer.restore("でいさーびすに かよいたい") == "デイサービスに かよいたい"
    assert restorer.restore("ごみのひ") == "ごみのひ"


def test_a_homophone_typed_inside_a_corpus_compound_is_corrected():
    from api.faq.analysis import KanaRestorer

    restorer = KanaRestorer(Analyzer(Synonyms([])))
    for text in ("児童手当の申請", "介護保険料の納め方", "市役所の何階にありますか", "講演会の案内"):
        restorer.learn(text)
    assert restorer.restore("自動手当 いつ") == "児童手当 いつ"  # a kana-to-kanji conversion slip
    assert restorer.restore("介護保健料の納付書") == "介護保険料の納付書"
    assert restorer.restore("公園で遊びたい") == "公園で遊びたい"  # a word of its own, not a slip for 講演
    assert restorer.restore("何回もかかった") == "何回もかかった"  # one shared kanji anchors nothing
    assert restorer.restore("児童手当") == "児童手当"


def test_hiragana_words_are_written_in_kanji_for_the_embedding_model():
    from api.faq.analysis import KanaRestorer

    restorer = KanaRestorer(Analyzer(Synonyms([])))
    restorer.learn("ごみの出し方を教えてください")  # the city writes ごみ in kana
    assert restorer.in_kanji("いえを かわったら どこに とどける") == "家を 変わったら どこに 届ける"
    assert restorer.in_kanji("まいごの いぬ ひろったら") == "迷子の 犬 拾ったら"
    assert restorer.in_kanji("ごみを すてたい") == "ごみを 捨てたい"  # not 塵: the city's own kana word
    assert restorer.in_kanji("すててしまった") == "捨ててしまった"  # not 仕舞った: an auxiliary
    assert restorer.in_kanji("") == ""


def test_long_vowel_mark_reads_as_the_vowel_it_lengthens():
    from api.faq.analysis import long_vowels

    assert long_vowels("チューシャジョー") == "チュウシャジョウ"
    assert long_vowels("ケーサツ") == "ケイサツ"
    assert long_vowels("カード") == "カアド"
    assert long_vowels("ー") == "ー"  # nothing to lengthen


def test_dense_side_reads_the_end_of_a_long_question_within_its_token_budget(engine, embedder):
    story = "先月から母の体調がすぐれず、仕事を休んで病院に付き添う日が続いています。" * 4
    text = engine.dense_text(story + "すみません、粗大ごみの出し方を教えてください。")
    assert embedder.query_tokens(text) <= engine.params.embed_tokens
    assert text.endswith("粗大ごみの出し方を")  # the asking phrases go, the topic stays
    assert "すみません" not in text
    # a question made only of asking phrases is left as it is rather than emptied
    assert engine.dense_text("教えてください") == "教えてください"


def test_every_city_gets_the_general_synonyms_and_adds_its_own(tmp_path):
    from api.faq.service import GENERAL_SYNONYMS

    assert Synonyms.load(GENERAL_SYNONYMS, tmp_path / "missing").apply("はんこを登録したい") == "印鑑を登録したい"
    (tmp_path / "town.txt").write_text("町報, 広報ことぶき\n", encoding="utf-8")
    both = Synonyms.load(GENERAL_SYNONYMS, tmp_path)
    assert both.apply("広報ことぶき") == "町報" and both.apply("はんこ") == "印鑑"


def test_a_text_searched_again_is_embedded_once(engine, embedder, monkeypatch):
    """The ごみ分別 match and the reply both search a resident's message in one turn: one embedding."""
    calls = []
    real = embedder.queries
    monkeypatch.setattr(embedder, "queries", lambda texts: calls.append(texts) or real(texts))
    first = engine.search("粗大ごみ 捨てたい 椅子", k=1)
    second = engine.search("粗大ごみ 捨てたい 椅子", k=1)
    assert len(calls) == 1 and first.hits[0].id == second.hits[0].id == "sodai"
    engine.search("住民票を取りたい", k=1)
    assert len(calls) == 2
