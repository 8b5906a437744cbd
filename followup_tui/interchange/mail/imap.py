"""Reading new messages from IMAP folders, read-only (SPEC §6).

EXAMINE (select_folder(readonly=True)) and BODY.PEEK only, so no flag changes;
UIDVALIDITY and the last UID read are remembered per folder. The password comes
from `password_command` each time and is never stored.
"""

from __future__ import annotations

import contextlib
import imaplib
import ipaddress
import sqlite3
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from followup_tui.interchange.mail.sources import BODY_CAP, MailError, RawMail, Tally, Wanted

if TYPE_CHECKING:
    from imapclient import IMAPClient

_HEAD_FIELDS = "BODY.PEEK[HEADER.FIELDS (FROM TO CC)]"
_BATCH = 500
TLS_MODES = ("ssl", "starttls", "none")


@dataclass(frozen=True, slots=True)
class ImapSettings:
    """`[mail.imap]` of config.toml."""

    host: str
    user: str
    password_command: str
    port: int | None = None
    folders: tuple[str, ...] = ("INBOX",)
    tls: str = "ssl"
    #: Trust this CA bundle instead of the system's (a self-signed home server).
    ca_file: str | None = None
    timeout: float = 60.0


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run_password_command(command: str) -> str:
    """The password a command prints (its first line), as mbsync's PassCmd."""
    try:
        done = subprocess.run(
            command, shell=True, capture_output=True, text=True, timeout=60, check=False
        )
    except subprocess.TimeoutExpired:
        raise MailError(f"password_command did not finish in 60 s: {command}") from None
    password = done.stdout.split("\n", 1)[0].rstrip("\r")
    if done.returncode != 0 or not password:
        why = f"exit status {done.returncode}" if done.returncode else "printed nothing"
        raise MailError(f"password_command failed ({why}): {command}")
    return password


class ImapSource:
    """One IMAP account; each folder is its own source name for the cursor."""

    def __init__(self, settings: ImapSettings):
        if settings.tls not in TLS_MODES:
            raise MailError(f"[mail.imap] tls must be one of {', '.join(TLS_MODES)}")
        if settings.tls == "none" and not _is_loopback(settings.host):
            raise MailError(
                f"[mail.imap] tls = \"none\" is allowed only for a loopback host, "
                f"not {settings.host}: the password would cross the network in clear"
            )
        self.settings = settings
        self.name = f"imap:{settings.user}@{settings.host}"
        self._cursors: list[tuple[str, int, int]] = []

    def _connect(self) -> IMAPClient:
        from imapclient import IMAPClient  # noqa: PLC0415 - only when IMAP is configured

        s = self.settings
        context = ssl.create_default_context(cafile=s.ca_file)
        port = s.port or (993 if s.tls == "ssl" else 143)
        client = IMAPClient(
            s.host, port=port, ssl=s.tls == "ssl", ssl_context=context, timeout=s.timeout
        )
        client.normalise_times = False  # aware INTERNALDATEs, not local naive ones
        if s.tls == "starttls":
            client.starttls(context)
        return client

    def read(
        self, db: sqlite3.Connection, wanted: Wanted, tally: Tally, since: datetime | None = None
    ) -> Iterator[RawMail]:
        from imapclient.exceptions import IMAPClientError, LoginError  # noqa: PLC0415

        s = self.settings
        where = f"IMAP server {s.host}"
        password = run_password_command(s.password_command)
        try:
            client = self._connect()
        except (OSError, IMAPClientError, imaplib.IMAP4.error) as error:
            raise MailError(f"cannot connect to {where}: {error}") from None
        try:
            try:
                client.login(s.user, password)
            except LoginError:
                raise MailError(
                    f"{where} refused the login for {s.user}: check the user and "
                    "what password_command prints"
                ) from None
            for folder in s.folders:
                yield from self._folder(client, folder, db, wanted, tally, since)
        except (OSError, EOFError, imaplib.IMAP4.abort) as error:
            raise MailError(
                f"the connection to {where} was lost during the scan ({error or 'closed'}); "
                "nothing was recorded: scan again"
            ) from None
        except imaplib.IMAP4.error as error:
            raise MailError(f"{where} refused a command: {error}") from None
        finally:
            with contextlib.suppress(Exception):  # already gone
                client.logout()

    def _folder(
        self, client: IMAPClient, folder: str, db: sqlite3.Connection, wanted: Wanted,
        tally: Tally, since: datetime | None,
    ) -> Iterator[RawMail]:
        from imapclient.exceptions import IMAPClientError  # noqa: PLC0415

        try:
            info = client.select_folder(folder, readonly=True)  # EXAMINE: flags untouched
        except IMAPClientError as error:
            raise MailError(f"cannot open the IMAP folder {folder!r}: {error}") from None
        uidvalidity = int(info[b"UIDVALIDITY"])
        name = f"{self.name}/{folder}"
        row = db.execute(
            "SELECT uidvalidity, last_uid FROM mail_cursor WHERE source = ?", (name,)
        ).fetchone()
        last = row[1] if row is not None and row[0] == uidvalidity and row[1] else 0
        # a new UIDVALIDITY means every UID changed meaning: read the folder again
        # (suggestions are unique by Message-ID, so none is made twice)
        if last:
            uids = [uid for uid in client.search(["UID", f"{last + 1}:*"]) if uid > last]
        elif since is not None:
            # SINCE compares dates only: a day early is fine, the scan drops what is older
            uids = client.search(["SINCE", since.date() - timedelta(days=1)])
        else:
            uids = client.search(["ALL"])
        uids.sort()
        tally.expected += len(uids)
        for start in range(0, len(uids), _BATCH):
            batch = uids[start : start + _BATCH]
            heads = client.fetch(batch, [_HEAD_FIELDS, "INTERNALDATE"])
            chosen = []
            for uid in batch:
                data = heads.get(uid)
                if data is None:
                    continue  # expunged meanwhile
                tally.read += 1
                head = next((v for k, v in data.items() if k.startswith(b"BODY[")), b"")
                if wanted(head or b""):
                    chosen.append(uid)
            if chosen:
                bodies = client.fetch(chosen, [f"BODY.PEEK[]<0.{BODY_CAP}>", "INTERNALDATE"])
                for uid in chosen:
                    data = bodies.get(uid, {})
                    raw = next((v for k, v in data.items() if k.startswith(b"BODY[")), None)
                    if not raw:
                        tally.skip("vanished during the scan")
                        continue
                    internal = data.get(b"INTERNALDATE")
                    if isinstance(internal, datetime) and internal.tzinfo is None:
                        internal = internal.replace(tzinfo=UTC)
                    yield RawMail(bytes(raw), internal if isinstance(internal, datetime) else None)
        self._cursors.append((name, uidvalidity, max(uids, default=last)))

    def record(self, db: sqlite3.Connection) -> None:
        db.executemany(
            "INSERT INTO mail_cursor (source, uidvalidity, last_uid) VALUES (?, ?, ?) "
            "ON CONFLICT (source) DO UPDATE SET uidvalidity = excluded.uidvalidity, "
            "last_uid = excluded.last_uid",
            self._cursors,
        )
