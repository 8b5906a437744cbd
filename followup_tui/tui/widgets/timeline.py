"""The timeline: events and scheduled follow-ups by day, a marker at now."""

from __future__ import annotations

from datetime import datetime, tzinfo

from rich.style import Style
from rich.text import Text

from followup_tui.domain.model import State
from followup_tui.domain.rules import format_day
from followup_tui.text import for_cells, printable
from followup_tui.tui.review import TimelineLine
from followup_tui.tui.widgets.row_list import RowList

_ICONS = {"event": "●", "interview": "◆", "follow_up": "◇"}


class TimelineList(RowList):
    """Draws `lines`; lines before the now marker are the past and look muted."""

    COMPONENT_CLASSES = RowList.COMPONENT_CLASSES | {
        f"timeline--{state.value}" for state in State
    } | {
        "timeline--day",
        "timeline--now",
        "timeline--past",
        "timeline--future",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: list[TimelineLine] = []
        self.now_index = 0
        self.now: datetime | None = None
        self.tz: tzinfo | None = None

    def show(
        self, lines: list[TimelineLine], now: datetime, tz: tzinfo, cursor: int | None
    ) -> None:
        self.lines = lines
        self.now = now
        self.tz = tz
        self.now_index = next((i for i, line in enumerate(lines) if line.kind == "now"), 0)
        self.set_count(len(lines), self.now_index if cursor is None else cursor)
        if cursor is None:
            # the now marker mid-screen: the recent past above, what is coming below
            self.call_after_refresh(self.center_now)

    def center_now(self) -> None:
        height = self.scrollable_content_region.height
        self.scroll_to(y=max(0, self.now_index - height // 2), animate=False)

    def render_row(self, index: int, width: int, selected: bool) -> Text:
        line = self.lines[index]
        assert self.now is not None and self.tz is not None
        today = self.now.astimezone(self.tz).date()
        if line.kind == "now":
            label = f"━━ now · {format_day(today, today)} {self.now.astimezone(self.tz):%H:%M} "
            return Text(label + "━" * max(0, width - len(label)),
                        style=self.component_foreground("timeline--now"))
        if line.kind == "day":
            assert line.day is not None
            days = (line.day - today).days
            note = {0: " · today", 1: " · tomorrow", -1: " · yesterday"}.get(days, "")
            label = format_day(line.day, today)
            if line.day.year == today.year:  # format_day names other years itself
                label += f" {line.day.year}"
            return Text(f"{label}{note}",
                        style=self.component_foreground("timeline--day"))
        item = line.item
        assert item is not None
        past = index < self.now_index
        tone = self.component_foreground("timeline--past" if past else "timeline--future")
        local = item.at.astimezone(self.tz)
        # a follow-up due from a day (a call, a snooze to a date) has no time of its own
        day_level = item.kind == "follow_up" and (local.hour, local.minute) == (0, 0)
        clock = "     " if day_level else f"{local:%H:%M}"
        text = Text(f"  {clock} {_ICONS[item.kind]} ", style=tone)
        title = printable(item.title, single_line=True)
        if item.kind == "follow_up" and item.state is not None:
            # a follow-up is named by its state, in the state's colour
            title = f"{title} · {item.state.value}"
            state_tone = self.component_foreground(f"timeline--{item.state.value}")
            text.append(f"{title:<24}", style=tone + state_tone)
        else:
            text.append(f"{title:<24}", style=tone)
        who = for_cells(printable(f"{item.application.company} — {item.application.role}",
                                  single_line=True))
        text.append(f" {who}", style=tone)
        if item.detail:
            detail = printable(item.detail, single_line=True)
            text.append(f"  {detail}", style=tone + Style(italic=True))
        return text
