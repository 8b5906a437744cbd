"""The two top-level views (the app's MODES): Review (home) and Timeline."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from followup_tui.keys import bindings
from followup_tui.review import (
    Review,
    Row,
    StateFilter,
    TimelineItem,
    TimelineLine,
    timeline_items,
    timeline_lines,
)
from followup_tui.widgets.detail import Detail
from followup_tui.widgets.header import StatusHeader
from followup_tui.widgets.interviews import InterviewList
from followup_tui.widgets.timeline import TimelineList

if TYPE_CHECKING:
    from textual.widgets import Input

    from followup_tui.app import FollowupApp

WELCOME = """Welcome to followup-tui.

No applications yet. Press  a  to add your first application and its interview:
the thank-you note it calls for shows up here, due within 24 hours of the end.

Just looking? Quit with  q  and run  followup-tui --demo  for a throw-away
database full of sample interviews in every state.

Press  ?  for every key, ctrl+p for every command."""


#: Seconds the cursor rests before the detail pane follows it.
DETAIL_DELAY = 0.04
#: Above this many applications the whole timeline is built in a thread (~0.1 s at 10,000).
TIMELINE_IN_THREAD = 2_000


class MainScreen(Screen[None]):
    """What both views share: the header, the data-changed subscription, staleness."""

    TITLE_TEXT = ""

    def __init__(self) -> None:
        super().__init__()
        self.stale = True

    @property
    def followup(self) -> FollowupApp:
        return cast("FollowupApp", self.app)

    def on_mount(self) -> None:
        self.followup.data_changed.subscribe(self, self._data_changed)
        self.refresh_data()
        # The footer (a widget per key) is the costliest part of the first frame
        # and the least urgent: it is mounted once the data is on screen.
        self.call_after_refresh(self._mount_footer)

    async def _mount_footer(self) -> None:
        from textual.widgets import Footer

        await self.mount(Footer(compact=True))
        self.refresh_bindings()  # a footer mounted late fills on the next bindings change

    def _data_changed(self, _: object) -> None:
        # a view out of sight is only marked; it redraws when it comes back
        self.stale = True
        if self.is_current:
            self.refresh_data()

    def on_screen_resume(self) -> None:
        if self.stale:
            self.refresh_data()
        else:
            self.refresh_header()

    def refresh_header(self) -> None:
        app = self.followup
        review = app.review
        self.query_one(StatusHeader).show(
            self.TITLE_TEXT, app.now, app.rules.tz, review.counts if review else None,
            app.travel_notice(),
        )

    def refresh_data(self) -> None:
        raise NotImplementedError


class ReviewScreen(MainScreen):
    """Home: every interview, most urgent first, and the selected one in full."""

    BINDINGS = bindings("review")
    TITLE_TEXT = "Review"
    AUTO_FOCUS = "InterviewList"

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row] = []
        self._detail_timer: Timer | None = None
        self.state_filter = StateFilter.OPEN
        self.text_filter = ""

    def compose(self) -> ComposeResult:
        yield StatusHeader(id="header")
        # the filter line (an Input) is mounted when first wanted: it is not in the first frame
        yield Static(id="filter-status")
        with Horizontal(id="panes"):
            yield InterviewList(id="interviews")
            yield Detail(id="detail")
        # the welcome (an empty database) is mounted when first needed

    def refresh_data(self) -> None:
        app = self.followup
        self.refresh_header()
        review = app.review
        if review is None:
            self.query_one("#filter-status", Static).update("Loading…")
            return
        self.stale = False
        self.set_class(review.empty, "-empty")
        if review.empty and not self.query("#welcome"):
            self.mount(Static(Text(WELCOME), id="welcome"))
        self.rows = review.filtered(self.text_filter, self.state_filter)
        listing = self.query_one(InterviewList)
        # keep the selection; when it has left the list, stay at the same height
        cursor = listing.cursor
        key = app.selected_key
        if key is not None:
            for index, row in enumerate(self.rows):
                if row.key == key:
                    cursor = index
                    break
        listing.show(self.rows, app.now, app.rules.tz, cursor)
        self._show_selection()
        self._filter_status()

    def _filter_status(self) -> None:
        review = self.followup.review
        total = len(review.rows) if review else 0
        if review is not None and review.partial:
            text = Text(f" the {len(self.rows)} most urgent · reading every application…")
            self.query_one("#filter-status", Static).update(text)
            return
        text = Text(f" showing {len(self.rows)} of {total} · state: {self.state_filter.value}")
        if self.text_filter:
            text.append(" · text: ")
            text.append(self.text_filter)
        text.append("   / filter · f state")
        self.query_one("#filter-status", Static).update(text)

    def _show_selection(self) -> None:
        app = self.followup
        detail = self.query_one(Detail)
        listing = self.query_one(InterviewList)
        if not self.rows:
            detail.show_row(None, app.now, app.rules.tz)
            if app.review is not None and not app.review.empty:
                detail.show_message(Text("Nothing matches the filters. esc clears them."))
            return
        row = self.rows[min(listing.cursor, len(self.rows) - 1)]
        detail.show_row(row, app.now, app.rules.tz)

    @on(InterviewList.Highlighted)
    def _highlighted(self, event: InterviewList.Highlighted) -> None:
        if 0 <= event.index < len(self.rows):
            self.followup.selected_key = self.rows[event.index].key
        # The list moves at once; the detail pane (a re-layout) follows when the
        # cursor rests, so holding j stays smooth on any number of rows.
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(DETAIL_DELAY, self._show_selection)

    # --- filters -------------------------------------------------------------------

    async def action_filter(self) -> None:
        field = self._filter_field()
        if field is None:
            from textual.widgets import Input

            field = Input(placeholder="filter by company, role, round, person or topic — "
                          "enter keeps, esc clears", id="filter")
            await self.mount(field, after="#header")
        field.add_class("-shown")
        field.focus()

    def _filter_field(self) -> Input | None:
        found = self.query("#filter")
        return cast("Input", found.first()) if found else None

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.text_filter = event.value.strip()
            self.refresh_data()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "filter":
            return
        if not self.text_filter:
            event.input.remove_class("-shown")
        self.query_one(InterviewList).focus()

    def action_cycle_state(self) -> None:
        self.state_filter = self.state_filter.next()
        self.refresh_data()

    def action_clear_filter(self) -> None:
        changed = bool(self.text_filter) or self.state_filter is not StateFilter.OPEN
        self.text_filter = ""
        self.state_filter = StateFilter.OPEN
        field = self._filter_field()
        if field is not None:
            with field.prevent(type(field).Changed):
                field.value = ""
            field.remove_class("-shown")
        self.query_one(InterviewList).focus()
        if changed:
            self.refresh_data()


class TimelineScreen(MainScreen):
    """Events and scheduled follow-ups by day, for every application or the selected one."""

    CSS_PATH = Path(__file__).parent / "timeline.tcss"  # not relative to a subclass
    BINDINGS = bindings("timeline")
    TITLE_TEXT = "Timeline"
    AUTO_FOCUS = "TimelineList"

    def __init__(self) -> None:
        super().__init__()
        self.scope_all = True
        self.only: str | None = None
        #: Counts the timelines asked for: a thread's result for an older one is dropped.
        self._asked = 0

    def compose(self) -> ComposeResult:
        yield StatusHeader(id="header")
        yield Static(id="timeline-scope")
        yield TimelineList(id="timeline")

    def refresh_data(self) -> None:
        app = self.followup
        self.refresh_header()
        review = app.review
        if review is None or review.partial:
            return  # drawn when every application is read
        self.stale = False
        row = app.selected_row()
        self.only = None if self.scope_all or row is None else row.application.id
        scope = Text(" all applications" if self.only is None else " only ")
        if self.only is not None and row is not None:
            scope.append(f"{row.application.company} — {row.application.role}")
        self._asked += 1
        asked, now, rules, only = self._asked, app.now, app.rules, self.only
        if only is None and len(review.applications) > TIMELINE_IN_THREAD:
            # every event of every application: ~1 s at 100,000, so in a thread, from a
            # copy of the lists (the app may change them meanwhile)
            copy = Review(now, list(review.rows), review.counts, dict(review.applications),
                          review.index)
            self.query_one("#timeline-scope", Static).update(scope + " · reading…")

            def build() -> None:
                items = timeline_items(copy.applications.values(), copy, rules, None)
                lines = timeline_lines(items, now, rules)
                app.call_from_thread(self._show, asked, scope, items, lines)

            self.run_worker(build, thread=True, exclusive=True, group="timeline")
            return
        items = timeline_items(review.applications.values(), review, rules, only)
        self._show(asked, scope, items, timeline_lines(items, now, rules))

    def _show(
        self, asked: int, scope: Text, items: list[TimelineItem], lines: list[TimelineLine]
    ) -> None:
        if asked != self._asked:
            return  # a newer timeline was asked for meanwhile
        app = self.followup
        self.query_one(TimelineList).show(lines, app.now, app.rules.tz, None)
        scope.append(f" · {len(items)} items   t all/one · n now")
        self.query_one("#timeline-scope", Static).update(scope)

    def action_toggle_scope(self) -> None:
        self.scope_all = not self.scope_all
        self.refresh_data()

    def action_jump_now(self) -> None:
        listing = self.query_one(TimelineList)
        listing.move_to(listing.now_index)

    @on(TimelineList.Highlighted)
    def _highlighted(self, event: TimelineList.Highlighted) -> None:
        listing = self.query_one(TimelineList)
        if not 0 <= event.index < len(listing.lines):
            return
        item = listing.lines[event.index].item
        if item is None:
            return
        app = self.followup
        key = item.interview_id or f"app:{item.application.id}"
        if app.review is not None and key not in app.review.index:
            first = item.application.interviews[0].id if item.application.interviews else None
            key = first or key
        app.selected_key = key
