"""A failed write is news, not a crash; and every write of the app runs the on-event hook.

Real second writers: another process holding the database, a real tmpfs filled to
the last byte, SQLite's own read-only refusal, real shell-script hooks.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from followup_tui.domain.model import EventType, Rules
from followup_tui.settings.clock import Clock
from followup_tui.settings.config import Config
from followup_tui.storage.store import Store
from tests.support.app import APP_NOW, APP_TZ
from tests.support.reliability import integrity, tiny_filesystem

SIZE = (120, 40)

#: Holds the database with BEGIN EXCLUSIVE until a line arrives on stdin (or 20 s pass).
HOLD = r"""
import select, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=20)
conn.execute("BEGIN EXCLUSIVE")
print("held", flush=True)
select.select([sys.stdin], [], [], 20)
conn.execute("COMMIT")
"""


@contextmanager
def holding(path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the database (HOLD) until told to let go."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield holder
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def events_of(path: Path, app_id: str) -> list[EventType]:
    with Store(path) as store:
        found = store.load_application(app_id)
        return [e.type for e in found.events] if found else []


async def settle(pilot, done, tries: int = 200) -> None:
    """Let the app run until `done()` (bounded: a test never hangs on a broken app)."""
    for _ in range(tries):
        if done():
            return
        await pilot.pause(0.05)


async def test_a_held_database_never_freezes_the_keys(make_app, app_store: Store) -> None:
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app_id = app.selected_row().application.id
        before = events_of(app_store.path, app_id)
        with holding(app_store.path) as holder:
            await pilot.press("s", "enter")
            await settle(pilot, lambda: any("waiting for another program" in n
                                            for n in notices(app)))
            assert any("waiting for another program" in n for n in notices(app))
            assert app.write_waiting
            # the keys go on working: another key is answered at once
            key = app.selected_key
            await pilot.press("j")
            await pilot.pause()
            assert app.selected_key != key
            await pilot.press("k")
            await pilot.pause()
            # escape cancels the wait: nothing written, nothing waiting
            await pilot.press("escape")
            await pilot.pause()
            assert not app.write_waiting
            assert any(n.startswith("Cancelled:") for n in notices(app))
            assert not any("waiting for another program" in n for n in notices(app))
            # tried again while still held: it waits, then goes through once released
            await pilot.press("s", "enter")
            await settle(pilot, lambda: app.write_waiting)
            assert app.write_waiting
            assert events_of(app_store.path, app_id) == before
            holder.stdin.write("release\n")
            holder.stdin.flush()
            assert holder.wait(timeout=30) == 0
            await settle(pilot, lambda: not app.write_waiting)
            assert not app.write_waiting
            assert len(events_of(app_store.path, app_id)) == len(before) + 1
            assert app.undo_stack  # a normal change: u undoes it


async def test_quitting_while_a_change_waits_for_a_lock_asks_first(
    make_app, app_store: Store
) -> None:
    """Found by hand: q while a change waited for another program's lock quit at once,
    and the change was lost without a word. The first q says what is not saved yet;
    meanwhile the change goes through once the database is free; a second q quits."""
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app_id = app.selected_row().application.id
        before = events_of(app_store.path, app_id)
        with holding(app_store.path) as holder:
            await pilot.press("s", "enter")
            await settle(pilot, lambda: app.write_waiting)
            await pilot.press("q")
            await pilot.pause()
            assert app.is_running  # not quit: asked first
            assert any(n.startswith("Not saved yet: Thank-you sent") for n in notices(app))
            holder.stdin.write("release\n")
            holder.stdin.flush()
            assert holder.wait(timeout=30) == 0
            await settle(pilot, lambda: not app.write_waiting)
            assert len(events_of(app_store.path, app_id)) == len(before) + 1
            await pilot.press("q")
            await pilot.pause()
            assert not app.is_running


async def test_quitting_with_nothing_waiting_quits_at_once(make_app) -> None:
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_a_read_only_database_is_reported_and_the_keys_keep_working(
    make_app, app_store: Store
) -> None:
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app_id = app.selected_row().application.id
        before = events_of(app_store.path, app_id)
        app.store.conn.execute("PRAGMA query_only = 1")  # SQLite refuses every write
        await pilot.press("s", "enter")
        await pilot.pause()
        assert any("read-only" in n and "not saved" in n for n in notices(app)), notices(app)
        assert events_of(app_store.path, app_id) == before
        assert not app.undo_stack
        await pilot.press("h")  # another write: reported too, no crash
        await pilot.pause()
        assert app.is_running
        app.store.conn.execute("PRAGMA query_only = 0")
        await pilot.press("s", "enter")
        await pilot.pause()
        assert len(events_of(app_store.path, app_id)) == len(before) + 1


async def test_a_full_disk_is_reported_and_nothing_is_half_written(tmp_path: Path) -> None:
    from followup_tui.interchange.demo import populate
    from followup_tui.tui import make_app

    with tiny_filesystem(tmp_path / "tiny", "600k") as where:
        path = where / "followup.db"
        with Store(path) as store:
            populate(store, APP_NOW, APP_TZ)
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            app = make_app(store, Clock(APP_TZ, APP_NOW), Rules(APP_TZ), Config(),
                           daily_backup=False)
            async with app.run_test(size=SIZE) as pilot:
                await pilot.pause()
                app_id = app.selected_row().application.id
                before = events_of(path, app_id)
                filler = where / "filler"
                with filler.open("wb", buffering=0) as handle:
                    try:
                        while True:
                            handle.write(b"\0" * 4096)
                    except OSError:
                        pass  # the filesystem is full to the last block
                await pilot.press("s", "enter")
                await pilot.pause()
                assert any("disk is full" in n for n in notices(app)), notices(app)
                assert events_of(path, app_id) == before
                await pilot.press("j")  # the keys work
                await pilot.pause()
                await pilot.press("k")
                filler.unlink()
                await pilot.press("s", "enter")
                await pilot.pause()
                assert len(events_of(path, app_id)) == len(before) + 1
            assert integrity(path) == "ok"


def write_hook(folder: Path, name: str, body: str, *, executable: bool = True) -> Path:
    hooks = folder / "hooks"
    hooks.mkdir(exist_ok=True)
    hook = hooks / name
    hook.write_text("#!/bin/sh\n" + body)
    hook.chmod(0o755 if executable else 0o644)
    return hook


async def test_each_write_runs_the_on_event_hook(
    make_app, app_store: Store, isolated_config_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "hook-out.jsonl"
    write_hook(isolated_config_dir, "on-event", f'cat >> "{out}"\n')
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        row = app.selected_row()
        await pilot.press("s", "enter")
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert app.hooks.wait(20)
    [sent, held] = [json.loads(line) for line in out.read_text().splitlines()]
    assert (sent["application"], sent["type"], sent["source"]) == (
        row.application.id, "thank_you_sent", "app"
    )
    assert sent["company"] == row.application.company
    assert held["type"] == "on_hold"
    assert isinstance(sent["id"], int)


async def test_a_failing_or_hanging_hook_is_reported_once_and_loses_nothing(
    make_app, app_store: Store, isolated_config_dir: Path
) -> None:
    write_hook(isolated_config_dir, "on-event-1-fails", "cat >/dev/null; echo boom >&2; exit 3\n")
    write_hook(isolated_config_dir, "on-event-2-hangs", "sleep 30\n")
    write_hook(isolated_config_dir, "on-event-3-plain", "true\n", executable=False)
    app = make_app(demo=True)
    app.hooks.timeout = 1
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app_id = app.selected_row().application.id
        before = events_of(app_store.path, app_id)
        await pilot.press("s", "enter")
        await pilot.pause()
        # committed before any hook ran, and the keys are answered meanwhile
        assert len(events_of(app_store.path, app_id)) == len(before) + 1
        await pilot.press("h", "h")
        await pilot.pause()
        assert len(events_of(app_store.path, app_id)) == len(before) + 3
        await settle(pilot, lambda: app.hooks.wait(0))
        await pilot.pause()
        said = [n for n in notices(app) if "hook" in n]
        assert sum("failed (exit status 3)" in n for n in said) == 1, said
        assert sum("stopped after 1 s" in n for n in said) == 1, said
        assert sum("not executable" in n for n in said) == 1, said
        await pilot.press("u")
        await pilot.pause()
        assert len(events_of(app_store.path, app_id)) == len(before) + 2
    # the app closed its runner as it exited: nothing more is started
    assert app.hooks._closed


async def test_a_write_refused_for_any_reason_never_stops_the_writes_after_it(
    make_app, app_store: Store
) -> None:
    """A write that raises something other than a database error (a mail suggestion
    settled elsewhere, an invitation changed meanwhile, a bug) is reported and dropped
    from the queue: the next change is still written (it once waited behind it forever)."""
    from followup_tui.domain.model import Event
    from followup_tui.errors import UserError

    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app_id = app.selected_row().application.id

        def refused() -> None:
            raise UserError("that suggestion was settled elsewhere")

        def broken() -> None:
            raise RuntimeError("a bug")

        app.change(app_id, "Accepted a suggestion", refused)
        app.change(app_id, "Something buggy", broken)
        note = Event(app.now_text(), EventType.NOTE, text="still written")
        app.change(app_id, "Logged a note", lambda: app_store.add_event(app_id, note))
        await settle(pilot, lambda: not app._writes)
        await pilot.pause()  # notices arrive as messages
        assert EventType.NOTE in events_of(app_store.path, app_id)
        said = " ".join(notices(app))
        assert "settled elsewhere" in said and "RuntimeError: a bug" in said
