"""`--json` on every command that prints a result, and `--color`, through the real command."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from followup_tui.cli.commands.backup import verify
from followup_tui.errors import UserError
from tests.cli.test_cli import _run_on_pty
from tests.support.cli import SAMPLE, Runner

NOW = "2026-11-25T09:00"  # globex's thank-you is due, acme's call is snoozed
DRAFT = "Dear Priya,\n\nThank you for the talk about the new housing strategy.\n\nBest,\nSam\n"


def _json(done) -> object:
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# --- --json ---------------------------------------------------------------------------


def test_import_json_gives_the_counts_and_nothing_else(cli: Runner) -> None:
    sample = cli.write_json("sample.json", SAMPLE)
    first = cli.run("import", str(sample), "--json")
    assert _json(first) == {
        "source": str(sample),
        "applications": 2,
        "applications_added": 2,
        "applications_updated": 0,
        "interviews": 2,
        "contacts": 1,
        "events_added": 3,
    }
    assert first.stderr == ""  # the human line is for people; the JSON says it all
    again = cli.run("import", "-", "--json", stdin=sample.read_bytes())
    assert _json(again) == {
        "source": "standard input",
        "applications": 2,
        "applications_added": 0,
        "applications_updated": 2,
        "interviews": 2,
        "contacts": 1,
        "events_added": 0,
    }
    plain = cli.run("import", str(sample))
    assert plain.stdout == ""
    assert plain.stderr.startswith("Imported 2 application(s) from ")


def test_import_json_of_a_bad_file_is_an_error_not_json(cli: Runner) -> None:
    bad = cli.tmp / "bad.json"
    bad.write_text("{")
    done = cli.run("import", str(bad), "--json")
    assert done.returncode == 2 and done.stdout == ""
    assert "nothing was imported" in done.stderr


def test_import_json_names_a_hostile_file_name_inertly(cli: Runner) -> None:
    sample = cli.write_json("x\x1b[2J\u202e.json", SAMPLE)
    done = cli.run("import", str(sample), "--json")
    assert "\x1b" not in done.stdout and "\u202e" not in done.stdout
    assert _json(done)["source"] == str(sample)


def test_backup_json_names_a_copy_that_opens(loaded: Runner) -> None:
    target = loaded.tmp / "copy.db"
    report = _json(loaded.run("backup", str(target), "--json"))
    assert report == {
        "path": str(target),
        "database": str(loaded.db),
        "bytes": target.stat().st_size,
        "verified": True,
    }
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM applications").fetchone() == (2,)
    # to the backups folder by default
    default = _json(loaded.run("backup", "--json"))
    assert Path(default["path"]).parent == loaded.db.parent / "backups"
    assert Path(default["path"]).stat().st_size == default["bytes"]


def test_a_copy_that_does_not_read_back_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4080)
    with pytest.raises(UserError, match="the copy does not read back sound"):
        verify(broken)
    sound = tmp_path / "sound.db"
    with sqlite3.connect(sound) as conn:
        conn.execute("CREATE TABLE t (x)")
    verify(sound)


def test_export_json_with_o_describes_the_file_written(loaded: Runner) -> None:
    for fmt in ("json", "csv", "ics"):
        target = loaded.tmp / f"out.{fmt}"
        report = _json(loaded.run("export", "--format", fmt, "-o", str(target), "--json"))
        assert report == {
            "path": str(target),
            "format": fmt,
            "bytes": target.stat().st_size,
            "applications": 2,
        }
    assert json.loads((loaded.tmp / "out.json").read_text())["format"] == "followup-tui"


def test_export_json_without_o_is_the_export_itself_or_a_clear_fault(loaded: Runner) -> None:
    assert loaded.run("export", "--json").stdout == loaded.run("export").stdout
    done = loaded.run("export", "--format", "csv", "--json")
    assert (done.returncode, done.stdout) == (2, "")
    assert "--json with --format csv needs -o FILE" in done.stderr


def test_draft_json_is_the_printed_draft_in_parts(loaded: Runner) -> None:
    words = ("--now", NOW, "draft", "--interview", "acme-planner-1")
    text = loaded.run(*words).stdout
    draft = _json(loaded.run(*words, "--json"))
    assert set(draft) == {"interview", "kind", "subject", "to", "body"}
    assert (draft["interview"], draft["kind"], draft["to"]) == (
        "acme-planner-1", "thank_you", ["priya@example.org"],
    )
    assert text == f"Subject: {draft['subject']}\n\n{draft['body']}\n"
    call = _json(loaded.run(*words, "--kind", "call", "--json"))
    assert call["kind"] == "call" and call["body"].startswith("Call Acme Shire Council on ")
    spoken = loaded.run(*words, "--kind", "call").stdout
    assert spoken == f"Subject: {call['subject']}\n\n{call['body']}\n"


def test_check_json_is_terminal_safe_and_keeps_its_exit_code(loaded: Runner) -> None:
    draft = loaded.tmp / "draft.txt"
    draft.write_text(DRAFT)
    done = loaded.run("--now", NOW, "check", str(draft), "--interview", "acme-planner-1", "--json")
    results = json.loads(done.stdout)
    assert done.returncode == (0 if all(r["ok"] for r in results) else 1)
    assert {tuple(r) for r in results} == {("check", "ok", "detail")}


# --- --color ----------------------------------------------------------------------------

CSI = "\x1b["


def _fresh(tmp: Path, name: str) -> Runner:
    """A runner with the sample of its own (notify tells each thing once per database)."""
    folder = tmp / name
    folder.mkdir()
    runner = Runner(folder)
    assert runner.run("import", str(runner.write_json("s.json", SAMPLE))).returncode == 0
    return runner


def _words(runner: Runner, command: str) -> list[str]:
    if command == "check":
        draft = runner.tmp / "draft.txt"
        draft.write_text(DRAFT)
        return ["check", str(draft), "--interview", "acme-planner-1"]
    return [command]


@pytest.mark.parametrize("command", ["due", "check", "notify"])
def test_color_always_colours_a_pipe_even_under_no_color(tmp_path: Path, command: str) -> None:
    runs = {
        "piped": ([], {}),
        "always, before": (["--color", "always", "@"], {}),
        "always, after": (["@", "--color=always"], {"NO_COLOR": "1"}),
        "never": (["@", "--color", "never"], {}),
    }
    seen = {}
    for name, (options, env) in runs.items():
        runner = _fresh(tmp_path, name.replace(", ", "-"))
        words = _words(runner, command)
        at = options.index("@") if "@" in options else 0
        argv = ["--now", NOW, *options[:at], *words, *options[at + 1 :]]
        done = runner.run(*argv, **env)
        assert done.returncode in (0, 1), done.stderr
        assert done.stdout.strip(), f"{command} printed nothing ({name})"
        seen[name] = CSI in done.stdout
    assert seen == {"piped": False, "always, before": True, "always, after": True, "never": False}


@pytest.mark.parametrize("command", ["due", "check", "notify"])
def test_on_a_terminal_auto_colours_unless_no_color_and_never_does_not(
    tmp_path: Path, command: str
) -> None:
    runs = {
        "auto": ([], {}),
        "auto, NO_COLOR": ([], {"NO_COLOR": "1"}),
        "auto, empty NO_COLOR": ([], {"NO_COLOR": ""}),  # no-color.org: empty means unset
        "never": (["--color", "never"], {}),
    }
    seen = {}
    for name, (options, env) in runs.items():
        runner = _fresh(tmp_path, name.replace(", ", "-").replace(" ", "-"))
        output = _run_on_pty(runner, "--now", NOW, *options, *_words(runner, command), **env)
        assert "Traceback" not in output and output.strip(), output
        seen[name] = CSI in output
    assert seen == {
        "auto": True, "auto, NO_COLOR": False, "auto, empty NO_COLOR": True, "never": False,
    }


def test_json_is_never_coloured(loaded: Runner) -> None:
    done = loaded.run("--color", "always", "--now", NOW, "due", "--json")
    assert CSI not in done.stdout and json.loads(done.stdout)


def test_a_colour_choice_that_does_not_exist_is_named(loaded: Runner) -> None:
    done = loaded.run("due", "--color", "sometimes")
    assert done.returncode == 2 and done.stdout == ""
    assert "argument --color: invalid choice: 'sometimes'" in done.stderr
