import pytest

from api.textnorm import TextError, clean_user_text, normalize


def test_nfkc_full_width_and_half_width_kana():
    assert normalize("ＡＢＣ１２３　ｼﾞｭｳﾐﾝﾋｮｳ") == "ABC123 ジュウミンヒョウ"


def test_control_characters_and_spaces_collapse():
    assert normalize("住民票\x00\x07を\n\n  取りたい\u200b") == "住民票 を 取りたい"


@pytest.mark.parametrize("text", ["", "   ", "\u3000\n\t", "\x00\x01"])
def test_empty_is_refused(text):
    with pytest.raises(TextError):
        clean_user_text(text, 100)


def test_too_long_is_refused():
    with pytest.raises(TextError, match="100文字"):
        clean_user_text("あ" * 101, 100)
    assert clean_user_text("あ" * 100, 100) == "あ" * 100


def test_emoji_kept():
    assert clean_user_text("ごみ🗑️の日", 100).startswith("ごみ🗑")
