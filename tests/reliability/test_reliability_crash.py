"""Crashes: real processes killed with SIGKILL in the middle of writes.

Afterwards the database passes `PRAGMA integrity_check` and holds all of the
interrupted write or none of it; what was there before is still there.
"""

from __future__ import annotations

import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.support.cli import SAMPLE, Runner, command
from tests.support.reliability import count, integrity, python_child, write_generated

BIG = 20_000
BEFORE = len(SAMPLE["applications"])


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_generated(tmp_path_factory.mktemp("big") / "big.json", BIG)


def _kill_import_when_wal_reaches(cli: Runner, big: Path, wal_bytes: int) -> str:
    """Start `import big`, SIGKILL it once its WAL holds `wal_bytes`; say where it was."""
    wal = Path(f"{cli.db}-wal")
    process = subprocess.Popen(
        [*command(), "import", str(big)],
        env=cli.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    while process.poll() is None:
        if wal.exists() and wal.stat().st_size >= wal_bytes:
            break
        time.sleep(0.002)
    landed = "mid-write" if process.poll() is None else "after"
    process.send_signal(signal.SIGKILL)
    process.wait()
    if landed == "after":
        assert process.returncode == 0, process.stderr.read() if process.stderr else ""
    else:
        assert process.returncode == -signal.SIGKILL
    return landed


def test_import_killed_mid_write_leaves_all_or_nothing(big_file: Path, tmp_path: Path) -> None:
    rng = random.Random(20261125)
    # from the first page written to near the end of the transaction (~10-20 MB of WAL)
    thresholds = [1, *sorted(rng.randrange(100_000, 12_000_000) for _ in range(3))]
    landed = []
    for n, threshold in enumerate(thresholds):
        (tmp_path / f"run{n}").mkdir()
        cli = Runner(tmp_path / f"run{n}")
        assert cli.run("import", str(cli.write_json("s.json", SAMPLE))).returncode == 0
        landed.append(_kill_import_when_wal_reaches(cli, big_file, threshold))
        assert integrity(cli.db) == "ok"
        total = count(cli.db)
        assert total in (BEFORE, BEFORE + BIG), f"half an import: {total} applications"
        if landed[-1] == "mid-write":
            assert total == BEFORE  # a transaction killed before COMMIT leaves nothing
        # the program carries on: reads work, and the import can simply be run again
        assert cli.run("due", "--now", "2026-11-25T09:00:00+11:00").returncode == 0
        if n == 0:  # (once: a full import takes seconds)
            again = cli.run("import", str(big_file))
            assert again.returncode == 0, again.stderr
            assert count(cli.db) == BEFORE + BIG
            assert integrity(cli.db) == "ok"
    print(f"import kills: {landed}")
    assert "mid-write" in landed


WRITER = r"""
import sys
from pathlib import Path
from followup_tui.domain.model import Application, Contact, Event, EventType, Interview
from followup_tui.storage.store import Store

store = Store(Path(sys.argv[1]))
AT = "2026-11-20T10:00:00+11:00"
i = 0
while True:
    if i % 2 == 0:  # a form's "log a note": one event
        store.add_event("log", Event(AT, EventType.NOTE, text=str(i)))
    else:  # an undo / form save: the whole application replaced at once
        mark = str(i)
        store.replace_application(
            "snap",
            Application(
                "snap", "Snap " + mark, "Role " + mark, notes=mark,
                contacts=tuple(Contact(f"{mark}-{k}") for k in range(3)),
                interviews=tuple(Interview(f"snap-{k}", AT, round=mark) for k in range(3)),
                events=tuple(Event(AT, EventType.NOTE, f"snap-{k % 3}", text=mark) for k in range(5)),
            ),
        )
    print(i, flush=True)
    i += 1
"""


def _check_small_writes(db: Path, last_reported: int) -> None:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        logged = [
            int(t)
            for (t,) in conn.execute(
                "SELECT text FROM events WHERE application_id = 'log' ORDER BY id"
            )
        ]
        # every reported write is there, in order, with no gaps; at most one more
        # (committed but killed before it could say so)
        assert logged == list(range(0, len(logged) * 2, 2))
        assert logged[-1] >= last_reported - 1
        marks = {
            *(r for (r,) in conn.execute("SELECT company FROM applications WHERE id = 'snap'")),
        }
        (company,) = marks
        mark = company.removeprefix("Snap ")
        assert int(mark) >= last_reported - 1
        rows = [
            *conn.execute("SELECT role, notes FROM applications WHERE id = 'snap'"),
        ]
        assert rows == [("Role " + mark, mark)]
        contacts = {
            n for (n,) in conn.execute("SELECT name FROM contacts WHERE application_id = 'snap'")
        }
        assert contacts == {f"{mark}-{k}" for k in range(3)}
        rounds = [
            r for (r,) in conn.execute("SELECT round FROM interviews WHERE application_id = 'snap'")
        ]
        assert rounds == [mark] * 3
        texts = [
            t for (t,) in conn.execute("SELECT text FROM events WHERE application_id = 'snap'")
        ]
        assert texts == [mark] * 5
    finally:
        conn.close()


def test_small_writes_killed_at_random_moments(tmp_path: Path) -> None:
    rng = random.Random(7)
    cli = Runner(tmp_path)
    seed = {
        "format": "followup-tui",
        "version": 1,
        "applications": [
            {"id": "log", "company": "Log", "role": "R"},
            {"id": "snap", "company": "Snap -1", "role": "Role -1"},
        ],
    }
    assert cli.run("import", str(cli.write_json("seed.json", seed))).returncode == 0
    kills = 0
    for _ in range(5):
        child = python_child(WRITER, str(cli.db))
        assert child.stdout is not None
        wanted = rng.randrange(3, 60)
        last = -1
        for line in child.stdout:
            last = int(line)
            if last >= wanted:
                break
        time.sleep(rng.random() * 0.02)  # somewhere inside the next write
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert child.returncode == -signal.SIGKILL, child.stderr.read() if child.stderr else ""
        kills += 1
        assert integrity(cli.db) == "ok"
        # the next run starts counting from 0 again: clear the log to keep the check simple
        _check_small_writes(cli.db, last)
        import sqlite3

        with sqlite3.connect(cli.db) as conn:
            conn.execute("DELETE FROM events WHERE application_id = 'log'")
    print(f"small-write kills: {kills}")
