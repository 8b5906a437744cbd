"""Issue 12, backups you can restore from, and `followup-tui restore`.

Real processes, real files: a backup killed midway, databases sharing a folder, a
second process holding the database open while a restore is asked for.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from followup_tui.storage.store import Store
from tests.support.cli import SAMPLE, Runner, command
from tests.support.reliability import count, integrity, python_child, write_generated


@pytest.fixture
def cli(tmp_path: Path) -> Runner:
    return Runner(tmp_path)


@pytest.fixture
def loaded(cli: Runner) -> Runner:
    assert cli.run("import", str(cli.write_json("s.json", SAMPLE))).returncode == 0
    return cli


def _damage(db: Path) -> None:
    size = db.stat().st_size
    with db.open("r+b") as handle:
        handle.seek(size // 2 - (size // 2) % 4096)
        handle.write(os.urandom(4096 * 8))


def test_backing_up_a_damaged_database_is_refused_and_writes_nothing(cli: Runner) -> None:
    assert cli.run("import", str(write_generated(cli.tmp / "big.json", 2_000))).returncode == 0
    _damage(cli.db)
    target = cli.tmp / "copy.db"
    for args in (["backup", str(target)], ["backup"]):
        done = cli.run(*args)
        assert done.returncode == 2, done.stderr
        assert "damaged" in done.stderr and str(cli.db) in done.stderr
        assert "Traceback" not in done.stderr
    assert not target.exists()
    backups = cli.db.parent / "backups"
    assert not backups.exists() or list(backups.iterdir()) == []
    assert [p.name for p in cli.tmp.iterdir() if p.name.startswith(".copy")] == []


def test_a_backup_killed_midway_never_leaves_a_file_with_the_final_name(cli: Runner) -> None:
    assert cli.run("import", str(write_generated(cli.tmp / "big.json", 20_000))).returncode == 0
    killed_midway = 0
    for n in range(6):
        target = cli.tmp / f"copy{n}.db"
        child = subprocess.Popen(
            [*command(), "backup", str(target)], env=cli.env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        # killed once its temporary copy has started to grow
        partial = cli.tmp / f".copy{n}.db.partial-{child.pid}"
        while child.poll() is None and not (partial.exists() and partial.stat().st_size):
            time.sleep(0.001)
        if child.poll() is None:
            killed_midway += 1
        child.send_signal(signal.SIGKILL)
        child.wait()
        if target.exists():  # finished before the kill: then it is whole
            assert integrity(target) == "ok"
    assert killed_midway  # the case under test happened at least once
    # the next backup to a new name succeeds, and the leftovers do not get in its way
    done = cli.run("backup", str(cli.tmp / "after.db"))
    assert done.returncode == 0, done.stderr
    assert integrity(cli.tmp / "after.db") == "ok"


def test_a_daily_backup_killed_midway_is_made_at_the_next_launch(cli: Runner) -> None:
    from followup_tui.storage.store import is_sound

    assert cli.run("import", str(write_generated(cli.tmp / "big.json", 20_000))).returncode == 0
    folder = cli.db.parent / "backups"
    code = (
        "import sys; from pathlib import Path; from followup_tui.storage.store import Store;"
        "Store(Path(sys.argv[1])).daily_backup()"
    )
    child = python_child(code, str(cli.db))
    # killed once the copy has started to grow, under whatever name it is written
    while child.poll() is None and not (
        folder.exists() and any(p.stat().st_size for p in folder.iterdir() if p.is_file())
    ):
        time.sleep(0.001)
    assert child.poll() is None  # the case under test: killed midway
    child.send_signal(signal.SIGKILL)
    child.wait()
    # no file with a backup's name is anything but a sound copy
    assert all(is_sound(p) for p in folder.glob("*.db"))
    with Store(cli.db) as store:
        made = store.daily_backup()  # the next launch
        assert made is not None and is_sound(made)
        assert store.daily_backup() is None  # and then once a day
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == []


def test_a_broken_file_with_todays_name_does_not_stand_for_the_daily_backup(
    tmp_path: Path,
) -> None:
    """What older versions left after a kill: a final name holding no database."""
    with Store(tmp_path / "f.db") as store:
        store.import_applications([])
        from followup_tui.domain.model import Application

        store.save_application(Application("a", "A", "R"))
        store.backup_dir.mkdir()
        today = datetime.now(UTC).strftime("%Y%m%d")
        broken = store.backup_dir / f"followup-{today}T000000000000Z-daily.db"
        broken.write_bytes(b"")
        made = store.daily_backup()
        assert made is not None and integrity(made) == "ok"


def test_databases_sharing_a_folder_each_get_their_daily_backup(tmp_path: Path) -> None:
    from followup_tui.domain.model import Application

    made = []
    for name in ("work.db", "home.db", "followup.db"):
        with Store(tmp_path / name) as store:
            store.save_application(Application(name, "A", "R"))
            made.append(store.daily_backup())
    assert all(m is not None for m in made)
    names = sorted(p.name.split("-")[0] for p in (tmp_path / "backups").glob("*.db"))
    assert names == ["followup", "home", "work"]
    for path in made:
        assert path is not None and integrity(path) == "ok"


def test_a_damaged_database_is_offered_only_its_own_backups(tmp_path: Path) -> None:
    """Found by hand: with two databases in one folder, the damaged one's message listed
    the other's daily backup as a sound backup of its own."""
    from followup_tui.domain.model import Application
    from followup_tui.storage.store import backups_of, sound_backups_text

    for name in ("work.db", "home.db"):
        with Store(tmp_path / name) as store:
            store.save_application(Application(name, "A", "R"))
            store.daily_backup()
    legacy = tmp_path / "backups" / "20251001.db"  # named before backups carried a name
    shutil.copy(next((tmp_path / "backups").glob("work-*.db")), legacy)
    offered = [path.name for path in backups_of(tmp_path / "work.db")]
    assert offered[0].startswith("work-") and offered[1:] == ["20251001.db"]
    assert "home-" not in sound_backups_text(tmp_path / "work.db")


# --- restore ------------------------------------------------------------------------


def test_restore_puts_the_backup_back_and_keeps_the_current_file(loaded: Runner) -> None:
    saved = loaded.run("export").stdout
    copy = loaded.tmp / "copy.db"
    assert loaded.run("backup", str(copy)).returncode == 0
    with Store(loaded.db) as store:
        for app_id in store.application_ids():
            store.delete_application(app_id)
    changed = loaded.run("export").stdout
    done = loaded.run("restore", str(copy))
    assert done.returncode == 0, done.stderr
    assert loaded.run("export").stdout == saved
    (kept,) = (loaded.db.parent / "backups").glob("*before-restore.db")
    assert integrity(kept) == "ok"
    assert str(kept) in done.stderr
    assert loaded.run("--db", str(kept), "export").stdout == changed
    assert loaded.db.stat().st_mode & 0o777 == 0o600


def test_restore_removes_a_stale_log_that_would_damage_the_backup(loaded: Runner) -> None:
    copy = loaded.tmp / "copy.db"
    assert loaded.run("backup", str(copy)).returncode == 0
    assert loaded.run("import", str(write_generated(loaded.tmp / "big.json", 3_000))).returncode == 0
    # a writer killed with its log full of pages of the newer file
    writer = python_child(
        "import sqlite3, sys, os, signal\n"
        "c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA wal_autocheckpoint = 0')\n"
        "for i in range(30):\n"
        "    c.execute('UPDATE applications SET notes = ?', (str(i) * 40,)); c.commit()\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n",
        str(loaded.db),
    )
    writer.wait()
    assert Path(f"{loaded.db}-wal").stat().st_size > 0
    done = loaded.run("restore", str(copy))
    assert done.returncode == 0, done.stderr
    assert not Path(f"{loaded.db}-wal").exists()
    assert integrity(loaded.db) == "ok"
    assert count(loaded.db) == 2
    (kept,) = (loaded.db.parent / "backups").glob("*before-restore.db")
    assert count(kept) == 3_002  # the newer file, with what its log held


def test_restore_refuses_a_damaged_backup_and_changes_nothing(loaded: Runner) -> None:
    assert loaded.run("import", str(write_generated(loaded.tmp / "big.json", 2_000))).returncode == 0
    copy = loaded.tmp / "copy.db"
    assert loaded.run("backup", str(copy)).returncode == 0
    _damage(copy)
    other = loaded.tmp / "other.db"
    sqlite3.connect(other).executescript("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
    before = loaded.db.read_bytes()
    for bad in (copy, other, loaded.tmp / "missing.db"):
        done = loaded.run("restore", str(bad))
        assert done.returncode == 2, done.stderr
        assert str(bad) in done.stderr and "Traceback" not in done.stderr
    assert loaded.db.read_bytes() == before
    assert not (loaded.db.parent / "backups").exists()


HOLDER = r"""
import sys
from pathlib import Path
from followup_tui.storage.store import Store
store = Store(Path(sys.argv[1]))
store.load_all()  # then idle, as the app is between reads
print("open", flush=True)
sys.stdin.read()
"""

BARE_HOLDER = r"""
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("SELECT count(*) FROM applications").fetchone()
print("open", flush=True)
sys.stdin.read()
"""


@pytest.mark.parametrize("holder", [HOLDER, BARE_HOLDER], ids=["app-pattern", "bare"])
def test_restore_refuses_while_another_process_has_the_database_open(
    loaded: Runner, holder: str
) -> None:
    copy = loaded.tmp / "copy.db"
    assert loaded.run("backup", str(copy)).returncode == 0
    child = subprocess.Popen(
        [os.sys.executable, "-c", holder, str(loaded.db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == "open\n"
        before = loaded.db.read_bytes()
        done = loaded.run("restore", str(copy))
        assert done.returncode == 2, done.stderr
        assert "open" in done.stderr and str(loaded.db) in done.stderr
        assert loaded.db.read_bytes() == before
    finally:
        child.communicate("", timeout=60)
    # once it has closed, the restore goes through
    done = loaded.run("restore", str(copy))
    assert done.returncode == 0, done.stderr


def test_restore_replaces_a_damaged_database(cli: Runner) -> None:
    assert cli.run("import", str(write_generated(cli.tmp / "big.json", 2_000))).returncode == 0
    assert cli.run("backup").returncode == 0
    (backup,) = (cli.db.parent / "backups").glob("*.db")
    shutil.copyfile(cli.db, cli.tmp / "damaged-original")
    _damage(cli.db)
    damaged_bytes = cli.db.read_bytes()
    done = cli.run("restore", str(backup))
    assert done.returncode == 0, done.stderr
    assert integrity(cli.db) == "ok" and count(cli.db) == 2_000
    (kept,) = (cli.db.parent / "backups").glob("*before-restore.db")
    assert kept.read_bytes() == damaged_bytes  # kept byte for byte
