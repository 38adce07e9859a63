import datetime as dt

import pytest

from actions.dates import parse_birth_date

TODAY = dt.date(2026, 11, 27)


@pytest.mark.parametrize(
    "text",
    ["1990/4/1", "1990年4月1日", "平成2年4月1日", "H2.4.1", "h2/4/1", "19900401", "１９９０年４月１日",
     "平成二年四月一日", "1990-04-01", "へいせい2年4月1日", "生年月日は1990年4月1日です", "Ｈ２．４．１"],
)
def test_all_forms_of_one_date(text):
    assert parse_birth_date(text, TODAY) == dt.date(1990, 4, 1)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("昭和60年6月15日生まれ", dt.date(1985, 6, 15)),
        ("S23.11.3", dt.date(1948, 11, 3)),
        ("令和元年5月1日", dt.date(2019, 5, 1)),
        ("R1.5.1", dt.date(2019, 5, 1)),
        ("大正15年12月24日", dt.date(1926, 12, 24)),
        ("平成三十一年四月三十日", dt.date(2019, 4, 30)),
    ],
)
def test_eras(text, expected):
    assert parse_birth_date(text, TODAY) == expected


@pytest.mark.parametrize(
    "text", ["", "わかりません", "1990/2/30", "2099/1/1", "平成2年", "1990年13月1日", "12345678", "🙂", "A-2026-000101"]
)
def test_not_a_birth_date(text):
    assert parse_birth_date(text, TODAY) is None


@pytest.mark.parametrize("text", ["十十", "二三十", "平成十十年四月一日", "平成二三十年四月一日", "〇十", "十十十", "昭和六十年十十月一日"])
def test_malformed_kanji_numbers_do_not_raise(text):
    assert parse_birth_date(text, TODAY) is None


from hypothesis import given, settings, strategies as st  # noqa: E402

_PIECES = st.sampled_from(list("0123456789０１２３４５６７８９〇零一二三四五六七八九十") +
                          list("-ー/.・,、年月日元 ") + ["平成", "昭和", "令和", "大正", "明治", "へいせい", "H", "S",
                                                       "R", "生まれ", "A-2026-"])


@settings(max_examples=500, deadline=None, database=None)
@given(st.one_of(st.text(max_size=60), st.lists(_PIECES, max_size=20).map("".join)))
def test_parser_never_raises(text):
    result = parse_birth_date(text, TODAY)
    assert result is None or dt.date(1868, 1, 1) <= result <= TODAY
