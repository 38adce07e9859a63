"""Names of things in residents' other languages (api/gomi/foreign.py, foreign.yml)."""
from pathlib import Path

import pytest

from api.gomi.foreign import LEXICON, gloss
from api.gomi.importer import read_list
from api.gomi.lexicon import read_lexicon
from api.gomi.matcher import BROADER, EVERYDAY, Item, Matcher

SAMPLE = Path(__file__).parent / "data" / "gomi" / "yokohama-sample.csv"


@pytest.fixture(scope="module")
def m():
    return Matcher([Item(i.item_id, i.name, i.category) for i in read_list(SAMPLE.read_bytes()).items])


@pytest.mark.parametrize("q,item", [
    ("How do I throw away an old microwave?", "1943"),  # 電子レンジ
    ("Is a frying pan burnable or non-burnable?", "2668"),  # フライパン
    ("my fridge is broken, how do I get rid of it?", "3399"), ("REFRIGERATOR", "3399"),  # case
    ("IKEA の bicycle すてたい", "1204"),  # mixed into Japanese
    ("cho em hỏi lò vi sóng vứt thế nào ạ", "1943"),  # Vietnamese
    ("Lò vi sóng cũ không dùng nữa, muốn bỏ thì làm sao ạ?", "1943"),  # … "want to throw away"
    ("lo vi song vut the nao", "1943"),  # … typed without its marks
    ("Minha geladeira quebrou, como descartar?", "3399"),  # Portuguese
    ("微波炉怎么扔", "1943"),  # Chinese
    ("냉장고를 버리고 싶어요", "3399"),  # Korean, a particle right after the word
    ("Bagaimana cara buang kulkas?", "3399"),  # Indonesian
    ("old bicycles", "1204"),  # a plural
])
def test_a_thing_named_in_another_language_is_found(m, q, item):
    r = m.match(q)
    assert r.item_question and r.found and item in r.found[0].items, (gloss(q), r.found)


def test_several_things_in_english(m):
    r = m.match("I have a broken umbrella and some old batteries. How do I throw them away?")
    got = [f.items for f in r.found]
    assert len(got) == 2 and set(got[0]) <= {"432", "649"} and got[1] == ["465"], got


@pytest.mark.parametrize("q", [
    "I can help", "Can I put it out on Monday?", "Japan", "scannable",  # «can», «pan» only as words, guarded
    "How do I register my residence card?",
])
def test_ordinary_words_are_not_things(q):
    assert "缶" not in gloss(q) and "フライパン" not in gloss(q) and "鍋" not in gloss(q)


def test_a_guarded_word_counts_after_an_article_or_in_the_plural():
    assert "アイロン" in gloss("an old iron") and "アイロン" not in gloss("iron it")
    assert gloss("empty cans") != "empty cans" and gloss("the can") != "the can"


def test_a_name_its_japanese_word_ends_is_one_name():
    assert gloss("spray 缶は穴をあける？") == "スプレー缶は穴をあける？"


def test_the_longest_name_wins():
    assert "燃えないごみ" in gloss("is it non-burnable?") and "燃えるごみ" not in gloss("is it non-burnable?")


def test_chinese_only_in_a_message_without_kana():
    # a Chinese word may be a Japanese word of another meaning; a Japanese message has kana
    assert "電子レンジ" in gloss("微波炉怎么扔")
    assert gloss("微波炉ですか") == "微波炉ですか"


def test_japanese_is_left_as_it_is():
    for q in ("スプレー缶は何ごみ？", "冷蔵庫を捨てたい", "ふとん", "CB缶", "IH炊飯器"):
        assert gloss(q) == q


def test_every_japanese_name_of_the_lexicon_is_known_to_the_matcher():
    """A foreign word reaches only what its Japanese name reaches: that name must be one of the
    everyday names (everyday.yml) or a broader heading (broader*.yml)."""
    known = {str(w) for path in EVERYDAY for g in read_lexicon(path) for w in g}
    known |= {g["group"] for path in BROADER for g in read_lexicon(path)}
    data = read_lexicon(LEXICON)
    unknown = {e["ja"] for e in data["things"]} - known
    assert not unknown, unknown


def test_no_name_is_found_inside_a_word_in_latin_letters():
    """The tokenizer may cut a foreign word in two (Pi|nas): the list's NAS is not in «Pinas»."""
    m = Matcher([Item("1", "NAS", "燃やさないごみ"), Item("2", "IH炊飯器", "燃やさないごみ")])
    assert not m.match("namin na galing Pinas, pwede ba itapon sa burnable?").found
    assert m.match("NAS 捨てたい").found[0].items == ["1"]
    assert m.match("IH炊飯器を捨てたい").found[0].items == ["2"]


def test_a_thing_lost_or_removed_is_another_matter(m):
    for q in ("I left my umbrella on the city bus yesterday, is there a lost and found?", "駅に傘の忘れ物をしました",
              "My bicycle was removed from the station. Where is it?"):
        r = m.match(q)
        assert not r.item_question and not r.maybe, (q, gloss(q), r)


def test_a_part_of_a_container_is_read_with_it():
    # the list's ペットボトルのラベル / キャップ are found by their words
    assert gloss("페트병 라벨 떼야 돼요?").startswith("ペットボトル ラベル")
    assert "ふた" in gloss("请问塑料瓶的标签和盖子要分开吗") and "ラベル" in gloss("garrafa pet tem que tirar o rotulo?")


@pytest.mark.parametrize("q,item", [("Vỏ hộp sữa bột của em bé là rác gì ạ?", "f"), ("月饼的铁盒子是什么垃圾？", "c"),
                                    ("Xin chào, em muốn vứt cái tủ lạnh nhỏ", None)])
def test_a_formula_can_and_a_tin_box_are_cans_not_a_milk_carton(q, item):
    """«hộp sữa bột» is a can of formula, not the «hộp sữa» carton; 铁盒 (a tin box) is a can; «chào» (hello) is no
    pan (chảo) — the bare word stays out."""
    m = Matcher([Item("f", "粉ミルクの缶", "資源"), Item("p", "牛乳パック", "古紙"), Item("c", "缶(飲料・食品)", "資源"),
                 Item("pan", "フライパン", "不燃")])
    r = m.match(q)
    if item is None:
        assert not any("pan" in f.items for f in r.found), r.found
    else:
        assert r.item_question and r.found[0].items == [item], r.found


def test_chinese_de_between_two_names_is_no():
    """「塑料瓶的盖子」 is ペットボトルのふた — the ペットボトルのキャップ, not the ペットボトル; 晾衣架 is a drying stand, no ハンガー."""
    m = Matcher([Item("c", "ペットボトルのキャップ", "プラ"), Item("b", "ペットボトル", "資源"), Item("s", "物干し台", "粗大"),
                 Item("h", "ハンガー", "燃える")])
    assert m.match("塑料瓶的盖子是什么垃圾？").found[0].items == ["c"]
    assert [f.items for f in m.match("我要搬家了，晾衣架应该怎么扔？").found] == [["s"]]


@pytest.mark.parametrize("q", ["Permisi, saya mau buang rak sepatu dari besi yang sudah rusak", "old shoe rack", "鞋柜怎么扔"])
def test_a_shoe_cabinet_is_no_box_of_shoes(q):
    """A shoe rack or cabinet is the 下駄箱: a list's 靴箱(紙製) is the box shoes are sold in."""
    m = Matcher([Item("g", "下駄箱", "粗大"), Item("k", "靴箱(紙製)", "雑がみ")])
    r = m.match(q)
    assert r.item_question and r.found[0].items == ["g"], r.found


@pytest.mark.parametrize("q", ["Meu cachorro morreu. A prefeitura faz cremação de animais?", "My cat died, what do I do with it?",
                               "강아지가 죽었어요. 어떻게 해야 하나요?", "Con chó nhà tôi đã chết, phải làm sao?", "我的狗死了怎么办",
                               "Mi perro murió. ¿Qué hago?"])
def test_a_pet_that_died_said_in_another_language_is_the_dead_animal(q):
    """A pet and its death in another language read as 「うちの犬 死んだ」 does: the list's row for a dead animal
    (offered, or answered where the message asks how or says whose the pet is)."""
    m = Matcher([Item("d", "動物の死体", "個別に相談"), Item("c", "ペットケージ", "粗大ごみ")])
    r = m.match(q)
    assert [g.items for g in (r.found or r.maybe)] == [["d"]], (q, r)


def test_cho_without_its_marks_is_no_dog():
    """Vietnamese typed without its marks: «Cho em hỏi» (let me ask) is no chó (dog)."""
    m = Matcher([Item("r", "炊飯器", "小型家電"), Item("d", "動物の死体", "個別に相談")])
    r = m.match("Cho em hỏi nồi cơm điện bị hỏng thì vứt thế nào ạ?")
    assert r.item_question and [f.items for f in r.found] == [["r"]], r
