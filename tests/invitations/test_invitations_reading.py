"""Reading invitations as Google, Outlook, Teams, Zoom and a booking service write them (SPEC §7)."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from followup_tui.domain.model import Application, Interview, Rules
from followup_tui.errors import UserError
from followup_tui.interchange.document import export_ics
from followup_tui.interchange.invitations import looks_like_calendar, read_invitations
from followup_tui.interchange.invitations.reading import MAX_EVENTS, Invitation, Person
from tests.support import invitations as corpus

SYDNEY = ZoneInfo("Australia/Sydney")
BERLIN = ZoneInfo("Europe/Berlin")


def only(data: bytes, tz=SYDNEY) -> Invitation:
    reading = read_invitations(data, tz=tz, me=[corpus.ME])
    assert reading.skipped == ()
    assert len(reading.invitations) == 1
    return reading.invitations[0]


def skipped_reason(data: bytes, tz=SYDNEY) -> str:
    reading = read_invitations(data, tz=tz, me=[corpus.ME])
    assert reading.invitations == ()
    assert len(reading.skipped) == 1
    return reading.skipped[0].reason


# --- each program's shape, field by field ------------------------------------------


def test_google_invitation_utc_times_meet_link_people() -> None:
    invitation = only(corpus.google())
    assert invitation.uid == "7kukuqrfedlm2f9t0pl4cfqvsd@google.com"
    assert invitation.sequence == 0
    assert invitation.cancelled is False
    assert invitation.starts_at == datetime(2026, 11, 19, 23, 0, tzinfo=UTC)
    assert invitation.starts_at.astimezone(SYDNEY).isoformat() == "2026-11-20T10:00:00+11:00"
    assert invitation.ends_at == datetime(2026, 11, 20, 0, 0, tzinfo=UTC)
    assert invitation.summary == "First round: Senior Planner"
    assert invitation.organizer == Person("Priya Shah", "priya.shah@acme-council.example")
    # the organizer is also an attendee: one person; the user is left out
    assert invitation.people == (
        Person("Priya Shah", "priya.shah@acme-council.example"),
        Person("Sam O'Neil", "sam.oneil@acme-council.example"),
    )
    assert invitation.addresses == (
        "priya.shah@acme-council.example", "sam.oneil@acme-council.example",
    )
    assert invitation.video is True
    assert invitation.description.startswith("Panel interview for the Senior Planner role.\n\n")
    assert "https://meet.google.com/abc-defg-hij" in invitation.description
    assert invitation.line == 6


def test_google_export_floating_times_are_in_its_x_wr_timezone_not_the_users() -> None:
    # the user is in Berlin; Google wrote floating times meaning Australia/Sydney
    invitation = only(corpus.google_export(floating=True), tz=BERLIN)
    assert invitation.starts_at.isoformat() == "2026-11-20T10:00:00+11:00"
    assert invitation.ends_at is not None
    assert invitation.ends_at.isoformat() == "2026-11-20T11:00:00+11:00"
    assert invitation.summary == "Second round"
    assert invitation.video is True
    assert invitation.people == (Person("Priya Shah", "priya.shah@acme-council.example"),)


def test_google_export_with_vtimezone_and_tzid() -> None:
    invitation = only(corpus.google_export(floating=False, with_vtimezone=True), tz=BERLIN)
    assert invitation.starts_at.isoformat() == "2026-11-20T10:00:00+11:00"
    assert invitation.starts_at.utcoffset() == timedelta(hours=11)


def test_outlook_windows_zone_with_vtimezone_room_left_out() -> None:
    invitation = only(corpus.outlook())
    assert invitation.uid.startswith("040000008200E00074C5B7101A82E008")
    assert invitation.starts_at.isoformat() == "2026-11-20T10:00:00+11:00"
    assert invitation.ends_at is not None
    assert invitation.ends_at.isoformat() == "2026-11-20T11:00:00+11:00"
    assert invitation.summary == "Interview - Senior Planner"
    assert invitation.people == (
        Person("Morgan Lee", "morgan.lee@harbourbank.example"),
        Person("Chen, Wei", "wei.chen@harbourbank.example"),  # a quoted CN keeps its comma
    )
    assert "boardroom12@harbourbank.example" not in invitation.addresses  # CUTYPE=RESOURCE
    assert invitation.video is False
    assert invitation.description == "Please come to reception on level 12.\n\nMorgan"
    assert invitation.cancelled is False


def test_outlook_windows_zone_without_vtimezone() -> None:
    invitation = only(corpus.outlook(vtimezone=None))
    assert invitation.starts_at.isoformat() == "2026-11-20T10:00:00+11:00"


def test_outlook_customized_time_zone_is_read_from_its_vtimezone() -> None:
    invitation = only(corpus.outlook(tzid="Customized Time Zone", start="20260702T100000",
                                     end="20260702T110000"))
    assert invitation.starts_at.utcoffset() == timedelta(hours=10)  # winter in Sydney
    assert invitation.starts_at.replace(tzinfo=None) == datetime(2026, 7, 2, 10, 0)


def test_two_files_with_the_same_custom_tzid_each_use_their_own_zone() -> None:
    """icalendar caches VTIMEZONEs by TZID process-wide; the second file must not get the first's."""
    sydney = only(corpus.outlook(tzid="Customized Time Zone", start="20260702T100000",
                                 end="20260702T110000"))
    berlin = only(corpus.teams(tzid="Customized Time Zone", start="20260702T100000",
                               end="20260702T110000"))
    assert sydney.starts_at.utcoffset() == timedelta(hours=10)
    assert berlin.starts_at.utcoffset() == timedelta(hours=2)


def test_teams_windows_zone_link_in_description_and_x_property() -> None:
    invitation = only(corpus.teams(), tz=BERLIN)
    assert invitation.starts_at.isoformat() == "2026-10-23T10:00:00+02:00"
    assert invitation.ends_at is not None
    assert invitation.ends_at - invitation.starts_at == timedelta(minutes=45)
    assert invitation.summary == "Technical interview"
    assert invitation.video is True
    # the user's address in upper case is still the user's
    assert invitation.people == (
        Person("Jonas Müller", "jonas.mueller@nordwerk.example"),
        Person("Lena Schmidt", "lena.schmidt@nordwerk.example"),
    )
    assert "Microsoft Teams meeting" in invitation.description


def test_teams_link_only_in_the_x_property_is_video() -> None:
    link = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_X%40thread.v2/0"
    data = corpus.one_event(f"""UID:t1
DTSTART:20261120T000000Z
DTEND:20261120T010000Z
SUMMARY:Chat
X-MICROSOFT-SKYPETEAMSMEETINGURL:{link}""")
    assert only(data).video is True


@pytest.mark.parametrize("prop", [
    "LOCATION:https://acme.webex.com/meet/priya",
    "URL:https://zoom.us/j/123",
    "CONFERENCE;VALUE=URI;FEATURE=VIDEO:https://meet.google.com/aaa-bbbb-ccc",
    "X-GOOGLE-CONFERENCE:https://meet.google.com/aaa-bbbb-ccc",
    "X-MICROSOFT-ONLINEMEETINGEXTERNALLINK:https://teams.microsoft.com/l/meetup-join/x",
])
def test_a_video_link_anywhere_spec_names_makes_it_video(prop: str) -> None:
    data = corpus.one_event(f"UID:v1\nDTSTART:20261120T000000Z\n{prop}")
    assert only(data).video is True


@pytest.mark.parametrize("prop", [
    "LOCATION:Level 3\\, 10 Zoom Street",  # the word, not the service
    "DESCRIPTION:We use notzoom.us.example.org for nothing",
    "LOCATION:https://example.org/meet.google.com/",  # the service's name in another's path
])
def test_no_video_link_no_video(prop: str) -> None:
    data = corpus.one_event(f"UID:v2\nDTSTART:20261120T000000Z\n{prop}")
    assert only(data).video is False


def test_zoom_utc_times_link_in_location() -> None:
    invitation = only(corpus.zoom())
    assert invitation.uid == "ZOOM89123456789@zoom.us"
    assert invitation.starts_at == datetime(2026, 11, 25, 1, 30, tzinfo=UTC)
    assert invitation.ends_at == datetime(2026, 11, 25, 2, 15, tzinfo=UTC)
    assert invitation.summary == "Culture interview - Kite Labs"
    assert invitation.video is True
    assert invitation.people == (Person("Riley Park", "riley@kitelabs.example"),)
    assert invitation.organizer == Person("Riley Park", "riley@kitelabs.example")


def test_booking_service_no_reply_organizer_is_not_a_person() -> None:
    invitation = only(corpus.booking())
    assert invitation.starts_at == datetime(2026, 12, 1, 22, 30, tzinfo=UTC)
    assert invitation.organizer == Person("Booking Service", "no-reply@booking.example")
    assert invitation.people == (Person("Jordan Lee", "jordan@greenfield-health.example"),)
    assert "jordan@greenfield-health.example" in invitation.addresses
    assert invitation.video is False


def test_booking_service_floating_times_are_the_users_local_time() -> None:
    invitation = only(corpus.booking(start="20261202T093000", end="20261202T100000"))
    assert invitation.starts_at.isoformat() == "2026-12-02T09:30:00+11:00"
    invitation = only(corpus.booking(start="20261202T093000", end="20261202T100000"), tz=BERLIN)
    assert invitation.starts_at.isoformat() == "2026-12-02T09:30:00+01:00"


def test_duration_instead_of_dtend() -> None:
    data = corpus.one_event("UID:d1\nDTSTART;TZID=Europe/Berlin:20261120T100000\nDURATION:PT45M")
    invitation = only(data)
    assert invitation.ends_at is not None
    assert invitation.ends_at.isoformat() == "2026-11-20T10:45:00+01:00"


def test_globally_unique_tzid() -> None:
    data = corpus.one_event(
        "UID:g1\nDTSTART;TZID=/freeassociation.sourceforge.net/Europe/Berlin:20261120T100000"
    )
    assert only(data).starts_at.isoformat() == "2026-11-20T10:00:00+01:00"


def test_cancellation_by_method_and_by_status() -> None:
    assert only(corpus.outlook(method="CANCEL", sequence=1)).cancelled is True
    assert only(corpus.google(status="CANCELLED", sequence=1)).cancelled is True
    assert only(corpus.outlook(method="REQUEST", sequence=2)).cancelled is False


# --- daylight saving ---------------------------------------------------------------


@pytest.mark.parametrize(("tzid", "vtimezone", "day", "offset"), [
    # Sydney leaves daylight saving on 2026-04-05 and starts it on 2026-10-04
    ("AUS Eastern Standard Time", corpus.SYDNEY_VTIMEZONE, "20260402", 11),
    ("AUS Eastern Standard Time", corpus.SYDNEY_VTIMEZONE, "20260407", 10),
    ("AUS Eastern Standard Time", None, "20261001", 10),
    ("AUS Eastern Standard Time", None, "20261006", 11),
    ("Customized Time Zone", corpus.SYDNEY_VTIMEZONE, "20260402", 11),
    ("Customized Time Zone", corpus.SYDNEY_VTIMEZONE, "20260407", 10),
    ("Customized Time Zone", corpus.SYDNEY_VTIMEZONE, "20261001", 10),
    ("Customized Time Zone", corpus.SYDNEY_VTIMEZONE, "20261006", 11),
])
def test_sydney_offsets_either_side_of_a_change(tzid, vtimezone, day, offset) -> None:
    invitation = only(corpus.outlook(tzid=tzid, vtimezone=vtimezone, start=f"{day}T100000",
                                     end=f"{day}T110000"))
    assert invitation.starts_at.utcoffset() == timedelta(hours=offset)
    assert invitation.starts_at.strftime("%Y%m%dT%H%M%S") == f"{day}T100000"


@pytest.mark.parametrize("vtimezone", [corpus.BERLIN_VTIMEZONE, None])
@pytest.mark.parametrize(("day", "offset"), [("20261023", 2), ("20261026", 1)])
def test_berlin_offsets_either_side_of_2026_10_25(day, offset, vtimezone) -> None:
    invitation = only(corpus.teams(start=f"{day}T100000", end=f"{day}T104500",
                                   vtimezone=vtimezone), tz=BERLIN)
    assert invitation.starts_at.utcoffset() == timedelta(hours=offset)


# --- events that cannot be interviews: skipped, with the reason ----------------------


def test_all_day_event_is_skipped_with_why() -> None:
    reason = skipped_reason(corpus.one_event("UID:a1\nDTSTART;VALUE=DATE:20261120\nSUMMARY:Day"))
    assert "all-day" in reason


@pytest.mark.parametrize("rule", ["RRULE:FREQ=WEEKLY;COUNT=3", "RDATE:20261127T000000Z"])
def test_recurring_series_is_skipped_not_guessed(rule: str) -> None:
    reason = skipped_reason(corpus.one_event(f"UID:r1\nDTSTART:20261120T000000Z\n{rule}"))
    assert "recurring" in reason and rule.split(":")[0] in reason


def test_one_occurrence_of_a_series_is_skipped() -> None:
    reason = skipped_reason(corpus.one_event(
        "UID:r2\nRECURRENCE-ID:20261127T000000Z\nDTSTART:20261128T000000Z"))
    assert "occurrence" in reason


def test_missing_dtstart() -> None:
    assert "no start" in skipped_reason(corpus.one_event("UID:m1\nSUMMARY:When?"))


def test_missing_uid() -> None:
    assert "no UID" in skipped_reason(corpus.one_event("DTSTART:20261120T000000Z"))


def test_dtend_before_dtstart() -> None:
    reason = skipped_reason(corpus.one_event(
        "UID:e1\nDTSTART:20261120T100000Z\nDTEND:20261120T090000Z"))
    assert "ends" in reason and "before it starts" in reason


def test_unknown_tzid_is_named() -> None:
    reason = skipped_reason(corpus.one_event("UID:z1\nDTSTART;TZID=Mars/Olympus:20261120T100000"))
    assert "'Mars/Olympus'" in reason


def test_a_dtend_equal_to_dtstart_has_no_end() -> None:
    invitation = only(corpus.one_event("UID:e2\nDTSTART:20261120T100000Z\nDTEND:20261120T100000Z"))
    assert invitation.ends_at is None


def test_skips_keep_their_line_and_summary_and_good_events_stay() -> None:
    data = corpus.fold("""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Test//Test//EN
BEGIN:VEVENT
UID:good
DTSTART:20261120T000000Z
END:VEVENT
BEGIN:VEVENT
UID:bad
SUMMARY:Offsite day
DTSTART;VALUE=DATE:20261121
END:VEVENT
END:VCALENDAR
""")
    reading = read_invitations(data, tz=SYDNEY)
    assert [i.uid for i in reading.invitations] == ["good"]
    assert [(s.line, s.summary) for s in reading.skipped] == [(8, "Offsite day")]


# --- files refused as a whole: a clear error, with the line ---------------------------


def test_not_a_calendar() -> None:
    with pytest.raises(UserError, match="not an iCalendar file"):
        read_invitations(b'{"format": "followup-tui"}', tz=SYDNEY)
    assert not looks_like_calendar(b"BEGIN:VCARD\r\n")
    assert looks_like_calendar(b"\xef\xbb\xbf\r\nbegin:vcalendar\r\n")


def test_broken_folding_names_the_line() -> None:
    good = corpus.one_event("UID:f1\nDTSTART:20261120T000000Z\nDESCRIPTION:" + "word " * 30)
    assert only(good).description == ("word " * 30).rstrip()
    # a mail program rewrapped the file and dropped the space that marks line 8 a continuation
    lines = good.split(b"\r\n")
    assert lines[7].startswith(b" ")
    lines[7] = lines[7].lstrip()
    with pytest.raises(UserError, match=r"Line 8 of the calendar is not an iCalendar line"):
        read_invitations(b"\r\n".join(lines), tz=SYDNEY)


def test_a_calendar_cut_short() -> None:
    data = corpus.zoom()
    with pytest.raises(UserError, match="begun on line 6 of the calendar never ends"):
        read_invitations(data[: data.index(b"END:VEVENT")], tz=SYDNEY)


def test_end_without_begin() -> None:
    data = corpus.zoom().replace(b"END:VALARM", b"END:VTODO")
    with pytest.raises(UserError, match=r"Line \d+ of the calendar ends VTODO where VALARM is open"):
        read_invitations(data, tz=SYDNEY)


def test_ten_thousand_events_are_refused_as_a_whole_calendar() -> None:
    events = "".join(f"BEGIN:VEVENT\nUID:e{n}\nDTSTART:20261120T000000Z\nEND:VEVENT\n"
                     for n in range(10_000))
    data = corpus.fold(f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//T//T//EN\n{events}END:VCALENDAR\n")
    with pytest.raises(UserError, match="10000 events: a whole calendar"):
        read_invitations(data, tz=SYDNEY)


def test_as_many_events_as_allowed_are_read() -> None:
    events = "".join(f"BEGIN:VEVENT\nUID:e{n}\nDTSTART:20261120T000000Z\nEND:VEVENT\n"
                     for n in range(MAX_EVENTS))
    data = corpus.fold(f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//T//T//EN\n{events}END:VCALENDAR\n")
    assert len(read_invitations(data, tz=SYDNEY).invitations) == MAX_EVENTS


def test_a_five_megabyte_description_is_read_whole() -> None:
    long_text = ("Interview notes " * 330_000)[:4_999_999]
    data = corpus.one_event(f"UID:big\nDTSTART:20261120T000000Z\nDESCRIPTION:{long_text}")
    assert len(data) > 5_000_000
    invitation = only(data)
    assert invitation.description == long_text  # capped when it becomes notes (planning)


def test_a_file_beyond_the_size_limit_is_refused_unread() -> None:
    data = b"BEGIN:VCALENDAR\r\n" + b"X-PAD:" + b"x" * (17 * 1024 * 1024) + b"\r\n"
    with pytest.raises(UserError, match="MB; an invitation is far smaller"):
        read_invitations(data, tz=SYDNEY)


def test_our_own_ics_export_is_not_an_invitation() -> None:
    app = Application("acme", "Acme", "Planner", interviews=(
        Interview("acme-1", "2026-11-20T10:00:00+11:00", duration_minutes=60),))
    exported = export_ics([app], datetime(2026, 11, 20, 12, 0, tzinfo=SYDNEY), Rules(SYDNEY))
    assert b"BEGIN:VEVENT" in exported
    with pytest.raises(UserError, match="followup-tui's own calendar export"):
        read_invitations(exported, tz=SYDNEY)


def test_garbage_in_a_value_is_a_skip_not_a_traceback() -> None:
    data = corpus.one_event("UID:x1\nDTSTART:tomorrow morning")
    reading = read_invitations(data, tz=SYDNEY)
    assert reading.invitations == ()
    assert len(reading.skipped) == 1


def test_non_utf8_bytes_do_not_stop_reading() -> None:
    data = corpus.one_event("UID:l1\nDTSTART:20261120T000000Z\nSUMMARY:Entrevue caf\xe9")
    data = data.replace("é".encode(), b"\xe9")  # Latin-1, as an old program might write
    assert only(data).summary.startswith("Entrevue caf")


def test_reading_needs_no_ui_and_no_database() -> None:
    code = (
        "import sys, followup_tui.interchange.invitations\n"
        "bad = [m for m in ('textual', 'rich', 'sqlite3', 'sqlite_utils') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
