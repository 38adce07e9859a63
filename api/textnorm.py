"""Normalisation of what people type, applied once at the edge."""
from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_SPACES = re.compile(r"\s+")


class TextError(ValueError):
    """Text a person sent that cannot be used; the message is shown to them."""


def normalize(text: str) -> str:
    """NFKC (full-width ASCII and half-width kana become standard), no control chars, single spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def normalize_lines(text: str) -> str:
    """normalize() per line, empty lines dropped: for answers, which are read as short lines."""
    return "\n".join(line for line in (normalize(part) for part in text.splitlines()) if line)


def clean_user_text(text: str, max_chars: int) -> str:
    """normalize() plus the checks every resident message goes through."""
    if not isinstance(text, str):
        raise TextError("メッセージは文字で入力してください。")
    out = normalize(text)
    if not out:
        raise TextError("メッセージが空です。ご質問を入力してください。")
    if len(out) > max_chars:
        raise TextError(f"メッセージが長すぎます。{max_chars}文字以内で入力してください。")
    return out


def decode_spreadsheet(raw: bytes) -> str:
    """Bytes of a CSV file as Excel writes it: UTF-8 (with or without BOM), UTF-16 with its BOM (Excel's
    「Unicode テキスト」), else CP932 (Shift_JIS). UnicodeDecodeError when it is none of them."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp932")
