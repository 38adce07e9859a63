"""When staff can chat: each department's weekly hours, minus public holidays and closed days.

Settings (api.config, README "Live chat with staff"):

- MADOGUCHI_HANDOVER_HOURS — the hours of every department: ``月-金 08:30-17:15``; several
  parts joined by ``;`` (``月-金 08:30-17:15; 土 09:00-12:00``); days as a range (``月-金``) or
  listed (``月水金``).
- MADOGUCHI_HANDOVER_DEPARTMENT_HOURS — departments whose hours differ, as JSON
  (``{"市民課": "月-金 08:30-19:00; 土 09:00-12:00"}``); ``""`` for a department that takes
  no live chats (its residents are offered the ticket).
- MADOGUCHI_HANDOVER_HOLIDAYS_CLOSED — public holidays closed (default true; false for a
  city whose desks open on holidays: then only the weekly hours and closed days apply).
- MADOGUCHI_HANDOVER_CLOSED_DAYS — days closed besides the public holidays, comma-separated:
  ``YYYY-MM-DD``, ``MM-DD`` (every year), or ranges of either with ``..``; the default is
  年末年始, ``12-29..01-03``.

Times are Japan's (JST, no daylight saving).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from api.handover.holidays import holiday_name

JST = dt.timezone(dt.timedelta(hours=9), "JST")
WEEKDAYS = "月火水木金土日"
_PART = re.compile(r"^([月火水木金土日\-〜~・]+)\s*(\d{1,2}):(\d{2})\s*[-〜~]\s*(\d{1,2}):(\d{2})$")
_DAY = re.compile(r"^(?:(\d{4})-)?(\d{1,2})-(\d{1,2})$")


class HoursError(ValueError):
    """A setting that cannot be read (the start stops with it, not a resident's request)."""


@dataclass(frozen=True)
class Span:
    weekday: int  # Monday 0
    start: dt.time
    end: dt.time


def parse_hours(text: str) -> tuple[Span, ...]:
    spans: list[Span] = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        m = _PART.match(part)
        if not m:
            raise HoursError(f"受付時間を読み取れません: {part!r}（例: 月-金 08:30-17:15）")
        days = _weekdays(m.group(1))
        try:
            start = dt.time(int(m.group(2)), int(m.group(3)))
            # 24:00: to the end of the day (a service open around the clock: 月-日 00:00-24:00)
            end = dt.time.max if (m.group(4), m.group(5)) == ("24", "00") else dt.time(int(m.group(4)), int(m.group(5)))
        except ValueError:
            raise HoursError(f"時刻が正しくありません: {part!r}") from None
        if start >= end:
            raise HoursError(f"終わりの時刻が始まりより前です: {part!r}")
        spans += [Span(d, start, end) for d in days]
    return tuple(spans)


def _weekdays(text: str) -> list[int]:
    text = text.replace("〜", "-").replace("~", "-").replace("・", "")
    if not re.fullmatch(r"(?:[月火水木金土日](?:-[月火水木金土日])?)+", text):
        raise HoursError(f"曜日を読み取れません: {text!r}（例: 月-金、月水金）")
    days: list[int] = []
    for a, b in re.findall(r"([月火水木金土日])(?:-([月火水木金土日]))?", text):
        first, last = WEEKDAYS.index(a), WEEKDAYS.index(b or a)
        if last < first:
            raise HoursError(f"曜日の範囲が正しくありません: {text!r}")
        days += range(first, last + 1)
    return days


@dataclass(frozen=True)
class ClosedDays:
    """Fixed dates and yearly (month, day) ranges on which no department is open."""
    dates: frozenset[dt.date]
    yearly: tuple[tuple[tuple[int, int], tuple[int, int]], ...]

    def __contains__(self, day: dt.date) -> bool:
        if day in self.dates:
            return True
        md = (day.month, day.day)
        for a, b in self.yearly:
            if (a <= md <= b) if a <= b else (md >= a or md <= b):  # 12-29..01-03 wraps the new year
                return True
        return False


def parse_closed(text: str) -> ClosedDays:
    dates: set[dt.date] = set()
    yearly: list = []
    for item in (p.strip() for p in text.split(",")):
        if not item:
            continue
        ends = [e.strip() for e in item.split("..")]
        if len(ends) > 2:
            raise HoursError(f"休みの日を読み取れません: {item!r}")
        parsed = [_DAY.match(e) for e in ends]
        if not all(parsed) or len({bool(m.group(1)) for m in parsed}) != 1:
            raise HoursError(f"休みの日を読み取れません: {item!r}（例: 2026-08-14, 12-29..01-03）")
        try:
            if parsed[0].group(1):
                first, last = (dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))) for m in (parsed[0], parsed[-1]))
                if last < first or (last - first).days > 366:
                    raise HoursError(f"休みの期間が正しくありません: {item!r}")
                dates.update(first + dt.timedelta(days=i) for i in range((last - first).days + 1))
            else:
                a, b = ((int(m.group(2)), int(m.group(3))) for m in (parsed[0], parsed[-1]))
                for month, day in (a, b):
                    dt.date(2024, month, day)  # a leap year: 02-29 is allowed
                yearly.append((a, b))
        except ValueError:
            raise HoursError(f"日付が正しくありません: {item!r}") from None
    return ClosedDays(frozenset(dates), tuple(yearly))


@dataclass(frozen=True)
class Calendar:
    default: tuple[Span, ...]
    by_department: dict[str, tuple[Span, ...]]
    closed: ClosedDays
    holidays_closed: bool = True

    @classmethod
    def from_settings(cls, settings) -> "Calendar":
        return cls(parse_hours(settings.handover_hours),
                   {k: parse_hours(v) for k, v in settings.handover_department_hours.items()},
                   parse_closed(settings.handover_closed_days),
                   getattr(settings, "handover_holidays_closed", True))

    def spans(self, department: str) -> tuple[Span, ...]:
        return self.by_department.get(department, self.default)

    def closed_reason(self, day: dt.date) -> str | None:
        """Why the whole day is closed ("祝日（…）", "休業日"), or None."""
        name = holiday_name(day) if self.holidays_closed else None
        if name:
            return f"祝日（{name}）"
        return "休業日" if day in self.closed else None

    def is_open(self, department: str, at: dt.datetime) -> bool:
        local = at.astimezone(JST)
        if self.closed_reason(local.date()):
            return False
        t = local.time()
        return any(s.weekday == local.weekday() and s.start <= t < s.end for s in self.spans(department))

    def describe(self, department: str) -> str:
        """「月〜金 8:30〜17:15（祝日・休業日を除く）」 for residents."""
        parts = []
        for (start, end), days in _grouped(self.spans(department)).items():
            until = "24:00" if end == dt.time.max else f"{end.hour}:{end.minute:02d}"
            parts.append(f"{_days_text(days)} {start.hour}:{start.minute:02d}〜{until}")
        if not parts:
            return "この担当課では職員とのチャットを受け付けていません"
        return "、".join(parts) + ("（祝日・年末年始などの休業日を除く）" if self.holidays_closed else "（休業日を除く）")


def _grouped(spans) -> dict:
    out: dict = {}
    for s in spans:
        out.setdefault((s.start, s.end), []).append(s.weekday)
    return out


def _days_text(days: list[int]) -> str:
    days = sorted(set(days))
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{WEEKDAYS[days[0]]}〜{WEEKDAYS[days[-1]]}"
    return "・".join(WEEKDAYS[d] for d in days)
