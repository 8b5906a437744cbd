"""The one place the program reads the time.

Everything else is handed `now`. `--now` / `FOLLOWUP_TUI_NOW` pin the clock
("time travel"), and the app's `[` / `]` shift it a day at a time.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, tzinfo

from followup_tui.domain.rules import parse_moment
from followup_tui.errors import UserError


class ClockError(UserError):
    """`--now` is not a moment the program understands."""


def parse_now(text: str, tz: tzinfo) -> datetime:
    """An ISO-8601 date or date-time (no offset: local) as an aware datetime."""
    try:
        moment = parse_moment(text.strip(), tz)
    except ValueError as error:
        raise ClockError(
            f"--now / FOLLOWUP_TUI_NOW: {text!r} is not an ISO-8601 date or date-time "
            "(for example 2026-11-25T09:00 or 2026-11-25T09:00+11:00)."
        ) from error
    # far from any real date the rules' arithmetic (a window, business days, a
    # snooze) would step past the years Python's dates can hold
    if not NOW_YEARS[0] <= moment.year <= NOW_YEARS[1]:
        raise ClockError(
            f"--now / FOLLOWUP_TUI_NOW: {text!r} is outside the years the program works in "
            f"({NOW_YEARS[0]} to {NOW_YEARS[1]})."
        )
    return moment


#: The years `--now` may name.
NOW_YEARS = (1970, 2999)


class Clock:
    """Real time, or a pinned moment, plus a whole number of days of preview shift."""

    def __init__(self, tz: tzinfo, pinned: datetime | None = None) -> None:
        self.tz = tz
        self.pinned = pinned
        self.shift_days = 0

    @classmethod
    def from_environment(cls, tz: tzinfo, now_option: str | None = None) -> Clock:
        text = now_option or os.environ.get("FOLLOWUP_TUI_NOW")
        return cls(tz, parse_now(text, tz) if text else None)

    def real_now(self) -> datetime:
        return datetime.now(self.tz)

    def now(self) -> datetime:
        base = self.pinned if self.pinned is not None else self.real_now()
        # a day of preview is a calendar day on the local wall clock
        return (base.astimezone(self.tz) + timedelta(days=self.shift_days)).astimezone(self.tz)

    @property
    def travelling(self) -> bool:
        """True when 'now' is not the real now."""
        return self.pinned is not None or self.shift_days != 0

    def shift(self, days: int) -> None:
        self.shift_days += days

    def reset(self) -> None:
        self.shift_days = 0
