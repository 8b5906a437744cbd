"""Correcting a logged event in place: Enter on it in the Timeline."""

from __future__ import annotations

from pathlib import Path

from followup_tui.domain.model import Application, Event, EventType
from followup_tui.storage.store import Store


def test_update_event_corrects_or_deletes_one_event_and_keeps_the_rest(tmp_path: Path) -> None:
    with Store(tmp_path / "f.db") as store:
        store.save_application(Application("a", "Acme", "Planner"))
        first = Event("2026-11-20T10:00:00+11:00", EventType.NOTE, text="same")
        store.add_event("a", first)
        store.add_event("a", first)  # the same twice: only one is corrected
        store.add_event("a", Event("2026-11-21T10:00:00+11:00", EventType.REPLY_RECEIVED))
        fixed = first.replace(text="fixed", type=EventType.REPLY_RECEIVED)
        assert store.update_event("a", first, fixed)
        events = store.load_application("a").events
        assert sorted(e.text for e in events) == ["", "fixed", "same"]
        assert next(e for e in events if e.text == "fixed").source == "app"
        assert store.update_event("a", first, None)
        assert not store.update_event("a", first, None)  # gone: nothing matches any more
        assert sorted(e.text for e in store.load_application("a").events) == ["", "fixed"]
