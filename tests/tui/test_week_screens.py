"""A week of real use, on screen: what the list and the detail pane say, and how they move."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from followup_tui.domain.model import Rules, State
from followup_tui.interchange.demo import sample_applications
from followup_tui.tui.humanize import follow_up_when
from followup_tui.tui.review import Review
from tests.support.app import screen_text

TZ = ZoneInfo("Australia/Sydney")
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=TZ)


def _labels() -> dict[tuple[State, str], str]:
    review = Review.build(sample_applications(NOW, TZ), NOW, Rules(TZ))
    found = {}
    for row in review.rows:
        for follow_up in row.follow_ups:
            found[(follow_up.state, follow_up.kind.value)] = follow_up_when(follow_up, NOW, TZ)
    return found


def test_the_list_date_is_the_follow_ups_own_labelled_date() -> None:
    labels = _labels()
    due_thank_you = labels[(State.DUE, "thank_you")]
    assert due_thank_you.startswith("by "), labels
    assert any(label.startswith("from ") for label in labels.values()), labels
    # a day-level date (a call opens at the start of a day) shows no 00:00
    assert not any("00:00" in label for label in labels.values()), labels


async def test_rows_show_the_follow_up_date_not_the_interview_time(make_app) -> None:
    app = make_app(demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "by " in text and "from " in text
        assert "00:00" not in text.split("\n", 3)[3]  # the rows, below the header


async def test_the_detail_pane_puts_follow_ups_first_and_scrolls_from_the_keyboard(
    make_app,
) -> None:
    from followup_tui.tui.widgets.detail import Detail

    app = make_app(demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        detail = app.screen.query_one(Detail)
        body = str(detail.query_one("#detail-body").render())
        reason_at = min(body.find(word) for word in ("send", "call", "Snoozed", "window")
                        if word in body)
        assert reason_at < body.index("Status"), body
        await pilot.press("ctrl+d")
        await pilot.pause(0.1)
        assert detail.scroll_y > 0
        await pilot.press("ctrl+u")
        await pilot.pause(0.1)
        assert detail.scroll_y == 0
        await pilot.press("tab")
        assert app.focused is detail


def test_a_round_named_first_interview_is_not_said_twice() -> None:
    from followup_tui.domain.model import Interview
    from followup_tui.tui.review import interview_title

    assert interview_title(Interview("i", "2026-11-20T10:00", round="First interview")) == (
        "First interview"
    )
    assert interview_title(Interview("i", "2026-11-20T10:00", round="Panel")) == "Panel interview"
    assert interview_title(Interview("i", "2026-11-20T10:00")) == "Interview"


async def _to_an_event(app, pilot, text: str):
    from followup_tui.tui.widgets.timeline import TimelineList

    listing = app.screen.query_one(TimelineList)
    index = next(i for i, line in enumerate(listing.lines)
                 if line.item is not None and line.item.event is not None
                 and line.item.event.text == text)
    listing.move_to(index)
    await pilot.pause()
    return listing.lines[index].item


async def test_enter_on_a_timeline_event_corrects_or_deletes_it_with_undo(
    make_app, app_store
) -> None:
    from textual.widgets import Input

    from followup_tui.tui.screens.forms import EventForm

    app = make_app(demo=True)

    def texts(app_id: str) -> list[str]:
        return [event.text for event in app_store.load_application(app_id).events]

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause(0.2)
        note = next(event for a in app_store.load_all() for event in a.events if event.text)
        item = await _to_an_event(app, pilot, note.text)
        app_id = item.application.id
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EventForm)
        field = app.screen.query_one("#text", Input)
        assert field.value == note.text
        field.value = "corrected by hand"
        await pilot.press("ctrl+s")
        await pilot.pause(0.2)
        assert "corrected by hand" in texts(app_id)
        assert note.text not in texts(app_id)
        await pilot.press("u")
        await pilot.pause(0.2)
        assert note.text in texts(app_id)
        await _to_an_event(app, pilot, note.text)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+d")
        await pilot.pause(0.2)
        assert note.text not in texts(app_id)
        await pilot.press("u")
        await pilot.pause(0.2)
        assert note.text in texts(app_id)


async def test_t_from_the_review_shows_the_selected_applications_timeline(make_app) -> None:
    from followup_tui.tui.screens.timeline import TimelineScreen

    app = make_app(demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        selected = app.selected_row().application.id
        await pilot.press("t")
        await pilot.pause(0.2)
        assert isinstance(app.screen, TimelineScreen)
        assert app.screen.only == selected
