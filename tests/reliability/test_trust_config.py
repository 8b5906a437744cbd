"""config.toml is edited as TOML, written atomically and privately, and a hostile file
(a FIFO, deep nesting) is refused with a message instead of a hang or a traceback."""

from __future__ import annotations

import os
import stat
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from followup_tui.settings.config import ConfigError, load_config, save_setting
from tests.support.cli import Runner, command

SIGNATURE_WITH_A_THEME_LINE = '''name = "Alex"
signature = """
Kind regards,
theme = "this line is part of my signature"
Alex
"""

# my own comment
[holidays]
country = "AU"
'''


@pytest.fixture
def umask_zero() -> Iterator[None]:
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def test_a_theme_line_inside_a_multi_line_string_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(SIGNATURE_WITH_A_THEME_LINE)
    save_setting("theme", "nord", path)
    config = load_config(path)
    assert config.theme == "nord"
    assert config.signature == 'Kind regards,\ntheme = "this line is part of my signature"\nAlex\n'
    text = path.read_text()
    assert "# my own comment" in text and config.holidays_country == "AU"
    save_setting("theme", "dracula", path)  # a second change replaces, never adds
    assert load_config(path).theme == "dracula"
    assert path.read_text().count('theme = "dracula"') == 1


def test_a_value_that_needs_quoting_is_written_as_valid_toml(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    save_setting("theme", 'a "quoted"\\ name\n', path)
    assert load_config(path).theme == 'a "quoted"\\ name\n'


def test_a_symlinked_config_stays_a_link_and_its_target_is_updated(tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    real = dotfiles / "followup.toml"
    real.write_text('name = "Alex"\n')
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    link = config_dir / "config.toml"
    link.symlink_to(real)
    save_setting("theme", "nord", link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert load_config(link).theme == "nord" and load_config(link).name == "Alex"
    assert "nord" in real.read_text()
    # no temporary left behind, in either folder
    assert sorted(p.name for p in dotfiles.iterdir()) == ["followup.toml"]
    assert sorted(p.name for p in config_dir.iterdir()) == ["config.toml"]


def test_files_and_folders_are_owner_only_whatever_the_umask(
    tmp_path: Path, umask_zero: None
) -> None:
    path = tmp_path / "home" / ".config" / "followup-tui" / "config.toml"
    save_setting("theme", "nord", path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for folder in (path.parent, path.parent.parent, path.parent.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    # an existing file keeps being private after a rewrite
    save_setting("theme", "dracula", path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def _raised_within(seconds: float, call: Callable[[], object]) -> BaseException | None:
    """What `call` raised, run in a daemon thread so a hang fails the test, not the run."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            call()
        except BaseException as error:  # noqa: BLE001 - handed to the test
            outcome.append(error)
        else:
            outcome.append(None)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if not outcome:
        pytest.fail(f"still blocked after {seconds} s")
    return outcome[0]


def test_a_fifo_is_refused_not_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    os.mkfifo(path)
    for call in (lambda: load_config(path), lambda: save_setting("theme", "nord", path)):
        error = _raised_within(10, call)
        assert isinstance(error, ConfigError) and "not a regular file" in str(error)


def test_a_deeply_nested_config_is_refused_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("name = " + "[" * 50_000 + "]" * 50_000 + "\n")
    with pytest.raises(ConfigError, match="nested too deeply"):
        load_config(path)


@pytest.mark.parametrize("hostile", ["fifo", "nested", "directory"])
def test_every_command_refuses_a_hostile_config_with_exit_2(tmp_path: Path, hostile: str) -> None:
    runner = Runner(tmp_path)
    path = tmp_path / "config" / "config.toml"
    if hostile == "fifo":
        os.mkfifo(path)
    elif hostile == "nested":
        path.write_text("name = " + "{a = " * 20_000 + "1" + "}" * 20_000 + "\n")
    else:
        path.mkdir()
    for args in (["due"], ["export", "--format", "json"]):
        try:
            done = subprocess.run(
                [*command(), *args], capture_output=True, text=True, env=runner.env, timeout=60
            )
        except subprocess.TimeoutExpired:  # pragma: no cover - the failure being tested
            pytest.fail(f"{args} hung on a {hostile} config.toml")
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr
        assert str(path) in done.stderr
