"""Insights (SPEC §9): ghosted applications, the job search's figures, the activity log.

Pure functions of the recorded applications, the user's `Rules` and `now`
(an aware datetime the caller supplies). Only events at or before `now` count,
as in the rules (SPEC §2.1): under time travel a later event has not happened
yet. Each figure's docstring says exactly how it is counted; the README quotes
them.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from followup_tui.domain.model import (
    EMPLOYER_CONTACT_TYPES,
    PER_INTERVIEW_TYPES,
    STATUS_TYPES,
    Application,
    EventType,
    Interview,
    Rules,
    Status,
)
from followup_tui.domain.rules import (
    _STATUS_OF_EVENT,
    _owner,
    add_business_days,
    add_real_time,
    format_day,
    interview_end,
    interview_start,
    parse_local_date,
    parse_moment,
    start_of_day,
)

#: SPEC §9: business days of silence after a call before an application counts as ghosted.
DEFAULT_GHOSTED_AFTER_BUSINESS_DAYS = 10

_NUMBER_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen", "twenty",
)


def _number(count: int) -> str:
    return _NUMBER_WORDS[count] if 0 <= count < len(_NUMBER_WORDS) else str(count)


# --- ghosted ----------------------------------------------------------------------


class Ghosted(NamedTuple):
    """Whether an application is ghosted at a moment, and why (a label, not a state)."""

    ghosted: bool
    #: The first local date on which it counts as ghosted (None when it does not).
    since: date | None = None
    #: The local date of the call the silence followed (None when it is not ghosted).
    called: date | None = None
    #: One sentence: what happened and since when ("" when not ghosted).
    reason: str = ""
    #: A kind word for the detail pane: what a person might do now ("" when not ghosted).
    advice: str = ""


NOT_GHOSTED = Ghosted(False)


def _ghosted_record(called: date, since: date, after: int, today: date) -> Ghosted:
    days = _number(after)
    plural = "" if after == 1 else "s"
    reason = (
        f"No word from the employer since your call on {format_day(called, today)}: "
        f"{days} business day{plural} of silence by {format_day(since, today)}."
    )
    advice = (
        f"After a call and {days} business day{plural} of silence it is fair to move on — "
        "and to keep the door open: a short, friendly note saying you are still "
        "interested costs nothing, and put your energy into the next application."
    )
    return Ghosted(True, since, called, reason, advice)


def _after(rules: Rules, after_business_days: int | None) -> int:
    """The ghosted threshold: the one given, else the rules' (config.toml's)."""
    return rules.ghosted_after_business_days if after_business_days is None else after_business_days


def ghosted(
    app: Application,
    now: datetime,
    rules: Rules,
    after_business_days: int | None = None,
) -> Ghosted:
    """Is the application ghosted at `now` (SPEC §9)?

    It is when all of these hold: its status at `now` is active (not on hold,
    not closed); its latest interview (latest start; of equal starts the
    greater id) had its call made — the first `call_made` of that interview at
    or after S, S being the interview's first `thank_you_sent` (events are
    assigned to interviews as in SPEC §2.1), at a moment M; there has been no
    employer contact after M (`reply_received`, `offer` or `rejected` at or
    before `now`, or any interview starting after M); and the local date of
    `now` is at least `after_business_days` (default: the rules') business days
    after M's local date. An `out_of_office` is not employer contact.
    """
    return evaluate(facts(app, rules), now, rules, after_business_days).ghost


# --- one pass over one application ------------------------------------------------


class Facts(NamedTuple):
    """What an application's history says whatever the moment: the insights at any
    `now` follow from these alone (see `evaluate`), so they can be kept, like the
    follow-up cache, until the application changes.

    Instants are aware datetimes in UTC. Events after a given `now` have not
    happened then; each field is chosen so that "the first X at or before now"
    is "the first X, if it is at or before now".
    """

    application: str
    company: str
    role: str
    #: `applied_on` as a local date.
    applied_on: date | None
    #: The first event of any type.
    first_event: datetime | None
    #: Each status event's instant and status, oldest first (equal instants in recorded order).
    statuses: tuple[tuple[datetime, Status], ...]
    #: Interview starts, earliest first.
    starts: tuple[datetime, ...]
    #: The first interview's end.
    first_end: datetime | None
    #: The employer's first word after the first interview's end: a contact event
    #: (`reply_received`, `offer`, `rejected`) or a later interview's start.
    first_answer: datetime | None
    #: The first `offer` or `accepted` event; the first `accepted` event.
    offered: datetime | None
    accepted: datetime | None
    #: For each interview with a thank-you: (S, sent within the window?).
    thank_yous: tuple[tuple[datetime, bool], ...]
    #: M: the latest interview's first `call_made` at or after its S.
    called: datetime | None
    #: The first contact event after M.
    answered_after_call: datetime | None
    #: Whether an interview starts after M (booked, whenever it is: the employer's word).
    interview_after_call: bool


def _ordered_interviews(app: Application, rules: Rules) -> list[tuple[datetime, Interview]]:
    """Interviews that took place or will, with their start (UTC), earliest first; equal
    starts by id. A cancelled interview is left out, as the rules leave it out: it
    never happened, owns no event and counts in no stage."""
    timed = [(interview_start(iv, rules.tz).astimezone(UTC), iv) for iv in app.interviews
             if not iv.cancelled]
    timed.sort(key=lambda pair: (pair[0], pair[1].id))
    return timed


def facts(app: Application, rules: Rules) -> Facts:
    """The application's `Facts`, in one pass over its events."""
    tz = rules.tz
    starts = _ordered_interviews(app, rules)
    ends_by_id = {iv.id: interview_end(iv, tz).astimezone(UTC) for _, iv in starts}
    ends = sorted((end, iid) for iid, end in ends_by_id.items())
    first_end = ends_by_id[starts[0][1].id] if starts else None

    timed = [(parse_moment(event.at, tz).astimezone(UTC), event) for event in app.events]
    timed.sort(key=lambda pair: pair[0])

    statuses: list[tuple[datetime, Status]] = []
    offered: datetime | None = None
    accepted: datetime | None = None
    sent: dict[str, datetime] = {}  # interview id -> S
    calls: dict[str, list[datetime]] = {}  # interview id -> call_made instants
    contacts: list[datetime] = []  # employer-contact events, oldest first
    for at, event in timed:
        type_ = event.type
        if type_ in STATUS_TYPES:
            statuses.append((at, _STATUS_OF_EVENT[type_]))
            if type_ is EventType.ACCEPTED:
                accepted = accepted or at
                offered = offered or at
            elif type_ is EventType.OFFER:
                offered = offered or at
        if type_ in EMPLOYER_CONTACT_TYPES:
            contacts.append(at)
        elif type_ is EventType.THANK_YOU_SENT or type_ is EventType.CALL_MADE:
            owner = _owner(event, at, ends, ends_by_id)
            if owner is None or owner not in ends_by_id:  # none, or a cancelled interview's
                continue
            if type_ is EventType.THANK_YOU_SENT:
                sent.setdefault(owner, at)
            else:
                calls.setdefault(owner, []).append(at)

    # a later interview is the employer's word too (it answers a call, SPEC §2.1)
    first_answer: datetime | None = None
    if first_end is not None:
        later = [start for start, _ in starts[1:] if start > first_end]
        replies = [at for at in contacts if at > first_end]
        first_answer = min([*later, *replies], default=None)

    window = rules.thank_you_window
    thank_yous = tuple(
        (at, at <= add_real_time(ends_by_id[iid], window)) for iid, at in sent.items()
    )

    called: datetime | None = None
    answered: datetime | None = None
    booked = False
    latest = starts[-1][1] if starts else None
    if latest is not None and latest.id in sent:
        s_at = sent[latest.id]
        called = next((at for at in calls.get(latest.id, ()) if at >= s_at), None)
        if called is not None:
            answered = next((at for at in contacts if at > called), None)
            booked = any(start > called for start, _ in starts)

    return Facts(
        app.id, app.company, app.role,
        parse_local_date(app.applied_on, tz) if app.applied_on else None,
        timed[0][0] if timed else None,
        tuple(statuses), tuple(start for start, _ in starts), first_end, first_answer,
        offered, accepted, thank_yous, called, answered, booked,
    )


class Evaluation(NamedTuple):
    """An application's `Facts` read at one moment: what `stats` adds up."""

    status: Status
    #: Interviews started at or before now.
    interviews_held: int
    offered: bool
    accepted: bool
    #: Calendar days from the first interview's end to the employer's first word
    #: after it, when both are at or before now.
    days_to_response: int | None
    #: (sent within the window?) for each interview whose thank-you was sent by now.
    thank_yous: tuple[bool, ...]
    ghost: Ghosted
    #: The local date of the application's first activity (see `first_activity`).
    first_activity: date | None


def _by(moment: datetime | None, now: datetime) -> bool:
    return moment is not None and moment <= now


def evaluate(
    f: Facts,
    now: datetime,
    rules: Rules,
    after_business_days: int | None = None,
) -> Evaluation:
    """The application at `now`, from its `Facts` (no event is read again)."""
    after_business_days = _after(rules, after_business_days)
    now = now.astimezone(UTC)
    tz = rules.tz
    # the latest status event at or before now wins; equal instants: the later recorded
    past_statuses = bisect_right(f.statuses, now, key=lambda pair: pair[0])
    status = f.statuses[past_statuses - 1][1] if past_statuses else Status.ACTIVE
    held = bisect_right(f.starts, now)

    days: int | None = None
    if f.first_end is not None and _by(f.first_answer, now):
        assert f.first_answer is not None
        days = (f.first_answer.astimezone(tz).date() - f.first_end.astimezone(tz).date()).days

    ghost = NOT_GHOSTED
    if (
        status is Status.ACTIVE
        and f.called is not None
        and f.called <= now
        and not f.interview_after_call
        and not _by(f.answered_after_call, now)
    ):
        called = f.called.astimezone(tz).date()
        since = add_business_days(called, after_business_days, rules)
        today = now.astimezone(tz).date()
        if today >= since:
            ghost = _ghosted_record(called, since, after_business_days, today)

    if f.applied_on is not None:
        first: date | None = f.applied_on
    elif f.starts:
        first = f.starts[0].astimezone(tz).date()
    elif _by(f.first_event, now):
        assert f.first_event is not None
        first = f.first_event.astimezone(tz).date()
    else:
        first = None

    return Evaluation(
        status, held, _by(f.offered, now), _by(f.accepted, now), days,
        tuple(on_time for at, on_time in f.thank_yous if at <= now), ghost, first,
    )


def first_activity(app: Application, now: datetime, rules: Rules) -> date | None:
    """The local date an application began, as `stats --since` reads it.

    `applied_on` when recorded, else the first interview's start, else the
    first event at or before `now`; None for an application with none of these.
    """
    return evaluate(facts(app, rules), now, rules).first_activity


# --- stats ------------------------------------------------------------------------


FUNNEL_STAGES = ("applied", "interviewed", "second_interview", "offer", "accepted")


class Funnel(NamedTuple):
    """How many applications reached each stage (SPEC §9), furthest stage counted.

    An application counts in every stage up to the furthest it reached, not
    by today's status: one rejected after a second round counts in applied,
    interviewed and second interview. Stages: applied (every application),
    interviewed (an interview started by now), second interview (two
    interviews started by now), offer (an `offer` or `accepted` event by now),
    accepted (an `accepted` event by now). A later stage reached without the
    earlier ones recorded (an offer with no interview on record) still counts
    in the earlier ones, so the funnel only ever narrows.
    """

    applied: int = 0
    interviewed: int = 0
    second_interview: int = 0
    offer: int = 0
    accepted: int = 0


def _furthest_stage(analysis: Evaluation) -> int:
    """Index into FUNNEL_STAGES of the furthest stage an application reached."""
    if analysis.accepted:
        return 4
    if analysis.offered:
        return 3
    if analysis.interviews_held >= 2:
        return 2
    if analysis.interviews_held >= 1:
        return 1
    return 0


class GhostedApplication(NamedTuple):
    """One ghosted application in `Stats.ghosted`: who, and the `Ghosted` label."""

    application: str
    company: str
    role: str
    ghosted: Ghosted


class Stats(NamedTuple):
    """The figures of `followup-tui stats` (SPEC §9); see `stats` for how each is counted."""

    applications: int
    by_status: dict[Status, int]
    funnel: Funnel
    #: Applications with an interview started by now (response_rate's denominator).
    interviewed: int
    #: Of those, the ones the employer answered after the first interview.
    responded: int
    response_rate: float | None
    median_days_to_response: float | None
    median_days_to_response_by_company: dict[str, float]
    thank_yous_sent: int
    thank_yous_on_time: int
    thank_you_on_time: float | None
    ghosted: tuple[GhostedApplication, ...]
    since: date | None = None

    def as_json(self) -> dict[str, Any]:
        """The figures as JSON-ready values (what `stats --json` prints)."""
        return {
            "since": self.since.isoformat() if self.since else None,
            "applications": self.applications,
            "by_status": {status.value: count for status, count in self.by_status.items()},
            "funnel": self.funnel._asdict(),
            "interviewed": self.interviewed,
            "responded": self.responded,
            "response_rate": self.response_rate,
            "median_days_to_response": self.median_days_to_response,
            "median_days_to_response_by_company": dict(self.median_days_to_response_by_company),
            "thank_yous_sent": self.thank_yous_sent,
            "thank_yous_on_time": self.thank_yous_on_time,
            "thank_you_on_time": self.thank_you_on_time,
            "ghosted": {
                "count": len(self.ghosted),
                "applications": [
                    {
                        "application": g.application,
                        "company": g.company,
                        "role": g.role,
                        "since": g.ghosted.since.isoformat() if g.ghosted.since else None,
                        "reason": g.ghosted.reason,
                    }
                    for g in self.ghosted
                ],
            },
        }


def _median(values: list[int]) -> float:
    """The median of a non-empty list (the mean of the middle two of an even count).
    Not the standard library's: its module costs `due`, which imports this one
    through the cache, milliseconds of start-up (fractions, decimal, random)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def stats(
    apps: Iterable[Application],
    now: datetime,
    rules: Rules,
    since: date | None = None,
    *,
    ghosted_after_business_days: int | None = None,
) -> Stats:
    """The job search's figures at `now`, in one pass over each application's events.

    - `since`: when given, only applications whose first activity (see
      `first_activity`: `applied_on`, else the first interview, else the first
      event) is on or after that date count; one with no dated activity is left out.
    - `applications`: how many count.
    - `by_status`: each application in exactly one status, its status at `now`
      (the latest status event wins, SPEC §2.1); every status is listed, zeros too.
    - `funnel`: see `Funnel` — by the furthest stage reached, not today's status.
    - `response_rate`: of the applications with an interview started by now,
      the share the employer answered after the first interview ended (a
      `reply_received`, `offer` or `rejected` event, or a later interview
      starting, after that end and by now). None when there is no interview.
    - `median_days_to_response`: over the applications answered so, the median
      of calendar days (local dates) from the first interview's end to that
      first answer; also per company (by the company name as recorded). None
      when nobody has answered yet.
    - `thank_you_on_time`: of the interviews whose thank-you was sent by now,
      the share whose first `thank_you_sent` came within the thank-you window
      (`thank_you_window_hours` after the interview's end). None when none was sent.
    - `ghosted`: the applications ghosted at `now` (see `ghosted`), oldest
      silence first.
    """
    return stats_of_facts(
        (facts(app, rules) for app in apps), now, rules, since,
        ghosted_after_business_days=ghosted_after_business_days,
    )


def stats_of_facts(
    all_facts: Iterable[Facts],
    now: datetime,
    rules: Rules,
    since: date | None = None,
    *,
    ghosted_after_business_days: int | None = None,
) -> Stats:
    """`stats` from each application's `Facts` (kept, say, in a cache): the same figures."""
    after = _after(rules, ghosted_after_business_days)
    return stats_of_standings(
        (standing(f, now, rules, after) for f in all_facts), now, rules, since,
        ghosted_after_business_days=after,
    )


class Standing(NamedTuple):
    """What `stats` adds up of one application at one moment: its `Evaluation` boiled
    down to plain values a cache can keep in a row (see `insight_points` for how long
    they hold)."""

    application: str
    company: str
    role: str
    status: Status
    #: Index into FUNNEL_STAGES of the furthest stage reached.
    stage: int
    #: An interview started by now.
    interviewed: bool
    days_to_response: int | None
    thank_yous_sent: int
    thank_yous_on_time: int
    #: The local dates of the call and of the first ghosted day, when ghosted now.
    ghosted_called: date | None
    ghosted_since: date | None
    first_activity: date | None


def standing(
    f: Facts, now: datetime, rules: Rules, after_business_days: int | None = None
) -> Standing:
    """The application's `Standing` at `now`, from its `Facts`."""
    at_now = evaluate(f, now, rules, after_business_days)
    return Standing(
        f.application, f.company, f.role, at_now.status, _furthest_stage(at_now),
        at_now.interviews_held > 0, at_now.days_to_response, len(at_now.thank_yous),
        sum(at_now.thank_yous), at_now.ghost.called, at_now.ghost.since,
        at_now.first_activity,
    )


def insight_points(
    f: Facts, rules: Rules, after_business_days: int | None = None
) -> list[datetime]:
    """Every moment at which `standing(f, now, ...)` may change, as `rules.change_points`
    is for the follow-ups: between two consecutive points it stays the same (a
    superset is fine). The ghosted reason's wording also depends on the local year,
    which `rules.validity` cuts at already."""
    after = _after(rules, after_business_days)
    points = [at for at, _ in f.statuses]
    points += f.starts
    points += [at for at, _ in f.thank_yous]
    for moment in (f.first_event, f.first_answer, f.offered, f.accepted,
                   f.answered_after_call):
        if moment is not None:
            points.append(moment)
    if f.called is not None:
        points.append(f.called)
        day = add_business_days(f.called.astimezone(rules.tz).date(), after, rules)
        points.append(start_of_day(day, rules.tz).astimezone(UTC))  # ghosted from then
    return points


class Tally:
    """The figures being added up: `add` one application's `Standing` at a time (or,
    from a cache that counted in bulk, add to the fields), then `result`. The one
    place the counting rules of `stats` live."""

    def __init__(self, now: datetime, rules: Rules, after_business_days: int | None = None):
        self.today = now.astimezone(rules.tz).date()
        self.after = _after(rules, after_business_days)
        self.count = 0
        self.by_status = dict.fromkeys(Status, 0)
        #: Applications that reached each stage of FUNNEL_STAGES (or a further one).
        self.reached = [0] * len(FUNNEL_STAGES)
        self.interviewed = self.sent = self.on_time = 0
        #: Days to the first response, by company (every responded application once).
        self.days: dict[str, list[int]] = {}
        self.ghosts: list[GhostedApplication] = []

    def add(self, one: Standing) -> None:
        """Count one application."""
        self.count += 1
        self.by_status[one.status] += 1
        for stage in range(one.stage + 1):
            self.reached[stage] += 1
        self.interviewed += one.interviewed
        if one.days_to_response is not None:
            self.days.setdefault(one.company, []).append(one.days_to_response)
        self.sent += one.thank_yous_sent
        self.on_time += one.thank_yous_on_time
        if one.ghosted_since is not None and one.ghosted_called is not None:
            self.add_ghost(one.application, one.company, one.role, one.ghosted_called,
                           one.ghosted_since)

    def add_ghost(self, application: str, company: str, role: str, called: date,
                  since: date) -> None:
        """Count one ghosted application (its reason worded for today)."""
        ghost = _ghosted_record(called, since, self.after, self.today)
        self.ghosts.append(GhostedApplication(application, company, role, ghost))

    def result(self, since: date | None = None) -> Stats:
        """The figures of everything added (`since`: the filter the caller applied)."""
        days = [value for values in self.days.values() for value in values]
        responded = len(days)
        ghosts = sorted(self.ghosts, key=lambda g: (g.ghosted.since or date.min, g.application))
        return Stats(
            applications=self.count,
            by_status=dict(self.by_status),
            funnel=Funnel(*self.reached),
            interviewed=self.interviewed,
            responded=responded,
            response_rate=_share(responded, self.interviewed),
            median_days_to_response=_median(days) if days else None,
            median_days_to_response_by_company={
                company: _median(values)
                for company, values in sorted(self.days.items())
            },
            thank_yous_sent=self.sent,
            thank_yous_on_time=self.on_time,
            thank_you_on_time=_share(self.on_time, self.sent),
            ghosted=tuple(ghosts),
            since=since,
        )


def counts_since(one: Standing, since: date | None) -> bool:
    """Whether `stats --since` counts the application: its first activity (see
    `first_activity`) is on or after `since`; one with no dated activity is left out."""
    return since is None or (one.first_activity is not None and one.first_activity >= since)


def stats_of_standings(
    standings: Iterable[Standing],
    now: datetime,
    rules: Rules,
    since: date | None = None,
    *,
    ghosted_after_business_days: int | None = None,
) -> Stats:
    """`stats` from each application's `Standing` at `now` (see `Tally`)."""
    tally = Tally(now, rules, ghosted_after_business_days)
    for one in standings:
        if counts_since(one, since):
            tally.add(one)
    return tally.result(since)


# --- the activity log ---------------------------------------------------------------


#: The actions an activity log lists, with the words a row shows.
ACTION_LABELS: dict[str, str] = {
    "applied": "Applied",
    "interview": "Interview",
    EventType.THANK_YOU_SENT.value: "Thank-you sent",
    EventType.CALL_MADE.value: "Call made",
    EventType.REPLY_RECEIVED.value: "Reply received",
    EventType.OFFER.value: "Offer",
    EventType.REJECTED.value: "Rejected",
    EventType.WITHDRAWN.value: "Withdrawn",
    EventType.ACCEPTED.value: "Accepted",
}

_EVENT_ACTIONS = frozenset(
    {
        EventType.THANK_YOU_SENT,
        EventType.CALL_MADE,
        EventType.REPLY_RECEIVED,
        EventType.OFFER,
        EventType.REJECTED,
        EventType.WITHDRAWN,
        EventType.ACCEPTED,
    }
)

_EVENT_WORDS = {
    EventType.THANK_YOU_SENT: "Thank-you note sent",
    EventType.CALL_MADE: "Follow-up phone call",
    EventType.REPLY_RECEIVED: "Reply from the employer",
    EventType.OFFER: "Offer received",
    EventType.REJECTED: "Application rejected",
    EventType.WITHDRAWN: "Application withdrawn",
    EventType.ACCEPTED: "Offer accepted",
}

#: The columns of the report, in order (CSV header, Markdown header, JSON keys).
ACTIVITY_COLUMNS = (
    "date", "action", "company", "role", "contact", "channel", "description", "application",
)


class ActivityRow(NamedTuple):
    """One action of the job search: one line of a benefits office's activity log."""

    day: date
    #: The moment for ordering within a day (UTC); None for a bare date (applied).
    at: datetime | None
    #: A key of ACTION_LABELS.
    action: str
    company: str
    role: str
    contact: str
    channel: str
    description: str
    application: str

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]

    def cells(self) -> tuple[str, ...]:
        """The row as text, in ACTIVITY_COLUMNS order."""
        return (
            self.day.isoformat(), self.action_label, self.company, self.role, self.contact,
            self.channel, self.description, self.application,
        )

    def as_json(self) -> dict[str, str]:
        """JSON-ready: ACTIVITY_COLUMNS as keys; `action` is the machine word."""
        return {
            "date": self.day.isoformat(),
            "action": self.action,
            "company": self.company,
            "role": self.role,
            "contact": self.contact,
            "channel": self.channel,
            "description": self.description,
            "application": self.application,
        }


def _round_name(interview: Interview) -> str:
    """"First round interview"; a round named "Panel interview" is not said twice."""
    round_ = interview.round.strip()
    if not round_:
        return "Interview"
    return round_ if round_.casefold().endswith("interview") else f"{round_} interview"


def _with_text(words: str, text: str) -> str:
    return f"{words}: {text}" if text else words


def _app_activity(
    app: Application, start: date, end: date, rules: Rules, now: datetime | None
) -> list[ActivityRow]:
    tz = rules.tz
    first_contact = app.contacts[0].name if app.contacts else ""
    rows: list[ActivityRow] = []

    def add(day: date, at: datetime | None, action: str, contact: str, channel: str,
            description: str) -> None:
        rows.append(ActivityRow(day, at, action, app.company, app.role, contact, channel,
                                description, app.id))

    if app.applied_on:
        day = parse_local_date(app.applied_on, tz)
        if start <= day <= end and (now is None or day <= now.astimezone(tz).date()):
            add(day, None, "applied", first_contact, "online" if app.link else "",
                f"Applied for {app.role}" + (f" ({app.link})" if app.link else ""))

    timed = _ordered_interviews(app, rules)
    by_id = {iv.id: iv for _, iv in timed}
    for at, interview in timed:
        day = at.astimezone(tz).date()
        if start <= day <= end and (now is None or at <= now):
            topics = ", ".join(interview.topics)
            add(day, at, "interview", ", ".join(interview.interviewers) or first_contact,
                interview.format or "", _with_text(_round_name(interview), topics))

    ends: list[tuple[datetime, str]] = []
    for event in app.events:
        if event.type not in _EVENT_ACTIONS:
            continue
        at = parse_moment(event.at, tz).astimezone(UTC)
        day = at.astimezone(tz).date()
        if not start <= day <= end or (now is not None and at > now):
            continue
        contact, channel, words = first_contact, "", _EVENT_WORDS[event.type]
        if event.type in PER_INTERVIEW_TYPES:
            if not ends:
                ends = sorted(
                    (interview_end(iv, tz).astimezone(UTC), iv.id) for iv in by_id.values()
                )
            owner = _owner(event, at, ends, by_id)
            if owner is not None:
                interview = by_id[owner]
                contact = ", ".join(interview.interviewers) or first_contact
                words += f" after the {_round_name(interview).lower()}"
            channel = "email" if event.type is EventType.THANK_YOU_SENT else "phone"
        add(day, at, event.type.value, contact, channel, _with_text(words, event.text))
    return rows


def activity(
    apps: Iterable[Application],
    start: date,
    end: date,
    rules: Rules,
    *,
    now: datetime | None = None,
) -> list[ActivityRow]:
    """The job-search activity log of `start`..`end` (local dates, both included).

    One row per action, as unemployment-benefit offices ask for (a German
    Bewerbungsnachweis, a Swedish activity report, a US state work-search log):
    applied (from `applied_on`), each interview (contact: its interviewers;
    channel: its format), each thank-you sent (email) and call made (phone) —
    contact the interviewers of the interview it belongs to — and each reply,
    offer, rejection, withdrawal and acceptance. Where no interviewer is known
    the contact is the application's first contact. With `now`, actions after
    it are left out (a scheduled interview has not happened yet). Rows are in
    date order, a bare date (applied) first in its day, then by time.
    """
    rows = [row for app in apps for row in _app_activity(app, start, end, rules, now)]
    rows.sort(key=lambda r: (r.day, r.at is not None, r.at or _EPOCH, r.company, r.application))
    return rows


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class WeekCount(NamedTuple):
    """Actions in one ISO week (Monday to Sunday, local dates)."""

    monday: date
    year: int
    week: int
    actions: int


def weekly_activity(
    apps: Iterable[Application], now: datetime, rules: Rules, weeks: int = 12
) -> list[WeekCount]:
    """Actions (the rows of `activity`) per ISO week, the last `weeks` weeks up to now.

    Oldest week first; the last is the week holding now's local date, counted
    up to now. Weeks with no action are listed with 0 (a sparkline needs them).
    """
    if weeks < 1:
        raise ValueError(f"weeks must be at least 1, not {weeks}")
    today = now.astimezone(rules.tz).date()
    this_monday = today - timedelta(days=today.weekday())
    first = this_monday - timedelta(weeks=weeks - 1)
    counts = [0] * weeks
    for row in activity(apps, first, today, rules, now=now):
        counts[(row.day - first).days // 7] += 1
    result = []
    for index, count in enumerate(counts):
        monday = first + timedelta(weeks=index)
        iso = monday.isocalendar()
        result.append(WeekCount(monday, iso.year, iso.week, count))
    return result
