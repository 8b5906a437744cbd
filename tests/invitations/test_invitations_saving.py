"""Saving a plan into a real database: one transaction, only what changed, notes (SPEC §7)."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from followup_tui.domain.model import Application, Contact, Event, EventType
from followup_tui.errors import UserError
from followup_tui.interchange.invitations import ChangeKind, plan_invitations
from followup_tui.interchange.invitations.saving import by_application, save_plan
from followup_tui.storage.store import Store
from tests.support import invitations as corpus

BERLIN = ZoneInfo("Europe/Berlin")
AT = "2026-10-20T09:00:00+02:00"
NORDWERK = Application(
    "nordwerk-dev", "Nordwerk", "Developer",
    contacts=(Contact("Jonas Müller", email="jonas.mueller@nordwerk.example"),),
    events=(Event("2026-10-01T09:00:00+02:00", EventType.NOTE, text="Applied online"),),
)


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "followup.db") as opened:
        opened.import_applications([NORDWERK])
        yield opened


def plan(store: Store, data: bytes, **choice):
    return plan_invitations(data, store.load_all(), tz=BERLIN, me=[corpus.ME], **choice)


def event_ids(store: Store) -> list[int | None]:
    return [event.id for event in store.load_application("nordwerk-dev").events]


def test_a_new_interview_is_added_and_the_events_keep_their_ids(store: Store) -> None:
    before = event_ids(store)
    save_plan(store, plan(store, corpus.teams()), AT)
    app = store.load_application("nordwerk-dev")
    assert [iv.uid for iv in app.interviews] == [corpus.teams.__kwdefaults__["uid"]]
    assert event_ids(store) == before  # nothing deleted and written again


def test_a_move_leaves_one_calendar_note_on_the_interview(store: Store) -> None:
    save_plan(store, plan(store, corpus.teams()), AT)
    save_plan(store, plan(store, corpus.teams(sequence=1, start="20261026T090000",
                                              end="20261026T094500")), AT)
    app = store.load_application("nordwerk-dev")
    (note,) = [e for e in app.events if e.source == "calendar"]
    assert (note.type, note.interview, note.at) == (EventType.NOTE, app.interviews[0].id, AT)
    assert note.text == ("Interview moved from Fri 23 Oct 2026 10:00–10:45 to "
                         "Mon 26 Oct 2026 09:00–09:45 (invitation update)")


def test_a_plan_made_before_another_change_is_refused_and_writes_nothing(store: Store) -> None:
    stale = plan(store, corpus.teams())
    store.add_event("nordwerk-dev", Event(AT, EventType.REPLY_RECEIVED))
    after_edit = store.load_application("nordwerk-dev")
    with pytest.raises(UserError, match="changed since the invitation was read"):
        save_plan(store, stale, AT)
    assert store.load_application("nordwerk-dev") == after_edit


def test_a_plan_is_cut_by_application(store: Store) -> None:
    both = corpus.teams().replace(b"END:VCALENDAR\r\n", b"") + corpus.zoom().split(
        b"METHOD:REQUEST\r\n", 1)[1]
    whole = plan(store, both, company="Nordwerk", role="Developer")
    (part,) = by_application(whole)  # both go to the one chosen application
    assert [c.kind for c in part.changes] == [ChangeKind.ADD_INTERVIEW] * 2
    made = plan(store, both, company="Kite Labs", role="Culture")
    (new,) = by_application(made)
    assert new.based_on == () and new.applications[0].id == "kite-labs-culture"
