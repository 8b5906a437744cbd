"""The Insights view (SPEC §9, key `4`): the funnel, response times, the ghosted
applications and activity per week, drawn, at the app's now.

Imported when first shown. The figures are `domain.insights`' (the same as
`followup-tui stats`), computed from the applications the app holds; above a
few thousand applications in a thread, "Computing…" meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Sparkline, Static

from followup_tui.domain.insights import (
    FUNNEL_STAGES,
    Funnel,
    Stats,
    Tally,
    WeekCount,
    facts,
    standing,
    weekly_activity,
)
from followup_tui.domain.model import Application, Rules
from followup_tui.domain.rules import format_day
from followup_tui.storage.cache import snapshot
from followup_tui.storage.store import Store, StoreError
from followup_tui.text import printable
from followup_tui.tui.keys import bindings
from followup_tui.tui.screens.main import MainScreen
from followup_tui.tui.styles import STYLES
from followup_tui.tui.widgets.header import StatusHeader

#: Above this many applications the figures are computed in a thread (~0.1 s a 1,000).
INSIGHTS_IN_THREAD = 1_000
#: Weeks of activity drawn.
WEEKS = 12
#: The funnel's stages as a person reads them.
STAGE_WORDS = {
    "applied": "Applied",
    "interviewed": "Interviewed",
    "second_interview": "Second interview",
    "offer": "Offer",
    "accepted": "Accepted",
}


class Insight(NamedTuple):
    """What the view draws, computed at one now."""

    now: datetime
    stats: Stats
    weeks: list[WeekCount]


def compute(batches: Iterable[list[Application]], now: datetime, rules: Rules) -> Insight:
    """The figures and the weekly activity at `now` of the applications in `batches`,
    one batch held at a time (no Textual: any thread). The same figures as `stats`."""
    tally = Tally(now, rules)
    weeks: list[WeekCount] | None = None
    for batch in batches:
        for app in batch:
            tally.add(standing(facts(app, rules), now, rules))
        these = weekly_activity(batch, now, rules, WEEKS)
        weeks = these if weeks is None else [
            week._replace(actions=week.actions + more.actions)
            for week, more in zip(weeks, these, strict=True)
        ]
    return Insight(now, tally.result(), weeks or weekly_activity([], now, rules, WEEKS))


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


def _days(value: float) -> str:
    return f"{value:g} day" + ("" if value == 1 else "s")


class FunnelChart(Widget):
    """The funnel as bars, each scaled to the widest (every application) and the width."""

    COMPONENT_CLASSES = {"funnel--label", "funnel--bar", "funnel--count"}
    LABEL_WIDTH = 18
    COUNT_WIDTH = 7

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.funnel = Funnel()

    def show(self, funnel: Funnel) -> None:
        self.funnel = funnel
        self.refresh(layout=True)

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        return len(FUNNEL_STAGES)

    def render(self) -> RenderableType:
        label = self.get_component_rich_style("funnel--label")
        bar = self.get_component_rich_style("funnel--bar")
        count_style = self.get_component_rich_style("funnel--count")
        room = max(1, self.content_size.width - self.LABEL_WIDTH - self.COUNT_WIDTH - 1)
        top = max(self.funnel.applied, 1)
        lines = []
        for stage, count in zip(FUNNEL_STAGES, self.funnel, strict=True):
            line = Text(f"{STAGE_WORDS[stage]:<{self.LABEL_WIDTH}}", style=label)
            line.append(f"{count:>{self.COUNT_WIDTH - 1}} ", style=count_style)
            cells = round(room * count / top)
            line.append("█" * cells or ("▏" if count else ""), style=bar)
            lines.append(line)
        return Text("\n").join(lines)


class WeekAxis(Widget):
    """Under the sparkline: each week's count and its ISO week, in the columns its bar
    takes (`columns` a week, as the screen sizes the sparkline)."""

    COMPONENT_CLASSES = {"axis--count", "axis--week"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.weeks: list[WeekCount] = []
        self.columns = 1

    def show(self, weeks: list[WeekCount], columns: int) -> None:
        self.weeks, self.columns = weeks, columns
        self.refresh(layout=True)

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        return 2

    def render(self) -> RenderableType:
        counts = Text(style=self.get_component_rich_style("axis--count"))
        labels = Text(style=self.get_component_rich_style("axis--week"))
        width = self.columns
        # every week labelled when it has room, else every second or third one
        every = 1 if width >= 4 else 2 if width >= 2 else 4
        for index, week in enumerate(self.weeks):
            counts.append(f"{week.actions:^{width}}"[:width] if width >= 2 else " ")
            last = index == len(self.weeks) - 1
            tag = f"w{week.week}"
            if (len(self.weeks) - 1 - index) % every == 0 and len(tag) <= width * every:
                labels.append(f"{tag:<{width}}" if width >= len(tag) else tag)
            elif not last:
                labels.append(" " * width)
        labels.truncate(width * len(self.weeks))
        return Text("\n").join([counts, labels])


class InsightsBody(VerticalScroll):
    """The scrolling body: j and k scroll too, as they move the lists elsewhere."""

    BINDINGS = [
        Binding("j", "scroll_down", "Down", show=False),
        Binding("k", "scroll_up", "Up", show=False),
    ]


class InsightsScreen(MainScreen):
    """The job search's figures, drawn: funnel, response times, ghosted, activity."""

    CSS_PATH = STYLES / "insights.tcss"  # not relative to a subclass
    BINDINGS = bindings("insights")
    WHERE = "insights"
    TITLE_TEXT = "Insights"
    AUTO_FOCUS = "InsightsBody"

    def __init__(self) -> None:
        super().__init__()
        #: Counts the computations asked for: a thread's result for an older one is dropped.
        self._asked = 0
        self.insight: Insight | None = None

    def compose(self) -> ComposeResult:
        yield StatusHeader(id="header")
        yield Static(id="insights-scope")
        with InsightsBody(id="insights-body"):
            yield Static("Funnel · the furthest stage each application reached",
                         classes="insights-heading")
            yield FunnelChart(id="insights-funnel")
            yield Static(id="insights-figures")
            yield Static("Median days to a response, by company", classes="insights-heading")
            yield Static(id="insights-companies")
            yield Static("Ghosted", classes="insights-heading")
            yield Static(id="insights-ghosted")
            yield Static("Activity per week", classes="insights-heading")
            yield Sparkline([], id="insights-activity")
            yield WeekAxis(id="insights-axis")
            yield Static(id="insights-activity-note")

    def refresh_data(self) -> None:
        app: Any = self.followup
        self.refresh_header()
        review = app.review
        scope = self.query_one("#insights-scope", Static)
        if review is None or review.partial:
            scope.update(Text(" reading every application…"))
            return  # drawn when every application is read
        self.stale = False
        self._asked += 1
        asked, now, rules, path = self._asked, app.now, app.rules, app.store.path
        count = app.store.count_applications()
        if count <= INSIGHTS_IN_THREAD:
            self._show(asked, compute([app.store.load_all()], now, rules))
            return
        scope.update(Text(f" Computing… ({count} applications)"))

        def work() -> None:
            # a batch at a time, on a connection of its own: the app may write meanwhile
            try:
                with Store(path) as store, snapshot(store):
                    insight = compute(store.batches(), now, rules)
            except StoreError as error:
                app.call_from_thread(
                    app.notify, str(error), title="Could not compute the figures",
                    severity="error", markup=False, timeout=10,
                )
                return
            app.call_from_thread(self._show, asked, insight)

        self.run_worker(work, thread=True, exclusive=True, group="insights")

    def _show(self, asked: int, insight: Insight) -> None:
        if asked != self._asked:
            return  # a newer computation was asked for meanwhile
        self.insight = insight
        app: Any = self.followup
        tz = app.rules.tz
        figures = insight.stats
        today = insight.now.astimezone(tz).date()
        scope = Text(f" {figures.applications} applications · as of "
                     f"{format_day(today, today)} · the same figures as `followup-tui stats`")
        self.query_one("#insights-scope", Static).update(scope)
        self.query_one(FunnelChart).show(figures.funnel)
        self.query_one("#insights-figures", Static).update(self._figures(figures))
        self.query_one("#insights-companies", Static).update(self._companies(figures))
        self.query_one("#insights-ghosted", Static).update(self._ghosted(figures))
        self._draw_activity()

    def _figures(self, figures: Stats) -> RenderableType:
        # a grid, so a line that wraps at 80 columns stays under its figure
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column(overflow="fold")
        grid.add_row(
            "Response rate", _percent(figures.response_rate),
            f"{figures.responded} of {figures.interviewed} interviewed applications heard "
            "back after an interview",
        )
        median = figures.median_days_to_response
        grid.add_row(
            "Median response", "—" if median is None else _days(median),
            "nobody has answered yet" if median is None
            else "from the first interview's end to the employer's first word",
        )
        grid.add_row(
            "Thank-yous on time", _percent(figures.thank_you_on_time),
            f"{figures.thank_yous_on_time} of {figures.thank_yous_sent} sent within the window",
        )
        return grid

    def _companies(self, figures: Stats) -> RenderableType:
        by_company = figures.median_days_to_response_by_company
        if not by_company:
            return Text("No answers yet.", style="italic")
        table = Table(box=None, show_edge=False, pad_edge=False, expand=False,
                      header_style="bold")
        table.add_column("Company", overflow="fold")
        table.add_column("Median", justify="right", no_wrap=True)
        # quickest first; equal times by name
        for company, days in sorted(by_company.items(), key=lambda pair: (pair[1], pair[0])):
            table.add_row(Text(printable(company, single_line=True)), _days(days))
        return table

    def _ghosted(self, figures: Stats) -> RenderableType:
        if not figures.ghosted:
            return Text("None: every call has had an answer, or it is early days.",
                        style="italic")
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        for ghost in figures.ghosted:
            entry = Text(printable(f"{ghost.company} — {ghost.role}", single_line=True),
                         style="bold")
            entry.append(f"\n{ghost.ghosted.reason}", style="not bold")
            grid.add_row("•", entry)
        return grid

    def _draw_activity(self) -> None:
        if self.insight is None:
            return
        weeks = self.insight.weeks
        body = self.query_one(InsightsBody)
        room = max(len(weeks), body.content_size.width or self.size.width - 2)
        columns = max(1, min(8, room // len(weeks)))
        spark = self.query_one(Sparkline)
        spark.data = [week.actions for week in weeks]
        spark.styles.width = columns * len(weeks)
        self.query_one(WeekAxis).show(weeks, columns)
        total = sum(week.actions for week in weeks)
        note = Text(f"{total} actions in {len(weeks)} weeks (applied, interviews, thank-yous, "
                    "calls, replies, outcomes); this week is the last, counted up to now.")
        self.query_one("#insights-activity-note", Static).update(note)

    def on_resize(self) -> None:
        self.call_after_refresh(self._draw_activity)
