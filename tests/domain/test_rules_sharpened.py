"""SPEC §2.1 as sharpened: calls before S, ties in attribution, `now` as an instant,
out-of-office holds and cancelled interviews. One test per rule, named after it.

The usual scene (as in test_rules.py): an interview on Fri 20 Nov 2026, 10:00-11:00
in Sydney; the thank-you goes out Fri 20 Nov 15:30 (S); the call opens Wed 25 Nov.
Daylight-saving scenes are found from the zone data (`transitions`), not typed in.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followup_tui.domain.model import Application, Event, EventType, Interview, Rules, State
from followup_tui.domain.rules import change_points, follow_ups, start_of_day, validity
from followup_tui.settings.clock import Clock, parse_now
from tests.domain.test_rules import (
    CALL,
    RULES,
    SENT,
    SYD,
    THANK_YOU,
    all_follow_ups,
    application,
    ev,
    instant,
    interview,
    local,
    one,
    sent,
)

E = EventType
TICK = timedelta(microseconds=1)
HAVANA = ZoneInfo("America/Havana")
SANTIAGO = ZoneInfo("America/Santiago")
LONDON = ZoneInfo("Europe/London")
#: Clocks go forward at midnight on a Friday (a business day) in 2026.
CAIRO = ZoneInfo("Africa/Cairo")
DST_ZONES = [SYD, HAVANA, SANTIAGO, LONDON, CAIRO]


def transitions(tz: ZoneInfo, year: int = 2026) -> list[tuple[datetime, timedelta, timedelta]]:
    """Each change of `tz`'s UTC offset in `year`: (instant, offset before, offset after).

    These zones change on the hour or half hour (UTC), so half-hour steps find them.
    """
    found = []
    moment, end = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    before = moment.astimezone(tz).utcoffset()
    while moment < end:
        moment += timedelta(minutes=30)
        after = moment.astimezone(tz).utcoffset()
        assert before is not None and after is not None
        if after != before:
            found.append((moment, before, after))
        before = after
    assert found, f"{tz} changes its clocks in {year}"
    return found


def fall_back(tz: ZoneInfo) -> tuple[datetime, timedelta, timedelta]:
    return next(t for t in transitions(tz) if t[2] < t[1])


def spring_forward(tz: ZoneInfo) -> tuple[datetime, timedelta, timedelta]:
    return next(t for t in transitions(tz) if t[2] > t[1])


def away(at: str, until: str | None, iid: str | None = None) -> Event:
    return Event(at=at, type=E.OUT_OF_OFFICE, interview=iid, until=until)


# --- line 1: a call made before S is another conversation -------------------------------------


def test_rule1_call_made_before_S_does_not_complete_the_call() -> None:
    # a call about something else on the morning of the interview, before the thank-you
    app = application(ev("2026-11-20T09:00:00", E.CALL_MADE), sent())
    fu = one(app, local("2026-11-26T10:00:00"), CALL)
    assert fu.state is State.DUE


def test_rule1_call_made_before_S_listed_after_it_does_not_complete_the_call() -> None:
    """Listing order carries no meaning: the time of the call decides."""
    app = application(sent(), ev("2026-11-20T12:00:00", E.CALL_MADE))
    assert one(app, local("2026-11-26T10:00:00"), CALL).state is State.DUE


def test_rule1_call_made_at_S_completes_the_call() -> None:
    """'At or after S': the same instant counts, whichever is listed first."""
    app = application(ev(SENT, E.CALL_MADE), sent())
    assert one(app, local("2026-11-26T10:00:00"), CALL).state is State.DONE


def test_rule1_a_call_after_S_completes_it_though_another_came_before() -> None:
    app = application(
        ev("2026-11-20T09:00:00", E.CALL_MADE), sent(), ev("2026-11-26T09:00:00", E.CALL_MADE)
    )
    assert one(app, local("2026-11-26T08:00:00"), CALL).state is State.DUE
    fu = one(app, local("2026-11-26T10:00:00"), CALL)
    assert fu.state is State.DONE
    assert fu.reason == "Call made Thu 26 Nov 09:00."


# --- attribution: ties go to the greater id, compared as text -----------------------------------


@pytest.mark.parametrize("listed", ["i10 first", "i9 first"])
def test_unassigned_event_after_interviews_ending_together_belongs_to_the_greater_id_as_text(
    listed: str,
) -> None:
    """'i9' > 'i10' as text (though 9 < 10 as numbers): the thank-you is i9's."""
    ten = interview("i10", ends_at="2026-11-20T11:00:00", duration_minutes=None)
    nine = interview("i9", starts_at="2026-11-20T10:30:00", duration_minutes=30)
    both = (ten, nine) if listed == "i10 first" else (nine, ten)
    app = application(sent("2026-11-20T12:00:00", None), interviews=both)
    found = all_follow_ups(app, local("2026-11-20T13:00:00"))
    assert found[("i9", THANK_YOU)].state is State.DONE
    assert found[("i10", THANK_YOU)].state is State.DUE
    assert ("i9", CALL) in found and ("i10", CALL) not in found


# --- now is an instant, also in the repeated hour ---------------------------------------------


def test_now_in_the_repeated_hour_is_read_as_the_instant_given() -> None:
    """A user's report: `--now 2026-04-05T02:30:00+10:00` in Sydney was read as
    02:30+11:00, an hour early (the second 02:30 of the night the clocks go back)."""
    now = Clock(SYD, parse_now("2026-04-05T02:30:00+10:00", SYD)).now()
    assert instant(now) == datetime(2026, 4, 4, 16, 30, tzinfo=UTC)
    first = Clock(SYD, parse_now("2026-04-05T02:30:00+11:00", SYD)).now()
    assert instant(first) == datetime(2026, 4, 4, 15, 30, tzinfo=UTC)


def test_now_in_the_repeated_hour_decides_by_the_instant() -> None:
    """The thank-you window closes at 16:00Z, between the two 02:30s of that night."""
    end = datetime(2026, 4, 3, 16, 0, tzinfo=UTC).astimezone(SYD).isoformat()
    app = application(interviews=(Interview("i1", "2026-04-04T01:00:00+11:00", ends_at=end),))
    second = Clock(SYD, parse_now("2026-04-05T02:30:00+10:00", SYD)).now()
    first = Clock(SYD, parse_now("2026-04-05T02:30:00+11:00", SYD)).now()
    assert one(app, second).state is State.OVERDUE
    assert one(app, first).state is State.DUE


@pytest.mark.parametrize("tz", DST_ZONES, ids=str)
@pytest.mark.parametrize("minutes", [-30, 0, 30, 59])
def test_now_around_the_change_back_is_the_instant_given(tz: ZoneInfo, minutes: int) -> None:
    """Around the moment the clocks go back, `--now` with either offset, and a shift of a
    day forward and back again, give back the instant typed."""
    moment = fall_back(tz)[0] + timedelta(minutes=minutes)
    offset = moment.astimezone(tz).utcoffset()
    assert offset is not None
    text = moment.astimezone(timezone(offset)).isoformat()
    clock = Clock(tz, parse_now(text, tz))
    assert instant(clock.now()) == moment
    clock.shift(1)
    clock.shift(-1)
    assert instant(clock.now()) == moment


@pytest.mark.parametrize("tz", DST_ZONES, ids=str)
def test_a_day_of_preview_is_a_calendar_day_and_never_lands_on_a_missing_time(
    tz: ZoneInfo,
) -> None:
    """Shifting now by a day keeps the wall clock; a time the clocks skip that day is
    read as the instant it stands for (an hour later on the wall), never an hour early."""
    jump, before, after = spring_forward(tz)
    skipped_wall = jump.astimezone(timezone(before)).replace(tzinfo=None)  # e.g. 00:00 or 02:00
    day_before = (skipped_wall - timedelta(days=1)).replace(tzinfo=tz)
    clock = Clock(tz, day_before)
    clock.shift(1)
    now = clock.now()
    assert instant(now) == jump  # the first moment of the new offset
    assert now.replace(tzinfo=None) == skipped_wall + (after - before)
    clock.shift(1)
    assert clock.now().replace(tzinfo=None) == skipped_wall + timedelta(days=1)


@pytest.mark.parametrize("tz", DST_ZONES, ids=str)
def test_start_of_day_is_the_first_instant_of_the_local_date(tz: ZoneInfo) -> None:
    """Also where 00:00 does not exist (Havana, Santiago, Cairo: the clocks jump from
    midnight) or happens twice (Havana in November)."""
    for moment, _, _ in transitions(tz):
        for day in {(moment + timedelta(hours=h)).astimezone(tz).date() for h in (-24, 0, 24)}:
            start = instant(start_of_day(day, tz))
            assert start.astimezone(tz).date() == day
            assert (start - TICK).astimezone(tz).date() == day - timedelta(days=1)


def test_a_snooze_until_a_date_whose_midnight_is_skipped_ends_when_the_date_begins() -> None:
    """Havana, Sun 8 Mar 2026: 00:00 never happens; the date begins at 01:00 (-04:00)."""
    jump = spring_forward(HAVANA)[0]
    assert jump.astimezone(HAVANA).date() == date(2026, 3, 8)
    rules = Rules(HAVANA)
    iv = Interview("i1", "2026-03-06T10:00:00", duration_minutes=60)
    app = application(
        ev("2026-03-06T12:00:00", E.SNOOZED, kind=THANK_YOU, until="2026-03-08"),
        interviews=(iv,),
    )
    assert one(app, jump - TICK, rules=rules).state is State.WAITING
    assert instant(one(app, jump - TICK, rules=rules).due_at) == jump
    assert one(app, jump, rules=rules).state is State.OVERDUE
    assert validity(app, jump - timedelta(hours=3), rules)[1] == jump


def test_a_call_opening_on_a_date_whose_midnight_is_skipped_opens_when_the_date_begins() -> None:
    """Cairo, Fri 24 Apr 2026: the clocks jump from 00:00 to 01:00. Sent Tue 21 Apr, the
    call opens three business days later, on that Friday, at its first instant."""
    jump = spring_forward(CAIRO)[0]
    assert jump.astimezone(CAIRO).date() == date(2026, 4, 24)
    rules = Rules(CAIRO)
    iv = Interview("i1", "2026-04-21T10:00:00", duration_minutes=60)
    app = application(ev("2026-04-21T15:00:00", E.THANK_YOU_SENT), interviews=(iv,))
    before = one(app, jump - TICK, CALL, rules=rules)
    assert before.state is State.WAITING
    assert instant(before.due_at) == jump
    assert one(app, jump, CALL, rules=rules).state is State.DUE
    assert validity(app, jump - timedelta(hours=5), rules)[1] == jump
    assert jump in change_points(app, rules)


def test_the_local_date_of_now_in_the_repeated_hour_before_midnight() -> None:
    """Cairo, Thu 29 Oct 2026: 23:00-24:00 happens twice. The second 23:30 is still
    Thursday, so a call opening on Friday is not due yet; Friday begins after it."""
    back = fall_back(CAIRO)[0]
    rules = Rules(CAIRO)
    iv = Interview("i1", "2026-10-27T10:00:00", duration_minutes=60)  # Tue: the call opens Fri
    app = application(ev("2026-10-27T15:00:00", E.THANK_YOU_SENT), interviews=(iv,))
    second = Clock(CAIRO, parse_now("2026-10-29T23:30:00+02:00", CAIRO)).now()
    assert instant(second) == back + timedelta(minutes=30)
    assert one(app, second, CALL, rules=rules).state is State.WAITING
    friday = instant(start_of_day(date(2026, 10, 30), CAIRO))
    assert friday == back + timedelta(hours=1)
    assert one(app, friday, CALL, rules=rules).state is State.DUE


# --- line 3: out of office ----------------------------------------------------------------------

NOW = local("2026-11-26T10:00:00")  # Thu: the call opened Wed 25 Nov
BACK = date(2026, 11, 30)  # Mon: the first business day after Fri 27 Nov


def test_rule3_out_of_office_after_S_suppresses_the_call_until_the_first_business_day_after() -> None:
    app = application(sent(), away("2026-11-23T09:00:00", "2026-11-27"))
    fu = one(app, NOW, CALL)
    assert fu.state is State.SUPPRESSED
    assert fu.reason == "They are away until Fri 27 Nov, an automatic reply said; call from Mon 30 Nov."
    # the whole weekend after the return date is still held; Monday it is due
    assert one(app, local("2026-11-29T23:59:00"), CALL).state is State.SUPPRESSED
    assert one(app, local("2026-11-30T00:00:00"), CALL).state is State.DUE


def test_rule3_out_of_office_moves_the_calls_date_to_the_day_its_reason_names() -> None:
    """The reason says "call from Mon 30 Nov": so does the date (the call opened Wed)."""
    app = application(sent(), away("2026-11-23T09:00:00", "2026-11-27"))
    fu = one(app, NOW, CALL)
    assert fu.state is State.SUPPRESSED
    assert fu.due_at == start_of_day(BACK, fu.due_at.tzinfo or NOW.tzinfo)
    assert one(app, local("2026-11-30T00:00:00"), CALL).due_at < fu.due_at  # due: opened Wed


def test_rule3_out_of_office_until_a_datetime_uses_its_local_date() -> None:
    """Thu 26 Nov 14:00Z is Fri 27 Nov 01:00 in Sydney: back on Mon 30 Nov (not Fri)."""
    app = application(sent(), away("2026-11-23T09:00:00", "2026-11-26T14:00:00Z"))
    assert one(app, local("2026-11-27T10:00:00"), CALL).state is State.SUPPRESSED
    assert one(app, local("2026-11-30T00:00:00"), CALL).state is State.DUE


def test_rule3_out_of_office_hold_ends_after_holidays() -> None:
    rules = Rules(SYD, holidays=frozenset({BACK}))
    app = application(sent(), away("2026-11-23T09:00:00", "2026-11-27"))
    assert one(app, local("2026-11-30T12:00:00"), CALL, rules=rules).state is State.SUPPRESSED
    assert one(app, local("2026-12-01T00:00:00"), CALL, rules=rules).state is State.DUE


def test_rule3_out_of_office_before_S_does_not_hold_the_call() -> None:
    app = application(sent(), away("2026-11-20T12:00:00", "2026-11-27"))
    assert one(app, NOW, CALL).state is State.DUE


def test_rule3_out_of_office_without_until_does_not_hold_the_call() -> None:
    app = application(sent(), away("2026-11-23T09:00:00", None))
    assert one(app, NOW, CALL).state is State.DUE


def test_rule3_out_of_office_is_not_employer_contact() -> None:
    """It never resolves the call: once they are back, the call is due, not done."""
    app = application(sent(), away("2026-11-23T09:00:00", "2026-11-24"))
    fu = one(app, NOW, CALL)
    assert fu.state is State.DUE
    assert "no word" in fu.reason.lower()


def test_rule3_out_of_office_in_the_future_is_not_in_force() -> None:
    app = application(sent(), away("2026-11-27T09:00:00", "2026-12-04"))
    assert one(app, NOW, CALL).state is State.DUE
    assert one(app, local("2026-11-27T10:00:00"), CALL).state is State.SUPPRESSED


def test_rule3_out_of_office_holds_every_call_of_the_application() -> None:
    """Of the same application, whichever interview it is filed under. (i2 is the same
    morning, its thank-you after i1 began, so neither call is answered by the other.)"""
    second = interview("i2", "2026-11-20T08:00:00")
    app = application(
        sent(),
        sent("2026-11-20T16:00:00", "i2"),
        away("2026-11-23T09:00:00", "2026-11-27", "i2"),
        interviews=(interview(), second),
    )
    found = all_follow_ups(app, NOW)
    assert found[("i1", CALL)].state is State.SUPPRESSED
    assert found[("i2", CALL)].state is State.SUPPRESSED


def test_rule3_out_of_office_between_two_thank_yous_holds_only_the_later_call() -> None:
    """'After S' is each call's own S: an away reply before i1's thank-you holds i2's call
    (sent earlier) but not i1's."""
    second = interview("i2", "2026-11-20T08:00:00")
    app = application(
        sent("2026-11-20T10:30:00", "i2"),
        away("2026-11-20T12:00:00", "2026-11-27"),
        sent(),
        interviews=(interview(), second),
    )
    found = all_follow_ups(app, NOW)
    assert found[("i2", CALL)].state is State.SUPPRESSED
    assert found[("i1", CALL)].state is State.DUE


def test_rule3_the_latest_return_date_counts() -> None:
    app = application(
        sent(),
        away("2026-11-23T09:00:00", "2026-12-02"),
        away("2026-11-24T09:00:00", "2026-11-27"),
    )
    assert one(app, local("2026-12-02T12:00:00"), CALL).state is State.SUPPRESSED
    assert one(app, local("2026-12-03T00:00:00"), CALL).state is State.DUE


def test_rule3_out_of_office_never_holds_the_thank_you() -> None:
    app = application(away("2026-11-20T11:30:00", "2026-11-27"))
    assert one(app, local("2026-11-20T12:00:00")).state is State.DUE


def test_rule3_reply_after_S_beats_out_of_office() -> None:
    app = application(
        sent(), away("2026-11-23T09:00:00", "2026-11-27"), ev("2026-11-24T09:00", E.REPLY_RECEIVED)
    )
    assert one(app, NOW, CALL).state is State.DONE


def test_rule3_on_hold_comes_before_out_of_office() -> None:
    app = application(
        sent(), away("2026-11-23T09:00:00", "2026-11-27"), ev("2026-11-24T09:00", E.ON_HOLD, None)
    )
    fu = one(app, NOW, CALL)
    assert fu.state is State.SUPPRESSED
    assert fu.reason.startswith("On hold since")


def test_rule3_decision_hold_is_named_before_out_of_office() -> None:
    iv = interview(decision_by="2026-11-30")  # Mon: call from Tue 1 Dec
    app = application(sent(), away("2026-11-23T09:00:00", "2026-11-27"), interviews=(iv,))
    fu = one(app, NOW, CALL)
    assert fu.state is State.SUPPRESSED
    assert fu.reason.startswith("Employer said they would decide by")


def test_rule3_out_of_office_hold_beats_a_snooze() -> None:
    app = application(
        sent(),
        away("2026-11-23T09:00:00", "2026-12-02"),
        ev("2026-11-24T09:00:00", E.SNOOZED, kind=CALL, until="2026-11-27"),
    )
    assert one(app, local("2026-11-30T10:00:00"), CALL).state is State.SUPPRESSED


def test_rule3_out_of_office_hold_end_is_a_change_point() -> None:
    """The follow-up cache keeps an answer until the next change point: the hold's end
    must be one, or the cache would go on saying 'suppressed' on Monday."""
    app = application(sent(), away("2026-11-23T09:00:00", "2026-11-27"))
    monday = instant(start_of_day(BACK, SYD))
    assert monday in change_points(app, RULES)
    assert validity(app, NOW, RULES)[1] == monday
    assert validity(app, monday, RULES)[0] == monday


# --- cancelled interviews ----------------------------------------------------------------------


def test_cancelled_interview_has_no_follow_ups() -> None:
    iv = interview(cancelled=True)
    app = application(sent(), interviews=(iv,))
    assert follow_ups(app, local("2026-11-26T10:00:00"), RULES) == []
    assert follow_ups(app, local("2026-11-20T12:00:00"), RULES) == []


def test_cancelled_interview_takes_no_unassigned_event() -> None:
    """The unassigned thank-you goes to the interview that took place, though the
    cancelled one was due to end later."""
    called_off = interview("i2", "2026-11-20T12:00:00", cancelled=True)
    app = application(sent("2026-11-20T14:00:00", None), interviews=(interview(), called_off))
    found = all_follow_ups(app, local("2026-11-20T15:00:00"))
    assert set(found) == {("i1", THANK_YOU), ("i1", CALL)}
    assert found[("i1", THANK_YOU)].state is State.DONE


def test_cancelled_later_interview_does_not_answer_the_call() -> None:
    called_off = interview("i2", "2026-11-25T14:00:00", cancelled=True)
    app = application(sent(), interviews=(interview(), called_off))
    assert one(app, local("2026-11-26T10:00:00"), CALL).state is State.DUE


def test_cancelled_interview_changes_nothing_over_time() -> None:
    app = application(sent(), interviews=(interview(cancelled=True),))
    assert change_points(app, RULES) == change_points(application(sent(), interviews=()), RULES)
    assert Application.interview(app, "i1") is not None  # still recorded, only inert


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(DST_ZONES),
    st.integers(0, 300 * 24 * 60),
    st.integers(60, 2 * 24 * 60),
    st.integers(1, 6 * 24 * 60),
    st.integers(0, 12),
    st.integers(0, 20 * 24 * 60),
)
def test_rule3_the_answer_holds_across_the_validity_span_of_an_away_hold(
    tz: ZoneInfo, start: int, sent_after: int, away_after: int, away_days: int, now_after: int
) -> None:
    """Few events, so the hold's end has to be a change point of its own."""
    origin = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=start)
    sent_at = origin + timedelta(minutes=sent_after)
    away_at = sent_at + timedelta(minutes=away_after)
    until = (away_at.astimezone(tz).date() + timedelta(days=away_days)).isoformat()
    app = application(
        Event(sent_at.isoformat(), E.THANK_YOU_SENT, "i1"),
        Event(away_at.isoformat(), E.OUT_OF_OFFICE, until=until),
        interviews=(Interview("i1", origin.isoformat()),),
    )
    rules = Rules(tz)
    now = origin + timedelta(minutes=now_after)

    def answer(moment: datetime) -> list[tuple[object, ...]]:
        found = follow_ups(app, moment.astimezone(tz), rules)
        return [(f.key, f.state, instant(f.due_at), f.reason) for f in found]

    since, until_bound = validity(app, now, rules)
    expected = answer(now)
    if since is not None:
        assert answer(since) == expected
    if until_bound is not None:
        assert answer(until_bound - TICK) == expected
