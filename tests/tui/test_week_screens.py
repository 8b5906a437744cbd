"""A week of real use, on screen: what the list and the detail pane say, and how they move."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from followup_tui.domain.model import Rules, State
from followup_tui.interchange.demo import sample_applications
from followup_tui.tui.humanize import follow_up_when
from followup_tui.tui.review import rows_of
from tests.support.app import screen_text

TZ = ZoneInfo("Australia/Sydney")
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=TZ)


def _labels() -> dict[tuple[State, str], str]:
    found = {}
    for row in (r for app in sample_applications(NOW, TZ) for r in rows_of(app, NOW, Rules(TZ))):
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


async def test_at_80_columns_the_header_keeps_every_count_and_the_footer_fits(
    make_app, tmp_path
) -> None:
    from textual.widgets._footer import FooterKey

    app = make_app(demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        header = screen_text(app).splitlines()[0]
        counts = app.review.counts
        for state in (State.OVERDUE, State.DUE, State.WAITING, State.SUPPRESSED):
            assert f"{counts[state]} " in header, header
        assert "NOT THE REAL NOW" in header, header
        assert header.count("·") >= 3, header
        assert header.rstrip().endswith(f"{counts[State.SUPPRESSED]} held"), header
        keys = list(app.screen.query(FooterKey))
        assert keys
        assert all(key.region.right <= 80 for key in keys if key.display), [
            (key.key_display, key.region) for key in keys
        ]
        assert "palette" not in screen_text(app).splitlines()[-1]


async def test_a_form_opens_showing_its_first_fields_label(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause(0.3)
        assert "Company" in screen_text(app)


def test_zero_width_characters_and_boms_do_not_misalign_rows() -> None:
    from rich.cells import cell_len

    from followup_tui.tui.widgets.interviews import fit

    for text in ("\ufeffAcme\u200b Pty — Planner", "Zoë\u2060\u200d Co\u00ad — Analyst"):
        cut = fit(text, 12)
        assert cell_len(cut) == 12
        assert not any(ch in cut for ch in "\ufeff\u200b\u200d\u2060\u00ad")
        padded = fit(text, 40)
        assert len(padded) == cell_len(padded) == 40  # one character per cell: as drawn


def test_every_key_of_every_screen_is_in_the_keys_table_and_the_help() -> None:
    from followup_tui.tui.keys import COMMANDS, SECTIONS
    from followup_tui.tui.screens.forms import AddChoice, FormScreen
    from followup_tui.tui.screens.help import HelpScreen

    for screen, where in ((FormScreen, "form"), (AddChoice, "add"), (HelpScreen, "help")):
        table = {(c.key, c.action) for c in COMMANDS if c.where == where}
        bound = {(b.key, b.action) for b in screen.BINDINGS}
        assert bound == table, screen
    assert {c.where for c in COMMANDS} <= {where for where, _ in SECTIONS}


async def test_the_help_panel_lists_every_section(make_app) -> None:
    from followup_tui.tui.keys import COMMANDS

    app = make_app()
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause(0.2)
        from rich.console import Console

        console = Console(width=200, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
        console.print(app.screen.query_one("#help-table").visual._renderable)
        text = "".join(console.export_text().split())
        for command in COMMANDS:
            assert "".join(command.help.split())[:30] in text, command


async def test_the_timeline_shows_no_midnight_for_a_day_level_follow_up(make_app) -> None:
    from followup_tui.tui.widgets.timeline import TimelineList

    app = make_app(demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause(0.3)
        listing = app.screen.query_one(TimelineList)
        calls = [i for i, line in enumerate(listing.lines)
                 if line.item is not None and line.item.kind == "follow_up"
                 and line.item.title == "Call"]
        assert calls
        for index in calls:
            assert "00:00" not in listing.render_row(index, 120, False).plain[:10]


async def test_a_preview_at_80_columns_keeps_every_count(make_app) -> None:
    """`]` at 80x24: the notice takes a shorter wording before any count is cut."""
    from tests.support.app import screen_text

    app = make_app(demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("right_square_bracket")
        await pilot.pause()
        header = screen_text(app).split("\n")[0]
        assert "PREVIEW +1" in header
        counts = app.review.counts
        for state in ("overdue", "due", "waiting", "suppressed"):
            number = counts[next(s for s in counts if s.value == state)]
            assert str(number) in header, (state, header)
        assert header.count("·") >= 3, header  # the four counts are all there
