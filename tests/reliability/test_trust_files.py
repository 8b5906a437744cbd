"""Issue 12, files: damaged databases, odd --db and -o paths, racing first opens.

Real processes on real files: every case runs the installed command.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import SAMPLE, Runner, command
from tests.support.reliability import (
    NOW,
    count,
    integrity,
    snapshot,
    tiny_filesystem,
    write_generated,
)


@pytest.fixture
def cli(tmp_path: Path) -> Runner:
    return Runner(tmp_path)


def _refused(done: subprocess.CompletedProcess[str], *named: object) -> None:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    for each in named:
        assert str(each) in done.stderr, done.stderr


def _damage(db: Path) -> None:
    """Overwrite pages in the middle of the file (past the schema) with noise."""
    size = db.stat().st_size
    with db.open("r+b") as handle:
        handle.seek(size // 2 - (size // 2) % 4096)
        handle.write(os.urandom(4096 * 8))


@pytest.fixture
def damaged(cli: Runner) -> Runner:
    """A database of 2,000 applications with a sound backup of it, then damaged."""
    big = write_generated(cli.tmp / "big.json", 2_000)
    assert cli.run("import", str(big)).returncode == 0
    assert cli.run("backup").returncode == 0
    _damage(cli.db)
    return cli


DAMAGE_COMMANDS = [
    ["due"],
    ["due", "--all", "--json"],
    ["export"],
    ["export", "--format", "csv"],
    ["export", "--format", "ics"],
    ["import", "BIG"],
    ["import", "SAMPLE"],
    ["backup"],
]


@pytest.mark.parametrize("args", DAMAGE_COMMANDS, ids=" ".join)
def test_a_damaged_database_is_named_with_its_sound_backups(
    damaged: Runner, args: list[str]
) -> None:
    files = {"BIG": str(damaged.tmp / "big.json"), "SAMPLE": str(damaged.write_json("s.json", SAMPLE))}
    (backup,) = (damaged.db.parent / "backups").glob("*.db")
    before = snapshot(damaged.db)
    done = damaged.run(*[files.get(a, a) for a in args], "--now", NOW)
    _refused(done, damaged.db, backup)
    assert "damaged" in done.stderr
    assert "restore" in done.stderr
    assert snapshot(damaged.db) == before  # nothing written into it
    assert list((damaged.db.parent / "backups").glob("*.db")) == [backup]  # no broken copy


def test_a_damaged_database_with_no_backup_says_so(cli: Runner) -> None:
    assert cli.run("import", str(write_generated(cli.tmp / "big.json", 2_000))).returncode == 0
    _damage(cli.db)
    done = cli.run("export")
    _refused(done, cli.db)
    assert "No sound backup" in done.stderr


def test_a_damaged_backup_is_not_listed_as_sound(damaged: Runner) -> None:
    (good,) = (damaged.db.parent / "backups").glob("*.db")
    bad = good.with_name("f-20260101T000000000000Z-daily.db")
    shutil.copyfile(damaged.db, bad)
    done = damaged.run("export")
    _refused(done, good)
    assert str(bad) not in done.stderr


# --- odd paths -------------------------------------------------------------------------

READERS = [["due"], ["export"], ["backup"], ["draft", "--interview", "x"]]


@pytest.mark.parametrize("args", [*READERS, ["import", "SAMPLE"], []], ids=lambda a: " ".join(a) or "app")
def test_memory_is_refused_and_no_file_is_made(cli: Runner, args: list[str]) -> None:
    args = [str(cli.write_json("s.json", SAMPLE)) if a == "SAMPLE" else a for a in args]
    done = subprocess.run(
        [*command(), "--db", ":memory:", *args], cwd=cli.tmp, env=cli.env,
        capture_output=True, text=True, timeout=60,
    )
    _refused(done, ":memory:")
    assert not (cli.tmp / ":memory:").exists()


@pytest.mark.parametrize("args", [*READERS, ["import", "SAMPLE"], []], ids=lambda a: " ".join(a) or "app")
def test_a_named_pipe_as_the_database_is_refused_without_hanging(
    cli: Runner, args: list[str]
) -> None:
    fifo = cli.tmp / "pipe.db"
    os.mkfifo(fifo)
    args = [str(cli.write_json("s.json", SAMPLE)) if a == "SAMPLE" else a for a in args]
    # a timeout here is the fault: opening a pipe for reading waits for a writer
    done = cli.run("--db", str(fifo), *args)
    _refused(done, fifo)
    assert "named pipe" in done.stderr
    assert sorted(p.name for p in cli.tmp.iterdir() if p.name.startswith("pipe")) == ["pipe.db"]


def test_a_device_as_the_database_is_refused(cli: Runner) -> None:
    assert not os.path.exists("/dev/null-journal")
    done = cli.run("--db", "/dev/null", "import", str(cli.write_json("s.json", SAMPLE)))
    _refused(done, "/dev/null")
    assert not os.path.exists("/dev/null-journal")
    assert not os.path.exists("/dev/null-wal")


@pytest.mark.parametrize("how", ["same", "relative", "link", "wal"])
def test_export_never_writes_over_the_database(cli: Runner, how: str) -> None:
    assert cli.run("import", str(cli.write_json("s.json", SAMPLE))).returncode == 0
    target = {
        "same": cli.db,
        "relative": Path(os.path.relpath(cli.db, cli.tmp)),
        "link": cli.tmp / "db-link",
        "wal": Path(f"{cli.db}-wal"),
    }[how]
    if how == "link":
        target.symlink_to(cli.db)
    before = snapshot(cli.db)
    done = subprocess.run(
        [*command(), "export", "--format", "csv", "-o", str(target)], cwd=cli.tmp, env=cli.env,
        capture_output=True, text=True, timeout=60,
    )
    _refused(done, target)
    assert snapshot(cli.db) == before
    assert integrity(cli.db) == "ok"
    assert count(cli.db) == 2


def test_export_to_a_pipe_or_device_writes_it_and_leaves_it_one(cli: Runner) -> None:
    assert cli.run("import", str(cli.write_json("s.json", SAMPLE))).returncode == 0
    done = cli.run("export", "-o", "/dev/null")
    assert done.returncode == 0, done.stderr
    assert Path("/dev/null").is_char_device()
    fifo = cli.tmp / "out.pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    done = cli.run("export", "-o", str(fifo))
    out, _ = reader.communicate(timeout=60)
    assert done.returncode == 0, done.stderr
    assert b'"acme-planner"' in out
    assert fifo.is_fifo()


def test_a_failed_first_import_leaves_no_database(tmp_path: Path) -> None:
    # the disk fills during the first import into a new database
    with tiny_filesystem(tmp_path / "small", "300k") as where:
        cli = Runner(tmp_path)
        db = where / "f.db"
        big = write_generated(tmp_path / "big.json", 2_000)
        done = cli.run("--db", str(db), "import", str(big))
        _refused(done, db)
        assert "disk is full" in done.stderr
        assert list(where.iterdir()) == []
        # still "no database there", not "nothing needs doing"
        _refused(cli.run("--db", str(db), "due"), db, "no database there")


def test_an_existing_empty_file_becomes_an_owner_only_database(cli: Runner) -> None:
    cli.db.touch(mode=0o644)
    os.chmod(cli.db, 0o644)
    assert cli.run("import", str(cli.write_json("s.json", SAMPLE))).returncode == 0
    assert cli.db.stat().st_mode & 0o777 == 0o600
    assert count(cli.db) == 2


@pytest.mark.parametrize("args", [["due"], ["export"], ["backup"], ["draft", "--interview", "x"]],
                         ids=" ".join)
def test_reading_with_no_database_anywhere_creates_nothing(
    tmp_path: Path, args: list[str]
) -> None:
    cli = Runner(tmp_path)
    env = {k: v for k, v in cli.env.items() if k != "FOLLOWUP_TUI_DB"}
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    env["HOME"] = str(tmp_path / "home")
    done = subprocess.run(
        [*command(), *args], env=env, capture_output=True, text=True, timeout=60
    )
    _refused(done, "no database at", "followup-tui import FILE")
    assert not (tmp_path / "xdg").exists() or not any((tmp_path / "xdg").rglob("*.db"))
    assert not (tmp_path / "home").exists() or not any((tmp_path / "home").rglob("*.db"))


# --- racing first opens ------------------------------------------------------------------

OPENER = r"""
import sys, time
from pathlib import Path
from followup_tui.storage.store import Store, StoreError
path, start = Path(sys.argv[1]), float(sys.argv[2])
while time.time() < start:
    pass
try:
    with Store(path) as store:
        store.count_applications()
    print("ok")
except StoreError as error:
    print("refused:", error)
"""


def test_many_processes_creating_one_new_database_at_once_all_succeed(tmp_path: Path) -> None:
    import time

    refusals: list[str] = []
    for round_ in range(12):
        path = tmp_path / f"new{round_}.db"
        start = f"{time.time() + 1.0}"
        children = [
            subprocess.Popen(
                [sys.executable, "-c", OPENER, str(path), start],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
            for _ in range(8)
        ]
        for child in children:
            out, err = child.communicate(timeout=120)
            assert child.returncode == 0, err
            if out.strip() != "ok":
                refusals.append(out)
        assert integrity(path) == "ok"
        assert sqlite3.connect(path).execute("PRAGMA application_id").fetchone()[0] != 0
    assert refusals == []
    # no temporary files are left behind
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
