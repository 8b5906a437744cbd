"""`[mail]` of config.toml (SPEC §6), checked, and the sources it names.

    me = ["alex@example.com"]
    [mail]
    maildir = ["~/Mail/INBOX", "~/Mail/Sent"]
    mbox = []
    [mail.imap]
    host = "imap.example.com"
    user = "alex@example.com"
    password_command = "pass show mail"
    folders = ["INBOX", "Sent"]
    tls = "ssl"          # or "starttls"; "none" only for a loopback host
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from followup_tui.interchange.mail.imap import TLS_MODES, ImapSettings, ImapSource
from followup_tui.interchange.mail.sources import MaildirSource, MailError, MboxSource, Source

if TYPE_CHECKING:
    from followup_tui.settings.config import Config

_MAIL_KEYS = {"maildir", "mbox", "imap"}
_IMAP_KEYS = {"host", "port", "user", "password_command", "folders", "tls", "ca_file"}


@dataclass(frozen=True, slots=True)
class MailSettings:
    maildirs: tuple[Path, ...] = ()
    mboxes: tuple[Path, ...] = ()
    imap: ImapSettings | None = None
    me: tuple[str, ...] = ()

    def sources(self) -> list[Source]:
        """Every configured source, Maildirs first."""
        found: list[Source] = [MaildirSource(p) for p in self.maildirs]
        found += [MboxSource(p) for p in self.mboxes]
        if self.imap is not None:
            found.append(ImapSource(self.imap))
        return found


def _strings(value: object, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Sequence) or not all(
        isinstance(item, str) and item.strip() for item in value
    ):
        raise MailError(f"config.toml: {where} must be a list of non-empty strings")
    return tuple(item.strip() for item in value)


def _imap(table: object) -> ImapSettings:
    if not isinstance(table, Mapping):
        raise MailError("config.toml: [mail.imap] must be a table")
    if "password" in table:
        raise MailError(
            "config.toml: [mail.imap] password is not read: no password is ever stored. "
            "Give password_command, a command that prints it (e.g. \"pass show mail\")"
        )
    unknown = sorted(set(table) - _IMAP_KEYS)
    if unknown:
        raise MailError(f"config.toml: [mail.imap] has unknown keys: {', '.join(unknown)}")
    for key in ("host", "user", "password_command"):
        if not isinstance(table.get(key), str) or not table[key].strip():
            raise MailError(f"config.toml: [mail.imap] {key} is required (a string)")
    port = table.get("port")
    if port is not None and (not isinstance(port, int) or not 0 < port < 65536):
        raise MailError("config.toml: [mail.imap] port must be a number from 1 to 65535")
    tls = table.get("tls", "ssl")
    if tls not in TLS_MODES:
        raise MailError(f"config.toml: [mail.imap] tls must be one of {', '.join(TLS_MODES)}")
    ca_file = table.get("ca_file")
    if ca_file is not None and not isinstance(ca_file, str):
        raise MailError("config.toml: [mail.imap] ca_file must be a path")
    return ImapSettings(
        host=table["host"].strip(), user=table["user"], password_command=table["password_command"],
        port=port, folders=_strings(table.get("folders", ["INBOX"]), "[mail.imap] folders"),
        tls=tls, ca_file=str(Path(ca_file).expanduser()) if ca_file else None,
    )


def mail_settings(config: Mapping[str, Any]) -> MailSettings:
    """The mail settings of a parsed config.toml (its top-level table)."""
    mail = config.get("mail", {})
    if not isinstance(mail, Mapping):
        raise MailError("config.toml: [mail] must be a table")
    unknown = sorted(set(mail) - _MAIL_KEYS)
    if unknown:
        raise MailError(f"config.toml: [mail] has unknown keys: {', '.join(unknown)}")
    me = tuple(a.lower() for a in _strings(config.get("me", []), "me"))
    bad = [a for a in me if "@" not in a]
    if bad:
        raise MailError(f"config.toml: me lists {bad[0]!r}, which is not an email address")
    return MailSettings(
        maildirs=tuple(Path(p).expanduser() for p in _strings(mail.get("maildir", []),
                                                              "[mail] maildir")),
        mboxes=tuple(Path(p).expanduser() for p in _strings(mail.get("mbox", []), "[mail] mbox")),
        imap=_imap(mail["imap"]) if "imap" in mail else None,
        me=me,
    )


def settings_of(config: Config) -> MailSettings:
    """The mail settings of a loaded config (its `[mail]` and `me`, already checked
    with their lines by the config loader; checked again here for what only the
    mail package knows, such as tls = "none" off the loopback host)."""
    return mail_settings({"me": list(config.me), "mail": config.mail_table()})
