"""Insights (SPEC §9): ghosted applications, the job search's figures, the activity log.

Pure functions of the recorded applications, the user's `Rules` and `now`
(an aware datetime the caller supplies). Only events at or before `now` count,
as in the rules (SPEC §2.1): under time travel a later event has not happened
yet. Each figure's docstring says exactly how it is counted; the README quotes
them.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from followup_tui.domain.model import (
    EMPLOYER_CONTACT_TYPES,
    PER_INTERVIEW_TYPES,
    STATUS_TYPES,
    Application,
    Event,
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


def ghosted(
    app: Application,
    now: datetime,
    rules: Rules,
    after_business_days: int = DEFAULT_GHOSTED_AFTER_BUSINESS_DAYS,
) -> Ghosted:
    """Is the application ghosted at `now` (SPEC §9)?

    It is when all of these hold: its status at `now` is active (not on hold,
    not closed); its latest interview (latest start; of equal starts the
    greater id) had its call made — the first `call_made` of that interview at
    or after S, S being the interview's first `thank_you_sent` (events are
    assigned to interviews as in SPEC §2.1), at a moment M; there has been no
    employer contact after M (`reply_received`, `offer` or `rejected` at or
    before `now`, or any interview starting after M); and the local date of
    `now` is at least `after_business_days` business days after M's local
    date. An `out_of_office` is not employer contact.
    """
    return _analyse(app, now.astimezone(UTC), rules, after_business_days).ghost


# --- one pass over one application ------------------------------------------------


class _Analysis(NamedTuple):
    """What one pass over an application's past events says (see `stats`)."""

    status: Status
    #: Interviews started at or before now.
    interviews_held: int
    offered: bool
    accepted: bool
    #: First interview's end (UTC), if it has ended by now.
    first_end: datetime | None
    #: First employer contact after the first interview's end (UTC).
    first_contact: datetime | None
    #: (sent on time?) for each interview whose thank-you was sent by now.
    thank_yous: tuple[bool, ...]
    ghost: Ghosted
    #: The local date of the application's first activity (see `first_activity`).
    first_activity: date | None


def _ordered_interviews(app: Application, rules: Rules) -> list[tuple[datetime, Interview]]:
    """Interviews with their start (UTC), earliest first; equal starts by id."""
    timed = [(interview_start(iv, rules.tz).astimezone(UTC), iv) for iv in app.interviews]
    timed.sort(key=lambda pair: (pair[0], pair[1].id))
    return timed


def _analyse(app: Application, now: datetime, rules: Rules, after: int) -> _Analysis:
    """Every per-application fact the insights need, in one pass over the events.

    `now` is in UTC (instants are compared in UTC, see rules._past_events).
    """
    tz = rules.tz
    starts = _ordered_interviews(app, rules)
    ends_by_id = {iv.id: interview_end(iv, tz).astimezone(UTC) for _, iv in starts}
    ends = sorted((end, iid) for iid, end in ends_by_id.items())
    held = sum(1 for start, _ in starts if start <= now)
    first_end: datetime | None = None
    if starts:
        end = ends_by_id[starts[0][1].id]
        first_end = end if end <= now else None
    latest = starts[-1][1] if starts else None

    timed = [(parse_moment(event.at, tz).astimezone(UTC), event) for event in app.events]
    past = [(at, event) for at, event in timed if at <= now]
    past.sort(key=lambda pair: pair[0])

    status = Status.ACTIVE
    offered = accepted = False
    sent: dict[str, datetime] = {}  # interview id -> S
    calls: dict[str, list[datetime]] = {}  # interview id -> call_made moments
    contacts: list[datetime] = []  # employer-contact events
    for at, event in past:
        type_ = event.type
        if type_ in STATUS_TYPES:
            status = _STATUS_OF_EVENT[type_]
            if type_ is EventType.OFFER:
                offered = True
            elif type_ is EventType.ACCEPTED:
                offered = accepted = True
        if type_ in EMPLOYER_CONTACT_TYPES:
            contacts.append(at)
        elif type_ is EventType.THANK_YOU_SENT or type_ is EventType.CALL_MADE:
            owner = _owner(event, at, ends, ends_by_id)
            if owner is None:
                continue
            if type_ is EventType.THANK_YOU_SENT:
                sent.setdefault(owner, at)
            else:
                calls.setdefault(owner, []).append(at)

    # a later interview is the employer's word too (it answers a call, SPEC §2.1)
    first_contact: datetime | None = None
    if first_end is not None:
        later = [start for start, _ in starts[1:] if first_end < start <= now]
        replies = [at for at in contacts if at > first_end]
        first_contact = min([*later, *replies], default=None)

    window = rules.thank_you_window
    thank_yous = tuple(
        at <= add_real_time(ends_by_id[iid], window) for iid, at in sent.items()
    )

    ghost = NOT_GHOSTED
    if status is Status.ACTIVE and latest is not None and latest.id in sent:
        s_at = sent[latest.id]
        made = [at for at in calls.get(latest.id, ()) if at >= s_at]
        if made:
            m_at = made[0]
            answered = any(at > m_at for at in contacts) or any(
                start > m_at for start, _ in starts
            )
            if not answered:
                called = m_at.astimezone(tz).date()
                since = add_business_days(called, after, rules)
                today = now.astimezone(tz).date()
                if today >= since:
                    ghost = _ghosted_record(called, since, after, today)

    return _Analysis(
        status, held, offered, accepted, first_end, first_contact, thank_yous, ghost,
        _first_activity(app, starts, past, rules),
    )


def _first_activity(
    app: Application,
    starts: list[tuple[datetime, Interview]],
    past: list[tuple[datetime, Event]],
    rules: Rules,
) -> date | None:
    if app.applied_on:
        return parse_local_date(app.applied_on, rules.tz)
    if starts:
        return starts[0][0].astimezone(rules.tz).date()
    if past:
        return past[0][0].astimezone(rules.tz).date()
    return None


def first_activity(app: Application, now: datetime, rules: Rules) -> date | None:
    """The local date an application began, as `stats --since` reads it.

    `applied_on` when recorded, else the first interview's start, else the
    first event at or before `now`; None for an application with none of these.
    """
    now = now.astimezone(UTC)
    timed = [(parse_moment(e.at, rules.tz).astimezone(UTC), e) for e in app.events]
    past = sorted(((at, e) for at, e in timed if at <= now), key=lambda pair: pair[0])
    return _first_activity(app, _ordered_interviews(app, rules), past, rules)


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


def _furthest_stage(analysis: _Analysis) -> int:
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


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def stats(
    apps: Iterable[Application],
    now: datetime,
    rules: Rules,
    since: date | None = None,
    *,
    ghosted_after_business_days: int = DEFAULT_GHOSTED_AFTER_BUSINESS_DAYS,
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
    now = now.astimezone(UTC)
    tz = rules.tz
    by_status = dict.fromkeys(Status, 0)
    reached = [0] * len(FUNNEL_STAGES)
    interviewed = responded = sent = on_time = 0
    days: list[int] = []
    by_company: dict[str, list[int]] = {}
    ghosts: list[GhostedApplication] = []
    count = 0
    for app in apps:
        facts = _analyse(app, now, rules, ghosted_after_business_days)
        if since is not None and (facts.first_activity is None or facts.first_activity < since):
            continue
        count += 1
        by_status[facts.status] += 1
        for stage in range(_furthest_stage(facts) + 1):
            reached[stage] += 1
        if facts.interviews_held:
            interviewed += 1
        if facts.first_end is not None and facts.first_contact is not None:
            responded += 1
            waited = (
                facts.first_contact.astimezone(tz).date() - facts.first_end.astimezone(tz).date()
            ).days
            days.append(waited)
            by_company.setdefault(app.company, []).append(waited)
        sent += len(facts.thank_yous)
        on_time += sum(facts.thank_yous)
        if facts.ghost.ghosted:
            ghosts.append(GhostedApplication(app.id, app.company, app.role, facts.ghost))
    ghosts.sort(key=lambda g: (g.ghosted.since or date.min, g.application))
    return Stats(
        applications=count,
        by_status=by_status,
        funnel=Funnel(*reached),
        interviewed=interviewed,
        responded=responded,
        response_rate=_share(responded, interviewed),
        median_days_to_response=float(statistics.median(days)) if days else None,
        median_days_to_response_by_company={
            company: float(statistics.median(values))
            for company, values in sorted(by_company.items())
        },
        thank_yous_sent=sent,
        thank_yous_on_time=on_time,
        thank_you_on_time=_share(on_time, sent),
        ghosted=tuple(ghosts),
        since=since,
    )


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
    return f"{interview.round} interview" if interview.round else "Interview"


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
                    (interview_end(iv, tz).astimezone(UTC), iv.id) for iv in app.interviews
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
