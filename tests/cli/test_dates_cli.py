"""Issue 11: `--now` reads the phrases the forms read; `due` never loads arrow for ISO."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import SAMPLE, Runner

ISO = "2026-11-25T09:00:00+11:00"


@pytest.fixture
def loaded(tmp_path: Path) -> Runner:
    cli = Runner(tmp_path)
    done = cli.run("import", str(cli.write_json("sample.json", SAMPLE)))
    assert done.returncode == 0, done.stderr
    return cli


@pytest.mark.parametrize(
    ("phrase", "locale"),
    [
        ("Wed 25 Nov 2026 9am", "en_AU.UTF-8"),
        ("25 nov 2026 09:00", "en_US.UTF-8"),
        ("25/11/2026 09:00", "en_AU.UTF-8"),
        ("11/25/2026 9:00am", "en_US.UTF-8"),
    ],
)
def test_now_takes_the_forms_phrases(loaded: Runner, phrase: str, locale: str) -> None:
    expected = loaded.run("due", "--all", "--json", "--now", ISO)
    assert expected.returncode == 0, expected.stderr
    done = loaded.run("due", "--all", "--json", "--now", phrase, LC_ALL=locale)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == json.loads(expected.stdout) != []


def test_the_environment_takes_phrases_too(loaded: Runner) -> None:
    done = loaded.run("due", FOLLOWUP_TUI_NOW="Wed 25 Nov 2026 9am")
    assert done.returncode == 0, done.stderr
    assert "as of Wed 25 Nov 09:00" in done.stdout


def test_a_relative_phrase_is_read_from_the_real_now(loaded: Runner) -> None:
    done = loaded.run("due", "--now", "1 hour ago")
    assert done.returncode == 0, done.stderr
    assert "as of" in done.stdout


@pytest.mark.parametrize(
    ("phrase", "words"),
    [
        ("next tuesday-ish", "Cannot read"),
        ("Fri 26 Nov 2026", "is a Thursday, not a Friday"),
        ("31/2", "There is no 31 February"),
    ],
)
def test_an_unreadable_now_is_a_usage_error_that_says_why(
    loaded: Runner, phrase: str, words: str
) -> None:
    done = loaded.run("due", "--now", phrase)
    assert done.returncode == 2
    assert "--now" in done.stderr and words in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("now", [["--now", "2026-11-25T09:00"], ["--now=2026-11-25"], []])
def test_due_never_loads_arrow_or_the_forms_parser_without_a_phrase(
    loaded: Runner, now: list[str]
) -> None:
    code = (
        "import sys\n"
        "from followup_tui.cli.main import main\n"
        f"rc = main(['due', *{now!r}])\n"
        "bad = [m for m in ('arrow', 'dateutil', 'followup_tui.settings.date_order', "
        "'followup_tui.domain.snooze', 'followup_tui.tui.humanize') if m in sys.modules]\n"
        "assert not bad, bad\n"
        "sys.exit(rc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=loaded.env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
