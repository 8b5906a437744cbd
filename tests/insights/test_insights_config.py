"""config.toml's `ghosted_after_business_days` (SPEC §9)."""

from __future__ import annotations

from pathlib import Path

import pytest

from followup_tui.domain.insights import DEFAULT_GHOSTED_AFTER_BUSINESS_DAYS
from followup_tui.settings.config import Config, ConfigError, load_config


def test_the_default_is_the_spec_s_ten() -> None:
    assert Config().ghosted_after_business_days == DEFAULT_GHOSTED_AFTER_BUSINESS_DAYS == 10


def test_read_from_config_toml(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("ghosted_after_business_days = 15\n")
    assert load_config(path).ghosted_after_business_days == 15


@pytest.mark.parametrize("value", ["0", "1000", "'ten'", "2.5", "true"])
def test_a_bad_value_is_refused_with_its_line(tmp_path: Path, value: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f"# mine\nghosted_after_business_days = {value}\n")
    with pytest.raises(ConfigError, match="line 2.*ghosted_after_business_days"):
        load_config(path)
