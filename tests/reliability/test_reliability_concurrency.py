"""Two (or ten) at once: concurrent writers and readers lose nothing and never hit a lock error."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from followup_tui.domain.model import Application, Event, EventType
from followup_tui.storage.store import Store
from tests.support.cli import Runner, command
from tests.support.reliability import NOW, count, integrity, python_child, write_generated

IMPORTERS = 4
APPS_EACH = 300
EVENT_WRITERS = 4
EVENTS_EACH = 150
READERS = 2

EVENT_WRITER = r"""
import sys
from pathlib import Path
from followup_tui.domain.model import Application, Event, EventType
from followup_tui.storage.store import Store

path, name, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
with Store(path) as store:
    store.save_application(Application(name, "Writer " + name, "Role"))
for i in range(n):
    # a fresh connection now and then, as separate app sessions would open
    with Store(path) as store:
        for _ in range(10):
            store.add_event(name, Event("2026-11-20T10:00:00+11:00", EventType.NOTE, text=str(i)))
            i += 1
    if i >= n:
        break
print("done", flush=True)
"""

READER = r"""
import subprocess, sys
cmd, n = sys.argv[1:-1], int(sys.argv[-1])
for _ in range(n):
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0 or "locked" in done.stderr:
        print(done.stderr, file=sys.stderr)
        sys.exit(1)
print("done", flush=True)
"""


def _start_everyone(cli: Runner, files: list[Path]) -> list[tuple[str, subprocess.Popen[str]]]:
    procs: list[tuple[str, subprocess.Popen[str]]] = []
    for n in range(max(IMPORTERS, EVENT_WRITERS)):
        if n < IMPORTERS:
            procs.append(
                (
                    f"import {n}",
                    subprocess.Popen(
                        [*command(), "import", str(files[n])],
                        env=cli.env,
                        stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE,
                        text=True,
                    ),
                )
            )
        if n < EVENT_WRITERS:
            # the event writers process EVENTS_EACH events in batches of 10 per connection
            child = python_child(
                EVENT_WRITER.replace("range(n)", "range(0, n, 10)"),
                str(cli.db),
                f"writer-{n}",
                str(EVENTS_EACH),
            )
            procs.append((f"writer {n}", child))
    # `due` refuses a --db path with no database yet (a typo must not read as
    # "nothing due"), so the readers join once the writers have created the file;
    # the eight writers still create the new database all at once
    deadline = time.monotonic() + 60
    while not cli.db.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    for n in range(READERS):
        reader = subprocess.Popen(
            [
                "python",
                "-c",
                READER,
                *command(),
                "--db",
                str(cli.db),
                "due",
                "--all",
                "--now",
                NOW,
                "4",
            ],
            env=cli.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        procs.append((f"reader {n}", reader))
    return procs


def _finish(procs: list[tuple[str, subprocess.Popen[str]]]) -> None:
    for name, proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, f"{name} failed: {err}"
        assert "locked" not in err and "busy" not in err, f"{name}: {err}"
        assert "Traceback" not in err


@pytest.mark.parametrize("fresh", [True, False], ids=["new-database", "existing-database"])
def test_eight_writers_and_readers_at_once_lose_nothing(tmp_path: Path, fresh: bool) -> None:
    cli = Runner(tmp_path)
    files = [
        write_generated(tmp_path / f"part{n}.json", APPS_EACH, prefix=f"p{n}", seed=n)
        for n in range(IMPORTERS)
    ]
    watcher = None
    if not fresh:
        # the open app: one long-lived connection, started before everyone else
        watcher = Store(cli.db)
        seen = watcher.data_version()
    procs = _start_everyone(cli, files)
    _finish(procs)
    assert integrity(cli.db) == "ok"
    assert count(cli.db) == IMPORTERS * APPS_EACH + EVENT_WRITERS
    for n in range(EVENT_WRITERS):
        texts = [
            int(text)
            for text in _column(cli.db, "SELECT text FROM events WHERE application_id = ?", n)
        ]
        assert sorted(texts) == list(range(EVENTS_EACH)), f"writer-{n} lost events"
    if watcher is not None:
        assert watcher.data_version() != seen
        assert len(watcher.load_all(details=False)) == IMPORTERS * APPS_EACH + EVENT_WRITERS
        watcher.close()


def _column(db: Path, sql: str, n: int) -> list[str]:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return [row[0] for row in conn.execute(sql, (f"writer-{n}",))]
    finally:
        conn.close()


def test_the_open_app_sees_another_process_change(tmp_path: Path) -> None:
    cli = Runner(tmp_path)
    with Store(cli.db) as app:
        app.save_application(
            __import__("followup_tui.domain.model", fromlist=["Application"]).Application(
                "mine", "Mine", "Role"
            )
        )
        before = app.data_version()
        unchanged = app.data_version()
        assert unchanged == before  # nothing happened: no false alarms
        child = python_child(
            "import sys; from pathlib import Path; from followup_tui.storage.store import Store;"
            "from followup_tui.domain.model import Event, EventType;"
            "Store(Path(sys.argv[1])).add_event('mine', "
            "Event('2026-11-20T10:00:00+11:00', EventType.NOTE, text='from elsewhere'))",
            str(cli.db),
        )
        assert child.wait(timeout=60) == 0, child.stderr.read() if child.stderr else ""
        assert app.data_version() != before
        loaded = app.load_application("mine")
        assert loaded is not None
        assert [e.text for e in loaded.events] == ["from elsewhere"]
        # its own writes do not count as another's change
        own = app.data_version()
        app.add_event("mine", Event("2026-11-21T10:00:00+11:00", EventType.NOTE, text="mine"))
        assert app.data_version() == own


FOREIGN_WRITE = r"""
import sys
from pathlib import Path
from followup_tui.domain.model import Application
from followup_tui.storage.store import Store

store = Store(Path(sys.argv[1]))  # left to close as the process ends, as a crash would
store.save_application(Application(sys.argv[2], "Elsewhere", "Role"))
"""


def test_a_second_store_in_the_process_keeps_the_first_ones_view(tmp_path: Path) -> None:
    """The app holds a Store and opens more in its threads. Opening one must not drop the
    POSIX locks SQLite holds for the first (closing any descriptor of the file did): then
    another program, closing, took itself for the last, deleted the write-ahead log, and
    the app saw none of its later changes (and its threads got "disk I/O error")."""
    path = tmp_path / "f.db"
    with Store(path) as first:
        first.save_application(Application("mine", "Here", "Role"))
        for n in range(3):
            before = first.data_version()
            child = python_child(FOREIGN_WRITE, str(path), f"theirs-{n}")
            assert child.wait(timeout=60) == 0, child.stderr.read() if child.stderr else ""
            assert first.data_version() != before
            assert first.load_application(f"theirs-{n}") is not None
            with Store(path) as second:  # as a thread of the app opens one
                assert second.count_applications() == n + 2
        assert first.count_applications() == 4


def test_a_store_that_fails_to_open_leaves_nothing_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from followup_tui.storage import store as store_module

    path = tmp_path / "f.db"
    Store(path).close()
    assert store_module._open_files == {}

    def broken(self: Store) -> None:
        raise RuntimeError("interrupted")

    monkeypatch.setattr(Store, "_prepare", broken)
    with pytest.raises(RuntimeError):
        Store(path)
    assert store_module._open_files == {}  # else the next open would skip its header check
