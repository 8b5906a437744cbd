"""Saving a plan: what the invitations change, written in one transaction (SPEC §7).

The one part of the invitations package that writes; the CLI's `import FILE.ics`
and the app's import form both save through `save_plan`, so a reschedule leaves
the same note in the timeline whichever way it came in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from followup_tui.domain.model import Application, Event, EventType
from followup_tui.interchange.invitations.planning import Change, ChangeKind, Plan

if TYPE_CHECKING:
    from followup_tui.storage.store import Store

#: The source of every event an invitation records (SPEC §3.1).
SOURCE = "calendar"
#: How the timeline note of a cancellation starts: the app finds it by these words.
CANCELLED_NOTE = "Interview cancelled"


def note_text(change: Change) -> str:
    """The timeline note a change leaves ("" for none): moves, cancellations, restorations."""
    if change.kind is ChangeKind.MOVE_INTERVIEW:
        return f"Interview {change.moved} (invitation update)"
    if change.kind is ChangeKind.CANCEL_INTERVIEW:
        return f"{CANCELLED_NOTE} (invitation cancelled)"
    if change.kind is ChangeKind.RESTORE_INTERVIEW:
        moved = f", {change.moved}" if change.moved else ""
        return f"Interview restored by a new invitation{moved}"
    return ""


def calendar_notes(plan: Plan, at: str) -> dict[str, list[Event]]:
    """The note events the plan's changes leave, by application id, recorded at `at`."""
    notes: dict[str, list[Event]] = {}
    for change in plan.changes:
        text = note_text(change)
        if text and change.application_id is not None:
            notes.setdefault(change.application_id, []).append(
                Event(at, EventType.NOTE, change.interview_id, text=text, source=SOURCE)
            )
    return notes


def save_plan(store: Store, plan: Plan, at: str) -> list[Application]:
    """Write the plan's applications and its notes in one transaction; returns them.

    The applications are read again under the write lock: one changed since the
    plan was made is refused (UserError, nothing written), so a preview never
    overwrites a later edit. Only what changed is written: an interview the plan
    left alone keeps its row, and an application's events keep their ids.
    """
    before = {app.id: app for app in plan.based_on}
    notes = calendar_notes(plan, at)
    with store.transaction():
        current = store.load_many([app.id for app in plan.applications])
        apps = plan.apply(current)
        for app in apps:
            _write(store, app, before.get(app.id))
            for event in notes.get(app.id, []):
                store.add_event(app.id, event)
    return apps


def _write(store: Store, app: Application, old: Application | None) -> None:
    fields = (app.company, app.role, app.link, app.notes, app.applied_on)
    if old is None or fields != (old.company, old.role, old.link, old.notes, old.applied_on):
        store.save_application(app)
    if old is None or app.contacts != old.contacts:
        store.save_contacts(app.id, app.contacts)
    known = {interview.id: interview for interview in (old.interviews if old else ())}
    for interview in app.interviews:
        if known.get(interview.id) != interview:
            store.save_interview(app.id, interview)


def by_application(plan: Plan) -> list[Plan]:
    """The plan cut into one plan per application it changes (the app saves and undoes
    one application at a time); changes that touch none (skipped events) are left out."""
    return [
        Plan(
            tuple(c for c in plan.changes if c.application_id == app.id),
            (app,),
            tuple(before for before in plan.based_on if before.id == app.id),
        )
        for app in plan.applications
    ]
