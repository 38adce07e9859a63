"""Dates as cities write them in FAQ spreadsheets: 2025-04-01, 2025/4/1, 2025年4月1日,
令和7年4月1日 (also R7.4.1, 令和元年), and Excel's "2025/04/01 0:00:00"."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

# first day of each era; only eras a verification date can fall in
ERAS = {"令和": dt.date(2019, 5, 1), "R": dt.date(2019, 5, 1), "平成": dt.date(1989, 1, 8), "H": dt.date(1989, 1, 8),
        "昭和": dt.date(1926, 12, 25), "S": dt.date(1926, 12, 25)}
_ERA = "|".join(ERAS)
_TIME = r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"  # Excel adds a time to dates it formats itself
_WESTERN = re.compile(rf"(\d{{4}})\s*[-/.年]\s*(\d{{1,2}})\s*[-/.月]\s*(\d{{1,2}})\s*日?{_TIME}")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_JAPANESE = re.compile(rf"({_ERA})\s*(元|\d{{1,2}})\s*[年./]\s*(\d{{1,2}})\s*[月./]\s*(\d{{1,2}})\s*日?")


def parse_date(text: str) -> dt.date | None:
    """The date the whole text gives, or None when it is not one of the forms above
    (or not a day of the calendar, or before its era began)."""
    t = unicodedata.normalize("NFKC", text).strip().upper()
    m = _WESTERN.fullmatch(t) or _COMPACT.fullmatch(t)
    if m:
        return _day(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _JAPANESE.fullmatch(t)
    if m:
        start = ERAS[m.group(1)]
        year = start.year + (0 if m.group(2) == "元" else int(m.group(2)) - 1)
        day = _day(year, int(m.group(3)), int(m.group(4)))
        return day if day is not None and day >= start else None
    return None


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
