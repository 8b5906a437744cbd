"""A large database opens with the most urgent rows first, then everything (read in a thread)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from followup_tui.domain.model import Rules, State
from followup_tui.storage.store import Store
from followup_tui.tui import opening as opening_module
from followup_tui.tui.review import Review, StateFilter
from tests.support.app import APP_NOW, APP_TZ


async def _wait_full(app, pilot) -> None:
    for _ in range(200):
        if app.review is not None and not app.review.partial:
            return
        await pilot.pause(0.05)
    raise AssertionError("the full review never arrived")


@pytest.fixture
def openings(monkeypatch):
    """Every first read the app takes, as it took it."""
    from followup_tui.tui import session as session_module

    taken = []

    def spy(*args):
        opening = opening_module.read_opening(*args)
        taken.append(opening)
        return opening

    monkeypatch.setattr(session_module, "read_opening", spy)
    return taken


async def test_first_page_then_everything_equal_to_building_afresh(
    many, make_app, openings
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _wait_full(app, pilot)
        await pilot.pause()
        import gc

        assert gc.isenabled()  # off only while the thread builds, never left off
        fresh = Review.build(many.load_all(), app.now, app.rules)
        assert [row.key for row in app.review.rows] == [row.key for row in fresh.rows]
        assert app.review.counts == fresh.counts
    (first,) = openings
    assert first.partial
    assert 0 < len(first.rows) < len(fresh.rows)
    # the header counts are whole from the start
    assert first.counts == fresh.counts
    assert fresh.counts[State.DUE] + fresh.counts[State.OVERDUE] > 0


async def test_the_first_rows_are_exactly_the_lists_first_rows(many, make_app, openings) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _wait_full(app, pilot)
        firsts = [row.key for row in openings[0].rows]
        listed = app.review.filtered("", StateFilter.OPEN)
        assert 0 < len(firsts) < len(listed)
        assert firsts == [row.key for row in listed[: len(firsts)]]


async def test_the_first_frame_shows_data(many, make_app, monkeypatch) -> None:
    """The first read is taken before the screen is composed: no empty frame first."""
    from followup_tui.tui.screens.main import ReviewScreen

    app = make_app()
    seen = []
    original = ReviewScreen.refresh_data

    def spy(screen: ReviewScreen) -> None:
        seen.append(app.review is not None and len(app.review.rows) > 0)
        original(screen)

    monkeypatch.setattr(ReviewScreen, "refresh_data", spy)
    async with app.run_test(size=(120, 40)) as pilot:
        await _wait_full(app, pilot)
    assert seen and seen[0] is True


async def test_a_change_made_while_loading_survives_the_full_load(many, make_app) -> None:
    app = make_app()
    original = app.load_everything
    marked = {}

    def slow_load(*args) -> None:
        # the user acts on the first page before the thread has read everything
        app.call_from_thread(lambda: marked.update(key=_mark_first(app)))
        original(*args)

    app.load_everything = slow_load
    async with app.run_test(size=(120, 40)) as pilot:
        await _wait_full(app, pilot)
        await pilot.pause()
        row = app.review.index[marked["key"]]
        assert all(f.state is not State.OVERDUE for f in row.follow_ups[:1]) or row.pending is None
        stored = many.load_application(row.application.id)
        fresh = Review.build([stored], app.now, app.rules)
        assert fresh.line(marked["key"]).state == app.review.line(marked["key"]).state
        assert app.review.line(marked["key"]).state == (row.follow_ups[0].state
                                                        if row.follow_ups else None)


def _mark_first(app) -> str:
    row = app.review.index[app.review.rows[0].key]
    follow_up = row.pending
    app.log_done(row.application.id, row.interview.id, follow_up.kind)
    return row.key


async def test_opening_the_app_makes_the_daily_backup(app_store) -> None:
    from followup_tui.domain.model import Rules
    from followup_tui.interchange.demo import populate
    from followup_tui.settings.clock import Clock
    from followup_tui.settings.config import Config
    from followup_tui.tui import make_app

    populate(app_store, APP_NOW, APP_TZ)
    app = make_app(app_store, Clock(APP_TZ, APP_NOW), Rules(APP_TZ), Config())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
    (copy,) = app_store.backup_dir.glob("followup-*-daily.db")
    with Store(copy) as restored:
        assert restored.count_applications() == app_store.count_applications()


async def test_a_cold_cache_is_warmed_in_a_thread_then_everything_shows(
    many, make_app, monkeypatch
) -> None:
    monkeypatch.setattr(opening_module, "DECIDE_BEFORE_FIRST_FRAME", 5)  # 120 are many
    many.conn.execute("DELETE FROM followup_spans")  # as after a big import or an upgrade
    many.conn.commit()
    app = make_app()
    warmed = []
    original = app._warm_cache

    def spy(*args) -> None:
        warmed.append(app.review)  # nothing shown yet while the thread decides
        original(*args)

    app._warm_cache = spy
    async with app.run_test(size=(120, 40)) as pilot:
        await _wait_full(app, pilot)
        await pilot.pause()
        assert warmed == [None]
        fresh = Review.build(many.load_all(), app.now, app.rules)
        assert [row.key for row in app.review.rows] == [row.key for row in fresh.rows]
        assert app.review.counts == fresh.counts
        # the thread's cache writes are not taken for another program's change
        installed = app.review
        await pilot.pause(app.poll_seconds * 2.5)
        assert app.review is installed
        assert not any("changed by another program" in n.message for n in app._notifications)


def test_the_first_page_holds_a_screenful_of_a_tall_terminal() -> None:
    assert opening_module.first_page_size(24) == opening_module.FIRST_PAGE
    assert opening_module.first_page_size(90) == 90  # a screenful


@pytest.fixture
def launch_gc():
    """As the command line launches the app: the collector off until the data is in."""
    import gc

    gc.disable()
    yield
    gc.enable()


async def test_the_collector_is_back_on_after_a_launch(many, make_app, launch_gc) -> None:
    import gc

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _wait_full(app, pilot)
        assert gc.isenabled()


@pytest.mark.parametrize("failing", ["reading", "opening its connection"])
async def test_a_failed_background_read_is_reported_not_a_crash(
    many, make_app, monkeypatch, launch_gc, failing
) -> None:
    """The first page stays, the fault is said, and the collector is on again."""
    import gc

    from followup_tui.storage.store import StoreError
    from followup_tui.tui import session as session_module

    def broken(*args, **kwargs):
        raise StoreError("f.db: the database is damaged or unreadable (test)")

    app = make_app()
    if failing == "reading":
        monkeypatch.setattr(Store, "batches", broken)
    else:  # the thread's own connection cannot be opened
        monkeypatch.setattr(session_module, "Store", broken)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):
            if any("damaged" in n.message for n in app._notifications):
                break
            await pilot.pause(0.05)
        assert any("damaged" in n.message for n in app._notifications)
        assert app.review is not None and app.review.partial
        assert gc.isenabled()


async def test_a_preview_asked_for_while_everything_is_read_is_decided_for_its_day(
    many, make_app
) -> None:
    """`]` pressed while the thread reads: the full review is decided for the new now."""
    import threading

    app = make_app()
    original = app.load_everything
    go = threading.Event()

    def held(*args) -> None:
        go.wait(5)  # the key is pressed while the thread has not read anything yet
        original(*args)

    app.load_everything = held
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("right_square_bracket")
        go.set()
        await _wait_full(app, pilot)
        await pilot.pause(0.2)
        fresh = Review.build(many.load_all(), app.now, app.rules)
        assert app.review.now == app.now == APP_NOW + timedelta(days=1)
        assert [(r.key, r.state) for r in app.review.rows] == [
            (r.key, r.state) for r in fresh.rows
        ]
        assert app.review.counts == fresh.counts


async def test_a_database_another_program_is_writing_opens_at_once(
    many, make_app, monkeypatch
) -> None:
    """The first read does not wait the store's 15 s for a lock held elsewhere: it shows
    "Loading…" and warms the cache in a thread, which waits instead."""
    import time

    # some applications stale, so the first read would have to write the cache
    with Store(many.path) as other:
        other.conn.execute("DELETE FROM followup_spans WHERE rowid % 7 = 0")
        other.conn.commit()
    holder = Store(many.path)
    holder.conn.execute("BEGIN IMMEDIATE")
    app = make_app()
    started = time.perf_counter()
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert time.perf_counter() - started < 5
            assert app.review is None  # "Loading…", keys answered
            holder.conn.execute("COMMIT")
            await _wait_full(app, pilot)
            fresh = Review.build(many.load_all(), app.now, app.rules)
            assert [r.key for r in app.review.rows] == [r.key for r in fresh.rows]
    finally:
        if holder.conn.in_transaction:
            holder.conn.execute("ROLLBACK")
        holder.close()


def test_a_change_before_everything_is_read_keeps_the_counts_whole(many) -> None:
    """A partial review counts rows it does not list; changing one of their
    applications must not count them twice."""
    from followup_tui.storage import cache as cache_module

    rules = Rules(APP_TZ)
    cache_module.refresh(many, APP_NOW, rules, cache_module.stamp(rules, ""))
    first = opening_module.first_review(many, APP_NOW, rules, 10)
    assert first.partial
    for app_id in first.application_ids()[:5]:
        first.replace_application(app_id, many.load_application(app_id), rules)
    fresh = Review.build(many.load_all(), APP_NOW, rules)
    assert first.counts == fresh.counts
    listed = fresh.filtered("", StateFilter.OPEN)
    assert [r.key for r in first.rows] == [r.key for r in listed[: len(first.rows)]]
