"""Backups: kept to the last 7, consistent while others write, restorable by copying, owner-only.

(That a migration takes a backup first is tested in test_store.py.)
"""

from __future__ import annotations

import shutil
import signal
import sqlite3
from pathlib import Path

from followup_tui.domain.model import Application
from followup_tui.storage.store import BACKUPS_KEPT, Store
from tests.support.cli import SAMPLE, Runner
from tests.support.reliability import integrity, python_child

WRITER = r"""
import sys
from pathlib import Path
from followup_tui.domain.model import Application, Contact
from followup_tui.storage.store import Store

store = Store(Path(sys.argv[1]))
i = 0
while True:
    mark = str(i)
    store.replace_application(
        "snap", Application("snap", mark, mark, contacts=tuple(Contact(mark + str(k)) for k in range(20)))
    )
    i += 1
    if i == 3:
        print("writing", flush=True)
"""


def test_daily_backups_keep_the_newest_seven(tmp_path: Path) -> None:
    with Store(tmp_path / "f.db") as store:
        store.save_application(Application("a", "A", "R"))
        store.backup_dir.mkdir()
        old = [
            store.backup_dir / f"f-2026010{n}T090000000000Z-daily.db" for n in range(1, 10)
        ]
        for path in old:
            shutil.copyfile(store.path, path)
        made = store.daily_backup()
        assert made is not None
        kept = sorted(store.backup_dir.glob("f-*.db"))
        assert len(kept) == BACKUPS_KEPT
        assert kept == sorted([*old[-(BACKUPS_KEPT - 1) :], made])
        assert store.daily_backup() is None  # once a day


def test_backup_command_while_another_process_writes(tmp_path: Path) -> None:
    cli = Runner(tmp_path)
    assert cli.run("import", str(cli.write_json("s.json", SAMPLE))).returncode == 0
    writer = python_child(WRITER, str(cli.db))
    try:
        assert writer.stdout is not None and writer.stdout.readline() == "writing\n"
        for n in range(5):
            target = tmp_path / f"copy{n}.db"
            done = cli.run("backup", str(target))
            assert done.returncode == 0, done.stderr
            assert integrity(target) == "ok"
            assert target.stat().st_mode & 0o777 == 0o600
            with sqlite3.connect(target) as conn:
                (mark,) = conn.execute(
                    "SELECT company FROM applications WHERE id = 'snap'"
                ).fetchone()
                names = {
                    n
                    for (n,) in conn.execute(
                        "SELECT name FROM contacts WHERE application_id = 'snap'"
                    )
                }
                assert names == {
                    mark + str(k) for k in range(20)
                }  # one whole write, not two halves
                assert conn.execute("SELECT count(*) FROM applications").fetchone()[0] == 3
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()


def test_restoring_by_copying_a_backup_back(tmp_path: Path) -> None:
    cli = Runner(tmp_path)
    assert cli.run("import", str(cli.write_json("s.json", SAMPLE))).returncode == 0
    saved = cli.run("export").stdout
    copy = tmp_path / "copy.db"
    assert cli.run("backup", str(copy)).returncode == 0
    # later: a mistake (everything replaced by one application) ...
    with Store(cli.db) as store:
        for app_id in store.application_ids():
            store.delete_application(app_id)
    assert cli.run("export").stdout != saved
    # ... undone as the README says: with the program closed, copy the backup over the file
    for sidecar in (Path(f"{cli.db}-wal"), Path(f"{cli.db}-shm")):
        sidecar.unlink(missing_ok=True)
    shutil.copyfile(copy, cli.db)
    assert integrity(cli.db) == "ok"
    assert cli.run("export").stdout == saved
    assert cli.run("due", "--now", "2026-11-25T09:00:00+11:00").returncode == 0
