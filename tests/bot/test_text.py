import pytest

from actions.status import find_application_number
from bot.text import asks_about_a_ticket, asks_about_an_application, gives_application_details, is_emergency, normalize


def test_normalize():
    assert normalize("Ａ－２０２６ー０００１０１\x00です") == "A-2026-000101 です"
    assert normalize("ｼﾞｭｳﾐﾝﾋｮｳ  ほしい") == "ジュウミンヒョウ ほしい"


@pytest.mark.parametrize(
    "text", ["火事です！", "家が燃えてる", "救急車を呼んで", "父が倒れて動かない", "息をしていない", "助けて", "子どもが溺れている",
             "地震で家具の下敷きになった", "エレベーターに閉じ込められた", "ガスくさい", "泥棒に入られた"]
)
def test_emergencies(text):
    assert is_emergency(text)


@pytest.mark.parametrize(
    "text", ["火事のときの避難所はどこですか", "燃えるごみの日はいつ", "地震の備えを知りたい", "子育てを助けてくれる制度はありますか", "防犯カメラの補助", "住民票がほしい"]
)
def test_not_emergencies(text):
    assert not is_emergency(text)


@pytest.mark.parametrize(
    "text,expected",
    [("A-2026-000101です", "A-2026-000101"), ("ａ２０２６ー０００１０１", "A-2026-000101"),
     ("申請番号はA2026000102", "A-2026-000102"), ("A-2026-0001011", None), ("2026000101", None)],
)
def test_application_number(text, expected):
    assert find_application_number(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [("Q-2026-000123の状況は？", "Q-2026-000123"), ("ｑ２０２６ー０００００７", "Q-2026-000007"), ("Q-2026-12", None)],
)
def test_ticket_number(text, expected):
    from actions.tickets import find_ticket_number

    assert find_ticket_number(text) == expected


@pytest.mark.parametrize("text", ["A-2026-000101です", "平成2年4月1日です", "H2.4.1", "19900401", "ﾍｲｾｲ7ﾈﾝ9ｶﾞﾂ9ﾆﾁ",
                                  "昭和三十年十月十日", "12345", "昭和60年6月", "えっと、A-2026-000133やで"])
def test_what_the_status_form_could_take_stays_inform(text):
    assert gives_application_details(text)


@pytest.mark.parametrize("text", ["3月に原付売ったのに税金の紙来たんだけど", "健診 40歳", "S55築の家 耐震工事 ほじょ",
                                  "仕事帰りに市役所寄りたいんだけど、5時過ぎてもまだ間に合う？"])
def test_questions_with_numbers_are_not_form_answers(text):
    assert not gives_application_details(text)


def test_ticket_questions_need_a_number_or_words_about_a_question_left():
    assert asks_about_a_ticket("Ｑ－２０２６－０００１００の状況") and asks_about_a_ticket("しつもんの へんじ まだ？")
    assert not asks_about_a_ticket("にゅうがくつうちしょ まだこない")


def _status_examples() -> list[str]:
    from pathlib import Path

    import yaml

    data = yaml.safe_load((Path(__file__).resolve().parents[2] / "data" / "nlu" / "status.yml").read_text(encoding="utf-8"))
    blocks = [b["examples"] for b in data["nlu"] if b.get("intent") == "check_application_status"]
    return [line[2:].strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_every_trained_status_request_passes_the_status_gate():
    examples = _status_examples()
    assert len(examples) > 40
    assert [t for t in examples if not asks_about_an_application(t)] == []


@pytest.mark.parametrize("text", ["補聴器を買う前に、市に申請しておかないといけませんか", "児童手当の申請方法を教えてください",
                                  "保育園の申し込みに必要な書類は？"])
def test_questions_about_how_to_apply_are_not_status_requests(text):
    assert not asks_about_an_application(text)
    assert asks_about_an_application(text + " A-2026-000101")  # a number makes it one


@pytest.mark.parametrize("text", ["道路で猫が倒れています", "木が倒れていて通れない", "割れたガラス瓶はどう捨てればいいですか",
                                  "父が亡くなりました。手続きは？", "ガスコンロの捨て方", "火災報知器の設置に補助はありますか"])
def test_accidents_deaths_and_animals_are_not_emergencies(text):
    assert not is_emergency(text)


@pytest.mark.parametrize("text", ["人が倒れています", "倒れてる人がいる", "母が倒れた！", "救急車を呼んでください"])
def test_a_person_in_danger_is_an_emergency(text):
    assert is_emergency(text)


@pytest.mark.parametrize("text", ["こんにちは", "ありがとうございました！", "あなたはロボットですか", "はい、お願いします",
                                  "いいえ", "ｷｬﾝｾﾙｼﾏｽ", "さようなら👋", "こんにちは、ことぶき川町の窓口ですか？", "thx"])
def test_small_talk_is_small_talk_words_only(text):
    from bot.text import is_small_talk

    assert is_small_talk(text)


@pytest.mark.parametrize("text", ["冷蔵庫の捨て方", "こんにちは、児童手当について聞きたいです", "AIさん、粗大ごみの出し方を教えて",
                                  "はい、住民票を取りたいです", "ありがとう。あと保育園の申込はいつまで？", "ごみ"])
def test_small_talk_words_around_a_question_make_it_a_question(text):
    from bot.text import is_small_talk

    assert not is_small_talk(text)


def test_staff_requests_need_only_staff_words():
    from bot.text import asks_for_staff

    assert asks_for_staff("職員と話したい") and asks_for_staff("ｵﾍﾟﾚｰﾀｰﾆ ﾂﾅｲﾃﾞ") and asks_for_staff("人間呼んで😡")
    assert not asks_for_staff("担当者の方に聞きたいのですが保育園の空き状況は")
    assert not asks_for_staff("消費生活センターはどこですか")


def test_every_trained_small_talk_and_staff_request_but_one_passes_its_gate():
    from pathlib import Path

    import yaml

    from bot.text import asks_for_staff, is_small_talk

    root = Path(__file__).resolve().parents[2] / "data" / "nlu"
    missed, total = [], 0
    for name in ("smalltalk.yml", "staff.yml"):
        for block in yaml.safe_load((root / name).read_text(encoding="utf-8"))["nlu"]:
            gate = {"request_staff": asks_for_staff}.get(block.get("intent"), is_small_talk)
            if block.get("intent") not in ("greet", "goodbye", "thanks", "affirm", "deny", "bot_challenge", "request_staff"):
                continue
            examples = [line[2:].strip() for line in block["examples"].splitlines() if line.strip()]
            total += len(examples)
            missed += [t for t in examples if not gate(t)]
    # the few that say more than small talk go to the search (and back to small talk when nothing fits)
    assert total > 250 and len(missed) <= 5, missed


def test_status_subscription_and_form_answers_need_their_evidence():
    from bot.text import asks_to_be_told

    assert asks_to_be_told("状況が変わったら知らせて") and asks_to_be_told("通知してほしい")
    assert not asks_to_be_told("婚姻届の提出期限がいつまでか教えてください")
    assert not gives_application_details("令和6年度の住民税はいくらですか")
    assert not asks_about_an_application("マイナンバーカードの申請から受け取りまでいつまでかかりますか")
    assert asks_about_an_application("申請した保育園の結果はまだですか") and asks_about_an_application("結果まだ？")
    assert not asks_about_a_ticket("消費生活センターの問い合わせ先は") and asks_about_a_ticket("送った質問の回答はまだ？")


def test_every_trained_emergency_sounds_urgent_and_everyday_questions_do_not():
    from pathlib import Path

    import yaml

    from bot.text import sounds_urgent

    data = yaml.safe_load((Path(__file__).resolve().parents[2] / "data" / "nlu" / "emergency.yml").read_text(encoding="utf-8"))
    examples = [line[2:].strip() for block in data["nlu"] if block.get("intent") == "emergency"
                for line in block["examples"].splitlines() if line.strip()]
    assert len(examples) > 50 and [t for t in examples if not sounds_urgent(t)] == []
    for question in ("割れたガラス瓶はどう捨てればいいですか", "道路で猫が倒れています", "父が亡くなりました。手続きは？",
                     "ガスコンロの捨て方", "子育てを助けてくれる制度はありますか", "火災報知器の補助", "消防団に入りたい",
                     "交通事故証明書はどこでもらえますか", "息子の転校手続き"):
        assert not sounds_urgent(question), question


def test_leaving_a_question_needs_a_question_and_leaving_it():
    from bot.text import asks_to_leave_a_question

    assert asks_to_leave_a_question("質問を職員に送りたい") and asks_to_leave_a_question("伝言を残したい")
    assert not asks_to_leave_a_question("せいかつほご もらうには")


def test_a_long_message_is_a_status_request_only_when_it_says_the_resident_applied():
    assert not asks_about_an_application("来年の春に上の子が小学校に上がります。市役所から何か書類が届くと聞いたのですが、"
                                         "まだ何も来ていません。こちらから申し込まないといけないのでしょうか。")
    assert asks_about_an_application("提出した申請書の審査の進み具合を教えてほしいのですが、先月の中旬に窓口で出して、"
                                     "そろそろ結果が出る頃かと思って問い合わせました")


@pytest.mark.parametrize("text", [
    "My house is on fire!", "Please call an ambulance, my father collapsed", "He is not breathing", "Help!",
    "I smell gas in the kitchen", "我家着火了", "请叫救护车", "불이 났어요", "구급차 불러 주세요", "Nhà tôi đang cháy",
    "Gọi xe cứu thương giúp tôi", "Socorro! Minha casa está pegando fogo", "Llame a una ambulancia, se desmayó",
    "May sunog sa bahay namin", "Tolong panggil ambulans", "घरमा आगो लाग्यो", "Ada kebakaran di rumah saya", "¡Hay un incendio!",
])
def test_an_emergency_in_another_language_is_an_emergency(text):
    assert is_emergency(text)


@pytest.mark.parametrize("text", [
    "How do I throw away a fire extinguisher?", "How much does an ambulance cost?", "Where is the fire station?",
    "Can you help me with my residence certificate?", "怎么扔灭火器？", "소화기는 어떻게 버려요?", "Bình chữa cháy vứt thế nào?",
    "Como jogar fora um extintor de incêndio?", "¿Dónde está la estación de bomberos?", "¿Cuánto cuesta una ambulancia?",
    "Paano itapon ang pamatay-sunog?", "Bagaimana membuang alat pemadam kebakaran?", "火灾保险怎么办？",
])
def test_questions_about_fire_or_help_in_another_language_are_not(text):
    assert not is_emergency(text)
