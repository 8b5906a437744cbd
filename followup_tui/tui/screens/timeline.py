"""The Timeline view: events and scheduled follow-ups by day, around a "now" marker.

Imported when first shown (the app's first frame is the Review).
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Static

from followup_tui.storage.cache import read_by_application, snapshot
from followup_tui.storage.store import Store, StoreError
from followup_tui.tui.keys import bindings
from followup_tui.tui.review import (
    TimelineItem,
    TimelineLine,
    timeline_items,
    timeline_lines,
    timeline_window,
)
from followup_tui.tui.screens.main import MainScreen
from followup_tui.tui.styles import STYLES
from followup_tui.tui.widgets.header import StatusHeader
from followup_tui.tui.widgets.timeline import TimelineList

#: Above this many applications the timeline of every application is read in a thread
#: (~0.1 s at 10,000), a batch at a time (see review.timeline_window)...
TIMELINE_IN_THREAD = 2_000
#: ...and above this many events and interviews, even of one application.
TIMELINE_ITEMS_IN_THREAD = 5_000


class TimelineScreen(MainScreen):
    """Events and scheduled follow-ups by day, for every application or the selected one."""

    CSS_PATH = STYLES / "timeline.tcss"  # not relative to a subclass
    BINDINGS = bindings("timeline")
    WHERE = "timeline"
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
        asked, now, rules, mark = self._asked, app.now, app.rules, app.cache_mark
        one = row.application if row is not None and self.only is not None else None

        def read(store: Store) -> tuple[list[TimelineItem], int]:
            """The items (the selected application's, read in full already; or those
            nearest now of every application, a batch at a time) and how many in all."""
            if one is not None:
                items = timeline_items([one], now, rules)
                return items, len(items)
            with snapshot(store):
                return timeline_window(
                    store.batches(), now, rules,
                    lambda ids: read_by_application(store, ids, holding=(now, mark)),
                )

        if one is not None:
            here = len(one.events) + len(one.interviews) <= TIMELINE_ITEMS_IN_THREAD
        else:
            here = app.store.count_applications() <= TIMELINE_IN_THREAD
        if here:
            items, seen = read(app.store)
            self._show(asked, scope, items, timeline_lines(items, now, rules), seen)
            return
        path = app.store.path

        def build() -> None:
            # on a connection of its own: the app's belongs to its thread
            try:
                with Store(path) as store:
                    items, seen = read(store)
            except StoreError as error:
                app.call_from_thread(
                    app.notify, str(error), title="Could not read the timeline",
                    severity="error", markup=False, timeout=10,
                )
                return
            lines = timeline_lines(items, now, rules)
            app.call_from_thread(self._show, asked, scope, items, lines, seen)

        # in a thread: the app's data may change meanwhile; the result is drawn when done
        self.query_one("#timeline-scope", Static).update(scope + " · reading…")
        self.run_worker(build, thread=True, exclusive=True, group="timeline")

    def _show(
        self, asked: int, scope: Text, items: list[TimelineItem], lines: list[TimelineLine],
        seen: int,
    ) -> None:
        if asked != self._asked:
            return  # a newer timeline was asked for meanwhile
        app = self.followup
        self.query_one(TimelineList).show(lines, app.now, app.rules.tz, None)
        shown = f"{len(items)} items" if seen == len(items) else (
            f"the {len(items):,} items nearest now of {seen:,}"
        )
        scope.append(f" · {shown}   t all/one · n now · enter corrects an event")
        self.query_one("#timeline-scope", Static).update(scope)

    def action_toggle_scope(self) -> None:
        self.scope_all = not self.scope_all
        self.refresh_data()

    async def action_edit_item(self) -> None:
        """Enter: correct or delete the event under the cursor; on an interview or a
        follow-up, the interview form (as Enter in the Review)."""
        listing = self.query_one(TimelineList)
        line = listing.lines[listing.cursor] if 0 <= listing.cursor < len(listing.lines) else None
        item = line.item if line is not None else None
        if item is None or item.event is None:
            await self.app.run_action("edit")
            return
        self.app.edit_event(item.application, item.event)  # type: ignore[attr-defined]

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
        if app.review is not None and not app.review.has(key):
            first = item.application.interviews[0].id if item.application.interviews else None
            key = first or key
        app.selected_key = key
