"""Planning an invitation's import: which application, add, move, cancel, restore, ignore (SPEC §7)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from followup_tui.domain.model import Application, Contact, Interview
from followup_tui.errors import UserError
from followup_tui.interchange.invitations import ChangeKind, NoApplication, Plan, plan_invitations
from tests.support import invitations as corpus

SYDNEY = ZoneInfo("Australia/Sydney")
BERLIN = ZoneInfo("Europe/Berlin")

ACME = Application(
    "acme-planner", "Acme Shire Council", "Senior Planner",
    contacts=(Contact("Priya Shah", "Manager", "Priya.Shah@acme-council.example"),),
    interviews=(Interview("acme-planner-1", "2026-11-10T10:00:00+11:00", duration_minutes=60),),
)
HARBOUR = Application("harbour-analyst", "Harbour Bank", "Analyst",
                      contacts=(Contact("Careers", email="careers@harbourbank.example"),))
NORDWERK = Application("nordwerk-dev", "Nordwerk", "Developer",
                       contacts=(Contact("Jonas Müller", email="jonas.mueller@nordwerk.example"),))
GREENFIELD = Application("greenfield-nurse", "Greenfield Health", "Nurse",
                         contacts=(Contact("Jordan Lee", email="jordan@greenfield-health.example"),))
SOLO = Application("solo-advisor", "Solo Consulting", "Advisor",
                   contacts=(Contact("Pat", email="pat@gmail.com"),))
ALL = [ACME, HARBOUR, NORDWERK, GREENFIELD, SOLO]


def plan(data: bytes, apps: list[Application], tz=SYDNEY, **choice) -> Plan:
    return plan_invitations(data, apps, tz=tz, me=[corpus.ME], **choice)


def saved(apps: list[Application], the_plan: Plan) -> list[Application]:
    """The applications after the plan is saved, as the store would hold them."""
    new = {app.id: app for app in the_plan.apply(apps)}
    result = [new.pop(app.id, app) for app in apps]
    return result + list(new.values())


def by_id(apps: list[Application], app_id: str) -> Application:
    return next(app for app in apps if app.id == app_id)


def kinds(the_plan: Plan) -> list[ChangeKind]:
    return [change.kind for change in the_plan.changes]


# --- a new interview, field by field --------------------------------------------------


def test_google_invitation_joins_the_application_of_its_organizer() -> None:
    the_plan = plan(corpus.google(), ALL)
    assert kinds(the_plan) == [ChangeKind.ADD_INTERVIEW]
    after = saved(ALL, the_plan)
    acme = by_id(after, "acme-planner")
    assert acme.interviews[0] == ACME.interviews[0]
    assert acme.interviews[1] == Interview(
        id="acme-planner-2",
        starts_at="2026-11-20T10:00:00+11:00",
        ends_at="2026-11-20T11:00:00+11:00",
        format="video",
        round="First round: Senior Planner",
        interviewers=("Priya Shah", "Sam O'Neil"),
        notes=acme.interviews[1].notes,
        uid="7kukuqrfedlm2f9t0pl4cfqvsd@google.com",
        sequence=0,
        cancelled=False,
    )
    assert acme.interviews[1].notes.startswith("Panel interview for the Senior Planner role.")
    assert "https://meet.google.com/abc-defg-hij" in acme.interviews[1].notes
    # Priya is known by her address (in another case); Sam is new, with his address
    assert acme.contacts == (
        Contact("Priya Shah", "Manager", "Priya.Shah@acme-council.example"),
        Contact("Sam O'Neil", email="sam.oneil@acme-council.example"),
    )
    assert [app for app in after if app != by_id(ALL, app.id)] == [acme]
    change = the_plan.changes[0]
    assert (change.application_id, change.interview_id) == ("acme-planner", "acme-planner-2")
    assert the_plan.describe() == [
        "Acme Shire Council (Senior Planner): add interview “First round: Senior Planner” "
        "on Fri 20 Nov 2026 10:00–11:00."
    ]


def test_outlook_invitation_matches_by_the_employers_domain() -> None:
    after = saved(ALL, plan(corpus.outlook(), ALL))
    harbour = by_id(after, "harbour-analyst")
    (interview,) = harbour.interviews
    assert interview.id == "harbour-analyst-1"
    assert interview.starts_at == "2026-11-20T10:00:00+11:00"
    assert interview.ends_at == "2026-11-20T11:00:00+11:00"
    assert interview.format is None  # a boardroom, no video link
    assert interview.round == "Interview - Senior Planner"
    assert interview.interviewers == ("Morgan Lee", "Chen, Wei")
    assert interview.notes == "Please come to reception on level 12.\n\nMorgan"
    assert [c.email for c in harbour.contacts] == [
        "careers@harbourbank.example", "morgan.lee@harbourbank.example",
        "wei.chen@harbourbank.example",
    ]  # the boardroom (CUTYPE=RESOURCE) and the user are not contacts


def test_teams_times_are_written_in_the_users_zone() -> None:
    after = saved(ALL, plan(corpus.teams(), ALL, tz=SYDNEY))
    (interview,) = by_id(after, "nordwerk-dev").interviews
    # 10:00 in Berlin (+02:00) is 19:00 in Sydney (+11:00)
    assert interview.starts_at == "2026-10-23T19:00:00+11:00"
    assert interview.ends_at == "2026-10-23T19:45:00+11:00"
    assert interview.format == "video"
    assert interview.interviewers == ("Jonas Müller", "Lena Schmidt")


def test_zoom_utc_times_become_local() -> None:
    the_plan = plan(corpus.zoom(), ALL, company="Kite Labs", role="Product Designer")
    after = saved(ALL, the_plan)
    kite = after[-1]
    assert (kite.id, kite.company, kite.role) == (
        "kite-labs-product-designer", "Kite Labs", "Product Designer")
    (interview,) = kite.interviews
    assert interview.id == "kite-labs-product-designer-1"
    assert interview.starts_at == "2026-11-25T12:30:00+11:00"
    assert interview.ends_at == "2026-11-25T13:15:00+11:00"
    assert interview.format == "video"
    assert kite.contacts == (Contact("Riley Park", email="riley@kitelabs.example"),)
    assert kinds(the_plan) == [ChangeKind.NEW_APPLICATION, ChangeKind.ADD_INTERVIEW]
    assert the_plan.describe()[0] == "New application: Kite Labs (Product Designer)."


def test_booking_service_matches_on_the_attendee_not_the_no_reply_organizer() -> None:
    after = saved(ALL, plan(corpus.booking(), ALL))
    green = by_id(after, "greenfield-nurse")
    (interview,) = green.interviews
    assert interview.starts_at == "2026-12-02T09:30:00+11:00"
    assert interview.interviewers == ("Jordan Lee",)
    assert green.contacts == GREENFIELD.contacts  # no "Booking Service" contact


def test_booking_service_floating_times() -> None:
    after = saved(ALL, plan(corpus.booking(start="20261202T093000", end="20261202T100000"), ALL))
    (interview,) = by_id(after, "greenfield-nurse").interviews
    assert interview.starts_at == "2026-12-02T09:30:00+11:00"
    assert interview.ends_at == "2026-12-02T10:00:00+11:00"


# --- choosing the application ---------------------------------------------------------


def test_no_match_names_the_organizer_and_the_ways_to_choose() -> None:
    with pytest.raises(NoApplication) as raised:
        plan(corpus.zoom(), ALL)
    assert isinstance(raised.value, UserError)
    message = str(raised.value)
    assert "Riley Park <riley@kitelabs.example>" in message
    assert "--application ID" in message and "--company NAME --role ROLE" in message
    assert "“Culture interview - Kite Labs”" in message


def test_no_match_for_a_booking_names_the_service() -> None:
    with pytest.raises(UserError, match="Booking Service <no-reply@booking.example>"):
        plan(corpus.booking(), [ACME])


def test_a_public_providers_domain_never_matches() -> None:
    data = corpus.one_event("""UID:p1
DTSTART:20261120T000000Z
ORGANIZER;CN=Someone Else:mailto:someone.else@gmail.com""")
    with pytest.raises(UserError, match="Someone Else <someone.else@gmail.com>"):
        plan(data, [SOLO])


def test_an_explicit_application_is_used_even_when_another_matches() -> None:
    after = saved(ALL, plan(corpus.google(), ALL, application_id="solo-advisor"))
    assert [i.id for i in by_id(after, "solo-advisor").interviews] == ["solo-advisor-1"]
    assert by_id(after, "acme-planner") == ACME


def test_an_unknown_application_id_is_refused() -> None:
    with pytest.raises(UserError, match="no application with the id 'nope'"):
        plan(corpus.google(), ALL, application_id="nope")


def test_company_without_role_is_refused() -> None:
    with pytest.raises(UserError, match="both --company and --role"):
        plan(corpus.zoom(), ALL, company="Kite Labs")


def test_an_application_and_a_company_together_are_refused() -> None:
    with pytest.raises(UserError, match="not both"):
        plan(corpus.zoom(), ALL, application_id="acme-planner", company="Kite", role="Dev")


def test_company_and_role_of_an_existing_application_reuse_it() -> None:
    the_plan = plan(corpus.zoom(), ALL, company="harbour bank", role="ANALYST")
    assert kinds(the_plan) == [ChangeKind.ADD_INTERVIEW]
    assert the_plan.changes[0].application_id == "harbour-analyst"


def test_a_new_applications_id_does_not_collide() -> None:
    taken = Application("kite-labs-designer", "Kite", "Other")
    after = saved([taken], plan(corpus.zoom(), [taken], company="Kite Labs", role="Designer"))
    assert [app.id for app in after] == ["kite-labs-designer", "kite-labs-designer-2"]
    assert after[1].interviews[0].id == "kite-labs-designer-2-1"


def test_interview_ids_are_unique_across_applications() -> None:
    # an interview id made by hand elsewhere that looks like this application's next one
    odd = Application("other", "Other", "Role",
                      interviews=(Interview("harbour-analyst-1", "2026-11-01T10:00:00+11:00"),))
    after = saved([HARBOUR, odd], plan(corpus.outlook(), [HARBOUR, odd]))
    assert by_id(after, "harbour-analyst").interviews[0].id == "harbour-analyst-2"


def test_several_matches_by_domain_the_one_interviewed_last_before_wins() -> None:
    older = Application("harbour-old", "Harbour Bank", "Teller",
                        contacts=(Contact("HR", email="hr@harbourbank.example"),),
                        interviews=(Interview("harbour-old-1", "2026-06-01T10:00:00+10:00"),))
    newer = Application("harbour-new", "Harbour Bank", "Analyst",
                        contacts=(Contact("HR", email="hr@harbourbank.example"),),
                        interviews=(Interview("harbour-new-1", "2026-11-02T10:00:00+11:00"),))
    later = Application("harbour-later", "Harbour Bank", "Manager",
                        contacts=(Contact("HR", email="hr@harbourbank.example"),),
                        interviews=(Interview("harbour-later-1", "2026-12-20T10:00:00+11:00"),))
    the_plan = plan(corpus.outlook(), [older, newer, later])
    assert the_plan.changes[0].application_id == "harbour-new"


# --- the same invitation again, rescheduled, cancelled ----------------------------------


def test_importing_the_same_file_twice_changes_nothing() -> None:
    for data in (corpus.google(), corpus.outlook(), corpus.teams(), corpus.booking()):
        after = saved(ALL, plan(data, ALL))
        again = plan(data, after)
        assert kinds(again) == [ChangeKind.UNCHANGED]
        assert again.changes_anything is False
        assert again.summary() == "1 unchanged"
        assert again.apply(after) == []
        assert saved(after, again) == after


def test_a_reschedule_moves_the_interview_across_sydneys_daylight_saving_end() -> None:
    first = corpus.outlook(tzid="AUS Eastern Standard Time", start="20260402T100000",
                           end="20260402T110000", sequence=0)
    moved = corpus.outlook(tzid="AUS Eastern Standard Time", start="20260407T100000",
                           end="20260407T110000", sequence=1)
    after = saved(ALL, plan(first, ALL))
    assert by_id(after, "harbour-analyst").interviews[0].starts_at == "2026-04-02T10:00:00+11:00"
    the_plan = plan(moved, after)
    assert kinds(the_plan) == [ChangeKind.MOVE_INTERVIEW]
    assert the_plan.changes[0].moved == (
        "moved from Thu 02 Apr 2026 10:00–11:00 to Tue 07 Apr 2026 10:00–11:00")
    assert the_plan.describe() == [
        "Harbour Bank (Analyst): interview “Interview - Senior Planner”: moved from "
        "Thu 02 Apr 2026 10:00–11:00 to Tue 07 Apr 2026 10:00–11:00."
    ]
    after = saved(after, the_plan)
    (interview,) = by_id(after, "harbour-analyst").interviews
    assert interview.starts_at == "2026-04-07T10:00:00+10:00"
    assert interview.ends_at == "2026-04-07T11:00:00+10:00"
    assert interview.sequence == 1
    assert interview.id == "harbour-analyst-1"
    # the older invitation arriving late is ignored, and said
    late = plan(first, after)
    assert kinds(late) == [ChangeKind.IGNORED]
    assert "older invitation (version 0; version 1 is recorded)" in late.describe()[0]
    assert late.apply(after) == []
    # and the reschedule again changes nothing
    assert kinds(plan(moved, after)) == [ChangeKind.UNCHANGED]


def test_a_reschedule_across_sydneys_daylight_saving_start_with_a_custom_zone() -> None:
    first = corpus.outlook(tzid="Customized Time Zone", start="20261001T090000",
                           end="20261001T100000")
    moved = corpus.outlook(tzid="Customized Time Zone", start="20261006T090000",
                           end="20261006T100000", sequence=3)
    after = saved(ALL, plan(first, ALL))
    after = saved(after, plan(moved, after))
    (interview,) = by_id(after, "harbour-analyst").interviews
    assert interview.starts_at == "2026-10-06T09:00:00+11:00"
    assert interview.sequence == 3


def test_a_reschedule_across_berlins_2026_10_25() -> None:
    first = corpus.teams(start="20261023T100000", end="20261023T104500")
    moved = corpus.teams(start="20261026T100000", end="20261026T104500", sequence=1)
    after = saved(ALL, plan(first, ALL, tz=BERLIN))
    assert by_id(after, "nordwerk-dev").interviews[0].starts_at == "2026-10-23T10:00:00+02:00"
    the_plan = plan(moved, after, tz=BERLIN)
    assert the_plan.changes[0].moved == (
        "moved from Fri 23 Oct 2026 10:00–10:45 to Mon 26 Oct 2026 10:00–10:45")
    (interview,) = by_id(saved(after, the_plan), "nordwerk-dev").interviews
    assert interview.starts_at == "2026-10-26T10:00:00+01:00"
    assert interview.ends_at == "2026-10-26T10:45:00+01:00"


def test_an_update_at_the_same_time_keeps_what_the_user_wrote() -> None:
    after = saved(ALL, plan(corpus.google(), ALL))
    acme = by_id(after, "acme-planner")
    edited = acme.interviews[1].replace(round="Panel", notes="my notes", topics=("housing",))
    after = [acme.replace(interviews=(acme.interviews[0], edited)) if a.id == acme.id else a
             for a in after]
    the_plan = plan(corpus.google(sequence=1), after)
    assert kinds(the_plan) == [ChangeKind.UPDATE_INTERVIEW]
    assert the_plan.describe() == [
        "Acme Shire Council (Senior Planner): interview “Panel”: updated, same time."]
    interview = by_id(saved(after, the_plan), "acme-planner").interviews[1]
    assert interview == edited.replace(sequence=1)


def test_a_cancellation_then_a_later_request_restores() -> None:
    after = saved(ALL, plan(corpus.outlook(), ALL))
    cancel = plan(corpus.outlook(method="CANCEL", status="CANCELLED", sequence=1), after)
    assert kinds(cancel) == [ChangeKind.CANCEL_INTERVIEW]
    assert cancel.describe() == [
        "Harbour Bank (Analyst): interview “Interview - Senior Planner”: cancelled "
        "(on Fri 20 Nov 2026 10:00)."
    ]
    after = saved(after, cancel)
    (interview,) = by_id(after, "harbour-analyst").interviews
    assert (interview.cancelled, interview.sequence) == (True, 1)
    assert interview.starts_at == "2026-11-20T10:00:00+11:00"
    assert kinds(plan(corpus.outlook(method="CANCEL", sequence=1), after)) == [
        ChangeKind.UNCHANGED]
    restore = plan(corpus.outlook(sequence=2, start="20261123T140000", end="20261123T150000"),
                   after)
    assert kinds(restore) == [ChangeKind.RESTORE_INTERVIEW]
    assert restore.describe()[0].endswith(
        "no longer cancelled, moved from Fri 20 Nov 2026 10:00–11:00 to "
        "Mon 23 Nov 2026 14:00–15:00.")
    (interview,) = by_id(saved(after, restore), "harbour-analyst").interviews
    assert (interview.cancelled, interview.sequence) == (False, 2)
    assert interview.starts_at == "2026-11-23T14:00:00+11:00"


def test_a_cancellation_that_kept_its_sequence_still_cancels() -> None:
    after = saved(ALL, plan(corpus.google(), ALL))
    cancel = plan(corpus.google(status="CANCELLED"), after)  # SEQUENCE still 0
    assert kinds(cancel) == [ChangeKind.CANCEL_INTERVIEW]
    # ...but the original request again does not undo it (same version)
    after = saved(after, cancel)
    assert kinds(plan(corpus.google(), after)) == [ChangeKind.UNCHANGED]


def test_a_cancellation_of_an_interview_not_recorded_is_ignored_and_said() -> None:
    the_plan = plan(corpus.zoom().replace(b"METHOD:REQUEST", b"METHOD:CANCEL"), ALL)
    assert kinds(the_plan) == [ChangeKind.IGNORED]
    assert "no interview of it is recorded" in the_plan.describe()[0]
    assert the_plan.apply(ALL) == []


def test_the_uid_wins_over_an_explicit_choice() -> None:
    after = saved(ALL, plan(corpus.google(), ALL))
    the_plan = plan(corpus.google(sequence=1, start="20261120T230000Z", end="20261121T000000Z"),
                    after, application_id="solo-advisor")
    assert kinds(the_plan) == [ChangeKind.MOVE_INTERVIEW]
    assert the_plan.changes[0].application_id == "acme-planner"


def test_a_file_with_the_invitation_and_its_reschedule() -> None:
    first = corpus.zoom().decode()
    moved = corpus.zoom(sequence=1, start="20261126T013000Z", end="20261126T021500Z").decode()
    event = lambda text: text[text.index("BEGIN:VEVENT"):text.index("END:VCALENDAR")]  # noqa: E731
    data = (first[: first.index("BEGIN:VEVENT")] + event(first) + event(moved)
            + "END:VCALENDAR\r\n").encode()
    the_plan = plan(data, ALL, company="Kite Labs", role="Designer")
    assert kinds(the_plan) == [ChangeKind.NEW_APPLICATION, ChangeKind.ADD_INTERVIEW,
                               ChangeKind.MOVE_INTERVIEW]
    assert the_plan.summary() == "1 new application, 1 interview added, 1 moved"
    (interview,) = saved(ALL, the_plan)[-1].interviews
    assert (interview.starts_at, interview.sequence) == ("2026-11-26T12:30:00+11:00", 1)


# --- what is refused or skipped --------------------------------------------------------


def test_an_all_day_invitation_is_refused_with_why() -> None:
    data = corpus.one_event("UID:ad\nSUMMARY:Assessment day\nDTSTART;VALUE=DATE:20261120")
    with pytest.raises(UserError, match=r"line 4: “Assessment day” it is an all-day event"):
        plan(data, ALL, application_id="acme-planner")


def test_skipped_events_are_listed_beside_the_imported_ones() -> None:
    data = corpus.fold("""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Test//Test//EN
BEGIN:VEVENT
UID:ok
SUMMARY:Interview
DTSTART:20261120T000000Z
END:VEVENT
BEGIN:VEVENT
UID:weekly
SUMMARY:Weekly sync
DTSTART:20261120T000000Z
RRULE:FREQ=WEEKLY
END:VEVENT
END:VCALENDAR
""")
    the_plan = plan(data, ALL, application_id="acme-planner")
    assert kinds(the_plan) == [ChangeKind.ADD_INTERVIEW, ChangeKind.SKIPPED]
    assert the_plan.summary() == "1 interview added, 1 skipped"
    assert the_plan.describe()[1] == (
        "Skipped “Weekly sync” (line 9): it is a recurring series (RRULE); add its interviews "
        "one at a time.")


def test_an_empty_calendar_is_refused() -> None:
    data = corpus.fold("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//T//T//EN\nEND:VCALENDAR\n")
    with pytest.raises(UserError, match="no event"):
        plan(data, ALL)


def test_notes_are_capped_at_the_schemas_limit() -> None:
    long_text = "x" * 30_000
    data = corpus.one_event(f"UID:n1\nDTSTART:20261120T000000Z\nDESCRIPTION:{long_text}")
    after = saved(ALL, plan(data, ALL, application_id="acme-planner"))
    notes = by_id(after, "acme-planner").interviews[1].notes
    assert len(notes) == 20_000 and notes.endswith("x…")


def test_control_sequences_from_an_invitation_never_reach_the_preview() -> None:
    data = corpus.one_event("UID:c1\nDTSTART:20261120T000000Z\nSUMMARY:\x1b[2J\x1b]0;pwned\x07Hi")
    the_plan = plan(data, ALL, company="Evil\x1b[31m Corp", role="Role")
    for line in the_plan.describe():
        assert "\x1b" not in line and "\x07" not in line


# --- the plan is a value: nothing happens until it is saved -------------------------------


def test_planning_leaves_the_applications_as_they_are() -> None:
    apps = list(ALL)
    the_plan = plan(corpus.google(), apps)
    assert the_plan.based_on == (ACME,)
    the_plan = plan(corpus.zoom(), apps, company="Kite Labs", role="Designer")
    assert len(the_plan.applications) == 1
    assert all(a is b for a, b in zip(apps, ALL, strict=True))  # nothing added or replaced


def test_applying_after_the_application_changed_is_refused() -> None:
    the_plan = plan(corpus.google(), ALL)
    edited = [ACME.replace(notes="edited meanwhile"), *ALL[1:]]
    with pytest.raises(UserError, match="changed since the invitation was read"):
        the_plan.apply(edited)
    assert the_plan.apply(ALL)[0].interviews[1].uid == "7kukuqrfedlm2f9t0pl4cfqvsd@google.com"


def test_applying_after_the_new_applications_id_was_taken_is_refused() -> None:
    the_plan = plan(corpus.zoom(), ALL, company="Kite Labs", role="Designer")
    taken = [*ALL, Application("kite-labs-designer", "Kite Labs", "Designer")]
    with pytest.raises(UserError, match="was added since"):
        the_plan.apply(taken)


def test_a_reply_is_not_an_invitation() -> None:
    data = corpus.outlook(method="REPLY")
    with pytest.raises(UserError, match="it is a REPLY to an invitation, not an invitation"):
        plan(data, ALL)


def test_control_sequences_never_reach_an_error_message() -> None:
    data = corpus.one_event(
        "UID:c2\nDTSTART:20261120T000000Z\nSUMMARY:\x1b[2JHi\n"
        "ORGANIZER;CN=Eve\u202eevE:mailto:eve@evil.example")
    with pytest.raises(NoApplication) as raised:
        plan(data, ALL)
    assert "\x1b" not in str(raised.value) and "\u202e" not in str(raised.value)
    assert "Eve\\u202eevE <eve@evil.example>" in str(raised.value)
