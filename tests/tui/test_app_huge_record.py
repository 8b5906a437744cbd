"""One huge record is drawn like any other: only what is on screen.

An application with 100,000 events and an interview with 200,000 topics load, and
the Review's detail pane, the filter's index and the Timeline stay bounded (what is
built is counted, never timed).
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from textual.widgets import Static

from followup_tui.domain.model import Application, Event, EventType, Interview
from followup_tui.storage.store import Store
from followup_tui.tui.review import HAYSTACK_CHARS, HAYSTACK_ITEMS
from tests.support.app import APP_TZ

SIZE = (120, 40)
EVENTS = 100_000
TOPICS = 200_000


def huge(store: Store) -> None:
    start = datetime(2026, 1, 1, 9, tzinfo=APP_TZ)
    events = tuple(
        Event((start + timedelta(minutes=n)).isoformat(timespec="minutes"), EventType.NOTE,
              text=f"note {n}")
        for n in range(EVENTS)
    )
    store.import_applications([
        Application("busy", "Busy Co", "Analyst", events=events,
                    interviews=(Interview("busy-1", "2026-11-20T10:00+11:00"),)),
        Application("talky", "Talky Co", "Engineer", interviews=(
            Interview("talky-1", "2026-11-24T10:00+11:00",
                      topics=tuple(f"topic {n}" for n in range(TOPICS))),
        )),
    ])


async def test_an_interview_with_200000_topics_draws_a_bounded_detail(
    make_app, app_store: Store
) -> None:
    huge(app_store)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        row = app.review.index["talky-1"]
        # the filter's index of the row is bounded, and still finds the first topics
        assert len(row.haystack) <= (HAYSTACK_ITEMS + 5) * (HAYSTACK_CHARS + 1)
        assert "topic 3" in row.haystack
        app.selected_key = "talky-1"
        app.screen.refresh_data()
        await pilot.pause()
        body = app.screen.query_one("#detail-body", Static).render()
        text = str(body)
        assert f"… and {TOPICS - 10:,} more" in text
        assert "topic 9" in text and "topic 10\n" not in text
        assert len(text.splitlines()) < 60


async def test_an_application_with_100000_events_draws_a_bounded_timeline(
    make_app, app_store: Store, monkeypatch
) -> None:
    from followup_tui.tui.screens import timeline as timeline_screen
    from followup_tui.tui.widgets.timeline import TimelineList

    huge(app_store)
    built_on: list[bool] = []
    real_items = timeline_screen.timeline_items

    def items(*args, **kwargs):
        built_on.append(threading.current_thread() is threading.main_thread())
        return real_items(*args, **kwargs)

    drawn = 0
    real_row = TimelineList.render_row

    def render_row(self, index, width, selected):
        nonlocal drawn
        drawn += 1
        return real_row(self, index, width, selected)

    monkeypatch.setattr(timeline_screen, "timeline_items", items)
    monkeypatch.setattr(TimelineList, "render_row", render_row)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.selected_key = "busy-1"
        # its detail pane: the latest few events, not all of them
        app.screen.refresh_data()
        await pilot.pause()
        detail = str(app.screen.query_one("#detail-body", Static).render())
        assert f"note {EVENTS - 1}" in detail and len(detail.splitlines()) < 60
        await pilot.press("2", "t")  # the Timeline, of this application only
        scope = app.screen.query_one("#timeline-scope", Static)
        for _ in range(400):
            if " items" in str(scope.render()):
                break
            await pilot.pause(0.05)
        shown = str(scope.render())
        assert "only Busy Co" in shown
        # its events, its interview and the follow-ups not done
        assert int(shown.split(" items")[0].rsplit(" ", 1)[1]) > EVENTS
        listing = app.screen.query_one(TimelineList)
        assert listing.count > EVENTS
        # built off the UI thread, drawn a screenful at a time
        assert built_on[-1] is False
        assert 0 < drawn < 10 * SIZE[1]
