"""The advice as rules: which follow-ups exist, their state, `due_at` and reason.

Everything here is a pure function of the recorded data, the user's `Rules`
and `now` (an aware datetime the caller supplies). SPEC §2.1 is the contract;
each numbered line there is decided in `_thank_you` / `_call` below, in order.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

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


def start_of_day(day: date, tz: tzinfo) -> datetime:
    """00:00 local on `day`."""
    return datetime.combine(day, time(0), tzinfo=tz)


def add_real_time(moment: datetime, delta: timedelta, tz: tzinfo) -> datetime:
    """`moment + delta` in elapsed time, not wall-clock time.

    Python adds timedeltas to aware datetimes on the wall clock, so across a
    daylight-saving change "24 hours later" would be 23 or 25 real hours. Doing
    the sum in UTC keeps it to real hours.
    """
    return (moment.astimezone(UTC) + delta).astimezone(tz)


def interview_start(interview: Interview, tz: tzinfo) -> datetime:
    return parse_moment(interview.starts_at, tz)


def interview_end(interview: Interview, tz: tzinfo) -> datetime:
    """`ends_at`, else start + `duration_minutes`, else start + 60 minutes."""
    if interview.ends_at:
        return parse_moment(interview.ends_at, tz)
    start = interview_start(interview, tz)
    if interview.duration_minutes:
        return add_real_time(start, timedelta(minutes=interview.duration_minutes), tz)
    return add_real_time(start, DEFAULT_DURATION, tz)


def is_business_day(day: date, rules: Rules) -> bool:
    """Monday to Friday, and not a public holiday of the configured place."""
    return day.weekday() < 5 and day not in rules.holidays


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


def format_day(day: date, today: date) -> str:
    """'Fri 27 Nov', with the year when it is not this year."""
    text = f"{day:%a} {day.day} {day:%b}"
    return text if day.year == today.year else f"{text} {day.year}"


def format_moment(moment: datetime, tz: tzinfo, today: date) -> str:
    """'Fri 20 Nov 11:00' in local time."""
    local = moment.astimezone(tz)
    return f"{format_day(local.date(), today)} {local:%H:%M}"


# --- status -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusInfo:
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
    timed = [(parse_moment(event.at, tz), event) for event in app.events]
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
    return _status_from(_past_events(app, now, rules.tz))


# --- follow-ups ---------------------------------------------------------------


@dataclass(slots=True)
class _Facts:
    """What the past events say about one interview's follow-ups."""

    sent: datetime | None = None  # S: the earliest thank_you_sent
    called: datetime | None = None
    skipped: dict[Kind, datetime] | None = None
    snoozed: dict[Kind, tuple[datetime, datetime]] | None = None  # kind -> (at, until)


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
    tz = rules.tz
    today = now.astimezone(tz).date()
    past = _past_events(app, now, tz)
    status = _status_from(past)
    starts = {iv.id: interview_start(iv, tz) for iv in app.interviews}
    ends_by_id = {iv.id: interview_end(iv, tz) for iv in app.interviews}
    ends = sorted((end, iid) for iid, end in ends_by_id.items())

    facts: dict[str, _Facts] = {iv.id: _Facts() for iv in app.interviews}
    employer_contact: list[tuple[datetime, Event]] = []
    for at, event in past:
        if event.type in EMPLOYER_CONTACT_TYPES:
            employer_contact.append((at, event))
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
            if fact.called is None:
                fact.called = at
        elif event.kind is not None:
            if event.type is EventType.SKIPPED:
                fact.skipped = fact.skipped or {}
                fact.skipped.setdefault(event.kind, at)
            elif event.until:
                fact.snoozed = fact.snoozed or {}
                # events come oldest first, so the latest snooze overwrites
                fact.snoozed[event.kind] = (at, parse_moment(event.until, tz))

    result: list[FollowUp] = []
    for interview in app.interviews:
        fact = facts[interview.id]
        ctx = _Context(app, interview, rules, now, today, status)
        result.append(_thank_you(ctx, fact, ends_by_id[interview.id]))
        if fact.sent is not None:
            later = [
                (start, iv)
                for iv in app.interviews
                if iv.id != interview.id and (start := starts[iv.id]) > fact.sent
            ]
            result.append(_call(ctx, fact, fact.sent, employer_contact, later))
    return result


@dataclass(frozen=True, slots=True)
class _Context:
    app: Application
    interview: Interview
    rules: Rules
    now: datetime
    today: date
    status: StatusInfo

    def make(self, kind: Kind, state: State, due_at: datetime, reason: str) -> FollowUp:
        return FollowUp(self.app.id, self.interview.id, kind, state, due_at, reason)

    def day(self, day: date) -> str:
        return format_day(day, self.today)

    def moment(self, moment: datetime) -> str:
        return format_moment(moment, self.rules.tz, self.today)


def _held_back(ctx: _Context) -> str | None:
    """Rule 2: the reason a pending follow-up is suppressed by the application's status."""
    status = ctx.status
    if status.status is Status.ACTIVE:
        return None
    since = ctx.day(status.since.astimezone(ctx.rules.tz).date()) if status.since else "?"
    if status.status is Status.ON_HOLD:
        return f"On hold since {since}: give them space and reach out once it is clarified."
    word = status.status.value.replace("_", " ")
    return f"Application closed ({word} on {since}); no follow-up needed."


def _snoozed_until(ctx: _Context, fact: _Facts, kind: Kind) -> datetime | None:
    """Rule 4: the snooze end when the latest snooze is still in the future."""
    if fact.snoozed and kind in fact.snoozed:
        until = fact.snoozed[kind][1]
        if until > ctx.now:
            return until
    return None


def _thank_you(ctx: _Context, fact: _Facts, end: datetime) -> FollowUp:
    tz = ctx.rules.tz
    deadline = add_real_time(end, ctx.rules.thank_you_window, tz)
    kind = Kind.THANK_YOU
    # 1. done
    if fact.sent is not None:
        return ctx.make(kind, State.DONE, deadline, f"Thank-you sent {ctx.moment(fact.sent)}.")
    if fact.skipped and kind in fact.skipped:
        when = ctx.moment(fact.skipped[kind])
        return ctx.make(kind, State.DONE, deadline, f"Skipped {when}.")
    # 2. on hold or closed
    held = _held_back(ctx)
    if held:
        return ctx.make(kind, State.SUPPRESSED, deadline, held)
    # 3. a decision date never holds back the thank-you.
    # 4. waiting
    until = _snoozed_until(ctx, fact, kind)
    if until is not None:
        return ctx.make(kind, State.WAITING, until, f"Snoozed until {ctx.moment(until)}.")
    if ctx.now < end:
        return ctx.make(
            kind,
            State.WAITING,
            deadline,
            f"The interview ends {ctx.moment(end)}; send the thank-you by "
            f"{ctx.moment(deadline)}.",
        )
    # 5. overdue
    if ctx.now > deadline:
        return ctx.make(
            kind,
            State.OVERDUE,
            deadline,
            f"The thank-you window closed {ctx.moment(deadline)}; it is late but still "
            "worth sending.",
        )
    # 6. due
    return ctx.make(
        kind,
        State.DUE,
        deadline,
        f"The interview ended {ctx.moment(end)}; send the thank-you by {ctx.moment(deadline)}.",
    )


def _call(
    ctx: _Context,
    fact: _Facts,
    sent: datetime,
    employer_contact: list[tuple[datetime, Event]],
    later_interviews: list[tuple[datetime, Interview]],
) -> FollowUp:
    tz = ctx.rules.tz
    rules = ctx.rules
    kind = Kind.CALL
    opens = add_business_days(sent.astimezone(tz).date(), rules.call_after_business_days, rules)
    hold_ends: date | None = None
    decided_by: date | None = None
    if ctx.interview.decision_by:
        decided_by = parse_local_date(ctx.interview.decision_by, tz)
        hold_ends = first_business_day_after(decided_by, rules)
    call_from = max(opens, hold_ends) if hold_ends else opens
    due_at = start_of_day(call_from, tz)
    # 1. done: called, skipped, or the employer has been in touch since S
    if fact.called is not None:
        return ctx.make(kind, State.DONE, due_at, f"Call made {ctx.moment(fact.called)}.")
    if fact.skipped and kind in fact.skipped:
        return ctx.make(kind, State.DONE, due_at, f"Skipped {ctx.moment(fact.skipped[kind])}.")
    for at, event in employer_contact:
        if at > sent:
            word = event.type.label.lower()
            return ctx.make(
                kind, State.DONE, due_at, f"The employer was in touch ({word}, {ctx.moment(at)})."
            )
    if later_interviews:
        start, later = min(later_interviews, key=lambda pair: pair[0])
        name = f"{later.round} interview" if later.round else "A later interview"
        return ctx.make(
            kind, State.DONE, due_at, f"{name} on {ctx.moment(start)} answers it; no call needed."
        )
    # 2. on hold or closed
    held = _held_back(ctx)
    if held:
        return ctx.make(kind, State.SUPPRESSED, due_at, held)
    # 3. the employer's decision date has not passed
    if hold_ends is not None and decided_by is not None and ctx.today < hold_ends:
        return ctx.make(
            kind,
            State.SUPPRESSED,
            due_at,
            f"Employer said they would decide by {ctx.day(decided_by)}; "
            f"call from {ctx.day(call_from)}.",
        )
    # 4. waiting
    until = _snoozed_until(ctx, fact, kind)
    if until is not None:
        return ctx.make(kind, State.WAITING, until, f"Snoozed until {ctx.moment(until)}.")
    if ctx.today < opens:
        return ctx.make(
            kind,
            State.WAITING,
            due_at,
            f"Thank-you sent {ctx.day(sent.astimezone(tz).date())}; if there is no word, "
            f"call from {ctx.day(call_from)}.",
        )
    # 5. a call is never overdue; 6. due
    if decided_by is not None:
        reason = f"They meant to decide by {ctx.day(decided_by)} and have not been in touch; a call is fair now."
    else:
        reason = (
            f"No word since the thank-you on {ctx.day(sent.astimezone(tz).date())}; "
            "a phone call is fair now."
        )
    return ctx.make(kind, State.DUE, due_at, reason)


def sort_urgent_first(items: Iterable[FollowUp]) -> list[FollowUp]:
    """Overdue, due, waiting, suppressed, done; then by `due_at`."""
    return sorted(items, key=lambda f: (f.state.rank, f.due_at))


def most_urgent(items: Iterable[FollowUp]) -> FollowUp | None:
    ordered = sort_urgent_first(items)
    return ordered[0] if ordered else None
