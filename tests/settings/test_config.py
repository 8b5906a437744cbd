"""config.toml: defaults, every setting, and faults reported with their line."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from followup_tui.settings.clock import Clock, ClockError
from followup_tui.settings.config import ConfigError, load_config, rules_for, save_setting


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_missing_file_gives_the_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path / "config.toml")
    assert (config.thank_you_window_hours, config.call_after_business_days, config.max_words) == (
        24,
        3,
        200,
    )


def test_every_setting_is_read(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            """
timezone = "Australia/Sydney"
thank_you_window_hours = 36
call_after_business_days = 5
max_words = 150
name = "Alex Doe"
signature = "Alex\\n0400 000 000"
theme = "nord"
holidays = { country = "AU", subdivision = "NSW" }
""",
        )
    )
    assert config.timezone == "Australia/Sydney"
    assert config.signature == "Alex\n0400 000 000"
    rules = rules_for(config)
    assert rules.tz == ZoneInfo("Australia/Sydney")
    assert rules.call_after_business_days == 5
    assert rules.thank_you_window.total_seconds() == 36 * 3600
    assert date(2026, 12, 25) in rules.holidays
    assert date(2026, 10, 5) in rules.holidays  # Labour Day, NSW only
    assert date(2026, 12, 23) not in rules.holidays


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        ('name = "x"\nmax_words = "many"\n', 2, "max_words"),
        ("\n\ncall_after_business_days = 0\n", 3, "call_after_business_days"),
        ('timezone = "Mars/Olympus"\n', 1, "timezone"),
        ("thank_you_window_hours = -1\n", 1, "thank_you_window_hours"),
        ('name = "x"\ncolour = "red"\n', 2, "colour"),
        ('holidays = { country = "XX" }\n', 1, "holidays"),
        ("max_words = true\n", 1, "max_words"),
        ("thank_you_window_hours = nan\n", 1, "thank_you_window_hours"),
        ("thank_you_window_hours = inf\n", 1, "thank_you_window_hours"),
        ("thank_you_window_hours = 1e12\n", 1, "thank_you_window_hours"),
        ("call_after_business_days = 100000\n", 1, "call_after_business_days"),
        ('holidays = { country = "AU", subdiv = "NSW" }\n', 1, "holidays"),
    ],
)
def test_faults_name_the_line(tmp_path: Path, text: str, line: int, key: str) -> None:
    with pytest.raises(ConfigError, match=rf"line {line}: .*'{key}'"):
        load_config(write(tmp_path, text))


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="line 2"):
        load_config(write(tmp_path, 'name = "x"\nthis is not toml\n'))


def test_save_setting_keeps_the_rest_of_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, '# mine\nname = "Alex"\n\n[holidays]\ncountry = "AU"\n')
    save_setting("theme", "dracula", path)
    assert load_config(path).theme == "dracula"
    save_setting("theme", "nord", path)
    text = path.read_text()
    assert text.count("theme") == 1 and "# mine" in text
    assert load_config(path).holidays_country == "AU"


def test_clock_pins_and_shifts_by_calendar_days() -> None:
    tz = ZoneInfo("Australia/Sydney")
    clock = Clock.from_environment(tz, "2026-10-03T09:00")
    assert clock.travelling
    clock.shift(1)  # across the DST change of 4 Oct: still 09:00 local
    assert clock.now() == datetime(2026, 10, 4, 9, 0, tzinfo=tz)
    clock.shift(-1)
    assert clock.now() == datetime(2026, 10, 3, 9, 0, tzinfo=tz)
    assert not Clock(tz).travelling


def test_bad_now_is_a_clock_error() -> None:
    with pytest.raises(ClockError, match="ISO-8601"):
        Clock.from_environment(ZoneInfo("UTC"), "yesterday-ish")
