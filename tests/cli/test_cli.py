"""End-to-end: the installed command in a subprocess, on temp files."""

from __future__ import annotations

import copy
import csv
import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from followup_tui.cli import main as cli_module
from followup_tui.cli.commands import due as due_command
from tests.support.cli import SAMPLE, Runner

NOW = "2026-11-25T09:00:00+11:00"


def test_import_then_export_round_trips_byte_identically(loaded: Runner, tmp_path: Path) -> None:
    first = loaded.run("export")
    assert first.returncode == 0, first.stderr
    exported = tmp_path / "first.json"
    exported.write_text(first.stdout)
    (tmp_path / "other").mkdir()
    other = Runner(tmp_path / "other")
    assert other.run("import", str(exported)).returncode == 0
    second = other.run("export")
    assert second.stdout == first.stdout
    assert (
        json.loads(first.stdout)["applications"][0]["events"] == SAMPLE["applications"][0]["events"]
    )


def test_reimport_updates_by_id_and_never_duplicates(loaded: Runner) -> None:
    changed = copy.deepcopy(SAMPLE)
    changed["applications"][0]["role"] = "Principal Planner"
    done = loaded.run("import", str(loaded.write_json("again.json", changed)))
    assert done.returncode == 0, done.stderr
    doc = json.loads(loaded.run("export").stdout)
    assert [a["id"] for a in doc["applications"]] == ["acme-planner", "globex-analyst"]
    assert doc["applications"][0]["role"] == "Principal Planner"
    assert len(doc["applications"][0]["events"]) == 3


def test_import_from_stdin(cli: Runner) -> None:
    done = cli.run("import", "-", stdin=json.dumps(SAMPLE).encode())
    assert done.returncode == 0, done.stderr
    assert "2 application(s)" in done.stderr


def test_import_without_ids_gets_stable_ids(cli: Runner) -> None:
    doc = {
        "format": "followup-tui",
        "version": 1,
        "applications": [
            {
                "company": "Initech",
                "role": "Analyst",
                "interviews": [{"starts_at": "2026-11-24T10:00"}],
            }
        ],
    }
    path = cli.write_json("noids.json", doc)
    assert cli.run("import", str(path)).returncode == 0
    assert cli.run("import", str(path)).returncode == 0
    apps = json.loads(cli.run("export").stdout)["applications"]
    assert [(a["id"], a["interviews"][0]["id"]) for a in apps] == [
        ("initech-analyst", "initech-analyst-1")
    ]


def _snapshot(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["applications"][0].__setitem__("company", ""), "$.applications[0].company"),
        (lambda d: d.__setitem__("format", "other"), "$.format"),
        (lambda d: d["applications"][1].__setitem__("colour", "red"), "$.applications[1]"),
        (
            lambda d: d["applications"][0]["events"].append({"at": "soon", "type": "note"}),
            "$.applications[0].events[3].at",
        ),
        (
            lambda d: d["applications"][0]["events"].append(
                {"at": "2026-11-26T10:00", "type": "snoozed", "kind": "call"}
            ),
            "$.applications[0].events[3]",
        ),
        (
            lambda d: d["applications"][0]["interviews"][0].__setitem__("format", "carrier pigeon"),
            "$.applications[0].interviews[0].format",
        ),
    ],
    ids=[
        "empty-company",
        "wrong-format",
        "unknown-key",
        "bad-time",
        "snooze-without-until",
        "bad-enum",
    ],
)
def test_schema_faults_import_nothing_and_name_the_path(loaded: Runner, mutate, expected) -> None:
    before = _snapshot(loaded.db)
    doc = copy.deepcopy(SAMPLE)
    doc["applications"][0]["id"] = "new-app"  # would be an insert if accepted
    doc["applications"][0]["interviews"][0]["id"] = "new-app-1"
    doc["applications"][0]["events"][0]["interview"] = "new-app-1"
    doc["applications"][0]["events"][1]["interview"] = "new-app-1"
    doc["applications"][1]["id"] = "another"
    doc["applications"][1]["interviews"][0]["id"] = "another-1"
    mutate(doc)
    done = loaded.run("import", str(loaded.write_json("bad.json", doc)))
    assert done.returncode == 2
    assert expected in done.stderr
    assert "nothing was imported" in done.stderr
    assert "Traceback" not in done.stderr
    assert _snapshot(loaded.db) == before


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda d: d["applications"][0]["interviews"][0].__setitem__(
                "starts_at", "2026-02-30T10:00"
            ),
            "$.applications[0].interviews[0].starts_at",
        ),
        (
            lambda d: d["applications"][0]["interviews"][0].__setitem__(
                "ends_at", "2026-11-20T09:00:00+11:00"
            ),
            "ends before it starts",
        ),
        (
            lambda d: d["applications"][0]["events"][0].__setitem__("interview", "nope"),
            "$.applications[0].events[0].interview",
        ),
        (lambda d: d["applications"][1].__setitem__("id", "acme-planner"), "used twice"),
        (
            lambda d: d["applications"][1]["interviews"][0].__setitem__("id", "acme-planner-1"),
            "used twice",
        ),
        (
            lambda d: d["applications"][0]["interviews"][0].__setitem__(
                "decision_by", "2026-13-01"
            ),
            "$.applications[0].interviews[0].decision_by",
        ),
        (
            lambda d: d["applications"][0]["events"][1].__setitem__("until", "2026-12-32"),
            "$.applications[0].events[1].until",
        ),
        (
            lambda d: d["applications"][0]["interviews"][0].__setitem__(
                "starts_at", "9999-12-31T23:30:00"
            ),
            "the year must be 1900 to 2200",
        ),
        (
            lambda d: d["applications"][0]["interviews"][0].__setitem__(
                "decision_by", "9999-12-31"
            ),
            "$.applications[0].interviews[0].decision_by",
        ),
        (
            lambda d: d["applications"][1]["interviews"][0].__setitem__(
                "starts_at", "0001-01-01T05:00:00"
            ),
            "$.applications[1].interviews[0].starts_at",
        ),
        (
            lambda d: d["applications"][0]["contacts"].append({"name": "Priya Shah"}),
            "$.applications[0].contacts[1].name",
        ),
    ],
    ids=[
        "impossible-date",
        "end-before-start",
        "unknown-interview",
        "duplicate-app-id",
        "duplicate-interview-id",
        "impossible-decision-date",
        "impossible-snooze",
        "placeholder-year",
        "placeholder-decision",
        "ancient-year",
        "duplicate-contact",
    ],
)
def test_semantic_faults_import_nothing(cli: Runner, mutate, expected) -> None:
    doc = copy.deepcopy(SAMPLE)
    mutate(doc)
    done = cli.run("import", str(cli.write_json("bad.json", doc)))
    assert done.returncode == 2, done.stderr
    assert expected in done.stderr
    assert "Traceback" not in done.stderr
    if cli.db.exists():
        with sqlite3.connect(cli.db) as conn:
            assert conn.execute("SELECT count(*) FROM applications").fetchone()[0] == 0


def test_interview_id_of_another_application_is_refused(loaded: Runner) -> None:
    doc = {
        "format": "followup-tui",
        "version": 1,
        "applications": [
            {
                "id": "x",
                "company": "X",
                "role": "Y",
                "interviews": [{"id": "acme-planner-1", "starts_at": NOW}],
            }
        ],
    }
    before = loaded.db.read_bytes()
    done = loaded.run("import", str(loaded.write_json("steal.json", doc)))
    assert done.returncode == 2
    assert "already belongs to application 'acme-planner'" in done.stderr
    assert loaded.db.read_bytes() == before


@pytest.mark.parametrize("content", [b"", b"{", b"\xff\xfe not utf-8", b"[1, 2]", b"null"])
def test_broken_json_is_refused(cli: Runner, content: bytes) -> None:
    path = cli.tmp / "broken.json"
    path.write_bytes(content)
    done = cli.run("import", str(path))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "nothing was imported" in done.stderr


def test_missing_input_file(cli: Runner) -> None:
    done = cli.run("import", str(cli.tmp / "missing.json"))
    assert done.returncode == 2
    assert "missing.json" in done.stderr


@pytest.mark.parametrize(
    "make",
    [
        lambda p: p.write_bytes(b"this is a text file, not a database\n" * 10),
        lambda p: sqlite3.connect(p).executescript(
            "CREATE TABLE photos(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO photos VALUES (1, 'x');"
        ),
        lambda p: sqlite3.connect(p).executescript(
            "PRAGMA application_id = 1179997257; PRAGMA user_version = 99; CREATE TABLE t(x);"
        ),
    ],
    ids=["not-sqlite", "other-program", "newer-schema"],
)
@pytest.mark.parametrize("command", [["due"], ["export"], ["import", "SAMPLE"]])
def test_unusable_database_files_are_refused_untouched(cli: Runner, make, command) -> None:
    make(cli.db)
    before = cli.db.read_bytes()
    args = [str(cli.write_json("s.json", SAMPLE)) if a == "SAMPLE" else a for a in command]
    done = cli.run(*args)
    assert done.returncode == 2
    assert str(cli.db) in done.stderr
    assert "left untouched" in done.stderr
    assert "Traceback" not in done.stderr
    assert cli.db.read_bytes() == before
    assert not Path(f"{cli.db}-wal").exists()


def test_missing_directory_in_db_option(cli: Runner) -> None:
    target = cli.tmp / "nowhere" / "x.db"
    done = cli.run("--db", str(target), "due")
    assert done.returncode == 2
    assert "does not exist" in done.stderr
    assert not target.parent.exists()


def test_db_option_overrides_environment_and_works_after_subcommand(loaded: Runner) -> None:
    other = loaded.tmp / "other.db"
    doc = {"format": "followup-tui", "version": 1, "applications": []}
    done = loaded.run("import", str(loaded.write_json("empty.json", doc)), "--db", str(other))
    assert done.returncode == 0, done.stderr
    done = loaded.run("due", "--all", "--json", "--db", str(other), "--now", NOW)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
    assert json.loads(loaded.run("due", "--all", "--json", "--now", NOW).stdout) != []


def test_database_is_created_owner_only(loaded: Runner) -> None:
    assert loaded.db.stat().st_mode & 0o777 == 0o600


def test_due_json(loaded: Runner) -> None:
    done = loaded.run("due", "--all", "--json", "--now", NOW)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    keys = {"application", "company", "role", "interview", "kind", "state", "due_at", "reason",
            "ghosted"}
    assert all(set(row) == keys for row in rows)
    assert all(row["ghosted"] is False for row in rows)  # no call in silence here (SPEC 9)
    by_key = {(r["interview"], r["kind"]): r for r in rows}
    assert by_key[("globex-1", "thank_you")]["state"] == "due"
    assert by_key[("globex-1", "thank_you")]["due_at"] == "2026-11-25T15:00:00+11:00"
    call = by_key[("acme-planner-1", "call")]
    assert call["state"] == "suppressed"
    assert call["due_at"] == "2026-11-30T00:00:00+11:00"
    assert "decide by Fri 27 Nov" in call["reason"]
    assert [r["state"] for r in rows] == sorted(
        (r["state"] for r in rows), key=["overdue", "due", "waiting", "suppressed", "done"].index
    )


def test_due_lists_only_what_needs_action_by_default(loaded: Runner) -> None:
    rows = json.loads(loaded.run("due", "--json", "--now", NOW).stdout)
    assert [(r["company"], r["kind"], r["state"]) for r in rows] == [("Globex", "thank_you", "due")]


def test_due_text_is_plain_when_piped_and_reads_at_a_glance(loaded: Runner) -> None:
    done = loaded.run("due", "--now", NOW)
    assert done.returncode == 0
    assert "\x1b[" not in done.stdout
    lines = done.stdout.splitlines()
    assert lines[0].startswith("DUE")
    assert "Globex — Data Analyst" in lines[0]
    assert "send the thank-you" in lines[0]
    assert "by Wed 25 Nov 15:00" in lines[0]
    assert "send the thank-you by Wed 25 Nov 15:00" in lines[1]
    assert "1 due" in lines[-1]


def test_due_time_travel_by_environment(loaded: Runner) -> None:
    later = loaded.run("due", "--json", FOLLOWUP_TUI_NOW="2026-11-30T10:00:00+11:00")
    rows = json.loads(later.stdout)
    kinds = {(r["interview"], r["kind"]): r["state"] for r in rows}
    assert kinds[("globex-1", "thank_you")] == "overdue"
    # the snooze until 1 Dec still holds the Acme call back on 30 Nov
    assert ("acme-planner-1", "call") not in kinds


def test_due_never_imports_textual(loaded: Runner) -> None:
    code = (
        "import sys\n"
        "from followup_tui.cli.main import main\n"
        "rc = main(['due', '--now', '2026-11-25T09:00'])\n"
        "bad = [m for m in ('textual', 'rich', 'arrow', 'sqlite_utils', 'jsonschema') "
        "if m in sys.modules]\n"
        "assert not bad, bad\n"
        "sys.exit(rc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=loaded.env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_bad_now_is_a_usage_error(loaded: Runner) -> None:
    done = loaded.run("due", "--now", "next tuesday-ish")
    assert done.returncode == 2
    assert "--now" in done.stderr


def test_malformed_config_is_reported_with_its_line(loaded: Runner) -> None:
    (loaded.tmp / "config" / "config.toml").write_text(
        'timezone = "Australia/Sydney"\nmax_words = "many"\n'
    )
    done = loaded.run("due")
    assert done.returncode == 2
    assert "line 2" in done.stderr and "max_words" in done.stderr


def test_export_csv_is_spreadsheet_safe(cli: Runner) -> None:
    doc = copy.deepcopy(SAMPLE)
    doc["applications"][1]["company"] = '=HYPERLINK("http://evil")'
    doc["applications"][1]["role"] = "+1 analyst"
    cli.run("import", str(cli.write_json("evil.json", doc)))
    done = cli.run("export", "--format", "csv", "--now", NOW)
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert rows[0] == [
        "application",
        "company",
        "role",
        "interview",
        "kind",
        "state",
        "due_at",
        "reason",
    ]
    assert len(rows) == 1 + 3
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert any(cell == '\'=HYPERLINK("http://evil")' for row in rows for cell in row)


def test_export_ics_is_valid_and_uids_are_stable(loaded: Runner) -> None:
    from icalendar import Calendar

    first = loaded.run("export", "--format", "ics", "--now", NOW)
    second = loaded.run("export", "--format", "ics", "--now", "2026-11-26T09:00:00+11:00")
    assert first.returncode == 0, first.stderr
    cal = Calendar.from_ical(first.stdout)
    events = cal.walk("VEVENT")
    uids = sorted(str(e["UID"]) for e in events)
    # the Acme thank-you is done, so it is left out
    assert uids == ["acme-planner-1.call@followup-tui", "globex-1.thank_you@followup-tui"]
    assert uids == sorted(str(e["UID"]) for e in Calendar.from_ical(second.stdout).walk("VEVENT"))
    # every TZID has its VTIMEZONE; a call is an all-day event on the day it opens
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Australia/Sydney"]
    call = next(e for e in events if str(e["UID"]).startswith("acme-planner-1.call"))
    assert call.decoded("DTSTART") == __import__("datetime").date(2026, 11, 30)
    assert "DTSTART;VALUE=DATE:20261130" in first.stdout.replace("\r\n", "\n")


def test_export_to_file_is_owner_only(loaded: Runner) -> None:
    target = loaded.tmp / "out.json"
    done = loaded.run("export", "-o", str(target))
    assert done.returncode == 0
    assert target.stat().st_mode & 0o777 == 0o600
    assert json.loads(target.read_text())["format"] == "followup-tui"


def test_backup_command(loaded: Runner) -> None:
    target = loaded.tmp / "copy.db"
    done = loaded.run("backup", str(target))
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM applications").fetchone()[0] == 2
    assert loaded.run("backup", str(target)).returncode == 2  # never overwrites


def test_backup_leaves_nothing_beside_its_copy(loaded: Runner) -> None:
    """Found by hand: reading the copy back left a -shm and an empty -wal beside it."""
    done = loaded.run("backup")
    assert done.returncode == 0, done.stderr
    folder = loaded.db.parent / "backups"
    names = sorted(path.name for path in folder.iterdir())
    assert names and all(name.endswith(".db") for name in names), names


@pytest.mark.parametrize(
    "command", [[], ["due"], ["import"], ["export"], ["draft"], ["check"], ["backup"]]
)
def test_help_on_every_command(cli: Runner, command: list[str]) -> None:
    done = cli.run(*command, "--help")
    assert done.returncode == 0
    assert "usage: followup-tui" in done.stdout


def test_version(cli: Runner) -> None:
    done = cli.run("--version")
    assert done.returncode == 0
    assert done.stdout.startswith("followup-tui ")


def test_unknown_command_is_usage_error(cli: Runner) -> None:
    assert cli.run("dance").returncode == 2


def _run_on_pty(cli: Runner, *args: str, **env: str) -> str:
    import os
    import select

    from tests.support.cli import command

    master, slave = os.openpty()
    process = subprocess.Popen([*command(), *args], stdout=slave, stderr=slave,
                               env={**cli.env, **env})
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        if not ready:
            break
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=30)
    os.close(master)
    return b"".join(chunks).decode()


def test_due_is_coloured_on_a_terminal_unless_no_color(loaded: Runner) -> None:
    coloured = _run_on_pty(loaded, "due", "--now", NOW)
    assert "\x1b[1;33mDUE" in coloured
    plain = _run_on_pty(loaded, "due", "--now", NOW, NO_COLOR="1")
    assert "\x1b[" not in plain and "DUE" in plain


def test_due_json_escapes_what_a_terminal_would_act_on(cli: Runner) -> None:
    doc = copy.deepcopy(SAMPLE)
    doc["applications"][1]["company"] = "Glo\u202ebex\x9b[2J\x1b]8;;http://evil\x1b\\"
    assert cli.run("import", str(cli.write_json("h.json", doc))).returncode == 0
    done = cli.run("due", "--json", "--now", NOW)
    assert done.returncode == 0, done.stderr
    for raw in ("\u202e", "\x9b", "\x1b"):
        assert raw not in done.stdout
    assert json.loads(done.stdout)[0]["company"] == doc["applications"][1]["company"]


@pytest.mark.parametrize(
    "command",
    [["due"], ["export"], ["backup"], ["draft", "--interview", "x"],
     ["check", "-", "--interview", "x"]],
)
def test_a_mistyped_db_path_is_refused_not_created(cli: Runner, command: list[str]) -> None:
    typo = cli.tmp / "data" / "folowup.db"
    done = cli.run("--db", str(typo), *command, stdin=b"Dear Priya")
    assert done.returncode == 2
    assert "there is no database there" in done.stderr
    assert not typo.exists()


def test_output_is_utf8_whatever_the_locale(loaded: Runner) -> None:
    done = subprocess.run(
        [*__import__("tests.support.cli", fromlist=["command"]).command(), "due", "--now", NOW],
        env={**loaded.env, "PYTHONIOENCODING": "latin-1", "LANG": "C", "LC_ALL": "C"},
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr
    assert "Globex — Data Analyst".encode() in done.stdout


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--demo"],
        ["--db", "x.db"],
        ["--db=x.db", "--now", "2026-11-25T09:00"],
        ["--now=2026-11-25", "--demo", "--db", "a b.db"],
        ["--db", "one.db", "--db", "two.db"],
        ["--db=-odd.db"],
        ["--db="],
    ],
)
def test_a_plain_launch_is_read_as_the_parser_reads_it(argv: list[str]) -> None:
    quick = cli_module.app_options(argv)
    assert quick is not None
    parsed = cli_module.build_parser().parse_args(argv)
    for name in ("command", "db", "now", "demo"):
        assert getattr(quick, name) == getattr(parsed, name), name


@pytest.mark.parametrize(
    "argv",
    [["due"], ["--db", "x.db", "due"], ["--help"], ["--version"], ["--d", "x.db"],
     ["--db"], ["--db", "--demo"], ["--demo=yes"], ["extra"]],
)
def test_anything_but_a_plain_launch_meets_the_parser(argv: list[str]) -> None:
    assert cli_module.app_options(argv) is None


def test_due_says_why_when_it_must_decide_many_again(
    loaded: Runner, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("FOLLOWUP_TUI_CONFIG_DIR", "TZ"):
        monkeypatch.setenv(name, loaded.env[name])
    monkeypatch.setattr(due_command, "SLOW_REFRESH", 2)  # the sample's 2 applications
    args = ["--db", str(loaded.db), "--now", "2026-11-25T09:00", "due"]

    def forget_the_cache() -> None:  # as after an upgrade
        conn = sqlite3.connect(loaded.db)
        with conn:
            conn.execute("DELETE FROM followup_spans")
        conn.close()

    forget_the_cache()
    assert cli_module.main(args) == 0
    piped = capsys.readouterr()
    assert piped.err == ""  # a script, stderr not a terminal: told nothing
    forget_the_cache()
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert cli_module.main(args) == 0
    first = capsys.readouterr()
    assert "deciding the follow-ups of many applications again" in first.err
    assert first.out == piped.out
    assert cli_module.main(args) == 0
    again = capsys.readouterr()
    assert again.err == "" and again.out == first.out
