"""The advice as rules (SPEC §2 and §2.1), one test per line of the contract.

These tests are written from the SPEC, not from the code. The usual scene:
an interview on Fri 20 Nov 2026, 10:00-11:00 in Sydney (AEDT, +11:00); the
thank-you window closes Sat 21 Nov 11:00; a thank-you sent on Fri 20 Nov opens
the call three business days later, on Wed 25 Nov.

`due_at` may come back in any zone (UTC included), so every comparison of
moments is made between instants (`instant()` below).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest

from followup_tui.domain.model import (
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
from followup_tui.domain.rules import (
    add_business_days,
    application_status,
    follow_ups,
    interview_end,
    parse_moment,
)

SYD = ZoneInfo("Australia/Sydney")
NY = ZoneInfo("America/New_York")
RULES = Rules(tz=SYD)
NSW = holidays.country_holidays("AU", subdiv="NSW")

E = EventType
THANK_YOU = Kind.THANK_YOU
CALL = Kind.CALL

#: the usual interview: Fri 20 Nov 2026 10:00-11:00 local (Sydney)
STARTS = "2026-11-20T10:00:00"
SENT = "2026-11-20T15:30:00"  # Fri, the thank-you goes out
OPENS = date(2026, 11, 25)  # Fri + 3 business days = Wed 25 Nov


# --- helpers -------------------------------------------------------------------


def local(text: str, tz: ZoneInfo = SYD) -> datetime:
    """A naive ISO text as an aware local moment."""
    return datetime.fromisoformat(text).replace(tzinfo=tz)


def instant(moment: datetime) -> datetime:
    """A moment as a UTC instant, so that comparisons never go by wall clock."""
    assert moment.tzinfo is not None, "due_at must be aware"
    return moment.astimezone(UTC)


def midnight(day: date, tz: ZoneInfo = SYD) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=tz)


def interview(
    iid: str = "i1", starts_at: str = STARTS, duration_minutes: int | None = 60, **kw: object
) -> Interview:
    return Interview(id=iid, starts_at=starts_at, duration_minutes=duration_minutes, **kw)


def ev(
    at: str,
    type_: EventType,
    iid: str | None = "i1",
    kind: Kind | None = None,
    until: str | None = None,
) -> Event:
    return Event(at=at, type=type_, interview=iid, kind=kind, until=until)


def application(*events: Event, interviews: tuple[Interview, ...] | None = None) -> Application:
    return Application(
        id="app",
        company="Acme Shire Council",
        role="Senior Planner",
        interviews=(interview(),) if interviews is None else interviews,
        events=events,
    )


def all_follow_ups(
    app: Application, now: datetime, rules: Rules = RULES
) -> dict[tuple[str, Kind], FollowUp]:
    result = follow_ups(app, now, rules)
    keyed = {(f.interview_id, f.kind): f for f in result}
    assert len(keyed) == len(result), "one follow-up per interview and kind"
    return keyed


def one(
    app: Application,
    now: datetime,
    kind: Kind = THANK_YOU,
    iid: str = "i1",
    rules: Rules = RULES,
) -> FollowUp:
    found = all_follow_ups(app, now, rules)
    assert (iid, kind) in found, f"no {kind} follow-up for {iid}: {sorted(found)}"
    return found[(iid, kind)]


def sent(at: str = SENT, iid: str | None = "i1") -> Event:
    return ev(at, E.THANK_YOU_SENT, iid)


# --- 1. done -----------------------------------------------------------------------


def test_rule1_done_when_thank_you_sent() -> None:
    fu = one(application(sent()), local("2026-11-20T16:00:00"))
    assert fu.state is State.DONE


def test_rule1_done_when_thank_you_sent_late() -> None:
    """Sent after the window closed: still done, no longer overdue."""
    fu = one(application(sent("2026-11-23T09:00:00")), local("2026-11-23T10:00:00"))
    assert fu.state is State.DONE


def test_rule1_done_when_thank_you_skipped() -> None:
    app = application(ev("2026-11-20T12:00:00", E.SKIPPED, kind=THANK_YOU))
    assert one(app, local("2026-11-25T10:00:00")).state is State.DONE


def test_rule1_call_done_when_call_made() -> None:
    app = application(sent(), ev("2026-11-26T09:00:00", E.CALL_MADE))
    assert one(app, local("2026-11-26T10:00:00"), CALL).state is State.DONE


def test_rule1_call_done_when_skipped() -> None:
    app = application(sent(), ev("2026-11-26T09:00:00", E.SKIPPED, kind=CALL))
    assert one(app, local("2026-11-26T10:00:00"), CALL).state is State.DONE


def test_rule1_skipping_the_call_leaves_the_thank_you_alone() -> None:
    app = application(ev("2026-11-20T12:00:00", E.SKIPPED, kind=CALL))
    assert one(app, local("2026-11-20T12:30:00")).state is State.DUE


@pytest.mark.parametrize("contact", [E.REPLY_RECEIVED, E.OFFER, E.REJECTED])
def test_rule1_call_resolved_by_employer_contact_after_sent(contact: EventType) -> None:
    app = application(sent(), ev("2026-11-23T14:00:00", contact, None))
    assert one(app, local("2026-11-26T10:00:00"), CALL).state is State.DONE


@pytest.mark.parametrize("contact", [E.REPLY_RECEIVED, E.OFFER, E.REJECTED])
def test_rule1_call_resolved_by_contact_about_another_interview(contact: EventType) -> None:
    """'Any employer contact after S' — whichever interview it is filed under."""
    second = interview("i2", "2026-11-10T10:00:00")
    app = application(
        sent(), ev("2026-11-23T14:00:00", contact, "i2"), interviews=(interview(), second)
    )
    assert one(app, local("2026-11-26T10:00:00"), CALL).state is State.DONE


def test_rule1_reply_before_thank_you_does_not_resolve_call() -> None:
    app = application(ev("2026-11-20T14:00:00", E.REPLY_RECEIVED, None), sent())
    assert one(app, local("2026-11-26T10:00:00"), CALL).state is State.DUE


def test_rule1_call_resolved_by_reply_after_sent() -> None:
    app = application(sent(), ev("2026-11-24T09:00:00", E.REPLY_RECEIVED, None))
    fu = one(app, local("2026-11-26T10:00:00"), CALL)
    assert fu.state is State.DONE
    assert fu.reason


def test_rule1_call_resolved_by_later_interview() -> None:
    """A second round starting after S answers the call (the interview has happened)."""
    second = interview("i2", "2026-11-25T14:00:00")
    app = application(sent(), interviews=(interview(), second))
    assert one(app, local("2026-11-26T10:00:00"), CALL).state is State.DONE


def test_rule1_interview_before_sent_does_not_resolve_call() -> None:
    """Only a *later* interview (starting after S) resolves the call, wherever it is listed."""
    earlier = interview("i0", "2026-11-18T10:00:00")
    app = application(sent(), interviews=(interview(), earlier))
    assert one(app, local("2026-11-26T10:00:00"), CALL).state is State.DUE


def test_rule1_done_comes_before_on_hold() -> None:
    app = application(sent(), ev("2026-11-22T10:00:00", E.ON_HOLD, None))
    assert one(app, local("2026-11-26T10:00:00")).state is State.DONE


def test_rule1_offer_resolves_call_as_done_not_suppressed() -> None:
    app = application(sent(), ev("2026-11-24T10:00:00", E.OFFER, None))
    assert one(app, local("2026-11-26T10:00:00"), CALL).state is State.DONE


# --- 2. suppressed: on hold or closed ---------------------------------------------------


def test_rule2_on_hold_suppresses_every_pending_follow_up() -> None:
    """Two interviews: a pending thank-you (overdue otherwise) and a call (due otherwise)."""
    second = interview("i2", "2026-11-18T10:00:00")
    app = application(
        sent(), ev("2026-11-24T09:00:00", E.ON_HOLD, None), interviews=(interview(), second)
    )
    found = all_follow_ups(app, local("2026-11-26T10:00:00"))
    assert found[("i1", THANK_YOU)].state is State.DONE
    pending = [found[("i1", CALL)], found[("i2", THANK_YOU)]]
    for fu in pending:
        assert fu.state is State.SUPPRESSED, fu
        assert "hold" in fu.reason.lower()


def test_rule2_on_hold_beats_waiting() -> None:
    """A thank-you whose interview has not ended is suppressed, not waiting, while on hold."""
    app = application(ev("2026-11-19T10:00:00", E.ON_HOLD, None))
    assert one(app, local("2026-11-20T10:30:00")).state is State.SUPPRESSED


@pytest.mark.parametrize("closing", [E.WITHDRAWN, E.REJECTED, E.ACCEPTED, E.OFFER])
def test_rule2_closed_application_suppresses(closing: EventType) -> None:
    app = application(ev("2026-11-20T12:00:00", closing, None))
    fu = one(app, local("2026-11-22T10:00:00"))
    assert fu.state is State.SUPPRESSED
    assert "closed" in fu.reason.lower()


@pytest.mark.parametrize("closing", [E.WITHDRAWN, E.ACCEPTED])
def test_rule2_closed_application_suppresses_call(closing: EventType) -> None:
    """Closing by the job seeker (not employer word) leaves the call suppressed, not done."""
    app = application(sent(), ev("2026-11-23T12:00:00", closing, None))
    fu = one(app, local("2026-11-26T10:00:00"), CALL)
    assert fu.state is State.SUPPRESSED
    assert "closed" in fu.reason.lower()


# --- 3. suppressed: the decision date ------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "state"),
    [
        ("2026-11-25T10:00:00", State.SUPPRESSED),  # Wed: call would be open
        ("2026-11-27T23:59:00", State.SUPPRESSED),  # Fri: the decision day itself
        ("2026-11-28T10:00:00", State.SUPPRESSED),  # Sat
        ("2026-11-29T23:59:59", State.SUPPRESSED),  # Sun
        ("2026-11-30T00:00:00", State.DUE),  # Mon: first business day after
        ("2026-12-03T10:00:00", State.DUE),
    ],
)
def test_rule3_call_suppressed_until_first_business_day_after_decision_by(
    now: str, state: State
) -> None:
    app = application(sent(), interviews=(interview(decision_by="2026-11-27"),))
    fu = one(app, local(now), CALL)
    assert fu.state is state
    assert instant(fu.due_at) == instant(midnight(date(2026, 11, 30)))
    if state is State.SUPPRESSED:
        assert "decide" in fu.reason.lower()


def test_rule3_decision_hold_skips_holidays() -> None:
    """decision_by Fri 27 Nov, Mon 30 Nov a holiday: the hold lasts until Tue 1 Dec."""
    rules = Rules(tz=SYD, holidays=frozenset({date(2026, 11, 30)}))
    app = application(sent(), interviews=(interview(decision_by="2026-11-27"),))
    assert one(app, local("2026-11-30T10:00:00"), CALL, rules=rules).state is State.SUPPRESSED
    fu = one(app, local("2026-12-01T00:00:00"), CALL, rules=rules)
    assert fu.state is State.DUE
    assert instant(fu.due_at) == instant(midnight(date(2026, 12, 1)))


def test_rule3_decision_by_never_holds_thank_you() -> None:
    app = application(interviews=(interview(decision_by="2026-11-27"),))
    assert one(app, local("2026-11-20T12:00:00")).state is State.DUE
    assert one(app, local("2026-11-22T12:00:00")).state is State.OVERDUE


def test_rule3_decision_by_before_opening_does_not_suppress() -> None:
    """Hold ends Mon 23 Nov, the call opens Wed 25: on Tue it waits (rule 4), not suppressed."""
    app = application(sent(), interviews=(interview(decision_by="2026-11-20"),))
    fu = one(app, local("2026-11-24T10:00:00"), CALL)
    assert fu.state is State.WAITING
    assert instant(fu.due_at) == instant(midnight(OPENS))


def test_rule3_decision_hold_beats_snooze() -> None:
    app = application(
        sent(),
        ev("2026-11-21T10:00:00", E.SNOOZED, kind=CALL, until="2026-12-10"),
        interviews=(interview(decision_by="2026-11-27"),),
    )
    assert one(app, local("2026-11-26T10:00:00"), CALL).state is State.SUPPRESSED


def test_rule3_uses_local_date_of_now() -> None:
    """now given in UTC: Sun 29 Nov 14:00Z is already Mon 30 Nov 01:00 in Sydney."""
    app = application(sent(), interviews=(interview(decision_by="2026-11-27"),))
    now = datetime(2026, 11, 29, 14, 0, tzinfo=UTC)
    assert one(app, now, CALL).state is State.DUE
    earlier = datetime(2026, 11, 29, 12, 59, tzinfo=UTC)  # Sun 23:59 in Sydney
    assert one(app, earlier, CALL).state is State.SUPPRESSED


@pytest.mark.parametrize(
    ("decision_by", "hold_ends"),
    [
        # 14:00Z Thu 26 Nov is 01:00 Fri 27 Nov in Sydney: local date Fri -> Mon 30
        ("2026-11-26T14:00:00Z", date(2026, 11, 30)),
        ("2026-11-26T14:00:00+00:00", date(2026, 11, 30)),
        # naive: local already
        ("2026-11-27T17:00:00", date(2026, 11, 30)),
        # 23:00 Fri 27 Nov in New York is Sat 28 Nov in Sydney: still Mon 30
        ("2026-11-27T23:00:00-05:00", date(2026, 11, 30)),
        # 09:00 Fri 27 Nov in Sydney given in UTC as Thu 22:00Z: Fri -> Mon 30
        ("2026-11-26T22:00:00Z", date(2026, 11, 30)),
        # 10:00Z Thu 26 Nov is 21:00 Thu in Sydney: local Thu -> Fri 27
        ("2026-11-26T10:00:00Z", date(2026, 11, 27)),
    ],
)
def test_rule3_decision_by_datetime_uses_its_local_date(decision_by: str, hold_ends: date) -> None:
    app = application(sent(), interviews=(interview(decision_by=decision_by),))
    fu = one(app, local("2026-11-25T10:00:00"), CALL)
    assert instant(fu.due_at) == instant(midnight(hold_ends))
    day_before = midnight(hold_ends) - timedelta(minutes=1)
    assert one(app, day_before, CALL).state is State.SUPPRESSED
    assert one(app, midnight(hold_ends), CALL).state is State.DUE


# --- 4. waiting ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("until", "due_at"),
    [
        ("2026-11-24", local("2026-11-24T00:00:00")),  # a date means 00:00 local
        ("2026-11-24T09:30:00", local("2026-11-24T09:30:00")),  # naive: local
        ("2026-11-23T22:30:00Z", local("2026-11-24T09:30:00")),
    ],
)
def test_rule4_waiting_when_snoozed_into_future(until: str, due_at: datetime) -> None:
    """An overdue thank-you snoozed until Tue 24 Nov waits until then, due_at the snooze end."""
    app = application(ev("2026-11-22T12:00:00", E.SNOOZED, kind=THANK_YOU, until=until))
    fu = one(app, local("2026-11-23T10:00:00"))
    assert fu.state is State.WAITING
    assert instant(fu.due_at) == instant(due_at)
    assert "snooze" in fu.reason.lower()
    after = one(app, due_at + timedelta(seconds=1))
    assert after.state is State.OVERDUE


def test_rule4_snoozed_call_waits_then_is_due() -> None:
    app = application(sent(), ev("2026-11-25T09:00:00", E.SNOOZED, kind=CALL, until="2026-11-27"))
    fu = one(app, local("2026-11-26T10:00:00"), CALL)
    assert fu.state is State.WAITING
    assert instant(fu.due_at) == instant(midnight(date(2026, 11, 27)))
    assert one(app, local("2026-11-27T00:00:00"), CALL).state is State.DUE


def test_rule4_snooze_of_one_kind_leaves_the_other_alone() -> None:
    app = application(ev("2026-11-20T12:00:00", E.SNOOZED, kind=CALL, until="2026-12-10"))
    assert one(app, local("2026-11-22T10:00:00")).state is State.OVERDUE


@pytest.mark.parametrize(
    ("snoozes", "state", "due_at"),
    [
        # a long snooze, then cut short: the later snooze (by when it was made) counts
        (
            [("2026-11-22T08:00:00", "2026-12-10"), ("2026-11-22T09:00:00", "2026-11-22")],
            State.OVERDUE,
            local("2026-11-21T11:00:00"),
        ),
        # a short snooze, then extended
        (
            [("2026-11-22T08:00:00", "2026-11-22"), ("2026-11-22T09:00:00", "2026-12-10")],
            State.WAITING,
            local("2026-12-10T00:00:00"),
        ),
        # two snoozes both in the future: the later one's end is the due_at
        (
            [("2026-11-22T08:00:00", "2026-12-10"), ("2026-11-22T09:00:00", "2026-11-28")],
            State.WAITING,
            local("2026-11-28T00:00:00"),
        ),
    ],
)
@pytest.mark.parametrize("listed", ["in order", "reversed"])
def test_rule4_latest_snooze_counts(
    snoozes: list[tuple[str, str]], state: State, due_at: datetime, listed: str
) -> None:
    """'The latest' snooze: the one made last (a job seeker re-snoozing changes their mind),
    not the one reaching furthest, and regardless of the order the events are listed in."""
    events = [ev(at, E.SNOOZED, kind=THANK_YOU, until=until) for at, until in snoozes]
    if listed == "reversed":
        events.reverse()
    fu = one(application(*events), local("2026-11-23T10:00:00"))
    assert fu.state is state
    assert instant(fu.due_at) == instant(due_at)


def test_rule4_thank_you_waiting_before_interview_ends() -> None:
    app = application()
    for now in ("2026-11-19T10:00:00", "2026-11-20T10:30:00", "2026-11-20T10:59:59"):
        fu = one(app, local(now))
        assert fu.state is State.WAITING, now
        assert instant(fu.due_at) == instant(local("2026-11-21T11:00:00"))
    assert one(app, local("2026-11-20T11:00:00")).state is State.DUE


@pytest.mark.parametrize(
    ("now", "state"),
    [
        ("2026-11-20T16:00:00", State.WAITING),
        ("2026-11-23T10:00:00", State.WAITING),
        ("2026-11-24T23:59:59", State.WAITING),
        ("2026-11-25T00:00:00", State.DUE),
    ],
)
def test_rule4_call_waiting_before_it_opens(now: str, state: State) -> None:
    fu = one(application(sent()), local(now), CALL)
    assert fu.state is state
    assert instant(fu.due_at) == instant(midnight(OPENS))
    if state is State.WAITING:
        assert fu.reason


# --- 5. overdue, 6. due ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "state"),
    [
        ("2026-11-20T11:00:00", State.DUE),
        ("2026-11-21T10:59:59", State.DUE),
        ("2026-11-21T11:00:00", State.DUE),  # at the deadline it is not yet past it
        ("2026-11-21T11:00:01", State.OVERDUE),
        ("2026-12-20T11:00:00", State.OVERDUE),
    ],
)
def test_rule5_overdue_after_24h(now: str, state: State) -> None:
    fu = one(application(), local(now))
    assert fu.state is state
    if state is State.OVERDUE:
        assert fu.reason


def test_rule5_window_is_configurable() -> None:
    rules = Rules(tz=SYD, thank_you_window_hours=48)
    fu = one(application(), local("2026-11-22T10:00:00"), rules=rules)
    assert fu.state is State.DUE
    assert instant(fu.due_at) == instant(local("2026-11-22T11:00:00"))
    assert one(application(), local("2026-11-22T11:00:01"), rules=rules).state is State.OVERDUE


def test_rule5_call_is_never_overdue() -> None:
    fu = one(application(sent()), local("2027-02-01T10:00:00"), CALL)
    assert fu.state is State.DUE


def test_rule6_due() -> None:
    app = application(sent())
    assert one(application(), local("2026-11-20T12:00:00")).state is State.DUE
    fu = one(app, local("2026-11-25T09:00:00"), CALL)
    assert fu.state is State.DUE
    assert fu.reason


def test_rule6_due_again_after_resume() -> None:
    app = application(
        sent(),
        ev("2026-11-23T09:00:00", E.ON_HOLD, None),
        ev("2026-11-26T09:00:00", E.RESUMED, None),
    )
    assert one(app, local("2026-11-24T10:00:00"), CALL).state is State.SUPPRESSED
    assert one(app, local("2026-11-26T10:00:00"), CALL).state is State.DUE


# --- due_at ----------------------------------------------------------------------------


def test_due_at_thank_you_is_end_plus_window() -> None:
    for now in ("2026-11-19T10:00:00", "2026-11-20T12:00:00", "2026-11-25T12:00:00"):
        fu = one(application(), local(now))
        assert instant(fu.due_at) == instant(local("2026-11-21T11:00:00"))
    done = one(application(sent()), local("2026-11-25T12:00:00"))
    assert instant(done.due_at) == instant(local("2026-11-21T11:00:00"))


def test_due_at_call_is_start_of_opening_date() -> None:
    fu = one(application(sent()), local("2026-11-21T12:00:00"), CALL)
    assert instant(fu.due_at) == instant(midnight(OPENS))
    assert fu.due_at.astimezone(SYD).time().isoformat() == "00:00:00"


@pytest.mark.parametrize(
    ("decision_by", "call_from"),
    [
        (None, OPENS),
        ("2026-11-19", OPENS),  # hold ends Fri 20: earlier than opening
        ("2026-11-24", OPENS),  # hold ends Wed 25: same day
        ("2026-11-25", date(2026, 11, 26)),  # hold ends Thu 26: later
        ("2026-11-27", date(2026, 11, 30)),  # Fri -> Mon
        ("2026-11-28", date(2026, 11, 30)),  # Sat -> Mon
    ],
)
def test_due_at_call_is_later_of_opening_and_decision_hold(
    decision_by: str | None, call_from: date
) -> None:
    app = application(sent(), interviews=(interview(decision_by=decision_by),))
    fu = one(app, local("2026-11-21T12:00:00"), CALL)
    assert instant(fu.due_at) == instant(midnight(call_from))


# --- interview end ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("iv", "end"),
    [
        (Interview("i1", "2026-11-20T10:00:00", ends_at="2026-11-20T10:40:00"), "10:40"),
        (
            Interview(
                "i1", "2026-11-20T10:00:00", ends_at="2026-11-20T10:40:00", duration_minutes=90
            ),
            "10:40",
        ),
        (Interview("i1", "2026-11-20T10:00:00", duration_minutes=90), "11:30"),
        (Interview("i1", "2026-11-20T10:00:00", duration_minutes=1), "10:01"),
        (Interview("i1", "2026-11-20T10:00:00"), "11:00"),
    ],
    ids=["ends_at", "ends_at-wins-over-duration", "duration", "duration-1", "default-60"],
)
def test_interview_end_from_ends_at_duration_or_default(iv: Interview, end: str) -> None:
    expected = local(f"2026-11-20T{end}:00")
    assert instant(interview_end(iv, SYD)) == instant(expected)
    app = application(interviews=(iv,))
    fu = one(app, expected - timedelta(seconds=1))
    assert fu.state is State.WAITING
    assert one(app, expected).state is State.DUE
    assert instant(fu.due_at) == instant(expected + timedelta(hours=24))


# --- naive times are local ------------------------------------------------------------------


@pytest.mark.parametrize("tz", [SYD, NY, ZoneInfo("UTC"), ZoneInfo("Asia/Kolkata")])
def test_naive_times_are_local(tz: ZoneInfo) -> None:
    assert parse_moment("2026-11-20T10:00:00", tz) == datetime(2026, 11, 20, 10, 0, tzinfo=tz)
    assert instant(parse_moment("2026-11-20", tz)) == instant(datetime(2026, 11, 20, tzinfo=tz))
    rules = Rules(tz=tz)
    fu = one(application(), datetime(2026, 11, 20, 12, 0, tzinfo=tz), rules=rules)
    assert instant(fu.due_at) == instant(datetime(2026, 11, 21, 11, 0, tzinfo=tz))


def test_times_with_offset_keep_their_offset() -> None:
    """An interview recorded with an offset is not re-read as local."""
    iv = interview(starts_at="2026-11-20T10:00:00-05:00")  # New York time
    fu = one(application(interviews=(iv,)), local("2026-11-21T12:00:00"))
    assert instant(fu.due_at) == datetime(2026, 11, 21, 16, 0, tzinfo=UTC)


# --- S is the earliest thank_you_sent ----------------------------------------------------------


@pytest.mark.parametrize("listed", ["earliest first", "earliest last"])
def test_earliest_thank_you_sent_is_S(listed: str) -> None:
    """Sent Fri 20 and again Tue 24: the call counts from Fri (opens Wed 25, not Fri 27),
    and a reply on Mon 23 (after the first send, before the second) resolves it."""
    events = [sent("2026-11-20T15:30:00"), sent("2026-11-24T09:00:00")]
    if listed == "earliest last":
        events.reverse()
    fu = one(application(*events), local("2026-11-25T10:00:00"), CALL)
    assert fu.state is State.DUE
    assert instant(fu.due_at) == instant(midnight(OPENS))
    reply = ev("2026-11-23T10:00:00", E.REPLY_RECEIVED, None)
    fu = one(application(*events, reply), local("2026-11-25T10:00:00"), CALL)
    assert fu.state is State.DONE


# --- per-interview events without `interview` -------------------------------------------


TWO = (interview("i1", "2026-11-10T10:00:00"), interview("i2", "2026-11-20T10:00:00"))


@pytest.mark.parametrize(
    ("at", "owner"),
    [
        ("2026-11-10T11:00:00", "i1"),  # exactly when i1 ended: "at or before"
        ("2026-11-12T09:00:00", "i1"),
        ("2026-11-20T10:30:00", "i1"),  # i2 under way, not ended: still i1
        ("2026-11-20T11:00:00", "i2"),
        ("2026-11-21T09:00:00", "i2"),
    ],
)
def test_event_without_interview_belongs_to_latest_interview_ended_before_it(
    at: str, owner: str
) -> None:
    other = "i2" if owner == "i1" else "i1"
    app = application(sent(at, None), interviews=TWO)
    found = all_follow_ups(app, local("2026-11-21T10:00:00"))
    assert found[(owner, THANK_YOU)].state is State.DONE
    assert found[(other, THANK_YOU)].state is not State.DONE
    assert (owner, CALL) in found
    assert (other, CALL) not in found


def test_event_without_interview_attribution_ignores_listing_order() -> None:
    reversed_two = (TWO[1], TWO[0])
    app = application(sent("2026-11-21T09:00:00", None), interviews=reversed_two)
    found = all_follow_ups(app, local("2026-11-21T10:00:00"))
    assert found[("i2", THANK_YOU)].state is State.DONE
    assert found[("i1", THANK_YOU)].state is State.OVERDUE


@pytest.mark.parametrize(
    ("event", "kind", "state"),
    [
        (ev("2026-11-21T09:00:00", E.SKIPPED, None, kind=THANK_YOU), THANK_YOU, State.DONE),
        (
            ev("2026-11-21T09:00:00", E.SNOOZED, None, kind=THANK_YOU, until="2026-12-01"),
            THANK_YOU,
            State.WAITING,
        ),
        (ev("2026-11-26T09:00:00", E.CALL_MADE, None), CALL, State.DONE),
        (ev("2026-11-26T09:00:00", E.SKIPPED, None, kind=CALL), CALL, State.DONE),
        (
            ev("2026-11-26T09:00:00", E.SNOOZED, None, kind=CALL, until="2026-12-01"),
            CALL,
            State.WAITING,
        ),
    ],
    ids=["skipped-thank-you", "snoozed-thank-you", "call_made", "skipped-call", "snoozed-call"],
)
def test_every_per_interview_type_without_interview_is_attributed(
    event: Event, kind: Kind, state: State
) -> None:
    """The bare event goes to i2 (the latest ended before it) and leaves i1 as it was.

    For calls both thank-yous are sent (with ids) on Fri 20 Nov, after i2 started, so
    neither call is resolved by a later interview and both are due on Thu 26 Nov."""
    base: tuple[Event, ...] = ()
    if kind is CALL:
        base = (sent("2026-11-20T12:00:00", "i1"), sent("2026-11-20T12:30:00", "i2"))
    now = local("2026-11-26T10:00:00")
    before = all_follow_ups(application(*base, interviews=TWO), now)
    after = all_follow_ups(application(*base, event, interviews=TWO), now)
    expected_before = State.OVERDUE if kind is THANK_YOU else State.DUE
    assert before[("i1", kind)].state is expected_before
    assert before[("i2", kind)].state is expected_before
    assert after[("i2", kind)].state is state
    assert after[("i1", kind)].state is expected_before


def test_event_without_interview_before_any_interview_ended_belongs_to_none() -> None:
    """No interview had ended: the event belongs to no interview, so it completes nothing
    (reading chosen: a thank-you 'sent' before the interview ended cannot be that
    interview's thank-you; it is ignored rather than guessed)."""
    app = application(sent("2026-11-20T10:30:00", None))
    found = all_follow_ups(app, local("2026-11-20T12:00:00"))
    assert found[("i1", THANK_YOU)].state is State.DUE
    assert ("i1", CALL) not in found


# --- time travel: only events at or before now count ------------------------------------------


def test_events_after_now_are_ignored() -> None:
    app = application(
        sent("2026-11-20T15:30:00"),
        ev("2026-11-24T09:00:00", E.ON_HOLD, None),
        ev("2026-11-26T09:00:00", E.REPLY_RECEIVED, None),
    )
    # before the thank-you: not done, and there is no call yet
    found = all_follow_ups(app, local("2026-11-20T15:29:59"))
    assert found[("i1", THANK_YOU)].state is State.DUE
    assert ("i1", CALL) not in found
    # before the hold: the call waits as usual
    assert one(app, local("2026-11-23T10:00:00"), CALL).state is State.WAITING
    # on hold, and the reply has not happened yet
    assert one(app, local("2026-11-25T10:00:00"), CALL).state is State.SUPPRESSED
    # the reply has happened
    assert one(app, local("2026-11-26T10:00:00"), CALL).state is State.DONE


def test_future_status_event_does_not_change_status() -> None:
    app = application(ev("2026-11-25T09:00:00", E.WITHDRAWN, None))
    assert application_status(app, local("2026-11-24T09:00:00"), RULES).status is Status.ACTIVE
    assert one(app, local("2026-11-21T12:00:00")).state is State.OVERDUE


def test_future_snooze_is_not_in_force() -> None:
    app = application(ev("2026-11-23T09:00:00", E.SNOOZED, kind=THANK_YOU, until="2026-12-01"))
    assert one(app, local("2026-11-22T10:00:00")).state is State.OVERDUE
    assert one(app, local("2026-11-23T10:00:00")).state is State.WAITING


def test_event_exactly_at_now_counts() -> None:
    app = application(sent())
    assert one(app, local(SENT)).state is State.DONE


# --- status: latest wins ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("events", "status"),
    [
        ([], Status.ACTIVE),
        ([("2026-11-21T09:00:00", E.NOTE)], Status.ACTIVE),
        ([("2026-11-21T09:00:00", E.REPLY_RECEIVED)], Status.ACTIVE),
        ([("2026-11-21T09:00:00", E.ON_HOLD)], Status.ON_HOLD),
        ([("2026-11-21T09:00:00", E.ON_HOLD), ("2026-11-22T09:00:00", E.RESUMED)], Status.ACTIVE),
        ([("2026-11-22T09:00:00", E.RESUMED), ("2026-11-21T09:00:00", E.ON_HOLD)], Status.ACTIVE),
        ([("2026-11-22T09:00:00", E.ON_HOLD), ("2026-11-21T09:00:00", E.RESUMED)], Status.ON_HOLD),
        ([("2026-11-21T09:00:00", E.OFFER)], Status.OFFER),
        ([("2026-11-21T09:00:00", E.REJECTED)], Status.REJECTED),
        ([("2026-11-21T09:00:00", E.WITHDRAWN)], Status.WITHDRAWN),
        ([("2026-11-21T09:00:00", E.ACCEPTED)], Status.ACCEPTED),
        ([("2026-11-21T09:00:00", E.OFFER), ("2026-11-22T09:00:00", E.ACCEPTED)], Status.ACCEPTED),
        (
            [("2026-11-21T09:00:00", E.OFFER), ("2026-11-22T09:00:00", E.WITHDRAWN)],
            Status.WITHDRAWN,
        ),
        (
            [("2026-11-21T09:00:00", E.ON_HOLD), ("2026-11-22T09:00:00", E.REJECTED)],
            Status.REJECTED,
        ),
        (
            [
                ("2026-11-21T09:00:00", E.ON_HOLD),
                ("2026-11-22T09:00:00", E.RESUMED),
                ("2026-11-23T09:00:00", E.NOTE),
            ],
            Status.ACTIVE,
        ),
        # not yet happened at now (Tue 24 Nov 12:00): ignored
        ([("2026-11-21T09:00:00", E.ON_HOLD), ("2026-11-25T09:00:00", E.RESUMED)], Status.ON_HOLD),
    ],
)
def test_status_from_events_latest_wins(
    events: list[tuple[str, EventType]], status: Status
) -> None:
    app = application(*(ev(at, type_, None) for at, type_ in events))
    assert application_status(app, local("2026-11-24T12:00:00"), RULES).status is status


def test_resumed_makes_pending_follow_ups_active_again() -> None:
    app = application(
        ev("2026-11-20T12:00:00", E.ON_HOLD, None), ev("2026-11-20T12:30:00", E.RESUMED, None)
    )
    assert one(app, local("2026-11-20T12:15:00")).state is State.SUPPRESSED
    assert one(app, local("2026-11-20T13:00:00")).state is State.DUE


def test_dates_not_reset_after_resume() -> None:
    """On hold Mon 23 - Fri 27 Nov: the thank-you deadline and the call date stay put."""
    app = application(
        sent("2026-11-20T15:30:00", "i2"),
        ev("2026-11-23T09:00:00", E.ON_HOLD, None),
        ev("2026-11-27T09:00:00", E.RESUMED, None),
        interviews=(interview("i1", "2026-11-20T13:00:00"), interview("i2")),
    )
    now = local("2026-11-27T10:00:00")
    thank_you = one(app, now, THANK_YOU, "i1")
    assert thank_you.state is State.OVERDUE
    assert instant(thank_you.due_at) == instant(local("2026-11-21T14:00:00"))
    call = one(app, now, CALL, "i2")
    assert call.state is State.DUE
    assert instant(call.due_at) == instant(midnight(OPENS))


# --- a call exists only once the thank-you is sent ---------------------------------------------


def test_call_exists_only_once_thank_you_sent() -> None:
    app = application(sent())
    before = all_follow_ups(app, local("2026-11-20T12:00:00"))
    assert set(before) == {("i1", THANK_YOU)}
    after = all_follow_ups(app, local("2026-11-20T16:00:00"))
    assert set(after) == {("i1", THANK_YOU), ("i1", CALL)}


def test_no_call_when_thank_you_only_skipped() -> None:
    app = application(ev("2026-11-20T12:00:00", E.SKIPPED, kind=THANK_YOU))
    assert set(all_follow_ups(app, local("2026-12-01T12:00:00"))) == {("i1", THANK_YOU)}


def test_every_interview_owns_one_thank_you() -> None:
    ivs = tuple(interview(f"i{n}", f"2026-11-{10 + n}T10:00:00") for n in range(3))
    found = all_follow_ups(application(interviews=ivs), local("2026-11-01T10:00:00"))
    assert set(found) == {(f"i{n}", THANK_YOU) for n in range(3)}


def test_no_interviews_no_follow_ups() -> None:
    assert follow_ups(application(interviews=()), local("2026-11-20T10:00:00"), RULES) == []


# --- business days ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "count", "expected", "holidays_"),
    [
        (date(2026, 11, 20), 3, date(2026, 11, 25), ()),  # Fri -> Wed
        (date(2026, 11, 19), 3, date(2026, 11, 24), ()),  # Thu -> Tue
        (date(2026, 11, 16), 3, date(2026, 11, 19), ()),  # Mon -> Thu
        (date(2026, 11, 21), 1, date(2026, 11, 23), ()),  # Sat -> Mon
        (date(2026, 11, 22), 3, date(2026, 11, 25), ()),  # Sun -> Wed
        (date(2026, 11, 20), 5, date(2026, 11, 27), ()),  # a full week
        (date(2026, 11, 20), 0, date(2026, 11, 20), ()),
        (date(2026, 11, 20), 3, date(2026, 11, 26), (date(2026, 11, 24),)),
        (date(2026, 11, 20), 3, date(2026, 11, 27), (date(2026, 11, 23), date(2026, 11, 25))),
        # a holiday on a weekend changes nothing
        (date(2026, 11, 20), 3, date(2026, 11, 25), (date(2026, 11, 21),)),
    ],
)
def test_add_business_days_skips_weekends_and_holidays(
    start: date, count: int, expected: date, holidays_: tuple[date, ...]
) -> None:
    rules = Rules(tz=SYD, holidays=frozenset(holidays_))
    assert add_business_days(start, count, rules) == expected


@pytest.mark.parametrize("call_after", [1, 3, 5])
def test_call_after_business_days_is_configurable(call_after: int) -> None:
    rules = Rules(tz=SYD, call_after_business_days=call_after)
    opens = {1: date(2026, 11, 23), 3: date(2026, 11, 25), 5: date(2026, 11, 27)}[call_after]
    fu = one(application(sent()), local("2026-11-21T10:00:00"), CALL, rules=rules)
    assert instant(fu.due_at) == instant(midnight(opens))


def test_call_opening_skips_configured_holidays() -> None:
    rules = Rules(tz=SYD, holidays=frozenset({date(2026, 11, 23), date(2026, 11, 24)}))
    fu = one(application(sent()), local("2026-11-26T10:00:00"), CALL, rules=rules)
    assert fu.state is State.WAITING
    assert instant(fu.due_at) == instant(midnight(date(2026, 11, 27)))


def test_call_opening_skips_nsw_christmas_holidays() -> None:
    """Sent Thu 24 Dec 2026. Fri 25 (Christmas), Sat 26 (Boxing Day), Mon 28 (Boxing Day
    observed) are not business days: Tue 29, Wed 30, Thu 31 -> the call opens Thu 31 Dec."""
    rules = Rules(tz=SYD, holidays=NSW)
    iv = interview(starts_at="2026-12-24T09:00:00")
    app = application(sent("2026-12-24T14:00:00"), interviews=(iv,))
    fu = one(app, local("2026-12-30T12:00:00"), CALL, rules=rules)
    assert fu.state is State.WAITING
    assert instant(fu.due_at) == instant(midnight(date(2026, 12, 31)))
    assert one(app, local("2026-12-31T00:00:00"), CALL, rules=rules).state is State.DUE
    # without the holidays it would have opened on Tue 29 Dec
    plain = one(app, local("2026-12-30T12:00:00"), CALL)
    assert plain.state is State.DUE
    assert instant(plain.due_at) == instant(midnight(date(2026, 12, 29)))


def test_decision_hold_ends_after_nsw_holidays() -> None:
    """decision_by Thu 24 Dec 2026: the first business day after is Tue 29 Dec."""
    rules = Rules(tz=SYD, holidays=NSW)
    iv = interview(starts_at="2026-12-14T09:00:00", decision_by="2026-12-24")
    app = application(sent("2026-12-14T14:00:00"), interviews=(iv,))
    assert one(app, local("2026-12-28T12:00:00"), CALL, rules=rules).state is State.SUPPRESSED
    fu = one(app, local("2026-12-29T08:00:00"), CALL, rules=rules)
    assert fu.state is State.DUE
    assert instant(fu.due_at) == instant(midnight(date(2026, 12, 29)))


def test_nsw_labour_day_is_not_a_business_day() -> None:
    """Sent Thu 1 Oct 2026; Mon 5 Oct is Labour Day in NSW: Fri 2, Tue 6, Wed 7."""
    rules = Rules(tz=SYD, holidays=NSW)
    iv = interview(starts_at="2026-10-01T09:00:00")
    app = application(sent("2026-10-01T14:00:00"), interviews=(iv,))
    fu = one(app, local("2026-10-02T12:00:00"), CALL, rules=rules)
    assert instant(fu.due_at) == instant(midnight(date(2026, 10, 7)))


# --- 24 real hours across a daylight-saving change ----------------------------------------------


@pytest.mark.parametrize(
    ("tz", "ends_at", "deadline_wall"),
    [
        # Sydney: DST starts Sun 4 Oct 2026 02:00 -> 03:00 (+10 -> +11)
        (SYD, "2026-10-03T10:00:00", "2026-10-04T11:00:00"),
        # New York: DST ends Sun 1 Nov 2026 02:00 -> 01:00 (-4 -> -5)
        (NY, "2026-10-31T10:00:00", "2026-11-01T09:00:00"),
        # Sydney: DST ends Sun 5 Apr 2026 03:00 -> 02:00 (+11 -> +10)
        (SYD, "2026-04-04T10:00:00", "2026-04-05T09:00:00"),
        # New York: DST starts Sun 8 Mar 2026 02:00 -> 03:00
        (NY, "2026-03-07T10:00:00", "2026-03-08T11:00:00"),
    ],
)
def test_thank_you_deadline_is_24_real_hours_across_dst(
    tz: ZoneInfo, ends_at: str, deadline_wall: str
) -> None:
    rules = Rules(tz=tz)
    iv = Interview("i1", "2026-01-01T00:00:00", ends_at=ends_at)
    app = application(interviews=(iv,))
    end = local(ends_at, tz)
    deadline = local(deadline_wall, tz)
    assert instant(deadline) - instant(end) == timedelta(hours=24)
    fu = one(app, end + timedelta(hours=1), rules=rules)
    assert instant(fu.due_at) == instant(deadline)
    assert fu.due_at.astimezone(tz).replace(tzinfo=None) == datetime.fromisoformat(deadline_wall)
    # a minute before 24 real hours: still due; a minute after: overdue
    real = instant(end) + timedelta(hours=24)
    assert one(app, real - timedelta(minutes=1), rules=rules).state is State.DUE
    assert one(app, real + timedelta(minutes=1), rules=rules).state is State.OVERDUE


def test_interview_duration_is_real_minutes_across_dst() -> None:
    """Starts 01:30 Sun 4 Oct 2026 Sydney, 60 minutes: the clocks jump at 02:00, so it ends
    at 03:30 on the wall (60 elapsed minutes), and the deadline is 24 h after that."""
    iv = Interview("i1", "2026-10-04T01:30:00", duration_minutes=60)
    expected = datetime(2026, 10, 3, 16, 30, tzinfo=UTC)  # 01:30 +10:00 is 15:30Z, +60 min
    assert instant(interview_end(iv, SYD)) == expected
    assert interview_end(iv, SYD).astimezone(SYD).hour == 3
    fu = one(application(interviews=(iv,)), local("2026-10-04T12:00:00"))
    assert instant(fu.due_at) == expected + timedelta(hours=24)


def test_call_opens_at_local_midnight_after_dst_change() -> None:
    """Sent Thu 1 Oct (+10:00); the call opens Tue 6 Oct 00:00 local, now +11:00."""
    iv = interview(starts_at="2026-10-01T09:00:00")
    app = application(sent("2026-10-01T14:00:00"), interviews=(iv,))
    fu = one(app, local("2026-10-02T12:00:00"), CALL)
    assert instant(fu.due_at) == datetime(2026, 10, 5, 13, 0, tzinfo=UTC)


def test_event_in_repeated_hour_compared_by_instant() -> None:
    iv = Interview("i1", "2026-04-05T00:30:00", duration_minutes=30)
    app = application(ev("2026-04-05T02:30:00", E.THANK_YOU_SENT))
    app = application(*app.events, interviews=(iv,))
    now = datetime(2026, 4, 5, 2, 15, fold=1, tzinfo=SYD)
    assert instant(parse_moment("2026-04-05T02:30:00", SYD)) < instant(now)
    assert one(app, now).state is State.DONE


# --- local dates for "business days after" ------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "starts_at", "sent_at", "opens"),
    [
        # Thu 19 Nov 21:00 in New York is Fri 20 Nov 02:00Z: count from Thu -> Tue 24
        (NY, "2026-11-19T10:00:00", "2026-11-20T02:00:00Z", date(2026, 11, 24)),
        (NY, "2026-11-19T10:00:00", "2026-11-19T21:00:00", date(2026, 11, 24)),
        (NY, "2026-11-19T10:00:00", "2026-11-19T21:00:00-05:00", date(2026, 11, 24)),
        # Mon 23 Nov 08:00 in Sydney is Sun 22 Nov 21:00Z: count from Mon -> Thu 26
        (SYD, "2026-11-20T10:00:00", "2026-11-22T21:00:00Z", date(2026, 11, 26)),
        # Fri 20 Nov 23:30 in Sydney: count from Fri -> Wed 25
        (SYD, "2026-11-20T10:00:00", "2026-11-20T23:30:00", date(2026, 11, 25)),
    ],
)
def test_business_days_counted_from_local_date_of_S(
    tz: ZoneInfo, starts_at: str, sent_at: str, opens: date
) -> None:
    rules = Rules(tz=tz)
    app = application(sent(sent_at), interviews=(interview(starts_at=starts_at),))
    now = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
    fu = one(app, now, CALL, rules=rules)
    assert instant(fu.due_at) == instant(midnight(opens, tz))
    assert one(app, midnight(opens, tz) - timedelta(seconds=1), CALL, rules=rules).state is (
        State.WAITING
    )
    assert one(app, midnight(opens, tz), CALL, rules=rules).state is State.DUE


# --- reasons ----------------------------------------------------------------------------------


def test_every_follow_up_has_a_one_sentence_reason() -> None:
    second = interview("i2", "2026-11-25T14:00:00", decision_by="2026-12-04")
    app = application(
        sent(),
        sent("2026-11-25T16:00:00", "i2"),
        ev("2026-11-26T09:00:00", E.SNOOZED, "i2", kind=CALL, until="2026-12-20"),
        interviews=(interview(), second),
    )
    for now in ("2026-11-20T10:30", "2026-11-21T12:00", "2026-11-26T12:00", "2026-12-22T12:00"):
        for fu in follow_ups(app, local(now), RULES):
            text = fu.reason
            assert text and text.strip() == text
            assert "\n" not in text
            assert "{" not in text
