"""The one place the program reads the time.

Everything else is handed `now`. `--now` / `FOLLOWUP_TUI_NOW` pin the clock
("time travel"), and the app's `[` / `]` shift it a day at a time.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, tzinfo

from followup_tui.domain.rules import parse_moment
from followup_tui.errors import UserError


class ClockError(UserError):
    """`--now` is not a moment the program understands."""


#: The years `--now` may name: far from any real date the rules' arithmetic (a window,
#: business days, a snooze) would step past the years Python's dates can hold.
NOW_YEARS = (1970, 2999)


def parse_now(text: str, tz: tzinfo) -> datetime:
    """An ISO-8601 date or date-time (no offset: local) as an aware datetime, or any
    phrase the forms read ("fri 9am", "in 3 days", "26/11 14:00"), from the real now.

    ISO is tried first and costs nothing more; only a phrase loads the forms' parser
    (and arrow, for the phrases it reads), so `due --now 2026-11-25T09:00` stays quick.
    """
    try:
        moment = parse_moment(text.strip(), tz)
    except ValueError:
        from followup_tui.domain.when import WhenError, parse_when
        from followup_tui.settings.date_order import day_first

        try:
            moment = parse_when(text, datetime.now(tz), tz, day_first=day_first()).moment
        except WhenError as error:
            raise ClockError(
                f"--now / FOLLOWUP_TUI_NOW: {error} It takes an ISO-8601 date-time such as "
                "2026-11-25T09:00+11:00, or a phrase such as 'fri 9am' or 'in 3 days'."
            ) from None
    if not NOW_YEARS[0] <= moment.year <= NOW_YEARS[1]:
        raise ClockError(
            f"--now / FOLLOWUP_TUI_NOW: {text!r} is outside the years the program works in "
            f"({NOW_YEARS[0]} to {NOW_YEARS[1]})."
        )
    return moment


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
        # astimezone sets `fold`: in the repeated hour after the clocks go back it
        # tells 02:30+10:00 from 02:30+11:00. `+ timedelta` would reset it (and
        # read the second 02:30 an hour early), so it is used on naive times only.
        local = base.astimezone(self.tz)
        if not self.shift_days:
            return local
        # a day of preview is a calendar day on the local wall clock; a time the
        # clocks skip that day is read through UTC, so it becomes one that exists
        wall = local.replace(tzinfo=None) + timedelta(days=self.shift_days)
        shifted = wall.replace(tzinfo=self.tz, fold=local.fold)
        return shifted.astimezone(UTC).astimezone(self.tz)

    @property
    def travelling(self) -> bool:
        """True when 'now' is not the real now."""
        return self.pinned is not None or self.shift_days != 0

    def shift(self, days: int) -> None:
        self.shift_days += days

    def reset(self) -> None:
        self.shift_days = 0
