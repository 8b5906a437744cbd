"""The header line: the moment the app believes it is, the counts, a plain time-travel notice."""

from __future__ import annotations

from datetime import datetime, tzinfo

from rich.text import Text
from textual.widgets import Static

from followup_tui.domain.model import State
from followup_tui.domain.rules import format_day
from followup_tui.tui.widgets.badges import foreground


class StatusHeader(Static):
    COMPONENT_CLASSES = {
        "header--title", "header--travel", "header--overdue", "header--due", "header--waiting",
        "header--suppressed", "header--inbox",
    }

    def show(
        self,
        title: str,
        now: datetime,
        tz: tzinfo,
        counts: dict[State, int] | None,
        travel: str | None,
        inbox: int = 0,
    ) -> None:
        today = now.astimezone(tz).date()
        text = Text()
        text.append(f" {title} ", style=self.get_component_rich_style("header--title"))
        local = now.astimezone(tz)
        text.append(f" {format_day(today, today)} {today.year} {local:%H:%M} ")
        if travel:
            # right beside the date, so a narrow terminal never cuts it off
            text.append(f" {travel} ", style=self.get_component_rich_style("header--travel"))
        text.append("  ")
        if counts is not None:
            shown = (State.OVERDUE, State.DUE, State.WAITING, State.SUPPRESSED)
            for index, state in enumerate(shown):
                if index:
                    text.append(" · ")
                style = foreground(self, f"header--{state.value}")
                text.append(f"{counts[state]} {state.value}", style=style)
        if inbox:
            # last, so a narrow terminal cuts this before any state count
            text.append("  ·  ")
            text.append(f"{inbox} in inbox", style=self.get_component_rich_style("header--inbox"))
        self.update(text)
