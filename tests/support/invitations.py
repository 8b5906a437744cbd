"""Invitations in the shapes real calendar programs send, built for the tests.

Each builder writes what that program writes (its PRODID, METHOD, the way it
gives times and zones, where it puts the meeting link, its X- properties),
with the parts a test varies as parameters: the UID, SEQUENCE, the times, the
METHOD. Lines are folded and ended with CRLF as RFC 5545 asks.
"""

from __future__ import annotations

ME = "alex@example.com"

#: Outlook's description of Sydney's zone (AUS Eastern Standard Time), rules since 2008.
SYDNEY_VTIMEZONE = """BEGIN:VTIMEZONE
TZID:{tzid}
BEGIN:STANDARD
DTSTART:16010101T030000
TZOFFSETFROM:+1100
TZOFFSETTO:+1000
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=4
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:+1000
TZOFFSETTO:+1100
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=10
END:DAYLIGHT
END:VTIMEZONE"""

#: Outlook's description of central Europe (W. Europe Standard Time).
BERLIN_VTIMEZONE = """BEGIN:VTIMEZONE
TZID:{tzid}
BEGIN:STANDARD
DTSTART:16010101T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE"""

#: Google's VTIMEZONE: the IANA name, the current rule only.
GOOGLE_SYDNEY_VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Australia/Sydney
X-LIC-LOCATION:Australia/Sydney
BEGIN:STANDARD
TZOFFSETFROM:+1100
TZOFFSETTO:+1000
TZNAME:AEST
DTSTART:19700405T030000
RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU
END:STANDARD
BEGIN:DAYLIGHT
TZOFFSETFROM:+1000
TZOFFSETTO:+1100
TZNAME:AEDT
DTSTART:19701004T020000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=1SU
END:DAYLIGHT
END:VTIMEZONE"""


def fold(text: str) -> bytes:
    """Unfolded lines (LF) as an RFC 5545 file: CRLF, lines folded at 75 octets."""
    out: list[str] = []
    for line in text.strip("\n").split("\n"):
        piece, size = "", 0
        for char in line:  # never split a character's octets
            octets = len(char.encode())
            if size + octets > 75:
                out.append(piece)
                piece, size = " ", 1  # a continuation starts with a space
            piece += char
            size += octets
        out.append(piece)
    return ("\r\n".join(out) + "\r\n").encode()


def escape(text: str) -> str:
    """A TEXT value: backslash, semicolon, comma and newline escaped."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def google(
    *,
    uid: str = "7kukuqrfedlm2f9t0pl4cfqvsd@google.com",
    start: str = "20261119T230000Z",
    end: str = "20261120T000000Z",
    sequence: int = 0,
    method: str = "REQUEST",
    status: str = "CONFIRMED",
    summary: str = "First round: Senior Planner",
) -> bytes:
    """A Google Calendar invitation: UTC times, a Meet link, X-GOOGLE-CONFERENCE."""
    description = (
        "Panel interview for the Senior Planner role.\n\n-::~:~::~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~"
        ":~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~::~:~::-\n"
        "Join with Google Meet: https://meet.google.com/abc-defg-hij\n"
        "Learn more about Meet at: https://support.google.com/a/users/answer/9282720"
    )
    return fold(f"""BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
CALSCALE:GREGORIAN
METHOD:{method}
BEGIN:VEVENT
DTSTART:{start}
DTEND:{end}
DTSTAMP:20261110T040000Z
ORGANIZER;CN=Priya Shah:mailto:priya.shah@acme-council.example
UID:{uid}
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Priya Shah;X-NUM-GUESTS=0:mailto:priya.shah@acme-council.example
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN={ME};X-NUM-GUESTS=0:mailto:{ME}
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Sam O'Neil;X-NUM-GUESTS=0:mailto:sam.oneil@acme-council.example
X-GOOGLE-CONFERENCE:https://meet.google.com/abc-defg-hij
CREATED:20261110T035900Z
DESCRIPTION:{escape(description)}
LAST-MODIFIED:20261110T040000Z
LOCATION:
SEQUENCE:{sequence}
STATUS:{status}
SUMMARY:{escape(summary)}
TRANSP:OPAQUE
END:VEVENT
END:VCALENDAR
""")


def google_export(*, floating: bool = True, with_vtimezone: bool = False,
                  start: str = "20261120T100000", end: str = "20261120T110000") -> bytes:
    """A Google Calendar export: X-WR-TIMEZONE, times floating or with a TZID."""
    zone = GOOGLE_SYDNEY_VTIMEZONE + "\n" if with_vtimezone else ""
    tzid = "" if floating else ";TZID=Australia/Sydney"
    return fold(f"""BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
CALSCALE:GREGORIAN
METHOD:PUBLISH
X-WR-CALNAME:{ME}
X-WR-TIMEZONE:Australia/Sydney
{zone}BEGIN:VEVENT
DTSTART{tzid}:{start}
DTEND{tzid}:{end}
DTSTAMP:20261110T040000Z
UID:0q3l2d6mbb1f8j0t1kk0u4j9ks@google.com
ORGANIZER;CN=Priya Shah:mailto:priya.shah@acme-council.example
ATTENDEE;CN=Priya Shah;PARTSTAT=ACCEPTED:mailto:priya.shah@acme-council.example
DESCRIPTION:Join with Google Meet: https://meet.google.com/xyz-wxyz-xyz
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:Second round
END:VEVENT
END:VCALENDAR
""")


def outlook(
    *,
    uid: str = "040000008200E00074C5B7101A82E00800000000D0B1C3E5A1B2DA01000000000000000010000000C1A2B3C4D5E6F7A8B9C0D1E2F3A4B5C6",
    tzid: str = "AUS Eastern Standard Time",
    vtimezone: str | None = SYDNEY_VTIMEZONE,
    start: str = "20261120T100000",
    end: str = "20261120T110000",
    sequence: int = 0,
    method: str = "REQUEST",
    status: str = "CONFIRMED",
    summary: str = "Interview - Senior Planner",
) -> bytes:
    """An Outlook/Exchange invitation: Windows zone names, X-MICROSOFT-CDO-*, a room."""
    zone = vtimezone.format(tzid=tzid) + "\n" if vtimezone else ""
    return fold(f"""BEGIN:VCALENDAR
METHOD:{method}
PRODID:Microsoft Exchange Server 2010
VERSION:2.0
{zone}BEGIN:VEVENT
ORGANIZER;CN=Morgan Lee:mailto:morgan.lee@harbourbank.example
ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Alex Example:mailto:{ME}
ATTENDEE;ROLE=OPT-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN="Chen, Wei":mailto:wei.chen@harbourbank.example
ATTENDEE;CUTYPE=RESOURCE;ROLE=NON-PARTICIPANT;RSVP=TRUE;CN=Level 12 Boardroom:mailto:boardroom12@harbourbank.example
DESCRIPTION;LANGUAGE=en-AU:Please come to reception on level 12.\\n\\nMorgan
UID:{uid}
SUMMARY;LANGUAGE=en-AU:{escape(summary)}
DTSTART;TZID={tzid}:{start}
DTEND;TZID={tzid}:{end}
CLASS:PUBLIC
PRIORITY:5
DTSTAMP:20261110T040000Z
TRANSP:OPAQUE
STATUS:{status}
SEQUENCE:{sequence}
LOCATION;LANGUAGE=en-AU:Level 12 Boardroom\\, 1 Harbour St
X-MICROSOFT-CDO-APPT-SEQUENCE:{sequence}
X-MICROSOFT-CDO-OWNERAPPTID:2121394628
X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE
X-MICROSOFT-CDO-INTENDEDSTATUS:BUSY
X-MICROSOFT-CDO-ALLDAYEVENT:FALSE
X-MICROSOFT-CDO-IMPORTANCE:1
X-MICROSOFT-CDO-INSTTYPE:0
X-MICROSOFT-DONOTFORWARDMEETING:FALSE
X-MICROSOFT-DISALLOW-COUNTER:FALSE
BEGIN:VALARM
DESCRIPTION:REMINDER
TRIGGER;RELATED=START:-PT15M
ACTION:DISPLAY
END:VALARM
END:VEVENT
END:VCALENDAR
""")


def teams(
    *,
    uid: str = "040000008200E00074C5B7101A82E0080000000077B8D0E3A1B2DA0100000000000000001000000011223344556677889900AABBCCDDEEFF",
    tzid: str = "W. Europe Standard Time",
    vtimezone: str | None = BERLIN_VTIMEZONE,
    start: str = "20261023T100000",
    end: str = "20261023T104500",
    sequence: int = 0,
    method: str = "REQUEST",
    summary: str = "Technical interview",
) -> bytes:
    """A Teams meeting from Exchange Online: the link in DESCRIPTION and X- properties."""
    link = ("https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjQ2ZDQ3YjMtZjU2Ny00"
            "%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf%22%7d")
    description = (
        "Hello Alex, looking forward to it.\n"
        "________________________________________________________________________________\n"
        "Microsoft Teams meeting\nJoin on your computer, mobile app or room device\n"
        f"Click here to join the meeting<{link}>\n"
        "Meeting ID: 312 456 789 012\nPasscode: Xy7bQ2\n"
        "________________________________________________________________________________"
    )
    zone = vtimezone.format(tzid=tzid) + "\n" if vtimezone else ""
    return fold(f"""BEGIN:VCALENDAR
METHOD:{method}
PRODID:Microsoft Exchange Server 2010
VERSION:2.0
{zone}BEGIN:VEVENT
ORGANIZER;CN=Jonas Müller:mailto:jonas.mueller@nordwerk.example
ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Alex Example:mailto:{ME.upper()}
ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Lena Schmidt:mailto:lena.schmidt@nordwerk.example
DESCRIPTION;LANGUAGE=en-US:{escape(description)}
UID:{uid}
SUMMARY;LANGUAGE=en-US:{escape(summary)}
DTSTART;TZID={tzid}:{start}
DTEND;TZID={tzid}:{end}
CLASS:PUBLIC
PRIORITY:5
DTSTAMP:20261015T080000Z
TRANSP:OPAQUE
STATUS:CONFIRMED
SEQUENCE:{sequence}
LOCATION;LANGUAGE=en-US:Microsoft Teams Meeting
X-MICROSOFT-CDO-APPT-SEQUENCE:{sequence}
X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE
X-MICROSOFT-CDO-INTENDEDSTATUS:BUSY
X-MICROSOFT-CDO-ALLDAYEVENT:FALSE
X-MICROSOFT-CDO-IMPORTANCE:1
X-MICROSOFT-CDO-INSTTYPE:0
X-MICROSOFT-SKYPETEAMSMEETINGURL:{link}
X-MICROSOFT-SCHEDULINGSERVICEUPDATEURL:https://api.scheduler.teams.microsoft.com/teamsforbusiness/0
X-MICROSOFT-SKYPETEAMSPROPERTIES:{{"cid":"19:meeting_NjQ2ZDQ3YjMtZjU2Ny00@thread.v2"}}
X-MICROSOFT-ONLINEMEETINGCONFLINK:conf:sip:jonas.mueller@nordwerk.example\\;gruu\\;opaque=app:conf:focus:id:teams:2:0!19:meeting_NjQ2ZDQ3YjMtZjU2Ny00-thread.v2
X-MICROSOFT-DONOTFORWARDMEETING:FALSE
X-MICROSOFT-DISALLOW-COUNTER:FALSE
X-MICROSOFT-LOCATIONS:[{{"DisplayName":"Microsoft Teams Meeting","LocationAnnotation":"","LocationSource":0}}]
END:VEVENT
END:VCALENDAR
""")


def zoom(
    *,
    uid: str = "ZOOM89123456789@zoom.us",
    start: str = "20261125T013000Z",
    end: str = "20261125T021500Z",
    sequence: int = 0,
) -> bytes:
    """A Zoom-generated invitation: UTC times, the zoom.us link in LOCATION."""
    return fold(f"""BEGIN:VCALENDAR
PRODID:-//zoom.us//iCalendar Event//EN
VERSION:2.0
CALSCALE:GREGORIAN
METHOD:REQUEST
BEGIN:VEVENT
DTSTAMP:20261118T000000Z
DTSTART:{start}
DTEND:{end}
SUMMARY:Culture interview - Kite Labs
UID:{uid}
SEQUENCE:{sequence}
TZID:Australia/Sydney
DESCRIPTION:Riley Park is inviting you to a scheduled Zoom meeting.\\n\\nJoin Zoom Meeting\\nhttps://us06web.zoom.us/j/89123456789?pwd=aBcDeF\\n\\nMeeting ID: 891 2345 6789
LOCATION:https://us06web.zoom.us/j/89123456789?pwd=aBcDeF
ORGANIZER;CN=Riley Park:mailto:riley@kitelabs.example
BEGIN:VALARM
TRIGGER:-PT10M
ACTION:DISPLAY
DESCRIPTION:Reminder
END:VALARM
END:VEVENT
END:VCALENDAR
""")


def booking(*, start: str = "20261201T223000Z", end: str = "20261201T230000Z",
            method: str = "REQUEST", sequence: int = 0, status: str = "CONFIRMED") -> bytes:
    """A booking service (Calendly-like): a no-reply organizer, the interviewer an attendee.

    Times in UTC, or floating (pass them without the Z) as some services write them.
    """
    return fold(f"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Booking Service//Scheduler 2.1//EN
METHOD:{method}
BEGIN:VEVENT
UID:bk-5f1d2c3a-9b8e-4f7a-a1b2-c3d4e5f6a7b8@booking.example
DTSTAMP:20261120T000000Z
DTSTART:{start}
DTEND:{end}
SEQUENCE:{sequence}
STATUS:{status}
SUMMARY:30 Minute Screening Call between Jordan Lee and Alex Example
ORGANIZER;CN=Booking Service:mailto:no-reply@booking.example
ATTENDEE;CN=Jordan Lee;ROLE=REQ-PARTICIPANT:mailto:jordan@greenfield-health.example
ATTENDEE;CN=Alex Example;ROLE=REQ-PARTICIPANT:mailto:{ME}
DESCRIPTION:Event Name: 30 Minute Screening Call\\n\\nNeed to make changes? Cancel: https://booking.example/cancellations/abc
LOCATION:Phone call: Jordan will call you
END:VEVENT
END:VCALENDAR
""")


def one_event(body: str, *, head: str = "", prodid: str = "-//Test//Test//EN") -> bytes:
    """A calendar around one VEVENT's lines (`body`, unfolded, LF-separated)."""
    return fold(f"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:{prodid}
{head}BEGIN:VEVENT
{body.strip()}
END:VEVENT
END:VCALENDAR
""")
