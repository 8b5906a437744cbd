"""The insights kept beside the follow-up cache (`insight_rows`) give exactly what
computing afresh gives: the figures of `stats` and `due`'s ghosted label, at any now,
as time moves both ways over the same cached rows."""

from __future__ import annotations

import json
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings

from followup_tui.domain.insights import ghosted, stats
from followup_tui.domain.model import Application, Event, EventType, Rules
from followup_tui.interchange.demo import sample_applications
from followup_tui.storage import cache
from followup_tui.storage.store import Store
from tests.insights.test_insights_properties import searches
from tests.support.cli import Runner

TZ = ZoneInfo("Australia/Sydney")
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=TZ)


def check_all_moments(store: Store, rules: Rules, moments: list[datetime]) -> set[bool]:
    """At each moment in turn (the cache refreshed from the last), the cached figures
    and ghosted labels equal those computed afresh; returns the labels seen."""
    mark = cache.stamp(rules, "")
    seen: set[bool] = set()
    for now in moments:
        apps = store.load_all(details=False)
        assert cache.insight_stats(store, now, rules, mark) == stats(apps, now, rules), now
        items, _ = cache.read(store, all_states=True)
        expected, _ = cache.compute(apps, now, rules, all_states=True)
        assert items == expected, now
        for item in items:
            seen.add(item.ghosted)
        ghosts = {app.id for app in apps if ghosted(app, now, rules).ghosted}
        assert {i.application for i in items if i.ghosted} <= ghosts
    return seen


def test_demo_data_cached_equals_fresh_day_by_day_both_ways(tmp_path: Path) -> None:
    rules = Rules(TZ)
    with Store(tmp_path / "demo.db") as store:
        store.import_applications(sample_applications(NOW, TZ))
        forward = [NOW + timedelta(hours=11 * n) for n in range(-40, 80)]
        seen = check_all_moments(store, rules, [*forward, *reversed(forward)])
    assert seen == {True, False}  # the demo's ghosted application is ghosted at some


def test_a_change_recomputes_the_application_s_insights(tmp_path: Path) -> None:
    rules = Rules(TZ)
    mark = cache.stamp(rules, "")
    with Store(tmp_path / "demo.db") as store:
        store.import_applications(sample_applications(NOW, TZ))
        before = cache.insight_stats(store, NOW, rules, mark)
        (ghost,) = before.ghosted
        store.add_event(ghost.application, Event(NOW.isoformat(), EventType.REPLY_RECEIVED))
        after = cache.insight_stats(store, NOW, rules, mark)
        assert after == stats(store.load_all(details=False), NOW, rules)
        assert after.ghosted == () and after.responded == before.responded + 1


def test_another_threshold_is_another_stamp(tmp_path: Path) -> None:
    with Store(tmp_path / "demo.db") as store:
        store.import_applications(sample_applications(NOW, TZ))
        apps = store.load_all(details=False)
        for days in (10, 3, 25, 10):
            rules = Rules(TZ, ghosted_after_business_days=days)
            mark = cache.stamp(rules, "")
            assert cache.insight_stats(store, NOW, rules, mark) == stats(apps, NOW, rules)


def test_an_application_changed_after_the_refresh_is_still_counted(
    tmp_path: Path, monkeypatch
) -> None:
    rules = Rules(TZ)
    mark = cache.stamp(rules, "")
    with Store(tmp_path / "demo.db") as store:
        store.import_applications(sample_applications(NOW, TZ))
        cache.refresh(store, NOW, rules, mark)
        ghost = cache.insight_stats(store, NOW, rules, mark).ghosted[0].application
        # another process's change lands between the refresh and the read
        store.add_event(ghost, Event(NOW.isoformat(), EventType.NOTE, text="later"))
        held = store.conn.execute("SELECT count(*) FROM insight_rows").fetchone()[0]
        assert held == store.count_applications() - 1  # its row went with its span
        monkeypatch.setattr(cache, "refresh", lambda *args, **kwargs: 0)
        figures = cache.insight_stats(store, NOW, rules, mark)
        assert figures == stats(store.load_all(details=False), NOW, rules)
        assert [g.application for g in figures.ghosted] == [ghost]


def test_since_counts_the_same_from_the_cache(tmp_path: Path) -> None:
    rules = Rules(TZ)
    mark = cache.stamp(rules, "")
    with Store(tmp_path / "demo.db") as store:
        store.import_applications(sample_applications(NOW, TZ))
        apps = store.load_all(details=False)
        for days_back in (90, 45, 30, 20, 10, 3, 0):
            since = (NOW - timedelta(days=days_back)).date()
            assert cache.insight_stats(store, NOW, rules, mark, since) == stats(
                apps, NOW, rules, since
            )


def storable(app: Application) -> Application:
    """Interview ids are unique in a database: prefixed with the application's."""
    def own(interview_id: str | None) -> str | None:
        return interview_id and f"{app.id}-{interview_id}"

    return app.replace(
        interviews=tuple(iv.replace(id=own(iv.id)) for iv in app.interviews),
        events=tuple(event.replace(interview=own(event.interview))
                     for event in app.events),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(searches())
def test_random_histories_cached_equals_fresh(search: tuple[list[Application], Rules,
                                                            datetime]) -> None:
    apps, rules, now = search
    day = timedelta(days=1)
    moments = [now, now + 3 * day, now + 14 * day, now - 5 * day, now + day / 3, now,
               now + 30 * day, now - 40 * day]
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "f.db") as store:
        store.import_applications([storable(app) for app in apps])
        check_all_moments(store, rules, moments)


def test_due_json_says_ghosted_through_the_cli(tmp_path: Path) -> None:
    from tests.insights.test_insights_cli import SEARCH

    cli = Runner(tmp_path)
    assert cli.run("import", str(cli.write_json("search.json", SEARCH))).returncode == 0

    def ghosted_by_app(now: str, *flags: str) -> dict[str, set[bool]]:
        done = cli.run("due", *flags, "--json", "--now", now)
        assert done.returncode == 0, done.stderr
        result: dict[str, set[bool]] = {}
        for item in json.loads(done.stdout):
            result.setdefault(item["application"], set()).add(item["ghosted"])
        return result

    # called Thu 5 Nov, silence since: ghosted from Thu 19 Nov (ten business days)
    assert ghosted_by_app("2026-11-18T23:00:00+11:00", "--all") == {
        "rex": {False}, "gho": {False},
    }
    assert ghosted_by_app("2026-11-30T12:00:00+11:00", "--all") == {
        "rex": {False}, "gho": {True},
    }
    # and back again: the cache's span ends where the label flips
    assert ghosted_by_app("2026-11-18T23:59:00+11:00", "--all")["gho"] == {False}
    assert ghosted_by_app("2026-11-19T00:00:00+11:00", "--all")["gho"] == {True}
    # every object carries the field, `due` without --all too
    done = cli.run("due", "--json", "--now", "2026-11-30T12:00:00+11:00")
    assert all(isinstance(item["ghosted"], bool) for item in json.loads(done.stdout))
