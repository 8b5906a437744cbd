"""Reading calendar invitations (.ics, text/calendar) into plain values (SPEC §7).

`read_invitations` turns the bytes of an iCalendar file into one `Invitation`
per VEVENT that can be an interview, and one `Skipped` (with its reason and
line) per VEVENT that cannot: all-day, recurring, no start, an end before its
start, a zone nobody knows. A file that is not a calendar at all, is damaged
(a broken folded line, a component never closed), is our own
`export --format ics`, or is a whole calendar rather than invitations is
refused with a `UserError` naming the line.

Time zones are resolved here rather than by icalendar's shared cache: icalendar
remembers a VTIMEZONE by its TZID for the whole process, so Outlook's
"Customized Time Zone" from one invitation would be used for the next one. The
order: an IANA name, a Windows name (as Outlook and Teams send), a globally
unique "/vendor/Area/City" name, then the file's own VTIMEZONE of that TZID.
A floating time is in the calendar's X-WR-TIMEZONE (as Google writes it) when
it has one, else in the user's zone.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from datetime import date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from followup_tui.domain.limits import SHORT_MAX, TEXT_MAX
from followup_tui.domain.record import Record
from followup_tui.errors import UserError
from followup_tui.interchange.invitations.matching import normal_address
from followup_tui.text import printable

#: Larger than any invitation (a 5 MB description fits); a file beyond it is refused unread.
MAX_BYTES = 16 * 1024 * 1024
#: An invitation carries one event, a series' exceptions a few more; hundreds is a whole
#: calendar exported, whose events are not all interviews.
MAX_EVENTS = 200
#: The interchange schema's limits: `text` (notes) and `shortText` (round, names).
TEXT_LIMIT = TEXT_MAX
SHORT_LIMIT = SHORT_MAX

#: The hosts of the video services SPEC §7 names (Zoom, Teams, Meet, Webex), a path after them.
_VIDEO_HOST = re.compile(
    r"(?:zoom\.us|zoomgov\.com|teams\.microsoft\.com|teams\.live\.com|meet\.google\.com"
    r"|webex\.com)/",
    re.IGNORECASE,
)
#: What comes before such a host in a link: a scheme, or a word's start (not another site's
#: path, not a longer name), then any subdomains. Looked for behind each host found, so a
#: long description is scanned once.
_VIDEO_HOST_START = re.compile(r"(?:\bhttps?://|^|[^\w./@-])(?:[\w-]+\.)*\Z", re.IGNORECASE)
#: Properties that may carry the meeting link besides LOCATION, URL and DESCRIPTION.
_CONFERENCE_PROPERTIES = ("CONFERENCE", "X-GOOGLE-CONFERENCE", "X-MICROSOFT-SKYPETEAMSMEETINGURL",
                          "X-ALT-DESC")
_CONFERENCE_PREFIX = "X-MICROSOFT-ONLINEMEETING"
#: Addresses that are a service's, not a person's (a booking service's organizer).
_NO_REPLY = re.compile(r"^(?:no-?reply|do-?not-?reply|notifications?|mailer-daemon)\b",
                       re.IGNORECASE)
#: A content line begins with a property name and then ";" (parameters) or ":" (value).
_CONTENT_LINE = re.compile(r"[A-Za-z0-9-]+[;:]")
_LINE_END = re.compile(r"\r\n|\r|\n")
#: A reply to an invitation, not one: the attendee's answer, a counter-proposal.
_NOT_INVITATIONS = frozenset({"REPLY", "COUNTER", "DECLINECOUNTER", "REFRESH"})
#: How our own `export --format ics` names itself (interchange.export_ics).
_OUR_PRODID = "followup-tui"
_OUR_UID_SUFFIX = "@followup-tui"


class Person(Record):
    """Someone an invitation names: `name` is the CN, else the address."""

    name: str
    email: str = ""


class Invitation(Record):
    """One VEVENT that can become an interview; times are aware."""

    uid: str
    sequence: int
    cancelled: bool
    starts_at: datetime
    ends_at: datetime | None
    summary: str
    #: The organizer as written (None when absent), even when a service's or the user's.
    organizer: Person | None
    #: Organizer and attendees that are people other than the user, organizer first.
    people: tuple[Person, ...]
    #: Every address of the other party (organizer and attendees, the user's left out).
    addresses: tuple[str, ...]
    video: bool
    description: str
    #: The line of its BEGIN:VEVENT in the file, for messages.
    line: int


class Skipped(Record):
    """A VEVENT that cannot be an interview, and why."""

    line: int
    summary: str
    reason: str


class Reading(Record):
    """What a calendar file holds: its METHOD, its invitations and the events skipped."""

    method: str
    invitations: tuple[Invitation, ...]
    skipped: tuple[Skipped, ...]


def looks_like_calendar(data: bytes) -> bool:
    """True when `data` starts (after a BOM or blank lines) with BEGIN:VCALENDAR."""
    head = data[:64].lstrip(b"\xef\xbb\xbf").lstrip()
    return head[:15].upper() == b"BEGIN:VCALENDAR"


def read_invitations(data: bytes, *, tz: tzinfo, me: Iterable[str] = ()) -> Reading:
    """The invitations in an iCalendar file; raises UserError for a file that is not one.

    `tz` is the user's zone (for floating times); `me` the user's own
    addresses, left out of the people and addresses.
    """
    if len(data) > MAX_BYTES:
        raise UserError(
            f"The calendar file is {len(data) / 1_048_576:.0f} MB; an invitation is far "
            f"smaller (the limit is {MAX_BYTES // 1_048_576} MB)."
        )
    if not looks_like_calendar(data):
        raise UserError("This is not an iCalendar file: it does not start with BEGIN:VCALENDAR.")
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    event_lines = _check_structure(text)
    if len(event_lines) > MAX_EVENTS:
        raise UserError(
            f"The calendar holds {len(event_lines)} events: a whole calendar, not invitations "
            f"(at most {MAX_EVENTS}). Import the interview's invitation on its own."
        )
    from icalendar import Calendar

    try:
        with warnings.catch_warnings():
            # icalendar warns when it guesses a "/vendor/Area/City" TZID; we resolve zones
            # ourselves (see _Zones), and a warning must not reach the user's terminal
            warnings.simplefilter("ignore")
            calendars = Calendar.from_ical(text, multiple=True)
    except Exception as error:  # noqa: BLE001 - a parser of hostile input: any fault is the file's
        raise UserError(f"The calendar could not be read: {_short(str(error))}") from None
    if not calendars:
        raise UserError("The file holds no calendar (no BEGIN:VCALENDAR … END:VCALENDAR).")
    people_to_leave_out = {normal_address(address) for address in me}
    invitations: list[Invitation] = []
    skipped: list[Skipped] = []
    line_of = iter(event_lines)
    method = ""
    for calendar in calendars:
        if _OUR_PRODID in str(calendar.get("PRODID", "")).lower() or any(
            str(event.get("UID", "")).endswith(_OUR_UID_SUFFIX) for event in calendar.walk("VEVENT")
        ):
            raise UserError(
                "This is followup-tui's own calendar export (its follow-ups), not an "
                "invitation: there is nothing in it to import."
            )
        method = method or str(calendar.get("METHOD", "")).upper()
        zones = _Zones(calendar, tz)
        for event in calendar.walk("VEVENT"):
            line = next(line_of, 0)
            try:
                invitations.append(
                    _invitation(event, line, str(calendar.get("METHOD", "")).upper(), zones,
                                people_to_leave_out)
                )
            except _Skip as skip:
                skipped.append(Skipped(line, _short(_text(event.get("SUMMARY")), 80), str(skip)))
            except Exception as error:  # noqa: BLE001 - a value icalendar let through half-read
                skipped.append(Skipped(line, _short(_text(event.get("SUMMARY")), 80),
                                       f"it could not be read ({_short(str(error), 80)})"))
    return Reading(method, tuple(invitations), tuple(skipped))


class _Skip(Exception):
    """This event cannot be an interview; the message says why."""


def _check_structure(text: str) -> list[int]:
    """The line numbers of the BEGIN:VEVENTs; UserError for a damaged file, naming the line."""
    event_lines: list[int] = []
    open_components: list[tuple[str, int]] = []
    # only CR and LF end a line (str.splitlines would also split on U+2028 and the like)
    for number, raw in enumerate(_LINE_END.split(text), start=1):
        if not raw.strip() or raw[0] in " \t":
            continue  # a blank line, or the continuation of a folded one
        if not _CONTENT_LINE.match(raw):
            raise UserError(
                f"Line {number} of the calendar is not an iCalendar line: "
                f"{_short(raw, 60)!r} (a long line folded without its leading space?)."
            )
        name, _, value = raw.partition(":")
        keyword = name.upper()
        if keyword == "BEGIN":
            component = value.strip().upper()
            open_components.append((component, number))
            if component == "VEVENT":
                event_lines.append(number)
        elif keyword == "END":
            component = value.strip().upper()
            if not open_components or open_components[-1][0] != component:
                expected = open_components[-1][0] if open_components else "nothing"
                raise UserError(
                    f"Line {number} of the calendar ends {_short(component, 40)} where "
                    f"{expected} is open: the file is damaged."
                )
            open_components.pop()
    if open_components:
        component, number = open_components[-1]
        raise UserError(
            f"The {_short(component, 40)} begun on line {number} of the calendar never ends: "
            f"the file is cut short."
        )
    return event_lines


class _Zones:
    """Resolves a calendar's TZIDs (see the module's docstring for the order)."""

    def __init__(self, calendar: Any, tz: tzinfo) -> None:
        self._components = {str(zone.get("TZID", "")): zone for zone in calendar.walk("VTIMEZONE")}
        self._resolved: dict[str, tzinfo | None] = {}
        self.local = tz
        wr_timezone = str(calendar.get("X-WR-TIMEZONE", "")).strip()
        if wr_timezone:
            self.local = self.get(wr_timezone) or tz

    def get(self, tzid: str) -> tzinfo | None:
        if tzid not in self._resolved:
            self._resolved[tzid] = self._resolve(tzid)
        return self._resolved[tzid]

    def _resolve(self, tzid: str) -> tzinfo | None:
        from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

        cleaned = tzid.strip().strip('"').strip("/")
        names = [cleaned]
        if cleaned in WINDOWS_TO_OLSON:
            names.append(WINDOWS_TO_OLSON[cleaned])
        parts = cleaned.split("/")
        names += ["/".join(parts[start:]) for start in range(1, len(parts))]
        for name in names:
            zone = _zoneinfo(name)
            if zone is not None:
                return zone
        component = self._components.get(tzid)
        if component is not None:
            from icalendar.timezone import tzp

            try:
                made: tzinfo = tzp.create_timezone(component)
            except Exception:  # noqa: BLE001 - any fault in a VTIMEZONE: the zone is unknown
                return None
            return made
        return None


def _zoneinfo(name: str) -> tzinfo | None:
    if not name or name.startswith(".") or ".." in name or len(name) > 100:
        return None
    try:
        return ZoneInfo(name)
    except (ValueError, OSError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        return None


def _invitation(
    event: Any, line: int, method: str, zones: _Zones, leave_out: set[str]
) -> Invitation:
    if method in _NOT_INVITATIONS:
        raise _Skip(f"it is a {method} to an invitation, not an invitation")
    if event.errors:
        raise _Skip(f"it has a line that could not be read ({_short(event.errors[0][1], 80)})")
    uid = _text(event.get("UID")).strip()
    if not uid:
        raise _Skip("it has no UID, so a later change to it could not be recognised")
    for recurring in ("RRULE", "RDATE"):
        if recurring in event:
            raise _Skip(
                f"it is a recurring series ({recurring}); add its interviews one at a time"
            )
    if "RECURRENCE-ID" in event:
        raise _Skip("it changes one occurrence of a recurring series; add that interview by hand")
    if "DTSTART" not in event:
        raise _Skip("it has no start (DTSTART)")
    starts_at = _moment(event["DTSTART"], "DTSTART", zones)
    ends_at: datetime | None = None
    if "DTEND" in event:
        ends_at = _moment(event["DTEND"], "DTEND", zones)
    elif "DURATION" in event:
        length = getattr(event["DURATION"], "dt", None)
        if not isinstance(length, timedelta):
            raise _Skip("its DURATION could not be read")
        if length < timedelta(0):
            raise _Skip("its DURATION is negative")
        ends_at = starts_at + length
    if ends_at is not None:
        if ends_at < starts_at:
            raise _Skip(
                f"it ends ({ends_at.isoformat()}) before it starts ({starts_at.isoformat()})"
            )
        if ends_at == starts_at:
            ends_at = None
    try:
        sequence = int(str(event.get("SEQUENCE", 0)).strip() or 0)
    except ValueError:
        raise _Skip(f"its SEQUENCE {_short(str(event.get('SEQUENCE')), 20)!r} is not a number") \
            from None
    status = _text(event.get("STATUS")).strip().upper()
    organizer = _person(event.get("ORGANIZER"))
    people: list[Person] = []
    addresses: list[str] = []
    attendees = event.get("ATTENDEE", [])
    if not isinstance(attendees, list):
        attendees = [attendees]
    for index, address in enumerate([event.get("ORGANIZER"), *attendees]):
        if address is None:
            continue
        params = getattr(address, "params", {})
        if str(params.get("CUTYPE", "")).upper() in ("ROOM", "RESOURCE"):
            continue
        person = organizer if index == 0 else _person(address)
        if person is None or (person.email and person.email in leave_out):
            continue
        if person.email and person.email not in addresses:
            addresses.append(person.email)
        service = bool(person.email) and _NO_REPLY.match(person.email) is not None
        if not service and all(_same_person(person, known) is False for known in people):
            people.append(person)
    description = _text(event.get("DESCRIPTION")).replace("\r\n", "\n")
    return Invitation(
        uid=uid,
        sequence=sequence,
        cancelled=method == "CANCEL" or status == "CANCELLED",
        starts_at=starts_at,
        ends_at=ends_at,
        summary=_text(event.get("SUMMARY")).strip(),
        organizer=organizer,
        people=tuple(people),
        addresses=tuple(addresses),
        video=_has_video_link(event),
        description=description,
        line=line,
    )


def _moment(prop: Any, name: str, zones: _Zones) -> datetime:
    """An aware datetime from DTSTART/DTEND, its TZID resolved by `zones`."""
    value = getattr(prop, "dt", None)
    if isinstance(value, datetime):
        tzid = prop.params.get("TZID") if hasattr(prop, "params") else None
        if tzid:
            zone = zones.get(str(tzid))
            if zone is None:
                raise _Skip(
                    f"its {name} is in a time zone nobody knows ({_short(str(tzid), 60)!r}) "
                    f"and the file does not describe it"
                )
            return value.replace(tzinfo=zone)  # the wall-clock time as written, in that zone
        if value.tzinfo is not None:
            return value  # UTC ("Z")
        return value.replace(tzinfo=zones.local)  # floating
    if isinstance(value, date):
        raise _Skip(
            "it is an all-day event, with no time to follow up from; add the interview "
            "with its time"
        )
    raise _Skip(f"its {name} could not be read as a date-time")


def _person(address: Any) -> Person | None:
    if address is None:
        return None
    email = normal_address(str(address))
    if email and "@" not in email:
        email = ""  # a URI that is not a mail address (a urn:, a room's id)
    name = ""
    params = getattr(address, "params", {})
    if params.get("CN"):
        name = str(params.get("CN")).strip().strip('"').strip()
    name = name or email
    if not name:
        return None
    return Person(name[:SHORT_LIMIT], email[:SHORT_LIMIT])


def _same_person(one: Person, other: Person) -> bool:
    if one.email and other.email:
        return one.email == other.email
    return one.name.casefold() == other.name.casefold()


def _has_video_link(event: Any) -> bool:
    names = ["LOCATION", "URL", "DESCRIPTION", *_CONFERENCE_PROPERTIES]
    names += [name for name in event if str(name).upper().startswith(_CONFERENCE_PREFIX)]
    for name in names:
        values = event.get(name)
        if values is None:
            continue
        for value in values if isinstance(values, list) else [values]:
            text = str(value)
            for host in _VIDEO_HOST.finditer(text):
                if _VIDEO_HOST_START.search(text, max(0, host.start() - 200), host.start()):
                    return True
    return False


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    return str(value)


def _short(text: str, limit: int = 200) -> str:
    """A piece of the file quoted in a message: printable and not too long."""
    text = printable(text.replace("\r", " ").replace("\n", " "))
    return text if len(text) <= limit else text[: limit - 1] + "…"
