"""Issue 11, dates and forms, end to end: Pilot drives the keys on a real database."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from textual.widgets import Input, OptionList

from followup_tui.domain.model import EventType, State
from followup_tui.storage.store import Store
from followup_tui.tui.screens.forms import DoneForm, EventForm, InterviewForm, SnoozeForm
from followup_tui.tui.screens.main import ReviewScreen
from tests.support.app import APP_NOW, APP_TZ

SIZE = (120, 40)
#: A Sunday, then the six days after it, and a year's last days.
WEEK = [datetime(2026, 11, 29, 9, 0, tzinfo=APP_TZ) + timedelta(days=n) for n in range(7)]
YEAR_END = [datetime(2026, 12, 31, 18, 0, tzinfo=APP_TZ), datetime(2027, 1, 1, 9, 0, tzinfo=APP_TZ)]


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


@pytest.mark.parametrize("now", WEEK + YEAR_END, ids=lambda d: f"{d:%a-%d-%b}")
async def test_snooze_opens_on_every_weekday(make_app, app_store: Store, now: datetime) -> None:
    """The bug: on a Sunday (tomorrow is next Monday) or a Monday (next Monday is in a
    week) the options list met a duplicate id and the app ended."""
    app = make_app(demo=True, now=now)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        candidates = [row for row in app.review.index.values() if row.pending is not None]
        # the call with a decision date, where one is pending, else any follow-up
        candidates.sort(key=lambda r: not (r.interview and r.interview.decision_by))
        app.selected_key = candidates[0].key
        await pilot.press("z")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, SnoozeForm)
        options = form.query_one("#quick", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert len(ids) == len(set(ids)) >= 2
        today = now.date()
        assert (today + timedelta(days=1)).isoformat() in ids
        assert (today + timedelta(days=7)).isoformat() in ids
        await pilot.press("enter")  # the first: the earliest day
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        event = app_store.load_application(candidates[0].application.id).events[-1]
        assert (event.type, event.until) == (EventType.SNOOZED, ids[0])


async def test_a_change_while_previewing_is_stamped_with_the_real_now(
    make_app, app_store: Store
) -> None:
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert app.now.day == 27
        app.selected_key = "lumen-data-engineer-1"
        await pilot.press("x")
        await pilot.pause()
        event = app_store.load_application("lumen-data-engineer").events[-1]
        assert (event.type, event.at) == (EventType.SKIPPED, "2026-11-25T09:00+11:00")
        assert any(
            "recorded at Wed 25 Nov 09:00 (you are previewing Fri 27 Nov)" in text
            for text in notices(app)
        )

        app.selected_key = "harbour-city-planner-1"
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, DoneForm)
        assert "Wed 25 Nov 2026 09:00" in str(app.screen.query_one("#at-hint").render())
        await pilot.press("enter")
        await pilot.pause()
        event = app_store.load_application("harbour-city-planner").events[-1]
        assert (event.type, event.at) == (EventType.THANK_YOU_SENT, "2026-11-25T09:00+11:00")

        app.selected_key = "harbour-city-planner-1"
        await pilot.press("z")
        await pilot.pause()
        options = app.screen.query_one("#quick", OptionList)
        # "Tomorrow" is the real tomorrow, not the day after the previewed one
        assert options.get_option_at_index(0).id == "2026-11-26"


async def test_s_asks_when_and_records_the_past(make_app, app_store: Store) -> None:
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.selected_row().key == "harbour-city-planner-1"
        await pilot.press("s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DoneForm)
        assert form.query_one("#at", Input).value == "now"
        await pilot.press(*"tomorrow 9am")  # the prefilled "now" is selected: replaced
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form  # refused at the field
        assert "in the future" in form.faults["at"]
        form.query_one("#at", Input).value = "yesterday 6pm"
        await pilot.pause()
        assert "Tue 24 Nov 2026 18:00 · 15 hours ago" in str(form.query_one("#at-hint").render())
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        event = app_store.load_application("harbour-city-planner").events[-1]
        assert (event.type, event.at) == (EventType.THANK_YOU_SENT, "2026-11-24T18:00+11:00")
        assert app.review.index["harbour-city-planner-1"].pending.kind.value == "call"


async def test_a_bare_weekday_in_the_event_form_is_the_last_one(
    make_app, app_store: Store
) -> None:
    """The bug: "Thank-you sent" with `sat 5pm`, typed on a Monday, saved next Saturday."""
    monday = datetime(2026, 11, 30, 9, 0, tzinfo=APP_TZ)
    app = make_app(demo=True, now=monday)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app_id = app.selected_row().application.id
        await pilot.press("l")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EventForm)
        form.query_one("#type").value = EventType.THANK_YOU_SENT.value
        form.query_one("#at", Input).value = "sat 5pm"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        event = app_store.load_application(app_id).events[-1]
        assert event.at == "2026-11-28T17:00+11:00"

        await pilot.press("l")
        await pilot.pause()
        form = app.screen
        form.query_one("#at", Input).value = "in 2 hours"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and "in the future" in form.faults["at"]


async def test_the_interview_form_reads_durations_as_people_type_them(
    make_app, app_store: Store
) -> None:
    """The bug: `1.5h` silently became 15 (the field dropped the dot and the h)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        form = app.screen
        assert isinstance(form, InterviewForm)
        for name, value in {"company": "Acme", "role": "Planner", "starts": "fri 10am"}.items():
            form.query_one(f"#{name}", Input).value = value
        form.query_one("#duration", Input).focus()
        await pilot.press(*"1.5h")
        await pilot.pause()
        assert form.query_one("#duration", Input).value == "1.5h"
        assert "→ 90 minutes" in str(form.query_one("#duration-hint").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        [stored] = app_store.load_all()
        # an interview is in the future: a bare weekday stays the next one
        assert stored.interviews[0].starts_at == "2026-11-27T10:00+11:00"
        assert stored.interviews[0].duration_minutes == 90


async def test_a_duration_that_cannot_be_read_is_refused_at_the_field(make_app, app_store) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        form = app.screen
        for name, value in {"company": "Acme", "role": "Planner", "starts": "fri 10am",
                            "duration": "1.01h"}.items():
            form.query_one(f"#{name}", Input).value = value
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "whole number of minutes" in form.faults["duration"]
        assert app_store.load_all() == []


async def test_forms_read_the_dates_the_app_displays(make_app, app_store, monkeypatch) -> None:
    monkeypatch.setenv("LC_ALL", "en_AU.UTF-8")
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.now == APP_NOW
        app.selected_key = "harbour-city-planner-1"
        await pilot.press("z")
        await pilot.pause()
        form = app.screen
        form.query_one("#until", Input).value = "Thu 3 Dec 14:00"
        await pilot.pause()
        assert "→ Thu 3 Dec 2026 14:00" in str(form.query_one("#until-hint").render())
        form.query_one("#until", Input).value = "2/12 10:00"
        await pilot.press("ctrl+s")
        await pilot.pause()
        event = app_store.load_application("harbour-city-planner").events[-1]
        assert (event.type, event.until) == (EventType.SNOOZED, "2026-12-02T10:00+11:00")
        assert app.review.index["harbour-city-planner-1"].state is State.WAITING


async def test_a_thank_you_marked_after_the_fact_lets_an_earlier_reply_settle_the_call(
    make_app, app_store: Store
) -> None:
    """A reply logged at 8:00, then `s` for a thank-you sent last night: the call is
    settled by the reply (stamped "now" instead, the reply would come before it)."""
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.selected_key = "harbour-city-planner-1"
        await pilot.press("l")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EventForm)
        form.query_one("#type").value = EventType.REPLY_RECEIVED.value
        form.query_one("#at", Input).value = "today 8am"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one("#at", Input).value = "yesterday 6pm"
        await pilot.press("enter")
        await pilot.pause()
        events = app_store.load_application("harbour-city-planner").events
        assert [(e.type, e.at) for e in events[-2:]] == [
            (EventType.REPLY_RECEIVED, "2026-11-25T08:00+11:00"),
            (EventType.THANK_YOU_SENT, "2026-11-24T18:00+11:00"),
        ]
        assert app.review.index["harbour-city-planner-1"].state is State.DONE
