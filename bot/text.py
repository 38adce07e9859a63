"""Japanese text rules shared by the NLU components (no Rasa imports: unit-testable)."""
from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_SPACES = re.compile(r"\s+")
# Dash look-alikes residents type between digits (ー from the kana keyboard, ‐ －…).
_DIGIT_DASH = re.compile(r"(?<=[0-9A-Za-z])[ー‐‑‒–—―−－](?=[0-9])")

# Words that mean something is happening to a person now and needs 119/110: fire, illness or
# injury, crime, gas. Kept narrow on purpose: 「地震の備え」「火事のときの避難所」 are questions,
# and so are 「道路で猫が倒れている」「木が倒れている」 (someone falls: a person is named).
_PEOPLE = r"(人|ひと|父|母|祖父|祖母|夫|妻|子|息子|娘|友達|友人|家族|親|主人|おじいさん|おばあさん|老人|男性|女性|男の人|女の人)"
_EMERGENCY = re.compile(
    "|".join(
        [
            r"火事(です|だ|！|!|$)", r"燃えて(いる|る|ます)", r"火が出て(いる|る|ます)",
            r"救急車(を|が)?(呼んで|よんで|お願い|来て|必要|頼|早く)", r"^救急車[!！]*$", _PEOPLE + r"が倒れ",
            r"倒れて(いる|る|ます)" + _PEOPLE, r"息をしていない", r"息してない", r"意識が(ない|無い)", r"血が止まらない",
            r"呼んでも(返事|反応)が(ない|ありません)", r"溺れて", r"おぼれて", r"下敷き", r"閉じ込められ",
            r"ガス(臭|くさ)", r"(たすけて|助けて)(ください|下さい|くれ)?\s*[!！。]*$", r"水が.{0,6}(来て|入って)(いる|る|ます|きた)",
            r"泥棒に入られ|強盗|不審者に", r"110番|119番", r"^11[09]$",
        ]
    )
)


_NUMBER = r"(\d{1,4}|[〇一二三四五六七八九十百元]+)"
_APPLICATION_NUMBER = re.compile(r"[AaＡａ]\s*-?\s*\d{4}\s*-?\s*\d{6}")
_TICKET_NUMBER = re.compile(r"[QqＱｑ]\s*-?\s*\d{4}\s*-?\s*\d{6}")
# What the status form's answers look like: a whole date (1990年4月1日, H2.4.1, 1985/6/15,
# へいせい7ねん9がつ9にち, 昭和三十年十月十日, 19900401), a year, an era, or a code-like string
# (「12345」 is a wrong number, to be asked again, not a question).
_DATE_PARTS = re.compile(
    _NUMBER + r"\s*(年|ねん|ネン|[/.\-])\s*" + _NUMBER + r"\s*(月|がつ|ガツ|[/.\-])\s*" + _NUMBER
    + r"|\d{2,4}\s*年|昭和|平成|令和|大正|明治|しょうわ|へいせい|れいわ|ショウワ|ヘイセイ|レイワ"
    + r"|(?<![A-Za-z])[HSRTMhsrtm]\s*\d{1,2}\s*[./年]"
)
_WHOLE_DATE = re.compile(_NUMBER + r"\s*(年|ねん|ネン|[/.\-])\s*" + _NUMBER + r"\s*(月|がつ|ガツ|[/.\-])\s*" + _NUMBER)
_CODE_LIKE = re.compile(r"^[\s\dA-Za-z\-/.,:]+$")
# A year or an era alone answers the form's question only in a short message: 「昭和60年6月」,
# not 「令和6年度の住民税はいくらですか」.
FORM_ANSWER_MAX_CHARS = 14
# A question about a question left for staff names it and asks about its answer.
_TICKET_WORDS = re.compile(r"質問|問い?合わせ|問合せ|しつもん|といあわせ")
_ANSWER_WORDS = re.compile(r"返事|回答|返信|へんじ|かいとう|状況|どうな|まだ|進み")


# A question about where one's own application stands names an application (or something
# handed in) and asks where it stands (matched on hiragana, so 「シンセイ ドウナッタ」 counts):
# 「申請の状況」「保育園の申込の結果はまだ？」「審査通った？」. 「補聴器を買う前に申請が要りますか」
# and 「カードの申請から受け取りまでいつまでかかる」 ask how, not where their own stands.
_APPLICATION_WORDS = re.compile(
    r"申請|しんせい|申込|申し込|申しこ|もうしこ|出した|だした|提出|書類|手続き|てつづき|審査|しんさ|選考|抽選"
    r"|請求|受付番号|私の|わたしの|自分の|うちの|わしの"
)
_STATUS_WORDS = re.compile(
    r"状況|状態|じょうきょう|すてーたす|進捗|しんちょく|進み|進ん|結果|けっか|どうな|どない|どげん|どがい|まだ"
    r"|受理|受け付け|受付|処理(さ|状況|は|済)|通っ|通り|差し戻|照会|終わ|できあが|届か|連絡が(ない|来|こ)|来ない|こない|審査中"
)
# Short enough that a status word alone tells: 「結果まだ？」「進捗確認」
STATUS_SHORT_CHARS = 8
# A long message tells its own story: it is about the resident's own application only when it
# says they applied (「先月申請したのに」), not when it asks whether to (「申し込まないといけないのでしょうか」).
STATUS_LONG_CHARS = 40
_OWN_APPLICATION = re.compile(
    r"申請し(た|て)|申請を出|申請中|申し込んだ|申込んだ|申し込みを?し(た|て)|申込みを?した|出した|だした|提出し(た|て)"
    r"|請求し(た|て)|審査|しんさ|選考|抽選|受付番号|申請番号|(私|わたし|自分|うち|わし)の(申請|申込|申し込み)"
)
# Asking to be told when something changes: 「状況が変わったら知らせて」「通知してほしい」.
_NOTIFY_WORDS = re.compile(r"知らせ|しらせ|通知|連絡|教えて|おしえて|めっせーじ|ちょうだい")
_CHANGE_WORDS = re.compile(r"変わ|かわ|変更|へんこう|進ん|進捗|更新|決まっ|終わっ|動き|出たら|なったら")
SUBSCRIBE_SHORT_CHARS = 12
_KATA_TO_HIRA = {c: c - 0x60 for c in range(ord("ァ"), ord("ヶ") + 1)}

# Small talk is a message made of small-talk words only (matched on lower-case hiragana):
# 「こんにちは」「ありがとうございました！」「あなたはロボットですか」「はい、お願いします」.
# Any other word (「こんにちは、児童手当について聞きたい」「冷蔵庫の捨て方」) makes it a question,
# whatever the classifier guessed: it learnt small talk from a few examples, and residents of
# another city ask about things it never saw.
def _words(*patterns: str) -> re.Pattern:
    """One alternation, longest pattern first, so 「人工知能」 is taken whole before 「人」."""
    return re.compile("|".join(sorted(patterns, key=len, reverse=True)))


_SMALL_TALK = _words(*[
    # greetings
    r"こんにち[はわ]", r"こんちは", r"こにちは", r"おはよ[うー]*", r"はじめまして", r"初めまして", r"よろしく",
    r"こんばん[はわ]", r"やあ", r"やっほ[ー]*", r"もしも[しー]+", r"すみません", r"すいません", r"あの[ー〜]*", r"hello", r"hi",
    r"hey", r"はろー", r"まいど", r"はいさい", r"おばんです", r"ちわっす", r"お世話になり(ます)?", r"お疲れ様",
    r"おつかれ(さま)?", r"ごめんください", r"おーい", r"今ちょっといい", r"夜分に", r"まだやって",
    r"(\S{0,8}?[市町村区](役所|役場)?の)?(窓口|ちゃっと|まどぐち)",
    # goodbyes
    r"さよ[うお]?なら", r"さいなら", r"ばいば[いー]+", r"またね", r"また(来|き)ます", r"また", r"失礼(し(ます|ました))?",
    r"しつれい(します)?", r"おやすみ(なさい)?", r"じゃあね?", r"では", r"ほんなら", r"ほいじゃ", r"ほな", r"したっけ",
    r"goodbye", r"bye", r"see you", r"終わり(ます)?", r"おしまい", r"終了(します)?", r"大丈夫", r"以上",
    r"用は済み(ました)?", r"閉じます", r"ごきげんよう", r"これで",
    # thanks
    r"ありがと[うー]*(さん|なす)?", r"ござ[いま]*(す|した)", r"ごさいました", r"助か(り|る|っ)", r"たすか(り|る|っ)",
    r"どうも", r"さんきゅー", r"さんくす", r"thank you", r"thanks", r"thx", r"あざっ?す", r"おおきに",
    r"感謝", r"よく(わかり|分かり)ました", r"(わかり|分かり)やすかった", r"丁寧に", r"恩に着ます", r"勉強になりました",
    r"(わか|分か)った", r"了解", r"にふぇーでーびる", r"だんだん", r"お手数おかけしました", r"役に立ちました",
    r"めっちゃ", r"すごく", r"本当に", r"とても",
    # yes, no
    r"はい", r"お願い(しま[すー]*)?", r"おねがい(しま[すー]*)?", r"そう(そう|だよ|や)?", r"うん", r"ええ", r"ok",
    r"おっけー", r"おけ", r"それで", r"いい", r"yes", r"いえす", r"りょうかい", r"承知しました", r"その(通り|とおり)",
    r"合って(ます|る)", r"あってる", r"そやで", r"せや", r"ほうじゃ", r"んだ", r"ぜひ", r"もちろん",
    r"続けてください", r"進めてください", r"いいえ", r"いえ", r"いや", r"違(います|う)", r"ちが(う|います)",
    r"ちゃう(ねん)?", r"ちゃいます", r"いら(ない|ん)", r"いりません", r"要らない", r"やめ(る|ます)", r"やっぱり",
    r"きゃんせる(しま)?", r"結構です", r"けっこうです", r"no", r"のー", r"不要", r"必要ありません", r"じゃな(い|くて)",
    r"ではありません", r"だめ", r"あかん", r"間違って(ます)?", r"取り消し", r"中止", r"遠慮します", r"やらない",
    # "are you a bot?"
    r"あなた", r"あんた", r"おまえ", r"君", r"きみ", r"人間", r"にんげん", r"ろぼっと", r"ai", r"誰", r"だれ",
    r"返事し", r"返信し", r"答えて", r"中の人", r"職員さん", r"職員", r"ちゃっとぼっと", r"ぼっと", r"bot",
    r"自動応答", r"自動", r"機械", r"本物", r"人", r"ひと", r"生身", r"話して", r"何者", r"人工知能", r"chatgpt",
    r"ぷろぐらむ", r"見て", r"打って", r"こんぴゅーたー", r"どっち", r"(わか|分か)らない", r"(わか|分か)る",
    r"(わか|分か)りました", r"[市町村区](役所|役場)?",
])
# Asking for a person: staff words, and small talk around them (「人と話したい」「担当者につないで」
# 「電話で直接聞きたいので担当課の番号を教えて」); 「保育園のことで職員と相談したい」 names a need,
# and the FAQ's answer (with its office) helps more than the switchboard.
_STAFF_WORDS = _words(*[
    r"職員", r"しょくいん", r"担当(者|課)?", r"たんとう(しゃ)?", r"つない", r"繋い", r"つなげ", r"電話", r"でんわ",
    r"おぺれーたー", r"直接", r"ちょくせつ", r"相談員?", r"そうだん", r"話", r"はなし", r"しゃべり", r"代わ", r"かわ",
    r"番号", r"教えて", r"折り返し", r"いません", r"呼んで", r"有人(対応)?", r"切り替え", r"早い", r"埒が明かない",
    r"聞き", r"きき", r"すたっふ", r"詳しい", r"連絡", r"こーるせんたー", r"方", r"生の", r"ちゃんとした",
    r"何度", r"答えが出ない", r"構いません", r"ほしい", r"欲しい", r"もらえ", r"でき", r"出来", r"させ", r"いただけ",
    r"でしょう", r"たい", r"せる", r"せない", r"くれ", r"ほう", r"じゃなくて", r"じゃ", r"聞い", r"きい",
    r"日本語", r"にほんご",
])
# particles, endings and fillers left between the words above
_FUNCTION = re.compile(
    r"ですか|でしょ|です|ます|ました|ません|でした|ください|下さい|ってる|って|なの|なん|ので|けど|のに|から"
    r"|これ|それ|ここ|もう|して|した|てる|いる|だろ|ちゃ|じゃ"
    r"|[ねよかなのはがをにでともへやわさぞぜけっんしてるただろすー〜～ぁぃぅぇぉ]"
)
_NOISE = re.compile(r"[\W_\d]+")


def _residual(text: str, *vocabularies: re.Pattern) -> str:
    kana = normalize(text).lower().translate(_KATA_TO_HIRA)
    for vocabulary in vocabularies:
        kana = vocabulary.sub(" ", kana)
    return _NOISE.sub("", _FUNCTION.sub(" ", kana))


# Courtesies that stay courtesies around other words (「夜中なのに答えてくれてありがとう」).
_COURTESY = re.compile(r"ありがと|感謝|助かり|助かった|たすかった|お世話に|こんにち|こんばん|おはよう|さようなら|さよなら"
                       r"|失礼します|おやすみ")


def says_a_courtesy(text: str) -> bool:
    return bool(_COURTESY.search(normalize(text).translate(_KATA_TO_HIRA)))


# A whole message that is a greeting, thanks or goodbye in one of the widget's other languages
# (「Hello!」「Xin chào」「감사합니다」): small talk in the resident's language, not an FAQ search.
_COURTESIES_ABROAD = {
    "greet": ("hello", "hi", "hey", "hello there", "good morning", "good afternoon", "good evening",
              "你好", "您好", "안녕하세요", "안녕", "xin chào", "chào", "chào bạn", "olá", "ola", "oi", "bom dia",
              "boa tarde", "boa noite", "hola", "buenos días", "buenas tardes", "buenas noches", "kumusta",
              "kamusta", "magandang umaga", "magandang hapon", "magandang gabi", "नमस्ते", "namaste", "halo",
              "hai", "selamat pagi", "selamat siang", "selamat sore", "selamat malam"),
    "thanks": ("thank you", "thanks", "thank you very much", "thanks a lot", "谢谢", "多谢", "感谢", "감사합니다",
               "고맙습니다", "cảm ơn", "cám ơn", "xin cảm ơn", "obrigado", "obrigada", "muito obrigado", "muito obrigada",
               "gracias", "muchas gracias", "salamat", "maraming salamat", "धन्यवाद", "dhanyabad", "terima kasih",
               "makasih"),
    "goodbye": ("bye", "goodbye", "good bye", "see you", "再见", "안녕히 계세요", "안녕히 가세요", "tạm biệt", "tchau",
                "adeus", "adiós", "adios", "hasta luego", "paalam", "sampai jumpa", "selamat tinggal"),
}
_COURTESY_ABROAD = {w: intent for intent, words in _COURTESIES_ABROAD.items() for w in words}
_COURTESY_MARKS = re.compile(r"[\s!！?？.。,、~〜♪☆★]+|[\U0001F300-\U0001FAFF\u2600-\u27BF]")


def courtesy_abroad(text: str) -> str | None:
    """greet | thanks | goodbye when the whole message is one of those in another language (or
    a Japanese one typed by a resident who chose another language), else None."""
    words = " ".join(w for w in _COURTESY_MARKS.split(normalize(text).lower()) if w)
    if words in _COURTESY_ABROAD:
        return _COURTESY_ABROAD[words]
    if says_a_courtesy(text) and is_small_talk(text):
        folded = normalize(text).translate(_KATA_TO_HIRA)
        return "thanks" if re.search(r"ありがと|感謝|助か", folded) else \
            "goodbye" if re.search(r"さようなら|さよなら|失礼します|おやすみ", folded) else "greet"
    return None


def is_small_talk(text: str) -> bool:
    """Greetings, thanks, goodbyes, yes/no, "are you a bot?": nothing but small-talk words."""
    return not _residual(text, _SMALL_TALK)


# Typed stand-ins for buttons (「これです」「どれでもない」「役に立った」) are short.
SHORT_REPLY_CHARS = 15


def is_short_reply(text: str) -> bool:
    return len(normalize(text)) <= SHORT_REPLY_CHARS


def asks_for_staff(text: str) -> bool:
    """An explicit request for a person, with nothing else to answer in it."""
    return not _residual(text, _STAFF_WORDS, _SMALL_TALK)


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = _CONTROL.sub(" ", text)
    text = _DIGIT_DASH.sub("-", text)
    return _SPACES.sub(" ", text).strip()


# When the classifier says emergency, the message must sound urgent: words of fire, smoke,
# injury, breath, consciousness, crime, gas, a call for help. Broader than _EMERGENCY (which
# forces the notice whatever the classifier said), narrower than the classifier: 「割れた瓶の
# 捨て方」「猫が道路で倒れている」「父が亡くなった」「ガスコンロの捨て方」 are not urgent.
_URGENT = re.compile("|".join([
    r"火事", r"かじ(です|だ|や|!|！|$)", r"燃え(て|と)", r"もえ(て|と)", r"火が(出|で)", r"ひがで", r"煙(が|で)", r"けむり(が|で)",
    r"救急", r"きゅうきゅ", r"消防車", r"警察(を|呼|に電話|よんで)", r"緊急", r"事故(で|に|が起き|った)",
    r"けが(を|した|人|にん)", r"怪我", r"血が", r"血を", r"出血", r"息(が|を|して|し(と|て))", r"いき(して|が|を)",
    r"意識", _PEOPLE + r"が.{0,6}?(倒れ|たおれ)", r"(ひと|人)が.{0,6}?たおれ", r"溺れ", r"おぼれ", r"刺され", r"刺さ",
    r"殴られ", r"泥棒", r"空き巣", r"強盗", r"誘拐", r"不審", r"つけられ", r"知らない(人|男|女)",
    r"(胸|息)が.{0,2}(苦し|痛)", r"苦し(そう|んで)", r"痛くて", r"けいれん", r"痙攣", r"(喉|のど)に.{0,8}詰ま",
    r"挟まれ", r"はさまれ", r"下敷き", r"閉じ込め", r"ガス(臭|くさ|漏|もれ)",
    r"(たすけ|助け|たしけ)(て|ろ)(?!くれる|もらえ|ほしい)", r"誰か(来て|きて)", r"大量に飲", r"はねられ",
    r"(から|階段|屋根|はしご).{0,4}落ち", r"(車|人|家|土砂).{0,6}埋ま",
]))


# The same in the languages of the widget's menu (locales/): something happening now, in phrases —
# not the bare words (an English 「fire extinguisher」 or 「ambulance fee」 is a question).
_EMERGENCY_ABROAD = re.compile("|".join([
    # English
    r"\b(my |the |our )?(house|home|room|kitchen|building|car|apartment) is on fire\b", r"\bthere'?s a fire\b", r"^fire[!.]*$",
    r"\bfire!", r"\b(call|need|send|get) an? ambulance\b", r"^ambulance[!.]*$", r"\b(is|isn'?t|not) breathing\b",
    r"\b(collapsed|unconscious|passed out|heart attack|bleeding (badly|heavily|a lot)|drowning)\b",
    r"\bcall the police\b", r"\b(being robbed|robbery|burglar|break-?in)\b", r"\b(gas leak|smells? (of )?gas)\b",
    r"^help( me)?[!.]*$",
    # 中文
    r"着火了|失火了|发生火灾|叫救护车|需要救护车|晕倒了|昏迷|没有呼吸|不呼吸了|快报警|抢劫|有小偷|煤气泄漏|燃气泄漏|救命",
    # 한국어
    r"불이 ?났|불났어|화재가 (났|발생)|구급차(를|가)? ?(불러|필요|와)|쓰러졌|의식이 없|숨을 (안|못) ?쉬|숨을 쉬지|경찰 ?불러|강도가|"
    r"가스 냄새|가스가 새|살려 ?주",
    # Tiếng Việt
    r"cháy nhà|đang cháy|bị cháy|(gọi|cần) xe cứu thương|bất tỉnh|ngất xỉu|không thở|gọi cảnh sát|bị cướp|có trộm|"
    r"rò rỉ (gas|khí)|cứu (tôi|với)",
    # Português / Español
    r"(há|tem) (um )?incêndio|incêndio (na|no|em)|pegando fogo|(chame|chamem|preciso de) (uma )?ambulância|desmaiou|"
    r"inconsciente|não (está )?respira|chame a polícia|\bassalto\b|vazamento de gás|cheiro de gás|\bsocorro\b",
    r"hay un incendio|incendio en (mi|la|el)|se está quemando|(llame|llamen|necesito) (a )?una ambulancia|se desmayó|"
    r"no respira|llame a la policía|me robaron|fuga de gas|olor a gas|\bauxilio\b",
    # Filipino, Bahasa Indonesia
    r"may sunog|nasusunog|(tumawag ng|kailangan ng) ambulansya|nawalan ng malay|hindi humihinga|tumawag ng pulis|"
    r"\bholdap\b|tagas ng gas|\bsaklolo\b",
    r"(ada|terjadi) kebakaran|rumah (saya )?kebakaran|(panggil|butuh) ambulans|\bpingsan\b|tidak bernapas|panggil polisi|"
    r"\bperampokan\b|bocor gas|bau gas",
    # नेपाली
    r"आगो लाग|एम्बुलेन्स बोलाउ|बेहोस|सास फेर्न सक|प्रहरी बोलाउ|ग्यास चुहि|बचाउ",
]), re.IGNORECASE)


def is_emergency(text: str) -> bool:
    text = normalize(text)
    return bool(_EMERGENCY.search(text) or _EMERGENCY_ABROAD.search(text))


def sounds_urgent(text: str) -> bool:
    """Evidence for the classifier's emergency guess (see _URGENT); unmistakable ones included."""
    text = normalize(text)
    return bool(_EMERGENCY.search(text) or _URGENT.search(text.translate(_KATA_TO_HIRA)))


def gives_application_details(text: str) -> bool:
    """Something the status form could take: an application number, a whole date, a code, or
    (in a short message) a part of a date."""
    text = normalize(text)
    if _APPLICATION_NUMBER.search(text) or _WHOLE_DATE.search(text) or _CODE_LIKE.match(text):
        return True
    return len(text) <= FORM_ANSWER_MAX_CHARS and bool(_DATE_PARTS.search(text))


def asks_about_an_application(text: str) -> bool:
    """An application number, or an application and words about where it stands."""
    text = normalize(text)
    if _APPLICATION_NUMBER.search(text):
        return True
    kana = text.translate(_KATA_TO_HIRA)
    if not _STATUS_WORDS.search(kana):
        return False
    if len(text) > STATUS_LONG_CHARS:
        return bool(_OWN_APPLICATION.search(kana))
    return len(text) <= STATUS_SHORT_CHARS or bool(_APPLICATION_WORDS.search(kana))


def asks_about_a_ticket(text: str) -> bool:
    """A ticket number, or a question left for staff and words about its answer."""
    text = normalize(text)
    return bool(_TICKET_NUMBER.search(text) or (_TICKET_WORDS.search(text) and _ANSWER_WORDS.search(text)))


_LEAVE_WORDS = re.compile(r"質問|問い?合わせ|問合せ|伝言|めっせーじ|しつもん|といあわせ")
_SEND_WORDS = re.compile(r"送|残|のこ|伝え|預け|おく|つたえ|受け付け")


def asks_to_leave_a_question(text: str) -> bool:
    """「質問を職員に送りたい」「伝言をお願いします」: a question to leave, and leaving it."""
    kana = normalize(text).translate(_KATA_TO_HIRA)
    return bool(_LEAVE_WORDS.search(kana) and _SEND_WORDS.search(kana))


def asks_to_be_told(text: str) -> bool:
    """Asking to be told of a change (「状況が変わったら知らせて」), not about a deadline."""
    kana = normalize(text).translate(_KATA_TO_HIRA)
    if not _NOTIFY_WORDS.search(kana):
        return False
    return len(kana) <= SUBSCRIBE_SHORT_CHARS or bool(_CHANGE_WORDS.search(kana))


# Japanese script: kana (after NFKC half-width kana are full-width) and CJK ideographs
_JAPANESE_SCRIPT = re.compile(r"[\u3041-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")


def has_japanese_script(text: str) -> bool:
    return bool(_JAPANESE_SCRIPT.search(text or ""))


def gives_a_number(text: str) -> bool:
    """An application number, a ticket number or a whole date in digits: what a message in any
    language may carry for a form or a look-up (the words around it are not read)."""
    text = normalize(text)
    return bool(_APPLICATION_NUMBER.search(text) or _TICKET_NUMBER.search(text)
                or re.search(r"\d{1,4}\s*[/.\-年]\s*\d{1,2}\s*[/.\-月]\s*\d{1,2}", text))
