"""Dates and times as people type them: "2026-11-20 10:00", "tomorrow 3pm", "fri 10am".

Pure: `now` and the time zone are parameters. The result is shown back to the
user in full ("Fri 20 Nov 2026 10:00") before anything is saved, so a reading
the user did not mean is caught at the field.

Besides the phrases read here by hand, arrow reads what the app itself displays
("Thu 26 Nov 14:00", "Fri 11 Dec 2026"), numeric dates in the user's order
("26/11 14:00" day-first, "11/26" month-first) and relative phrases through its
`dehumanize` ("1 hour ago", "in 2 hours", "3 months ago"). Arrow is imported only
when one of those is typed: this module is on import paths (`due`, interchange)
that must stay quick.
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
_UNITS = ("second", "minute", "hour", "day", "week", "month", "year")
_RELATIVE_PART = re.compile(r"(\d+|an?) (" + "|".join(_UNITS) + r")s?")
_NOW_WORDS = ("now", "just now", "right now")


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


def _read_date(words: list[str], today: date, past: bool = False) -> date | None:
    """The date the words name, or None when they are not a date expression.

    With `past`, a bare weekday is the most recent one (today included) and a
    date without a year is the last one on or before today.
    """
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
            if lead == "" and past:
                return today - timedelta(days=(today.weekday() - weekday) % 7)
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
            return _infer_year(today, named_month + 1, int(day_word), past)
    return None


def _infer_year(today: date, month: int, day: int, past: bool) -> date:
    """The date of a day and month typed without a year."""
    if past:
        # something that has happened: the last such date on or before today
        found = _make_date(today.year, month, day) if _exists(today.year, month, day) else None
        if found is None or found > today:
            found = _make_date(today.year - 1, month, day)
        return found
    found = _make_date(today.year, month, day)
    # with no year, a date long past most likely means next year's
    if (today - found).days > 180:
        found = _make_date(today.year + 1, month, day)
    return found


def _exists(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _arrow_date(words: list[str], today: date, past: bool, day_first: bool) -> date | None:
    """Dates as the app displays them ("thu 26 nov", "fri 11 dec 2026") and numeric
    dates in the user's order ("26/11", "26/11/2026"), read with arrow; None when the
    words are neither. A weekday given with a date must be that date's weekday."""
    weekday: int | None = None
    if len(words) > 1 and _named(words[0].rstrip("."), _WEEKDAYS) is not None:
        weekday, words = _named(words[0].rstrip("."), _WEEKDAYS), words[1:]
    text = " ".join(words)
    year: int | None = None
    found_year = re.match(r"^(.*?)(?:[/ ](\d{4}))$", text)
    if found_year:
        text, year = found_year.group(1), int(found_year.group(2))
    numeric = re.fullmatch(r"\d{1,2}/\d{1,2}", text)
    if numeric:
        formats = ["D/M"] if day_first else ["M/D"]
    elif weekday is not None and len(text.split()) == 2:
        formats = ["D MMM", "D MMMM", "MMM D", "MMMM D"]
    else:
        return None
    import arrow  # only here: see the module's docstring

    for fmt in formats:
        # parsed in a leap year so that 29/2 reads; the real year is checked below
        try:
            parsed = arrow.get(f"{text} 2000", f"{fmt} YYYY")
        except ValueError:
            continue
        month, day = parsed.month, parsed.day
        break
    else:
        if numeric:
            first, second = (int(part) for part in text.split("/"))
            day, month = (first, second) if day_first else (second, first)
            if 1 <= month <= 12:
                shown = f"{day} {_MONTHS[month - 1].title()}" + (f" {year}" if year else "")
                raise WhenError(f"There is no {shown}.")
            order = "day/month" if day_first else "month/day"
            raise WhenError(f"{text!r} is not a date; numbers are read {order} here.")
        return None
    found = _make_date(year, month, day) if year is not None else _infer_year(
        today, month, day, past
    )
    if weekday is not None and found.weekday() != weekday:
        raise WhenError(
            f"{found.day} {_MONTHS[found.month - 1].title()} {found.year} is a "
            f"{_WEEKDAYS[found.weekday()].title()}, not a {_WEEKDAYS[weekday].title()}."
        )
    return found


def _dehumanized(text: str, now: datetime, tz: tzinfo) -> When | None:
    """ "1 hour ago", "in 2 hours", "3 months ago", read with arrow's `dehumanize`; None
    when the text is not such a phrase. The whole phrase is checked first: dehumanize
    skips words it does not know ("in 1 hour and 30 minutes" would lose the hour)."""
    words = text.split()
    if len(words) < 3 or (words[0] == "in") == (words[-1] == "ago"):
        return None
    body = " ".join(words[1:] if words[0] == "in" else words[:-1])
    parts = [part.strip() for part in re.split(r",| and ", body) if part.strip()]
    canonical: list[str] = []
    units: list[str] = []
    for part in parts:
        match = _RELATIVE_PART.fullmatch(part)
        if match is None:
            return None
        count, unit = match.groups()
        units.append(unit)
        if count in ("a", "an", "1"):
            # arrow's English words for one of a unit
            canonical.append(f"{'an' if unit == 'hour' else 'a'} {unit}")
        else:
            canonical.append(f"{int(count)} {unit}s")
    phrase = " and ".join(canonical)
    phrase = f"in {phrase}" if words[0] == "in" else f"{phrase} ago"
    import arrow  # only here: see the module's docstring

    try:
        moment = arrow.Arrow.fromdatetime(now.astimezone(tz)).dehumanize(phrase)
    except (ValueError, OverflowError):
        raise WhenError(f"{text!r} is too far away.") from None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise WhenError(f"The year must be {FIRST_YEAR} to {LAST_YEAR}.")
    has_time = any(unit in ("second", "minute", "hour") for unit in units)
    local = moment.datetime.astimezone(tz).replace(second=0, microsecond=0)
    if not has_time:
        local = datetime.combine(local.date(), time(0), tzinfo=tz)
    return When(local, has_time)


def parse_when(
    text: str,
    now: datetime,
    tz: tzinfo,
    *,
    need_time: bool = False,
    past: bool = False,
    day_first: bool = True,
) -> When:
    """Read a typed date or date-time relative to `now` (an aware datetime).

    `past`: the field records something that has happened (an event, a thank-you
    sent): a bare weekday is the most recent one, and a moment after `now` is
    refused. `day_first`: how "3/4" reads (3 April, or March 4 when False; see
    followup_tui.settings.date_order). Raises `WhenError` with a message fit to show at
    the field.
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
        return _finish(When(iso.astimezone(tz), has_time), need_time, raw, now, past)
    if raw.lower() in _NOW_WORDS:
        return When(now.astimezone(tz).replace(second=0, microsecond=0), True)
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
    day = _read_date(rest, today, past)
    if day is None and rest:
        day = _arrow_date(rest, today, past, day_first)
    if day is None and clock is None:
        relative = _dehumanized(" ".join(words), now, tz)
        if relative is not None:
            return _finish(relative, need_time, raw, now, past)
    if day is None or (not rest and clock is None):
        raise WhenError(f"Cannot read {raw!r} as a date; {_EXAMPLES}.")
    moment = datetime.combine(day, clock or time(0), tzinfo=tz)
    if past and clock is not None and moment > now and _is_bare_weekday(rest):
        moment -= timedelta(days=7)  # "mon 5pm" on a Monday morning: last Monday's
    return _finish(When(moment, clock is not None), need_time, raw, now, past)


def _is_bare_weekday(words: list[str]) -> bool:
    return len(words) == 1 and _named(words[0], _WEEKDAYS) is not None


def _finish(when: When, need_time: bool, raw: str, now: datetime, past: bool) -> When:
    if need_time and not when.has_time:
        raise WhenError(f"{raw!r} has no time of day; add one, e.g. '{raw} 10am'.")
    if past:
        today = now.astimezone(when.moment.tzinfo).date()
        late = when.moment > now if when.has_time else when.day > today
        if late:
            raise WhenError(
                f"{when.describe()} is in the future; this records what has happened."
            )
    return when


def parse_day(text: str, now: datetime, tz: tzinfo, *, day_first: bool = True) -> date:
    """A typed date (a time, if given, is refused: this field holds a day)."""
    when = parse_when(text, now, tz, day_first=day_first)
    if when.has_time:
        raise WhenError(f"{text.strip()!r}: give a day only, without a time.")
    return when.day


_DURATION = re.compile(
    r"^(?:(?P<minutes>\d+)\s*(?:m|min|mins|minutes?)?"
    r"|(?P<hours>\d+(?:\.\d+)?)\s*(?:h|hr|hrs|hours?)"
    r"|(?P<h>\d+)\s*(?:h|hr|hrs|hours?)\s*(?P<m>\d+)\s*(?:m|min|mins|minutes?)?)$"
)


def parse_duration(text: str) -> int:
    """Minutes from "90", "90m", "1.5h", "1h30", "1h 30m"; `WhenError` otherwise.

    A fraction of an hour must come to whole minutes ("1.5h" is 90; "1.01h" is refused).
    """
    raw = " ".join(text.strip().lower().split())
    match = _DURATION.match(raw)
    if match is None:
        raise WhenError(f"{text.strip()!r} is not a duration; e.g. 90, 90m, 1.5h or 1h30.")
    if match["minutes"] is not None:
        minutes = int(match["minutes"])
    elif match["hours"] is not None:
        exact = float(match["hours"]) * 60
        if abs(exact - round(exact)) > 1e-9:
            raise WhenError(f"{text.strip()!r} is not a whole number of minutes.")
        minutes = round(exact)
    else:
        if int(match["m"]) > 59:
            raise WhenError(f"{text.strip()!r}: the minutes after the hours run 0 to 59.")
        minutes = int(match["h"]) * 60 + int(match["m"])
    return minutes
