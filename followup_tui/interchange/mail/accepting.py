"""Accepting suggestions: each becomes the event it names (`source: "mail"`, its
Message-ID), or for an invitation the interview it carries, in the transaction
that marks it accepted. `mail accept` and the app's Inbox both come here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import tzinfo
from typing import TYPE_CHECKING, NamedTuple

from followup_tui.domain.model import Application, Event, EventType
from followup_tui.errors import UserError
from followup_tui.interchange.mail.classification import INVITATION, Suggestion
from followup_tui.interchange.mail.inbox import settle
from followup_tui.interchange.mail.sources import MailError

if TYPE_CHECKING:
    from followup_tui.interchange.invitations.planning import Plan
    from followup_tui.storage.store import Store

#: What an accepted event's `source` says.
MAIL_SOURCE = "mail"


class Accepted(NamedTuple):
    """What accepting did: the suggestions settled, the events added (with their store
    ids), and for invitations the plan applied."""

    settled: list[tuple[int, Suggestion]]
    events: list[tuple[str, Event]]
    plans: list[tuple[int, Plan]]


def event_for(s: Suggestion) -> Event:
    """The event a suggestion other than an invitation becomes."""
    kind = EventType(s.type)
    until = s.until if kind is EventType.OUT_OF_OFFICE else None
    return Event(s.at, kind, s.interview, until=until, text=f"Mail: {s.subject}".strip(),
                 source=MAIL_SOURCE, message_id=s.message_id)


def plan_for(
    s: Suggestion, applications: Sequence[Application], *, tz: tzinfo, me: Iterable[str]
) -> Plan:
    """What accepting an invitation would change (see `Plan.describe`): the message's
    calendar part read as `import FILE.ics` reads one, into the matched application
    unless its UID already belongs to an interview."""
    from followup_tui.interchange.invitations.planning import plan_invitations  # noqa: PLC0415

    if s.calendar is None:
        raise MailError(f"the invitation {s.message_id} carries no calendar part")
    return plan_invitations(s.calendar, applications, tz=tz, me=me, application_id=s.application)


def accept(
    store: Store, ids: Iterable[int] | None, *, tz: tzinfo, me: Iterable[str]
) -> Accepted:
    """Accept pending suggestions (`ids` None: every one) in one transaction: settled,
    events added, invitations applied; all or nothing. Raises MailError (a UserError)
    naming the suggestion that cannot be accepted."""
    me = tuple(me)
    with store.transaction():
        settled = settle(store.conn, ids, "accepted")
        events: list[tuple[str, Event]] = []
        plans: list[tuple[int, Plan]] = []
        known = store.application_ids()
        applications: list[Application] | None = None
        for row_id, s in settled:
            if s.application not in known:
                raise MailError(
                    f"suggestion {row_id}: its application {s.application!r} no longer "
                    f"exists; dismiss it (mail dismiss {row_id})"
                )
            if s.type == INVITATION:
                if applications is None:
                    applications = store.load_all()
                try:
                    plan = plan_for(s, applications, tz=tz, me=me)
                    changed = plan.apply(applications)
                except UserError as error:
                    raise MailError(f"suggestion {row_id}: {error}") from None
                from followup_tui.interchange.invitations.saving import calendar_notes

                # as an imported invitation does: a reschedule or a cancellation leaves its
                # note in the timeline ("Interview moved from … to …")
                notes = calendar_notes(plan, s.at)
                by_id = {app.id: app for app in applications}
                for app in changed:
                    store.replace_application(app.id, app)
                    for note in notes.get(app.id, []):
                        note_id = store.add_event(app.id, note)
                        events.append((app.id, note.replace(id=note_id)))
                    by_id[app.id] = app
                applications = list(by_id.values())
                plans.append((row_id, plan))
                continue
            event = event_for(s)
            event_id = store.add_event(s.application, event)
            events.append((s.application, event.replace(id=event_id)))
    return Accepted(settled, events, plans)
