"""The advice as rules: which follow-ups exist, their state, `due_at` and reason.

Everything here is a pure function of the recorded data, the user's `Rules`
and `now` (an aware datetime the caller supplies). SPEC §2.1 is the contract;
each numbered line there is decided in `_thank_you` / `_call` below, in order.
"""

from __future__ import annotations

from collections.abc import Container
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import NamedTuple

from followup_tui.domain.model import (
    EMPLOYER_CONTACT_TYPES,
    PER_INTERVIEW_TYPES,
    STATUS_TYPES,
    Application,
    Event,
    EventType,
    FollowUp,
    Interview,
    Kind,
    Rules,
    State,
    Status,
)

DEFAULT_DURATION = timedelta(minutes=60)


# --- time -----------------------------------------------------------------


def parse_moment(text: str, tz: tzinfo) -> datetime:
    """An ISO-8601 date or date-time as an aware datetime; no offset means local.

    A bare date means 00:00 local on that date.
    """
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment


def parse_local_date(text: str, tz: tzinfo) -> date:
    """The local calendar date of an ISO-8601 date or date-time."""
    if len(text) == 10:
        return date.fromisoformat(text)
    return parse_moment(text, tz).astimezone(tz).date()


@lru_cache(maxsize=64)
def _local_date(moment: datetime, tz: tzinfo) -> date:
    return moment.astimezone(tz).date()


@lru_cache(maxsize=4096)
def start_of_day(day: date, tz: tzinfo) -> datetime:
    """00:00 local on `day`."""
    return datetime.combine(day, time(0), tzinfo=tz)


def add_real_time(moment: datetime, delta: timedelta, tz: tzinfo | None = None) -> datetime:
    """`moment + delta` in elapsed time, not wall-clock time.

    Python adds timedeltas to aware datetimes on the wall clock, so across a
    daylight-saving change "24 hours later" would be 23 or 25 real hours. Doing
    the sum in UTC keeps it to real hours. The result is in UTC unless `tz` is
    given (converting costs time, so the rules leave it to whoever shows it).
    """
    result = moment.astimezone(UTC) + delta
    return result.astimezone(tz) if tz is not None else result


def interview_start(interview: Interview, tz: tzinfo) -> datetime:
    return parse_moment(interview.starts_at, tz)


def interview_end(interview: Interview, tz: tzinfo) -> datetime:
    """`ends_at`, else start + `duration_minutes`, else start + 60 minutes."""
    if interview.ends_at:
        return parse_moment(interview.ends_at, tz)
    start = interview_start(interview, tz)
    if interview.duration_minutes:
        return add_real_time(start, timedelta(minutes=interview.duration_minutes))
    return add_real_time(start, DEFAULT_DURATION)


def is_business_day(day: date, rules: Rules) -> bool:
    """Monday to Friday, and not a public holiday of the configured place."""
    return day.weekday() < 5 and day not in rules.holidays


@lru_cache(maxsize=4096)
def add_business_days(day: date, count: int, rules: Rules) -> date:
    """The local date `count` business days after `day`."""
    while count > 0:
        day += timedelta(days=1)
        if is_business_day(day, rules):
            count -= 1
    return day


def first_business_day_after(day: date, rules: Rules) -> date:
    return add_business_days(day, 1, rules)


# --- wording ----------------------------------------------------------------


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_day(day: date, today: date) -> str:
    """'Fri 27 Nov', with the year when it is not this year (English, whatever the locale)."""
    text = f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"
    return text if day.year == today.year else f"{text} {day.year}"


def format_moment(moment: datetime, tz: tzinfo, today: date) -> str:
    """'Fri 20 Nov 11:00' in local time."""
    local = moment.astimezone(tz)
    return f"{format_day(local.date(), today)} {local.hour:02d}:{local.minute:02d}"


# --- status -----------------------------------------------------------------


class StatusInfo(NamedTuple):
    """An application's status at a moment.

    This module's records are NamedTuples (and _Facts a plain class): a
    dataclass costs about a millisecond of start-up to build, and the app and
    `due` start with these loaded.
    """

    status: Status
    #: When the status began (the event that set it); None for a plain active one.
    since: datetime | None = None


_STATUS_OF_EVENT = {
    EventType.ON_HOLD: Status.ON_HOLD,
    EventType.RESUMED: Status.ACTIVE,
    EventType.OFFER: Status.OFFER,
    EventType.REJECTED: Status.REJECTED,
    EventType.WITHDRAWN: Status.WITHDRAWN,
    EventType.ACCEPTED: Status.ACCEPTED,
}


def _past_events(app: Application, now: datetime, tz: tzinfo) -> list[tuple[datetime, Event]]:
    """The events at or before `now`, oldest first (ties keep recorded order)."""
    # In UTC: Python compares datetimes that share a tzinfo by wall clock, which
    # gets the repeated hour at the end of daylight saving wrong.
    timed = [(parse_moment(event.at, tz).astimezone(UTC), event) for event in app.events]
    past = [(at, event) for at, event in timed if at <= now]
    past.sort(key=lambda pair: pair[0])
    return past


def _status_from(past: list[tuple[datetime, Event]]) -> StatusInfo:
    info = StatusInfo(Status.ACTIVE)
    for at, event in past:
        if event.type in STATUS_TYPES:
            status = _STATUS_OF_EVENT[event.type]
            info = StatusInfo(status, None if status is Status.ACTIVE else at)
    return info


def application_status(app: Application, now: datetime, rules: Rules) -> StatusInfo:
    """The status at `now`: the latest status event at or before it wins."""
    return _status_from(_past_events(app, now.astimezone(UTC), rules.tz))


# --- follow-ups ---------------------------------------------------------------


class _Facts:
    """What the past events say about one interview's follow-ups."""

    __slots__ = ("sent", "called", "calls", "skipped", "snoozed")

    def __init__(self) -> None:
        self.sent: datetime | None = None  # S: the earliest thank_you_sent
        self.called: datetime | None = None  # the first call_made at or after S
        self.calls: list[datetime] | None = None  # every call_made, oldest first
        self.skipped: dict[Kind, datetime] | None = None
        self.snoozed: dict[Kind, tuple[datetime, datetime]] | None = None  # kind -> (at, until)


def _owner(
    event: Event, at: datetime, ends: list[tuple[datetime, str]], known: Container[str]
) -> str | None:
    """The interview a per-interview event belongs to (SPEC §2.1)."""
    if event.interview:
        return event.interview if event.interview in known else None
    owner = None
    for end, interview_id in ends:  # sorted by end
        if end <= at:
            owner = interview_id
        else:
            break
    return owner


def follow_ups(app: Application, now: datetime, rules: Rules) -> list[FollowUp]:
    """Every follow-up of the application at `now`, in interview order."""
    if not app.interviews:
        return []
    tz = rules.tz
    # `now` is an instant: its local date comes from astimezone, which reads the
    # repeated hour after the clocks go back by offset, never by wall clock
    today = _local_date(now, tz)
    # every instant compared below is in UTC (see _past_events)
    now = now.astimezone(UTC)
    past = _past_events(app, now, tz)
    status = _status_from(past)
    # a cancelled interview never took place: it owns no follow-up, takes no
    # unassigned event and answers no call
    held = [iv for iv in app.interviews if not iv.cancelled]
    starts = {iv.id: interview_start(iv, tz).astimezone(UTC) for iv in held}
    ends_by_id = {iv.id: interview_end(iv, tz).astimezone(UTC) for iv in held}
    # sorted by end, then id as text: of interviews ending together the greater id owns
    ends = sorted((end, iid) for iid, end in ends_by_id.items())

    facts: dict[str, _Facts] = {iv.id: _Facts() for iv in app.interviews}
    employer_contact: list[tuple[datetime, Event]] = []
    away: list[tuple[datetime, date]] = []  # out_of_office: (at, local date of until)
    for at, event in past:
        if event.type in EMPLOYER_CONTACT_TYPES:
            employer_contact.append((at, event))
        elif event.type is EventType.OUT_OF_OFFICE:
            if event.until:
                away.append((at, parse_local_date(event.until, tz)))
            continue
        if event.type not in PER_INTERVIEW_TYPES:
            continue
        owner = _owner(event, at, ends, facts)
        if owner is None:
            continue
        fact = facts[owner]
        if event.type is EventType.THANK_YOU_SENT:
            if fact.sent is None:
                fact.sent = at
        elif event.type is EventType.CALL_MADE:
            # whether it completes the call depends on S, which may come later
            fact.calls = fact.calls or []
            fact.calls.append(at)
        elif event.kind is not None:
            if event.type is EventType.SKIPPED:
                fact.skipped = fact.skipped or {}
                fact.skipped.setdefault(event.kind, at)
            elif event.until:
                fact.snoozed = fact.snoozed or {}
                # events come oldest first, so the latest snooze overwrites
                fact.snoozed[event.kind] = (at, parse_moment(event.until, tz).astimezone(UTC))

    result: list[FollowUp] = []
    for interview in held:
        fact = facts[interview.id]
        ctx = _Context(app, interview, rules, now, today, status)
        result.append(_thank_you(ctx, fact, ends_by_id[interview.id]))
        sent = fact.sent
        if sent is not None:
            # a call made before S was another conversation (SPEC §2.1 line 1)
            if fact.calls:
                fact.called = next((at for at in fact.calls if at >= sent), None)
            later = [
                (start, iv)
                for iv in held
                if iv.id != interview.id and (start := starts[iv.id]) > sent
            ]
            away_until = max((until for at, until in away if at > sent), default=None)
            result.append(_call(ctx, fact, sent, employer_contact, later, away_until))
    return result


class Reason(NamedTuple):
    """A follow-up's one-sentence reason, worded only when someone reads it.

    `due` over thousands of applications prints a handful of reasons; wording
    every one (weekday and month names for each date) would cost more than
    deciding all the states, so the words are made on demand.
    """

    template: str
    values: tuple[datetime | date | str, ...]
    tz: tzinfo
    today: date

    def __str__(self) -> str:
        words = []
        for value in self.values:
            if isinstance(value, datetime):
                words.append(format_moment(value, self.tz, self.today))
            elif isinstance(value, date):
                words.append(format_day(value, self.today))
            else:
                words.append(value)
        return self.template.format(*words)


#: The reason of a snoozed follow-up (its date is the snooze's end).
SNOOZED_REASON = "Snoozed until {0}."


def is_snooze(follow_up: FollowUp) -> bool:
    """Whether the follow-up is snoozed, decided just now (its Reason) or read from the
    follow-up cache (its reason's sentence)."""
    why = follow_up.why
    if isinstance(why, Reason):
        return why.template == SNOOZED_REASON
    return str(why).startswith(SNOOZED_REASON.partition("{")[0])


class _Context(NamedTuple):
    app: Application
    interview: Interview
    rules: Rules
    now: datetime
    today: date
    status: StatusInfo

    def make(
        self,
        kind: Kind,
        state: State,
        due_at: datetime,
        template: str,
        *values: datetime | date | str,
    ) -> FollowUp:
        reason = Reason(template, values, self.rules.tz, self.today)
        return FollowUp(self.app.id, self.interview.id, kind, state, due_at, reason)

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.rules.tz).date()


def _held_back(ctx: _Context) -> tuple[str, date | str, str] | None:
    """Rule 2: why a pending follow-up is suppressed by the application's status."""
    status = ctx.status
    if status.status is Status.ACTIVE:
        return None
    since: date | str = ctx.local_day(status.since) if status.since else "an unknown date"
    if status.status is Status.ON_HOLD:
        return ("On hold since {0}: give them space and reach out once it is clarified.", since, "")
    word = status.status.value.replace("_", " ")
    return ("Application closed ({1} on {0}); no follow-up needed.", since, word)


def _snoozed_until(ctx: _Context, fact: _Facts, kind: Kind) -> datetime | None:
    """Rule 4: the snooze end when the latest snooze is still in the future."""
    if fact.snoozed and kind in fact.snoozed:
        until = fact.snoozed[kind][1]
        if until > ctx.now:
            return until
    return None


def _thank_you(ctx: _Context, fact: _Facts, end: datetime) -> FollowUp:
    deadline = add_real_time(end, ctx.rules.thank_you_window)
    kind = Kind.THANK_YOU
    # 1. done
    if fact.sent is not None:
        return ctx.make(kind, State.DONE, deadline, "Thank-you sent {0}.", fact.sent)
    if fact.skipped and kind in fact.skipped:
        return ctx.make(kind, State.DONE, deadline, "Skipped {0}.", fact.skipped[kind])
    # 2. on hold or closed
    held = _held_back(ctx)
    if held:
        return ctx.make(kind, State.SUPPRESSED, deadline, *held)
    # 3. a decision date never holds back the thank-you.
    # 4. waiting
    until = _snoozed_until(ctx, fact, kind)
    if until is not None:
        return ctx.make(kind, State.WAITING, until, SNOOZED_REASON, until)
    if ctx.now < end:
        return ctx.make(
            kind,
            State.WAITING,
            deadline,
            "The interview ends {0}; send the thank-you by {1}.",
            end,
            deadline,
        )
    # 5. overdue
    if ctx.now > deadline:
        return ctx.make(
            kind,
            State.OVERDUE,
            deadline,
            "The thank-you window closed {0}; it is late but still worth sending.",
            deadline,
        )
    # 6. due
    return ctx.make(
        kind,
        State.DUE,
        deadline,
        "The interview ended {0}; send the thank-you by {1}.",
        end,
        deadline,
    )


def _call(
    ctx: _Context,
    fact: _Facts,
    sent: datetime,
    employer_contact: list[tuple[datetime, Event]],
    later_interviews: list[tuple[datetime, Interview]],
    away_until: date | None = None,
) -> FollowUp:
    """`away_until`: the latest return date of the out-of-office replies after S."""
    tz = ctx.rules.tz
    rules = ctx.rules
    kind = Kind.CALL
    sent_day = ctx.local_day(sent)
    opens = add_business_days(sent_day, rules.call_after_business_days, rules)
    hold_ends: date | None = None
    decided_by: date | None = None
    if ctx.interview.decision_by:
        decided_by = parse_local_date(ctx.interview.decision_by, tz)
        hold_ends = first_business_day_after(decided_by, rules)
    call_from = max(opens, hold_ends) if hold_ends else opens
    due_at = start_of_day(call_from, tz)
    # 1. done: called, skipped, or the employer has been in touch since S
    if fact.called is not None:
        return ctx.make(kind, State.DONE, due_at, "Call made {0}.", fact.called)
    if fact.skipped and kind in fact.skipped:
        return ctx.make(kind, State.DONE, due_at, "Skipped {0}.", fact.skipped[kind])
    for at, event in employer_contact:
        if at > sent:
            return ctx.make(
                kind,
                State.DONE,
                due_at,
                "The employer was in touch ({1}, {0}).",
                at,
                event.type.label.lower(),
            )
    if later_interviews:
        start, later = min(later_interviews, key=lambda pair: pair[0])
        round_ = later.round.strip()
        name = (
            "A later interview" if not round_
            else round_ if round_.casefold().endswith("interview")  # not "… interview interview"
            else f"{round_} interview"
        )
        return ctx.make(
            kind, State.DONE, due_at, "{1} on {0} answers it; no call needed.", start, name
        )
    # 2. on hold or closed
    held = _held_back(ctx)
    if held:
        return ctx.make(kind, State.SUPPRESSED, due_at, *held)
    # 3. the employer's decision date has not passed
    if hold_ends is not None and decided_by is not None and ctx.today < hold_ends:
        return ctx.make(
            kind,
            State.SUPPRESSED,
            due_at,
            "Employer said they would decide by {0}; call from {1}.",
            decided_by,
            call_from,
        )
    # 3. or someone there is away (an automatic reply), and not back yet
    if away_until is not None:
        back = first_business_day_after(away_until, rules)
        if ctx.today < back:
            # its date is the day the call is fair again, as its reason says (SPEC §2.1
            # names the opening and the decision hold; an away hold moves it the same way)
            return_day = max(back, call_from)
            return ctx.make(
                kind,
                State.SUPPRESSED,
                start_of_day(return_day, tz),
                "They are away until {0}, an automatic reply said; call from {1}.",
                away_until,
                return_day,
            )
    # 4. waiting
    until = _snoozed_until(ctx, fact, kind)
    if until is not None:
        return ctx.make(kind, State.WAITING, until, SNOOZED_REASON, until)
    if ctx.today < opens:
        return ctx.make(
            kind,
            State.WAITING,
            due_at,
            "Thank-you sent {0}; if there is no word, call from {1}.",
            sent_day,
            call_from,
        )
    # 5. a call is never overdue; 6. due
    if decided_by is not None:
        return ctx.make(
            kind,
            State.DUE,
            due_at,
            "They meant to decide by {0} and have not been in touch; a call is fair now.",
            decided_by,
        )
    return ctx.make(
        kind,
        State.DUE,
        due_at,
        "No word since the thank-you on {0}; a phone call is fair now.",
        sent_day,
    )


# --- when the answer can change -------------------------------------------------------

_TICK = timedelta(microseconds=1)


def change_points(app: Application, rules: Rules) -> list[datetime]:
    """Every moment at which `follow_ups(app, now, rules)` may give another answer.

    Between two consecutive points the states, `due_at`s and reasons stay the
    same, which is what lets a cache keep them until the next point (a
    superset is fine: an extra point only costs a recomputation).
    """
    tz = rules.tz
    points: list[datetime] = []
    for event in app.events:
        at = parse_moment(event.at, tz).astimezone(UTC)
        points.append(at)  # the event starts to count
        if event.until and event.type is EventType.SNOOZED:
            points.append(parse_moment(event.until, tz).astimezone(UTC))  # a snooze ends
        if event.type is EventType.THANK_YOU_SENT:
            # the call it starts opens at local midnight, some business days on
            day = at.astimezone(tz).date()
            opens = add_business_days(day, rules.call_after_business_days, rules)
            points.append(start_of_day(opens, tz).astimezone(UTC))
        elif event.type is EventType.OUT_OF_OFFICE and event.until:
            # the away hold ends at local midnight of the first business day after
            back = first_business_day_after(parse_local_date(event.until, tz), rules)
            points.append(start_of_day(back, tz).astimezone(UTC))
    for interview in app.interviews:
        if interview.cancelled:
            continue  # no follow-ups: nothing of it can change
        end = interview_end(interview, tz).astimezone(UTC)
        points.append(end)  # the thank-you opens
        # overdue is "after the deadline": the state changes just past it
        points.append(add_real_time(end, rules.thank_you_window) + _TICK)
        if interview.decision_by:
            hold_ends = first_business_day_after(parse_local_date(interview.decision_by, tz), rules)
            points.append(start_of_day(hold_ends, tz).astimezone(UTC))
    return points


def validity(
    app: Application, now: datetime, rules: Rules
) -> tuple[datetime | None, datetime | None]:
    """The span `[since, until)` around `now` in which the follow-ups stay as they are.

    None means unbounded. Reasons show the year of dates outside the current
    one, so the span also ends at the turn of the local year.
    """
    now = now.astimezone(UTC)
    year = now.astimezone(rules.tz).year
    points = change_points(app, rules)
    points.append(start_of_day(date(year, 1, 1), rules.tz).astimezone(UTC))
    points.append(start_of_day(date(year + 1, 1, 1), rules.tz).astimezone(UTC))
    since = max((p for p in points if p <= now), default=None)
    until = min((p for p in points if p > now), default=None)
    return since, until

