"""Moments said the way a person says them: "yesterday 10:00", "in 3 days"."""

from __future__ import annotations

from datetime import datetime, tzinfo

from followup_tui.domain.model import FollowUp, Kind, State
from followup_tui.domain.rules import format_day, is_snooze


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


def day_or_moment(moment: datetime, now: datetime, tz: tzinfo, *, has_time: bool) -> str:
    """"today 14:45", "Wed 9 Dec 14:45", "Mon 14 Dec": a named day, with the time of day
    when it has one and is within a week (further off, the day is what matters)."""
    local = moment.astimezone(tz)
    today = now.astimezone(tz).date()
    days = (local.date() - today).days
    day = {0: "today", 1: "tomorrow", -1: "yesterday"}.get(days) or format_day(local.date(), today)
    return f"{day} {local:%H:%M}" if has_time and -7 < days < 7 else day


def follow_up_when(follow_up: FollowUp, now: datetime, tz: tzinfo) -> str:
    """The follow-up's own date, labelled: "by today 14:45" (a thank-you's deadline),
    "from Mon 14 Dec" (the day a call opens), "until Fri 11 Dec" (a snooze's end)."""
    return when_label(follow_up.kind, follow_up.state, follow_up.due_at, now, tz,
                      snoozed=is_snooze(follow_up))


def when_label(
    kind: Kind, state: State, due: datetime, now: datetime, tz: tzinfo, *, snoozed: bool
) -> str:
    """`follow_up_when` of a follow-up known by its kind, state and date."""
    local = due.astimezone(tz)
    # a date without a time (a call's day, a snooze to a date) is 00:00 local
    has_time = (local.hour, local.minute) != (0, 0)
    when = day_or_moment(due, now, tz, has_time=has_time)
    if snoozed:
        return f"until {when}"
    if state is State.DONE:
        return "done"
    if kind is Kind.CALL:
        return f"from {when}"
    if state is State.OVERDUE:
        return f"due {when}"
    return f"by {when}"


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
