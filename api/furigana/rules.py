"""Readings that depend on the word before, which UniDic's one reading per word gets wrong.

A counter after a number changes its sound with the number (1分 いっぷん but 2分 にふん, 3階
さんがい), and some whole words are read apart from their number (2日 ふつか, 1人 ひとり, 20歳
はたち): UniDic reads 日 カ, 分 フン, 人 ニン whatever the number.
"""
from __future__ import annotations

import unicodedata

# days of the month read as words; the ruby then covers the number too (2日 → ふつか)
_DAYS = {1: "ついたち", 2: "ふつか", 3: "みっか", 4: "よっか", 5: "いつか", 6: "むいか", 7: "なのか",
         8: "ようか", 9: "ここのか", 10: "とおか", 14: "じゅうよっか", 20: "はつか", 24: "にじゅうよっか"}
_PEOPLE = {1: "ひとり", 2: "ふたり"}


def number_of(surface: str) -> int | None:
    """The value of a number written in digits (full-width and 1,000 too), else None."""
    digits = unicodedata.normalize("NFKC", surface).replace(",", "")
    return int(digits) if digits.isascii() and digits.isdigit() else None


def counter(n: int, word: str, after_month: bool) -> tuple[str, bool] | None:
    """(reading, covers the number) of the counter `word` right after the number n, or None to
    keep UniDic's. `after_month`: 日 follows 〇月 (6月1日 ついたち, but 1日 alone is いちにち)."""
    last = n % 10
    if word == "日":
        if n == 1 and not after_month:
            return "いちにち", True
        return (_DAYS[n], True) if n in _DAYS else ("にち", False)
    if word == "人":
        return (_PEOPLE[n], True) if n in _PEOPLE else ("にん", False)
    if word == "歳" and n == 20:
        return "はたち", True
    if word == "分":
        return ("ぷん" if last in (0, 1, 3, 4, 6, 8) else "ふん"), False
    if word == "本":
        return ("ぽん" if last in (0, 1, 6, 8) else "ぼん" if last == 3 else "ほん"), False
    if word == "階":
        return ("がい" if last == 3 else "かい"), False
    return None


def in_compound(surface: str, reading: str) -> str:
    """The hiragana reading of a word at the end of a compound that UniDic reads on its own:
    日 and 口 voice there (土曜 + 日 どようび, 誕生 + 日 たんじょうび, 開庁 + 日, not ひ, じつ or にち;
    通用 + 口 つうようぐち, not こう), and 書 and 印 are the document and the seal (見積 + 書
    みつもりしょ and 届出 + 印 とどけでいん, not かき and しるし). Words UniDic knows whole (平日, 本日,
    人口, 下書き) never get here."""
    if surface == "日":
        return "び"
    if surface == "口":
        return "ぐち"
    if surface == "書" and reading == "かき":
        return "しょ"
    if surface == "印" and reading == "しるし":
        return "いん"
    return reading


def in_context(surface: str, kana: str | None, pos1: str) -> str | None:
    """A word's katakana reading where UniDic's choice is the wrong one on its own: 後 as a noun
    (手続きの後 あと; as a suffix, 3日後 ご, UniDic is right)."""
    if surface == "後" and pos1 == "名詞":
        return "アト"
    return kana
