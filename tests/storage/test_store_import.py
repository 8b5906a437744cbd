"""The store's import: new applications in bulk, stored ones merged a batch at a time.

The merge is held to a reference that merges one application after another,
as the store did before it batched: the same database must come out of both.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup_tui.domain.model import Application, Contact, Event, EventType, Interview, Kind
from followup_tui.storage import store as store_module
from followup_tui.storage.store import Store, StoreError

APP = Application(
    id="acme",
    company="Acme",
    role="Planner",
    contacts=(Contact("Priya Shah", email="priya@example.org"), Contact("Tom Nguyen")),
    interviews=(Interview("acme-1", "2026-11-20T10:00:00+11:00", topics=("housing", "zoning")),),
    events=(
        Event("2026-11-20T15:30:00+11:00", EventType.THANK_YOU_SENT, "acme-1"),
        Event("2026-11-22T09:00", EventType.NOTE, text="panel still meeting"),
    ),
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "f.db") as opened:
        yield opened


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "MERGE_BATCH", 2)


def _reference_import(store: Store, apps: list[Application]) -> None:
    """The import merging one application at a time, written plainly with SQL."""
    with store.locked() as conn:
        existing = store.application_ids()
        for app in apps:
            if app.id not in existing:
                store._insert_whole(store.db, app)
        for app in apps:
            if app.id not in existing:
                continue
            conn.execute(
                "UPDATE applications SET company = ?, role = ?, link = ?, notes = ? WHERE id = ?",
                (app.company, app.role, app.link, app.notes, app.id),
            )
            stored = store.load_application(app.id)
            assert stored is not None
            names = {c.name for c in stored.contacts}
            for c in app.contacts:
                if c.name in names:
                    conn.execute(
                        "UPDATE contacts SET title = ?, email = ?, phone = ? "
                        "WHERE application_id = ? AND name = ?",
                        (c.title, c.email, c.phone, app.id, c.name),
                    )
                else:
                    store.db.table("contacts").insert(store_module._contact_rows(app.id, [c])[0])
            for iv in app.interviews:
                owner = store.interview_owner(iv.id)
                if owner is not None and owner != app.id:
                    raise StoreError(f"interview id {iv.id!r} belongs elsewhere")
                store.db.table("interviews").upsert(
                    store_module._interview_row(app.id, iv), pk="id"
                )
            known = set(stored.events)  # an event's id is not part of its equality
            for ev in app.events:
                if ev not in known:
                    store.db.table("events").insert(store_module._event_row(app.id, ev))


def _everything(store: Store) -> list[Application]:
    """What is stored, event ids left out (they are only handles)."""
    return store.load_all()


def test_reimport_updates_fields_merges_contacts_and_keeps_events_logged_between(
    store: Store, small_batches: None
) -> None:
    other = Application("globex", "Globex", "Analyst", interviews=(Interview("g-1", "2026-11-21"),))
    store.import_applications([APP, other])
    logged = Event("2026-11-23T10:00", EventType.CALL_MADE, "acme-1")
    store.add_event("acme", logged)
    again = APP.replace(role="Principal Planner",
        contacts=(Contact("Priya Shah", title="Manager"), Contact("Sam Lee")),
        interviews=(
            APP.interviews[0].replace(round="First round"),
            Interview("acme-2", "2026-12-01T10:00"),
        ),
        events=(*APP.events, Event("2026-11-24T09:00", EventType.REPLY_RECEIVED)),
    )
    counts = store.import_applications([other, again, other.replace(role="Lead")])
    assert (counts.applications_added, counts.applications_updated, counts.events_added) == (
        0,
        3,
        1,
    )
    acme = store.load_application("acme")
    assert acme is not None
    assert acme.role == "Principal Planner"
    assert acme.contacts == (
        Contact("Priya Shah", title="Manager"),
        Contact("Tom Nguyen"),
        Contact("Sam Lee"),
    )
    assert [iv.id for iv in acme.interviews] == ["acme-1", "acme-2"]
    assert acme.interviews[0].round == "First round"
    # the event logged in the app says so; imported ones keep the file's (no) source
    assert acme.events == (*APP.events, logged.replace(source="app"), again.events[-1])
    globex = store.load_application("globex")
    assert globex is not None and globex.role == "Lead"


def test_reimporting_the_same_applications_changes_nothing(store: Store) -> None:
    store.import_applications([APP])
    before = _everything(store)
    counts = store.import_applications([APP, APP])
    assert counts.events_added == 0 and counts.applications_updated == 2
    assert _everything(store) == before


def test_an_interview_of_another_application_refuses_the_whole_import(
    store: Store, small_batches: None
) -> None:
    other = Application("globex", "Globex", "Analyst")
    store.import_applications([APP, other])
    before = _everything(store)
    thief = other.replace(interviews=(Interview("acme-1", "2026-11-21"),))
    renamed = APP.replace(company="Renamed")
    with pytest.raises(StoreError, match="'acme-1' already belongs to application 'acme'"):
        store.import_applications([renamed, Application("new", "New", "R"), thief])
    assert _everything(store) == before


def test_two_stored_applications_cannot_share_a_new_interview(store: Store) -> None:
    other = Application("globex", "Globex", "Analyst")
    store.import_applications([APP, other])
    before = _everything(store)
    new = Interview("panel-1", "2026-12-01T10:00")
    with pytest.raises(StoreError, match="'panel-1' already belongs to application 'acme'"):
        store.import_applications(
            [
                APP.replace(interviews=(*APP.interviews, new)),
                other.replace(interviews=(new,)),
            ]
        )
    assert _everything(store) == before


def test_the_page_cache_is_as_it_was_after_an_import(store: Store) -> None:
    store.conn.execute("PRAGMA cache_size = -4000")
    store.import_applications([APP])
    with pytest.raises(StoreError):
        store.import_applications([Application("x", "X", "R"), Application("x", "X", "R")])
    assert store.conn.execute("PRAGMA cache_size").fetchone()[0] == -4000


def test_an_import_inside_a_transaction_is_a_savepoint(store: Store) -> None:
    with store.transaction():
        store.import_applications([APP])
        with pytest.raises(sqlite3.IntegrityError):
            store.import_applications([Application("b", "B", "R"), Application("b", "B", "R")])
    assert _everything(store) == [APP]


def test_new_applications_keep_their_order_and_their_children_theirs(store: Store) -> None:
    apps = [
        APP.replace(id=name, interviews=(), events=APP.events[1:])
        for name in ("zeta", "alpha", "mu")
    ]
    store.import_applications(apps)
    assert _everything(store) == apps


# --- the batched merge against the one-by-one reference ------------------------

IDS = st.sampled_from(["a", "b", "c", "d"])
NAMES = st.sampled_from(["Priya", "Tom", "Sam"])
WORDS = st.sampled_from(["", "x", "y"])
MOMENTS = st.sampled_from(["2026-11-20T10:00", "2026-11-21T10:00+11:00", "2026-11-22"])


@st.composite
def applications(draw: st.DrawFn, app_id: str | None = None) -> Application:
    app_id = app_id or draw(IDS)
    interview_ids = draw(
        st.lists(st.sampled_from([f"{app_id}-1", f"{app_id}-2", "shared-1"]), max_size=2)
    )
    interviews = tuple(
        Interview(iv_id, draw(MOMENTS), round=draw(WORDS), topics=tuple(draw(st.lists(WORDS))))
        for iv_id in interview_ids
    )
    events = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from([EventType.NOTE, EventType.THANK_YOU_SENT, EventType.SNOOZED]))
        events.append(
            Event(
                draw(MOMENTS),
                kind,
                draw(st.sampled_from([None, *interview_ids])),
                Kind.CALL if kind is EventType.SNOOZED else None,
                "2026-12-01" if kind is EventType.SNOOZED else None,
                draw(WORDS),
            )
        )
    contacts = tuple(Contact(draw(NAMES), draw(WORDS)) for _ in range(draw(st.integers(0, 2))))
    return Application(
        app_id, draw(WORDS) or "C", "R", draw(WORDS), "", None, contacts, interviews, tuple(events)
    )


@st.composite
def imports(draw: st.DrawFn) -> list[list[Application]]:
    """A first import of distinct applications, then imports that repeat, change and add."""
    first = [draw(applications(app_id)) for app_id in draw(st.lists(IDS, unique=True))]
    return [first, *draw(st.lists(st.lists(applications(), max_size=6), min_size=1, max_size=3))]


def _outcomes(path: Path, rounds: list[list[Application]], reference: bool) -> list[object]:
    """After each import: whether it was refused (and why), and everything stored."""
    out: list[object] = []
    with Store(path) as opened:
        for apps in rounds:
            try:
                if reference:
                    _reference_import(opened, apps)
                else:
                    opened.import_applications(apps)
                out.append("imported")
            except StoreError as error:
                out.append("refused: another's interview" if "belongs" in str(error) else "refused")
            out.append(_everything(opened))
    return out


COUNTER = iter(range(10**9))


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(rounds=imports())
def test_batched_merge_stores_what_merging_one_by_one_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rounds: list[list[Application]]
) -> None:
    monkeypatch.setattr(store_module, "MERGE_BATCH", 2)
    n = next(COUNTER)
    batched = _outcomes(tmp_path / f"batched{n}.db", rounds, reference=False)
    assert batched == _outcomes(tmp_path / f"reference{n}.db", rounds, reference=True)
