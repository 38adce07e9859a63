"""Japanese text rules shared by the NLU components (no Rasa imports: unit-testable)."""
from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_SPACES = re.compile(r"\s+")
# Dash look-alikes residents type between digits (ー from the kana keyboard, ‐ －…).
_DIGIT_DASH = re.compile(r"(?<=[0-9A-Za-z])[ー‐‑‒–—―−－](?=[0-9])")

# Words that mean something is happening now and needs 119/110. Kept narrow on purpose:
# 「地震の備え」 or 「火事のときの避難所」 are questions, not emergencies.
_EMERGENCY = re.compile(
    "|".join(
        [
            r"火事(です|だ|！|!|$)", r"燃えて(いる|る|ます)", r"救急車", r"(人|ひと|父|母|祖父|祖母|夫|妻|子|友達)が倒れ",
            r"倒れて(いる|る|ます|しまった)", r"息をしていない", r"息してない", r"意識が(ない|無い)", r"血が止まらない",
            r"溺れて", r"おぼれて", r"下敷き", r"閉じ込められ", r"ガス(臭い|くさい)", r"^(たすけて|助けて)",
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
    + r"|\d{3,}|\d{2,4}\s*年|昭和|平成|令和|大正|明治|しょうわ|へいせい|れいわ|ショウワ|ヘイセイ|レイワ"
    + r"|(?<![A-Za-z])[HSRTMhsrtm]\s*\d{1,2}\s*[./年]"
)
_CODE_LIKE = re.compile(r"^[\s\dA-Za-z\-/.,:]+$")
# What a question about a question left for staff talks about.
_TICKET_WORDS = re.compile(r"質問|問い?合わせ|問合せ|返事|回答|返信|しつもん|へんじ|といあわせ|かいとう")


# What a question about the state of one's own application talks about (matched on
# hiragana, so 「シンセイ ドウナッタ」 counts): 「申請の状況」「結果はまだ？」「審査通った？」
# 「どないなってんの」. 「補聴器を買う前に申請が要りますか」 asks how, not where it stands.
_STATUS_WORDS = re.compile(
    r"状況|状態|じょうきょう|すてーたす|進捗|しんちょく|進み|進ん|結果|けっか|審査|しんさ|選考|抽選"
    r"|どうな|どない|どげん|どがい|まだ|受理|受け付け|受付|処理(さ|状況|は|済)|通っ|通り|差し戻|照会|終わ|できあが"
    r"|届か|届き|届い|連絡|来ない|こない|来ません|番号|いつ"
)
_KATA_TO_HIRA = {c: c - 0x60 for c in range(ord("ァ"), ord("ヶ") + 1)}


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = _CONTROL.sub(" ", text)
    text = _DIGIT_DASH.sub("-", text)
    return _SPACES.sub(" ", text).strip()


def is_emergency(text: str) -> bool:
    return bool(_EMERGENCY.search(normalize(text)))


def gives_application_details(text: str) -> bool:
    """Something the status form could take: an application number, a date or a part of one."""
    text = normalize(text)
    return bool(_APPLICATION_NUMBER.search(text) or _DATE_PARTS.search(text) or _CODE_LIKE.match(text))


def asks_about_an_application(text: str) -> bool:
    """An application number, or words about where an application stands."""
    text = normalize(text)
    return bool(_APPLICATION_NUMBER.search(text) or _STATUS_WORDS.search(text.translate(_KATA_TO_HIRA)))


def asks_about_a_ticket(text: str) -> bool:
    """A ticket number, or words about a question left for staff."""
    text = normalize(text)
    return bool(_TICKET_NUMBER.search(text) or _TICKET_WORDS.search(text))
