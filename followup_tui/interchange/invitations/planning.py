"""What importing invitations would change, decided before anything is written (SPEC §7).

`plan_invitations` reads the file and decides, invitation by invitation, against
the applications as they are: a new interview (in a matched, chosen or new
application), a moved or updated one (a higher SEQUENCE of a UID already
recorded), a cancelled or restored one, or nothing (the same version again, an
older one, an event that cannot be an interview), each with a message. The
`Plan` is a value: `describe()` gives the lines of a preview, `apply()` the new
Application records to save in one transaction. Nothing is half-imported: a
fault anywhere raises UserError before any change is returned.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, tzinfo
from enum import StrEnum

from followup_tui.domain.model import Application, Contact, Interview
from followup_tui.domain.record import Record
from followup_tui.domain.rules import parse_moment
from followup_tui.errors import UserError
from followup_tui.interchange.invitations.matching import match_application, normal_address
from followup_tui.interchange.invitations.reading import (
    SHORT_LIMIT,
    TEXT_LIMIT,
    Invitation,
    Person,
    Reading,
    read_invitations,
)
from followup_tui.text import printable


class NoApplication(UserError):
    """No application holds, matches or was chosen for an invitation.

    A UserError (the command exits 2 with its message); the mail scan catches it
    to leave an unmatched invitation alone (SPEC §6: unmatched mail is not shown).
    """


class ChangeKind(StrEnum):
    """What one invitation does."""

    NEW_APPLICATION = "new_application"
    ADD_INTERVIEW = "add_interview"
    MOVE_INTERVIEW = "move_interview"
    UPDATE_INTERVIEW = "update_interview"
    CANCEL_INTERVIEW = "cancel_interview"
    RESTORE_INTERVIEW = "restore_interview"
    #: The same version again: nothing to do.
    UNCHANGED = "unchanged"
    #: An older version, or a cancellation of an interview not recorded.
    IGNORED = "ignored"
    #: An event that cannot be an interview (all-day, recurring, unknown zone, ...).
    SKIPPED = "skipped"


#: How `Plan.summary` counts each kind.
_COUNTED = {
    ChangeKind.NEW_APPLICATION: ("new application", "new applications"),
    ChangeKind.ADD_INTERVIEW: ("interview added", "interviews added"),
    ChangeKind.MOVE_INTERVIEW: ("moved", "moved"),
    ChangeKind.UPDATE_INTERVIEW: ("updated", "updated"),
    ChangeKind.CANCEL_INTERVIEW: ("cancelled", "cancelled"),
    ChangeKind.RESTORE_INTERVIEW: ("restored", "restored"),
    ChangeKind.UNCHANGED: ("unchanged", "unchanged"),
    ChangeKind.IGNORED: ("ignored", "ignored"),
    ChangeKind.SKIPPED: ("skipped", "skipped"),
}

#: The kinds that change nothing.
NO_CHANGE = frozenset({ChangeKind.UNCHANGED, ChangeKind.IGNORED, ChangeKind.SKIPPED})


class Change(Record):
    """One decision of a plan, with a sentence a person reads."""

    kind: ChangeKind
    message: str
    application_id: str | None = None
    interview_id: str | None = None
    uid: str = ""
    #: The line of the event's BEGIN:VEVENT in the file (0 when not known).
    line: int = 0
    #: For a move: "moved from … to …", for the timeline or the interview's notes.
    moved: str = ""


class Plan(Record):
    """The changes an import would make, and the applications they make."""

    changes: tuple[Change, ...]
    #: The new or changed applications, as they would be saved.
    applications: tuple[Application, ...]
    #: The same applications as they were when planned (absent: new ones).
    based_on: tuple[Application, ...]

    @property
    def changes_anything(self) -> bool:
        """False when importing would leave every application as it is."""
        return any(change.kind not in NO_CHANGE for change in self.changes)

    def summary(self) -> str:
        """One line of counts, e.g. "2 interviews added, 1 moved, 1 skipped"."""
        counts = {kind: 0 for kind in ChangeKind}
        for change in self.changes:
            counts[change.kind] += 1
        parts = [f"{count} {_COUNTED[kind][count > 1]}" for kind, count in counts.items() if count]
        return ", ".join(parts) if parts else "nothing to import"

    def describe(self) -> list[str]:
        """One line per change, for a preview or the command's output (inert text)."""
        return [printable(change.message, single_line=True) for change in self.changes]

    def apply(self, current: Iterable[Application] = ()) -> list[Application]:
        """The new Application records to save (all of them, in one transaction).

        `current`: the applications as they are now; when given, an application
        changed since the plan was made is refused (plan again), so a preview
        never overwrites a later edit.
        """
        now = {app.id: app for app in current}
        if now:
            for before in self.based_on:
                if now.get(before.id) != before:
                    raise UserError(
                        f"{_label(before)} changed since the invitation was "
                        f"read; import it again to see what it would do now."
                    )
            for app in self.applications:
                if app.id in now and not any(b.id == app.id for b in self.based_on):
                    raise UserError(
                        f"An application with the id {printable(app.id)} was added since the "
                        f"invitation was read; import it again."
                    )
        return list(self.applications)


def plan_invitations(
    data: bytes,
    applications: Sequence[Application],
    *,
    tz: tzinfo,
    me: Iterable[str] = (),
    application_id: str | None = None,
    company: str | None = None,
    role: str | None = None,
) -> Plan:
    """Plan the import of an iCalendar file's invitations into `applications`.

    `applications`: every application there is (ids are made unique among
    them); `tz`: the user's zone (floating times, and the offset times are
    written with); `me`: the user's own addresses. An invitation's application
    is the one holding its UID; else `application_id`, or `company` and `role`
    (an application of that company and role, made when there is none); else
    the one the organizer's and attendees' addresses match (SPEC §6). None of
    these: UserError naming the organizer and the ways to choose.
    """
    if (company is None) != (role is None):
        raise UserError("Give both --company and --role to make a new application, or neither.")
    if application_id is not None and company is not None:
        raise UserError("Give --application ID or --company NAME --role ROLE, not both.")
    reading = read_invitations(data, tz=tz, me=me)
    return _Planner(applications, tz, application_id, company, role).plan(reading)


class _Planner:
    def __init__(
        self,
        applications: Sequence[Application],
        tz: tzinfo,
        application_id: str | None,
        company: str | None,
        role: str | None,
    ) -> None:
        self.tz = tz
        self.work: dict[str, Application] = {app.id: app for app in applications}
        self.original = dict(self.work)
        self.touched: list[str] = []
        self.changes: list[Change] = []
        self.chosen: Application | None = None
        self.company = (company or "").strip()
        self.role = (role or "").strip()
        if application_id is not None:
            self.chosen = self.work.get(application_id)
            if self.chosen is None:
                raise UserError(
                f"There is no application with the id {printable(repr(application_id))}."
            )
        elif company is not None:
            if not self.company or not self.role:
                raise UserError("--company and --role cannot be empty.")
            if len(self.company) > SHORT_LIMIT or len(self.role) > SHORT_LIMIT:
                raise UserError(f"--company and --role are at most {SHORT_LIMIT} characters.")

    def plan(self, reading: Reading) -> Plan:
        if not reading.invitations:
            if not reading.skipped:
                raise UserError("The calendar holds no event (VEVENT): nothing to import.")
            reasons = "; ".join(
                f"line {skip.line}: {_quoted(skip.summary)} {skip.reason}"
                for skip in reading.skipped
            )
            raise UserError(f"No event in the calendar can be an interview: {reasons}.")
        for invitation in reading.invitations:
            self._one(invitation)
        for skip in reading.skipped:
            self.changes.append(Change(
                ChangeKind.SKIPPED,
                f"Skipped {_quoted(skip.summary)} (line {skip.line}): {skip.reason}.",
                line=skip.line,
            ))
        return Plan(
            tuple(self.changes),
            tuple(self.work[app_id] for app_id in self.touched),
            tuple(self.original[app_id] for app_id in self.touched if app_id in self.original),
        )

    # --- one invitation ----------------------------------------------------------

    def _one(self, invitation: Invitation) -> None:
        found = self._by_uid(invitation.uid)
        if found is not None:
            self._known(invitation, *found)
            return
        what = _quoted(invitation.summary)
        if invitation.cancelled:
            self._change(ChangeKind.IGNORED, invitation,
                         f"Ignored the cancellation of {what} on "
                         f"{self._when(invitation.starts_at)}: no interview of it is recorded.")
            return
        app = self._application_for(invitation)
        interview = Interview(
            id=self._new_interview_id(app.id),
            starts_at=self._iso(invitation.starts_at),
            ends_at=self._iso(invitation.ends_at) if invitation.ends_at else None,
            format="video" if invitation.video else None,
            round=invitation.summary[:SHORT_LIMIT],
            interviewers=tuple(person.name for person in invitation.people),
            notes=_capped(invitation.description),
            uid=invitation.uid,
            sequence=invitation.sequence,
        )
        app = app.replace(
            interviews=(*app.interviews, interview),
            contacts=_merged_contacts(app.contacts, invitation.people),
        )
        self._store(app)
        self._change(ChangeKind.ADD_INTERVIEW, invitation,
                     f"{_label(app)}: add interview {what} on "
                     f"{self._span(invitation.starts_at, invitation.ends_at)}.",
                     app.id, interview.id)

    def _known(self, invitation: Invitation, app: Application, interview: Interview) -> None:
        recorded = interview.sequence or 0
        what = f"{_label(app)}: interview {_quoted(interview.round or invitation.summary)}"
        if invitation.sequence < recorded:
            self._change(ChangeKind.IGNORED, invitation,
                         f"{what}: ignored an older invitation (version {invitation.sequence}; "
                         f"version {recorded} is recorded).", app.id, interview.id)
            return
        if invitation.sequence == recorded and not (
            invitation.cancelled and not interview.cancelled  # a cancel that kept the version
        ):
            self._change(ChangeKind.UNCHANGED, invitation, f"{what}: already up to date.",
                         app.id, interview.id)
            return
        if invitation.cancelled:
            changed = interview.replace(sequence=invitation.sequence, cancelled=True)
            self._replace(app, changed, _merged_contacts(app.contacts, invitation.people))
            self._change(ChangeKind.CANCEL_INTERVIEW, invitation,
                         f"{what}: cancelled (on {self._when(self._start(interview))}).",
                         app.id, interview.id)
            return
        before_start, before_end = self._start(interview), self._end(interview)
        moved = before_start != invitation.starts_at or before_end != invitation.ends_at
        interviewers = list(interview.interviewers)
        for person in invitation.people:
            if person.name not in interviewers:
                interviewers.append(person.name)
        changed = interview.replace(
            starts_at=self._iso(invitation.starts_at) if moved else interview.starts_at,
            ends_at=(self._iso(invitation.ends_at) if invitation.ends_at else None)
            if moved else interview.ends_at,
            duration_minutes=None if moved else interview.duration_minutes,
            format="video" if invitation.video else interview.format,
            interviewers=tuple(interviewers),
            sequence=invitation.sequence,
            cancelled=False,
        )
        self._replace(app, changed, _merged_contacts(app.contacts, invitation.people))
        move_text = ""
        if moved:
            move_text = (f"moved from {self._span(before_start, before_end)} "
                         f"to {self._span(invitation.starts_at, invitation.ends_at)}")
        if interview.cancelled:
            kind = ChangeKind.RESTORE_INTERVIEW
            message = f"{what}: no longer cancelled" + (f", {move_text}" if moved else "") + "."
        elif moved:
            kind, message = ChangeKind.MOVE_INTERVIEW, f"{what}: {move_text}."
        else:
            kind, message = ChangeKind.UPDATE_INTERVIEW, f"{what}: updated, same time."
        self._change(kind, invitation, message, app.id, interview.id, moved=move_text)

    # --- which application ---------------------------------------------------------

    def _application_for(self, invitation: Invitation) -> Application:
        if self.chosen is not None:
            return self.work[self.chosen.id]
        if self.company:
            for app in self.work.values():
                if (app.company.casefold(), app.role.casefold()) == (
                    self.company.casefold(), self.role.casefold()
                ):
                    return app
            app = Application(self._new_application_id(), self.company, self.role)
            self._store(app)
            self.changes.append(Change(ChangeKind.NEW_APPLICATION,
                                       f"New application: {_label(app)}.", app.id))
            return app
        matched = match_application(invitation.addresses, list(self.work.values()),
                                    at=invitation.starts_at, tz=self.tz)
        if matched is not None:
            return matched
        organizer = invitation.organizer
        who = "no organizer"
        if organizer is not None:
            who = (f"{organizer.name} <{organizer.email}>"
                   if organizer.email and organizer.name != organizer.email
                   else organizer.name)
        raise NoApplication(
            f"No application matches the invitation {_quoted(invitation.summary)} "
            f"(line {invitation.line}) from {printable(who, single_line=True)}. Choose one: "
            f"--application ID to add it to an existing application, or "
            f"--company NAME --role ROLE to make a new one."
        )

    # --- bookkeeping ---------------------------------------------------------------

    def _by_uid(self, uid: str) -> tuple[Application, Interview] | None:
        for app in self.work.values():
            for interview in app.interviews:
                if interview.uid == uid:
                    return app, interview
        return None

    def _store(self, app: Application) -> None:
        self.work[app.id] = app
        if app.id not in self.touched:
            self.touched.append(app.id)

    def _replace(self, app: Application, interview: Interview,
                 contacts: tuple[Contact, ...]) -> None:
        interviews = tuple(interview if old.id == interview.id else old for old in app.interviews)
        self._store(app.replace(interviews=interviews, contacts=contacts))

    def _change(self, kind: ChangeKind, invitation: Invitation, message: str,
                application_id: str | None = None, interview_id: str | None = None,
                moved: str = "") -> None:
        self.changes.append(Change(kind, message, application_id, interview_id,
                                   invitation.uid, invitation.line, moved))

    def _new_application_id(self) -> str:
        from followup_tui.storage.store import slug

        base = f"{slug(self.company)}-{slug(self.role)}"
        candidate, n = base, 1
        while candidate in self.work:
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def _new_interview_id(self, application_id: str) -> str:
        taken = {interview.id for app in self.work.values() for interview in app.interviews}
        n = 1
        while f"{application_id}-{n}" in taken:
            n += 1
        return f"{application_id}-{n}"

    # --- times ---------------------------------------------------------------------

    def _iso(self, moment: datetime) -> str:
        return moment.astimezone(self.tz).isoformat()

    def _start(self, interview: Interview) -> datetime:
        return parse_moment(interview.starts_at, self.tz)

    def _end(self, interview: Interview) -> datetime | None:
        return parse_moment(interview.ends_at, self.tz) if interview.ends_at else None

    def _when(self, moment: datetime) -> str:
        return moment.astimezone(self.tz).strftime("%a %d %b %Y %H:%M")

    def _span(self, start: datetime, end: datetime | None) -> str:
        text = self._when(start)
        if end is not None:
            local_start, local_end = start.astimezone(self.tz), end.astimezone(self.tz)
            text += "–" + (local_end.strftime("%H:%M") if local_end.date() == local_start.date()
                           else self._when(end))
        return text


def _merged_contacts(
    contacts: tuple[Contact, ...], people: Iterable[Person]
) -> tuple[Contact, ...]:
    """`contacts` with the invitation's people added: same email, or same name, is one person."""
    merged = list(contacts)
    for person in people:
        email = normal_address(person.email)
        index = next((i for i, contact in enumerate(merged)
                      if email and normal_address(contact.email) == email), None)
        if index is None:
            index = next((i for i, contact in enumerate(merged)
                          if contact.name.casefold() == person.name.casefold()), None)
        if index is None:
            merged.append(Contact(person.name, email=person.email))
        elif not merged[index].email and person.email:
            merged[index] = merged[index].replace(email=person.email)
    return tuple(merged)


def _capped(text: str) -> str:
    """Notes within the schema's text limit, marked when cut."""
    text = text.strip()
    if len(text) <= TEXT_LIMIT:
        return text
    return text[: TEXT_LIMIT - 1] + "…"


def _label(app: Application) -> str:
    """An application named in a message (its text inert, as all user data shown)."""
    return printable(f"{app.company} ({app.role})", single_line=True)


def _quoted(summary: str) -> str:
    return f"“{printable(summary, single_line=True)}”" if summary else "(untitled)"
