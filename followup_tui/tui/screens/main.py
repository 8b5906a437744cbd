"""What the two top-level views share, and Review (home); Timeline is screens/timeline.py."""

from __future__ import annotations

import sqlite3
from contextlib import suppress
from typing import TYPE_CHECKING, Any, Protocol, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from followup_tui.storage.store import StoreError
from followup_tui.tui.keys import bindings
from followup_tui.tui.review import Row, Rows, StateFilter
from followup_tui.tui.widgets.detail import Detail
from followup_tui.tui.widgets.header import StatusHeader
from followup_tui.tui.widgets.interviews import InterviewList

if TYPE_CHECKING:
    from datetime import datetime

    from textual.widgets import Input

    from followup_tui.domain.model import Rules
    from followup_tui.settings.config import Config
    from followup_tui.storage.store import Store
    from followup_tui.tui.review import Review

# Paragraphs are single lines: the pane wraps them to its width.
WELCOME = """Welcome to followup-tui.

No applications yet. Press  a  to add your first application and its interview: \
the thank-you note it calls for shows up here, due within 24 hours of the end.
Got a calendar invitation (.ics) for it? Press  i  to import it instead.

Just looking? Quit with  q  and run  followup-tui --demo  for a throw-away \
database full of sample interviews in every state.

Press  ?  for every key, ctrl+p for every command."""


class Host(Protocol):
    """What the views read of the app that shows them (the app imports the views, not
    the other way round)."""

    review: Review | None
    selected_key: str | None
    data_changed: Any  # Signal[None]
    now: datetime
    rules: Rules
    store: Store
    config: Config
    #: What the follow-up cache's rows were decided with (see storage.cache.stamp).
    cache_mark: str

    def inbox_pending(self) -> int: ...

    def travel_notices(self) -> tuple[str, ...]: ...

    def record_now(self) -> datetime: ...

    def selected_row(self) -> Row | None: ...

    def notify(self, message: str, **options: Any) -> None: ...

    def call_from_thread(self, callback: Any, *args: Any, **kwargs: Any) -> Any: ...

    def change(self, application_id: str, description: str, write: Any,
               restore: Any = None) -> None: ...


#: Seconds the cursor rests before the detail pane follows it.
DETAIL_DELAY = 0.04


class MainScreen(Screen[None]):
    """What both views share: the header, the data-changed subscription, staleness."""

    TITLE_TEXT = ""
    #: Which keys of keys.COMMANDS are this view's ("review" or "timeline").
    WHERE = ""

    def __init__(self) -> None:
        super().__init__()
        self.stale = True

    @property
    def followup(self) -> Host:
        return cast("Host", self.app)

    def on_mount(self) -> None:
        self.followup.data_changed.subscribe(self, self._data_changed)
        self.refresh_data()
        # The footer (a widget per key) is the costliest part of the first frame
        # and the least urgent: it is mounted once the data is on screen.
        self.call_after_refresh(self._mount_footer)

    async def _mount_footer(self) -> None:
        from textual.widgets import Footer

        # no palette key in the footer (the help and the welcome name ctrl+p): at 80
        # columns it covered the last key, leaving a stray letter beside it
        await self.mount(Footer(compact=True, show_command_palette=False))
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
            app.travel_notices(), app.inbox_pending(),
        )

    def refresh_data(self) -> None:
        raise NotImplementedError


class ReviewScreen(MainScreen):
    """Home: every interview, most urgent first, and the selected one in full."""

    BINDINGS = bindings("review")
    WHERE = "review"
    TITLE_TEXT = "Review"
    AUTO_FOCUS = "InterviewList"

    def __init__(self) -> None:
        super().__init__()
        self.rows: Rows | tuple[()] = ()
        self._detail_timer: Timer | None = None
        self._detail_shown = False
        self.state_filter = StateFilter.OPEN
        self.text_filter = ""

    def compose(self) -> ComposeResult:
        yield StatusHeader(id="header")
        # the filter line (an Input) is mounted when first wanted: it is not in the first frame
        yield Static(id="filter-status")
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
            found = self.rows.index_of(key)
            if found is not None:
                cursor = found
        listing.show(self.rows, app.now, app.rules.tz, cursor)
        if self._detail_shown:
            self._show_selection()
        else:
            # The first frame shows the list; the detail pane follows a frame later.
            self._detail_shown = True
            self.call_after_refresh(self._show_selection)
        self._filter_status()

    def _filter_status(self) -> None:
        review = self.followup.review
        total = review.total if review else 0
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
        try:
            line = self.rows[min(listing.cursor, len(self.rows) - 1)]
        except IndexError:  # the data changed under the view: shown again in a moment
            return
        try:
            row = app.review.row(line.key, app.rules) if app.review is not None else None
        except (StoreError, sqlite3.Error) as error:  # read from the file when selected
            detail.show_message(Text(f"Could not read it: {error}"))
            return
        if row is None:  # deleted by another program: the list follows at its next read
            detail.show_row(None, app.now, app.rules.tz)
            return
        detail.show_row(row, app.now, app.rules.tz, rules=app.rules)

    @on(InterviewList.Highlighted)
    def _highlighted(self, event: InterviewList.Highlighted) -> None:
        if 0 <= event.index < len(self.rows):
            with suppress(IndexError):  # the data changed under the view
                self.followup.selected_key = self.rows[event.index].key
        # The list moves at once; the detail pane (a re-layout) follows when the
        # cursor rests, so holding j stays smooth on any number of rows.
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(DETAIL_DELAY, self._show_selection)

    async def action_own_timeline(self) -> None:
        """`t` from the Review: the Timeline, of the selected application only."""
        await self.app.switch_mode("timeline")
        timeline = self.app.screen
        if getattr(timeline, "scope_all", False):
            timeline.action_toggle_scope()  # type: ignore[attr-defined]

    def action_scroll_detail(self, direction: int) -> None:
        self.query_one(Detail).scroll_half_page(direction)

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
