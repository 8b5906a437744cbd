"""Moments said the way a person says them: "yesterday 10:00", "in 3 days"."""

from __future__ import annotations

from datetime import datetime, tzinfo

from followup_tui.domain.rules import format_day


def relative(moment: datetime, now: datetime, tz: tzinfo) -> str:
    """A short relative phrase for `moment` as seen from `now` (both aware).

    Near days keep the time of day, a week either side says how many days,
    further away gives the date; called only for rows on screen.
    """
    local = moment.astimezone(tz)
    today = now.astimezone(tz).date()
    days = (local.date() - today).days
    clock = f"{local:%H:%M}"
    if days == 0:
        return f"today {clock}"
    if days == 1:
        return f"tomorrow {clock}"
    if days == -1:
        return f"yesterday {clock}"
    if 1 < days < 7:
        return f"in {days} days"
    if -7 < days < -1:
        return f"{-days} days ago"
    return format_day(local.date(), today)
