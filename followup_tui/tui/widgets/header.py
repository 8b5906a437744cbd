"""The header line: the moment the app believes it is, the counts, a plain time-travel notice."""

from __future__ import annotations

from datetime import datetime, tzinfo

from rich.text import Text
from textual.widgets import Static

from followup_tui.domain.model import State
from followup_tui.domain.rules import format_day
from followup_tui.tui.widgets.badges import foreground

_SHOWN = (State.OVERDUE, State.DUE, State.WAITING, State.SUPPRESSED)
#: The counts' words, longest first: a narrow header shortens the words, never drops a count.
_WORDINGS: tuple[dict[State, str], ...] = (
    {state: state.value for state in _SHOWN},
    {State.OVERDUE: "overdue", State.DUE: "due", State.WAITING: "wait", State.SUPPRESSED: "held"},
    {State.OVERDUE: "late", State.DUE: "due", State.WAITING: "wait", State.SUPPRESSED: "held"},
)


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
        travel: str | tuple[str, ...] | None,
        inbox: int = 0,
    ) -> None:
        """`travel`: the time-travel notice, or its wordings longest first (a narrow
        header takes a shorter one before it would cut a count)."""
        self._shown = (title, now, tz, counts, travel, inbox)
        notices: tuple[str | None, ...] = (
            (travel,) if travel is None or isinstance(travel, str) else travel or (None,)
        )
        width = self.size.width or self.app.size.width
        today = now.astimezone(tz).date()
        local = now.astimezone(tz)
        dates = (f"{format_day(today, today)} {today.year} {local:%H:%M}",
                 f"{format_day(today, today)} {local:%H:%M}")
        # shorter words first, then the date without its year, then the title
        candidates = [
            (title, date, wording, gap)
            for date in dates
            for wording in _WORDINGS
            for gap in ("  ", " ")
        ]
        candidates.append(("", dates[1], _WORDINGS[-1], " "))
        text = Text()
        for shown_inbox in dict.fromkeys((inbox, 0)):
            for notice in notices:
                for title_shown, date, wording, gap in candidates:
                    text = self._line(title_shown, date, counts, notice, wording, gap,
                                      shown_inbox)
                    if text.cell_len <= width:
                        self.update(text)
                        return
        self.update(text)

    def on_resize(self) -> None:
        shown = getattr(self, "_shown", None)
        if shown is not None:
            self.show(*shown)

    def _line(
        self,
        title: str,
        date: str,
        counts: dict[State, int] | None,
        travel: str | None,
        wording: dict[State, str],
        gap: str,
        inbox: int = 0,
    ) -> Text:
        text = Text()
        if title:
            text.append(f" {title} ", style=self.get_component_rich_style("header--title"))
        text.append(f" {date} ")
        if travel:
            # right beside the date, so a narrow terminal never cuts it off
            text.append(f" {travel} ", style=self.get_component_rich_style("header--travel"))
        text.append(gap)
        if counts is not None:
            for index, state in enumerate(_SHOWN):
                if index:
                    text.append(" · " if gap == "  " else "·")
                style = foreground(self, f"header--{state.value}")
                text.append(f"{counts[state]} {wording[state]}", style=style)
        if inbox:
            # last, and dropped first: a narrow terminal never loses a state count for it
            text.append(" · " if gap == "  " else "·")
            words = "in inbox" if gap == "  " else "inbox"
            text.append(f"{inbox} {words}", style=self.get_component_rich_style("header--inbox"))
        return text
