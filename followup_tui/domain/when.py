"""Dates and times as people type them: "2026-11-20 10:00", "tomorrow 3pm", "fri 10am".

Pure: `now` and the time zone are parameters. The result is shown back to the
user in full ("Fri 20 Nov 2026 10:00") before anything is saved, so a reading
the user did not mean is caught at the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?(am|pm)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_EXAMPLES = "for example 2026-11-20 10:00, tomorrow 3pm or fri 10am"


class WhenError(ValueError):
    """The text is not a date/time this parser reads; the message says what to type."""


@dataclass(frozen=True, slots=True)
class When:
    """A parsed moment in the user's time zone, and whether a time of day was given."""

    moment: datetime
    has_time: bool

    @property
    def day(self) -> date:
        return self.moment.date()

    def iso(self) -> str:
        """How it is stored: a bare date, or a date-time with its offset."""
        if not self.has_time:
            return self.day.isoformat()
        return self.moment.isoformat(timespec="minutes")

    def describe(self) -> str:
        """Unambiguous, for showing back: 'Fri 20 Nov 2026 10:00'."""
        text = f"{self.moment:%a} {self.moment.day} {self.moment:%b %Y}"
        return f"{text} {self.moment:%H:%M}" if self.has_time else text


def _named(word: str, names: tuple[str, ...]) -> int | None:
    """Index of the name `word` abbreviates (three letters or more), else None."""
    if len(word) < 3:
        return None
    for index, name in enumerate(names):
        if name.startswith(word):
            return index
    return None


def _read_time(word: str) -> time | None:
    if word == "noon":
        return time(12)
    if word == "midnight":
        return time(0)
    match = _TIME.match(word)
    if not match:
        return None
    hour_text, minute_text, half = match.groups()
    if minute_text is None and half is None:
        return None  # a bare number is a day of the month, not a time
    hour, minute = int(hour_text), int(minute_text or 0)
    if half:
        if not 1 <= hour <= 12:
            raise WhenError(f"{word!r}: with am/pm the hour runs from 1 to 12.")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise WhenError(f"{word!r} is not a time of day.")
    return time(hour, minute)


#: The years a date may have (the interchange format refuses others the same way).
FIRST_YEAR, LAST_YEAR = 1900, 2200


def _make_date(year: int, month: int, day: int) -> date:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise WhenError(f"The year must be {FIRST_YEAR} to {LAST_YEAR}.")
    try:
        return date(year, month, day)
    except ValueError:
        raise WhenError(f"There is no {day} {_MONTHS[month - 1].title()} {year}.") from None


def _read_date(words: list[str], today: date) -> date | None:
    """The date the words name, or None when they are not a date expression."""
    if not words:
        return today
    text = " ".join(words)
    relative = {"today": 0, "tonight": 0, "tomorrow": 1, "tmrw": 1, "yesterday": -1}
    if text in relative:
        return today + timedelta(days=relative[text])
    iso = _ISO_DATE.match(text)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
        if not 1 <= month <= 12:
            raise WhenError(f"{text!r}: there is no month {month}.")
        return _make_date(year, month, day)
    match = re.match(r"^in (\d+) (day|days|week|weeks)$", text)
    if match:
        count = int(match.group(1)) * (7 if match.group(2).startswith("week") else 1)
        return today + timedelta(days=count)
    match = re.match(r"^(\d+) (day|days|week|weeks) ago$", text)
    if match:
        count = int(match.group(1)) * (7 if match.group(2).startswith("week") else 1)
        return today - timedelta(days=count)
    # weekday: "fri" is the next Friday from today (today included); "next fri" excludes today
    lead = words[0] if len(words) == 2 else ""
    if len(words) <= 2 and lead in ("", "next", "this", "last"):
        weekday = _named(words[-1], _WEEKDAYS)
        if weekday is not None:
            ahead = (weekday - today.weekday()) % 7
            if lead == "last":
                return today - timedelta(days=(today.weekday() - weekday) % 7 or 7)
            if lead == "next" and ahead == 0:
                ahead = 7
            return today + timedelta(days=ahead)
    # "20 nov", "nov 20", with an optional year
    if 2 <= len(words) <= 3:
        first, second = words[0], words[1]
        year_word = words[2] if len(words) == 3 else None
        day_word: str | None = None
        named_month: int | None = None
        if first.isdigit() and _named(second, _MONTHS) is not None:
            day_word, named_month = first, _named(second, _MONTHS)
        elif second.isdigit() and _named(first, _MONTHS) is not None:
            day_word, named_month = second, _named(first, _MONTHS)
        if day_word is not None and named_month is not None:
            if year_word is not None and not (year_word.isdigit() and len(year_word) == 4):
                return None
            if year_word is not None:
                return _make_date(int(year_word), named_month + 1, int(day_word))
            found = _make_date(today.year, named_month + 1, int(day_word))
            # with no year, a date long past most likely means next year's
            if (today - found).days > 180:
                found = _make_date(today.year + 1, named_month + 1, int(day_word))
            return found
    return None


def parse_when(text: str, now: datetime, tz: tzinfo, *, need_time: bool = False) -> When:
    """Read a typed date or date-time relative to `now` (an aware datetime).

    Raises `WhenError` with a message fit to show at the field.
    """
    raw = " ".join(text.strip().split())
    if not raw:
        raise WhenError(f"Enter a date, {_EXAMPLES}.")
    today = now.astimezone(tz).date()
    # ISO-8601 first: what the program itself writes, offsets included
    try:
        iso = datetime.fromisoformat(raw)
    except ValueError:
        pass
    else:
        has_time = not _ISO_DATE.match(raw)
        if not FIRST_YEAR <= iso.year <= LAST_YEAR:
            raise WhenError(f"The year must be {FIRST_YEAR} to {LAST_YEAR}.")
        if iso.tzinfo is None:
            iso = iso.replace(tzinfo=tz)
        return _finish(When(iso.astimezone(tz), has_time), need_time, raw)
    lowered = raw.lower().replace(",", " ")
    lowered = re.sub(r"(\d)\s+(am|pm)\b", r"\1\2", lowered)
    lowered = re.sub(r"\b(at|on)\b", " ", lowered)
    words = lowered.split()
    clock: time | None = None
    rest: list[str] = []
    for word in words:
        found = _read_time(word)
        if found is not None and clock is None:
            clock = found
        else:
            rest.append(word)
    if "T" in raw and _ISO_DATE.match(raw.split("T")[0]):
        raise WhenError(f"{raw!r} is not a valid date-time ({_EXAMPLES}).")
    day = _read_date(rest, today)
    if day is None or (not rest and clock is None):
        raise WhenError(f"Cannot read {raw!r} as a date; {_EXAMPLES}.")
    moment = datetime.combine(day, clock or time(0), tzinfo=tz)
    return _finish(When(moment, clock is not None), need_time, raw)


def _finish(when: When, need_time: bool, raw: str) -> When:
    if need_time and not when.has_time:
        raise WhenError(f"{raw!r} has no time of day; add one, e.g. '{raw} 10am'.")
    return when


def parse_day(text: str, now: datetime, tz: tzinfo) -> date:
    """A typed date (a time, if given, is refused: this field holds a day)."""
    when = parse_when(text, now, tz)
    if when.has_time:
        raise WhenError(f"{text.strip()!r}: give a day only, without a time.")
    return when.day
