"""`followup-tui stats` and `followup-tui report` (SPEC §9), end to end in a subprocess."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import Runner

NOW = "2026-11-30T12:00:00+11:00"


def _iv(iv_id: str, starts: str, **more: Any) -> dict[str, Any]:
    return {"id": iv_id, "starts_at": starts, "duration_minutes": 60, **more}


SEARCH: dict[str, Any] = {
    "format": "followup-tui",
    "version": 1,
    "applications": [
        {   # two rounds, then rejected; the second round is the employer's word after 7 days
            "id": "rex", "company": "=Rex Ltd", "role": "Planner",
            "contacts": [{"name": "Ann Lee"}],
            "interviews": [
                _iv("rex-1", "2026-11-02T10:00:00+11:00", format="video",
                    interviewers=["Priya Shah"]),
                _iv("rex-2", "2026-11-09T10:00:00+11:00", format="onsite"),
            ],
            "events": [
                {"at": "2026-11-02T15:00:00+11:00", "type": "thank_you_sent",
                 "interview": "rex-1"},
                {"at": "2026-11-13T10:00:00+11:00", "type": "rejected"},
            ],
        },
        {   # thank-you, call on Thu 5 Nov, then silence: ghosted from Thu 19 Nov
            "id": "gho", "company": "Gho | Co", "role": "Analyst",
            "interviews": [_iv("gho-1", "2026-11-02T10:00:00+11:00", format="phone")],
            "events": [
                {"at": "2026-11-02T15:00:00+11:00", "type": "thank_you_sent",
                 "interview": "gho-1"},
                {"at": "2026-11-05T10:00:00+11:00", "type": "call_made", "interview": "gho-1"},
            ],
        },
    ],
}


@pytest.fixture
def loaded(tmp_path: Path) -> Runner:
    cli = Runner(tmp_path)
    done = cli.run("import", str(cli.write_json("search.json", SEARCH)))
    assert done.returncode == 0, done.stderr
    return cli


def test_stats_json(loaded: Runner) -> None:
    done = loaded.run("stats", "--json", "--now", NOW)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["applications"] == 2
    assert data["by_status"]["rejected"] == 1 and data["by_status"]["active"] == 1
    assert data["funnel"] == {
        "applied": 2, "interviewed": 2, "second_interview": 1, "offer": 0, "accepted": 0,
    }
    assert data["response_rate"] == 0.5
    assert data["median_days_to_response"] == 7
    assert data["thank_you_on_time"] == 1.0
    assert data["ghosted"]["count"] == 1
    assert data["ghosted"]["applications"][0]["since"] == "2026-11-19"


def test_stats_since_counts_applications_by_first_activity(loaded: Runner) -> None:
    done = loaded.run("stats", "--json", "--since", "2026-11-03", "--now", NOW)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["applications"] == 0


def test_stats_text_reads_at_a_glance(loaded: Runner) -> None:
    done = loaded.run("stats", "--now", NOW)
    assert done.returncode == 0, done.stderr
    assert "Applications: 2" in done.stdout
    assert "Response rate: 50%" in done.stdout
    assert "Ghosted: 1" in done.stdout and "Gho | Co — Analyst" in done.stdout


def test_the_ghosted_threshold_comes_from_the_config(loaded: Runner) -> None:
    before = json.loads(loaded.run("stats", "--json", "--now", "2026-11-12T12:00").stdout)
    assert before["ghosted"]["count"] == 0
    (loaded.tmp / "config" / "config.toml").write_text("ghosted_after_business_days = 3\n")
    after = json.loads(loaded.run("stats", "--json", "--now", "2026-11-12T12:00").stdout)
    assert after["ghosted"]["applications"][0]["since"] == "2026-11-10"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["stats", "--since", "last week"], "--since: 'last week' is not a date"),
        (["stats", "--since", "2026-02-30"], "--since: '2026-02-30' is not a date"),
        (["report", "--from", "2026-11-01", "--to", "11/30"], "--to: '11/30' is not a date"),
        (["report", "--from", "2026-11-09", "--to", "2026-11-01"], "is before --from"),
    ],
)
def test_bad_dates_are_usage_errors(loaded: Runner, args: list[str], message: str) -> None:
    done = loaded.run(*args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_report_needs_its_period(loaded: Runner) -> None:
    done = loaded.run("report", "--from", "2026-11-01")
    assert done.returncode == 2 and "--to" in done.stderr


def test_report_csv_is_safe_for_spreadsheets(loaded: Runner) -> None:
    done = loaded.run("report", "--from", "2026-11-01", "--to", "2026-11-30", "--now", NOW)
    assert done.returncode == 0, done.stderr
    table = list(csv.reader(io.StringIO(done.stdout)))
    assert table[0][0] == "Date"
    rex = [row for row in table[1:] if row[7] == "rex"]
    assert [row[1] for row in rex] == ["Interview", "Thank-you sent", "Interview", "Rejected"]
    assert {row[2] for row in rex} == {"'=Rex Ltd"}
    assert rex[0][4:6] == ["Priya Shah", "video"]
    assert rex[3][4] == "Ann Lee"  # no interviewer to name: the application's contact


def test_report_period_and_now_bound_the_rows(loaded: Runner) -> None:
    done = loaded.run("report", "--from", "2026-11-05", "--to", "2026-11-09",
                      "--format", "json", "--now", "2026-11-09T09:00")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    # the call on the 5th is in; the second round at 10:00 on the 9th has not happened yet
    assert [(r["date"], r["action"], r["channel"]) for r in rows] == [
        ("2026-11-05", "call_made", "phone"),
    ]


def test_report_markdown_to_a_file(loaded: Runner) -> None:
    target = loaded.tmp / "log.md"
    done = loaded.run("report", "--from", "2026-11-01", "--to", "2026-11-30",
                      "--format", "md", "-o", str(target), "--now", NOW)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    lines = target.read_text().splitlines()
    assert lines[0].startswith("| Date | Action |")
    assert any("Gho \\| Co" in line for line in lines)
    assert len(lines) == 2 + 7  # rex: 4 actions; gho: interview, thank-you, call


@pytest.mark.parametrize("command", [["stats"], ["report", "--from", "2026-11-01",
                                                 "--to", "2026-11-30"]])
def test_a_missing_database_is_refused(tmp_path: Path, command: list[str]) -> None:
    cli = Runner(tmp_path)
    done = cli.run(*command, "--db", str(tmp_path / "nope.db"))
    assert done.returncode == 2
    assert "there is no database there" in done.stderr
    assert not (tmp_path / "nope.db").exists()


@pytest.mark.parametrize("args", [["stats", "--json"],
                                  ["report", "--from", "2026-11-01", "--to", "2026-11-30"]])
def test_stats_and_report_never_import_textual(loaded: Runner, args: list[str]) -> None:
    code = (
        "import sys\n"
        "from followup_tui.cli.main import main\n"
        f"rc = main({args!r})\n"
        "bad = [m for m in ('textual', 'rich') if m in sys.modules]\n"
        "assert not bad, bad\n"
        "sys.exit(rc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=loaded.env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_since_counts_from_the_applied_date_stored_in_the_database(tmp_path) -> None:
    """--since reads applied_on as stored (the cache's light load once dropped it)."""
    from tests.support.cli import Runner

    cli = Runner(tmp_path)
    doc = {"format": "followup-tui", "version": 1, "applications": [{
        "id": "a", "company": "Acme", "role": "Planner", "applied_on": "2026-11-01",
        "interviews": [{"id": "a-1", "starts_at": "2026-11-25T10:00:00+11:00"}],
    }]}
    assert cli.run("import", str(cli.write_json("a.json", doc))).returncode == 0
    counted = [json.loads(cli.run("stats", "--json", "--since", day,
                                  "--now", "2026-11-26T09:00").stdout)["applications"]
               for day in ("2026-10-30", "2026-11-20")]
    assert counted == [1, 0]


def test_demo_with_a_command_is_refused(tmp_path) -> None:
    from tests.support.cli import Runner

    done = Runner(tmp_path).run("--demo", "stats")
    assert done.returncode == 2 and "--demo" in done.stderr
