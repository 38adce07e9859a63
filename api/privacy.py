"""Masking of personal data before anything a resident typed is stored for staff, analytics
or Rasa's tracker store (trackerstore.masking imports this module: standard library only).

Replaced by MASK: e-mail addresses; dates that may be birth dates (西暦 and 和暦, digits or
kanji numerals: 1990/4/1, 平成2年4月1日, 平成二年四月一日, H2.4.1, 19900401); every run of
7 or more digits, however grouped (spaces, dots, brackets and every dash NFKC leaves alone:
ー − ‐ – — ―), which covers phone numbers (090ー1234ー5678, +81 90 1234 5678, 03(1234)5678),
My Number (1234ー5678ー9012), bank account numbers and postal codes — amounts in 円 excepted;
bank account numbers after 口座 (even short ones); and the block numbers of addresses
(3丁目12番5号, 三丁目, 12番地, 中央町3-12-5). The rest stays readable so staff can help:
application numbers (A-2026-000101, also typed 2026ー000101) and ticket numbers
(Q-2026-000001) are kept, as are short numbers (住民票を2通, 8時30分, 119番).

mask() applies NFKC first and is idempotent: mask(mask(x)) == mask(x).
"""
from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

MASK = "＊＊＊"
# Dashes and long vowel marks that residents (and IMEs) type between digits; NFKC leaves them.
DASHES = "\\-‐‑‒–—―−ー─━〜~"
_D = f"[{DASHES}]"
_KANJI = "〇零一二三四五六七八九十"
_NUM2 = rf"(?:\d{{1,2}}|[{_KANJI}]{{1,3}})"  # a month, a day, a year of an era
_ERA = r"(?:明治|大正|昭和|平成|令和|めいじ|たいしょう|しょうわ|へいせい|れいわ|(?<![A-Za-z])[MTSHRmtshr])"
_PLACEHOLDER = re.compile("[\ue000-\ue0ff]")

# Kept as they are: an application or ticket number.
_KEEP = re.compile(rf"(?<![A-Za-z0-9])(?:[AaQq]\s*{_D}?\s*\d{{4}}\s*{_D}?\s*\d{{6}}|20\d{{2}}\s*{_D}\s*\d{{6}})(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
_DATES = [
    # 西暦, digits or kanji: 1990/4/1, 1990年4月1日, 1990-04-01, 一九九〇年四月一日
    re.compile(rf"(?<!\d)(?:(?:18|19|20)\d{{2}}|[{_KANJI}]{{4}})\s*(?:[/.年]|{_D})\s*{_NUM2}\s*(?:[/.月]|{_D})\s*{_NUM2}(?!\d)日?"),
    # 和暦: 平成2年4月1日, 平成二年四月一日, H2.4.1, 令和元年5月1日
    re.compile(rf"{_ERA}\s*(?:元|{_NUM2})\s*(?:[年./]|{_D})\s*{_NUM2}\s*(?:[月./]|{_D})\s*{_NUM2}(?!\d)日?"),
    # 和暦 without a day, still a birth year and month: 昭和60年6月
    re.compile(rf"{_ERA}\s*(?:元|{_NUM2})\s*年\s*{_NUM2}\s*月"),
]
# An address's block numbers: 3丁目12番5号, 三丁目, 12番地の3, 12番5号, (町|丁目)3-12-5
_NUMA = rf"(?:\d{{1,4}}|[{_KANJI}百]{{1,4}})"
_ADDRESS = [
    re.compile(rf"{_NUMA}\s*丁目(?:\s*{_D}?\s*{_NUMA}\s*(?:番地?|{_D})?(?:\s*の?\s*{_NUMA}\s*号?)?)?"),
    re.compile(rf"{_NUMA}\s*番地(?:\s*(?:の|{_D})?\s*{_NUMA}\s*号?)?"),
    re.compile(rf"{_NUMA}\s*番\s*{_NUMA}\s*号"),
    re.compile(rf"(?<=[町村目])\s*\d{{1,4}}\s*{_D}\s*\d{{1,4}}(?:\s*{_D}\s*\d{{1,4}})?"),
]
# 口座番号 1234567 / 普通 123456 / 口座は 0012345: the number after the word, however short.
_BANK = re.compile(rf"((?:口座|普通預金|当座預金|普通|当座)(?:番号)?\s*(?:[:は]|番号は)?\s*)(?:\d{{3}}\s*{_D}?\s*)?\d{{4,8}}(?!\d)")
# Any run of digits with separators in between; masked from 7 digits on (see _digits).
_RUN = re.compile(rf"(?<!\d)(?:\+\s?)?\d(?:[\s.()（）{DASHES}]{{0,3}}\d)*")
_YEN = re.compile(r"\s*円")


def _digits(m: re.Match) -> str:
    run = m.group(0)
    if sum(c.isdigit() for c in run) < 7:
        return run
    if _YEN.match(m.string, m.end()):  # an amount: 1200000円
        return run
    # keep what stood around the digits (a bracket or space before / after) out of the mask
    return MASK


def _once(text: str) -> str:
    kept: list[str] = []

    def keep(m: re.Match) -> str:
        kept.append(m.group(0))
        return chr(0xE000 + len(kept) - 1) if len(kept) <= 0x100 else MASK

    out = _KEEP.sub(keep, text)
    out = _EMAIL.sub(MASK, out)
    for pattern in _DATES:
        out = pattern.sub(MASK, out)
    out = _BANK.sub(lambda m: m.group(1) + MASK, out)
    for pattern in _ADDRESS:
        out = pattern.sub(MASK, out)
    out = _RUN.sub(_digits, out)
    return _PLACEHOLDER.sub(lambda m: kept[ord(m.group(0)) - 0xE000], out)


def _normalize(text: str) -> str:
    # NFKC, except the masks already there (＊ would become *): mask() stays idempotent
    parts = [unicodedata.normalize("NFKC", part) for part in text.split(MASK)]
    return MASK.join(_PLACEHOLDER.sub("", part) for part in parts)


def mask(text: str) -> str:
    out = _normalize(text or "")
    for _ in range(4):  # a mask can join what was around it; stop when nothing changes
        masked = _once(out)
        if masked == out:
            break
        out = masked
    return out


def sender_key(sender: str, key: str | None = None) -> str:
    """A keyed hash (HMAC-SHA256, hex) standing for a sender id where the id itself is not
    needed: the same sender always gives the same key, nobody without MADOGUCHI_PII_KEY
    (var/secrets/pii_key) can tell whose it is or link it to another system's ids."""
    if key is None:
        from api.config import get_settings

        key = get_settings().pii_key
    return hmac.new(key.encode(), sender.encode(), hashlib.sha256).hexdigest()


def is_sender_key(value: str) -> bool:
    return len(value) == 64 and all(c in "0123456789abcdef" for c in value)
