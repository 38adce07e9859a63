"""api.gomi.topic.settle: what the FAQ's reading of a message makes of a thing named without
asking (the FAQ readings here are the zones and categories the FAQ search returns)."""
from dataclasses import replace

import pytest

from api.gomi.matcher import Found, Match
from api.gomi.topic import files_unlisted, settle

NAMED = Match(False, False, maybe=[Found("item", "レコード", ["1.1"])])


@pytest.mark.parametrize("zone, category, item_question, after_faq, offered", [
    ("none", None, True, False, False),  # the FAQ has nothing: the thing is what is asked about
    ("none", "税", True, False, False),
    ("suggest", "ごみ・リサイクル", True, False, False),  # unsure, and the garbage first
    ("suggest", "くらし・資源物", True, False, False),
    ("answer", "ごみ・環境", True, True, False),  # its answer about the garbage first, the item after it
    ("suggest", "道路・上下水道", True, False, False),  # unsure of another matter: the thing is what is asked
    ("answer", "国民健康保険・年金", False, False, False),  # another matter answered: nothing of the list
])
def test_the_faq_settles_a_thing_named_without_asking(zone, category, item_question, after_faq, offered):
    m = settle(NAMED, "レコード LP 50枚くらい", lambda q: (zone, category))
    assert m.item_question is item_question and m.after_faq is after_faq
    assert bool(m.found) is item_question and bool(m.maybe) is offered
    if item_question:
        assert m.found[0].items == ["1.1"]


def test_a_message_that_is_its_things_noun_phrase_gets_the_thing_after_another_matters_answer():
    kennel = Match(False, False, maybe=[Found("item", "犬小屋", ["1.5"])])
    pet = lambda q: ("answer", "ペット")  # noqa: E731 (the FAQ's answer on a pet's death)
    for q in ("亡くなった犬の犬小屋", "亡くなった犬の犬小屋。", "亡くなった犬の犬小屋 "):
        m = settle(kennel, q, pet)
        assert m.item_question and m.after_faq and m.found[0].items == ["1.5"], q
    # a thing said before what is asked of it, a matter of it, or a rule beside it: the FAQ's answer alone
    for m, q in ((kennel, "犬小屋を置いていたら近所から苦情がきた"), (replace(kennel, of_matter=True), "隣の犬小屋"),
                 (replace(kennel, rule=True), "引っ越しで犬小屋")):
        settled = settle(m, q, pet)
        assert not settled.item_question and not settled.maybe, q
    # nor a message that only ends in the thing's name: the end of a longer word (「障害者手帳」 is no 手帳), a word
    # apart (「タクシー券 手帳」), a hiragana word a reading guessed at (「たいしんしんだん むりょう」 is no 木料)
    welfare = lambda q: ("answer", "福祉・介護")  # noqa: E731
    for found, q in (("手帳", "タクシー券 障害者手帳"), ("手帳", "タクシー券 手帳"), ("ミラー", "カーブミラー"),
                     ("むりょう", "たいしんしんだんのむりょう")):
        m = Match(False, False, maybe=[Found("item", found, ["1.6"])])
        settled = settle(m, q, welfare)
        assert not settled.item_question and not settled.maybe, q
    # the words of the phrase running into the thing's name are its phrase all the same
    mirror = Match(False, False, maybe=[Found("choices", "ミラー", ["1.7", "1.8"])])
    m = settle(mirror, "25cmくらいの壁かけミラー", lambda q: ("answer", "道路・上下水道"))
    assert m.item_question and m.after_faq and m.found[0].items == ["1.7", "1.8"]


def test_a_thing_said_to_be_no_rental_is_asked_of_the_faq_without_the_rental():
    bed = Match(False, False, maybe=[Found("item", "ベビーベッド", ["1.3"])])
    asked = []

    def faq(q):  # (the FAQ answers the rental of baby things where a message speaks of it)
        asked.append(q)
        return ("answer", "子育て") if "レンタル" in q else ("none", None)
    for q in ("ベビーベッド　レンタルじゃないやつ", "祖父の車椅子、介護保険のレンタルではなく自分で買ったものです"):
        m = settle(replace(bed, maybe=[Found("item", q.split("　")[0], ["1.3"])]), q, faq)
        assert m.item_question and not m.after_faq, q
    assert not any("レンタル" in q for q in asked)
    # asking of the rental itself is the FAQ's
    assert not settle(bed, "ベビーベッドのレンタルはありますか", faq).item_question


def test_a_thing_named_without_asking_gets_the_rows_meant_beside_its_choices_once_settled():
    boxes = Match(False, False, maybe=[Found("choices", "弁当箱", ["1.1", "1.2"])])
    m = settle(boxes, "大館のまげわっぱの弁当箱", lambda q: ("none", None), lambda q: (["1.9"], 0.9))
    assert m.item_question and [(f.kind, f.items) for f in m.found] == [("choices", ["1.1", "1.2", "1.9"])]


def test_what_the_matcher_decided_stays():
    asked = Match(True, False, found=[Found("item", "布団", ["1.2"])])
    rule = Match(False, True)
    calls = []

    def faq(q):
        calls.append(q)
        return "none", None
    assert settle(asked, "布団は何ごみ？", faq) is asked
    assert settle(rule, "粗大ごみの申し込み", faq) is rule
    assert settle(NAMED, "レコード", None) is NAMED  # no FAQ to ask: left as named
    assert calls == []  # the FAQ is asked only of a thing named without asking


def test_a_message_that_says_much_else_is_about_its_thing_unless_the_faq_has_another_matter_for_it():
    from api.gomi.matcher import Item, Matcher
    from api.gomi.topic import BESIDES_MAX

    story = replace(NAMED, besides=BESIDES_MAX + 4)  # 「ボーンボーンって鳴る柱時計、祖父の形見だけど動かない」
    # the FAQ has nothing: the thing is what the message is about
    assert settle(story, "…", lambda q: ("none", None)).item_question
    # the FAQ finding the garbage first settles it too; unsure of another matter, a story that only tells of its
    # thing is about it, one that asks something is about what it asks: its thing is after the FAQ's もしかして
    assert settle(story, "…", lambda q: ("suggest", "ごみ・リサイクル")).item_question
    assert settle(story, "…", lambda q: ("suggest", "道路・上下水道")).item_question
    m = settle(replace(story, asks=True), "…", lambda q: ("suggest", "道路・上下水道"))
    assert not m.item_question and m.maybe == story.maybe
    # (a neighbour's thing is another matter however little the FAQ has: 「隣の部屋のピアノの音がうるさい」; so is
    # a thing others left: 「家の前に知らない自転車がずっと置かれたまま」)
    m = Matcher([Item("p", "ピアノ", "粗大ごみ"), Item("b", "自転車", "粗大ごみ"), Item("c", "柱時計", "粗大ごみ")])
    for q in ("隣の部屋のピアノの音がうるさい。夜10時過ぎても弾いてる", "家の前に知らない自転車がずっと置かれたままなんですが"):
        assert not settle(m.match(q), q, lambda q: ("none", None)).item_question, q
    q = "ボーンボーンって鳴る柱時計、祖父の形見だけど動かない"
    r = m.match(q)
    assert r.besides > BESIDES_MAX and settle(r, q, lambda q: ("none", None)).found[0].items == ["c"]


@pytest.mark.parametrize("match", [
    replace(NAMED, of_matter=True),  # 「携帯電話の解約方法を教えてください」
    replace(NAMED, rule=True),  # 「水道 停止 引っ越し」: the FAQ's もしかして are the rules
])
def test_a_matter_of_the_thing_or_a_rule_is_settled_only_by_the_garbage_first(match):
    m = settle(match, "…", lambda q: ("suggest", "道路・上下水道"))
    assert not m.item_question and m.maybe == match.maybe
    # (of a matter of the thing, the FAQ's garbage entry that its name found only when the FAQ answers:
    # 「消火器の点検って業者が来た」 — after the FAQ's 消火器 entry, not instead of it)
    assert settle(match, "…", lambda q: ("suggest", "ごみ・リサイクル")).item_question is bool(match.rule)
    m = settle(match, "…", lambda q: ("answer", "ごみ・リサイクル"))
    assert m.item_question and m.after_faq
    assert settle(match, "…", lambda q: ("none", None)).item_question is bool(match.rule)


def test_the_matcher_says_how_much_else_a_message_says():
    from api.gomi.matcher import Item, Matcher

    m = Matcher([Item("p", "ピアノ", "粗大ごみ"), Item("r", "レコード", "燃やすごみ")])
    assert m.match("レコード LP 50枚くらい").besides <= 2
    assert m.match("隣の部屋のピアノの音がうるさい。夜10時過ぎても弾いてる").besides > 12


def test_the_matcher_says_when_a_message_asks_of_a_matter_of_the_thing():
    from api.gomi.matcher import Item, Matcher

    m = Matcher([Item("k", "携帯電話", "小型家電"), Item("s", "スマートフォン", "小型家電"), Item("f", "ふとん", "粗大ごみ"),
                 Item("p", "パンフレット", "雑がみ"), Item("m", "ミキサー", "小型家電"), Item("g", "五月人形", "粗大ごみ")])
    for q in ("携帯電話の解約方法を教えてください", "ふとんに寝ると腰が痛い",
              "隣の空き家のふとんが飛んできそう", "がいこくごの パンフレット ありますか"):
        r = m.match(q)
        assert r.maybe and r.of_matter, q
    # (a thing one pays or looks with is the means: no thing of the message at all)
    r = m.match("軽自動車の税金、スマホで払えますか")
    assert not r.item_question and not r.maybe
    # (a part of it or what is left of it: the thing is what goes out)
    for q in ("携帯電話 こわれたやつ 3台", "ふとん 雨でぬれた", "携帯電話の中の電池 とれない", "携帯電話のケース",
              "ふとんの底に穴があいちゃった", "パンフレットの燃えかす", "ミキサーのガラスの容器にもひび",
              "五月人形のガラスケース、けっこう大きいです"):
        r = m.match(q)
        assert not r.of_matter, q


def test_the_things_state_in_the_past_says_nothing_else_a_report_of_a_broken_thing_does():
    from api.gomi.matcher import Item, Matcher
    from api.gomi.topic import BESIDES_MAX

    m = Matcher([Item("c", "蓄音機", "粗大ごみ"), Item("b", "ベンチ", "粗大ごみ")])
    assert m.match("蓄音機が出てきました。壊れて動きません").besides <= BESIDES_MAX
    assert m.match("蓄音機 こわれちゃった").besides <= BESIDES_MAX
    r = m.match("公園のベンチが壊れてて子どもがケガしそうでした")  # the city's own bench: another matter
    assert r.besides > BESIDES_MAX or r.of_matter


def test_a_message_that_says_how_things_go_out_is_about_its_thing_however_long():
    from api.gomi.matcher import Item, Matcher

    m = Matcher([Item("o", "紙おむつ", "燃やすごみ")])
    q = "紙おむつって燃えるごみで出せる？うんちはトイレに流してからって聞いたけど"
    r = m.match(q)
    assert r.maybe and r.says_out and r.besides > 12
    assert settle(r, q, lambda q: ("suggest", "福祉・介護")).item_question  # the FAQ unsure of another matter
    # (「…燃えるごみでいいの？」 asks whether it goes out so: an item question of its own, whatever the FAQ says)
    assert m.match("紙おむつって燃えるごみでいいの？うんちはトイレに流してからって聞いたけど").item_question
    assert not settle(r, q, lambda q: ("answer", "福祉・介護")).item_question  # (its 紙おむつの支給 answered)
    r = m.match("隣の部屋の紙おむつの匂いが夜になるとひどくて眠れないんです")
    assert r.maybe and not r.says_out and not settle(r, "…", lambda q: ("none", None)).item_question


@pytest.mark.parametrize("zone, item_question", [("none", False), ("suggest", False), ("answer", True)])
def test_in_another_language_a_rule_beside_the_thing_stands_unless_the_faq_answers(zone, item_question):
    """«Where do I buy the garbage bags?» (read as 指定袋, a rule): the FAQ's zones are fitted on
    Japanese, and its first entry filed under the garbage does not make it a question about a thing."""
    bags = Match(False, True, maybe=[Found("item", "指定袋", ["1.3"])], foreign=True)
    m = settle(bags, "Where do I buy the garbage bags?", lambda q: (zone, "ごみ・リサイクル"))
    assert m.item_question is item_question
    # the same in Japanese is settled by the garbage first, as before
    assert settle(replace(bags, foreign=False), "ゴミ袋はどこで買えますか", lambda q: (zone, "ごみ・リサイクル")).item_question


@pytest.mark.parametrize("zone, category, filed", [
    ("none", None, True),  # the FAQ has nothing: 「インクカートリッジ」 is a thing the list lacks
    ("suggest", "ごみ・リサイクル", True),  # only unsure, and of the garbage
    ("suggest", "住民票・戸籍・印鑑登録", False),  # 「住民票」: another matter's, sure or not
    ("answer", "ごみ・リサイクル", False),  # the FAQ answers it
])
def test_a_name_alone_the_list_lacks_is_filed_only_where_the_faq_has_no_other_matter(zone, category, filed):
    assert files_unlisted(zone, category) is filed


def test_a_thing_to_get_or_one_others_dumped_is_a_matter_of_it():
    """「パンフレットはどこでもらえますか」 wants the thing; 「タイヤが捨てられてるのを見ました」 reports others'
    dumping: neither asks how a thing goes out (the FAQ answers; the thing is offered only after it). 「市で引き
    取ってもらえますか」 asks the city to take the thing."""
    from api.gomi.matcher import Item, Matcher

    m = Matcher([Item("p", "パンフレット", "雑がみ"), Item("t", "タイヤ", "市では収集しません")])
    for q in ("ごみの出し方のパンフレットはどこでもらえますか", "山道の脇にタイヤがたくさん捨てられてるのを見ました。どこに知らせればいい？"):
        r = m.match(q)
        assert not r.item_question and r.of_matter, q
    assert m.match("古いタイヤ4本、市で引き取ってもらえますか").item_question


def test_the_matcher_says_whether_a_message_asks_or_only_tells():
    """「娘の学習机、ひとり暮らしするから実家に置いてけって言われたけど置き場ない」 only tells of the desk (the FAQ,
    unsure of 転入・転出, settles it as the desk's); 「きのう こうえんで さいふを おとしました。くろい さいふです。どこに
    ききますか」 asks, and of another matter; 「市民プールにスマホを置き忘れました」 and 「道路にタイヤが落ちてて
    危ないです」 ask nothing but are of a matter of the thing: lost, or on the road."""
    from api.gomi.matcher import Item, Matcher

    m = Matcher([Item("d", "机(学習机)", "粗大ごみ"), Item("w", "財布", "燃やすごみ"), Item("s", "スマートフォン", "小型家電"),
                 Item("t", "タイヤ", "市では収集しません"), Item("e", "ワイヤレスイヤホン", "小型家電"),
                 Item("f", "消火器", "市では収集しません")])
    for q in ("娘の学習机、ひとり暮らしするから実家に置いてけって言われたけど置き場ない",
              "台所に置いてた赤い消火器、見たら期限が2015年だった"):
        r = m.match(q)
        assert r.maybe and not r.asks and not r.of_matter, q
        assert settle(r, q, lambda q: ("suggest", "転入・転出・転居")).item_question, q
    # (one of a pair lost: the other goes out)
    assert not m.match("片方なくしたワイヤレスイヤホン").of_matter
    for q in ("きのう こうえんで さいふを おとしました。くろい さいふです。どこに ききますか",
              "学習机の購入に補助金はありますか", "古いスマートフォンのデータってどうなりますか"):
        r = m.match(q)
        assert r.asks, q
    for q in ("市民プールにスマートフォンを置き忘れました。黒いケースです", "国道沿いの道路にタイヤが落ちてて危ないです"):
        r = m.match(q)
        assert r.maybe and r.of_matter, q
        assert not settle(r, q, lambda q: ("suggest", "道路・上下水道")).item_question, q


@pytest.mark.parametrize("zone, category, item_question, after_faq", [
    ("none", None, True, False),
    ("suggest", "ごみ・リサイクル", True, False),
    ("suggest", "子育て", True, False),  # (unsure of another matter: the thing's day is what is asked)
    ("answer", "ごみ・リサイクル", True, True),  # the FAQ's collection days first, the thing's category after them
    ("answer", "子育て", False, False),  # another matter answered
])
def test_a_things_day_asked_is_the_item_question_unless_the_faq_answers_another_matter(zone, category, item_question,
                                                                                    after_faq):
    """「赤ちゃんのオムツって何曜日？」, «vỏ lon bia … ngày nào»: the thing's category says its day, beside a rule
    and in another language too."""
    day = replace(NAMED, rule=True, foreign=True, day=True)
    m = settle(day, "Vỏ lon bia thì bỏ vào ngày nào ạ?", lambda q: (zone, category))
    assert m.item_question is item_question and m.after_faq is after_faq


def test_the_matcher_marks_a_things_day_asked():
    from api.gomi.matcher import Item, Matcher
    m = Matcher([Item("o", "紙おむつ", "燃やすごみ"), Item("c", "空き缶", "資源")])
    assert m.match("赤ちゃんのオムツって何曜日？毎日出るから困る").day
    assert m.match("Cho em hỏi vỏ lon bia thì bỏ vào ngày nào ạ?").day
    assert not m.match("赤ちゃんのオムツ、どこで買うのが安い？").day
    assert not m.match("Which day is for plastics?").day  # (a category's day, no thing's)


NOTHING = Match(False, False, missing="ドリップのやつ")


@pytest.mark.parametrize("zone, category, near, offered", [
    ("none", None, 0.9, True), ("none", "税", 0.85, True),
    # the FAQ unsure, its best entry the garbage's: rows that come nearer than where it has nothing
    ("suggest", "ごみ・リサイクル", 0.9, True), ("suggest", "ごみ・リサイクル", 0.86, False),
    ("suggest", "道路・上下水道", 0.95, False),  # unsure of another matter
    ("answer", "ごみ・リサイクル", 0.95, False), ("answer", "税", 0.95, False)])
def test_rows_by_meaning_are_offered_where_the_faq_has_nothing_or_is_unsure_of_the_garbage(zone, category, near, offered):
    m = settle(NOTHING, "コーヒー淹れる機械（ドリップのやつ）", lambda q: (zone, category), lambda q: (["1.7", "1.8"], near))
    assert m.item_question is offered
    if offered:  # a もしかして, never a sure answer; the name still goes to the staff's inbox
        assert [(f.kind, f.items) for f in m.found] == [("suggest", ["1.7", "1.8"])]
        assert m.missing == "ドリップのやつ" and not m.after_faq
    else:
        assert m is NOTHING


def test_rows_by_meaning_are_not_offered_over_a_rule_a_named_thing_or_when_none_is_near():
    asked = []

    def meant(q):
        asked.append(q)
        return [], 0.5
    rule = Match(False, True)
    assert settle(rule, "粗大ごみの申し込み方法", lambda q: ("none", None), meant) is rule
    assert settle(NAMED, "レコード LP 50枚くらい", lambda q: ("none", None), meant).found[0].items == ["1.1"]
    assert asked == []  # (a rule, or a thing the matcher found: the meaning is not asked)
    assert settle(NOTHING, "こんにちは", lambda q: ("none", None), meant) is NOTHING
    assert asked == ["こんにちは"]
    assert settle(NOTHING, "こんにちは", None, meant) is NOTHING  # no FAQ to ask


def test_a_thing_only_guessed_at_gets_the_rows_meant_beside_the_guesses():
    guess = Match(True, False, found=[Found("suggest", "ガスの筒", ["1.1", "1.2", "1.3", "1.4"])])
    m = settle(guess, "ソーダストリームのガスの筒", None, lambda q: (["1.9", "1.2", "1.8"], 0.88))
    assert m.item_question and [f.kind for f in m.found] == ["suggest"]
    assert m.found[0].items == ["1.1", "1.2", "1.3", "1.9", "1.8", "1.4"]  # the guesses first, as many as CHOICES
    assert m.found[0].text == "ガスの筒"
    # the matcher's guesses are never pushed out: the meaning's fill only the buttons left
    many = replace(guess, found=[Found("suggest", "筒", [f"1.{n}" for n in range(10, 19)])])
    assert settle(many, "ガスの筒", None, lambda q: (["1.9"], 0.88)).found[0].items == many.found[0].items
    five = replace(guess, found=[Found("suggest", "筒", ["1.1", "1.2", "1.3", "1.4", "1.5"])])
    assert settle(five, "ガスの筒", None, lambda q: (["1.9", "1.8"], 0.88)).found[0].items == [
        "1.1", "1.2", "1.3", "1.9", "1.4", "1.5"]
    # a word's choices (the 弁当箱 rows) keep every row it names, the rows the message means after them
    boxes = Match(True, False, found=[Found("choices", "弁当箱", ["1.1", "1.2"])])
    m = settle(boxes, "大館のまげわっぱの弁当箱", None, lambda q: (["1.9", "1.1"], 0.9))
    assert [(f.kind, f.text, f.items) for f in m.found] == [("choices", "弁当箱", ["1.1", "1.2", "1.9"])]
    # a sure answer, several things, or nothing meant: as the matcher said
    for m in (Match(True, False, found=[Found("item", "布団", ["1.2"])]),
              Match(True, False, found=[Found("suggest", "a", ["1.1"]), Found("item", "b", ["1.2"])])):
        assert settle(m, "x", None, lambda q: (["1.9"], 0.9)) is m
    assert settle(guess, "x", None, lambda q: ([], 0.5)) is guess
    assert settle(guess, "x", None, lambda q: (["1.1"], 0.9)) is guess  # (nothing the guesses lack)
