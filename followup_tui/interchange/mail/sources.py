"""Reading new messages from a Maildir or an mbox file, read-only, remembering where
it stopped: Maildir file names, mbox byte offsets (SPEC §6).

A source reads only what is new, looks at each new message's header block first,
and reads the rest (up to BODY_CAP) only when `wanted(header_block)` says the
message may match. What it read is recorded by `record`, inside the scan's one
transaction, after the whole scan succeeded.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from followup_tui.errors import UserError

#: What is read of a message at most: the text and a calendar part come first in
#: practice; a 20 MB attachment after them is never read, let alone decoded.
BODY_CAP = 2 * 1024 * 1024
HEAD_CAP = 256 * 1024  # a header block longer than this is not a header block


class MailError(UserError):
    """A mail source cannot be read: the message says which and why."""


@dataclass(slots=True)
class RawMail:
    """A new message that may match: its bytes (capped) and a date to fall back on."""

    raw: bytes
    fallback_date: datetime | None


class Tally(Protocol):
    read: int
    #: New messages a source knows it will read (a progress total; 0: not known yet).
    expected: int

    def skip(self, reason: str) -> None: ...


Wanted = Callable[[bytes], bool]


class Source(Protocol):
    name: str

    def read(
        self, db: sqlite3.Connection, wanted: Wanted, tally: Tally, since: datetime | None
    ) -> Iterator[RawMail]:
        """Yield the new messages `wanted` accepts; count every new one in `tally`.

        `since` is a hint for a source that can search by date (IMAP); the scan
        itself leaves out what is dated earlier."""
        ...

    def record(self, db: sqlite3.Connection) -> None:
        """Remember what `read` read (called inside the scan's transaction)."""
        ...


def _split_head(data: bytes) -> int:
    """Where the header block of `data` ends (the blank line), or -1."""
    ends = [i for i in (data.find(b"\n\n"), data.find(b"\r\n\r\n")) if i >= 0]
    return min(ends) if ends else -1


class MaildirSource:
    """A Maildir folder (its new/ and cur/): a file is read once, by its unique name.

    As notmuch does, the folders' modification times are remembered too: when
    neither new/ nor cur/ changed since, no file was added, renamed or removed,
    and the scan neither lists them nor loads the names it read before.
    """

    #: A folder changed less than this before it was listed may change again within
    #: the same tick of a coarse file-system clock: its time is not trusted then.
    SETTLE_NS = 2_000_000_000

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path).expanduser()
        self.name = f"maildir:{self.path.resolve()}"
        self._read: list[str] = []
        self._stamp: str | None = None  # "new mtime:cur mtime" to remember, if trusted

    def read(
        self, db: sqlite3.Connection, wanted: Wanted, tally: Tally, since: datetime | None = None
    ) -> Iterator[RawMail]:
        try:
            new, cur = os.stat(self.path / "new"), os.stat(self.path / "cur")
            is_maildir = stat.S_ISDIR(new.st_mode) and stat.S_ISDIR(cur.st_mode)
        except OSError:
            is_maildir = False
        if not is_maildir:
            raise MailError(f"{self.path} is not a Maildir (it needs cur/ and new/ folders)")
        stamp = f"{new.st_mtime_ns}:{cur.st_mtime_ns}"
        row = db.execute(
            "SELECT fingerprint FROM mail_cursor WHERE source = ?", (self.name,)).fetchone()
        if row is not None and row[0] == stamp:
            return  # nothing added, renamed or removed since the last scan
        settled = time.time_ns() - max(new.st_mtime_ns, cur.st_mtime_ns) > self.SETTLE_NS
        self._stamp = stamp if settled else None
        seen = {key for (key,) in db.execute(
            "SELECT key FROM mail_seen WHERE source = ?", (self.name,))}
        fresh: list[tuple[str, str]] = []
        for folder in ("new", "cur"):
            for entry in os.scandir(self.path / folder):
                # the unique part of the name: the flags after ":2," change when mail is read
                key = entry.name.split(":", 1)[0]
                if key in seen or entry.name.startswith("."):
                    continue
                seen.add(key)
                fresh.append((entry.path, key))
        tally.expected += len(fresh)  # listed first, so a progress line knows the total
        for path, key in fresh:
            mail = self._open(path, key, wanted, tally)
            if mail is not None:
                yield mail

    def _open(self, path: str, key: str, wanted: Wanted, tally: Tally) -> RawMail | None:
        try:
            with open(path, "rb") as file:
                data = file.read(64 * 1024)
                while _split_head(data) < 0 and len(data) < HEAD_CAP:
                    more = file.read(64 * 1024)
                    if not more:
                        break
                    data += more
                tally.read += 1
                self._read.append(key)
                end = _split_head(data)
                if not wanted(data if end < 0 else data[:end]):
                    return None
                if len(data) < BODY_CAP:
                    data += file.read(BODY_CAP - len(data))
                stamp = os.fstat(file.fileno()).st_mtime
        except FileNotFoundError:
            # moved or deleted by the mail program meanwhile: its new name is read next time
            tally.skip("vanished during the scan")
            return None
        except OSError:
            tally.skip("could not be read")
            self._stamp = None  # so that the next scan lists the folder and tries again
            return None
        return RawMail(data, datetime.fromtimestamp(stamp, UTC))

    def record(self, db: sqlite3.Connection) -> None:
        db.executemany(
            "INSERT OR IGNORE INTO mail_seen (source, key) VALUES (?, ?)",
            ((self.name, key) for key in self._read),
        )
        if self._stamp is not None:
            db.execute(
                "INSERT INTO mail_cursor (source, fingerprint) VALUES (?, ?) "
                "ON CONFLICT (source) DO UPDATE SET fingerprint = excluded.fingerprint",
                (self.name, self._stamp),
            )


class MboxSource:
    """An mbox file, read from the offset the last scan reached.

    Python's `mailbox.mbox` indexes the whole file on opening; reading on from an
    offset needs the split done here: a message starts at a "From " line that
    begins the file or follows a blank line.
    """

    _PROBE = 4096

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path).expanduser()
        self.name = f"mbox:{self.path.resolve()}"
        self._cursor: tuple[int, str] | None = None

    def _fingerprint(self, file: object, offset: int) -> str:
        assert hasattr(file, "seek") and hasattr(file, "read")
        digest = hashlib.sha256()
        file.seek(0)
        digest.update(file.read(min(offset, self._PROBE)))
        file.seek(max(0, offset - self._PROBE))
        digest.update(file.read(min(offset, self._PROBE)))
        return digest.hexdigest()

    def read(
        self, db: sqlite3.Connection, wanted: Wanted, tally: Tally, since: datetime | None = None
    ) -> Iterator[RawMail]:
        row = db.execute(
            "SELECT offset, fingerprint FROM mail_cursor WHERE source = ?", (self.name,)
        ).fetchone()
        try:
            # opened without blocking, and only a regular file is read: a FIFO or a device
            # named by mistake would wait forever for mail that never comes
            fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
        except OSError as error:
            raise MailError(f"cannot read the mbox {self.path}: {error.strerror}") from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise MailError(f"{self.path} is not an mbox file (a folder, a pipe or a device); "
                            "give the path of the mbox file itself.")
        os.set_blocking(fd, True)
        file = os.fdopen(fd, "rb")
        with file:
            size = os.fstat(file.fileno()).st_size
            start = 0
            # a rewritten file (expunged, compacted) is read again from the start:
            # suggestions are unique by Message-ID, so nothing is suggested twice
            if (row is not None and row[0] is not None and row[0] <= size
                    and self._fingerprint(file, row[0]) == row[1]):
                start = row[0]
            yield from self._split(file, start, wanted, tally)

    def _split(self, file: object, start: int, wanted: Wanted, tally: Tally) -> Iterator[RawMail]:
        assert hasattr(file, "seek")
        file.seek(start)
        position = start
        done = start  # the end of the last complete message
        current: int | None = None
        head: list[bytes] = []
        body: list[bytes] = []
        in_head = keep = False
        size = 0
        previous_blank = True
        ended_with_newline = True
        garbage = False

        def finish() -> RawMail | None:
            tally.read += 1
            return RawMail(b"".join(head) + b"\n" + b"".join(body), None) if keep else None

        for line in file:  # type: ignore[attr-defined]
            if line.startswith(b"From ") and previous_blank:
                if current is not None and (mail := finish()) is not None:
                    yield mail
                done = current = position
                head, body, in_head, keep, size = [], [], True, False, 0
            elif current is None:
                garbage = True
            elif in_head:
                if line in (b"\n", b"\r\n"):
                    in_head = False
                    keep = wanted(b"".join(head))
                else:
                    head.append(line)
            elif keep and size < BODY_CAP:
                body.append(line)
                size += len(line)
            previous_blank = line in (b"\n", b"\r\n")
            ended_with_newline = line.endswith(b"\n")
            position += len(line)
        if garbage:
            tally.skip("text before the first message of an mbox")
        if current is not None:
            if ended_with_newline:
                if in_head:  # a message of headers only
                    keep = wanted(b"".join(head))
                if (mail := finish()) is not None:
                    yield mail
                done = position
            else:
                # cut off (still being written, or truncated): read it again next time
                tally.skip("incomplete message at the end of an mbox")
        else:
            done = position
        self._cursor = (done, self._fingerprint(file, done))

    def record(self, db: sqlite3.Connection) -> None:
        if self._cursor is None:
            return
        db.execute(
            "INSERT INTO mail_cursor (source, offset, fingerprint) VALUES (?, ?, ?) "
            "ON CONFLICT (source) DO UPDATE SET offset = excluded.offset, "
            "fingerprint = excluded.fingerprint",
            (self.name, *self._cursor),
        )
