"""The natural date parser of the forms (followup_tui.domain.when)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from followup_tui.domain.when import WhenError, parse_day, parse_when

TZ = ZoneInfo("Australia/Sydney")
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=TZ)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected", "has_time"),
    [
        ("2026-11-20 10:00", datetime(2026, 11, 20, 10, 0), True),
        ("2026-11-20T10:00", datetime(2026, 11, 20, 10, 0), True),
        ("2026-11-20", datetime(2026, 11, 20), False),
        ("tomorrow 3pm", datetime(2026, 11, 26, 15, 0), True),
        ("Tomorrow at 3 PM", datetime(2026, 11, 26, 15, 0), True),
        ("today", datetime(2026, 11, 25), False),
        ("yesterday 16:30", datetime(2026, 11, 24, 16, 30), True),
        ("fri 10am", datetime(2026, 11, 27, 10, 0), True),
        ("friday", datetime(2026, 11, 27), False),
        ("wed 9am", datetime(2026, 11, 25, 9, 0), True),
        ("next wed", datetime(2026, 12, 2), False),
        ("last mon", datetime(2026, 11, 23), False),
        ("3pm", datetime(2026, 11, 25, 15, 0), True),
        ("noon", datetime(2026, 11, 25, 12, 0), True),
        ("12am", datetime(2026, 11, 25, 0, 0), True),
        ("12pm", datetime(2026, 11, 25, 12, 0), True),
        ("in 3 days", datetime(2026, 11, 28), False),
        ("in 2 weeks", datetime(2026, 12, 9), False),
        ("2 days ago", datetime(2026, 11, 23), False),
        ("20 nov 10:00", datetime(2026, 11, 20, 10, 0), True),
        ("Dec 2", datetime(2026, 12, 2), False),
        ("2 december 2027 9:15am", datetime(2027, 12, 2, 9, 15), True),
        ("3 jan", datetime(2027, 1, 3), False),  # long past this year: next year's
    ],
)
def test_reads(text: str, expected: datetime, has_time: bool) -> None:
    when = parse_when(text, NOW, TZ)
    assert when.moment == expected.replace(tzinfo=TZ)
    assert when.has_time is has_time


def test_offsets_are_kept_and_shown_locally() -> None:
    when = parse_when("2026-11-20T10:00:00+00:00", NOW, TZ)
    assert when.moment.utcoffset() == TZ.utcoffset(datetime(2026, 11, 20))
    assert when.describe() == "Fri 20 Nov 2026 21:00"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "Enter a date"),
        ("someday", "Cannot read"),
        ("2026-02-30", "There is no 30 February 2026"),
        ("2026-13-01", "no month 13"),
        ("25:00", "not a time of day"),
        ("13pm", "1 to 12"),
        ("31 feb", "There is no 31 February"),
        ("2026-11-20 25:00", "not a time of day"),
    ],
)
def test_refuses_with_a_reason(text: str, words: str) -> None:
    with pytest.raises(WhenError, match=words):
        parse_when(text, NOW, TZ)


def test_need_time() -> None:
    with pytest.raises(WhenError, match="no time of day"):
        parse_when("tomorrow", NOW, TZ, need_time=True)


def test_iso_round_trip() -> None:
    assert parse_when("fri 10am", NOW, TZ).iso() == "2026-11-27T10:00+11:00"
    assert parse_when("fri", NOW, TZ).iso() == "2026-11-27"


def test_parse_day() -> None:
    assert parse_day("next fri", NOW, TZ) == date(2026, 11, 27)
    with pytest.raises(WhenError, match="without a time"):
        parse_day("fri 10am", NOW, TZ)


def test_describe_is_unambiguous() -> None:
    assert parse_when("tomorrow 3pm", NOW, TZ).describe() == "Thu 26 Nov 2026 15:00"


@pytest.mark.parametrize("text", ["9999-12-31 10:00", "0001-01-01 10:00", "31 dec 9999"])
def test_placeholder_years_are_refused(text: str) -> None:
    with pytest.raises(WhenError, match="year must be 1900 to 2200"):
        parse_when(text, NOW, TZ)
