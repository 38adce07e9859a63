import unicodedata

import pytest

from api.privacy import MASK, mask


@pytest.mark.parametrize(
    "text",
    [
        "マイナンバーは123456789012です",
        "マイナンバー 1234 5678 9012",
        "電話は090-1234-5678まで",
        "電話 03(1234)5678",
        "連絡先 taro.yamada+city@example.co.jp",
        "生年月日は1990年4月1日です",
        "生まれは平成2年4月1日",
        "H2.4.1生まれ",
        "1990/4/1",
        "19900401",
        "０９０－１２３４－５６７８",
    ],
)
def test_personal_data_is_masked(text):
    out = mask(text)
    assert MASK in out
    for secret in ("123456789012", "5678", "taro.yamada", "1990", "平成2年4月1日", "H2.4.1", "19900401"):
        assert secret not in out


def test_ordinary_text_is_kept():
    text = "住民票を2通ほしいです。手数料は300円ですか？受付は8時30分から。"
    assert mask(text) == unicodedata.normalize("NFKC", text)
