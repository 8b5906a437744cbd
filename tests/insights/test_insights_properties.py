"""Properties of the insights (SPEC §9) over generated histories.

The histories are test_rules_properties' random applications (1-3 interviews,
events of every type around them, some after now), several to a search; each
property is checked against a direct, slow reading of the definition.
"""

from __future__ import annotations

import statistics
from datetime import UTC, date, datetime, timedelta

from hypothesis import assume, given
from hypothesis import strategies as st

from followup_tui.domain.insights import FUNNEL_STAGES, ghosted, stats
from followup_tui.domain.model import (
    EMPLOYER_CONTACT_TYPES,
    Application,
    Event,
    EventType,
    Interview,
    Rules,
    Status,
)
from followup_tui.domain.rules import (
    add_business_days,
    interview_end,
    interview_start,
    parse_moment,
)
from tests.domain.test_rules_properties import (
    HOLIDAYS,
    PROPERTY_SETTINGS,
    SPAN_MINUTES,
    ZONES,
    as_text,
    moment_at,
    owner_of,
    scenarios,
    sent_by_interview,
    status_at,
)

E = EventType
COMPANIES = ("Acme", "Globex", "Initech")


@st.composite
def searches(draw: st.DrawFn) -> tuple[list[Application], Rules, datetime]:
    """A few applications sharing one user's rules and one now."""
    drawn = draw(st.lists(histories(), min_size=1, max_size=6))
    _, rules, now = drawn[0]
    # each history was drawn for its own zone; read in the shared one, naive times
    # shift a little, which makes another history just as valid
    apps = [
        app.replace(id=f"app-{n}", company=draw(st.sampled_from(COMPANIES)))
        for n, (app, _, _) in enumerate(drawn)
    ]
    return apps, rules, now


@st.composite
def call_histories(draw: st.DrawFn) -> tuple[Application, Rules, datetime]:
    """An application whose latest interview's thank-you was sent and (mostly) its call
    made, then words, holds or silence around it: where ghosted is decided."""
    tz = draw(st.sampled_from(ZONES))
    rules = Rules(tz=tz, holidays=draw(st.sampled_from([frozenset(), HOLIDAYS])))
    naive = st.booleans()

    def text(minute: int) -> str:
        return as_text(moment_at(minute), tz, draw(naive), draw(naive))

    day = 24 * 60
    first = draw(st.integers(0, SPAN_MINUTES))
    starts = [first]
    if draw(st.booleans()):
        starts.append(first + draw(st.integers(day, 20 * day)))
    latest = starts[-1]
    sent = latest + 60 + draw(st.integers(0, 3 * day))
    called = sent + draw(st.integers(-10 * 60, 10 * day))  # now and then before S
    last_id = f"i{len(starts) - 1}"
    events = [
        Event(text(sent), E.THANK_YOU_SENT, last_id),
        Event(text(called), E.CALL_MADE, draw(st.sampled_from([last_id, None]))),
    ]
    minutes = {sent, called}
    others = [E.REPLY_RECEIVED, E.OFFER, E.REJECTED, E.ON_HOLD, E.RESUMED, E.WITHDRAWN,
              E.NOTE, E.CALL_MADE]
    for _ in range(draw(st.integers(0, 3))):
        minute = called + draw(st.integers(-3 * day, 30 * day))
        assume(minute not in minutes)  # distinct instants: listing order means nothing
        minutes.add(minute)
        events.append(Event(text(minute), draw(st.sampled_from(others))))
    if draw(st.integers(0, 4)) == 0:  # an interview booked after the call
        starts.append(called + draw(st.integers(60, 20 * day)))
    interviews = tuple(
        Interview(id=f"i{n}", starts_at=text(start), duration_minutes=60)
        for n, start in enumerate(starts)
    )
    app = Application("app", "Acme", "Planner", interviews=interviews, events=tuple(events))
    now = moment_at(called + draw(st.integers(-60, 40 * day)))
    return app, rules, now


def histories() -> st.SearchStrategy[tuple[Application, Rules, datetime]]:
    return st.one_of(scenarios(), call_histories(), call_histories())


def utc(text: str, rules: Rules) -> datetime:
    return parse_moment(text, rules.tz).astimezone(UTC)


def past_of(app: Application, rules: Rules, now: datetime, types: frozenset[EventType]
            ) -> list[datetime]:
    return [
        at for e in app.events
        if e.type in types and (at := utc(e.at, rules)) <= now.astimezone(UTC)
    ]


def took_place(app: Application) -> Application:
    """The application without its cancelled interviews: they never happened (SPEC §7)."""
    return app.replace(interviews=tuple(iv for iv in app.interviews if not iv.cancelled))


def furthest(app: Application, rules: Rules, now: datetime) -> int:
    app = took_place(app)
    held = sum(1 for iv in app.interviews if interview_start(iv, rules.tz) <= now)
    if past_of(app, rules, now, frozenset({E.ACCEPTED})):
        return 4
    if past_of(app, rules, now, frozenset({E.OFFER, E.ACCEPTED})):
        return 3
    return 2 if held >= 2 else 1 if held == 1 else 0


def days_to_response(app: Application, rules: Rules, now: datetime) -> int | None:
    """Calendar days from the first interview's end to the employer's first word after it."""
    now = now.astimezone(UTC)
    app = took_place(app)
    if not app.interviews:
        return None
    first = min(app.interviews, key=lambda iv: (utc(iv.starts_at, rules), iv.id))
    end = interview_end(first, rules.tz).astimezone(UTC)
    if end > now:
        return None
    words = [at for at in past_of(app, rules, now, EMPLOYER_CONTACT_TYPES) if at > end]
    words += [
        start for iv in app.interviews
        if iv is not first and end < (start := utc(iv.starts_at, rules)) <= now
    ]
    if not words:
        return None
    return (min(words).astimezone(rules.tz).date() - end.astimezone(rules.tz).date()).days


def ghosted_since(app: Application, rules: Rules, now: datetime, after: int) -> date | None:
    """SPEC §9 read directly: the date the application counts as ghosted, or None."""
    app = took_place(app)
    if not app.interviews or status_at(app, rules, now) != "active":
        return None
    latest = max(app.interviews, key=lambda iv: (utc(iv.starts_at, rules), iv.id))
    sent = sent_by_interview(app, rules, now).get(latest.id)
    if sent is None:
        return None
    calls = [
        at for e in app.events
        if e.type is E.CALL_MADE and owner_of(e, app, rules.tz) == latest.id
        and sent <= (at := utc(e.at, rules)) <= now.astimezone(UTC)
    ]
    if not calls:
        return None
    made = min(calls)
    if any(at > made for at in past_of(app, rules, now, EMPLOYER_CONTACT_TYPES)):
        return None
    if any(utc(iv.starts_at, rules) > made for iv in app.interviews):
        return None
    since = add_business_days(made.astimezone(rules.tz).date(), after, rules)
    return since if now.astimezone(rules.tz).date() >= since else None


AFTER = st.integers(0, 12)


@PROPERTY_SETTINGS
@given(searches())
def test_every_application_in_exactly_one_status_and_every_stage_up_to_its_furthest(
    search: tuple[list[Application], Rules, datetime],
) -> None:
    apps, rules, now = search
    result = stats(apps, now, rules)
    assert result.applications == len(apps)
    assert sum(result.by_status.values()) == len(apps)
    for status in Status:
        expected = sum(1 for app in apps if status_at(app, rules, now) == status.value)
        assert result.by_status[status] == expected
    stages = [furthest(app, rules, now) for app in apps]
    for index, stage in enumerate(FUNNEL_STAGES):
        assert getattr(result.funnel, stage) == sum(1 for s in stages if s >= index)
    assert list(result.funnel) == sorted(result.funnel, reverse=True)


@PROPERTY_SETTINGS
@given(searches())
def test_medians_and_response_rate_match_a_direct_computation(
    search: tuple[list[Application], Rules, datetime],
) -> None:
    apps, rules, now = search
    result = stats(apps, now, rules)
    waits = {app.id: days_to_response(app, rules, now) for app in apps}
    answered = [d for d in waits.values() if d is not None]
    assert result.responded == len(answered)
    assert result.median_days_to_response == (statistics.median(answered) if answered else None)
    for company in COMPANIES:
        mine = [waits[a.id] for a in apps if a.company == company and waits[a.id] is not None]
        assert result.median_days_to_response_by_company.get(company) == (
            statistics.median(mine) if mine else None  # type: ignore[type-var]
        )
    held = sum(1 for a in apps if any(interview_start(iv, rules.tz) <= now
                                      for iv in took_place(a).interviews))
    assert result.interviewed == held
    assert result.response_rate == (len(answered) / held if held else None)
    # a thank-you is counted once per interview: the rules give one call per sent one
    assert result.thank_yous_sent == sum(
        len(set(sent_by_interview(a, rules, now)) & {iv.id for iv in took_place(a).interviews})
        for a in apps
    )
    assert 0 <= result.thank_yous_on_time <= result.thank_yous_sent


@PROPERTY_SETTINGS
@given(histories(), AFTER)
def test_ghosted_is_the_definition(
    scenario: tuple[Application, Rules, datetime], after: int
) -> None:
    app, rules, now = scenario
    result = ghosted(app, now, rules, after)
    assert result.since == ghosted_since(app, rules, now, after)
    assert result.ghosted == (result.since is not None)
    assert bool(result.reason) == result.ghosted == bool(result.advice)


@PROPERTY_SETTINGS
@given(histories(), AFTER)
def test_never_ghosted_with_employer_contact_after_its_call(
    scenario: tuple[Application, Rules, datetime], after: int
) -> None:
    app, rules, now = scenario
    calls = past_of(app, rules, now, frozenset({E.CALL_MADE}))
    words = past_of(app, rules, now, EMPLOYER_CONTACT_TYPES)
    # the call M is one of these, so a word after the last of them is a word after M
    if calls and words and max(words) > max(calls):
        assert not ghosted(app, now, rules, after).ghosted
    if ghosted(app, now, rules, after).ghosted:
        assert calls and status_at(app, rules, now) == "active"


@PROPERTY_SETTINGS
@given(histories(), AFTER, st.integers(1, 40 * 24 * 60))
def test_moving_now_forward_never_unghosts_without_a_new_event(
    scenario: tuple[Application, Rules, datetime], after: int, minutes: int
) -> None:
    app, rules, now = scenario
    before = ghosted(app, now, rules, after)
    later = now + timedelta(minutes=minutes)
    new = [e for e in app.events if now.astimezone(UTC) < utc(e.at, rules) <= later]
    if before.ghosted and not new:
        assert ghosted(app, later, rules, after).since == before.since
