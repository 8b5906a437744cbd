"""The user's settings: `config.toml` in the config directory.

A malformed file is an error the user sees, with its line; it is never ignored.
"""

from __future__ import annotations

import os
import re
import stat
from datetime import date, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from followup_tui.domain.model import Rules
from followup_tui.domain.record import Record
from followup_tui.errors import UserError

APP_NAME = "followup-tui"


class ConfigError(UserError):
    """The config file cannot be used; the message says where and why."""


def config_dir() -> Path:
    """Where config.toml and templates/ live (`FOLLOWUP_TUI_CONFIG_DIR` overrides)."""
    override = os.environ.get("FOLLOWUP_TUI_CONFIG_DIR")
    if override:
        return Path(override)
    import platformdirs

    return platformdirs.user_config_path(APP_NAME)


def data_dir() -> Path:
    """Where the database and its backups live by default."""
    import platformdirs

    return platformdirs.user_data_path(APP_NAME)


class Config(Record):
    timezone: str | None = None
    thank_you_window_hours: float = 24
    call_after_business_days: int = 3
    #: SPEC §9: business days of silence after a call before an application is ghosted.
    ghosted_after_business_days: int = 10
    holidays_country: str | None = None
    holidays_subdivision: str | None = None
    max_words: int = 200
    name: str = ""
    signature: str = ""
    theme: str | None = None
    path: Path | None = None
    #: SPEC §6: the user's own addresses (top-level `me`), lower-cased.
    me: tuple[str, ...] = ()
    #: SPEC §6: the `[mail]` table, checked here (with its lines) and frozen as nested
    #: (key, value) pairs; interchange.mail builds its sources from `mail_table()`.
    mail: tuple[tuple[str, Any], ...] = ()

    def mail_table(self) -> dict[str, Any]:
        """The `[mail]` table as config.toml gave it (lists and sub-tables rebuilt)."""
        return {key: _thawed(value) for key, value in self.mail}

    @property
    def holidays_fingerprint(self) -> str:
        """Which public holidays the business days skip (part of the cache's stamp)."""
        return f"{self.holidays_country or ''}/{self.holidays_subdivision or ''}"


# key -> (type check, description for the error message)
_FIELDS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "timezone": (str, "a time zone name such as 'Australia/Sydney'"),
    "thank_you_window_hours": ((int, float), "a number of hours from 1 to 720"),
    "call_after_business_days": (int, "a whole number of business days from 1 to 60"),
    "ghosted_after_business_days": (int, "a whole number of business days from 1 to 260"),
    "max_words": (int, "a whole number of words from 1 to 5000"),
    "name": (str, "text"),
    "signature": (str, "text"),
    "theme": (str, "the name of a Textual theme"),
}


_BOUNDS = {
    "thank_you_window_hours": (1, 720),
    "call_after_business_days": (1, 60),
    "ghosted_after_business_days": (1, 260),
    "max_words": (1, 5000),
}


#: A settings file is a few lines; anything this big is not one.
MAX_CONFIG_BYTES = 1_000_000


def _read_config_text(path: Path) -> str | None:
    """The file's text, or None when there is none.

    Opened without blocking and checked to be a regular file before reading: a FIFO
    or a device named config.toml would otherwise hang every command.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read ({error.strerror}).") from error
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ConfigError(f"{path}: is not a regular file; config.toml must be a file.")
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read ({error.strerror}).") from error
    finally:
        os.close(fd)
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: is larger than {MAX_CONFIG_BYTES:,} bytes; not a config file.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: cannot be read ({error}).") from error


def _line_of(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^[ \t]*{re.escape(key)}[ \t]*=", re.M)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _fault(path: Path, text: str, key: str, what: str) -> ConfigError:
    line = _line_of(text, key)
    where = f"{path}, line {line}" if line else str(path)
    return ConfigError(f"{where}: '{key}' must be {what}.")


def load_config(path: Path | None = None) -> Config:
    """Read config.toml (missing file: the defaults). Raises ConfigError naming the line."""
    path = path or config_dir() / "config.toml"
    text = _read_config_text(path)
    if text is None:
        return Config(path=path)
    import tomllib  # only when there is a file to read

    try:
        raw: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}.") from error
    except RecursionError:
        # tomllib parses nested arrays and tables recursively
        raise ConfigError(f"{path}: not valid TOML: values are nested too deeply.") from None

    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "holidays":
            values.update(_holidays(path, text, value))
            continue
        if key == "me":
            values["me"] = _me(path, text, value)
            continue
        if key == "mail":
            values["mail"] = _mail(path, text, value)
            continue
        if key not in _FIELDS:
            known = ", ".join([*_FIELDS, "holidays", "me", "mail"])
            line = _line_of(text, key)
            where = f"{path}, line {line}" if line else str(path)
            raise ConfigError(f"{where}: unknown setting '{key}' (known: {known}).")
        expected, what = _FIELDS[key]
        if not isinstance(value, expected) or isinstance(value, bool):
            raise _fault(path, text, key, what)
        values[key] = value

    if "timezone" in values:
        try:
            ZoneInfo(values["timezone"])
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise _fault(path, text, "timezone", _FIELDS["timezone"][1]) from error
    # bounds keep the arithmetic sane (a NaN or a 10^12-hour window would crash it)
    for key, (low, high) in _BOUNDS.items():
        if key in values and not low <= values[key] <= high:
            raise _fault(path, text, key, _FIELDS[key][1])
    config = Config(path=path, **values)
    if config.holidays_country:
        _holiday_calendar(config)  # fail now, with the line, not later
    return config


def _holidays(path: Path, text: str, value: Any) -> dict[str, Any]:
    what = 'a table like  holidays = { country = "AU", subdivision = "NSW" }'
    if isinstance(value, str):
        return {"holidays_country": value}
    if not isinstance(value, dict) or not isinstance(value.get("country"), str):
        raise _fault(path, text, "holidays", what)
    unknown = set(value) - {"country", "subdivision"}
    if unknown:
        raise _fault(
            path, text, "holidays", f"{what}; '{sorted(unknown)[0]}' is not one of its keys"
        )
    subdivision = value.get("subdivision")
    if subdivision is not None and not isinstance(subdivision, str):
        raise _fault(path, text, "holidays", what)
    return {"holidays_country": value["country"], "holidays_subdivision": subdivision}


# --- [mail] and me (SPEC §6) -------------------------------------------------------------

_MAIL_LISTS = {"maildir": "a list of Maildir folders", "mbox": "a list of mbox files"}
_IMAP_STRINGS = ("host", "user", "password_command")
_IMAP_KEYS = {*_IMAP_STRINGS, "port", "folders", "tls", "ca_file"}
_TLS_MODES = ("ssl", "starttls", "none")


def _table_line(text: str, table: str, key: str | None = None) -> int | None:
    """The line of `[table]`, or of `key =` inside it (a key's name alone could be
    another table's: `host` in [mail.imap] and in some later table)."""
    header = re.compile(rf"^[ \t]*\[[ \t]*{re.escape(table)}[ \t]*\][ \t]*(#.*)?$", re.M)
    found = header.search(text)
    if found is None:
        # written inline (mail = { maildir = [...] }): the first line naming the key
        return _line_of(text, key or table.split(".")[-1])
    start = found.end()
    if key is None:
        return text.count("\n", 0, found.start()) + 1
    following = re.compile(r"^[ \t]*\[", re.M).search(text, start)
    end = following.start() if following else len(text)
    match = re.compile(rf"^[ \t]*{re.escape(key)}[ \t]*=", re.M).search(text, start, end)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _table_fault(path: Path, text: str, table: str, key: str | None, what: str) -> ConfigError:
    line = _table_line(text, table, key)
    where = f"{path}, line {line}" if line else str(path)
    name = f"[{table}] {key}" if key else f"[{table}]"
    return ConfigError(f"{where}: {name} {what}.")


def _string_list(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return None
    return tuple(v.strip() for v in value)


def _me(path: Path, text: str, value: Any) -> tuple[str, ...]:
    addresses = _string_list(value)
    what = 'a list of your own email addresses, e.g. me = ["alex@example.com"]'
    if addresses is None:
        raise _fault(path, text, "me", what)
    for address in addresses:
        if "@" not in address:
            raise _fault(path, text, "me", f"{what}; {address!r} is not an email address")
    return tuple(a.lower() for a in addresses)


def _mail(path: Path, text: str, value: Any) -> tuple[tuple[str, Any], ...]:
    if not isinstance(value, dict):
        raise _fault(path, text, "mail", "a table: [mail] with maildir, mbox or [mail.imap]")
    checked: list[tuple[str, Any]] = []
    for key, item in value.items():
        if key == "imap":
            checked.append(("imap", _imap(path, text, item)))
            continue
        if key not in _MAIL_LISTS:
            raise _table_fault(path, text, "mail", key,
                               "is not a mail setting (known: maildir, mbox, [mail.imap])")
        paths = _string_list(item)
        if paths is None:
            raise _table_fault(path, text, "mail", key, f"must be {_MAIL_LISTS[key]} (strings)")
        checked.append((key, paths))
    return tuple(checked)


def _imap(path: Path, text: str, value: Any) -> tuple[tuple[str, Any], ...]:
    table = "mail.imap"
    if not isinstance(value, dict):
        raise _table_fault(path, text, table, None, "must be a table")
    if "password" in value:
        raise _table_fault(
            path, text, table, "password",
            "is not read: no password is ever stored. Give password_command, a command "
            'that prints it (e.g. "pass show mail")',
        )
    for key in value:
        if key not in _IMAP_KEYS:
            known = ", ".join(sorted(_IMAP_KEYS))
            raise _table_fault(path, text, table, key, f"is not an IMAP setting (known: {known})")
    for key in _IMAP_STRINGS:
        if not isinstance(value.get(key), str) or not value[key].strip():
            raise _table_fault(path, text, table, key if key in value else None,
                               f"needs {key} (text)" if key not in value else "must be text")
    port = value.get("port")
    if port is not None and (
        not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536
    ):
        raise _table_fault(path, text, table, "port", "must be a number from 1 to 65535")
    if value.get("tls", "ssl") not in _TLS_MODES:
        raise _table_fault(path, text, table, "tls", f"must be one of {', '.join(_TLS_MODES)}")
    if "folders" in value and _string_list(value["folders"]) is None:
        raise _table_fault(path, text, table, "folders", "must be a list of folder names")
    if "ca_file" in value and not isinstance(value["ca_file"], str):
        raise _table_fault(path, text, table, "ca_file", "must be a path")
    return tuple((key, tuple(v) if isinstance(v, list) else v) for key, v in value.items())


def _thawed(value: Any) -> Any:
    """A frozen `[mail]` value as TOML gave it: tuples of pairs are tables again."""
    if isinstance(value, tuple) and value and all(
        isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str) for v in value
    ):
        return {key: _thawed(item) for key, item in value}
    if isinstance(value, tuple):
        return list(value)
    return value


def _holiday_calendar(config: Config) -> Any:
    import holidays

    assert config.holidays_country is not None
    try:
        return holidays.country_holidays(
            config.holidays_country, subdiv=config.holidays_subdivision
        )
    except (NotImplementedError, KeyError) as error:
        path = config.path or Path("config.toml")
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        raise _fault(
            path,
            text,
            "holidays",
            f"a country and subdivision the holidays package knows ({error})",
        ) from error


def local_zone(config: Config | None = None) -> tzinfo:
    """The user's time zone: config `timezone`, else `TZ`, else the system's."""
    if config and config.timezone:
        return ZoneInfo(config.timezone)
    name = os.environ.get("TZ", "").lstrip(":")
    if name and not name.startswith("/"):
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    try:
        target = os.path.realpath("/etc/localtime")
        marker = "zoneinfo/"
        if marker in target:
            return ZoneInfo(target.split(marker, 1)[1])
    except (ZoneInfoNotFoundError, ValueError, OSError):
        pass
    try:
        return ZoneInfo(Path("/etc/timezone").read_text().strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        pass
    from datetime import datetime

    fallback = datetime.now().astimezone().tzinfo  # noqa: DTZ005 - only its offset is used
    assert fallback is not None
    return fallback


def rules_for(config: Config) -> Rules:
    """The domain's `Rules` from the user's config."""
    calendar: Any = frozenset[date]()
    if config.holidays_country:
        calendar = _holiday_calendar(config)
    return Rules(
        tz=local_zone(config),
        thank_you_window_hours=config.thank_you_window_hours,
        call_after_business_days=config.call_after_business_days,
        holidays=calendar,
        ghosted_after_business_days=config.ghosted_after_business_days,
    )


def save_setting(key: str, value: str, path: Path | None = None) -> None:
    """Set a top-level string setting in config.toml, keeping the rest of the file.

    The file is edited as TOML (comments, order and multi-line strings kept), written
    whole under a temporary name beside it, owner-only whatever the umask, and renamed
    over it; a symlinked config.toml stays a link and its target is replaced.
    """
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    path = path or config_dir() / "config.toml"
    target = Path(os.path.realpath(path))  # through a symlink, to the file it names
    text = _read_config_text(target) or ""
    try:
        document = tomlkit.parse(text)
        document[key] = value
        new_text = tomlkit.dumps(document)
    except (TOMLKitError, RecursionError) as error:
        raise ConfigError(f"{path}: cannot be updated, it is not valid TOML ({error}).") from None
    from followup_tui.settings.files import private_dir, write_private

    private_dir(target.parent)
    write_private(target, new_text.encode("utf-8"), durable=True)
