"""The interviews pane: one line per interview, most urgent first."""

from __future__ import annotations

from datetime import datetime, tzinfo

from rich.text import Text

from followup_tui.domain.model import Kind
from followup_tui.humanize import relative
from followup_tui.review import Row
from followup_tui.text import printable
from followup_tui.widgets.badges import STATE_CLASSES, badge
from followup_tui.widgets.row_list import RowList

WHEN_WIDTH = 16


class InterviewList(RowList):
    """Draws `rows` (a list the screen owns); only visible rows are formatted."""

    COMPONENT_CLASSES = RowList.COMPONENT_CLASSES | STATE_CLASSES | {"interviews--dim"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Row] = []
        self.now: datetime | None = None
        self.tz: tzinfo | None = None

    def show(self, rows: list[Row], now: datetime, tz: tzinfo, cursor: int | None = None) -> None:
        self.rows = rows
        self.now = now
        self.tz = tz
        self.set_count(len(rows), cursor)

    def render_row(self, index: int, width: int, selected: bool) -> Text:
        row = self.rows[index]
        top = row.pending or row.top
        text = Text()
        text.append_text(badge(self, top.state if top else None))
        if width >= 60:
            what = "" if top is None else ("thank-you" if top.kind is Kind.THANK_YOU else "call")
            text.append(f" {what:<9}", style=self.component_foreground("interviews--dim"))
        text.append(" ")
        who = printable(f"{row.application.company} — {row.application.role}", single_line=True)
        if row.interview is not None and row.interview.round:
            who += " · " + printable(row.interview.round, single_line=True)
        when = ""
        if row.starts is not None and self.now is not None and self.tz is not None:
            when = relative(row.starts, self.now, self.tz)
        room = max(1, width - text.cell_len - WHEN_WIDTH - 1)
        name = Text(who)
        name.truncate(room, overflow="ellipsis", pad=True)
        text.append_text(name)
        dim = self.component_foreground("interviews--dim")
        text.append(f" {when:>{WHEN_WIDTH}}", style=dim)
        return text
