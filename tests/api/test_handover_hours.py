"""Office hours of the live chat: public holidays from the law's rules, weekly hours per department,
closed days (年末年始), and settings that cannot be read."""
import datetime as dt

import pytest

from api.handover.holidays import autumnal_equinox_day, holiday_name, holidays, vernal_equinox_day
from api.handover.hours import JST, Calendar, HoursError, parse_closed, parse_hours

# the Cabinet Office's published lists (内閣府「国民の祝日について」)
CABINET_2025 = ["01-01", "01-13", "02-11", "02-23", "02-24", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06",
                "07-21", "08-11", "09-15", "09-23", "10-13", "11-03", "11-23", "11-24"]
CABINET_2026 = ["01-01", "01-12", "02-11", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06", "07-20",
                "08-11", "09-21", "09-22", "09-23", "10-12", "11-03", "11-23"]
CABINET_2019 = ["01-01", "01-14", "02-11", "03-21", "04-29", "04-30", "05-01", "05-02", "05-03", "05-04", "05-05",
                "05-06", "07-15", "08-11", "08-12", "09-16", "09-23", "10-14", "10-22", "11-03", "11-04", "11-23"]


@pytest.mark.parametrize("year, expected", [(2025, CABINET_2025), (2026, CABINET_2026), (2019, CABINET_2019)])
def test_holidays_match_the_published_lists(year, expected):
    assert [d.strftime("%m-%d") for d in holidays(year)] == expected


def test_equinoxes_and_special_names():
    # announced days (国立天文台): 春分 2024-03-20, 2027-03-21; 秋分 2024-09-22, 2027-09-23, 2012-09-22
    assert [vernal_equinox_day(y) for y in (2024, 2027)] == [20, 21]
    assert [autumnal_equinox_day(y) for y in (2024, 2027, 2012)] == [22, 23, 22]
    assert holiday_name(dt.date(2026, 9, 22)) == "国民の休日"
    assert holiday_name(dt.date(2026, 5, 6)) == "振替休日"
    assert holiday_name(dt.date(2021, 7, 23)) == "スポーツの日"  # moved for the Olympics
    assert holiday_name(dt.date(2021, 10, 11)) is None
    assert holiday_name(dt.date(2026, 12, 4)) is None
    assert holiday_name(dt.date(1999, 1, 1)) is None  # outside the modelled years: not claimed either way


def at(y, m, d, hh, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=JST)


class FakeSettings:  # only the four fields the calendar reads
    def __init__(self, **kw):
        self.handover_hours = kw.get("hours", "月-金 08:30-17:15")
        self.handover_department_hours = kw.get("by_department", {})
        self.handover_closed_days = kw.get("closed", "12-29..01-03")


def test_weekly_hours_holidays_and_year_end():
    cal = Calendar.from_settings(FakeSettings(by_department={"市民課": "月-金 08:30-19:00; 土 09:00-12:00"}))
    assert cal.is_open("税務課", at(2026, 12, 4, 8, 30))  # a Friday, at the opening minute
    assert not cal.is_open("税務課", at(2026, 12, 4, 8, 29))
    assert not cal.is_open("税務課", at(2026, 12, 4, 17, 15))  # closing time is closed
    assert cal.is_open("市民課", at(2026, 12, 4, 18, 30))  # its own longer hours
    assert cal.is_open("市民課", at(2026, 12, 5, 10)) and not cal.is_open("税務課", at(2026, 12, 5, 10))  # Saturday
    assert not cal.is_open("市民課", at(2026, 12, 6, 10))  # Sunday
    assert not cal.is_open("市民課", at(2026, 9, 22, 10))  # 国民の休日, a Tuesday
    assert cal.closed_reason(dt.date(2026, 9, 22)) == "祝日（国民の休日）"
    for day in (dt.date(2026, 12, 29), dt.date(2026, 12, 31), dt.date(2027, 1, 4 - 1)):
        assert cal.closed_reason(day) == "休業日"
    assert cal.is_open("市民課", at(2027, 1, 4, 9))  # the first working day of the year
    # the instant, not the server's zone: 23:30 UTC on Thursday is 08:30 JST on Friday
    assert cal.is_open("税務課", dt.datetime(2026, 12, 3, 23, 30, tzinfo=dt.timezone.utc))
    assert cal.describe("市民課") == "月〜金 8:30〜19:00、土 9:00〜12:00（祝日・年末年始などの休業日を除く）"


def test_round_the_clock_a_department_without_chat_and_holidays_open():
    s = FakeSettings(hours="月-日 00:00-24:00", by_department={"税務課": ""}, closed="")
    s.handover_holidays_closed = False
    cal = Calendar.from_settings(s)
    assert cal.is_open("市民課", at(2026, 9, 22, 23, 59)) and cal.is_open("市民課", at(2027, 1, 1, 0, 0))
    assert not cal.is_open("税務課", at(2026, 12, 7, 10))
    assert cal.describe("税務課") == "この担当課では職員とのチャットを受け付けていません"
    assert cal.describe("市民課") == "月〜日 0:00〜24:00（休業日を除く）"


def test_closed_days_dates_and_ranges():
    closed = parse_closed("2026-08-13..2026-08-14, 05-01, 12-29..01-03")
    assert dt.date(2026, 8, 13) in closed and dt.date(2026, 8, 14) in closed and dt.date(2026, 8, 15) not in closed
    assert dt.date(2031, 5, 1) in closed and dt.date(2031, 1, 2) in closed and dt.date(2031, 1, 4) not in closed


@pytest.mark.parametrize("bad", ["月-金", "月-金 8:30", "月-金 17:00-08:30", "金-月 08:30-17:15", "平日 08:30-17:15",
                                 "月-金 25:00-26:00", "月- 08:30-17:15"])
def test_unreadable_hours_are_refused(bad):
    with pytest.raises(HoursError):
        parse_hours(bad)


@pytest.mark.parametrize("bad", ["12/29", "2026-02-30", "12-29..2027-01-03", "2026-08-14..2026-08-13", "13-01"])
def test_unreadable_closed_days_are_refused(bad):
    with pytest.raises(HoursError):
        parse_closed(bad)


def test_a_bad_setting_stops_the_start(monkeypatch):
    from pydantic import ValidationError

    from api.config import read_settings

    monkeypatch.setenv("MADOGUCHI_HANDOVER_HOURS", "平日 9時から")
    with pytest.raises(ValidationError):
        read_settings()
    monkeypatch.setenv("MADOGUCHI_HANDOVER_HOURS", "月-金 09:00-17:00")
    monkeypatch.setenv("MADOGUCHI_HANDOVER_DEPARTMENT_HOURS", '{"市民課": "土 9:00-12:00"}')
    s = read_settings()
    assert Calendar.from_settings(s).is_open("市民課", at(2026, 12, 5, 9)) and s.departments[0] == "市民課"
