"""The activity log (SPEC §9 `report`) as CSV, Markdown and JSON.

The rows come from `followup_tui.domain.insights.activity`; this module only
writes them out. It sits beside interchange (not in the domain) because the
CSV reuses interchange's spreadsheet guard.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from followup_tui.domain.insights import ACTIVITY_COLUMNS, ActivityRow
from followup_tui.interchange.document import spreadsheet_safe
from followup_tui.text import printable

#: Column headings a person reads (CSV and Markdown); JSON keeps ACTIVITY_COLUMNS.
HEADINGS = ("Date", "Action", "Company", "Role", "Contact", "Channel", "Description",
            "Application")

assert len(HEADINGS) == len(ACTIVITY_COLUMNS)


def activity_csv(rows: Iterable[ActivityRow]) -> str:
    """CSV with a heading row, safe to open in a spreadsheet (no cell runs as a formula)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADINGS)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row.cells()])
    return buffer.getvalue()


def _markdown_cell(text: str) -> str:
    # a pipe would end the cell and a line break the row; a backslash would escape
    # the character after it; controls are shown, never sent to a terminal
    text = printable(text, single_line=True).replace("\n", " ").replace("\r", " ")
    return text.replace("\\", "\\\\").replace("|", "\\|")


def activity_markdown(rows: Iterable[ActivityRow]) -> str:
    """A Markdown (GitHub-flavoured) table, one line per action."""
    lines = [
        "| " + " | ".join(HEADINGS) + " |",
        "|" + "|".join("---" for _ in HEADINGS) + "|",
    ]
    for row in rows:
        lines.append("| " + " | ".join(_markdown_cell(cell) for cell in row.cells()) + " |")
    return "\n".join(lines) + "\n"


def activity_json(rows: Iterable[ActivityRow]) -> list[dict[str, str]]:
    """JSON-ready dicts, ACTIVITY_COLUMNS as keys (`action` the machine word)."""
    return [row.as_json() for row in rows]
