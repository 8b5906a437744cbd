"""The README's Quick start works for a newcomer: two commands, the second runs on its own."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None, "the Quick start has no sh code block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_is_two_commands_and_ci_runs_the_second_verbatim() -> None:
    commands = _quick_start_commands()
    assert len(commands) == 2, commands
    assert "followup-tui" in commands[0]
    assert "pytest" in commands[1]
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_test_command_creates_the_virtual_environment_on_a_fresh_clone(tmp_path: Path) -> None:
    # An empty folder stands in for a fresh clone: there is no .venv yet. The
    # install step fails there (no project to install), but the environment the
    # command activates must have been created first, not assumed.
    test_command = _quick_start_commands()[1]
    done = subprocess.run(["bash", "-c", test_command], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert (tmp_path / ".venv" / "bin" / "activate").is_file(), done.stderr
    assert "No such file" not in done.stderr, done.stderr
