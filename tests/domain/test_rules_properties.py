"""Properties of the rules (SPEC §2.1) over random applications and random `now`s.

Applications have 1-3 interviews (random starts, durations / ends, decision dates)
and random events of every type at random times, some after `now`; times are
written with an offset or, when that is unambiguous, as naive local text.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup_tui.domain.model import (
    PER_INTERVIEW_TYPES,
    Application,
    Event,
    EventType,
    Interview,
    Kind,
    Rules,
    State,
)
from followup_tui.domain.rules import (
    add_real_time,
    follow_ups,
    interview_end,
    parse_moment,
    validity,
)

E = EventType
ZONES = [ZoneInfo("Australia/Sydney"), ZoneInfo("America/New_York"), ZoneInfo("UTC")]
#: A span that holds both Sydney and New York daylight-saving changes.
ORIGIN = datetime(2026, 9, 20, tzinfo=UTC)
SPAN_MINUTES = 80 * 24 * 60
HOLIDAYS = frozenset({date(2026, 10, 5), date(2026, 11, 3), date(2026, 11, 26), date(2026, 12, 25)})
STATUS_EVENTS = {
    E.ON_HOLD: "on_hold",
    E.RESUMED: "active",
    E.OFFER: "offer",
    E.REJECTED: "rejected",
    E.WITHDRAWN: "withdrawn",
    E.ACCEPTED: "accepted",
}

#: every type, the ones that drive a follow-up more often
EVENT_TYPES = [*EventType, E.THANK_YOU_SENT, E.THANK_YOU_SENT, E.SNOOZED, E.SKIPPED]
EVENT_TYPES += [E.OUT_OF_OFFICE, E.OUT_OF_OFFICE]

PROPERTY_SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


#: Zones whose clocks change at midnight (Havana, Santiago; Cairo on a Friday, a business
#: day) or at night (Sydney, London), with a gap or a repeated hour in 2026.
DST_ZONES = [
    ZoneInfo(name)
    for name in (
        "Australia/Sydney",
        "America/Havana",
        "America/Santiago",
        "Europe/London",
        "Africa/Cairo",
    )
]


def clock_changes(tz: ZoneInfo, year: int = 2026) -> list[datetime]:
    """The instants in `year` at which `tz`'s offset changes (each on a half hour, UTC)."""
    found = []
    moment = datetime(year, 1, 1, tzinfo=UTC)
    before = moment.astimezone(tz).utcoffset()
    while moment.year == year:
        moment += timedelta(minutes=30)
        after = moment.astimezone(tz).utcoffset()
        if after != before:
            found.append(moment)
        before = after
    return found


CLOCK_CHANGES = {tz: clock_changes(tz) for tz in DST_ZONES}

def moment_at(minute: int) -> datetime:
    return ORIGIN + timedelta(minutes=minute)


def as_text(moment: datetime, tz: ZoneInfo, naive: bool, zulu: bool) -> str:
    """ISO text for a moment: naive local when that reads back as the same instant."""
    local = moment.astimezone(tz)
    # a naive time in a repeated hour is ambiguous (see the xfail in test_rules.py):
    # keep the offset there
    unambiguous = local.replace(fold=0).utcoffset() == local.replace(fold=1).utcoffset()
    if naive and unambiguous:
        text = local.replace(tzinfo=None).isoformat()
        assert parse_moment(text, tz).astimezone(UTC) == moment.astimezone(UTC)
        return text
    if zulu:
        return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return local.isoformat()


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Application, Rules, datetime]:
    return _scenario(draw, draw(st.sampled_from(ZONES)), ORIGIN)


@st.composite
def dst_scenarios(draw: st.DrawFn) -> tuple[Application, Rules, datetime]:
    """Scenarios around a clock change (a gap or a repeated hour, at midnight or at night):
    interviews, events and now within days of it, now often within hours of it."""
    tz = draw(st.sampled_from(DST_ZONES))
    change = draw(st.sampled_from(CLOCK_CHANGES[tz]))
    origin = change - timedelta(days=draw(st.integers(0, 12)), minutes=draw(st.integers(0, 60)))
    return _scenario(draw, tz, origin, 14 * 24 * 60, near_change=change)


def _scenario(
    draw: st.DrawFn,
    tz: ZoneInfo,
    origin: datetime,
    span: int = SPAN_MINUTES,
    near_change: datetime | None = None,
) -> tuple[Application, Rules, datetime]:
    """An application in `tz`, its interviews within `span` minutes from `origin`."""

    def moment_at(minute: int) -> datetime:
        return origin + timedelta(minutes=minute)

    rules = Rules(
        tz=tz,
        thank_you_window_hours=draw(st.sampled_from([24, 24, 48, 2])),
        call_after_business_days=draw(st.integers(1, 5)),
        holidays=draw(st.sampled_from([frozenset(), HOLIDAYS])),
    )
    text_style = st.tuples(st.booleans(), st.booleans())

    def text_of(minute: int) -> str:
        naive, zulu = draw(text_style)
        return as_text(moment_at(minute), tz, naive, zulu)

    count = draw(st.integers(1, 3))
    starts = draw(
        st.lists(st.integers(0, span), min_size=count, max_size=count, unique=True)
    )
    interviews = []
    for n, start in enumerate(starts):
        how = draw(st.sampled_from(["default", "duration", "ends_at"]))
        length = draw(st.integers(1, 240))
        decision = draw(st.one_of(st.none(), st.integers(0, 40)))
        decision_by = None
        if decision is not None:
            day = moment_at(start).astimezone(tz).date() + timedelta(days=decision)
            if draw(st.booleans()):
                decision_by = day.isoformat()
            else:
                decision_by = text_of(start + decision * 24 * 60 + draw(st.integers(0, 1439)))
        interviews.append(
            Interview(
                id=f"i{n}",
                starts_at=text_of(start),
                duration_minutes=length if how == "duration" else None,
                ends_at=text_of(start + length) if how == "ends_at" else None,
                decision_by=decision_by,
                cancelled=draw(st.integers(0, 5)) == 0,
            )
        )
    ids = [iv.id for iv in interviews]

    # events and now cluster around the interviews, so that calls, holds and snoozes meet
    near = st.builds(
        lambda start, offset: start + offset,
        st.sampled_from(starts),
        st.integers(-24 * 60, 25 * 24 * 60),
    )
    event_count = draw(st.integers(0, 12))
    times = draw(
        st.lists(
            st.one_of(near, st.integers(0, span + 20 * 24 * 60)),
            min_size=event_count,
            max_size=event_count,
            unique=True,  # distinct instants, so listing order carries no meaning
        )
    )
    events = []
    for minute in times:
        type_ = draw(st.sampled_from(EVENT_TYPES))
        iid = draw(st.sampled_from([None, *ids])) if type_ in PER_INTERVIEW_TYPES else None
        kind = until = None
        if type_ in (E.SNOOZED, E.SKIPPED):
            kind = draw(st.sampled_from(list(Kind)))
        if type_ is E.SNOOZED or (type_ is E.OUT_OF_OFFICE and draw(st.booleans())):
            ahead = draw(st.integers(-2 * 24 * 60, 20 * 24 * 60))
            if draw(st.booleans()):
                until = (moment_at(minute + ahead).astimezone(tz).date()).isoformat()
            else:
                until = text_of(minute + ahead)
        events.append(Event(at=text_of(minute), type=type_, interview=iid, kind=kind, until=until))

    app = Application(
        id="app", company="Acme", role="Planner", interviews=tuple(interviews), events=tuple(events)
    )
    now = moment_at(
        draw(
            st.one_of(
                st.builds(
                    lambda start, offset: start + offset,
                    st.sampled_from(starts),
                    st.integers(-60, 20 * 24 * 60),
                ),
                st.integers(-24 * 60, span + 30 * 24 * 60),
            )
        )
    )
    if near_change is not None and draw(st.booleans()):
        now = near_change + timedelta(minutes=draw(st.integers(-120, 120)))
    if draw(st.booleans()):
        now = now.astimezone(tz)  # sets fold: the repeated hour's second half is fold=1
    return app, rules, now


# --- a reference reading of SPEC §2.1 (attribution, S, status) ---------------------------------


def owner_of(event: Event, app: Application, tz: ZoneInfo) -> str | None:
    """The interview a per-interview event belongs to."""
    if event.interview is not None:
        return event.interview
    at = parse_moment(event.at, tz).astimezone(UTC)
    # of several that ended at the same latest moment, the greater id as text (max does that);
    # a cancelled interview never took place, so it ends nothing
    ended = [
        (interview_end(iv, tz).astimezone(UTC), iv.id)
        for iv in app.interviews
        if not iv.cancelled and interview_end(iv, tz).astimezone(UTC) <= at
    ]
    return max(ended)[1] if ended else None


def sent_by_interview(app: Application, rules: Rules, now: datetime) -> dict[str, datetime]:
    """S for each interview whose thank-you is sent at or before now."""
    result: dict[str, datetime] = {}
    for event in app.events:
        if event.type is not E.THANK_YOU_SENT:
            continue
        at = parse_moment(event.at, rules.tz).astimezone(UTC)
        if at > now.astimezone(UTC):
            continue
        owner = owner_of(event, app, rules.tz)
        if owner is not None and (owner not in result or at < result[owner]):
            result[owner] = at
    return result


def status_at(app: Application, rules: Rules, now: datetime) -> str:
    latest: tuple[datetime, str] | None = None
    for event in app.events:
        at = parse_moment(event.at, rules.tz).astimezone(UTC)
        past = event.type in STATUS_EVENTS and at <= now.astimezone(UTC)
        if past and (latest is None or at > latest[0]):
            latest = (at, STATUS_EVENTS[event.type])
    return "active" if latest is None else latest[1]


def summary(app: Application, rules: Rules, now: datetime) -> list[tuple[object, ...]]:
    return [
        (f.interview_id, f.kind, f.state, f.due_at.astimezone(UTC), f.reason)
        for f in follow_ups(app, now, rules)
    ]


# --- properties -------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(scenarios())
def test_a_one_state_each_thank_you_for_every_interview_call_iff_sent(
    scenario: tuple[Application, Rules, datetime],
) -> None:
    app, rules, now = scenario
    result = follow_ups(app, now, rules)
    keys = [(f.interview_id, f.kind) for f in result]
    assert len(keys) == len(set(keys)), "exactly one follow-up per interview and kind"
    for f in result:
        assert isinstance(f.state, State)
        assert f.state in set(State)
        assert f.due_at.tzinfo is not None and f.due_at.utcoffset() is not None
        assert isinstance(f.reason, str) and f.reason
    ids = {iv.id for iv in app.interviews if not iv.cancelled}  # a cancelled one has none
    assert {iid for iid, kind in keys if kind is Kind.THANK_YOU} == ids
    sent = sent_by_interview(app, rules, now)
    assert {iid for iid, kind in keys if kind is Kind.CALL} == set(sent) & ids


@PROPERTY_SETTINGS
@given(scenarios(), st.integers(1, 60 * 24 * 60))
def test_b_moving_now_forward_never_undoes_done(
    scenario: tuple[Application, Rules, datetime], forward_minutes: int
) -> None:
    app, rules, now = scenario
    # forward in real time: `now + timedelta` would go by the wall clock, which in the
    # repeated hour can land before `now`
    later = add_real_time(now, timedelta(minutes=forward_minutes), now.tzinfo)
    before = {(f.interview_id, f.kind): f for f in follow_ups(app, now, rules)}
    after = {(f.interview_id, f.kind): f for f in follow_ups(app, later, rules)}
    for key, f in before.items():
        if f.state is State.DONE:
            assert key in after
            assert after[key].state is State.DONE, (key, f.reason, after[key].reason)


@PROPERTY_SETTINGS
@given(scenarios())
def test_c_call_due_at_never_before_thank_you_sent(
    scenario: tuple[Application, Rules, datetime],
) -> None:
    app, rules, now = scenario
    sent = sent_by_interview(app, rules, now)
    for f in follow_ups(app, now, rules):
        if f.kind is Kind.CALL:
            assert f.interview_id in sent
            assert f.due_at.astimezone(UTC) >= sent[f.interview_id], f.reason


@PROPERTY_SETTINGS
@given(scenarios(), st.randoms(use_true_random=False))
def test_d_result_does_not_depend_on_event_order(
    scenario: tuple[Application, Rules, datetime], rnd: random.Random
) -> None:
    app, rules, now = scenario
    shuffled = list(app.events)
    rnd.shuffle(shuffled)
    other = Application(
        id=app.id,
        company=app.company,
        role=app.role,
        interviews=app.interviews,
        events=tuple(shuffled),
    )
    reversed_ = Application(
        id=app.id,
        company=app.company,
        role=app.role,
        interviews=app.interviews,
        events=tuple(reversed(app.events)),
    )
    expected = summary(app, rules, now)
    assert summary(other, rules, now) == expected
    assert summary(reversed_, rules, now) == expected


@PROPERTY_SETTINGS
@given(scenarios())
def test_e_only_a_thank_you_is_ever_overdue(
    scenario: tuple[Application, Rules, datetime],
) -> None:
    app, rules, now = scenario
    for f in follow_ups(app, now, rules):
        if f.state is State.OVERDUE:
            assert f.kind is Kind.THANK_YOU


@PROPERTY_SETTINGS
@given(scenarios())
def test_f_no_call_is_due_while_on_hold(scenario: tuple[Application, Rules, datetime]) -> None:
    app, rules, now = scenario
    if status_at(app, rules, now) != "on_hold":
        return
    for f in follow_ups(app, now, rules):
        if f.kind is Kind.CALL:
            assert f.state is not State.DUE, f.reason


@PROPERTY_SETTINGS
@given(scenarios())
def test_g_on_hold_or_closed_leaves_only_done_or_suppressed(
    scenario: tuple[Application, Rules, datetime],
) -> None:
    """Rule 2 comes before rules 3-6: nothing pending is waiting, due or overdue."""
    app, rules, now = scenario
    if status_at(app, rules, now) == "active":
        return
    for f in follow_ups(app, now, rules):
        assert f.state in (State.DONE, State.SUPPRESSED), f.reason


@PROPERTY_SETTINGS
@given(scenarios())
def test_h_thank_you_due_at_is_end_plus_window_unless_snoozed(
    scenario: tuple[Application, Rules, datetime],
) -> None:
    app, rules, now = scenario
    for f in follow_ups(app, now, rules):
        if f.kind is Kind.THANK_YOU and not (f.state is State.WAITING and "nooz" in f.reason):
            iv = app.interview(f.interview_id)
            assert iv is not None
            deadline = interview_end(iv, rules.tz).astimezone(UTC) + rules.thank_you_window
            assert f.due_at.astimezone(UTC) == deadline


# --- around clock changes: gaps and repeated hours, at midnight and at night -------------------


@PROPERTY_SETTINGS
@given(dst_scenarios())
def test_i_around_a_clock_change_one_state_per_follow_up(
    scenario: tuple[Application, Rules, datetime],
) -> None:
    app, rules, now = scenario
    result = follow_ups(app, now, rules)
    keys = [(f.interview_id, f.kind) for f in result]
    assert len(keys) == len(set(keys))
    ids = {iv.id for iv in app.interviews if not iv.cancelled}
    assert {iid for iid, kind in keys if kind is Kind.THANK_YOU} == ids
    for f in result:
        assert isinstance(f.state, State) and f.reason
        assert f.due_at.utcoffset() is not None


@PROPERTY_SETTINGS
@given(dst_scenarios(), st.integers(1, 6 * 60), st.sampled_from([1, 60, 24 * 60]))
def test_j_around_a_clock_change_moving_now_forward_never_turns_done_into_due(
    scenario: tuple[Application, Rules, datetime], steps: int, step_minutes: int
) -> None:
    """Step by step through the change, now written in the local zone (fold and all):
    a follow-up once done stays done."""
    app, rules, now = scenario
    done: set[tuple[str, Kind]] = set()
    moment = now.astimezone(rules.tz)
    for _ in range(min(steps, 60)):
        for f in follow_ups(app, moment, rules):
            if f.state is State.DONE:
                done.add(f.key)
            else:
                assert f.key not in done, (moment, f.state, f.reason)
        moment = add_real_time(moment, timedelta(minutes=step_minutes), rules.tz)


@PROPERTY_SETTINGS
@given(dst_scenarios())
def test_k_around_a_clock_change_a_local_now_and_its_instant_agree(
    scenario: tuple[Application, Rules, datetime],
) -> None:
    """The same instant written in UTC, in the local zone (with fold) or with its fixed
    offset is decided the same."""
    app, rules, now = scenario
    local = now.astimezone(rules.tz)
    offset = local.utcoffset()
    assert offset is not None
    fixed = now.astimezone(timezone(offset))
    expected = summary(app, rules, now.astimezone(UTC))
    assert summary(app, rules, local) == expected
    assert summary(app, rules, fixed) == expected


@PROPERTY_SETTINGS
@given(dst_scenarios(), st.floats(0, 1))
def test_l_around_a_clock_change_nothing_changes_before_the_validity_bound(
    scenario: tuple[Application, Rules, datetime], where: float
) -> None:
    """What the follow-up cache rests on: inside `[since, until)` every answer is the one
    at `now` (checked at both ends and at a point between, each as a local time)."""
    app, rules, now = scenario
    since, until = validity(app, now, rules)
    expected = summary(app, rules, now)
    tick = timedelta(microseconds=1)
    inside = [now]
    if since is not None:
        assert since <= now
        inside.append(since)
    if until is not None:
        assert until > now
        inside.append(until - tick)
    if since is not None and until is not None:
        inside.append(since + (until - tick - since) * where)
    for moment in inside:
        assert summary(app, rules, moment.astimezone(rules.tz)) == expected, moment
