"""Birth dates as residents type them: 西暦 and 和暦, digits full- or half-width, kanji numerals."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Optional

ERAS = {
    "明治": 1868, "大正": 1912, "昭和": 1926, "平成": 1989, "令和": 2019,
    "M": 1868, "T": 1912, "S": 1926, "H": 1989, "R": 2019,
    "めいじ": 1868, "たいしょう": 1912, "しょうわ": 1926, "へいせい": 1989, "れいわ": 2019,
}
_ERA_KEYS = "|".join(sorted(map(re.escape, ERAS), key=len, reverse=True))
_SEP = r"\s*[/\-.年・,、]\s*"
_WAREKI = re.compile(rf"({_ERA_KEYS})\s*(元|\d{{1,2}})\s*(?:年|[/\-.・,、])\s*(\d{{1,2}})\s*(?:月|[/\-.・,、])\s*(\d{{1,2}})")
_SEIREKI = re.compile(rf"((?:18|19|20)\d{{2}}){_SEP}(\d{{1,2}})\s*(?:月|[/\-.・,、])\s*(\d{{1,2}})")
_COMPACT = re.compile(r"(?<!\d)((?:18|19|20)\d{2})(\d{2})(\d{2})(?!\d)")
_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_NUMBER = re.compile(r"[〇零一二三四五六七八九十]+")


def _kanji_to_int(s: str) -> str:
    """一九九〇 → 1990, 三十一 → 31, 十 → 10; a run that is not one number (十十, 二三十, 〇十) is
    left as it is, so no date pattern matches it."""
    if "十" not in s:
        return "".join(str(_KANJI_DIGITS[c]) for c in s)
    tens, _, ones = s.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones or tens in ("〇", "零"):
        return s
    return str((_KANJI_DIGITS[tens] if tens else 1) * 10 + (_KANJI_DIGITS[ones] if ones else 0))


def _prepare(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).upper()
    text = _KANJI_NUMBER.sub(lambda m: _kanji_to_int(m.group(0)), text)
    return text.replace("ー", "-").replace("生まれ", "")


def _make(year: int, month: int, day: int, today: dt.date) -> Optional[dt.date]:
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    return date if dt.date(1868, 1, 1) <= date <= today else None


def parse_birth_date(text: str, today: Optional[dt.date] = None) -> Optional[dt.date]:
    """The first plausible birth date in the text, or None."""
    today = today or dt.date.today()
    t = _prepare(text)
    m = _WAREKI.search(t)
    if m:
        era, year, month, day = m.groups()
        n = 1 if year == "元" else int(year)
        return _make(ERAS[era] + n - 1, int(month), int(day), today)
    for pattern in (_SEIREKI, _COMPACT):
        m = pattern.search(t)
        if m:
            return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), today)
    return None
