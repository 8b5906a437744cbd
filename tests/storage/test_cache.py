"""The follow-up cache gives exactly what computing afresh gives, whatever changed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from followup_tui.domain.model import Contact, Event, EventType, Rules, State
from followup_tui.domain.rules import validity
from followup_tui.interchange.document import read_document
from followup_tui.storage import cache
from followup_tui.storage import store as store_module
from followup_tui.storage.store import Store, StoreError
from tools.bench import generate

TZ = ZoneInfo("Australia/Sydney")
RULES = Rules(TZ)
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=TZ)


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "f.db") as opened:
        doc = json.loads(json.dumps(generate(300, NOW.astimezone(UTC), seed=3, history=False)))
        opened.import_applications(read_document(doc, TZ))
        yield opened


def fresh(store: Store, now: datetime, rules: Rules = RULES, all_states: bool = True):
    return cache.compute(store.load_all(details=False), now, rules, all_states=all_states)


def cached(store: Store, now: datetime, rules: Rules = RULES, all_states: bool = True):
    cache.refresh(store, now, rules, cache.stamp(rules, ""))
    return cache.read(store, all_states=all_states)


@pytest.mark.parametrize("all_states", [True, False])
def test_cached_equals_fresh_as_time_moves_both_ways(store: Store, all_states: bool) -> None:
    moments = [NOW + timedelta(hours=h) for h in (0, 5, 30, 24 * 4, 24 * 20, -24 * 3, 1, 0)]
    for now in moments:
        assert cached(store, now, all_states=all_states) == fresh(store, now, all_states=all_states)


def test_only_what_went_stale_is_recomputed(store: Store) -> None:
    mark = cache.stamp(RULES, "")
    assert cache.refresh(store, NOW, RULES, mark) == 300
    assert cache.refresh(store, NOW, RULES, mark) == 0
    later = NOW + timedelta(days=2)
    expected = 0
    for app in store.load_all(details=False):
        since, until = validity(app, NOW, RULES)
        expected += not (until is None or later < until)
    assert 0 < expected < 300
    assert cache.refresh(store, later, RULES, mark) == expected


def test_a_write_by_another_process_invalidates_that_application(store: Store) -> None:
    items, _ = cached(store, NOW, all_states=False)
    target = items[0]
    assert target.state in (State.DUE, State.OVERDUE)
    with Store(store.path) as other:  # stands for another terminal
        kind = EventType.THANK_YOU_SENT if target.kind.value == "thank_you" else EventType.CALL_MADE
        other.add_event(target.application, Event(NOW.isoformat(), kind, target.interview))
    after, _ = cached(store, NOW, all_states=True)
    row = next(i for i in after if (i.interview, i.kind) == (target.interview, target.kind))
    assert row.state is State.DONE
    assert cached(store, NOW) == fresh(store, NOW)


def test_edits_deletes_and_undo_keep_the_cache_true(store: Store) -> None:
    cached(store, NOW)
    app = store.load_all()[5]
    store.delete_interview(app.interviews[0].id)
    assert cached(store, NOW) == fresh(store, NOW)
    store.replace_application(app.id, app)
    assert cached(store, NOW) == fresh(store, NOW)
    store.delete_application(app.id)
    assert cached(store, NOW) == fresh(store, NOW)
    rows = store.conn.execute(
        "SELECT count(*) FROM followup_rows WHERE application_id = ?", (app.id,)
    ).fetchone()[0]
    assert rows == 0


def test_other_settings_recompute_everything(store: Store) -> None:
    cached(store, NOW)
    patient = Rules(TZ, call_after_business_days=5, thank_you_window_hours=48)
    assert cached(store, NOW, patient) == fresh(store, NOW, patient)


def test_statuses_and_follow_ups_by_application_match_the_rules(store: Store) -> None:
    from followup_tui.domain.rules import application_status, follow_ups

    cached(store, NOW)
    parts = cache.read_by_application(store)
    apps = store.load_all(details=False)
    assert set(parts) == {app.id for app in apps}
    for app in apps:
        status, fus = parts[app.id]
        assert status == application_status(app, NOW, RULES)
        expected = follow_ups(app, NOW, RULES)
        assert [(f.interview_id, f.kind, f.state, f.due_at, f.reason) for f in fus] == [
            (f.interview_id, f.kind, f.state, f.due_at, f.reason) for f in expected
        ]


def test_due_answers_from_memory_when_the_file_cannot_be_written(tmp_path: Path, monkeypatch, capsys) -> None:
    from followup_tui.cli import main as cli

    db = tmp_path / "f.db"
    with Store(db) as opened:
        doc = json.loads(json.dumps(generate(50, NOW.astimezone(UTC), seed=5)))
        opened.import_applications(read_document(doc, TZ))

    def refuse(*args, **kwargs):
        raise StoreError(f"{db}: the file or its directory is read-only")

    monkeypatch.setenv("TZ", "Australia/Sydney")
    monkeypatch.setenv("FOLLOWUP_TUI_CONFIG_DIR", str(tmp_path))
    args = ["--db", str(db), "--now", NOW.isoformat(), "due", "--all", "--json"]
    assert cli.main(args) == 0
    through_cache = capsys.readouterr().out
    monkeypatch.setattr(cache, "refresh", refuse)
    assert cli.main(args) == 0
    assert capsys.readouterr().out == through_cache


def _old_database(path: Path, version: int, count: int, monkeypatch) -> None:
    """A database left at schema `version` by an older followup-tui, `count` applications.

    Its tables are the ones that version made, so today's import cannot write them
    (it names columns added since): the data goes into a current database beside
    it, and from there, column by column the old tables have, into the old one.
    """
    current = path.parent / "current" / path.name
    current.parent.mkdir()
    with Store(current) as full:
        doc = json.loads(json.dumps(generate(count, NOW.astimezone(UTC), seed=9)))
        full.import_applications(read_document(doc, TZ))
    with monkeypatch.context() as patch:
        patch.setattr(store_module, "SCHEMA_VERSION", version)
        with Store(path) as old:
            conn = old.conn
            conn.execute("ATTACH DATABASE ? AS current", (str(current),))
            with old.locked():
                for table in ("applications", "contacts", "interviews", "events"):
                    info = conn.execute(f"PRAGMA main.table_info({table})")
                    columns = ", ".join(row[1] for row in info)
                    conn.execute(
                        f"INSERT INTO main.{table} ({columns}) "
                        f"SELECT {columns} FROM current.{table}"
                    )
            conn.execute("DETACH DATABASE current")
            assert old.conn.execute("PRAGMA user_version").fetchone()[0] == version
            assert old.count_applications() == count


def test_a_version_1_database_is_migrated_with_a_backup(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "f.db"
    _old_database(db, 1, 20, monkeypatch)
    with Store(db) as migrated:
        version = migrated.conn.execute("PRAGMA user_version").fetchone()[0]
        assert version == store_module.SCHEMA_VERSION
        assert cached(migrated, NOW) == fresh(migrated, NOW)
    assert list((tmp_path / "backups").glob("*before-migration-v1.db"))


def test_refresh_in_batches_gives_the_same_answer(store: Store, monkeypatch) -> None:
    monkeypatch.setattr(cache, "REFRESH_BATCH", 7)
    assert cache.refresh(store, NOW, RULES, cache.stamp(RULES, "")) == 300
    assert cache.read(store, all_states=True) == fresh(store, NOW)


def test_the_stamp_changes_with_the_settings() -> None:
    base = cache.stamp(RULES, "")
    assert cache.stamp(Rules(TZ, call_after_business_days=4), "") != base
    assert cache.stamp(Rules(ZoneInfo("UTC")), "") != base
    assert cache.stamp(RULES, "AU/NSW") != base
    assert cache.stamp(RULES, "") == base


def test_rows_of_a_changed_application_are_never_read(store: Store) -> None:
    """A write leaves the old rows in place until the next refresh; no read may use them."""
    cached(store, NOW)
    items, _ = cache.read(store, all_states=True)
    app_id = items[0].application
    with Store(store.path) as other:
        other.add_event(app_id, Event(NOW.isoformat(), EventType.WITHDRAWN))
    stale_rows = store.conn.execute(
        "SELECT count(*) FROM followup_rows WHERE application_id = ?", (app_id,)
    ).fetchone()[0]
    assert stale_rows > 0  # still there...
    items, counts = cache.read(store, all_states=True)
    assert all(item.application != app_id for item in items)  # ...but never read
    assert sum(counts.values()) == sum(item.state is not State.DONE for item in items)
    assert app_id not in cache.read_by_application(store)
    assert app_id not in cache.most_urgent_rows(store, 10_000)[0]


def test_count_stale_counts_what_refresh_would_decide(store: Store) -> None:
    mark = cache.stamp(RULES, "")
    assert cache.count_stale(store, NOW, mark, 10_000) == 300
    assert cache.count_stale(store, NOW, mark, 50) == 50
    cache.refresh(store, NOW, RULES, mark)
    assert cache.count_stale(store, NOW, mark, 10_000) == 0


def test_fresh_agrees_with_counting_stale_applications(store: Store) -> None:
    """The quick check (index lookups) says "nothing stale" exactly when the full count is 0."""
    mark = cache.stamp(RULES, "")
    assert not cache.fresh(store, NOW, mark)  # nothing decided yet
    cache.refresh(store, NOW, RULES, mark)
    assert cache.fresh(store, NOW, mark)
    # another rule set: every stamp differs
    assert not cache.fresh(store, NOW, cache.stamp(Rules(TZ, call_after_business_days=5), ""))
    spans = store.conn.execute("SELECT min(until), max(since) FROM followup_spans").fetchone()
    first_until, last_since = (cache._from_key(key) for key in spans)
    for moment in (first_until, last_since - timedelta(microseconds=1), first_until + timedelta(days=1)):
        expected = cache.count_stale(store, moment, mark, 10_000) == 0
        assert cache.fresh(store, moment, mark) is expected
    assert not cache.fresh(store, first_until, mark)  # `until` is excluded from its span
    # one application changed by another program: its span is gone
    app_id = store.conn.execute("SELECT id FROM applications LIMIT 1").fetchone()[0]
    with Store(store.path) as other:
        other.add_event(app_id, Event(NOW.isoformat(), EventType.NOTE, text="x"))
    assert not cache.fresh(store, NOW, mark)
    assert cache.count_stale(store, NOW, mark, 10_000) == 1


def test_the_quick_reads_use_the_schema_3_indexes(store: Store) -> None:
    cache.refresh(store, NOW, RULES, cache.stamp(RULES, ""))

    def plan(sql: str, args: object = ()) -> str:
        return " ".join(row[-1] for row in store.conn.execute("EXPLAIN QUERY PLAN " + sql, args))

    quick = plan(cache._FRESH, {"stamp": "x", "now": "y"})
    assert "followup_spans_since" in quick and "followup_spans_until" in quick
    counted = plan(
        "SELECT state, count(*) FROM followup_rows JOIN followup_spans USING (application_id) "
        "WHERE state IN ('due') GROUP BY state"
    )
    assert "COVERING INDEX followup_rows_state" in counted


def test_counts_are_of_the_states_not_done(store: Store) -> None:
    items, counts = cached(store, NOW)
    assert set(counts) == {State.OVERDUE, State.DUE, State.WAITING, State.SUPPRESSED}
    for state, count in counts.items():
        assert count == sum(item.state is state for item in items)
    assert any(item.state is State.DONE for item in items)


def test_a_refresh_leaves_the_connection_as_durable_as_it_found_it(store: Store) -> None:
    """Cache writes skip the fsync (derived data); the records' writes still wait for it."""
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert cache.refresh(store, NOW, RULES, cache.stamp(RULES, "")) == 300
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2
    # inside a caller's transaction a refresh is refused as a StoreError, as it always was
    # (SQLite would refuse the change of setting with an error of its own)
    with pytest.raises(StoreError), store.transaction():
        cache.refresh(store, NOW + timedelta(days=30), RULES, cache.stamp(RULES, ""))
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2


def test_the_data_generation_moves_with_the_data_not_the_cache(store: Store) -> None:
    start = store.data_generation()
    mark = cache.stamp(RULES, "")
    cache.refresh(store, NOW, RULES, mark)
    with store.locked() as conn:
        conn.execute("DELETE FROM followup_spans")
    cache.refresh(store, NOW, RULES, mark)
    assert store.data_generation() == start  # the cache's writes leave it
    app = store.load_all()[0]
    steps = [
        lambda: store.add_event(app.id, Event(NOW.isoformat(), EventType.NOTE, text="n")),
        lambda: store.replace_application(app.id, app.replace(company="Renamed")),
        lambda: store.replace_application(
            app.id, app.replace(contacts=(Contact("Someone New"),))
        ),
        lambda: store.delete_application(app.id),
    ]
    seen = [start]
    for step in steps:
        with store.transaction():
            step()
        seen.append(store.data_generation())
    assert seen == sorted(set(seen)), seen  # every change moved it on


def test_a_version_3_database_gains_the_data_generation(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "f.db"
    _old_database(db, 3, 5, monkeypatch)
    with Store(db) as migrated:
        version = migrated.conn.execute("PRAGMA user_version").fetchone()[0]
        assert version == store_module.SCHEMA_VERSION
        before = migrated.data_generation()
        migrated.delete_application(migrated.load_all()[0].id)
        assert migrated.data_generation() > before
    assert list((tmp_path / "backups").glob("*before-migration-v3.db"))


@pytest.mark.parametrize("hours", [1, 24, -24, 72, 24 * 30, -24 * 9, 5])
def test_moving_a_review_to_another_now_matches_a_full_build(store: Store, hours: int) -> None:
    """`rebuild` decides again only what cache.moved_between names; the rows, their
    states and order, and the counts must be what a build from scratch gives."""
    from followup_tui.tui.review import Review

    mark = cache.stamp(RULES, "")
    apps = store.load_all()
    cache.refresh(store, NOW, RULES, mark)
    review = Review.build(apps, NOW, RULES, cache.read_by_application(store))
    then = NOW + timedelta(hours=hours)
    for moment in (then, then + timedelta(hours=hours)):  # twice: from a moved review too
        cache.refresh(store, moment, RULES, mark)
        moved, decided = cache.moved_between(store, review.now, moment, mark)
        if abs(hours) <= 24:
            assert len(moved) < len(apps) // 2  # far from everything: the point of it
        assert set(decided) == set(moved)  # nobody else wrote: every decision holds
        review.move_to(moment, store.load_many(moved), RULES, decided)
        built = Review.build(apps, moment, RULES)
        assert _rows(review) == _rows(built)
        assert review.counts == built.counts
        assert set(review.index) == set(built.index)


def test_the_stale_set_is_every_application_whose_span_does_not_hold(store: Store) -> None:
    mark = cache.stamp(RULES, "")
    cache.refresh(store, NOW, RULES, mark)
    ids = [app.id for app in store.load_all()]
    with store.locked() as conn:
        conn.execute("DELETE FROM followup_spans WHERE application_id = ?", (ids[0],))
        conn.execute("UPDATE followup_spans SET stamp = 'old' WHERE application_id = ?", (ids[1],))
    later = NOW + timedelta(days=2)

    def expected(now: datetime) -> set[str]:
        spans = {
            row[0]: row[1:]
            for row in store.conn.execute(
                "SELECT application_id, stamp, since, until FROM followup_spans"
            )
        }
        key = cache._key(now)
        return {
            app_id for app_id in ids
            if app_id not in spans
            or spans[app_id][0] != mark
            or (spans[app_id][1] is not None and key < spans[app_id][1])
            or (spans[app_id][2] is not None and key >= spans[app_id][2])
        }

    def stale(now: datetime) -> set[str]:
        args = {"stamp": mark, "now": cache._key(now)}
        return {row[0] for row in store.conn.execute(cache._STALE, args)}

    for now in (NOW, later, NOW - timedelta(days=3)):
        assert stale(now) == expected(now)
        assert {ids[0], ids[1]} <= stale(now)
    assert len(stale(later)) < len(ids)


def _rows(review) -> list[object]:
    """What the list draws of each line, in order, and what it counts of it."""
    lines = [
        (r.key, r.state, r.kind, r.due_at, r.snoozed, r.ghosted, r.company) for r in review.rows
    ]
    counted = review.conn.execute(
        "SELECT key, overdue, due_count, waiting, suppressed FROM rows ORDER BY key"
    ).fetchall()
    return [lines, counted]


def _move(store: Store, review, now: datetime, mark: str, meanwhile=None) -> None:
    """What app.rebuild does, with `meanwhile` run where another program could commit."""
    cache.refresh(store, now, RULES, mark)
    if meanwhile is not None:
        meanwhile()
    moved, decided = cache.moved_between(store, review.now, now, mark)
    review.move_to(now, store.load_many(moved), RULES, decided)


@pytest.mark.parametrize("elsewhere", [timedelta(days=30), timedelta(hours=-2)])
def test_a_refresh_elsewhere_at_another_moment_does_not_leak_into_a_move(
    store: Store, elsewhere: timedelta
) -> None:
    """Another program (a second window previewing a month ahead, say) refreshes the
    cache between this app's refresh and its read: its spans hold at neither moment, so
    those applications are decided here, now and at the next tick (found by a review)."""
    from followup_tui.tui.review import Review

    mark = cache.stamp(RULES, "")
    apps = store.load_all()
    cache.refresh(store, NOW, RULES, mark)
    review = Review.build(apps, NOW, RULES, cache.read_by_application(store))
    with Store(store.path) as other:
        soon = NOW + timedelta(days=1)
        _move(store, review, soon, mark,
              meanwhile=lambda: cache.refresh(other, NOW + elsewhere, RULES, mark))
        assert _rows(review) == _rows(Review.build(apps, soon, RULES))
        tick = soon + timedelta(minutes=1)
        _move(store, review, tick, mark)
        built = Review.build(apps, tick, RULES)
        assert _rows(review) == _rows(built) and review.counts == built.counts


def test_a_span_deleted_elsewhere_during_a_move_is_decided_here(store: Store) -> None:
    from followup_tui.tui.review import Review

    mark = cache.stamp(RULES, "")
    apps = store.load_all()
    later = NOW + timedelta(days=3)
    cache.refresh(store, later, RULES, mark)
    cache.refresh(store, NOW, RULES, mark)
    review = Review.build(apps, NOW, RULES, cache.read_by_application(store))
    with Store(store.path) as other:

        def edit_elsewhere() -> None:  # an edit's trigger deletes the span
            with other.locked() as conn:
                conn.execute("DELETE FROM followup_spans WHERE rowid % 7 = 0")

        _move(store, review, later, mark, meanwhile=edit_elsewhere)
    assert _rows(review) == _rows(Review.build(apps, later, RULES))
