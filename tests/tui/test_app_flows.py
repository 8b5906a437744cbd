"""The app end to end: Pilot drives the keys, the test checks the screen and the database."""

from __future__ import annotations

import threading

from textual.widgets import Input, OptionList, Select

from followup_tui.domain.model import Application, EventType, Interview, State
from followup_tui.storage.store import Store
from followup_tui.tui.app import FollowupApp
from followup_tui.tui.screens.forms import EventForm, InterviewForm, SnoozeForm
from followup_tui.tui.screens.help import HelpScreen
from followup_tui.tui.screens.main import ReviewScreen
from followup_tui.tui.screens.timeline import TimelineScreen
from followup_tui.tui.widgets.interviews import InterviewList
from tests.support.app import screen_text

SIZE = (120, 40)


def row_texts(app) -> list[str]:
    listing = app.screen.query_one(InterviewList)
    return [listing.render_row(i, 100, False).plain for i in range(listing.count)]


def selected(app):
    return app.selected_row()


async def fill(pilot, form, **values: str) -> None:
    for name, value in values.items():
        form.query_one(f"#{name}", Input).value = value
    await pilot.pause()


async def test_empty_database_welcomes_and_mentions_demo(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Welcome to followup-tui" in text
        assert "--demo" in text
        assert app.screen.has_class("-empty")


async def test_the_daily_flow(make_app, app_store: Store) -> None:
    """Add an interview, see its thank-you due, mark sent, call waiting, hold, undo."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")  # nothing selected: straight to the new-application form
        form = app.screen
        assert isinstance(form, InterviewForm)
        form.query_one("#company", Input).focus()
        await pilot.press(*"Acme Shire Council")
        await fill(pilot, form, role="Senior Planner", starts="yesterday 3pm",
                   interviewers="Priya Shah", round="First round")
        assert "Tue 24 Nov 2026 15:00" in str(form.query_one("#starts-hint").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)

        [stored] = app_store.load_all()
        assert (stored.company, stored.role) == ("Acme Shire Council", "Senior Planner")
        [interview] = stored.interviews
        assert interview.starts_at == "2026-11-24T15:00+11:00"
        assert stored.contacts[0].name == "Priya Shah"
        assert selected(app).state is State.DUE
        assert "DUE" in row_texts(app)[0] and "thank-you" in row_texts(app)[0]
        assert "the thank-you by Wed 25 Nov 16:00" in screen_text(app)

        await pilot.press("s")  # asks when, "now" filled in: enter saves
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        events = app_store.load_all()[0].events
        assert [e.type for e in events] == [EventType.THANK_YOU_SENT]
        assert events[0].at == "2026-11-25T09:00+11:00"
        assert selected(app).state is State.WAITING
        assert "WAITING" in row_texts(app)[0] and "call" in row_texts(app)[0]

        await pilot.press("h")
        await pilot.pause()
        assert [e.type for e in app_store.load_all()[0].events][-1] is EventType.ON_HOLD
        assert selected(app).state is State.SUPPRESSED
        assert "On hold since" in screen_text(app)
        assert "1 suppressed" in screen_text(app)

        await pilot.press("u")
        await pilot.pause()
        assert [e.type for e in app_store.load_all()[0].events] == [EventType.THANK_YOU_SENT]
        assert selected(app).state is State.WAITING

        await pilot.press("h", "h")  # hold, then resume
        await pilot.pause()
        types = [e.type for e in app_store.load_all()[0].events]
        assert types[-2:] == [EventType.ON_HOLD, EventType.RESUMED]
        assert selected(app).state is State.WAITING


async def test_form_faults_are_shown_at_the_field_and_nothing_is_saved(
    make_app, app_store: Store
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        form = app.screen
        await fill(pilot, form, role="Planner", starts="2026-02-30 10:00", duration="0",
                   decision_by="someday")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert form.faults == {
            "company": "A company is required.",
            "starts": "There is no 30 February 2026.",
            "duration": "A duration from 1 to 1440 minutes.",
            "decision_by": form.faults["decision_by"],
        }
        assert "Cannot read 'someday'" in form.faults["decision_by"]
        assert "A company is required." in screen_text(app)
        assert app_store.load_all() == []
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app_store.load_all() == []


async def test_add_interview_to_existing_application_and_edit(make_app, app_store) -> None:
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first = selected(app)
        assert first.application.id == "harbour-city-planner"
        await pilot.press("a")
        assert isinstance(app.screen, type(app.screen))
        app.screen.query_one(OptionList).highlighted = 0
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, InterviewForm)
        assert form.query_one("#company", Input).value == "Harbour City Council"
        await fill(pilot, form, starts="fri 10am", round="Second round")
        await pilot.press("ctrl+s")
        await pilot.pause()
        stored = app_store.load_application("harbour-city-planner")
        assert [iv.id for iv in stored.interviews] == [
            "harbour-city-planner-1", "harbour-city-planner-2"
        ]
        assert stored.interviews[1].starts_at == "2026-11-27T10:00+11:00"
        assert selected(app).key == "harbour-city-planner-2"
        assert selected(app).state is State.WAITING

        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, InterviewForm)
        assert form.query_one("#round", Input).value == "Second round"
        await fill(pilot, form, round="Final panel", role="Principal Planner")
        await pilot.press("ctrl+s")
        await pilot.pause()
        stored = app_store.load_application("harbour-city-planner")
        assert stored.role == "Principal Planner"
        assert stored.interviews[1].round == "Final panel"
        assert stored.interviews[1].starts_at == "2026-11-27T10:00+11:00"
        assert any("Principal Planner · Final panel" in t for t in row_texts(app))

        await pilot.press("d")  # delete the interview, then undo it
        await pilot.pause()
        assert len(app_store.load_application("harbour-city-planner").interviews) == 1
        await pilot.press("u")
        await pilot.pause()
        assert len(app_store.load_application("harbour-city-planner").interviews) == 2


async def test_snooze_skip_and_log(make_app, app_store: Store) -> None:
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert selected(app).key == "harbour-city-planner-1"
        await pilot.press("z")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, SnoozeForm)
        form.query_one(OptionList).focus()
        form.query_one(OptionList).highlighted = 0  # tomorrow
        await pilot.press("enter")
        await pilot.pause()
        events = app_store.load_application("harbour-city-planner").events
        assert (events[-1].type, events[-1].until, events[-1].kind.value) == (
            EventType.SNOOZED, "2026-11-26", "thank_you"
        )
        row = app.review.index["harbour-city-planner-1"]
        assert row.state is State.WAITING
        assert "Snoozed until Thu 26 Nov 00:00" in row.top.reason

        app.selected_key = "lumen-data-engineer-1"
        await pilot.press("x")
        await pilot.pause()
        events = app_store.load_application("lumen-data-engineer").events
        assert events[-1].type is EventType.SKIPPED
        assert app.review.index["lumen-data-engineer-1"].state is State.DONE

        app.selected_key = "copperleaf-pm-1"
        await pilot.press("l")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EventForm)
        form.query_one("#type", Select).value = EventType.REPLY_RECEIVED.value
        await fill(pilot, form, at="today 8am", text="They want references")
        await pilot.press("ctrl+s")
        await pilot.pause()
        event = app_store.load_application("copperleaf-pm").events[-1]
        assert (event.type, event.at, event.text) == (
            EventType.REPLY_RECEIVED, "2026-11-25T08:00+11:00", "They want references"
        )
        assert app.review.index["copperleaf-pm-1"].state is State.DONE


async def test_filters(make_app) -> None:
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await pilot.press(*"orchid")
        await pilot.pause()
        assert all("Orchid Bank" in line for line in row_texts(app))
        assert len(row_texts(app)) == 1  # the done first round is hidden by default
        await pilot.press("enter")
        assert isinstance(app.focused, InterviewList)
        for _ in range(7):  # open -> ... -> all
            await pilot.press("f")
        assert app.screen.state_filter.value == "all"
        assert len(row_texts(app)) == 2
        await pilot.press("escape")
        await pilot.pause()
        assert len(row_texts(app)) == len(app.review.filtered("", app.screen.state_filter))
        assert app.screen.text_filter == ""
        await pilot.press("f", "f")  # needs action, then overdue
        await pilot.pause()
        assert [t.split()[0] for t in row_texts(app)] == ["OVERDUE"]


async def test_time_travel(make_app) -> None:
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "--now: NOT THE REAL NOW" in screen_text(app)
        app.selected_key = "lumen-data-engineer-1"
        assert selected(app).state is State.DUE
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.now.day == 26
        assert "PREVIEW +1 day" in screen_text(app)
        assert "Thu 26 Nov 2026 09:00" in screen_text(app)
        assert selected(app).state is State.OVERDUE
        await pilot.press("left_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert "PREVIEW -1 day" in screen_text(app)
        await pilot.press("equals_sign")
        await pilot.pause()
        assert app.now.day == 25 and app.clock.shift_days == 0
        assert "PREVIEW" not in screen_text(app)


async def test_live_reload_from_another_connection(make_app, app_store: Store) -> None:
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        with Store(app_store.path) as other:
            other.replace_application(
                "zephyr-analyst",
                Application("zephyr-analyst", "Zephyr Labs", "Analyst", interviews=(
                    Interview("zephyr-analyst-1", "2026-11-24T13:00+11:00"),
                )),
            )
        app.poll_data_version()  # what the 1-second timer does
        assert app.reading  # read in a thread: the keys go on working
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.reading
        assert "zephyr-analyst-1" in app.review.index
        await pilot.press("slash", *"zephyr")
        await pilot.pause()
        assert "Zephyr Labs — Analyst" in row_texts(app)[0]


def _spy_reloads(app) -> list[int]:
    reloads: list[int] = []
    real = app.reload

    def spy() -> None:
        reloads.append(1)
        real()

    app.reload = spy
    return reloads


async def test_a_cache_only_commit_by_another_program_reads_nothing(
    make_app, app_store: Store
) -> None:
    """`due` at a shell prompt refreshes the follow-up cache; the open app keeps what it
    holds (it read everything again, on the UI thread, before schema 4)."""
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        reloads = _spy_reloads(app)
        victim = app.review.rows[-1].application_id
        with Store(app_store.path) as other, other.locked() as conn:
            conn.execute("DELETE FROM followup_spans WHERE application_id = ?", (victim,))
        app.poll_data_version()
        assert reloads == [] and not app.reading
        # the app's own change, then a cache write elsewhere: still nothing to read
        await pilot.press("s", "enter")
        await pilot.pause()
        with Store(app_store.path) as other, other.locked() as conn:
            conn.execute("DELETE FROM followup_spans")
        app.poll_data_version()
        assert reloads == []
        # a change to the data by another program is read
        with Store(app_store.path) as other:
            other.delete_application(victim)
        app.poll_data_version()
        assert reloads == [1]
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.review.has_application(victim)


def _hold_builds(monkeypatch) -> threading.Event:
    """Background reads wait, after reading the data, until the event is set; the
    1-second poll is off so only the test starts reads."""
    from followup_tui.tui import session as session_module

    release = threading.Event()
    real = session_module.DataSession._build_everything

    def held(*args, **kwargs):
        built = real(*args, **kwargs)
        release.wait(10)
        return built

    monkeypatch.setattr(session_module.DataSession, "_build_everything", held)
    return release


async def _reload_after_a_foreign_delete(app, app_store: Store) -> str:
    victim = app.review.rows[-1].application_id
    with Store(app_store.path) as other:
        other.delete_application(victim)
    FollowupApp.poll_data_version(app)
    assert app.reading
    return victim


async def test_a_change_made_during_a_reload_is_kept(
    make_app, app_store: Store, monkeypatch, no_poll
) -> None:
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        release = _hold_builds(monkeypatch)
        victim = await _reload_after_a_foreign_delete(app, app_store)
        row = selected(app)
        assert row.pending is not None
        await pilot.press("s", "enter")  # marked after the thread read the data
        await pilot.pause()
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        again = app.review.index[row.key]
        assert again.pending is None or again.pending.kind is not row.pending.kind
        assert not app.review.has_application(victim)
        # and the app's own write does not pass later for another program's change
        reloads = _spy_reloads(app)
        with Store(app_store.path) as other, other.locked() as conn:
            conn.execute("DELETE FROM followup_spans")
        app.poll_data_version()
        assert reloads == []


async def test_a_change_made_while_the_launch_reads_is_no_foreign_change(
    many, make_app, monkeypatch, no_poll
) -> None:
    release = _hold_builds(monkeypatch)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.reading and app.review.partial
        await pilot.press("s", "enter")
        await pilot.pause()
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.review.partial
        reloads = _spy_reloads(app)
        with Store(many.path) as other, other.locked() as conn:
            conn.execute("DELETE FROM followup_spans WHERE rowid % 3 = 0")
        app.poll_data_version()
        assert reloads == []


async def test_a_failed_reload_is_tried_again(make_app, app_store: Store, no_poll) -> None:
    from followup_tui.storage.store import StoreError

    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        real = app._build_everything

        def broken(*args):
            raise StoreError("busy")

        app._build_everything = broken
        victim = await _reload_after_a_foreign_delete(app, app_store)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.reading and app.review.has_application(victim)
        app._build_everything = real
        reloads = _spy_reloads(app)
        app.poll_data_version()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert reloads == [1] and not app.review.has_application(victim)


async def test_user_data_is_shown_literally(make_app, app_store: Store) -> None:
    company = "[b]Acme[/b] [@click=app.quit]x[/]"
    app_store.replace_application(
        "markup", Application("markup", company, "[red]Role[/red]", interviews=(
            Interview("markup-1", "2026-11-24T13:00+11:00", round="[i]r[/i]",
                      topics=("[link=x]t[/link]",)),
        ), events=()),
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "[b]Acme[/b] [@click=app.quit]x[/]" in text
        assert "[red]Role[/red]" in text
        assert "[link=x]t[/link]" in text
        await pilot.click("#detail", offset=(5, 1))
        await pilot.press("2")
        await pilot.pause()
        assert "[b]Acme[/b]" in screen_text(app)
        assert app.is_running


async def test_timeline(make_app) -> None:
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)
        text = screen_text(app)
        assert "━━ now · Wed 25 Nov 09:00" in text
        assert "today" in text
        await pilot.press("k")  # the line before now: the past
        await pilot.pause()
        before = app.screen.query_one("#timeline").cursor
        await pilot.press("n")
        assert app.screen.query_one("#timeline").cursor == before + 1
        app.selected_key = "orchid-risk-2"
        await pilot.press("t")
        await pilot.pause()
        assert "only Orchid Bank — Risk Analyst" in screen_text(app)
        assert "Harbour City" not in screen_text(app)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


async def test_a_large_timeline_is_built_in_a_thread_with_the_same_lines(
    make_app, monkeypatch
) -> None:
    from followup_tui.tui.review import timeline_items, timeline_lines
    from followup_tui.tui.screens import timeline as timeline_module

    monkeypatch.setattr(timeline_module, "TIMELINE_IN_THREAD", 3)  # the demo counts as large
    threads = []
    original = timeline_module.TimelineScreen.run_worker

    def spy(self, work, *args, **kwargs):
        threads.append((kwargs.get("group"), kwargs.get("thread")))
        return original(self, work, *args, **kwargs)

    monkeypatch.setattr(timeline_module.TimelineScreen, "run_worker", spy)
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("2")
        listing = app.screen.query_one("#timeline")
        for _ in range(100):
            if listing.lines:
                break
            await pilot.pause(0.05)
        expected = timeline_lines(
            timeline_items(app.store.load_all(), app.now, app.rules), app.now, app.rules
        )
        assert threads == [("timeline", True)]
        assert listing.lines == expected
        assert "items" in screen_text(app)
        assert "reading…" not in screen_text(app)


async def test_timeline_follows_changes_made_elsewhere(make_app, app_store) -> None:
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("2", "1", "s", "2")  # mark the overdue thank-you sent, then look
        await pilot.pause()
        assert "Thank-you sent" in screen_text(app)


async def test_help_lists_every_key(make_app) -> None:
    from followup_tui.tui.keys import COMMANDS

    app = make_app(demo=True)
    async with app.run_test(size=(140, 60)) as pilot:
        await pilot.pause()
        before = app_store_events(app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for _ in range(40):  # every section: more than a screen, so scroll through it
            await pilot.press("j")
            text += screen_text(app)
        for command in COMMANDS:
            assert command.help in text
        await pilot.press("s")  # app keys do nothing while the panel is open
        assert app_store_events(app) == before
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


def app_store_events(app) -> int:
    return sum(len(a.events) for a in app.store.load_all())


async def test_palette_carries_the_app_commands(make_app) -> None:
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Review", "Timeline", "Done", "Snooze", "Undo", "Filter", "Help"} <= titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Timeline")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)
        # each view offers its own commands (screens say which are theirs)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"All/one", "Now"} <= titles and "Filter" not in titles


async def test_theme_is_remembered(make_app, isolated_config_dir) -> None:
    from followup_tui.settings.config import load_config

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.theme = "nord"
        await pilot.pause()
    assert load_config().theme == "nord"


async def test_small_terminals_do_not_crash(make_app) -> None:
    app = make_app(demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "OVERDUE" in screen_text(app)
        for size in [(50, 12), (20, 5), (8, 3), (80, 24)]:
            await pilot.resize_terminal(*size)
            await pilot.press("j", "k", "2", "1", "question_mark", "escape", "a", "escape")
            await pilot.pause()
        assert app.is_running


async def test_compose_then_mark_sent_logs_through_the_app(make_app, app_store) -> None:
    from followup_tui.tui.screens.compose import ComposeScreen

    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert selected(app).key == "harbour-city-planner-1"
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ComposeScreen)
        app.screen.dismiss(True)  # what its "mark sent" does
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        events = app_store.load_application("harbour-city-planner").events
        assert (events[-1].type, events[-1].interview) == (
            EventType.THANK_YOU_SENT, "harbour-city-planner-1"
        )
        assert app.review.index["harbour-city-planner-1"].pending.kind.value == "call"
        await pilot.press("u")
        await pilot.pause()
        assert app.review.index["harbour-city-planner-1"].state is State.OVERDUE


async def test_undo_never_erases_what_another_program_wrote(make_app, app_store: Store) -> None:
    """s, then an import in another terminal adds a reply, then u: the reply must survive."""
    from followup_tui.domain.model import Event

    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        row = selected(app)
        app_id = row.application.id
        await pilot.press("s", "enter")
        await pilot.pause()
        with Store(app_store.path) as other:
            other.add_event(app_id, Event("2026-11-25T08:30", EventType.REPLY_RECEIVED))
        await pilot.press("u")
        await pilot.pause()
        types = [e.type for e in app_store.load_application(app_id).events]
        assert EventType.REPLY_RECEIVED in types
        # the change itself stays too: undoing it would have needed the reply erased
        assert EventType.THANK_YOU_SENT in types or EventType.CALL_MADE in types
        assert not app.undo_stack


async def test_undo_restores_when_nothing_else_changed(make_app, app_store: Store) -> None:
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app_id = selected(app).application.id
        before = app_store.load_application(app_id)
        await pilot.press("s", "enter")
        await pilot.pause()
        assert app_store.load_application(app_id) != before
        await pilot.press("u")
        await pilot.pause()
        assert app_store.load_application(app_id) == before


async def test_an_unknown_theme_in_the_config_is_reported(make_app) -> None:
    from followup_tui.settings.config import Config

    app = make_app(config=Config(theme="no-such-theme"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert any("no theme 'no-such-theme'" in n.message for n in app._notifications)


async def test_delete_interview_and_application_then_undo_both(make_app, app_store: Store) -> None:
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        row = selected(app)
        app_id, interview_id = row.application.id, row.interview.id
        whole = app_store.load_application(app_id)
        await pilot.press("d")
        await pilot.pause()
        assert app_store.load_application(app_id).interview(interview_id) is None
        assert interview_id not in app.review.index
        await pilot.press("u")
        await pilot.pause()
        assert app_store.load_application(app_id) == whole
        assert interview_id in app.review.index
        app.selected_key = interview_id
        await pilot.press("D")
        await pilot.pause()
        assert app_store.load_application(app_id) is None
        assert all(r.application_id != app_id for r in app.review.rows)
        await pilot.press("u")
        await pilot.pause()
        assert app_store.load_application(app_id) == whole


async def test_the_remembered_theme_is_on_from_the_first_frame(make_app, monkeypatch) -> None:
    """Set before Textual builds its stylesheet: no second parse of every stylesheet."""
    from textual.app import App
    from textual.color import Color
    from textual.theme import BUILTIN_THEMES

    from followup_tui.settings.config import Config

    parsed_again = []
    original = App.refresh_css

    def spy(self, *args, **kwargs):
        parsed_again.append(self.theme)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(App, "refresh_css", spy)
    app = make_app(demo=True, config=Config(theme="textual-light"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "textual-light"
        assert "-light-mode" in app.classes and "-dark-mode" not in app.classes
        light = Color.parse(BUILTIN_THEMES["textual-light"].background)
        assert app.screen.styles.background == light
        assert parsed_again == []
        app.theme = "nord"  # a change is still a change
        await pilot.pause()
        assert parsed_again and app.screen.styles.background == Color.parse(
            BUILTIN_THEMES["nord"].background
        )


async def test_without_its_generation_row_any_commit_is_read(
    make_app, app_store: Store, no_poll
) -> None:
    """A file whose counter row was deleted by hand: the app falls back to reading
    everything again after any commit by another program (it never shows stale data)."""
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        with Store(app_store.path) as other, other.locked() as conn:
            conn.execute("DELETE FROM data_generation")
        assert app.store.data_generation() is None
        reloads = _spy_reloads(app)
        app.poll_data_version()
        await app.workers.wait_for_complete()
        assert reloads == [1]


_FOREIGN_SAVE = (
    "import sys; from pathlib import Path; from followup_tui.storage.store import Store; "
    "from followup_tui.domain.model import Application; "
    "Store(Path(sys.argv[1])).save_application(Application(sys.argv[2], 'Elsewhere', 'Role'))"
)


async def test_every_change_by_another_program_is_read_one_after_another(
    make_app, app_store: Store
) -> None:
    """Real timers, a real second process each time, the daily backup thread on: each
    change shows (a Store opened by a thread once dropped the app's file locks, and the
    second program's exit then deleted the write-ahead log under the app)."""
    import asyncio
    import subprocess
    import sys

    app = make_app(demo=True, poll_seconds=0.1, daily_backup=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        for n in range(3):
            name = f"elsewhere-{n}"
            subprocess.run([sys.executable, "-c", _FOREIGN_SAVE, str(app_store.path), name],
                           check=True)
            for _ in range(100):
                await asyncio.sleep(0.05)
                if not app.reading and app.review.has_application(name):
                    break
            assert app.review.has_application(name), n


async def test_the_clock_moves_the_states_every_minute(make_app, no_poll) -> None:
    """Unpinned, the app decides again once a minute has passed (whatever the size:
    only what the minute moved is decided), and not before."""
    from datetime import timedelta

    app = make_app(demo=True, pinned=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        rebuilt: list[object] = []
        real = app.rebuild
        app.rebuild = lambda: (rebuilt.append(app.now), real())
        app.now = app.review.now = app.clock.now()
        app.tick()
        assert rebuilt == []  # the same minute
        app.now -= timedelta(minutes=2)
        app.review.now = app.now
        app.tick()
        assert len(rebuilt) == 1
        assert app.review.now == app.now and app.now > rebuilt[0]


async def test_an_own_write_brings_the_list_to_the_real_now(
    make_app, app_store: Store, no_poll
) -> None:
    """A change is stamped with the real time: a list still a minute behind would show
    it as "after now" until the clock's next look. The write moves the list first."""
    from datetime import timedelta

    from followup_tui.domain.model import Event, EventType

    app = make_app(demo=True, pinned=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        app.now -= timedelta(minutes=3)
        app.review.now = app.now
        app_id = app.selected_row().application.id
        note = Event(app.now_text(), EventType.NOTE, text="just now")
        app.change(app_id, "Logged a note", lambda: app_store.add_event(app_id, note))
        await pilot.pause()
        assert app.clock.now() - app.now < timedelta(minutes=1)
        assert app.review.now == app.now


async def test_moving_now_while_another_program_writes_does_not_wait(
    make_app, app_store: Store, no_poll
) -> None:
    """`]` (or the clock) while an import elsewhere holds the file: the cache is not
    waited for (15 s); what went stale is decided here, and the rows are right."""
    import time

    from followup_tui.tui.review import Review

    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        def as_built() -> None:
            built = Review.build(app.store.load_all(), app.now, app.rules)
            assert app.review.now == app.now
            assert [(r.key, r.state) for r in app.review.rows] == [
                (r.key, r.state) for r in built.rows
            ]
            assert app.review.counts == built.counts

        with Store(app_store.path) as other, other.locked():
            for key in ("right_square_bracket", "right_square_bracket", "left_square_bracket"):
                started = time.monotonic()
                await pilot.press(key)
                await pilot.pause()
                assert time.monotonic() - started < 5
                as_built()
        busy = app.store.conn.execute("PRAGMA busy_timeout").fetchone()[0]
        assert busy == 15_000  # the store's own patience is back
        await pilot.press("right_square_bracket")  # the cache is written again
        await pilot.pause()
        as_built()


async def test_a_long_jump_is_decided_in_a_thread(
    make_app, app_store: Store, monkeypatch, no_poll
) -> None:
    """More applications to decide than MOVE_HERE (a jump of weeks at 10,000): read
    again in a thread, the keys answered meanwhile; the result is a build's."""
    from followup_tui.tui import session as session_module
    from followup_tui.tui.review import Review

    monkeypatch.setattr(session_module, "MOVE_HERE", 0)
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        reloads = _spy_reloads(app)
        await pilot.press(*["right_square_bracket"] * 3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert reloads and not app.reading
        built = Review.build(app.store.load_all(), app.now, app.rules)
        assert app.review.now == app.now
        assert [(r.key, r.state) for r in app.review.rows] == [
            (r.key, r.state) for r in built.rows
        ]
