"""The header line: the moment the app believes it is, the counts, a plain time-travel notice."""

from __future__ import annotations

from datetime import datetime, tzinfo

from rich.text import Text
from textual.widgets import Static

from followup_tui.domain.model import State
from followup_tui.domain.rules import format_moment
from followup_tui.widgets.badges import STATE_CLASSES


class StatusHeader(Static):
    COMPONENT_CLASSES = STATE_CLASSES | {"header--title", "header--travel"}

    def show(
        self,
        title: str,
        now: datetime,
        tz: tzinfo,
        counts: dict[State, int] | None,
        travel: str | None,
    ) -> None:
        today = now.astimezone(tz).date()
        text = Text(f" {title} ", style=self.get_component_rich_style("header--title"))
        text.append(f" {format_moment(now, tz, today)} {today.year}  ")
        if counts is not None:
            shown = (State.OVERDUE, State.DUE, State.WAITING, State.SUPPRESSED)
            for index, state in enumerate(shown):
                if index:
                    text.append(" · ")
                style = self.get_component_rich_style(f"state--{state.value}", partial=True)
                text.append(f"{counts[state]} {state.value}", style=style)
        if travel:
            text.append("  ")
            text.append(f" {travel} ", style=self.get_component_rich_style("header--travel"))
        self.update(text)
