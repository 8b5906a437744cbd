"""`validity`: between two change points the follow-ups do not change.

This is what the follow-up cache (and so `due`'s speed) rests on: a wrong
span would serve a stale state.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from followup_tui.domain.model import Application, Event, EventType, Interview, Rules
from followup_tui.domain.rules import follow_ups, validity
from tests.domain.test_rules_properties import ORIGIN, ZONES, scenarios

TICK = timedelta(microseconds=1)


def answer(app, rules, now):
    return [
        (f.interview_id, f.kind, f.state, f.due_at, f.reason) for f in follow_ups(app, now, rules)
    ]


def check_span(app, rules, now) -> None:
    since, until = validity(app, now, rules)
    expected = answer(app, rules, now)
    if since is not None:
        assert since <= now
        assert answer(app, rules, since) == expected
    if until is not None:
        assert until > now
        assert answer(app, rules, until - TICK) == expected


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_the_answer_holds_across_the_whole_span(scenario) -> None:
    check_span(*scenario)


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_the_span_is_as_long_as_can_be_trusted_and_no_longer(scenario) -> None:
    """Just past the span, something may change; at least the span is never empty."""
    app, rules, now = scenario
    since, until = validity(app, now, rules)
    if since is not None and until is not None:
        assert since < until


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(ZONES),
    st.integers(0, 60 * 24 * 60),
    st.integers(60, 3 * 24 * 60),
    st.one_of(st.none(), st.integers(0, 20)),
    st.integers(0, 30 * 24 * 60),
    st.integers(1, 5),
)
def test_sparse_applications_too(
    tz, start, sent_after, decision_days, now_after, business_days
) -> None:
    """Few events, so each change point has to carry its own weight."""
    start_at = ORIGIN + timedelta(minutes=start)
    decision = None
    if decision_days is not None:
        decision = (start_at.astimezone(tz).date() + timedelta(days=decision_days)).isoformat()
    app = Application(
        "a",
        "Acme",
        "Planner",
        interviews=(Interview("i", start_at.isoformat(), decision_by=decision),),
        events=(
            Event(
                (start_at + timedelta(minutes=sent_after)).isoformat(),
                EventType.THANK_YOU_SENT,
                "i",
            ),
        ),
    )
    rules = Rules(tz, call_after_business_days=business_days)
    check_span(app, rules, start_at + timedelta(minutes=now_after))
