"""The interviews pane: one line per interview, most urgent first."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from followup_tui.domain.model import Kind
from followup_tui.text import for_cells, printable
from followup_tui.tui.humanize import when_label
from followup_tui.tui.review import Line
from followup_tui.tui.widgets.badges import BADGE_WIDTH, STATE_CLASSES, badge_text, state_style
from followup_tui.tui.widgets.row_list import RowList

#: "until Mon 14 Dec 2027": the longest label of a follow-up's date.
WHEN_WIDTH = 21
#: The label of a ghosted application's rows (SPEC §9).
GHOSTED_TAG = " ghosted"


class InterviewList(RowList):
    """Draws `rows` (a view the screen owns, read a page at a time); only visible rows
    are formatted."""

    COMPONENT_CLASSES = RowList.COMPONENT_CLASSES | STATE_CLASSES | {
        "interviews--dim", "interviews--ghosted",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: Sequence[Line] = ()
        self.now: datetime | None = None
        self.tz: tzinfo | None = None

    def show(
        self,
        rows: Sequence[Line],
        now: datetime,
        tz: tzinfo,
        cursor: int | None = None,
    ) -> None:
        self.rows = rows
        self.now = now
        self.tz = tz
        self.set_count(len(rows), cursor)

    def render_row(self, index: int, width: int, selected: bool) -> Text:
        """The row as Text (the list itself draws `row_segments`)."""
        text = Text()
        for segment in self.row_segments(index, width, selected):
            text.append(segment.text, segment.style)
        return text

    def row_segments(self, index: int, width: int, selected: bool) -> list[Segment]:
        """State badge, kind, who (cut to fit, with an ellipsis) and when, right-aligned."""
        try:
            line = self.rows[index]
        except IndexError:  # the data changed under the view: drawn again in a moment
            return [Segment(" " * width)]
        state = line.state
        # muted text is too faint on the cursor's colour: the selected row is plain
        dim = Style() if selected else self.component_foreground("interviews--dim")
        # a cancelled interview has no follow-ups: its badge says why
        label = "CANCELLED" if line.cancelled else None
        segments = [Segment(badge_text(state, label), state_style(self, state))]
        used = BADGE_WIDTH
        if width >= 60:
            kind = line.kind
            what = "" if kind is None else ("thank-you" if kind is Kind.THANK_YOU else "call")
            segments.append(Segment(f" {what:<9}", dim))
            used += 10
        segments.append(Segment(" "))
        who = printable(f"{line.company} — {line.role}", single_line=True)
        if line.round:
            who += " · " + printable(line.round, single_line=True)
        # a ghosted application says so, dim, before the when (its reason: the detail pane)
        tag = GHOSTED_TAG if width >= 50 and line.ghosted else ""
        room = max(1, width - used - 1 - WHEN_WIDTH - 1 - len(tag))
        segments.append(Segment(fit(who, room)))
        if tag:
            segments.append(Segment(tag, self.component_foreground("interviews--ghosted")))
        when = ""
        if (line.due_at is not None and state is not None and line.kind is not None
                and self.now is not None and self.tz is not None):
            # the follow-up's own date, not the interview's: what the row asks of you
            when = when_label(line.kind, state, line.due_at, self.now, self.tz,
                              snoozed=line.snoozed)
        segments.append(Segment(f" {when:>{WHEN_WIDTH}}", dim))
        return segments


def fit(text: str, cells: int) -> str:
    """`text` exactly `cells` terminal cells wide: padded, or cut with an ellipsis.
    `text` is printable already (see text.printable): no control characters."""
    if cells <= 0:
        return ""
    text = for_cells(text)
    length = len(text) if text.isascii() else cell_len(text)
    if length <= cells:
        return text + " " * (cells - length)
    if text.isascii():
        return text[: cells - 1] + "…"
    return set_cell_size(text, cells - 1) + "…"
