"""Property tests (hypothesis) of masking and text normalisation: no exception on any text,
masking idempotent, every listed variant masked, application and ticket numbers kept."""
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from api.privacy import MASK, mask
from api.textnorm import TextError, clean_user_text, normalize, normalize_lines

# Text that looks like what residents type: digits (half/full width), kanji numerals,
# separators of every kind, date and address words, era names, and anything else.
_PIECES = st.sampled_from(list("0123456789０１２３４５６７８９〇一二三四五六七八九十") +
                          list("-‐‑‒–—―−ーｰ－ 　.()（）/+@＊*") +
                          ["年", "月", "日", "丁目", "番地", "番", "号", "の", "口座", "普通", "平成", "昭和", "令和",
                           "H", "S", "A-", "Q-", "円", "町", "電話", "メール", "a", "x.y", "example.jp", MASK])
RESIDENT_TEXT = st.one_of(st.text(max_size=80), st.lists(_PIECES, max_size=30).map("".join))

SETTINGS = settings(max_examples=400, deadline=None, database=None)  # no .hypothesis/ in the tree


@SETTINGS
@given(RESIDENT_TEXT)
def test_mask_never_raises_and_is_idempotent(text):
    once = mask(text)
    assert isinstance(once, str)
    assert mask(once) == once


@SETTINGS
@given(st.from_regex(r"0[5-9]0", fullmatch=True), st.from_regex(r"[0-9]{4}", fullmatch=True),
       st.from_regex(r"[0-9]{4}", fullmatch=True), st.sampled_from(list("-‐‑‒–—―−ーｰ－ ") + [""]),
       st.sampled_from(["", "電話は", "連絡先："]), st.sampled_from(["", "です", "まで"]))
def test_mobile_numbers_with_any_separator_are_masked(a, b, c, sep, before, after):
    out = mask(f"{before}{a}{sep}{b}{sep}{c}{after}")
    assert b + c not in out.replace(sep, "") and c not in out


@pytest.mark.parametrize("text, secret", [
    ("電話は090ー1234ー5678です", "5678"),
    ("090−1234−5678", "5678"),
    ("090‐1234‐5678", "5678"),
    ("090–1234–5678", "5678"),
    ("０９０ｰ１２３４ｰ５６７８", "5678"),
    ("+81 90 1234 5678 まで", "5678"),
    ("+81-90-1234-5678", "5678"),
    ("03(1234)5678", "5678"),
    ("マイナンバーは1234ー5678ー9012", "9012"),
    ("123456789012", "9012"),
    ("生まれは平成二年四月一日", "四月一日"),
    ("平成2年4月1日", "4月1日"),
    ("昭和六十年六月十五日", "十五日"),
    ("一九九〇年四月一日", "四月一日"),
    ("H2.4.1", "2.4.1"),
    ("1990ー4ー1", "1990"),
    ("taro@example.co.jp", "taro"),
    ("口座番号 1234567", "1234567"),
    ("普通預金 0012345", "0012345"),
    ("ひかり野市中央町3丁目12番5号", "12番5号"),
    ("ひかり野市中央町3-12-5", "3-12-5"),
    ("本町二丁目5番地", "二丁目"),
])
def test_listed_variants_are_masked(text, secret):
    out = mask(text)
    assert MASK in out and secret not in out


@SETTINGS
@given(st.integers(2000, 2099), st.integers(0, 999999), st.sampled_from(["A", "a", "Ａ", "Q"]),
       st.sampled_from(["-", "ー", "−", "－", ""]))
def test_application_and_ticket_numbers_are_kept(year, seq, letter, sep):
    number = f"{letter}{sep}{year}{sep}{seq:06d}"
    out = mask(f"申請番号は{number}です。電話は090-1234-5678")
    assert unicodedata.normalize("NFKC", number) in out
    assert "5678" not in out.split("電話は", 1)[1]  # (the number itself may hold 5678: A-2000-056780)


def test_short_numbers_stay_readable():
    for text in ("住民票を2通、手数料は300円", "受付は8時30分から", "火事は119番", "1200000円の補助"):
        assert mask(text) == unicodedata.normalize("NFKC", text)


@SETTINGS
@given(st.text(max_size=200))
def test_normalize_never_raises_and_is_idempotent(text):
    out = normalize(text)
    assert normalize(out) == out
    assert out == out.strip() and "  " not in out
    assert normalize_lines(normalize_lines(text)) == normalize_lines(text)


@SETTINGS
@given(st.text(max_size=200), st.integers(1, 100))
def test_clean_user_text_accepts_or_refuses_in_japanese(text, limit):
    try:
        out = clean_user_text(text, limit)
    except TextError as e:
        assert str(e)
    else:
        assert out and len(out) <= limit
