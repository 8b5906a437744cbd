"""The next interchange schema's fields end to end: file, store (schema 5), export, cache.

out_of_office events, where an event came from (`source`, `message_id`), the invitation
an interview came from (`uid`, `sequence`), cancelled interviews, `applied_on`.
"""

from __future__ import annotations

import copy
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from followup_tui.domain.model import Event, EventType, Interview, Rules, State
from followup_tui.interchange.document import InterchangeError, export_json, read_document
from followup_tui.storage import cache
from followup_tui.storage import store as store_module
from followup_tui.storage.store import Store
from tests.storage.test_cache import _old_database
from tests.support.cli import Runner

SYD = ZoneInfo("Australia/Sydney")
RULES = Rules(SYD)

#: Every new field, beside the ones of version 1.
NEXT: dict[str, Any] = {
    "format": "followup-tui",
    "version": 1,
    "applications": [
        {
            "id": "acme-planner",
            "company": "Acme Shire Council",
            "role": "Senior Planner",
            "applied_on": "2026-11-02",
            "interviews": [
                {
                    "id": "acme-planner-1",
                    "starts_at": "2026-11-20T10:00:00+11:00",
                    "duration_minutes": 60,
                    "uid": "040000008200E00074C5B7101A82E008@example.org",
                    "sequence": 0,
                },
                {
                    "id": "acme-planner-2",
                    "starts_at": "2026-11-27T10:00:00+11:00",
                    "uid": "second-round@example.org",
                    "sequence": 3,
                    "cancelled": True,
                },
            ],
            "events": [
                {
                    "at": "2026-11-20T15:30:00+11:00",
                    "type": "thank_you_sent",
                    "interview": "acme-planner-1",
                    "source": "app",
                },
                {
                    "at": "2026-11-23T09:00:00+11:00",
                    "type": "out_of_office",
                    "until": "2026-11-27",
                    "text": "Priya is on leave",
                    "source": "mail",
                    "message_id": "<auto-reply-1@example.org>",
                },
                {"at": "2026-11-24T08:00:00+11:00", "type": "out_of_office"},
            ],
        },
        {"id": "globex-analyst", "company": "Globex", "role": "Analyst"},
    ],
}


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "f.db") as opened:
        yield opened


def document(**changes: Any) -> dict[str, Any]:
    """NEXT with fields of its first application changed (dotted keys reach into lists)."""
    doc = copy.deepcopy(NEXT)
    for key, value in changes.items():
        target: Any = doc["applications"][0]
        *parts, last = key.split(".")
        for part in parts:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
    return doc


# --- the file, the store and back ---------------------------------------------------------------


def test_every_new_field_is_read_stored_and_given_back(store: Store) -> None:
    apps = read_document(NEXT, SYD)
    store.import_applications(apps)
    loaded = store.load_all()
    assert loaded == apps
    acme = loaded[0]
    assert acme.applied_on == "2026-11-02"
    first, second = acme.interviews
    assert (first.uid, first.sequence, first.cancelled) == (
        "040000008200E00074C5B7101A82E008@example.org",
        0,
        False,
    )
    assert (second.sequence, second.cancelled) == (3, True)
    away = acme.events[1]
    assert away.type is EventType.OUT_OF_OFFICE and away.type.label == "Out of office"
    assert (away.until, away.source, away.message_id) == (
        "2026-11-27",
        "mail",
        "<auto-reply-1@example.org>",
    )
    assert acme.events[2].source is None  # absent stays absent
    assert json.loads(export_json(loaded)) == NEXT


def test_export_import_export_is_byte_identical_with_the_new_fields(tmp_path: Path) -> None:
    """Through the installed command: file -> database -> file -> empty database -> file."""
    first = Runner(tmp_path)
    assert first.run("import", str(first.write_json("next.json", NEXT))).returncode == 0
    exported = first.run("export")
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout) == NEXT
    (tmp_path / "other").mkdir()
    other = Runner(tmp_path / "other")
    (tmp_path / "first.json").write_text(exported.stdout)
    assert other.run("import", str(tmp_path / "first.json")).returncode == 0
    assert other.run("export").stdout == exported.stdout


def test_due_json_holds_the_call_while_they_are_away(tmp_path: Path) -> None:
    """`due --all --json`: the call is suppressed with the away reason; the cancelled
    second round has no follow-ups at all."""
    cli = Runner(tmp_path)
    assert cli.run("import", str(cli.write_json("next.json", NEXT))).returncode == 0
    done = cli.run("--now", "2026-11-26T10:00:00+11:00", "due", "--all", "--json")
    assert done.returncode == 0, done.stderr
    rows = {(row["interview"], row["kind"]): row for row in json.loads(done.stdout)}
    assert ("acme-planner-2", "thank_you") not in rows
    call = rows[("acme-planner-1", "call")]
    assert call["state"] == "suppressed"
    assert call["reason"] == (
        "They are away until Fri 27 Nov, an automatic reply said; call from Mon 30 Nov."
    )
    monday = cli.run("--now", "2026-11-30T09:00:00+11:00", "due", "--all", "--json")
    rows = {(row["interview"], row["kind"]): row for row in json.loads(monday.stdout)}
    assert rows[("acme-planner-1", "call")]["state"] == "due"


@pytest.mark.parametrize(
    ("now", "state"),
    [("2026-04-05T02:30:00+10:00", "overdue"), ("2026-04-05T02:30:00+11:00", "due")],
)
def test_due_reads_now_in_the_repeated_hour_as_the_instant_given(
    tmp_path: Path, now: str, state: str
) -> None:
    """The thank-you window closes at 16:00Z, between the two 02:30s of 5 Apr 2026 in
    Sydney: `--now` with +10:00 (the second) is past it, with +11:00 (the first) not."""
    end = datetime(2026, 4, 3, 16, 0, tzinfo=UTC).astimezone(SYD).isoformat()
    doc = {
        "format": "followup-tui",
        "version": 1,
        "applications": [
            {
                "id": "a",
                "company": "A",
                "role": "R",
                "interviews": [{"id": "a-1", "starts_at": "2026-04-04T01:00:00", "ends_at": end}],
            }
        ],
    }
    cli = Runner(tmp_path)
    assert cli.run("import", str(cli.write_json("a.json", doc))).returncode == 0
    done = cli.run("--now", now, "due", "--all", "--json")
    assert done.returncode == 0, done.stderr
    assert [row["state"] for row in json.loads(done.stdout)] == [state]


def test_an_event_recorded_in_the_app_says_so_an_imported_one_keeps_its_source(
    store: Store,
) -> None:
    store.import_applications(read_document(NEXT, SYD))
    recorded = Event("2026-11-25T09:00:00+11:00", EventType.CALL_MADE, "acme-planner-1")
    store.add_event("acme-planner", recorded)
    mail = Event("2026-11-25T10:00:00+11:00", EventType.REPLY_RECEIVED, source="mail")
    store.add_event("acme-planner", mail)
    events = store.load_application("acme-planner").events  # type: ignore[union-attr]
    assert [e.source for e in events] == ["app", "mail", None, "app", "mail"]


def test_reimporting_updates_the_new_fields_and_adds_no_event_twice(store: Store) -> None:
    store.import_applications(read_document(NEXT, SYD))
    changed = document(**{"applied_on": "2026-11-03", "interviews.1.sequence": 4})
    changed["applications"][0]["interviews"][0]["cancelled"] = True
    counts = store.import_applications(read_document(changed, SYD, store))
    assert counts.events_added == 0
    acme = store.load_application("acme-planner")
    assert acme is not None and acme.applied_on == "2026-11-03"
    assert [iv.cancelled for iv in acme.interviews] == [True, True]
    assert acme.interviews[1].sequence == 4


# --- faults, by JSON path -----------------------------------------------------------------------

A0 = "$.applications[0]"


@pytest.mark.parametrize(
    ("changes", "fault"),
    [
        ({"applied_on": "2026-02-30"}, (f"{A0}.applied_on", "'2026-02-30' is not a real date")),
        ({"applied_on": "2201-01-01"}, (f"{A0}.applied_on", "'2201-01-01': the year must be 1900 to 2200")),
        (
            {"events.1.until": "2026-11-31"},
            (f"{A0}.events[1].until", "'2026-11-31' is not a real date and time"),
        ),
        (
            {"events.2.until": "2026-11-27T25:00"},
            (f"{A0}.events[2].until", "'2026-11-27T25:00' is not a real date and time"),
        ),
        (
            {"events.0.until": "2026-12-01"},
            (f"{A0}.events[0].until", "'until' only goes with snoozed or out_of_office"),
        ),
    ],
    ids=["applied_on-no-such-date", "applied_on-year", "until-no-such-date", "until-hour", "until-on-sent"],
)
def test_meaning_faults_of_the_new_fields_are_named_by_path(
    changes: dict[str, Any], fault: tuple[str, str]
) -> None:
    with pytest.raises(InterchangeError) as raised:
        read_document(document(**changes), SYD)
    assert raised.value.faults == [fault]


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"applied_on": "2 Nov 2026"}, f"{A0}.applied_on"),
        ({"interviews.0.sequence": 2.5}, f"{A0}.interviews[0].sequence"),
        ({"interviews.0.sequence": -1}, f"{A0}.interviews[0].sequence"),
        ({"interviews.0.sequence": "3"}, f"{A0}.interviews[0].sequence"),
        ({"interviews.0.cancelled": "yes"}, f"{A0}.interviews[0].cancelled"),
        ({"interviews.0.uid": "x" * 501}, f"{A0}.interviews[0].uid"),
        ({"events.1.source": "fax"}, f"{A0}.events[1].source"),
        ({"events.1.message_id": 5}, f"{A0}.events[1].message_id"),
        ({"events.1.until": "next week"}, f"{A0}.events[1].until"),
    ],
)
def test_schema_faults_of_the_new_fields_are_named_by_path(
    changes: dict[str, Any], path: str
) -> None:
    with pytest.raises(InterchangeError) as raised:
        read_document(document(**changes), SYD)
    assert [where for where, _ in raised.value.faults] == [path]


def test_a_whole_float_sequence_is_stored_as_an_integer(store: Store) -> None:
    """JSON Schema counts 3.0 as an integer; it is kept as 3, so export writes 3."""
    store.import_applications(read_document(document(**{"interviews.1.sequence": 3.0}), SYD))
    exported = json.loads(export_json(store.load_all()))
    assert exported["applications"][0]["interviews"][1]["sequence"] == 3
    assert export_json(store.load_all()) == export_json(read_document(NEXT, SYD))


# --- schema 5: migration, triggers, cache ---------------------------------------------------


def test_a_version_4_database_gains_the_new_columns_with_a_backup(
    tmp_path: Path, monkeypatch
) -> None:
    db = tmp_path / "f.db"
    _old_database(db, 4, 12, monkeypatch)
    with sqlite3.connect(db) as conn:
        before = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    with Store(db) as migrated:
        conn = migrated.conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == store_module.SCHEMA_VERSION
        columns = {
            table: {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
            for table in ("events", "interviews", "applications")
        }
        assert {"source", "message_id"} <= columns["events"]
        assert {"uid", "sequence", "cancelled"} <= columns["interviews"]
        assert "applied_on" in columns["applications"]
        apps = migrated.load_all()
        assert sum(len(app.events) for app in apps) == before
        assert all(e.source is None and e.message_id is None for a in apps for e in a.events)
        assert not any(iv.cancelled or iv.uid for a in apps for iv in a.interviews)
        # what was there before exports as it did: no new key appears
        exported = json.loads(export_json(apps))
        for app in exported["applications"]:
            assert "applied_on" not in app
            for iv in app.get("interviews", ()):
                assert not {"uid", "sequence", "cancelled"} & iv.keys()
    (backup,) = (tmp_path / "backups").glob("*before-migration-v4.db")
    with sqlite3.connect(backup) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 4


@pytest.mark.parametrize(
    "update",
    [
        "UPDATE events SET source = 'mail' WHERE type = 'out_of_office' AND until IS NULL",
        "UPDATE events SET message_id = '<m@x>' WHERE type = 'out_of_office' AND until IS NULL",
        "UPDATE interviews SET uid = 'u' WHERE id = 'acme-planner-1'",
        "UPDATE interviews SET sequence = 9 WHERE id = 'acme-planner-1'",
        "UPDATE interviews SET cancelled = 1 WHERE id = 'acme-planner-1'",
        "UPDATE applications SET applied_on = '2026-11-05' WHERE id = 'acme-planner'",
    ],
)
def test_a_change_to_a_new_column_moves_the_generation_and_drops_the_cached_span(
    store: Store, update: str
) -> None:
    store.import_applications(read_document(NEXT, SYD))
    mark = cache.stamp(RULES, "")
    now = datetime(2026, 11, 26, 10, tzinfo=SYD)
    cache.refresh(store, now, RULES, mark)
    assert cache.fresh(store, now, mark)
    generation = store.data_generation()
    with store.locked() as conn:
        assert conn.execute(update).rowcount == 1
    assert store.data_generation() != generation
    assert not cache.fresh(store, now, mark)
    cache.refresh(store, now, RULES, mark)
    assert cache.read(store, all_states=True) == cache.compute(
        store.load_all(details=False), now, RULES, all_states=True
    )


def test_the_cache_follows_an_away_hold_and_a_cancellation(store: Store) -> None:
    """Refreshed at moments either side of the hold's end (Mon 30 Nov 00:00) and after
    an import cancels the first interview: cached == decided afresh every time."""
    store.import_applications(read_document(NEXT, SYD))
    mark = cache.stamp(RULES, "")
    monday = datetime(2026, 11, 30, tzinfo=SYD)
    tick = timedelta(microseconds=1)
    moments = [monday - timedelta(days=4), monday - tick, monday, monday + timedelta(hours=9)]

    def states(now: datetime) -> list[tuple[str, str, State]]:
        cache.refresh(store, now, RULES, mark)
        cached = cache.read(store, all_states=True)
        fresh = cache.compute(store.load_all(details=False), now, RULES, all_states=True)
        assert cached == fresh
        return [(item.interview, item.kind.value, item.state) for item in cached[0]]

    calls = [dict(((i, k), s) for i, k, s in states(now))[("acme-planner-1", "call")]
             for now in moments]
    assert calls == [State.SUPPRESSED, State.SUPPRESSED, State.DUE, State.DUE]
    store.import_applications(
        read_document(document(**{"interviews.0.cancelled": True}), SYD, store)
    )
    for now in moments:
        assert [i for i, _, _ in states(now)] == []  # both interviews called off


def test_the_lean_load_keeps_what_decides_cancelled(store: Store) -> None:
    store.import_applications(read_document(NEXT, SYD))
    (lean, _) = store.load_all(details=False)
    assert [iv.cancelled for iv in lean.interviews] == [False, True]
    assert lean.events[1].until == "2026-11-27"
    assert lean.interview("acme-planner-2") == Interview(
        "acme-planner-2", "2026-11-27T10:00:00+11:00", cancelled=True
    )
