"""Files it cannot use are refused (exit 2, the file named, what to do) and left byte for byte.

Tests run as root here, where `chmod` does not stop a write; read-only files
and directories are made with read-only mounts instead (skipped where mounting
is not permitted).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from followup_tui.storage.store import Store, StoreError
from tests.support.cli import SAMPLE, Runner, command
from tests.support.reliability import (
    NOW,
    count,
    integrity,
    read_only_file,
    remount_read_only,
    snapshot,
    tiny_filesystem,
    write_generated,
)

#: what the message tells the user to do, by case
ADVICE = {
    "not-sqlite": "Choose another --db path",
    "other-program": "Choose another --db path",
    "newer-schema": "Upgrade followup-tui",
    "missing-directory": "create it or choose another --db path",
    "directory": "give the path of a database file",
    "read-only-file": "Check the permissions",
    "read-only-directory": "Check the permissions",
}

MAKERS: dict[str, Callable[[Path], None]] = {
    "not-sqlite": lambda p: p.write_bytes(b"Dear diary,\n" * 100),
    "other-program": lambda p: sqlite3.connect(p).executescript(
        "CREATE TABLE photos(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO photos VALUES (1, 'x');"
    ),
    "newer-schema": lambda p: sqlite3.connect(p).executescript(
        "PRAGMA application_id = 1179997257; PRAGMA user_version = 99; CREATE TABLE t(x);"
    ),
}

COMMANDS = [["due"], ["export"], ["import", "SAMPLE"], ["backup"]]


def _run(cli: Runner, db: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    args = [str(cli.write_json("s.json", SAMPLE)) if a == "SAMPLE" else a for a in args]
    return cli.run("--db", str(db), *args, "--now", NOW)


def _refused(done: subprocess.CompletedProcess[str], db: Path, case: str) -> None:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert str(db) in done.stderr
    assert ADVICE[case] in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("case", sorted(MAKERS))
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_files_of_the_wrong_kind_say_what_to_do(cli: Runner, case: str, args: list[str]) -> None:
    MAKERS[case](cli.db)
    before = snapshot(cli.db)
    _refused(_run(cli, cli.db, args), cli.db, case)
    assert snapshot(cli.db) == before


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_a_missing_directory_and_a_directory_are_refused(cli: Runner, args: list[str]) -> None:
    missing = cli.tmp / "nowhere" / "f.db"
    _refused(_run(cli, missing, args), missing, "missing-directory")
    assert not missing.parent.exists()
    folder = cli.tmp / "folder"
    folder.mkdir()
    _refused(_run(cli, folder, args), folder, "directory")
    assert list(folder.iterdir()) == []


@pytest.fixture
def cli(tmp_path: Path) -> Runner:
    return Runner(tmp_path)


@pytest.fixture
def loaded(cli: Runner) -> Runner:
    assert cli.run("import", str(cli.write_json("sample.json", SAMPLE))).returncode == 0
    return cli


WRITES = [["import", "SAMPLE"], ["backup"]]


@pytest.mark.parametrize("args", WRITES, ids=lambda a: a[0])
def test_a_read_only_database_file_is_refused_untouched(loaded: Runner, args: list[str]) -> None:
    before = snapshot(loaded.db)
    with read_only_file(loaded.db):
        _refused(_run(loaded, loaded.db, args), loaded.db, "read-only-file")
    assert snapshot(loaded.db) == before


@pytest.mark.parametrize("args", [*WRITES, ["due"], ["export"]], ids=lambda a: a[0])
def test_a_read_only_directory_is_refused_untouched(tmp_path: Path, args: list[str]) -> None:
    with tiny_filesystem(tmp_path / "ro", "4m") as where:
        cli = Runner(tmp_path)
        db = where / "f.db"
        assert _run(cli, db, ["import", "SAMPLE"]).returncode == 0
        before = snapshot(db)
        remount_read_only(where)
        _refused(_run(cli, db, args), db, "read-only-directory")
        assert snapshot(db) == before


def test_a_new_database_in_a_read_only_directory_is_refused(tmp_path: Path) -> None:
    with tiny_filesystem(tmp_path / "ro", "1m") as where:
        remount_read_only(where)
        cli = Runner(tmp_path)
        db = where / "f.db"
        # import is the command that creates a database (due refuses a missing one anyway)
        _refused(_run(cli, db, ["import", "SAMPLE"]), db, "read-only-directory")
        assert not db.exists()


# --- a full disk ----------------------------------------------------------------------


def test_a_full_disk_during_an_import_is_a_clear_error_and_loses_nothing(tmp_path: Path) -> None:
    from followup_tui.interchange.document import read_document

    path = tmp_path / "f.db"
    big = write_generated(tmp_path / "big.json", 2_000)
    import json
    from zoneinfo import ZoneInfo

    apps = read_document(json.loads(big.read_text()), ZoneInfo("Australia/Sydney"))
    with Store(path) as store:
        store.import_applications(apps[:10])
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages + 20}")
        with pytest.raises(StoreError, match="disk is full") as raised:
            store.import_applications(apps[10:])
        assert str(path) in str(raised.value)
        assert "nothing was written" in str(raised.value)
        assert store.count_applications() == 10
        assert not store.conn.in_transaction
        # once there is room again, the same import goes through
        store.conn.execute("PRAGMA max_page_count = 1000000")
        store.import_applications(apps[10:])
        assert store.count_applications() == 2_000
    assert integrity(path) == "ok"


def test_a_full_filesystem_through_the_command(tmp_path: Path) -> None:
    with tiny_filesystem(tmp_path / "small", "400k") as where:
        cli = Runner(tmp_path)
        db = where / "f.db"
        assert _run(cli, db, ["import", "SAMPLE"]).returncode == 0
        big = write_generated(tmp_path / "big.json", 2_000)
        done = cli.run("--db", str(db), "import", str(big))
        assert done.returncode == 2, done.stderr
        assert str(db) in done.stderr
        assert "disk is full" in done.stderr
        assert "Traceback" not in done.stderr
        assert integrity(db) == "ok"
        assert count(db) == len(SAMPLE["applications"])
        exported = cli.run("--db", str(db), "export")
        assert exported.returncode == 0
        assert '"acme-planner"' in exported.stdout
        # a full disk also stops an export file half-written: none is left behind
        fd = os.open(where / "filler", os.O_CREAT | os.O_WRONLY, 0o600)
        try:
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError:
            pass  # ENOSPC: the filesystem is full now
        finally:
            os.close(fd)
        out = where / "out.json"
        failed = subprocess.run(
            [*command(), "--db", str(db), "export", "-o", str(out)],
            env=cli.env,
            capture_output=True,
            text=True,
        )
        assert failed.returncode == 2, failed.stderr
        # it stops at the database (SQLite needs room for its -shm file) or at the output
        assert "disk is full" in failed.stderr or "No space left" in failed.stderr
        assert "damaged" not in failed.stderr and "Traceback" not in failed.stderr
        assert not out.exists()
        assert [p.name for p in where.iterdir() if p.name.startswith(".out")] == []
        (where / "filler").unlink()  # room again: everything from before is there
        assert integrity(db) == "ok"
        assert count(db) == len(SAMPLE["applications"])
