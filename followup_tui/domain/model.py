"""The things a job seeker records: applications, contacts, interviews, events.

Plain immutable records (see record.py). Times are kept as the text the user gave (ISO-8601,
with or without an offset) so that export reproduces import byte for byte;
the rules turn them into aware datetimes with the user's time zone.
"""

from __future__ import annotations

from collections.abc import Container
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import ClassVar

from followup_tui.domain.record import Record


class EventType(StrEnum):
    """What can happen on an application's timeline (one list: the interchange schema's
    enum is tested against it)."""

    THANK_YOU_SENT = "thank_you_sent"
    CALL_MADE = "call_made"
    REPLY_RECEIVED = "reply_received"
    ON_HOLD = "on_hold"
    RESUMED = "resumed"
    OFFER = "offer"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    ACCEPTED = "accepted"
    SNOOZED = "snoozed"
    SKIPPED = "skipped"
    NOTE = "note"
    OUT_OF_OFFICE = "out_of_office"

    @property
    def label(self) -> str:
        """What a person reads: the name in words ("Reply received")."""
        return _LABEL_SPELLING.get(self.value) or self.value.replace("_", " ").capitalize()


#: Labels not spelled as their name in words.
_LABEL_SPELLING = {"thank_you_sent": "Thank-you sent"}


#: Event types that concern one interview's follow-up (SPEC §2.1).
PER_INTERVIEW_TYPES = frozenset(
    {EventType.THANK_YOU_SENT, EventType.CALL_MADE, EventType.SNOOZED, EventType.SKIPPED}
)
#: Word from the employer: resolves a pending call.
EMPLOYER_CONTACT_TYPES = frozenset({EventType.REPLY_RECEIVED, EventType.OFFER, EventType.REJECTED})
#: Event types that set the application's status, latest wins.
STATUS_TYPES = frozenset(
    {
        EventType.ON_HOLD,
        EventType.RESUMED,
        EventType.OFFER,
        EventType.REJECTED,
        EventType.WITHDRAWN,
        EventType.ACCEPTED,
    }
)


class Kind(StrEnum):
    """The two follow-ups an interview can own."""

    THANK_YOU = "thank_you"
    CALL = "call"

    @property
    def label(self) -> str:
        return "Thank-you" if self is Kind.THANK_YOU else "Call"


class State(StrEnum):
    """A follow-up's state; declaration order is urgency order."""

    OVERDUE = "overdue"
    DUE = "due"
    WAITING = "waiting"
    SUPPRESSED = "suppressed"
    DONE = "done"

    @property
    def rank(self) -> int:
        return _STATE_RANK[self]

    @property
    def needs_action(self) -> bool:
        return self in (State.OVERDUE, State.DUE)


_STATE_RANK = {state: index for index, state in enumerate(State)}

#: The states of a follow-up not done yet: what the header and `due` count.
OPEN_STATES = (State.OVERDUE, State.DUE, State.WAITING, State.SUPPRESSED)


class Status(StrEnum):
    """An application's status, derived from its events."""

    ACTIVE = "active"
    ON_HOLD = "on_hold"
    OFFER = "offer"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    ACCEPTED = "accepted"

    @property
    def closed(self) -> bool:
        return self not in (Status.ACTIVE, Status.ON_HOLD)


INTERVIEW_FORMATS = ("phone", "video", "onsite", "other")
#: Where an event came from (SPEC §3.1): recorded in the app, imported, found in
#: the mailbox (§6) or in a calendar invitation (§7).
EVENT_SOURCES = ("app", "import", "mail", "calendar")


class Contact(Record):
    name: str
    title: str = ""
    email: str = ""
    phone: str = ""


class Interview(Record):
    id: str
    starts_at: str
    ends_at: str | None = None
    duration_minutes: int | None = None
    format: str | None = None
    round: str = ""
    interviewers: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    fit_points: tuple[str, ...] = ()
    decision_by: str | None = None
    notes: str = ""
    #: The calendar invitation it came from (SPEC §7): its UID and SEQUENCE.
    uid: str | None = None
    sequence: int | None = None
    #: Called off: a cancelled interview has no follow-ups at all.
    cancelled: bool = False


class Event(Record):
    at: str
    type: EventType
    interview: str | None = None
    kind: Kind | None = None
    until: str | None = None
    text: str = ""
    #: The store's row id, when the event came from the store (not compared).
    id: int | None = None
    #: Where it came from (one of EVENT_SOURCES); None when the record does not say.
    source: str | None = None
    #: The Message-ID of the mail it came from.
    message_id: str | None = None

    _uncompared: ClassVar[frozenset[str]] = frozenset({"id"})


class Application(Record):
    id: str
    company: str
    role: str
    link: str = ""
    notes: str = ""
    applied_on: str | None = None
    contacts: tuple[Contact, ...] = ()
    interviews: tuple[Interview, ...] = ()
    events: tuple[Event, ...] = ()

    def interview(self, interview_id: str) -> Interview | None:
        for interview in self.interviews:
            if interview.id == interview_id:
                return interview
        return None

    def contact(self, name: str) -> Contact | None:
        for contact in self.contacts:
            if contact.name == name:
                return contact
        return None


class FollowUp(Record, frozen=False):
    """One follow-up of one interview, as the rules see it at a moment.

    Not frozen only because frozen records are slower to build and `due`
    builds one per follow-up; treat it as a value.
    """

    application_id: str
    interview_id: str
    kind: Kind
    state: State
    due_at: datetime
    #: Worded on demand (see rules.Reason); `reason` gives the sentence (not compared).
    why: object

    _uncompared: ClassVar[frozenset[str]] = frozenset({"why"})

    @property
    def reason(self) -> str:
        """One sentence a person understands: why this state, and when."""
        return str(self.why)

    @property
    def key(self) -> tuple[str, Kind]:
        return (self.interview_id, self.kind)


class Rules:
    """The user's settings the advice depends on (SPEC §2, config). Read-only."""

    __slots__ = (
        "tz", "thank_you_window_hours", "call_after_business_days", "holidays",
        "thank_you_window", "ghosted_after_business_days",
    )

    tz: tzinfo
    thank_you_window_hours: float
    call_after_business_days: int
    #: Public holidays that are not business days (a set, or a `holidays` calendar).
    holidays: Container[date]
    thank_you_window: timedelta
    #: SPEC §9: business days of silence after a call before an application is ghosted
    #: (a label, not a follow-up state; kept here so the follow-up cache keys on it too).
    ghosted_after_business_days: int

    def __init__(
        self,
        tz: tzinfo,
        thank_you_window_hours: float = 24,
        call_after_business_days: int = 3,
        holidays: Container[date] = frozenset(),
        ghosted_after_business_days: int = 10,
    ) -> None:
        init = object.__setattr__
        init(self, "tz", tz)
        init(self, "thank_you_window_hours", thank_you_window_hours)
        init(self, "call_after_business_days", call_after_business_days)
        init(self, "holidays", holidays)
        init(self, "thank_you_window", timedelta(hours=thank_you_window_hours))
        init(self, "ghosted_after_business_days", ghosted_after_business_days)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Rules are read-only: cannot assign to {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Rules are read-only: cannot delete {name!r}")

    def __reduce__(self) -> tuple[type[Rules], tuple[object, ...]]:
        args = (self.tz, self.thank_you_window_hours, self.call_after_business_days,
                self.holidays, self.ghosted_after_business_days)
        return (Rules, args)

    def __repr__(self) -> str:
        return (
            f"Rules(tz={self.tz!r}, thank_you_window_hours={self.thank_you_window_hours!r}, "
            f"call_after_business_days={self.call_after_business_days!r})"
        )
