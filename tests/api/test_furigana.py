"""ふりがな (api.furigana): the readings over administrative words, what is left alone, the word
lists, and input that is odd or huge. The real analyser (fugashi + UniDic) throughout."""
import time
from pathlib import Path

import pytest

from api.faq.analysis import Analyzer
from api.furigana import Furigana, WordList, WordListError
from api.furigana.wordlist import GENERAL

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def furigana():
    return Furigana(Analyzer(), WordList.load(GENERAL, ROOT / "faq_corpus" / "readings"))


def readings(furigana, text):
    return [(t, r) for t, r in furigana.segments(text) if r]


# Each checked by hand; the ones UniDic reads otherwise come from readings.tsv.
ADMINISTRATIVE = {
    "住民票": "じゅうみんひょう", "転入届": "てんにゅうとどけ", "転出届": "てんしゅつとどけ",
    "国民健康保険": "こくみんけんこうほけん", "児童手当": "じどうてあて", "印鑑登録": "いんかんとうろく",
    "市役所": "しやくしょ", "窓口": "まどぐち", "戸籍謄本": "こせきとうほん", "介護保険": "かいごほけん",
    "確定申告": "かくていしんこく", "保育園": "ほいくえん", "母子手帳": "ぼしてちょう", "年金": "ねんきん",
    "戸籍抄本": "こせきしょうほん", "出生届": "しゅっしょうとどけ", "婚姻届": "こんいんとどけ",
    "後期高齢者医療": "こうきこうれいしゃいりょう", "固定資産税": "こていしさんぜい",
    "印鑑登録証明書": "いんかんとうろくしょうめいしょ", "本人確認書類": "ほんにんかくにんしょるい",
    "手数料": "てすうりょう", "療育手帳": "りょういくてちょう", "予防接種": "よぼうせっしゅ",
    "委任状": "いにんじょう", "代理人": "だいりにん", "還付": "かんぷ", "附票": "ふひょう",
    "本庁舎": "ほんちょうしゃ", "市民課": "しみんか", "支所": "ししょ",
    # from readings.tsv (UniDic: せたいしゅ, ぞくがら, きじつまえ…, しゅうしゅうひ, していふくろ)
    "世帯主": "せたいぬし", "続柄": "つづきがら", "期日前投票": "きじつぜんとうひょう",
    "収集日": "しゅうしゅうび", "指定袋": "していぶくろ",
    # the demo city's own (faq_corpus/readings/hikarino.tsv)
    "南支所": "みなみししょ",
}


@pytest.mark.parametrize("word,reading", ADMINISTRATIVE.items())
def test_administrative_words(furigana, word, reading):
    assert furigana.segments(f"{word}について") == [(word, reading), ("について", None)]


def test_a_sentence_joins_back_and_reads_right(furigana):
    text = "住民票の写しは、市役所本庁舎1階の市民課④番窓口、各支所で取れます。"
    segments = furigana.segments(text)
    assert "".join(t for t, _ in segments) == text
    assert readings(furigana, text) == [
        ("住民票", "じゅうみんひょう"), ("写", "うつ"), ("市役所本庁舎", "しやくしょほんちょうしゃ"),
        ("階", "かい"), ("市民課", "しみんか"), ("番窓口", "ばんまどぐち"), ("各支所", "かくししょ"), ("取", "と")]


def test_okurigana_stay_outside_the_reading(furigana):
    assert furigana.segments("読み") == [("読", "よ"), ("み", None)]
    assert furigana.segments("申し込み") == [("申", "もう"), ("し", None), ("込", "こ"), ("み", None)]
    assert furigana.segments("お問い合わせください") == [
        ("お", None), ("問", "と"), ("い", None), ("合", "あ"), ("わせください", None)]
    assert readings(furigana, "一時預かり") == [("一時", "いちじ"), ("預", "あず")]


@pytest.mark.parametrize("text", [
    "マイナンバーカード", "ごみ", "ABC", "ＡＢＣ", "012-345-6000", "300", "１２３", "ｶﾀｶﾅ", "ﾃﾞｼﾞﾀﾙ",
    "https://www.city.hikarino.example/kurashi/koseki/juminhyo.html", "info@city.hikarino.example",
    "👍👎🙂", "！？。、・（）「」", " \n\t\u3000"])
def test_no_kanji_no_reading(furigana, text):
    assert furigana.segments(text) == [(text, None)]


def test_numbers_urls_and_phones_left_alone_beside_kanji(furigana):
    text = "手数料は1通300円、電話 012-345-6111、詳しくは https://www.city.hikarino.example/申請 をご覧ください。"
    segments = furigana.segments(text)
    assert "".join(t for t, _ in segments) == text
    # the URL whole in one plain segment (the widget links it), even with kanji in its path
    assert any("https://www.city.hikarino.example/申請" in t and r is None for t, r in segments)
    assert all(r is None for t, r in segments if any(c.isdigit() for c in t))
    assert readings(furigana, text) == [("手数料", "てすうりょう"), ("通", "つう"), ("円", "えん"), ("電話", "でんわ"),
                                        ("詳", "くわ"), ("覧", "らん")]


def test_counters_follow_their_number(furigana):
    assert readings(furigana, "平日8時30分から17時15分まで") == [
        ("平日", "へいじつ"), ("時", "じ"), ("分", "ぷん"), ("時", "じ"), ("分", "ふん")]
    assert readings(furigana, "6月1日と6月15日") == [("月", "がつ"), ("1日", "ついたち"), ("月", "がつ"), ("日", "にち")]
    assert readings(furigana, "1日300円") == [("1日", "いちにち"), ("円", "えん")]
    assert readings(furigana, "2日 20日") == [("2日", "ふつか"), ("20日", "はつか")]
    assert readings(furigana, "1人 2人 3人 20歳 3階 5階") == [
        ("1人", "ひとり"), ("2人", "ふたり"), ("人", "にん"), ("20歳", "はたち"), ("階", "がい"), ("階", "かい")]
    assert readings(furigana, "１５日") == [("日", "にち")]


@pytest.mark.parametrize("word,reading", [
    ("土曜日", "どようび"), ("毎週水曜日", "まいしゅうすいようび"), ("誕生日", "たんじょうび"), ("開庁日", "かいちょうび"),
    ("来庁予定日", "らいちょうよていび"), ("翌営業日", "よくえいぎょうび"), ("通用口", "つうようぐち"),
    ("出入口", "でいりぐち"), ("非常口", "ひじょうぐち"), ("申込書", "もうしこみしょ"), ("見積書", "みつもりしょ"),
    ("届出印", "とどけでいん"),
    # one word to UniDic: its own reading stays
    ("平日", "へいじつ"), ("本日", "ほんじつ"), ("土日祝日", "どにちしゅくじつ"), ("人口", "じんこう"), ("窓口", "まどぐち"),
    # readings.tsv
    ("生年月日", "せいねんがっぴ"), ("水道管", "すいどうかん"), ("止水栓", "しすいせん")])
def test_compounds_voice_their_last_word(furigana, word, reading):
    assert furigana.segments(word) == [(word, reading)]


def test_after_is_ato_as_a_noun_and_go_after_a_number(furigana):
    assert readings(furigana, "手続きの後") == [("手続", "てつづ"), ("後", "あと")]
    assert readings(furigana, "3日後") == [("3日", "みっか"), ("後", "ご")]


def test_place_names_from_the_city_list(furigana):
    assert furigana.segments("ひかり野市中央") == [("ひかり", None), ("野", "の"), ("市中央", "しちゅうおう")]
    assert readings(furigana, "ひかり野駅") == [("野", "の"), ("駅", "えき")]


@pytest.mark.parametrize("text", [
    "", "a", "😀" * 50 + "住民票" + "😀" * 50, "ｼﾞｭｳﾐﾝﾋｮｳ 住民票", "住民票\r\n\r\n転入届\n", "\x00住民票\x00",
    "𠮷野家の𠮷", "髙橋さんと﨑", "住民票" * 3000, "ア" * 10000 + "漢字"])
def test_odd_and_huge_input_joins_back(furigana, text):
    segments = furigana.segments(text)
    assert "".join(t for t, _ in segments) == text
    assert all(t for t, _ in segments)
    assert all(r is None or (r and all("\u3041" <= c <= "\u3096" or c == "ー" for c in r)) for _, r in segments)


def test_repeated_texts_are_analysed_once(furigana):
    text = "粗大ごみは、粗大ごみ受付センターに電話かインターネットで申し込んでください。" * 3
    first = time.perf_counter()
    furigana.segments(text)
    once = time.perf_counter() - first
    again = time.perf_counter()
    for _ in range(100):
        furigana.segments(text)
    assert (time.perf_counter() - again) / 100 < once / 5


def write(tmp_path, text):
    path = tmp_path / "r.tsv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("line,says", [
    ("住民票", "a word and its reading"), ("住民票 じゅうみん ひょう", "a word and its reading"),
    ("ごみ\tごみ", "has no kanji"), ("住民票\tジュウミンヒョウ", "must be hiragana"),
    ("住民票\tjuminhyo", "must be hiragana")])
def test_bad_word_list_lines_name_file_and_line(tmp_path, line, says):
    path = write(tmp_path, "# a comment\n\n" + line + "\n")
    with pytest.raises(WordListError, match=rf"r\.tsv:3: .*{says}"):
        WordList.load(path)


def test_a_later_list_overrides_and_longest_word_wins(tmp_path):
    (tmp_path / "a.tsv").write_text("南支所\tなんししょ\n北\tほく\n", encoding="utf-8")
    (tmp_path / "b.tsv").write_text("\ufeff南支所\tみなみししょ  # a comment\n", encoding="utf-8")
    f = Furigana(Analyzer(), WordList.load(tmp_path / "none", tmp_path))
    assert readings(f, "南支所と北支所") == [("南支所", "みなみししょ"), ("北", "ほく"), ("支所", "ししょ")]
