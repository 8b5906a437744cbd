"""The store on real temp files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from followup_tui.domain.model import Application, Contact, Event, EventType, Interview, Kind
from followup_tui.storage import store as store_module
from followup_tui.storage.store import APPLICATION_ID, SCHEMA_VERSION, Store, StoreError

APP = Application(
    id="acme",
    company="Acme",
    role="Planner",
    contacts=(Contact("Priya Shah", email="priya@example.org"),),
    interviews=(
        Interview(
            "acme-1",
            "2026-11-20T10:00:00+11:00",
            duration_minutes=45,
            interviewers=("Priya Shah",),
            topics=("housing", "consultation"),
            fit_points=("five years",),
            decision_by="2026-11-27",
        ),
    ),
    events=(Event("2026-11-20T15:30:00+11:00", EventType.THANK_YOU_SENT, "acme-1"),),
)


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "f.db") as opened:
        yield opened


def test_new_file_is_set_up_owner_only_with_wal_and_foreign_keys(store: Store) -> None:
    assert store.path.stat().st_mode & 0o777 == 0o600
    conn = store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_import_and_load_give_back_the_same_objects(store: Store) -> None:
    store.import_applications([APP])
    loaded = store.load_application("acme")
    assert loaded is not None
    assert loaded == APP
    assert store.load_all() == [APP]


def test_lean_load_keeps_what_the_rules_need(store: Store) -> None:
    store.import_applications([APP])
    (lean,) = store.load_all(details=False)
    assert lean.interviews[0].starts_at == APP.interviews[0].starts_at
    assert lean.interviews[0].decision_by == "2026-11-27"
    assert lean.events == APP.events
    assert lean.contacts == () and lean.interviews[0].topics == ()


def test_a_failed_write_leaves_nothing_behind(store: Store) -> None:
    store.import_applications([APP])
    with pytest.raises(RuntimeError), store.transaction() as db:
        db["events"].insert(
            {"application_id": "acme", "at": "2026-11-21T10:00", "type": "note", "text": "half"}
        )
        raise RuntimeError("crash in the middle")
    assert store.load_application("acme") == APP


def test_import_is_all_or_nothing(store: Store) -> None:
    bad = Application(
        "other", "Other", "Role", interviews=(Interview("acme-1", "2026-11-20T10:00"),)
    )
    fine = Application("fine", "Fine", "Role")
    with pytest.raises(StoreError):
        store.import_applications([fine, APP, bad, APP])
    assert store.count_applications() == 0


def test_replace_application_restores_a_snapshot_including_deletes(store: Store) -> None:
    store.import_applications([APP])
    snapshot = store.load_application("acme")
    store.add_event("acme", Event("2026-11-26T10:00", EventType.ON_HOLD))
    store.delete_interview("acme-1")
    assert store.load_application("acme").interviews == ()  # type: ignore[union-attr]
    store.replace_application("acme", snapshot)
    assert store.load_application("acme") == APP
    store.delete_application("acme")
    assert store.load_application("acme") is None
    store.replace_application("acme", snapshot)
    assert store.load_application("acme") == APP


def test_deleting_an_application_cascades(store: Store) -> None:
    store.import_applications([APP])
    store.delete_application("acme")
    for table in ("contacts", "interviews", "events"):
        assert store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0


def test_event_ids_and_snooze_fields_round_trip(store: Store) -> None:
    store.import_applications([APP])
    event = Event("2026-11-24T09:00", EventType.SNOOZED, "acme-1", Kind.CALL, "2026-12-01")
    new_id = store.add_event("acme", event)
    stored = store.load_application("acme").events[-1]  # type: ignore[union-attr]
    # recorded here, so its source says so
    assert stored == event.replace(source="app") and stored.id == new_id
    store.delete_event(new_id)
    assert store.load_application("acme") == APP


def test_new_ids_are_unique_and_readable(store: Store) -> None:
    store.import_applications([APP])
    assert store.new_application_id("Société Générale", "Analyst") == "societe-generale-analyst"
    store.import_applications([Application("globex-analyst", "Globex", "Analyst")])
    assert store.new_application_id("Globex", "Analyst") == "globex-analyst-2"
    assert store.new_interview_id("acme") == "acme-2"
    assert store.new_interview_id("globex-analyst") == "globex-analyst-1"


def test_data_version_changes_when_another_connection_writes(store: Store) -> None:
    before = store.data_version()
    with Store(store.path) as other:
        other.import_applications([APP])
    assert store.data_version() != before


def test_migration_takes_a_backup_first(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "f.db"
    with Store(path) as first:
        first.import_applications([APP])
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr(
        store_module,
        "MIGRATIONS",
        [
            *store_module.MIGRATIONS,
            lambda conn: conn.execute("ALTER TABLE applications ADD COLUMN x"),
        ],
    )
    with Store(path) as migrated:
        assert migrated.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
        assert migrated.load_application("acme") == APP
    (backup,) = (tmp_path / "backups").glob(f"f-*-before-migration-v{SCHEMA_VERSION}.db")
    with sqlite3.connect(backup) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("SELECT count(*) FROM applications").fetchone()[0] == 1
    assert backup.stat().st_mode & 0o777 == 0o600


def test_backups_keep_the_last_seven_daily_ones_and_every_other(store: Store) -> None:
    store.import_applications([APP])
    manual = store.backup()
    daily = [store.backup(reason="daily") for _ in range(9)]
    kept = sorted((store.path.parent / "backups").glob(f"{store.path.stem}-*.db"))
    assert kept == sorted([manual, *daily[-7:]])


def test_deleting_an_interview_keeps_the_application_wide_events(store: Store) -> None:
    offer = Event("2026-11-24T10:00", EventType.OFFER, "acme-1")
    snooze = Event("2026-11-24T09:00", EventType.SNOOZED, "acme-1", Kind.CALL, "2026-12-01")
    store.import_applications([APP])
    store.add_event("acme", offer)
    store.add_event("acme", snooze)
    store.delete_interview("acme-1")
    events = store.load_application("acme").events  # type: ignore[union-attr]
    assert [(e.type, e.interview) for e in events] == [(EventType.OFFER, None)]


def test_daily_backup_once_a_day(store: Store) -> None:
    assert store.daily_backup() is None  # nothing to protect yet
    store.import_applications([APP])
    assert store.daily_backup() is not None
    assert store.daily_backup() is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello, not a database", "not a SQLite database"),
        (b"SQLite format 3\x00" + b"\x00" * 200, "damaged"),
    ],
)
def test_refuses_files_that_are_not_usable(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "f.db"
    path.write_bytes(content)
    with pytest.raises(StoreError, match=message):
        Store(path)
    assert path.read_bytes() == content


def test_refuses_a_directory(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a directory"):
        Store(tmp_path)


def test_default_location_directory_is_created(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "f.db"
    with Store(path, must_exist_dir=False):
        pass
    assert path.exists()
    assert path.parent.stat().st_mode & 0o777 == 0o700
