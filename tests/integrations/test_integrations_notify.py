"""notify's memory on a real database: each follow-up told once when due, once when overdue."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from followup_tui.domain.model import Event, EventType
from followup_tui.integrations.notify import (
    due_payload,
    newly_due,
    notification_text,
)
from followup_tui.interchange.document import read_document
from followup_tui.settings.config import Config, rules_for
from followup_tui.storage import cache
from followup_tui.storage.store import Store
from tests.support.cli import SAMPLE, Runner

SYDNEY = ZoneInfo("Australia/Sydney")
RULES = rules_for(Config(timezone="Australia/Sydney"))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SYDNEY)


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "followup.db", must_exist_dir=False) as opened:
        opened.import_applications(read_document(SAMPLE, SYDNEY, None, schema_checked=False))
        yield opened


def needing_action(store: Store, now: datetime) -> list[cache.DueItem]:
    """`due`'s list at `now` (overdue and due, urgent first)."""
    return cache.compute(store.load_all(details=False), now, RULES, all_states=False)[0]


def notify(store: Store, when: str) -> list[tuple[str, str, str]]:
    now = at(when)
    told = newly_due(store.conn, needing_action(store, now), now)
    return [(item.interview, item.kind.value, item.state.value) for item in told]


def test_a_cron_job_every_15_minutes_tells_each_change_once(store):
    assert notify(store, "2026-11-24T12:00") == []  # the interview has not ended yet
    assert notify(store, "2026-11-24T16:00") == [("globex-1", "thank_you", "due")]
    for when in ("2026-11-24T16:15", "2026-11-24T16:30", "2026-11-25T15:00"):
        assert notify(store, when) == []
    assert notify(store, "2026-11-28T10:00") == [("globex-1", "thank_you", "overdue")]
    assert notify(store, "2026-11-28T10:15") == []
    # the snooze on acme's call runs out
    assert notify(store, "2026-12-01T10:00") == [("acme-planner-1", "call", "due")]
    assert notify(store, "2026-12-01T10:15") == []


def test_a_missed_week_reports_what_it_missed_once(store):
    assert notify(store, "2026-12-03T10:00") == [
        ("globex-1", "thank_you", "overdue"),
        ("acme-planner-1", "call", "due"),
    ]
    assert notify(store, "2026-12-03T10:15") == []


def test_what_stops_needing_action_is_forgotten_and_news_again_if_it_comes_back(store):
    assert notify(store, "2026-11-24T16:00") == [("globex-1", "thank_you", "due")]
    sent = store.add_event(
        "globex-analyst",
        Event(at="2026-11-24T17:00:00+11:00", type=EventType.THANK_YOU_SENT, interview="globex-1"),
    )
    assert notify(store, "2026-11-24T17:15") == []
    assert store.conn.execute("SELECT count(*) FROM notified").fetchone()[0] == 0
    store.delete_event(sent)  # undone: it needs sending again
    assert notify(store, "2026-11-24T17:30") == [("globex-1", "thank_you", "due")]


def test_a_delivery_that_fails_records_nothing(store):
    def no_bus(items):
        raise RuntimeError("no bus")

    now = at("2026-11-24T16:00")
    with pytest.raises(RuntimeError):
        newly_due(store.conn, needing_action(store, now), now, deliver=no_bus)
    assert not store.conn.in_transaction
    delivered = []
    told = newly_due(store.conn, needing_action(store, now), now, deliver=delivered.append)
    assert delivered == [told] and len(told) == 1
    row = store.conn.execute("SELECT interview, kind, state, notified_at FROM notified").fetchall()
    assert row == [("globex-1", "thank_you", "due", now.isoformat())]


def test_two_runs_at_once_tell_it_once_between_them(store):
    # each with its own connection, as two cron jobs would be
    now = at("2026-12-03T10:00")
    items = needing_action(store, now)
    told: list[int] = []
    start = threading.Barrier(2)

    def run() -> None:
        conn = sqlite3.connect(store.path, timeout=30, isolation_level=None)
        start.wait()
        told.append(len(newly_due(conn, items, now)))
        conn.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(told) == [0, 2]


def test_the_payload_is_what_due_json_prints(tmp_path):
    runner = Runner(tmp_path)
    sample = runner.write_json("sample.json", SAMPLE)
    assert runner.run("import", str(sample)).returncode == 0
    printed = runner.run("--now", "2026-12-03T10:00", "due", "--json")
    with Store(runner.db) as opened:
        items = needing_action(opened, at("2026-12-03T10:00"))
    assert json.loads(printed.stdout) == [due_payload(item, SYDNEY) for item in items]


def test_notification_text_for_one_and_for_many(store):
    items = needing_action(store, at("2026-12-03T10:00"))
    payloads = [due_payload(item, SYDNEY) for item in items]
    title, body = notification_text(payloads[:1])
    assert title == "Follow-up overdue: send the thank-you"
    assert body.splitlines()[0] == "Globex — Data Analyst"
    assert body.splitlines()[1] == payloads[0]["reason"]
    title, body = notification_text(payloads)
    assert title == "2 follow-ups need action"
    assert body.splitlines() == [
        "Globex — Data Analyst: send the thank-you (overdue)",
        "Acme Shire Council — Senior Planner: phone them (due)",
    ]
