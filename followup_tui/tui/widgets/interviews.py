"""The interviews pane: one line per interview, most urgent first."""

from __future__ import annotations

from datetime import datetime, tzinfo

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from followup_tui.domain.model import Application, EventType, Kind, Rules
from followup_tui.text import for_cells, printable
from followup_tui.tui.humanize import follow_up_when
from followup_tui.tui.review import Row
from followup_tui.tui.widgets.badges import BADGE_WIDTH, STATE_CLASSES, badge_text, state_style
from followup_tui.tui.widgets.row_list import RowList

#: "until Mon 14 Dec 2027": the longest label of a follow-up's date.
WHEN_WIDTH = 21
#: The label of a ghosted application's rows (SPEC §9).
GHOSTED_TAG = " ghosted"


class InterviewList(RowList):
    """Draws `rows` (a list the screen owns); only visible rows are formatted."""

    COMPONENT_CLASSES = RowList.COMPONENT_CLASSES | STATE_CLASSES | {
        "interviews--dim", "interviews--ghosted",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Row] = []
        self.now: datetime | None = None
        self.tz: tzinfo | None = None
        self.rules: Rules | None = None
        #: Whether each application is ghosted at `now` (SPEC §9), decided for the rows
        #: drawn only, once per `show`.
        self._ghosted: dict[str, bool] = {}

    def show(
        self,
        rows: list[Row],
        now: datetime,
        tz: tzinfo,
        cursor: int | None = None,
        *,
        rules: Rules | None = None,
    ) -> None:
        """`rules` given: a ghosted application's rows carry a "ghosted" tag."""
        self.rows = rows
        self.now = now
        self.tz = tz
        self.rules = rules
        self._ghosted = {}
        self.set_count(len(rows), cursor)

    def is_ghosted(self, application: Application) -> bool:
        """Whether the application is ghosted at the list's now (False without rules)."""
        if self.rules is None or self.now is None:
            return False
        known = self._ghosted.get(application.id)
        if known is None:
            # only a call made can go unanswered: most rows are decided without the
            # insights module, which the first frame then need not import
            if not any(event.type is EventType.CALL_MADE for event in application.events):
                known = False
            else:
                from followup_tui.domain.insights import ghosted

                known = ghosted(application, self.now, self.rules).ghosted
            self._ghosted[application.id] = known
        return known

    def render_row(self, index: int, width: int, selected: bool) -> Text:
        """The row as Text (the list itself draws `row_segments`)."""
        text = Text()
        for segment in self.row_segments(index, width, selected):
            text.append(segment.text, segment.style)
        return text

    def row_segments(self, index: int, width: int, selected: bool) -> list[Segment]:
        """State badge, kind, who (cut to fit, with an ellipsis) and when, right-aligned."""
        row = self.rows[index]
        top = row.pending or row.top
        state = top.state if top else None
        # muted text is too faint on the cursor's colour: the selected row is plain
        dim = Style() if selected else self.component_foreground("interviews--dim")
        # a cancelled interview has no follow-ups: its badge says why
        label = "CANCELLED" if row.interview is not None and row.interview.cancelled else None
        segments = [Segment(badge_text(state, label), state_style(self, state))]
        used = BADGE_WIDTH
        if width >= 60:
            what = "" if top is None else ("thank-you" if top.kind is Kind.THANK_YOU else "call")
            segments.append(Segment(f" {what:<9}", dim))
            used += 10
        segments.append(Segment(" "))
        who = printable(f"{row.application.company} — {row.application.role}", single_line=True)
        if row.interview is not None and row.interview.round:
            who += " · " + printable(row.interview.round, single_line=True)
        # a ghosted application says so, dim, before the when (its reason: the detail pane)
        tag = GHOSTED_TAG if width >= 50 and self.is_ghosted(row.application) else ""
        room = max(1, width - used - 1 - WHEN_WIDTH - 1 - len(tag))
        segments.append(Segment(fit(who, room)))
        if tag:
            segments.append(Segment(tag, self.component_foreground("interviews--ghosted")))
        when = ""
        if top is not None and self.now is not None and self.tz is not None:
            # the follow-up's own date, not the interview's: what the row asks of you
            when = follow_up_when(top, self.now, self.tz)
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
