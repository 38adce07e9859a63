"""Masking of personal data before anything a resident typed is stored for staff or analytics.

My Number (12 digits), phone numbers, e-mail addresses and dates that may be birth
dates are replaced; the rest of the text stays readable so staff can still help.
"""
from __future__ import annotations

import re
import unicodedata

MASK = "＊＊＊"
_PATTERNS = [
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail
    re.compile(r"(?<!\d)\d{4}[ -]?\d{4}[ -]?\d{4}(?!\d)"),  # My Number: 12 digits, maybe grouped
    re.compile(r"(?<!\d)0\d{1,4}[-(（ ]?\d{1,4}[-)） ]?\d{3,4}(?!\d)"),  # phone
    re.compile(r"(?<![\d/])(?:19|20)\d{2}[/.\-年]\s*\d{1,2}[/.\-月]\s*\d{1,2}日?"),  # 西暦 date
    re.compile(r"(?:明治|大正|昭和|平成|令和|[MTSHRmtshr])\s*(?:元|\d{1,2})\s*[年./\-]\s*\d{1,2}\s*[月./\-]\s*\d{1,2}日?"),  # 和暦
    re.compile(r"(?<!\d)(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)"),  # 19900401
]


def mask(text: str) -> str:
    out = unicodedata.normalize("NFKC", text or "")
    for pattern in _PATTERNS:
        out = pattern.sub(MASK, out)
    return out
