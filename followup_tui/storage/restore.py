"""`followup-tui restore BACKUP`: put a backup back in place of the database.

The backup is checked first (a followup-tui database that passes `PRAGMA
integrity_check`); the current file, when it is a database at all, is kept as a
backup itself; the stale `-wal` and `-shm` files are removed (SQLite would
otherwise replay the old log onto the restored pages and damage them); and
nothing is done while another program has the database open.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from followup_tui.settings.files import create_private, private_dir
from followup_tui.storage.store import (
    StoreError,
    backups_of,
    check_path_kind,
    is_sound,
    sound_backups_text,
)

#: How long to wait for another program's lock before saying it has the database open.
LOCK_WAIT_MS = 200


def restore(db_path: Path, backup_path: Path) -> Path | None:
    """Replace the database at `db_path` by a copy of `backup_path`.

    Returns where the file it replaced was kept (None when there was no database
    there). Raises `StoreError` (a `UserError`) naming the file and what to do when
    the backup is not sound, or the database is in use.
    """
    check_path_kind(backup_path)
    if not backup_path.exists():
        raise StoreError(f"{backup_path}: there is no file there; give the path of a backup.")
    if not is_sound(backup_path):
        raise StoreError(
            f"{backup_path}: is not a sound followup-tui database (it fails the integrity "
            f"check or is another program's file); nothing was changed. "
            + sound_backups_text(db_path)
        )
    check_path_kind(db_path)
    if not db_path.parent.is_dir():
        raise StoreError(f"{db_path}: the directory {db_path.parent} does not exist.")
    if db_path.exists() and os.path.samefile(db_path, backup_path):
        raise StoreError(f"{backup_path}: is the database itself; give a backup of it.")
    backup_dir = db_path.parent / "backups"
    with _Exclusive(db_path) as lock:
        kept = _keep_current(db_path, backup_dir, lock.conn) if db_path.exists() else None
        # closed before the swap, so SQLite's last close (a checkpoint, then removing the
        # log) is done with the old file; the -shm lock keeps others out meanwhile
        lock.close_connection()
        _put_in_place(backup_path, db_path)
    return kept


class _Exclusive:
    """Hold every lock on the database, or refuse: another process has it open.

    SQLite's connections to a database in WAL mode hold a shared lock on one byte
    of the `-shm` file (the "DMS" byte, offset 128) for as long as they are open,
    even between reads (the app holds one the whole time it runs): an exclusive
    POSIX lock on that byte is granted only when no other connection exists. The
    database file's own locks are taken too, by a connection in exclusive locking
    mode (a database in rollback mode has no `-shm`); `conn` is that connection,
    or None for a file SQLite cannot read.
    """

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.conn: sqlite3.Connection | None = None
        self.shm: int | None = None

    def __enter__(self) -> _Exclusive:
        path = self.db_path
        if not path.exists():
            return self
        busy = StoreError(
            f"{path}: another program has the database open (the app, or a command still "
            "running); close it, then restore again. Nothing was changed."
        )
        shm = Path(f"{path}-shm")
        if shm.exists():
            self.shm = os.open(shm, os.O_RDWR)
            try:
                fcntl.lockf(self.shm, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 128)
            except OSError:
                self._release()
                raise busy from None
        self.conn = sqlite3.connect(str(path.absolute()), timeout=LOCK_WAIT_MS / 1000)
        try:
            self.conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            # in exclusive locking mode the lock outlives the transaction: the copy
            # below reads through this connection with no transaction of its own open
            self.conn.execute("BEGIN EXCLUSIVE")
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as error:
            self._release()
            if "locked" in str(error) or "busy" in str(error):
                raise busy from error
            raise StoreError(f"{path}: cannot be locked ({error}).") from error
        except sqlite3.DatabaseError:
            # a damaged file: its bytes are kept as they are; the -shm lock above stands
            self.conn.close()
            self.conn = None
        return self

    def __exit__(self, *exc: object) -> None:
        self._release()

    def close_connection(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def _release(self) -> None:
        self.close_connection()
        if self.shm is not None:
            os.close(self.shm)  # drops this process's POSIX locks on the -shm file
            self.shm = None


def _keep_current(db_path: Path, backup_dir: Path, conn: sqlite3.Connection | None) -> Path:
    """Keep the database being replaced beside the other backups: a consistent copy
    through SQLite's backup API, or, for a file SQLite cannot copy (damaged), its
    bytes with its log as they are on disk (they may hold something the backup does not)."""
    private_dir(backup_dir)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    kept = backup_dir / f"{db_path.stem}-{stamp}-before-restore.db"
    if conn is not None:
        try:
            _copy_new_empty(kept)
            target = sqlite3.connect(str(kept.absolute()))
            try:
                conn.backup(target)
                sound = [row[0] for row in target.execute("PRAGMA integrity_check")] == ["ok"]
            finally:
                target.close()
            if sound:
                return kept
            raise sqlite3.DatabaseError("the copy fails the integrity check")
        except sqlite3.DatabaseError:
            for each in (kept, Path(f"{kept}-journal")):
                each.unlink(missing_ok=True)
    try:
        for source, target_path in _with_sidecars(db_path, kept):
            if source.exists():
                _copy_new(source, target_path)
    except OSError as error:
        raise StoreError(
            f"{kept}: the database could not be kept before restoring ({error}); "
            "nothing was changed."
        ) from error
    return kept


def _copy_new_empty(path: Path) -> None:
    os.close(create_private(path))


def _with_sidecars(source: Path, target: Path) -> list[tuple[Path, Path]]:
    return [(source, target)] + [
        (Path(f"{source}{s}"), Path(f"{target}{s}")) for s in ("-wal", "-shm")
    ]


def _copy_new(source: Path, target: Path) -> None:
    fd = create_private(target)
    with os.fdopen(fd, "wb") as out, source.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())


def _put_in_place(backup_path: Path, db_path: Path) -> None:
    """Copy the backup beside the database, then rename it over: the database is at
    every moment either the old file or the whole backup."""
    tmp = db_path.with_name(f".{db_path.name}.restore-{os.getpid()}")
    try:
        _copy_new(backup_path, tmp)
        # the old log belongs to the old file: replayed onto the backup it would damage it
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        os.replace(tmp, db_path)
    except OSError as error:
        raise StoreError(f"{db_path}: the backup could not be put in place ({error}).") from error
    finally:
        tmp.unlink(missing_ok=True)


def listing(db_path: Path) -> list[tuple[Path, bool]]:
    """The backups of the database, newest first, each with whether it is sound."""
    return [(path, is_sound(path)) for path in backups_of(db_path)]
