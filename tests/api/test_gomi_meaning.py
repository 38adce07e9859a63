"""api.gomi.meaning: a list's rows by what a message means, with the api's own embedding model
(multilingual-e5, the FAQ's) — a thing described instead of named is offered its rows; small talk,
and a message whose nearest row shares no word with it, are offered none."""
import pytest

from api.faq.dense import E5Embedder, EmbeddingCache
from api.gomi.matcher import Item, nouns
from api.gomi.meaning import Meanings

ROWS = ["コーヒーメーカー", "コーヒーフィルター", "電気ポット", "保温ポット", "マンゴーの果実袋", "電動ドリル", "ござ", "鉈", "枡",
        "缶詰の缶", "ロボット掃除機", "蜂の巣", "布団", "自転車", "傘"]


@pytest.fixture(scope="module")
def meanings(tmp_path_factory):
    items = [Item(f"1.{n}", name, "燃やすごみ") for n, name in enumerate(ROWS)]
    return Meanings(E5Embedder(), EmbeddingCache(tmp_path_factory.mktemp("cache") / "vectors.sqlite"), items)


def named(meanings, text):
    uids, _score = meanings.nearest(text)
    return [ROWS[int(u.split(".")[1])] for u in uids]


@pytest.mark.parametrize("text, row", [
    ("コーヒー淹れる機械（ドリップのやつ）", "コーヒーメーカー"),
    ("象印のポット、電気でお湯を保温しとくやつ。お湯の出が悪い", "電気ポット"),
    ("庭のマンゴーにかけてた袋", "マンゴーの果実袋"),
    ("マキタのドリル", "電動ドリル"),
    ("サバ缶食べたあとの缶、ふたが取れちゃった", "缶詰の缶"),
])
def test_a_thing_described_is_offered_its_row(meanings, text, row):
    assert row in named(meanings, text)


@pytest.mark.parametrize("text", ["こんにちは", "ありがとう", "え？", "はい", "失礼します", "もう一回", "", "🙂🙂",
                                  "' OR 1=1 --", "<script>alert(1)</script>"])
def test_small_talk_and_noise_are_offered_nothing(meanings, text):
    # (the model comes as near to ござ or 鉈 from 「こんにちは」 as from a description to its row: no noun, no row)
    assert named(meanings, text) == []


def test_rows_are_offered_only_when_the_nearest_shares_a_noun_with_the_message(meanings):
    uids, score = meanings.nearest("天気がいいので散歩に行きます")
    assert uids == [] and 0 < score < 1


def test_nouns_are_read_by_their_reading_without_grammar_or_numbers():
    assert nouns("缶") == nouns("カン") and nouns("缶")
    assert nouns("捨てることにした") == set()
    assert nouns("20") == set()
    # (nor the words of how things go out, which rows such as 事業系ごみ share with any question)
    assert nouns("粗大ゴミで出せますか") == set() and nouns("モフモフ掃除機は何ごみ？") == nouns("掃除機")
    assert nouns("生ごみの水切り") >= nouns("生ごみ") != set()


def test_a_list_without_rows_offers_nothing(tmp_path):
    empty = Meanings(E5Embedder(), EmbeddingCache(tmp_path / "v.sqlite"), [])
    assert empty.nearest("電気ポット") == ([], 0.0)


def test_row_vectors_are_cached_and_messages_are_not(tmp_path):
    import sqlite3

    path = tmp_path / "v.sqlite"
    m = Meanings(E5Embedder(), EmbeddingCache(path), [Item("1.1", "電気ポット", "小型家電")])
    m.nearest("うちのポットが壊れた")
    assert sqlite3.connect(path).execute("SELECT count(*) FROM vectors").fetchone()[0] == 1  # the row's name only
