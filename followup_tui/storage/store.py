"""The SQLite store: one file, versioned schema, every write one transaction.

Reads use the standard `sqlite3` connection directly (they are on the hot path
of `due` and the app's start-up), and so do imports (executemany, for speed);
the app's writes go through sqlite-utils, imported only when something is
written. The store returns domain objects, never rows.
"""

from __future__ import annotations

import errno
import json
import os
import re
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from followup_tui.domain.model import (
    PER_INTERVIEW_TYPES,
    Application,
    Contact,
    Event,
    EventType,
    Interview,
    Kind,
)
from followup_tui.domain.record import Record
from followup_tui.errors import UserError
from followup_tui.settings.files import PRIVATE_FILE, create_private, private_dir
from followup_tui.storage.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

if TYPE_CHECKING:
    from sqlite_utils import Database

BUSY_TIMEOUT_MS = 15_000
BACKUPS_KEPT = 7
SQLITE_HEADER = b"SQLite format 3\x00"


class StoreError(UserError):
    """The database cannot be used as asked; the message names the file and what to do."""


def default_db_path() -> Path:
    from followup_tui.settings.config import data_dir

    return data_dir() / "followup.db"


def resolve_db_path(option: str | None) -> tuple[Path, bool]:
    """`--db`, else `FOLLOWUP_TUI_DB`, else the default; and whether it was chosen by the user."""
    if option:
        return Path(option).expanduser(), True
    env = os.environ.get("FOLLOWUP_TUI_DB")
    if env:
        return Path(env).expanduser(), True
    return default_db_path(), False


class ImportCounts(Record):
    applications_added: int = 0
    applications_updated: int = 0
    interviews: int = 0
    contacts: int = 0
    events_added: int = 0


def slug(text: str) -> str:
    """A readable id fragment: 'Acme Shire Council' -> 'acme-shire-council'."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "item"


#: The database files Stores of this process hold open, by (device, inode), with how
#: many hold each. Closing any descriptor of a file drops every POSIX lock the process
#: holds on it, SQLite's included (SQLite's "How To Corrupt An SQLite Database File",
#: 2.2): then another program closing the database believed it was the last, deleted
#: the write-ahead log under the open app, and the app saw no later change (and its
#: threads got "disk I/O error"). So a file open here already is not opened again to
#: read its header: the first Store checked it.
_open_files: dict[tuple[int, int], int] = {}
_open_files_lock = threading.Lock()


def _release_file(key: tuple[int, int] | None) -> None:
    if key is None:
        return
    with _open_files_lock:
        left = _open_files.get(key, 0) - 1
        if left > 0:
            _open_files[key] = left
        else:
            _open_files.pop(key, None)


# --- what a path holds, and making a new database whole ------------------------------


def check_path_kind(path: Path) -> None:
    """Refuse a --db that cannot be a database file, without opening it: SQLite's special
    name ":memory:" (it would keep nothing), a directory, or anything that is not a
    regular file (a named pipe would hang every read, a device such as /dev/null would
    swallow the data and get a "-journal" beside it)."""
    if str(path) == ":memory:":
        raise StoreError(
            ":memory: is SQLite's name for a database that is never saved; give the path "
            "of a database file (--db or FOLLOWUP_TUI_DB)."
        )
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise StoreError(f"{path}: cannot be read ({error.strerror}).") from error
    if stat.S_ISDIR(mode):
        raise StoreError(f"{path}: is a directory; give the path of a database file.")
    if not stat.S_ISREG(mode):
        raise StoreError(
            f"{path}: is not a regular file ({_file_kind(mode)}), so it cannot be a database; "
            "it was left untouched. Give the path of a database file."
        )


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _own_empty_file(path: Path) -> None:
    """An empty file about to become a database is made owner-only, as a new one is."""
    try:
        info = path.stat()
        if info.st_size == 0 and info.st_mode & 0o077 and info.st_uid == os.geteuid():
            os.chmod(path, PRIVATE_FILE)
    except OSError:
        pass  # SQLite's own open reports what is wrong with the file


def _sidecars(path: Path) -> list[Path]:
    return [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal")]


def _remove_with_sidecars(path: Path) -> None:
    for each in (path, *_sidecars(path)):
        # never made (a name too long, a read-only folder): nothing to remove
        with suppress(OSError):
            each.unlink(missing_ok=True)


_T = TypeVar("_T")


def create_database(
    path: Path, fill: Callable[[Store], _T] | None = None
) -> tuple[bool, _T | None]:
    """A new database at `path`, made whole: set up (and filled by `fill`, e.g. a first
    import) under a temporary name, then linked into place. Returns (True, fill's result);
    or (False, None) when a file appeared at `path` meanwhile, which is left as it is.
    A failure leaves nothing at `path`."""
    tmp = path.with_name(f".{path.name}.new-{os.getpid()}-{os.urandom(4).hex()}")
    try:
        fd = create_private(tmp)
        os.close(fd)
    except OSError as error:
        if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise StoreError(
                f"{path}: the file or its directory is read-only; followup-tui needs to "
                "write there. Check the permissions, or choose another --db path."
            ) from error
        raise StoreError(f"{path}: cannot be created ({error.strerror}).") from error
    try:
        try:
            with Store(tmp) as store:
                result = fill(store) if fill is not None else None
        except StoreError as error:
            raise StoreError(str(error).replace(str(tmp), str(path))) from error
        try:
            os.link(tmp, path)  # fails if anything is there: never replaces a file
        except FileExistsError:
            if not os.path.lexists(path):
                raise
            return False, None
        except OSError:
            # a filesystem without hard links: a rename, after a last look
            if os.path.lexists(path):
                return False, None
            os.rename(tmp, path)
        return True, result
    except OSError as error:
        raise StoreError(f"{path}: cannot be created ({error.strerror}).") from error
    finally:
        _remove_with_sidecars(tmp)


def refuse_database_as_output(output: Path, db_path: Path) -> None:
    """Refuse to write an export over the database or its logs (by any name: a link,
    a relative path), which would replace the user's data with the export."""
    real = os.path.realpath(output)
    for each in (db_path, *_sidecars(db_path)):
        same = real == os.path.realpath(each)
        if not same and os.path.exists(output) and os.path.exists(each):
            same = os.path.samefile(output, each)  # a hard link
        if same:
            raise StoreError(
                f"{output}: is the database ({each}); writing the export there would "
                "replace your data. Choose another output file."
            )


# --- damage ----------------------------------------------------------------------------

#: SQLite's result codes for a damaged file: SQLITE_CORRUPT and SQLITE_NOTADB.
_DAMAGE_CODES = (11, 26)


def is_damage(error: BaseException) -> bool:
    """Whether this SQLite error says the file itself is damaged (not busy, not full)."""
    if not isinstance(error, sqlite3.DatabaseError):
        return False
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _DAMAGE_CODES
    text = str(error)
    return "malformed" in text or "not a database" in text


def backups_of(path: Path, backup_dir: Path | None = None) -> list[Path]:
    """The backups in the database's backups folder, newest first: this database's own
    (named after it) and, after them, older ones made before backups were named so."""
    folder = backup_dir or path.parent / "backups"
    try:
        files = [p for p in folder.glob("*.db") if p.is_file() and not p.name.startswith(".")]
    except OSError:
        return []
    own = re.compile(rf"{re.escape(path.stem)}-\d{{8}}T\d+Z-.+\.db")
    # another database's backups (folders are shared) are not offered for this one
    named = re.compile(r".+-\d{8}T\d+Z-.+\.db")
    mine = sorted((p for p in files if own.fullmatch(p.name)), reverse=True)
    older = (p for p in files if p not in mine and not named.fullmatch(p.name))
    return mine + sorted(older, reverse=True)


def is_sound(path: Path) -> bool:
    """Whether the file is a followup-tui database that passes `PRAGMA integrity_check`.

    Read as immutable: checking a backup never writes beside it."""
    try:
        check_path_kind(path)
        uri = f"{path.absolute().as_uri()}?immutable=1"
        conn = sqlite3.connect(uri, uri=True)
        try:
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                return False
            return [row[0] for row in conn.execute("PRAGMA integrity_check")] == ["ok"]
        finally:
            conn.close()
    except (sqlite3.Error, StoreError, OSError, ValueError):
        return False


def sound_backups_text(path: Path, backup_dir: Path | None = None, *, most: int = 3) -> str:
    """Which backups of the database are sound, for a message: the newest few."""
    folder = backup_dir or path.parent / "backups"
    sound = []
    for candidate in backups_of(path, backup_dir):
        if is_sound(candidate):
            sound.append(candidate)
            if len(sound) == most:
                break
    if not sound:
        return f"No sound backup was found in {folder}."
    names = ", ".join(str(p) for p in sound)
    return (
        f"Sound backups (newest first): {names}. "
        f"To go back to one: followup-tui --db {path} restore BACKUP."
    )


def damaged_message(
    path: Path, error: BaseException | str, backup_dir: Path | None = None
) -> str:
    """What to tell a person whose database is damaged: the file, and the sound backups."""
    return (
        f"{path}: the database is damaged ({error}); nothing more is written to it. "
        + sound_backups_text(path, backup_dir)
    )


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


_PARTIAL = re.compile(r"\..+\.partial-(\d+)(-journal|-wal|-shm)?")


def remove_stale_partials(folder: Path) -> None:
    """Remove the unfinished copies that backups killed midway left behind."""
    try:
        names = [p for p in folder.iterdir() if p.name.startswith(".")]
    except OSError:
        return
    for each in names:
        found = _PARTIAL.fullmatch(each.name)
        if found and not _pid_alive(int(found.group(1))):
            each.unlink(missing_ok=True)


class Store:
    """A followup-tui database file.

    Opening checks what the file is before anything is written: bytes that are
    not SQLite, another program's database and a newer schema are refused with
    `StoreError` and left untouched.
    """

    def __init__(self, path: Path, *, must_exist_dir: bool = True, backup_dir: Path | None = None):
        self.path = path
        self.backup_dir = backup_dir or path.parent / "backups"
        self._db: Database | None = None
        self._file_key: tuple[int, int] | None = None
        self._check_file(must_exist_dir)
        try:
            # by its absolute path: SQLite gives names such as ":memory:" another meaning
            self.conn = sqlite3.connect(str(path.absolute()), timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as error:
            _release_file(self._file_key)
            raise StoreError(f"{path}: cannot be opened ({error}).") from error
        try:
            self._prepare()
        except sqlite3.DatabaseError as error:
            self.close()
            raise StoreError(self._explain(error)) from error
        except BaseException:  # a StoreError, or anything else: nothing stays open
            self.close()
            raise

    # --- opening ---------------------------------------------------------------

    def _check_file(self, must_exist_dir: bool) -> None:
        path = self.path
        check_path_kind(path)
        if not path.parent.exists():
            if must_exist_dir:
                raise StoreError(
                    f"{path}: the directory {path.parent} does not exist; create it or choose "
                    "another --db path."
                )
            private_dir(path.parent)
        if path.exists():
            self._check_header()
            _own_empty_file(path)
        # checked before SQLite opens it: SQLite would open a read-only file
        # read-only, creating -wal and -shm files beside it, and fail later
        if (path.exists() and not os.access(path, os.W_OK)) or not os.access(
            path.parent, os.W_OK | os.X_OK
        ):
            raise StoreError(
                f"{path}: the file or its directory is read-only; followup-tui needs to "
                "write there. Check the permissions, or choose another --db path."
            )
        if not path.exists():
            # built whole under another name and linked into place: no other process
            # ever sees the path half made (an empty file, or a schema being written)
            create_database(path)
        # counted before SQLite opens it: a Store that holds SQLite's locks is counted
        with _open_files_lock:
            key = self._file_identity()
            _open_files[key] = _open_files.get(key, 0) + 1
        self._file_key = key

    def _file_identity(self) -> tuple[int, int]:
        try:
            info = self.path.stat()
        except OSError as error:
            raise StoreError(f"{self.path}: cannot be read ({error.strerror}).") from error
        return (info.st_dev, info.st_ino)

    def _check_header(self) -> None:
        """Refuse a file that is not SQLite's by its first bytes; not read again when a
        Store of this process has the file open (see _open_files)."""
        path = self.path
        with _open_files_lock:
            if self._file_identity() in _open_files:
                return
            try:
                with path.open("rb") as handle:
                    header = handle.read(len(SQLITE_HEADER))
            except OSError as error:
                raise StoreError(f"{path}: cannot be read ({error.strerror}).") from error
        if header and header != SQLITE_HEADER:
            raise StoreError(
                f"{path}: is not a SQLite database, so it is not a followup-tui database; "
                "it was left untouched. Choose another --db path."
            )

    def _explain(self, error: sqlite3.Error) -> str:
        text = str(error)
        if "readonly" in text or "read-only" in text:
            return (
                f"{self.path}: the file or its directory is read-only; followup-tui needs to "
                "write there. Check the permissions, or choose another --db path."
            )
        if "unable to open" in text:
            return f"{self.path}: cannot be opened ({text}); check the path and permissions."
        if "locked" in text or "busy" in text:
            return f"{self.path}: another program kept the database busy too long; try again."
        if "constraint" in text:
            return (
                f"{self.path}: the change conflicts with what is stored ({text}); "
                "nothing was written."
            )
        if "full" in text or ("disk I/O" in text and self._disk_full()):
            return f"{self.path}: the disk is full; nothing was written. Free some space and retry."
        if "disk I/O" in text:
            return (
                f"{self.path}: the disk could not be read or written ({text}); nothing was "
                "written. Check the disk and retry."
            )
        return damaged_message(self.path, error)

    def _disk_full(self) -> bool:
        """Whether the database's filesystem has (almost) no room left."""
        try:
            stats = os.statvfs(self.path.parent)
        except OSError:
            return False
        return stats.f_bavail * stats.f_frsize < 1 << 20

    def _prepare(self) -> None:
        conn = self.conn
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # one statement, so one snapshot: read apart, another process creating the
        # file could commit between them (no id yet, then its tables: "another program's")
        app_id, version, tables = conn.execute(
            "SELECT (SELECT application_id FROM pragma_application_id), "
            "(SELECT user_version FROM pragma_user_version), "
            "(SELECT count(*) FROM sqlite_master)"
        ).fetchone()
        if app_id != APPLICATION_ID:
            if app_id != 0 or tables or version:
                raise StoreError(
                    f"{self.path}: is another program's SQLite database, not followup-tui's; "
                    "it was left untouched. Choose another --db path."
                )
            version = 0  # a new, empty file: ours to set up
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: was written by a newer followup-tui (schema {version}, this one "
                f"knows up to {SCHEMA_VERSION}); it was left untouched. Upgrade followup-tui."
            )
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        if version < SCHEMA_VERSION:
            self._migrate(version)

    def _migrate(self, version: int) -> None:
        if version > 0:
            self.backup(reason=f"before-migration-v{version}")
        conn = self.conn
        # One transaction, so no other process ever sees half a schema; and the
        # version is read again under the lock, because two processes opening a
        # new file at once both find it empty and only one may set it up.
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
            while version < SCHEMA_VERSION:
                MIGRATIONS[version](conn)
                version += 1
                conn.execute(f"PRAGMA user_version = {version}")
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.conn.close()
        _release_file(self._file_key)
        self._file_key = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def db(self) -> Database:
        """The sqlite-utils view of the same connection (imported on first write)."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn, execute_plugins=False, recursive_triggers=False)
        return self._db

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One write transaction; taken IMMEDIATE so a busy peer is waited for, not failed on."""
        if self.conn.in_transaction:
            with self.db.atomic() as db:  # nested: a savepoint
                yield db
            return
        with self.locked():
            yield self.db

    @contextmanager
    def locked(self) -> Iterator[sqlite3.Connection]:
        """A write transaction on the bare connection, without loading sqlite-utils.

        `due` refreshes the follow-up cache this way: importing sqlite-utils
        alone would cost it a fifth of its time.
        """
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise StoreError(self._explain(error)) from error
        try:
            yield conn
        except sqlite3.Error as error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise StoreError(self._explain(error)) from error
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise StoreError(self._explain(error)) from error

    def data_version(self) -> int:
        """Changes when another connection commits (SQLite's `PRAGMA data_version`)."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def data_generation(self) -> int | None:
        """Moves with every change to the data, whoever makes it; not with the
        follow-up cache's writes (see schema.GENERATION). None when its row is gone
        (a file edited by hand): then any commit may be a change."""
        found = self.conn.execute("SELECT n FROM data_generation").fetchone()
        return found[0] if found is not None and isinstance(found[0], int) else None

    # --- backups ------------------------------------------------------------

    def backup(self, destination: Path | None = None, *, reason: str = "manual") -> Path:
        """A consistent copy through SQLite's backup API; keeps the last 7 automatic ones.

        Written under a temporary name, checked (`PRAGMA integrity_check`), then linked
        to its name: a copy killed midway, or of a damaged database, never holds the
        final name. Automatic backups are named after the database (`<stem>-<time>-
        <reason>.db`), so databases sharing a folder each get their own.
        """
        if destination is None:
            private_dir(self.backup_dir)
            remove_stale_partials(self.backup_dir)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            destination = self.backup_dir / f"{self.path.stem}-{stamp}-{reason}.db"
        if os.path.lexists(destination):
            raise StoreError(f"{destination}: already exists; choose a new file name.")
        partial = destination.with_name(f".{destination.name}.partial-{os.getpid()}")
        try:
            fd = create_private(partial)
            os.close(fd)
            target = sqlite3.connect(str(partial.absolute()))
            try:
                self.conn.backup(target)
                found = [row[0] for row in target.execute("PRAGMA integrity_check")]
            finally:
                target.close()
            if found != ["ok"]:
                raise StoreError(
                    damaged_message(self.path, f"integrity check: {found[0]}", self.backup_dir)
                    + f" No backup was written to {destination}."
                )
            try:
                os.link(partial, destination)  # never replaces a file that appeared
            except FileExistsError:
                raise StoreError(
                    f"{destination}: already exists; choose a new file name."
                ) from None
            except OSError:
                os.rename(partial, destination)  # no hard links on this filesystem
        except sqlite3.DatabaseError as error:
            if is_damage(error):
                raise StoreError(
                    damaged_message(self.path, error, self.backup_dir)
                    + f" No backup was written to {destination}."
                ) from error
            raise StoreError(
                f"{destination}: the backup could not be written ({error})."
            ) from error
        except OSError as error:
            raise StoreError(
                f"{destination}: the backup could not be written ({error})."
            ) from error
        finally:
            _remove_with_sidecars(partial)
        if destination.parent == self.backup_dir:
            self._prune_backups()
        return destination

    def _own_backups(self, pattern: str) -> list[Path]:
        """This database's backups in its folder whose time and reason match `pattern`."""
        own = re.compile(rf"{re.escape(self.path.stem)}-{pattern}\.db")
        try:
            return sorted(p for p in self.backup_dir.iterdir() if own.fullmatch(p.name))
        except OSError:
            return []

    def _prune_backups(self) -> None:
        # only the daily copies rotate; one made on demand or before a migration stays
        copies = self._own_backups(r"\d{8}T\d+Z-daily")
        for old in copies[:-BACKUPS_KEPT]:
            old.unlink(missing_ok=True)

    def daily_backup(self) -> Path | None:
        """The app's once-a-day copy: made unless one was already made today (UTC).

        Backup names carry the real time, not the program's "now": they record
        when the copy was taken, whatever date the user is previewing. Only finished
        copies count, so one that failed or was killed is tried again at the next launch.
        """
        today = datetime.now(UTC).strftime("%Y%m%d")
        if self._own_backups(rf"{today}T\d+Z-.+"):
            return None
        if self.count_applications() == 0:
            return None
        return self.backup(reason="daily")

    def verify(self) -> None:
        """Refuse a damaged database before writing into it (`PRAGMA quick_check`)."""
        try:
            found = [row[0] for row in self.conn.execute("PRAGMA quick_check")]
        except sqlite3.DatabaseError as error:
            raise StoreError(self._explain(error)) from error
        if found != ["ok"]:
            raise StoreError(
                damaged_message(self.path, f"quick check: {found[0]}", self.backup_dir)
            )

    # --- reading --------------------------------------------------------------

    def count_applications(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM applications").fetchone()[0])

    def load_all(self, *, details: bool = True) -> list[Application]:
        """Every application with its interviews and events: a few queries, one pass.

        `details=False` leaves out what the rules never read (contacts, notes,
        interviewers, topics, fit points, where events and invitations came from,
        `applied_on`): `due` and the lists load that way.
        """
        return self._load("", (), details)

    def batches(self, size: int = 2000, *, details: bool = True) -> Iterator[list[Application]]:
        """Every application, `size` at a time (in stored order), so that reading them all
        holds one batch in memory, not 100,000 applications. Call inside a read
        transaction (cache.snapshot) for every batch to see the same data."""
        ids = [row[0] for row in self.conn.execute("SELECT id FROM applications ORDER BY rowid")]
        for start in range(0, len(ids), size):
            yield self.load_many(ids[start:start + size], details=details)

    def load_application(self, application_id: str) -> Application | None:
        found = self._load("= ?", (application_id,), True)
        return found[0] if found else None

    def load_many(self, ids: Iterable[str], *, details: bool = True) -> list[Application]:
        """These applications (in stored order); ids not stored are skipped."""
        return self._load("IN (SELECT value FROM json_each(?))", (json.dumps(list(ids)),), details)

    def _load(self, match: str, args: tuple[Any, ...], details: bool) -> list[Application]:
        """`match` picks applications by id ("= ?", "IN (...)"); empty for all of them."""
        conn = self.conn
        where = f"WHERE application_id {match}" if match else ""
        # One object per distinct value of the fields that repeat (companies, roles,
        # interviewers, topics, the interview an event names...): SQLite returns a new
        # string for every row, and at 100,000 applications the copies were tens of MiB
        # the app held for as long as it ran. Only repeating fields: a unique value
        # would cost the table an entry for nothing.
        shared: dict[Any, Any] = {}
        one = shared.setdefault

        def many(items: str) -> tuple[str, ...]:
            return tuple([shared.setdefault(item, item) for item in loads(items)])

        loads = json.loads
        contacts: dict[str, list[Contact]] = {}
        if details:
            for app_id, name, title, email, phone in conn.execute(
                "SELECT application_id, name, title, email, phone FROM contacts "
                f"{where} ORDER BY id",
                args,
            ):
                contacts.setdefault(app_id, []).append(
                    Contact(one(name, name), one(title, title), email, phone)
                )
        interviews: dict[str, list[Interview]] = {}
        if details:
            for row in conn.execute(
                "SELECT application_id, id, starts_at, ends_at, duration_minutes, format, round, "
                "interviewers, topics, fit_points, decision_by, notes, uid, sequence, cancelled "
                f"FROM interviews {where} ORDER BY rowid",
                args,
            ):
                interviews.setdefault(row[0], []).append(
                    Interview(
                        one(row[1], row[1]),
                        row[2],
                        row[3],
                        row[4],
                        one(row[5], row[5]),
                        one(row[6], row[6]),
                        many(row[7]),
                        many(row[8]),
                        many(row[9]),
                        row[10],
                        row[11],
                        row[12],
                        row[13],
                        bool(row[14]),
                    )
                )
        else:
            for app_id, iv_id, starts, ends, minutes, fmt, round_, decision, off in conn.execute(
                "SELECT application_id, id, starts_at, ends_at, duration_minutes, format, round, "
                f"decision_by, cancelled FROM interviews {where} ORDER BY rowid",
                args,
            ):
                interviews.setdefault(app_id, []).append(
                    Interview(
                        one(iv_id, iv_id), starts, ends, minutes, one(fmt, fmt),
                        one(round_, round_), decision_by=decision, cancelled=bool(off),
                    )
                )
        events: dict[str, list[Event]] = {}
        types, kinds = _EVENT_TYPES, _KINDS
        text = "text, source, message_id" if details else "'', NULL, NULL"
        # applied_on is read either way: the figures (stats --since) count from it
        link_notes = "link, notes, applied_on" if details else "'', '', applied_on"
        for app_id, event_id, at, type_, interview_id, kind, until, note, source, message in (
            conn.execute(
                "SELECT application_id, id, at, type, interview_id, kind, until, "
                f"{text} FROM events {where} ORDER BY id",
                args,
            )
        ):
            events.setdefault(app_id, []).append(
                Event(
                    at, types[type_], one(interview_id, interview_id), kinds[kind], until, note,
                    event_id, one(source, source), message,
                )
            )
        app_where = f"WHERE id {match}" if match else ""
        none: tuple[Any, ...] = ()
        return [
            Application(
                app_id,
                one(company, company),
                one(role, role),
                link,
                notes,
                applied_on,
                tuple(contacts[app_id]) if app_id in contacts else none,
                tuple(interviews[app_id]) if app_id in interviews else none,
                tuple(events[app_id]) if app_id in events else none,
            )
            for app_id, company, role, link, notes, applied_on in conn.execute(
                f"SELECT id, company, role, {link_notes} "
                f"FROM applications {app_where} ORDER BY rowid",
                args,
            )
        ]

    def interview_owner(self, interview_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT application_id FROM interviews WHERE id = ?", (interview_id,)
        ).fetchone()
        return row[0] if row else None

    def interview_owners(self) -> dict[str, str]:
        """Every stored interview id and the application it belongs to."""
        return dict(self.conn.execute("SELECT id, application_id FROM interviews"))

    def application_ids(self) -> set[str]:
        return {row[0] for row in self.conn.execute("SELECT id FROM applications")}

    def get_setting(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    # --- ids ------------------------------------------------------------------

    def new_application_id(self, company: str, role: str) -> str:
        return self._unique(f"{slug(company)}-{slug(role)}", "applications")

    def new_interview_id(self, application_id: str) -> str:
        return self._unique(f"{application_id}-1", "interviews", numbered=True)

    def _unique(self, wanted: str, table: str, numbered: bool = False) -> str:
        base = wanted[:-2] if numbered else wanted
        candidate, n = wanted, 1
        while self.conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (candidate,)).fetchone():
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    # --- writing ----------------------------------------------------------------

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.table("settings").upsert({"key": key, "value": value}, pk="key")

    def save_application(self, app: Application) -> None:
        """Insert or update the application's own fields (not its children)."""
        with self.transaction() as db:
            db.table("applications").upsert(_application_row(app), pk="id")

    def save_contacts(self, application_id: str, contacts: Iterable[Contact]) -> None:
        """Replace the application's contacts."""
        with self.transaction() as db:
            db.execute("DELETE FROM contacts WHERE application_id = ?", [application_id])
            db.table("contacts").insert_all(_contact_rows(application_id, contacts))

    def save_interview(self, application_id: str, interview: Interview) -> None:
        """Insert or update one interview."""
        owner = self.interview_owner(interview.id)
        if owner is not None and owner != application_id:
            raise StoreError(f"interview id {interview.id!r} belongs to application {owner!r}.")
        with self.transaction() as db:
            db.table("interviews").upsert(_interview_row(application_id, interview), pk="id")

    def delete_interview(self, interview_id: str) -> None:
        """Remove an interview with its own follow-up events (sent, called, snoozed,
        skipped); other events that named it (a reply, an offer, on hold) stay, unnamed."""
        per_interview = sorted(t.value for t in PER_INTERVIEW_TYPES)
        with self.transaction() as db:
            db.execute(
                f"DELETE FROM events WHERE interview_id = ? AND type IN "
                f"({', '.join('?' for _ in per_interview)})",
                [interview_id, *per_interview],
            )
            db.execute("DELETE FROM interviews WHERE id = ?", [interview_id])

    def delete_application(self, application_id: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM applications WHERE id = ?", [application_id])

    def add_event(self, application_id: str, event: Event) -> int:
        """Log an event the user records here (its source is "app" unless it says
        another); returns its id."""
        if event.source is None:
            event = event.replace(source="app")
        with self.transaction() as db:
            table = db.table("events")
            table.insert(_event_row(application_id, event))
            return int(table.last_rowid or 0)

    def delete_event(self, event_id: int) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM events WHERE id = ?", [event_id])

    def update_event(self, application_id: str, old: Event, new: Event | None) -> bool:
        """Correct one stored event: the first equal to `old` becomes `new` (None deletes
        it). Its source and message id stay. False when no such event is stored (it
        changed elsewhere meanwhile)."""
        columns = _COLUMNS["events"][:7]  # what an event is: not where it came from
        where = " AND ".join(f"{column} IS ?" for column in columns)
        with self.transaction() as db:
            row = db.execute(
                f"SELECT id FROM events WHERE {where} ORDER BY id LIMIT 1",
                list(_event_values(application_id, old)[:7]),
            ).fetchone()
            if row is None:
                return False
            if new is None:
                db.execute("DELETE FROM events WHERE id = ?", [row[0]])
            else:
                values = _event_values(application_id, new)[1:7]
                sets = ", ".join(f"{column} = ?" for column in columns[1:])
                db.execute(f"UPDATE events SET {sets} WHERE id = ?", [*values, row[0]])
        return True

    def replace_application(self, application_id: str, app: Application | None) -> None:
        """Make the stored application exactly `app` (None: remove it). Undo is built on this."""
        with self.transaction() as db:
            db.execute("DELETE FROM applications WHERE id = ?", [application_id])
            if app is not None:
                self._insert_whole(db, app)

    def _insert_whole(self, db: Database, app: Application) -> None:
        _insert_new(db.conn, [app])

    def import_applications(self, apps: list[Application]) -> ImportCounts:
        """Add or update applications by id, all in one transaction.

        An application already stored gets the file's fields; its contacts are
        merged by name, its interviews upserted by id, and events not already
        recorded are added. Nothing is deleted, so a re-import never duplicates
        and never loses what was logged in the meantime.
        """
        conn = self.conn
        self.verify()  # never write into a damaged file
        # On its own the import locks the bare connection: it writes through
        # executemany and needs no sqlite-utils (a tenth of a second to load).
        with self.transaction() if conn.in_transaction else self.locked(), _page_cache(conn):
            # read under the write lock: an application another process adds
            # meanwhile is then an update here, not a clash
            existing = self.application_ids()
            new_apps = [app for app in apps if app.id not in existing]
            _insert_new(conn, new_apps)
            merged = [app for app in apps if app.id in existing]
            interviews, contacts, events_added = self._merge(merged)
        for app in new_apps:
            interviews += len(app.interviews)
            contacts += len(app.contacts)
            events_added += len(app.events)
        return ImportCounts(len(new_apps), len(merged), interviews, contacts, events_added)

    def _merge(self, apps: list[Application]) -> tuple[int, int, int]:
        """Merge stored applications with these, in their order, a batch at a time.

        A batch never holds an id twice, so each one reads what the batches
        before it wrote, as merging one application after another would; only
        which fault is named first can differ when one import has two. Returns
        the interviews, contacts and new events merged.
        """
        interviews = contacts = events_added = 0
        batch: list[Application] = []
        ids: set[str] = set()
        for app in apps:
            if app.id in ids or len(batch) == MERGE_BATCH:
                events_added += _merge_batch(self.conn, batch)
                batch, ids = [], set()
            batch.append(app)
            ids.add(app.id)
            interviews += len(app.interviews)
            contacts += len(app.contacts)
        if batch:
            events_added += _merge_batch(self.conn, batch)
        return interviews, contacts, events_added


#: Stored applications merged per batch of a re-import (what one batch reads back).
MERGE_BATCH = 5000
#: SQLite's page cache while importing, at most: 100,000 applications with
#: ids in no order import a fifth faster than in the default 2 MiB, and a
#: larger cache gains little more.
IMPORT_CACHE_KIB = 64 * 1024


_EVENT_TYPES = {member.value: member for member in EventType}
_KINDS: dict[str | None, Kind | None] = {None: None, **{member.value: member for member in Kind}}


_COLUMNS = {
    "applications": ("id", "company", "role", "link", "notes", "applied_on"),
    "contacts": ("application_id", "name", "title", "email", "phone"),
    "interviews": (
        "id",
        "application_id",
        "starts_at",
        "ends_at",
        "duration_minutes",
        "format",
        "round",
        "interviewers",
        "topics",
        "fit_points",
        "decision_by",
        "notes",
        "uid",
        "sequence",
        "cancelled",
    ),
    "events": (
        "application_id",
        "at",
        "type",
        "interview_id",
        "kind",
        "until",
        "text",
        "source",
        "message_id",
    ),
}
_INSERT = {
    table: f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    for table, columns in _COLUMNS.items()
}
_UPSERT_INTERVIEW = (
    _INSERT["interviews"]
    + " ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(f"{column} = excluded.{column}" for column in _COLUMNS["interviews"][1:])
)
_OF_APPLICATIONS = "WHERE application_id IN (SELECT value FROM json_each(?))"


@contextmanager
def _page_cache(conn: sqlite3.Connection) -> Iterator[None]:
    """SQLite's page cache raised to IMPORT_CACHE_KIB for a while, then as it was.

    Ids come in no particular order, so a large import writes all over the
    indexes: in the default 2 MiB the pages would be spilled to the WAL and
    read back many times over. The cache takes memory only as pages are used.
    """
    size = int(conn.execute("PRAGMA cache_size").fetchone()[0])
    conn.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {size}")


def _insert_new(conn: sqlite3.Connection, apps: list[Application]) -> None:
    """Insert these applications (none of them stored) with everything they hold.

    Plain tuples through executemany: at 100,000 applications several times
    faster than sqlite-utils' inserts, which build dicts and SQL a chunk at a time.
    """
    conn.executemany(_INSERT["applications"], map(_application_values, apps))
    # What an application holds goes in by its id, so the indexes on
    # application_id grow at one end; each one's own order is kept.
    apps = sorted(apps, key=_by_id)
    conn.executemany(
        _INSERT["contacts"], (_contact_values(a.id, c) for a in apps for c in a.contacts)
    )
    conn.executemany(
        _INSERT["interviews"], (_interview_values(a.id, iv) for a in apps for iv in a.interviews)
    )
    conn.executemany(_INSERT["events"], (_event_values(a.id, ev) for a in apps for ev in a.events))


def _merge_batch(conn: sqlite3.Connection, batch: list[Application]) -> int:
    """Merge stored applications (each id once) with these; returns the events added.

    The application's fields are the file's; a contact updates the stored
    ones of its name or is added; an interview is upserted by id unless it
    belongs to another application; an event is added unless the application
    already has one the same in every field.
    """
    conn.executemany(
        "UPDATE applications SET company = ?, role = ?, link = ?, notes = ?, applied_on = ? "
        "WHERE id = ?",
        [(a.company, a.role, a.link, a.notes, a.applied_on, a.id) for a in batch],
    )
    ids = (json.dumps([a.id for a in batch]),)
    named = set(conn.execute(f"SELECT application_id, name FROM contacts {_OF_APPLICATIONS}", ids))
    updates, added = [], []
    for app in batch:
        for c in app.contacts:
            if (app.id, c.name) in named:
                updates.append((c.title, c.email, c.phone, app.id, c.name))
            else:
                added.append(_contact_values(app.id, c))
    conn.executemany(
        "UPDATE contacts SET title = ?, email = ?, phone = ? WHERE application_id = ? AND name = ?",
        updates,
    )
    conn.executemany(_INSERT["contacts"], added)
    wanted = (json.dumps([iv.id for a in batch for iv in a.interviews]),)
    owners: dict[str, str] = dict(
        conn.execute(
            "SELECT id, application_id FROM interviews WHERE id IN "
            "(SELECT value FROM json_each(?))",
            wanted,
        )
    )
    upserts = []
    for app in batch:
        for iv in app.interviews:
            owner = owners.setdefault(iv.id, app.id)
            if owner != app.id:
                raise StoreError(
                    f"interview id {iv.id!r} already belongs to application {owner!r}."
                )
            upserts.append(_interview_values(app.id, iv))
    conn.executemany(_UPSERT_INTERVIEW, upserts)
    # an event's row is also its identity: the same in every field is the same event
    known = set(
        conn.execute(f"SELECT {', '.join(_COLUMNS['events'])} FROM events {_OF_APPLICATIONS}", ids)
    )
    fresh = [
        row
        for app in batch
        for row in (_event_values(app.id, ev) for ev in app.events)
        if row not in known
    ]
    conn.executemany(_INSERT["events"], fresh)
    return len(fresh)


def _by_id(app: Application) -> str:
    return app.id


def _application_values(app: Application) -> tuple[Any, ...]:
    return (app.id, app.company, app.role, app.link, app.notes, app.applied_on)


def _application_row(app: Application) -> dict[str, Any]:
    return dict(zip(_COLUMNS["applications"], _application_values(app), strict=True))


def _contact_values(application_id: str, c: Contact) -> tuple[Any, ...]:
    return (application_id, c.name, c.title, c.email, c.phone)


def _contact_rows(application_id: str, contacts: Iterable[Contact]) -> list[dict[str, Any]]:
    columns = _COLUMNS["contacts"]
    return [dict(zip(columns, _contact_values(application_id, c), strict=True)) for c in contacts]


#: One encoder for every row (json.dumps with options builds a new one per call).
_json = json.JSONEncoder(ensure_ascii=False).encode
_json_text = json.encoder.encode_basestring  # what that encoder writes for a string


def _json_list(items: tuple[str, ...]) -> str:
    """`_json(list(items))`, about five times faster for the lists of text interviews hold."""
    try:
        return "[" + ", ".join(map(_json_text, items)) + "]"
    except TypeError:  # not all text: the encoder proper
        return _json(list(items))


def _interview_values(application_id: str, iv: Interview) -> tuple[Any, ...]:
    return (
        iv.id,
        application_id,
        iv.starts_at,
        iv.ends_at,
        iv.duration_minutes,
        iv.format,
        iv.round,
        _json_list(iv.interviewers),
        _json_list(iv.topics),
        _json_list(iv.fit_points),
        iv.decision_by,
        iv.notes,
        iv.uid,
        iv.sequence,
        int(iv.cancelled),
    )


def _interview_row(application_id: str, iv: Interview) -> dict[str, Any]:
    return dict(zip(_COLUMNS["interviews"], _interview_values(application_id, iv), strict=True))


def _event_values(application_id: str, ev: Event) -> tuple[Any, ...]:
    # `_value_` is the member's own attribute; `.value` is a property, slower to read
    return (
        application_id,
        ev.at,
        ev.type._value_,
        ev.interview,
        None if ev.kind is None else ev.kind._value_,
        ev.until,
        ev.text,
        ev.source,
        ev.message_id,
    )


def _event_row(application_id: str, ev: Event) -> dict[str, Any]:
    return dict(zip(_COLUMNS["events"], _event_values(application_id, ev), strict=True))
