"""Issue 11, dates: snooze choices on every weekday, past-mode reading, durations,
the formats the app displays, numeric dates in the user's order, relative phrases."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from followup_tui.domain.model import Kind, Rules
from followup_tui.domain.snooze import snooze_choices
from followup_tui.domain.when import WhenError, parse_duration, parse_when
from followup_tui.settings.date_order import day_first

TZ = ZoneInfo("Australia/Sydney")
RULES = Rules(TZ)
MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=TZ)

#: Seven consecutive days, and the days around a month end, a year end and a leap day.
DAYS = [date(2026, 11, 30) + timedelta(days=n) for n in range(7)] + [
    date(2026, 12, 27) + timedelta(days=n) for n in range(8)
] + [date(2028, 2, 26) + timedelta(days=n) for n in range(5)]


# --- snooze choices ---------------------------------------------------------------


@pytest.mark.parametrize("day", DAYS, ids=str)
@pytest.mark.parametrize("decision_offset", [None, -30, -1, 0, 1, 2, 4, 6, 7])
def test_snooze_choices_never_repeat_a_date_on_any_day(day: date, decision_offset) -> None:
    now = datetime.combine(day, datetime.min.time(), TZ).replace(hour=23, minute=30)
    decision = None if decision_offset is None else (day + timedelta(days=decision_offset))
    choices = snooze_choices(now, RULES, Kind.CALL, decision and decision.isoformat())
    days = [c.day for c in choices]
    assert len(days) == len(set(days)), choices
    assert days == sorted(days)
    assert all(d > day for d in days)
    assert len({c.label for c in choices}) == len(choices)
    # every date the three plain choices name is still offered, under some label
    assert {day + timedelta(days=1), day + timedelta(days=7)} <= set(days)


def test_on_a_sunday_tomorrow_is_next_monday_and_is_offered_once() -> None:
    sunday = MONDAY - timedelta(days=1)
    choices = snooze_choices(sunday, RULES, Kind.THANK_YOU, None)
    assert [(c.label, c.day) for c in choices] == [
        ("Tomorrow", date(2026, 11, 30)),
        ("In a week", date(2026, 12, 6)),
    ]


def test_on_a_monday_next_monday_is_in_a_week_and_is_offered_once() -> None:
    choices = snooze_choices(MONDAY, RULES, Kind.THANK_YOU, None)
    assert [(c.label, c.day) for c in choices] == [
        ("Tomorrow", date(2026, 12, 1)),
        ("Next Monday", date(2026, 12, 7)),
    ]


def test_the_decision_date_keeps_its_label_when_it_coincides() -> None:
    # decided by Fri 4 Dec: the first business day after is Mon 7 Dec, next Monday
    choices = snooze_choices(MONDAY, RULES, Kind.CALL, "2026-12-04")
    assert [(c.label, c.day) for c in choices] == [
        ("Tomorrow", date(2026, 12, 1)),
        ("After the decision date", date(2026, 12, 7)),
    ]


def test_only_the_call_waits_for_the_decision_and_a_past_one_is_no_choice() -> None:
    thank_you = snooze_choices(MONDAY, RULES, Kind.THANK_YOU, "2026-12-09")
    assert "After the decision date" not in [c.label for c in thank_you]
    past = snooze_choices(MONDAY, RULES, Kind.CALL, "2026-11-01")
    assert "After the decision date" not in [c.label for c in past]
    later = snooze_choices(MONDAY, RULES, Kind.CALL, "2026-12-09")
    assert (later[-1].label, later[-1].day) == ("After the decision date", date(2026, 12, 10))


def test_year_end_choices_cross_into_the_new_year() -> None:
    choices = snooze_choices(datetime(2026, 12, 31, 18, 0, tzinfo=TZ), RULES, Kind.CALL, None)
    assert [c.day for c in choices] == [date(2027, 1, 1), date(2027, 1, 4), date(2027, 1, 7)]


# --- past mode: what has happened ----------------------------------------------------


def test_a_bare_weekday_in_the_past_is_the_last_one() -> None:
    # the bug: "sat 5pm" typed on a Monday saved next Saturday
    when = parse_when("sat 5pm", MONDAY, TZ, past=True)
    assert when.moment == datetime(2026, 11, 28, 17, 0, tzinfo=TZ)
    assert parse_when("sat 5pm", MONDAY, TZ).moment.day == 5  # forms of the future: next


def test_todays_weekday_later_today_is_last_weeks_in_the_past() -> None:
    assert parse_when("mon 5pm", MONDAY, TZ, past=True).moment.day == 23
    assert parse_when("mon 8am", MONDAY, TZ, past=True).moment.day == 30


@pytest.mark.parametrize("text", ["tomorrow", "3pm", "in 2 hours", "next fri", "2026-12-01"])
def test_a_moment_after_now_is_refused_in_the_past(text: str) -> None:
    with pytest.raises(WhenError, match="in the future"):
        parse_when(text, MONDAY, TZ, past=True)


def test_a_day_and_month_without_a_year_in_the_past_is_the_last_one() -> None:
    assert parse_when("20 dec", MONDAY, TZ, past=True).day == date(2025, 12, 20)
    assert parse_when("20 dec", MONDAY, TZ).day == date(2026, 12, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", datetime(2026, 11, 30, 9, 0)),
        ("yesterday 6pm", datetime(2026, 11, 29, 18, 0)),
        ("1 hour ago", datetime(2026, 11, 30, 8, 0)),
        ("90 minutes ago", datetime(2026, 11, 30, 7, 30)),
        ("2 hours and 30 minutes ago", datetime(2026, 11, 30, 6, 30)),
    ],
)
def test_the_past_reads_people_s_phrases(text: str, expected: datetime) -> None:
    when = parse_when(text, MONDAY, TZ, past=True)
    assert when.moment == expected.replace(tzinfo=TZ) and when.has_time


# --- what the app displays, numbers, relative phrases ---------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "has_time"),
    [
        ("Thu 26 Nov 14:00", datetime(2026, 11, 26, 14, 0), True),
        ("Fri 11 Dec 2026", datetime(2026, 12, 11), False),
        ("11 dec", datetime(2026, 12, 11), False),
        ("Thursday 26 November 2pm", datetime(2026, 11, 26, 14, 0), True),
        ("26/11 14:00", datetime(2026, 11, 26, 14, 0), True),
        ("26/11/2026", datetime(2026, 11, 26), False),
        ("in 3 days", datetime(2026, 12, 3), False),
        ("in 2 hours", datetime(2026, 11, 30, 11, 0), True),
        ("in an hour", datetime(2026, 11, 30, 10, 0), True),
        ("3 months ago", datetime(2026, 8, 30), False),
    ],
)
def test_reads_what_the_app_shows_and_relative_phrases(text, expected, has_time) -> None:
    when = parse_when(text, MONDAY, TZ)
    assert (when.moment, when.has_time) == (expected.replace(tzinfo=TZ), has_time)


def test_numeric_dates_follow_the_user_s_order() -> None:
    assert parse_when("3/4/2027", MONDAY, TZ, day_first=True).day == date(2027, 4, 3)
    assert parse_when("3/4/2027", MONDAY, TZ, day_first=False).day == date(2027, 3, 4)
    with pytest.raises(WhenError, match="day/month"):
        parse_when("11/26", MONDAY, TZ, day_first=True)
    with pytest.raises(WhenError, match="There is no 29 February 2027"):
        parse_when("29/2/2027", MONDAY, TZ)
    assert parse_when("29/2/2028", MONDAY, TZ).day == date(2028, 2, 29)


def test_a_weekday_that_does_not_match_its_date_is_refused() -> None:
    with pytest.raises(WhenError, match="is a Thursday, not a Friday"):
        parse_when("Fri 26 Nov 14:00", MONDAY, TZ)


@pytest.mark.parametrize("text", ["in 1 hour and 3 bananas", "in 2 hours ago", "1 hour"])
def test_relative_phrases_are_read_whole_or_not_at_all(text: str) -> None:
    with pytest.raises(WhenError, match="Cannot read"):
        parse_when(text, MONDAY, TZ)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "en_AU.UTF-8"}, True),
        ({"LANG": "en_GB.UTF-8"}, True),
        ({"LANG": "de_DE.UTF-8"}, True),
        ({"LANG": "en_US.UTF-8"}, False),
        ({"LANG": "en_AU.UTF-8", "LC_TIME": "en_US.UTF-8"}, False),
        ({"LC_ALL": "fr_FR", "LC_TIME": "en_US.UTF-8"}, True),
        ({}, True),
        ({"LANG": "C.UTF-8"}, True),
    ],
)
def test_day_first_comes_from_the_locale(env: dict[str, str], expected: bool) -> None:
    assert day_first(env) is expected


# --- durations ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("90", 90), ("90m", 90), ("90 min", 90), ("1.5h", 90), ("1h30", 90), ("1h 30m", 90),
     ("2h", 120), ("0.25h", 15)],
)
def test_durations(text: str, minutes: int) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("text", ["1.01h", "abc", "1h75", "1,5h", "-5", ""])
def test_bad_durations_are_refused(text: str) -> None:
    with pytest.raises(WhenError):
        parse_duration(text)


@pytest.mark.parametrize(
    ("text", "words"),
    [("31/2", "There is no 31 February"), ("29/2/2027", "There is no 29 February 2027"),
     ("13/13", "numbers are read day/month")],
)
def test_numeric_dates_that_do_not_exist_say_why(text: str, words: str) -> None:
    with pytest.raises(WhenError, match=words):
        parse_when(text, MONDAY, TZ)
