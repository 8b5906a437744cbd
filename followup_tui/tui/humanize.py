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


def distance(moment: datetime, now: datetime, tz: tzinfo, *, has_time: bool = True) -> str:
    """How far `moment` is from `now`, as a person says it: "in 2 hours", "3 days ago",
    "today" (arrow's humanize). For the read-back beside a date a person typed; arrow
    is imported here, when a form shows one, never for the rows of the first frame."""
    import arrow

    if not has_time:
        days = (moment.astimezone(tz).date() - now.astimezone(tz).date()).days
        if days == 0:
            return "today"
        start = arrow.Arrow.fromdatetime(now.astimezone(tz)).floor("day")
        return start.shift(days=days).humanize(start, granularity="day")
    text = arrow.Arrow.fromdatetime(moment.astimezone(tz)).humanize(now.astimezone(tz))
    return "now" if text in ("just now", "instantly") else text
