"""The activity log written out: CSV safe for spreadsheets, Markdown tables, JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

from followup_tui.domain.insights import ACTIVITY_COLUMNS, ActivityRow, activity
from followup_tui.domain.model import Application, Event, EventType, Interview, Rules
from followup_tui.interchange.report import activity_csv, activity_json, activity_markdown

SYD = ZoneInfo("Australia/Sydney")
RULES = Rules(tz=SYD)


def at(day: int, hour: int = 10) -> str:
    return datetime(2026, 11, day, hour, tzinfo=SYD).isoformat()


def rows_of(company: str, text: str = "") -> list[ActivityRow]:
    apps = [
        Application(
            "x", company, "Planner | Lead", applied_on="2026-11-01",
            interviews=(Interview("x-1", at(2), format="phone", interviewers=("=Eve",)),),
            events=(Event(at(2, 15), EventType.THANK_YOU_SENT, "x-1", text=text),),
        )
    ]
    return activity(apps, date(2026, 11, 1), date(2026, 11, 30), RULES)


def test_csv_has_headings_and_no_cell_a_spreadsheet_would_run() -> None:
    text = activity_csv(rows_of("=HYPERLINK(\"http://evil\")", "+1 call me"))
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][:3] == ["Date", "Action", "Company"]
    assert len(table) == 4
    for line in table[1:]:
        assert len(line) == len(ACTIVITY_COLUMNS)
        for cell in line:
            assert not cell.startswith(("=", "+", "-", "@")), cell
    assert table[1][2] == "'=HYPERLINK(\"http://evil\")"
    assert table[2][4] == "'=Eve"  # the interviewer is the contact
    assert table[1][0] == "2026-11-01" and table[2][5] == "phone"
    assert text.endswith("\r\n")


def test_markdown_escapes_pipes_and_keeps_one_line_per_row() -> None:
    text = activity_markdown(rows_of("Pipe | Co", "line one\nline two \\ end\x1b[31m"))
    lines = text.splitlines()
    assert len(lines) == 2 + 3
    assert lines[0].startswith("| Date | Action |")
    # every row has the same number of unescaped pipes as the heading
    def cells(line: str) -> int:
        return line.replace("\\\\", "").replace("\\|", "").count("|")

    assert {cells(line) for line in lines} == {len(ACTIVITY_COLUMNS) + 1}
    assert "Pipe \\| Co" in lines[2] and "Planner \\| Lead" in lines[2]
    assert "line one line two \\\\ end" in text
    assert "\x1b" not in text  # shown as \x1b, never sent to a terminal


def test_json_rows_use_the_column_names() -> None:
    data = json.loads(json.dumps(activity_json(rows_of("Acme"))))
    assert [sorted(row) for row in data] == [sorted(ACTIVITY_COLUMNS)] * 3
    assert [row["action"] for row in data] == ["applied", "interview", "thank_you_sent"]
    assert data[2]["channel"] == "email"


def test_a_round_that_names_itself_an_interview_is_not_said_twice() -> None:
    from followup_tui.domain.insights import _round_name
    from followup_tui.domain.model import Interview

    assert _round_name(Interview("i", "2026-11-20T10:00:00", round="Panel interview")) == (
        "Panel interview")
    assert _round_name(Interview("i", "2026-11-20T10:00:00", round="First round")) == (
        "First round interview")
    assert _round_name(Interview("i", "2026-11-20T10:00:00")) == "Interview"
