"""The quick choices of the snooze form (advice A6): tomorrow, next Monday, in a week,
and for the call, the first business day after the decision date.

Pure: `now` is a parameter. Two choices can fall on one date (on a Sunday, tomorrow
is next Monday; on a Monday, next Monday is in a week): the list holds each date
once, under the clearer label, so a list keyed by date never sees a duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from followup_tui.domain.model import Kind, Rules
from followup_tui.domain.rules import first_business_day_after, parse_local_date


@dataclass(frozen=True, slots=True)
class SnoozeChoice:
    """One quick choice: what the list says, and the day the snooze runs until."""

    label: str
    day: date


#: The labels, clearest first: when two choices share a date, the earlier label stays.
#: The decision date says why; "Tomorrow" needs no arithmetic; a weekday beats a count.
AFTER_DECISION = "After the decision date"
TOMORROW = "Tomorrow"
NEXT_MONDAY = "Next Monday"
IN_A_WEEK = "In a week"
_CLARITY = (AFTER_DECISION, TOMORROW, NEXT_MONDAY, IN_A_WEEK)


def snooze_choices(
    now: datetime, rules: Rules, kind: Kind, decision_by: str | None
) -> tuple[SnoozeChoice, ...]:
    """The quick choices at `now`, in date order, each date once, all after today.

    Only the call waits for the decision date (A6); a decision date whose next
    business day has already come is no choice at all.
    """
    today = now.astimezone(rules.tz).date()
    candidates = [
        SnoozeChoice(TOMORROW, today + timedelta(days=1)),
        SnoozeChoice(NEXT_MONDAY, today + timedelta(days=(7 - today.weekday()) or 7)),
        SnoozeChoice(IN_A_WEEK, today + timedelta(days=7)),
    ]
    if kind is Kind.CALL and decision_by:
        decided = parse_local_date(decision_by, rules.tz)
        candidates.append(SnoozeChoice(AFTER_DECISION, first_business_day_after(decided, rules)))
    by_day: dict[date, SnoozeChoice] = {}
    for choice in sorted(candidates, key=lambda c: _CLARITY.index(c.label)):
        if choice.day > today:
            by_day.setdefault(choice.day, choice)
    return tuple(sorted(by_day.values(), key=lambda c: (c.day, _CLARITY.index(c.label))))
