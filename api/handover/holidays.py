"""Japanese public holidays (国民の祝日に関する法律), computed from the law's rules.

No holiday package is installed in the api's environment, and the rules are short: fixed days,
"happy Monday" days, 春分の日 and 秋分の日 by the standard formula (valid 1980–2099; the
National Astronomical Observatory fixes them each February for the next year, and the formula
has matched every announcement since 1980), 振替休日 (a holiday on a Sunday moves to the next
day that is not a holiday) and 国民の休日 (a day between two holidays). The one-off days of
2019–2021 (the enthronement, the Olympics' moved days) are listed. Years before 2000 are not
needed by a chat service and are not modelled (the happy-Monday law changed them).
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

_MON = 0
_SUN = 6


def _nth_monday(year: int, month: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    offset = (_MON - first.weekday()) % 7
    return first + dt.timedelta(days=offset + 7 * (n - 1))


def vernal_equinox_day(year: int) -> int:
    """Day of March of 春分の日 (1980–2099)."""
    return int(20.8431 + 0.242194 * (year - 1980) - int((year - 1980) / 4))


def autumnal_equinox_day(year: int) -> int:
    """Day of September of 秋分の日 (1980–2099)."""
    return int(23.2488 + 0.242194 * (year - 1980) - int((year - 1980) / 4))


def _named(year: int) -> dict[dt.date, str]:
    d = dt.date
    days = {d(year, 1, 1): "元日", _nth_monday(year, 1, 2): "成人の日", d(year, 2, 11): "建国記念の日",
            d(year, 3, vernal_equinox_day(year)): "春分の日", d(year, 4, 29): "昭和の日" if year >= 2007 else "みどりの日",
            d(year, 5, 3): "憲法記念日", d(year, 5, 5): "こどもの日",
            d(year, 9, autumnal_equinox_day(year)): "秋分の日", d(year, 11, 3): "文化の日",
            d(year, 11, 23): "勤労感謝の日"}
    if year >= 2007:
        days[d(year, 5, 4)] = "みどりの日"
    if year >= 2020:
        days[d(year, 2, 23)] = "天皇誕生日"
    elif year <= 2018:
        days[d(year, 12, 23)] = "天皇誕生日"
    # 海の日, 山の日, スポーツの日 (体育の日): moved for the Tokyo Olympics in 2020 and 2021
    moved = {2020: (d(2020, 7, 23), d(2020, 8, 10), d(2020, 7, 24)),
             2021: (d(2021, 7, 22), d(2021, 8, 8), d(2021, 7, 23))}
    if year in moved:
        umi, yama, sports = moved[year]
    else:
        umi = _nth_monday(year, 7, 3) if year >= 2003 else d(year, 7, 20)
        yama = d(year, 8, 11) if year >= 2016 else None
        sports = _nth_monday(year, 10, 2)
    days[umi] = "海の日"
    if yama:
        days[yama] = "山の日"
    days[sports] = "スポーツの日" if year >= 2020 else "体育の日"
    days[_nth_monday(year, 9, 3) if year >= 2003 else d(year, 9, 15)] = "敬老の日"
    if year == 2019:
        days[d(2019, 5, 1)] = "天皇の即位の日"
        days[d(2019, 10, 22)] = "即位礼正殿の儀の行われる日"
    return days


@lru_cache(maxsize=64)
def holidays(year: int) -> dict[dt.date, str]:
    """Every public holiday of `year` (2000–2099) with its name."""
    if not 2000 <= year <= 2099:
        raise ValueError(f"holidays are computed for 2000–2099, not {year}")
    days = _named(year)
    # 国民の休日: a day that is not a holiday (nor a Sunday) between two holidays
    for day in sorted(days):
        between = day + dt.timedelta(days=1)
        if between not in days and between + dt.timedelta(days=1) in days and between.weekday() != _SUN:
            days[between] = "国民の休日"
    # 振替休日: a holiday on a Sunday → the next day that is not a holiday
    for day in sorted(days):
        if day.weekday() == _SUN:
            nxt = day + dt.timedelta(days=1)
            while nxt in days:
                nxt += dt.timedelta(days=1)
            if nxt.year == year:
                days[nxt] = "振替休日"
    return dict(sorted(days.items()))


def holiday_name(day: dt.date) -> str | None:
    try:
        return holidays(day.year).get(day)
    except ValueError:
        return None
