"""The app's view model (followup_tui.tui.review) and the relative wording of moments."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from followup_tui.domain.model import OPEN_STATES, Application, Event, EventType, Rules, State
from followup_tui.interchange.demo import sample_applications
from followup_tui.tui.humanize import relative
from followup_tui.tui.review import (
    Review,
    StateFilter,
    rows_of,
    timeline_items,
    timeline_lines,
)

TZ = ZoneInfo("Australia/Sydney")
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=TZ)
RULES = Rules(TZ)


def test_demo_shows_every_state() -> None:
    apps = sample_applications(NOW, TZ)
    review = Review.build(apps, NOW, RULES)
    assert all(review.counts[state] > 0 for state in OPEN_STATES)
    whole = [row for app in apps for row in rows_of(app, NOW, RULES)]
    assert {row.key for row in whole} == set(review.rows.keys())
    assert any(f.state is State.DONE for row in whole for f in row.follow_ups)
    reasons = " ".join(f.reason for row in whole for f in row.follow_ups)
    assert "On hold" in reasons
    assert "decide by" in reasons
    assert "closed" in reasons
    assert "Snoozed" in reasons


def test_rows_are_urgent_first() -> None:
    review = Review.build(sample_applications(NOW, TZ), NOW, RULES)
    ranks = [row.state.rank if row.state else 3.5 for row in review.rows]
    assert ranks == sorted(ranks)
    assert review.rows[0].state is State.OVERDUE


def test_replace_application_matches_a_full_rebuild() -> None:
    apps = sample_applications(NOW, TZ)
    review = Review.build(apps, NOW, RULES)
    target = next(app for app in apps if app.id == "lumen-data-engineer")
    changed = target.replace(events=(Event(NOW.isoformat(), EventType.THANK_YOU_SENT,
                                            "lumen-data-engineer-1"),))
    review.replace_application(target.id, changed, RULES)
    fresh = Review.build([changed if a.id == target.id else a for a in apps], NOW, RULES)
    assert [r.key for r in review.rows] == [r.key for r in fresh.rows]
    assert review.counts == fresh.counts
    assert review.line("lumen-data-engineer-1").state is State.WAITING
    review.replace_application(target.id, None, RULES)
    assert "lumen-data-engineer-1" not in review.index
    assert all(row.application_id != target.id for row in review.rows)


def test_filters() -> None:
    review = Review.build(sample_applications(NOW, TZ), NOW, RULES)
    assert {r.company for r in review.filtered("harbour", StateFilter.ALL)} == {
        "Harbour City Council"
    }
    assert [r.key for r in review.filtered("HOUSING strategy", StateFilter.ALL)] == [
        "harbour-city-planner-1"
    ]
    assert all(r.state is State.DUE for r in review.filtered("", StateFilter.DUE))
    assert all(r.state is not State.DONE for r in review.filtered("", StateFilter.OPEN))
    action = review.filtered("", StateFilter.ACTION)
    assert action and all(r.state in (State.OVERDUE, State.DUE) for r in action)
    assert StateFilter.ALL.next() is StateFilter.OPEN


def test_timeline_has_one_now_marker_between_past_and_future() -> None:
    apps = sample_applications(NOW, TZ)
    lines = timeline_lines(timeline_items(apps, NOW, RULES), NOW, RULES)
    kinds = [line.kind for line in lines]
    assert kinds.count("now") == 1
    marker = kinds.index("now")
    assert all(line.item.at <= NOW for line in lines[:marker] if line.item)
    assert all(line.item.at > NOW for line in lines[marker:] if line.item)
    days = [line.day for line in lines if line.kind == "day"]
    assert days == sorted(days) and len(days) == len(set(days))


def test_timeline_of_one_application() -> None:
    apps = sample_applications(NOW, TZ)
    items = timeline_items(apps, NOW, RULES, only="orchid-risk")
    assert items and {item.application.id for item in items} == {"orchid-risk"}


def test_empty_timeline_still_shows_now() -> None:
    lines = timeline_lines([], NOW, RULES)
    assert [line.kind for line in lines] == ["day", "now"]


def test_relative() -> None:
    at = NOW.replace(hour=10)
    assert relative(at, NOW, TZ) == "today 10:00"
    assert relative(at - timedelta(days=1), NOW, TZ) == "yesterday 10:00"
    assert relative(at + timedelta(days=1), NOW, TZ) == "tomorrow 10:00"
    assert relative(at + timedelta(days=2), NOW, TZ) == "in 2 days"
    assert relative(at - timedelta(days=3), NOW, TZ) == "3 days ago"
    assert relative(at + timedelta(days=30), NOW, TZ) == "Fri 25 Dec"


def _every_row_tested(
    apps: list[Application], text: str, state: StateFilter
) -> list[str]:
    """The keys of the rows a plain test of every row admits, in the list's order."""
    words = text.lower().split()
    rows = sorted((row for app in apps for row in rows_of(app, NOW, RULES)),
                  key=lambda row: row.order)
    return [
        row.key for row in rows
        if state.admits(row) and all(word in row.haystack for word in words)
    ]


def test_filtering_while_typing_gives_what_testing_every_row_gives() -> None:
    """The filter in SQL (the state by rank along the order's index, words gathered in
    one pass): whatever the sequence, it matches the plain test of every row."""
    from json import dumps, loads

    from followup_tui.interchange.document import read_document
    from tools.bench import generate

    doc = loads(dumps(generate(400, NOW, seed=5, history=False)))
    apps = read_document(doc, TZ)
    review = Review.build(apps, NOW, RULES)
    steps = [
        ("", StateFilter.OPEN), ("h", StateFilter.OPEN), ("ho", StateFilter.OPEN),
        ("hooli", StateFilter.OPEN), ("hooli ", StateFilter.OPEN), ("hooli l", StateFilter.OPEN),
        ("hooli lib", StateFilter.OPEN), ("hooli li", StateFilter.OPEN),  # backspace
        ("hooli li", StateFilter.DUE), ("li hooli", StateFilter.DUE), ("o", StateFilter.ALL),
        ("tom", StateFilter.ACTION), ("tom ngu", StateFilter.ACTION), ("", StateFilter.DONE),
        ("app-0001", StateFilter.ALL), ("", StateFilter.ALL),
    ]
    for text, state in steps:
        view = review.filtered(text, state)
        expected = _every_row_tested(apps, text, state)
        assert view.keys() == expected, (text, state)
        assert len(view) == len(expected)
        for index in (0, len(expected) // 2, len(expected) - 1):
            if expected:
                assert view.index_of(expected[index]) == index
    # a change to the data forgets what was filtered before it
    before = review.filtered("hooli", StateFilter.OPEN)
    changed = apps[7]
    renamed = changed.replace(company="Hooli Zebra")
    review.replace_application(changed.id, renamed, RULES)
    apps[7] = renamed
    for text, state in [("hooli", StateFilter.OPEN), ("hooli zebra", StateFilter.OPEN)]:
        assert review.filtered(text, state).keys() == _every_row_tested(apps, text, state)
    assert before.keys() == _every_row_tested(apps, "hooli", StateFilter.OPEN)


def test_a_row_fits_its_width_whatever_the_characters() -> None:
    """The interviews pane cuts names by terminal cells (wide characters take two)."""
    from rich.cells import cell_len

    from followup_tui.tui.widgets.interviews import fit

    assert fit("hello", 0) == "" and fit("hello", -3) == ""
    for text in ("Globex — Data Analyst", "株式会社ソニー — エンジニア", "Zoë Ångström", "x", ""):
        for cells in (1, 2, 5, 12, 40):
            fitted = fit(text, cells)
            assert cell_len(fitted) == cells, (text, cells, fitted)
            if cell_len(text) <= cells:
                assert fitted.rstrip() == text.rstrip()
            else:
                assert fitted.endswith("…")


def test_replacing_several_applications_matches_a_full_build() -> None:
    """Rows leave by their keys (bisection), not a scan: replace, delete, add and an
    application without interviews, in one call, must give what a build gives."""
    apps = sample_applications(NOW, TZ)
    review = Review.build(apps, NOW, RULES)
    by_id = {app.id: app for app in apps}
    changed = {
        apps[0].id: apps[0].replace(company="Renamed"),
        apps[1].id: None,
        apps[2].id: apps[2].replace(interviews=()),
        "brand-new": apps[3].replace(id="brand-new", interviews=()),
    }
    review.replace_applications(changed, RULES)
    after = [changed.get(app_id, app) for app_id, app in by_id.items()] + [changed["brand-new"]]
    built = Review.build([app for app in after if app is not None], NOW, RULES)
    assert [(r.key, r.state, r.company) for r in review.rows] == [
        (r.key, r.state, r.company) for r in built.rows
    ]
    assert review.counts == built.counts
    assert set(review.index) == set(built.index)
    assert set(review.application_ids()) == set(built.application_ids())
    # and the rows of applications without interviews leave too
    renamed = tuple(iv.replace(id=f"new-{iv.id}") for iv in apps[3].interviews)
    review.replace_applications(
        {apps[2].id: None, "brand-new": apps[3].replace(id="brand-new", interviews=renamed)},
        RULES,
    )
    assert not any(r.application_id == apps[2].id for r in review.rows)
    assert "app:brand-new" not in review.index
    assert len(review.rows) == len(review.index)


def test_a_snooze_read_from_the_follow_up_cache_is_labelled_until() -> None:
    """The list said "from Sat 28 Nov" for a snoozed call read from the cache (its reason
    a sentence there, not a Reason): the date is the snooze's end, "until" it."""
    from followup_tui.domain.model import FollowUp, Kind
    from followup_tui.tui.humanize import follow_up_when

    due = NOW + timedelta(days=3)
    cached = FollowUp("a", "a-1", Kind.CALL, State.SUPPRESSED, due, "Snoozed until Sat 28 Nov.")
    assert follow_up_when(cached, NOW, TZ).startswith("until ")
    plain = FollowUp("a", "a-1", Kind.CALL, State.WAITING, due, "Call from Sat 28 Nov.")
    assert follow_up_when(plain, NOW, TZ).startswith("from ")


def test_a_replaced_review_is_freed_with_its_database() -> None:
    """Found in review: views held their review and the review its views, a cycle; the
    app freezes the collector after each install, so every replaced review (its
    connection, its temporary file) was kept for good. Reference counting frees it."""
    import gc
    import weakref

    review = Review.build(sample_applications(NOW, TZ), NOW, RULES)
    views = [review.filtered("", StateFilter.OPEN), review.filtered("harbour", StateFilter.ALL)]
    assert len(views[0]) and len(views[1]) and views[1][0].company
    gone = weakref.ref(review)
    gc.freeze()
    try:
        del review, views
        assert gone() is None
    finally:
        gc.unfreeze()


def test_two_searches_read_in_turn_each_keep_their_own_matches() -> None:
    review = Review.build(sample_applications(NOW, TZ), NOW, RULES)
    first = review.filtered("harbour", StateFilter.ALL)
    second = review.filtered("lumen", StateFilter.ALL)
    for _ in range(2):
        assert {line.company for line in first} == {"Harbour City Council"}
        assert all("Lumen" in line.company for line in second) and len(second)


def test_the_timeline_of_every_application_keeps_the_items_nearest_now() -> None:
    """Read a batch at a time, the timeline keeps `most` items: the earliest after now
    (at least half of them) and the latest before it; and counts every item."""
    from collections import Counter

    from followup_tui.tui.review import timeline_window

    apps = sample_applications(NOW, TZ)
    every = timeline_items(apps, NOW, RULES)
    batches = [apps[:4], apps[4:9], apps[9:]]
    whole, seen = timeline_window(batches, NOW, RULES)
    assert seen == len(every) and Counter(whole) == Counter(every)
    for most in (1, 4, 10, len(every) - 1):
        kept, seen = timeline_window(batches, NOW, RULES, most=most)
        assert seen == len(every) and len(kept) == most
        assert [item.at for item in kept] == sorted(item.at for item in kept)
        assert not Counter(kept) - Counter(every)
        left = list((Counter(every) - Counter(kept)).elements())
        past = [item for item in kept if item.at <= NOW]
        future = [item for item in kept if item.at > NOW]
        assert len(future) >= min(most // 2, len([i for i in every if i.at > NOW]))
        # nothing left out is nearer now than what was kept on its side
        if past:
            assert all(item.at <= min(i.at for i in past) for item in left if item.at <= NOW)
        if future:
            assert all(item.at >= max(i.at for i in future) for item in left if item.at > NOW)
