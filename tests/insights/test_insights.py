"""Insights (SPEC §9) by example: ghosted, each figure of stats, the activity log."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from followup_tui.domain.insights import (
    Funnel,
    activity,
    first_activity,
    ghosted,
    stats,
    weekly_activity,
)
from followup_tui.domain.model import (
    Application,
    Contact,
    Event,
    EventType,
    Interview,
    Rules,
    Status,
)

E = EventType
SYD = ZoneInfo("Australia/Sydney")
RULES = Rules(tz=SYD)


def at(day: int, hour: int = 10, minute: int = 0, month: int = 11) -> str:
    """A local Sydney time in 2026, written with its offset."""
    return datetime(2026, month, day, hour, minute, tzinfo=SYD).isoformat()


def now_at(day: int, hour: int = 12, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SYD)


def iv(n: int, starts: str, **fields: object) -> Interview:
    return Interview(id=f"a-{n}", starts_at=starts, **fields)  # type: ignore[arg-type]


def app(*events: Event, interviews: tuple[Interview, ...] | None = None, **fields: object
        ) -> Application:
    if interviews is None:
        interviews = (iv(1, at(2)),)  # Mon 2 Nov 10:00-11:00
    return Application(  # type: ignore[arg-type]
        fields.pop("id", "a"), fields.pop("company", "Acme"), fields.pop("role", "Planner"),
        interviews=interviews, events=events, **fields,
    )


SENT = Event(at(2, 15), E.THANK_YOU_SENT, "a-1")
CALLED = Event(at(5), E.CALL_MADE, "a-1")  # Thu 5 Nov


# --- ghosted --------------------------------------------------------------------------


def test_ghosted_ten_business_days_after_the_call() -> None:
    application = app(SENT, CALLED)
    # Thu 5 Nov + 10 business days = Thu 19 Nov
    assert not ghosted(application, now_at(18, 23, 59), RULES).ghosted
    result = ghosted(application, now_at(19, 0, 0), RULES)
    assert result.ghosted
    assert result.since == date(2026, 11, 19)
    assert result.called == date(2026, 11, 5)
    assert "Thu 5 Nov" in result.reason and "ten business days" in result.reason
    assert result.advice.startswith("After a call and ten business days of silence")


def test_ghosted_after_a_configured_number_of_days() -> None:
    result = ghosted(app(SENT, CALLED), now_at(10), RULES, after_business_days=3)
    assert result.ghosted and result.since == date(2026, 11, 10)
    assert "three business days" in result.reason


def test_holidays_are_not_days_of_silence() -> None:
    rules = Rules(tz=SYD, holidays=frozenset({date(2026, 11, 10)}))
    assert not ghosted(app(SENT, CALLED), now_at(19), rules).ghosted
    assert ghosted(app(SENT, CALLED), now_at(20), rules).since == date(2026, 11, 20)


@pytest.mark.parametrize("word", [E.REPLY_RECEIVED, E.OFFER, E.REJECTED])
def test_employer_contact_after_the_call_means_not_ghosted(word: EventType) -> None:
    assert not ghosted(app(SENT, CALLED, Event(at(6), word)), now_at(30), RULES).ghosted


def test_contact_before_the_call_does_not_count() -> None:
    reply = Event(at(4), E.REPLY_RECEIVED)
    assert ghosted(app(SENT, reply, CALLED), now_at(30), RULES).ghosted


def test_a_later_interview_after_the_call_is_contact() -> None:
    later = (iv(1, at(2)), iv(2, at(12)))
    assert not ghosted(app(SENT, CALLED, interviews=later), now_at(30), RULES).ghosted


def test_an_interview_booked_after_the_call_is_contact_even_its_own() -> None:
    # recorded against an interview before it starts: the interview itself is the word
    early = (Event(at(2, 15), E.THANK_YOU_SENT, "a-1"), Event(at(5), E.CALL_MADE, "a-1"))
    booked = (iv(1, at(9)),)
    assert not ghosted(app(*early, interviews=booked), now_at(30), RULES).ghosted


def test_a_call_before_the_thank_you_is_another_conversation() -> None:
    early_call = Event(at(2, 13), E.CALL_MADE, "a-1")
    assert not ghosted(app(early_call, SENT), now_at(30), RULES).ghosted


def test_no_call_no_ghost() -> None:
    assert not ghosted(app(SENT), now_at(30), RULES).ghosted


def test_only_the_latest_interview_counts() -> None:
    two = (iv(1, at(2)), iv(2, at(3)))
    # the call followed the first interview; the second has had no call
    events = (SENT, Event(at(3, 15), E.THANK_YOU_SENT, "a-2"), CALLED)
    assert not ghosted(app(*events, interviews=two), now_at(30), RULES).ghosted
    call_2 = Event(at(6), E.CALL_MADE, "a-2")
    assert ghosted(app(*events, call_2, interviews=two), now_at(30), RULES).ghosted


def test_events_without_interview_belong_to_the_latest_ended_one() -> None:
    bare = (Event(at(2, 15), E.THANK_YOU_SENT), Event(at(5), E.CALL_MADE))
    assert ghosted(app(*bare), now_at(30), RULES).ghosted


@pytest.mark.parametrize("status", [E.ON_HOLD, E.WITHDRAWN, E.ACCEPTED])
def test_only_an_active_application_is_ghosted(status: EventType) -> None:
    assert not ghosted(app(SENT, CALLED, Event(at(6), status)), now_at(30), RULES).ghosted
    resumed = app(SENT, CALLED, Event(at(6), E.ON_HOLD), Event(at(7), E.RESUMED))
    assert ghosted(resumed, now_at(30), RULES).ghosted


def test_only_events_at_or_before_now_count() -> None:
    late_reply = Event(at(25), E.REPLY_RECEIVED)
    assert ghosted(app(SENT, CALLED, late_reply), now_at(24), RULES).ghosted
    assert not ghosted(app(SENT, CALLED, late_reply), now_at(25), RULES).ghosted
    # a call recorded for later has not been made yet
    assert not ghosted(app(SENT, CALLED), now_at(5, 9), RULES).ghosted


# --- stats ---------------------------------------------------------------------------


def search() -> list[Application]:
    """Five applications whose every figure is worked out by hand below."""
    rejected_after_two = app(
        Event(at(2, 15), E.THANK_YOU_SENT, "r-1"),      # on time
        Event(at(10, 9), E.THANK_YOU_SENT, "r-2"),      # 22 h after the end: on time
        Event(at(13), E.REJECTED),
        id="r", company="Rex", applied_on="2026-11-01",
        interviews=(Interview("r-1", at(2)), Interview("r-2", at(9))),
    )
    replied = app(
        Event(at(4, 12), E.THANK_YOU_SENT, "p-1"),      # 25 h after the end: late
        Event(at(6, 9), E.REPLY_RECEIVED),              # 3 calendar days after the end
        id="p", company="Pax", interviews=(Interview("p-1", at(3)),),
    )
    only_applied = app(id="o", company="Oak", applied_on="2026-11-20", interviews=())
    accepted = app(
        Event(at(5, 20), E.OFFER), Event(at(6), E.ACCEPTED),  # offer 1 day after the end
        id="k", company="Rex", interviews=(Interview("k-1", at(4, 9)),),
    )
    silent = app(SENT, CALLED, company="Gho")               # ghosted from Thu 19 Nov
    return [rejected_after_two, replied, only_applied, accepted, silent]


def test_stats_by_hand() -> None:
    result = stats(search(), now_at(30), RULES)
    assert result.applications == 5
    assert {s.value: n for s, n in result.by_status.items()} == {
        "active": 3, "on_hold": 0, "offer": 0, "rejected": 1, "withdrawn": 0, "accepted": 1,
    }
    # the rejected one reached a second interview; the accepted one every stage
    assert result.funnel == Funnel(
        applied=5, interviewed=4, second_interview=2, offer=1, accepted=1
    )
    # answered: r (second interview, 7 days), p (reply, 3), k (offer, 1); the ghost not
    assert (result.interviewed, result.responded) == (4, 3)
    assert result.response_rate == 0.75
    assert result.median_days_to_response == 3.0
    assert result.median_days_to_response_by_company == {"Pax": 3.0, "Rex": 4.0}
    # sent: r-1, r-2, p-1, a-1; late: p-1
    assert (result.thank_yous_sent, result.thank_yous_on_time) == (4, 3)
    assert result.thank_you_on_time == 0.75
    assert [g.application for g in result.ghosted] == ["a"]
    assert result.ghosted[0].ghosted.since == date(2026, 11, 19)


def test_stats_of_nothing_are_none_not_zero() -> None:
    result = stats([], now_at(30), RULES)
    assert result.applications == 0
    assert result.response_rate is None
    assert result.median_days_to_response is None
    assert result.thank_you_on_time is None
    assert result.as_json()["ghosted"] == {"count": 0, "applications": []}


def test_stats_count_only_what_happened_by_now() -> None:
    result = stats(search(), now_at(5, 12), RULES)
    # the offer (Thu 5 Nov 20:00) and the rejection have not happened yet
    assert result.funnel.offer == 0 and result.by_status[Status.ACTIVE] == 5
    assert result.funnel.second_interview == 0
    assert result.ghosted == ()


def test_since_counts_applications_by_their_first_activity() -> None:
    apps = search()
    assert [first_activity(a, now_at(30), RULES) for a in apps] == [
        date(2026, 11, 1),   # applied_on wins over the interview
        date(2026, 11, 3),   # the first interview
        date(2026, 11, 20),  # applied_on
        date(2026, 11, 4),
        date(2026, 11, 2),
    ]
    assert stats(apps, now_at(30), RULES, since=date(2026, 11, 3)).applications == 3
    assert stats(apps, now_at(30), RULES, since=date(2026, 11, 3)).since == date(2026, 11, 3)
    note_only = app(Event(at(7), E.NOTE, text="saw the ad"), id="n", interviews=())
    assert first_activity(note_only, now_at(30), RULES) == date(2026, 11, 7)
    assert first_activity(note_only, now_at(6), RULES) is None  # the note is in the future
    assert stats([note_only], now_at(6), RULES, since=date(2026, 1, 1)).applications == 0


def test_stats_as_json_is_plain_data() -> None:
    import json

    data = json.loads(json.dumps(stats(search(), now_at(30), RULES).as_json()))
    assert data["funnel"]["second_interview"] == 2
    assert data["by_status"]["rejected"] == 1
    assert data["ghosted"]["applications"][0]["since"] == "2026-11-19"


# --- the activity log -------------------------------------------------------------------


def test_activity_rows_of_a_period() -> None:
    apps = [
        Application(
            "r", "Rex", "Planner", link="https://example.org/j", applied_on="2026-11-01",
            contacts=(Contact("Ann Lee"),),
            interviews=(Interview("r-1", at(2), format="video", round="First round",
                                  interviewers=("Priya Shah",), topics=("housing",)),),
            events=(
                Event(at(2, 15), E.THANK_YOU_SENT, "r-1"),
                Event(at(5), E.CALL_MADE, text="left a message"),
                Event(at(6), E.NOTE, text="not an action"),
                Event(at(9), E.REPLY_RECEIVED),
                Event(at(12), E.REJECTED),
            ),
        )
    ]
    rows = activity(apps, date(2026, 11, 1), date(2026, 11, 9), RULES)
    assert [(r.day.day, r.action, r.contact, r.channel) for r in rows] == [
        (1, "applied", "Ann Lee", "online"),
        (2, "interview", "Priya Shah", "video"),
        (2, "thank_you_sent", "Priya Shah", "email"),
        (5, "call_made", "Priya Shah", "phone"),
        (9, "reply_received", "Ann Lee", ""),
    ]
    assert rows[1].description == "First round interview: housing"
    assert rows[3].description == "Follow-up phone call after the first round interview: " \
        "left a message"
    assert rows[0].as_json()["date"] == "2026-11-01"
    assert rows[2].cells()[1] == "Thank-you sent"
    # both ends of the period are included; the rejection is outside it
    assert [r.action for r in activity(apps, date(2026, 11, 9), date(2026, 11, 12), RULES)
            ] == ["reply_received", "rejected"]


def test_activity_leaves_out_what_has_not_happened() -> None:
    apps = [app(SENT, CALLED)]
    rows = activity(apps, date(2026, 11, 1), date(2026, 11, 30), RULES, now=now_at(2, 12))
    assert [r.action for r in rows] == ["interview"]


def test_activity_dates_are_local() -> None:
    # 23:30 Sydney on 2 Nov is 12:30 UTC the same day; 00:30 on 3 Nov is 2 Nov in UTC
    late = Event(datetime(2026, 11, 3, 0, 30, tzinfo=SYD).isoformat(), E.REPLY_RECEIVED)
    rows = activity([app(late)], date(2026, 11, 3), date(2026, 11, 3), RULES)
    assert [r.action for r in rows] == ["reply_received"]


def test_weekly_activity_counts_iso_weeks_up_to_now() -> None:
    apps = search()
    weeks = weekly_activity(apps, now_at(11, 12), RULES, weeks=3)
    assert [(w.monday, w.week) for w in weeks] == [
        (date(2026, 10, 26), 44), (date(2026, 11, 2), 45), (date(2026, 11, 9), 46),
    ]
    # week 44: r applied (1 Nov); week 45: interviews r-1 p-1 k-1 a-1, thank-yous r-1 p-1
    # a-1, reply p, offer and accepted k, call a; week 46 to Wed noon: r-2, its thank-you
    assert [w.actions for w in weeks] == [1, 11, 2]
    with pytest.raises(ValueError, match="at least 1"):
        weekly_activity(apps, now_at(11), RULES, weeks=0)
