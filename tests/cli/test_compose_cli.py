"""`followup-tui draft` and `check`, run as a user would, in a subprocess on a temp database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from followup_tui.domain.checks import THANK_YOU_CHECKS
from tests.support.compose import GOOD_DRAFT, INTERVIEW, write_interchange

# The morning after the interview (Sydney time), so the thank-you is due.
NOW = "2026-11-21T09:00:00+11:00"


def run(
    args: list[str], env: dict[str, str], stdin: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "followup_tui.cli.main", *args],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    return subprocess.CompletedProcess(
        result.args,
        result.returncode,
        result.stdout.decode("utf-8"),
        result.stderr.decode("utf-8"),
    )


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A database holding the fixture application, and a config directory of our own."""
    base = tmp_path_factory.mktemp("cli")
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("FOLLOWUP_TUI_") and key != "NO_COLOR"
    }
    environ.update(
        FOLLOWUP_TUI_CONFIG_DIR=str(base / "config"),
        FOLLOWUP_TUI_DB=str(base / "followup.db"),
        FOLLOWUP_TUI_NOW=NOW,
        TZ="Australia/Sydney",
        PYTHONIOENCODING="utf-8",
    )
    (base / "config").mkdir()
    (base / "config" / "config.toml").write_text('name = "Sam Lee"\n', encoding="utf-8")
    imported = run(["import", str(write_interchange(base / "in.json"))], environ)
    assert imported.returncode == 0, imported.stderr
    return environ


def test_draft_prints_the_thank_you(env: dict[str, str]) -> None:
    result = run(["draft", "--interview", INTERVIEW.id], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Subject: Thank you — Senior Planner interview\n\nDear Priya,")
    assert "yesterday" in result.stdout
    assert result.stdout.endswith("Kind regards,\nSam Lee\n")


def test_draft_call_gives_talking_points(env: dict[str, str]) -> None:
    result = run(["draft", "--interview", INTERVIEW.id, "--kind", "call"], env)
    assert result.returncode == 0, result.stderr
    assert "ask for Priya Shah" in result.stdout
    assert "decide by Fri 27 Nov" in result.stdout


def test_draft_unknown_interview_is_exit_2_naming_it(env: dict[str, str]) -> None:
    result = run(["draft", "--interview", "no-such-interview"], env)
    assert result.returncode == 2
    assert "no-such-interview" in result.stderr
    assert result.stdout == ""


def test_draft_then_check_round_trip(env: dict[str, str], tmp_path: Path) -> None:
    draft = run(["draft", "--interview", INTERVIEW.id], env)
    path = tmp_path / "d.txt"
    path.write_text(draft.stdout, encoding="utf-8")
    result = run(["check", str(path), "--interview", INTERVIEW.id], env)
    assert result.returncode == 0, result.stdout
    assert result.stdout.count("✓") == len(THANK_YOU_CHECKS)
    assert "All checks pass." in result.stdout


def test_check_from_stdin_as_json(env: dict[str, str]) -> None:
    result = run(
        ["check", "-", "--interview", INTERVIEW.id, "--json"], env, GOOD_DRAFT.encode("utf-8")
    )
    assert result.returncode == 0, result.stdout
    payload = json.loads(result.stdout)
    assert [item["check"] for item in payload] == list(THANK_YOU_CHECKS)
    for item in payload:
        assert set(item) == {"check", "ok", "detail"}
        assert item["ok"] is True
        assert isinstance(item["detail"], str) and item["detail"]


def test_check_failing_draft_is_exit_1(env: dict[str, str]) -> None:
    text = "To whom it may concern,\n\nPlease hire me.\n"
    result = run(["check", "-", "--interview", INTERVIEW.id, "--json"], env, text.encode())
    assert result.returncode == 1
    failed = {item["check"] for item in json.loads(result.stdout) if not item["ok"]}
    assert {"thanks", "interest", "topic", "fit_point", "greeting", "no_generic_opener"} <= failed

    text_out = run(["check", "-", "--interview", INTERVIEW.id], env, text.encode())
    assert text_out.returncode == 1
    assert "✗ thanks:" in text_out.stdout
    assert "checks fail." in text_out.stdout


def test_check_late_thank_you_warns_but_passes(env: dict[str, str]) -> None:
    late = dict(env, FOLLOWUP_TUI_NOW="2026-11-25T09:00:00+11:00")
    result = run(["check", "-", "--interview", INTERVIEW.id], late, GOOD_DRAFT.encode())
    assert result.returncode == 0
    assert "! timing:" in result.stdout
    assert "still worth sending" in result.stdout


def test_check_empty_draft_fails(env: dict[str, str]) -> None:
    result = run(["check", "-", "--interview", INTERVIEW.id], env, b"")
    assert result.returncode == 1
    assert "empty" in result.stdout


@pytest.mark.parametrize(
    ("args", "stdin", "expected"),
    [
        (["check", "-", "--interview", "nope"], GOOD_DRAFT.encode(), "nope"),
        (["check", "missing.txt", "--interview", INTERVIEW.id], None, "missing.txt"),
        (["check", "-", "--interview", INTERVIEW.id], b"Dear Priya \xff\xfe", "not UTF-8"),
        (["check", "--interview", INTERVIEW.id], None, "FILE"),
    ],
)
def test_check_bad_input_is_exit_2(
    env: dict[str, str], args: list[str], stdin: bytes | None, expected: str
) -> None:
    result = run(args, env, stdin)
    assert result.returncode == 2
    assert expected in result.stderr
    assert result.stdout == ""


def test_check_a_directory_is_exit_2(env: dict[str, str], tmp_path: Path) -> None:
    result = run(["check", str(tmp_path), "--interview", INTERVIEW.id], env)
    assert result.returncode == 2
    assert str(tmp_path) in result.stderr


def test_broken_user_template_is_exit_2_naming_the_line(
    env: dict[str, str], tmp_path: Path
) -> None:
    config = tmp_path / "config"
    (config / "templates").mkdir(parents=True)
    (config / "templates" / "thank_you.txt.j2").write_text(
        "Subject: x\n\n{{ ''.__class__.__mro__ }}\n", encoding="utf-8"
    )
    broken = dict(env, FOLLOWUP_TUI_CONFIG_DIR=str(config))
    result = run(["draft", "--interview", INTERVIEW.id], broken)
    assert result.returncode == 2
    assert "thank_you.txt.j2, line 3" in result.stderr
    assert "unsafe" in result.stderr
    assert "Traceback" not in result.stderr


def test_draft_and_check_do_not_import_textual(env: dict[str, str], tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text(GOOD_DRAFT, encoding="utf-8")
    code = (
        "import sys\n"
        "from followup_tui.cli.main import main\n"
        "for argv in (['draft', '--interview', sys.argv[1]], "
        "['draft', '--interview', sys.argv[1], '--kind', 'call'], "
        "['check', sys.argv[2], '--interview', sys.argv[1], '--json']):\n"
        "    main(argv)\n"
        "assert 'textual' not in sys.modules, 'textual was imported'\n"
        "print('clean', file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, INTERVIEW.id, str(draft)],
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert b"clean" in result.stderr
