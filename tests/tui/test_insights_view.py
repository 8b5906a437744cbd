"""The Insights view (`4`, SPEC §9) and the ghosted label in Review, driven by Pilot
on a real database: the figures are `stats`' at the app's now, they move with `[`
and `]` and with changes, and user data stays inert."""

from __future__ import annotations

from textual.theme import BUILTIN_THEMES

from followup_tui.domain.insights import stats, weekly_activity
from followup_tui.domain.model import Application, Event, EventType, Interview
from followup_tui.storage.store import Store
from followup_tui.tui.screens import insights as insights_module
from followup_tui.tui.screens.insights import InsightsScreen
from followup_tui.tui.screens.main import ReviewScreen
from followup_tui.tui.widgets.interviews import InterviewList
from tests.support.app import screen_text

SIZE = (120, 40)
GHOST = "sable-designer"


async def shown(pilot) -> InsightsScreen:
    """The Insights screen once its figures are drawn (a thread may compute them)."""
    app = pilot.app
    for _ in range(200):
        await pilot.pause()
        screen = app.screen
        if (isinstance(screen, InsightsScreen) and screen.insight is not None
                and screen.insight.now == app.now and not screen.stale):
            await app.workers.wait_for_complete()
            await pilot.pause()
            return screen
        await pilot.pause(0.02)
    raise AssertionError("the Insights view never showed its figures")


def detail_text(app) -> str:
    return app.screen.query_one("#detail-body").content.plain


def expected(app, store: Store):
    apps = store.load_all()
    return stats(apps, app.now, app.rules), weekly_activity(apps, app.now, app.rules, 12)


async def test_insights_draw_stats_at_the_app_s_now_and_move_with_it(make_app, app_store):
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        screen = await shown(pilot)
        figures, weeks = expected(app, app_store)
        assert screen.insight.stats == figures and screen.insight.weeks == weeks
        text = screen_text(app)
        for words in ("Funnel", "Second interview", "Response rate", "Thank-yous on time",
                      "Median days to a response, by company", "Orchid Bank",
                      "Sable Studio — Junior Designer", "ten business days of silence",
                      "Activity per week", "w48", "Insights"):
            assert words in text, words
        assert "█" in text  # the funnel is drawn, not only listed

        for _ in range(10):
            await pilot.press("left_square_bracket")
        screen = await shown(pilot)
        assert app.now.day == 15
        figures, weeks = expected(app, app_store)
        assert screen.insight.stats == figures and screen.insight.weeks == weeks
        assert figures.ghosted == ()
        assert "None: every call has had an answer" in screen_text(app)
        assert "Sun 15 Nov" in screen_text(app)

        await pilot.press("equals_sign")
        screen = await shown(pilot)
        assert [g.application for g in screen.insight.stats.ghosted] == [GHOST]


async def test_insights_follow_a_change_and_come_back_fresh(make_app, app_store):
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await shown(pilot)
        await pilot.press("1")
        await pilot.pause()
        # a reply to the ghosted application, recorded through the app while out of sight
        app.change(GHOST, "Logged: reply",
                   lambda: app_store.add_event(GHOST, Event(app.now_text(),
                                                            EventType.REPLY_RECEIVED)))
        await pilot.pause()
        await pilot.press("4")
        screen = await shown(pilot)
        assert screen.insight.stats.ghosted == ()
        assert screen.insight.stats == expected(app, app_store)[0]


async def test_a_large_search_is_computed_in_a_thread(make_app, app_store, monkeypatch):
    monkeypatch.setattr(insights_module, "INSIGHTS_IN_THREAD", 3)  # the demo counts as large
    seen: list[str] = []
    original = InsightsScreen._show

    def spy(self, asked, insight):
        seen.append(str(self.query_one("#insights-scope").render()))
        return original(self, asked, insight)

    monkeypatch.setattr(InsightsScreen, "_show", spy)
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        screen = await shown(pilot)
        assert seen and "Computing…" in seen[0]
        assert screen.insight.stats == expected(app, app_store)[0]
        assert "Computing…" not in screen_text(app)


async def test_company_names_are_inert_in_insights(make_app, app_store: Store) -> None:
    company = "[b]Acme[/b] [@click=app.quit]x[/] \x1b[31m"
    app_store.replace_application(
        "markup", Application("markup", company, "[red]Role[/red]", interviews=(
            Interview("markup-1", "2026-11-02T10:00+11:00", duration_minutes=60),
        ), events=(
            Event("2026-11-02T15:00+11:00", EventType.THANK_YOU_SENT, "markup-1"),
            Event("2026-11-04T10:00+11:00", EventType.CALL_MADE, "markup-1"),
            Event("2026-11-05T10:00+11:00", EventType.REPLY_RECEIVED),
        )),
    )
    app_store.replace_application(
        "ghost", Application("ghost", "[i]Ghost[/i]", "Analyst", interviews=(
            Interview("ghost-1", "2026-11-02T10:00+11:00", duration_minutes=60),
        ), events=(
            Event("2026-11-02T15:00+11:00", EventType.THANK_YOU_SENT, "ghost-1"),
            Event("2026-11-04T10:00+11:00", EventType.CALL_MADE, "ghost-1"),
        )),
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await shown(pilot)
        text = screen_text(app)
        assert "[b]Acme[/b] [@click=app.quit]x[/]" in text  # the response-times table
        assert "\x1b" not in text
        assert "[i]Ghost[/i] — Analyst" in text
        assert app.is_running


async def test_readable_at_80x24_in_every_built_in_theme(make_app) -> None:
    app = make_app(demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await shown(pilot)
        for theme in BUILTIN_THEMES:
            app.theme = theme
            await pilot.pause()
            text = screen_text(app)
            assert "Applied" in text and "Response rate" in text, theme
        # the figures' sentences wrap at 80 columns between words, never inside one
        words = set(text.replace("│", " ").split())
        for sentence in ("4 of 13 interviewed applications heard back after an interview",
                         "from the first interview's end to the employer's first word",
                         "12 of 13 sent within the window"):
            assert set(sentence.split()) <= words, sentence
        # scrolls to the end: the week labels and the note are reachable
        await pilot.press(*"j" * 30)
        await pilot.pause()
        text = screen_text(app)
        assert "w48" in text and "counted up to now." in text
        words = set(text.replace("│", " ").split())
        assert {"ten", "business", "days", "silence"} <= words  # the reason, wrapped whole
        for size in [(60, 20), (40, 12), (20, 5), (8, 3), (80, 24)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
        assert app.is_running


async def test_review_labels_a_ghosted_application(make_app) -> None:
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"f" * 6)  # the state filter: done (the ghost's follow-ups are)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        listing = screen.query_one(InterviewList)
        rows = {row.application_id: listing.render_row(i, 100, False).plain
                for i, row in enumerate(screen.rows)}
        assert "ghosted" in rows[GHOST].split()  # the dim tag, before the row's date
        assert all("ghosted" not in text for app_id, text in rows.items() if app_id != GHOST)
        index = next(i for i, row in enumerate(screen.rows) if row.application_id == GHOST)
        listing.move_to(index)
        await pilot.pause(0.2)
        text = detail_text(app)
        assert "Ghosted  No word from the employer since your call on Wed 11 Nov" in text
        assert "After a call and ten business days of silence it is fair to move on" in text
        assert "fair to move on" in " ".join(screen_text(app).split())  # and on screen
        await pilot.press(*"[" * 10)  # ten days back: not yet ghosted
        await pilot.pause(0.2)
        assert app.selected_row().application.id == GHOST
        assert "ghosted" not in listing.render_row(listing.cursor, 100, False).plain
        assert "Sable Studio" in detail_text(app) and "Ghosted" not in detail_text(app)


async def test_applied_on_in_the_new_application_form(make_app, app_store: Store) -> None:
    from textual.widgets import Input

    from followup_tui.tui.screens.forms import InterviewForm

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")  # nothing selected: the new-application form
        form = app.screen
        assert isinstance(form, InterviewForm)
        for name, value in {"company": "Acme", "role": "Planner",
                            "applied_on": "next fri"}.items():
            form.query_one(f"#{name}", Input).value = value
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and "is in the future" in form.faults["applied_on"]
        assert app_store.load_all() == []
        form.query_one("#applied_on", Input).value = "mon"  # past mode: the last Monday
        await pilot.pause()
        assert "Mon 23 Nov" in str(form.query_one("#applied_on-hint").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        (saved,) = app_store.load_all()
        assert saved.applied_on == "2026-11-23"
        await pilot.pause(0.2)
        assert "Applied   Mon 23 Nov" in detail_text(app)
        # editing keeps it (the form shows it, and saves what it shows)
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#applied_on", Input).value == "2026-11-23"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app_store.load_all()[0].applied_on == "2026-11-23"


async def test_an_empty_search_shows_its_zeros(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        screen = await shown(pilot)
        assert screen.insight.stats.applications == 0
        text = screen_text(app)
        assert "0 applications" in text and "Response rate" in text and "—" in text
        await pilot.press(*"j" * 20)
        await pilot.pause()
        assert "No answers yet." in screen_text(app) or "None:" in screen_text(app)
        assert "0 actions in 12 weeks" in screen_text(app)


def test_figures_added_up_a_batch_at_a_time_are_the_whole_search_s() -> None:
    """The view reads a large database a batch at a time (a few MiB, not every
    application at once): however the applications are cut, the figures and the weekly
    activity are those of `stats` and `weekly_activity` over all of them."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from followup_tui.domain.model import Rules
    from followup_tui.interchange.demo import sample_applications

    tz = ZoneInfo("Australia/Sydney")
    now = datetime(2026, 11, 25, 9, 0, tzinfo=tz)
    rules = Rules(tz)
    apps = sample_applications(now, tz)
    whole = insights_module.compute([apps], now, rules)
    assert whole.stats == stats(apps, now, rules)
    assert whole.weeks == weekly_activity(apps, now, rules, insights_module.WEEKS)
    for size in (1, 2, 7):
        batches = [apps[start:start + size] for start in range(0, len(apps), size)]
        assert insights_module.compute(batches, now, rules) == whole, size
    assert insights_module.compute([], now, rules).stats.applications == 0
