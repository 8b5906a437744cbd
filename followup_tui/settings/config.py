"""The user's settings: `config.toml` in the config directory.

A malformed file is an error the user sees, with its line; it is never ignored.
"""

from __future__ import annotations

import os
import re
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
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(path=path)
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot be read ({error}).") from error
    import tomllib  # only when there is a file to read

    try:
        raw: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}.") from error

    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "holidays":
            values.update(_holidays(path, text, value))
            continue
        if key not in _FIELDS:
            known = ", ".join([*_FIELDS, "holidays"])
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
    """Set a top-level string setting in config.toml, keeping the rest of the file."""
    import json

    path = path or config_dir() / "config.toml"
    line = f"{key} = {json.dumps(value)}"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    pattern = re.compile(rf"^[ \t]*{re.escape(key)}[ \t]*=.*$", re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _match: line, text, count=1)
    else:
        # top-level keys must come before any [table]
        table = re.search(r"^\s*\[", text, re.M)
        if table:
            text = text[: table.start()] + line + "\n" + text[table.start() :]
        else:
            text = text + ("" if text.endswith("\n") or not text else "\n") + line + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
