"""Every line of SPEC §6's matching and classification, one test (or table) each."""

from __future__ import annotations

from datetime import date

import pytest

from followup_tui.domain.model import Application, Contact, Event, EventType, Interview
from followup_tui.interchange.mail import Matcher, classify, new_text, parse_message, return_date
from followup_tui.interchange.mail.matching import PUBLIC_MAIL_PROVIDERS
from tests.support import mail_corpus as corpus
from tests.support.mail_corpus import ACME, APPLICATIONS, ME, PRIYA, RULES, message


def suggest(raw: bytes, applications=APPLICATIONS, thanked=()):
    facts = parse_message(raw)
    matcher = Matcher(applications, [ME], RULES.tz)
    assert facts.date is not None
    match = matcher.match(facts.sender, facts.recipients, facts.date)
    if match is None:
        return None
    return classify(facts, match, from_me=matcher.is_me(facts.sender), rules=RULES,
                    thank_you_suggested=thanked)


# --- matching ---------------------------------------------------------------------


def test_received_mail_matches_a_contact_address_case_insensitively() -> None:
    s = suggest(message("PRIYA@ACME.EXAMPLE", ME, "Re: hi", "Thanks!"))
    assert s is not None and s.application == "acme-planner"
    assert "from priya@acme.example, a contact of Acme Shire Council — Senior Planner" in s.reason


def test_sent_mail_matches_on_to_and_cc_not_on_from() -> None:
    to_contact = message(ME, "Someone <x@elsewhere.example>", "Thanks", "Thank you",
                         cc="priya@acme.example", at="2026-11-20T13:00:00+11:00")
    s = suggest(to_contact)
    assert s is not None and s.application == "acme-planner"


def test_same_domain_matches_when_no_address_does() -> None:
    s = suggest(message("HR Team <hr@acme.example>", ME, "Re: hi", "Thanks"))
    assert s is not None and s.application == "acme-planner"
    assert "same domain as a contact" in s.reason


def test_public_mail_provider_domain_never_matches_by_domain() -> None:
    assert suggest(corpus.NEWSLETTER) is None
    assert suggest(corpus.OTHER_RECRUITER) is None
    assert "gmail.com" in PUBLIC_MAIL_PROVIDERS and "proton.me" in PUBLIC_MAIL_PROVIDERS


def test_a_contact_at_a_public_provider_matches_by_exact_address() -> None:
    s = suggest(message("Sam <sam.recruits@gmail.com>", ME, "Re: role", "Talk soon"))
    assert s is not None and s.application == "globex-analyst"


def test_an_address_named_only_in_the_subject_or_a_lookalike_domain_does_not_match() -> None:
    assert suggest(corpus.LOOKALIKE) is None


def test_several_applications_the_latest_interview_started_before_the_message_wins() -> None:
    # both Initech applications share the domain; initech-lead was interviewed on 24 Nov
    after_both = message("ceo@initech.example", ME, "Re: hi", "Hello", at="2026-11-25T09:00:00+11:00")
    between = message("ceo@initech.example", ME, "Re: hi", "Hello", at="2026-11-20T09:00:00+11:00")
    assert suggest(after_both).application == "initech-lead"
    assert suggest(between).application == "initech-dev"


def test_several_applications_and_no_interview_before_the_message_is_not_matched() -> None:
    before_all = message("ceo@initech.example", ME, "Hi", "Hello", at="2026-11-01T09:00:00+11:00")
    assert suggest(before_all) is None


def test_an_exact_address_beats_a_domain_match_of_another_application() -> None:
    # bill is initech-dev's contact: rule (1) holds, so rule (2) is never asked
    s = suggest(message("bill@initech.example", ME, "Re: hi", "Hello", at="2026-11-25T09:00:00+11:00"))
    assert s.application == "initech-dev"


def test_interview_is_the_latest_that_started_at_or_before_the_message() -> None:
    app = ACME.replace(interviews=ACME.interviews + (
        Interview(id="acme-planner-2", starts_at="2026-11-27T10:00:00+11:00"),))
    early = suggest(message(PRIYA, ME, "Re", "Hi", at="2026-11-25T09:00:00+11:00"), [app])
    late = suggest(message(PRIYA, ME, "Re", "Hi", at="2026-11-28T09:00:00+11:00"), [app])
    none = suggest(message(PRIYA, ME, "Re", "Hi", at="2026-11-01T09:00:00+11:00"), [app])
    assert (early.interview, late.interview, none.interview) == (
        "acme-planner-1", "acme-planner-2", None)


# --- classification ---------------------------------------------------------------------


def test_sent_after_the_interview_before_its_thank_you_is_a_thank_you_at_its_date() -> None:
    s = suggest(message(ME, PRIYA, "Thank you", "Thank you for today.", at="2026-11-20T13:00:00+11:00"))
    assert (s.type, s.interview, s.at) == ("thank_you_sent", "acme-planner-1", "2026-11-20T13:00:00+11:00")


def test_sent_before_the_interview_ended_is_no_suggestion() -> None:
    assert suggest(message(ME, PRIYA, "See you", "See you soon", at="2026-11-20T10:30:00+11:00")) is None


def test_sent_after_the_thank_you_was_done_is_no_suggestion() -> None:
    thanked = ACME.replace(events=(
        Event(at="2026-11-20T15:00:00+11:00", type=EventType.THANK_YOU_SENT),))
    later = message(ME, PRIYA, "One more thing", "Also...", at="2026-11-21T09:00:00+11:00")
    assert suggest(later, [thanked]) is None
    skipped = ACME.replace(events=(Event(at="2026-11-20T15:00:00+11:00", type=EventType.SKIPPED,
                                         kind="thank_you"),))
    assert suggest(later, [skipped]) is None
    # a thank-you already suggested by this scan or a pending one counts as done too
    assert suggest(later, [ACME], thanked={"acme-planner-1"}) is None


def test_the_users_own_automatic_reply_is_not_a_thank_you() -> None:
    away = message(ME, PRIYA, "Automatic reply: Next steps", "I am away until 3 December.",
                   headers={"Auto-Submitted": "auto-replied"}, at="2026-11-20T13:00:00+11:00")
    assert suggest(away) is None


def test_sent_mail_never_suggests_employer_contact() -> None:
    thanked = ACME.replace(events=(
        Event(at="2026-11-20T15:00:00+11:00", type=EventType.THANK_YOU_SENT),))
    mine = message(ME, PRIYA, "Re: offer", "Unfortunately I have decided not to move forward.",
                   at="2026-11-25T09:00:00+11:00")
    assert suggest(mine, [thanked]) is None
    # the same words from the employer are a rejection
    theirs = message(PRIYA, ME, "Re: offer", "Unfortunately I have decided not to move forward.",
                     at="2026-11-25T09:00:00+11:00")
    assert suggest(theirs, [thanked]).type == "rejected"


@pytest.mark.parametrize(
    ("raw", "marker", "until"),
    [
        (corpus.OUTLOOK_EN, "Auto-Submitted: auto-generated", "2026-12-07"),
        (corpus.OUTLOOK_FR, "Auto-Submitted: auto-generated", "2026-12-07"),
        (corpus.OUTLOOK_DE, "Auto-Submitted: auto-generated", "2026-12-07"),
        (corpus.GMAIL_ES, "Auto-Submitted: auto-replied", "2026-12-07"),
        (corpus.X_AUTOREPLY, "X-Autoreply: yes", "2027-01-03"),
        (corpus.PRECEDENCE_AUTO, "Precedence: auto_reply", "2026-12-09"),
        (corpus.SUBJECT_ONLY_AUTO, 'subject starts "Out of Office"', None),
    ],
)
def test_automatic_replies_are_out_of_office_with_their_return_date(raw, marker, until) -> None:
    s = suggest(raw)
    assert s.type == "out_of_office"
    assert s.until == until
    assert f"automatic reply ({marker})" in s.reason
    if until == "2026-12-07":
        assert s.reason.endswith("back on Mon 7 Dec 2026")


@pytest.mark.parametrize("subject", ["Automatic reply: x", "Auto: x", "Out of office: x",
                                     "Autoreply: x", "AUTOMATIC REPLY x"])
def test_automatic_reply_subjects(subject: str) -> None:
    assert suggest(message(PRIYA, ME, subject, "We are pleased to offer you")).type == "out_of_office"


def test_auto_submitted_no_and_suppress_headers_are_not_automatic_replies() -> None:
    assert suggest(corpus.SUPPRESS_ONLY).type == "reply_received"


def test_an_automatic_reply_wins_over_offer_wording() -> None:
    raw = message(PRIYA, ME, "Re: x", "We are pleased to offer you our apologies: away.",
                  headers={"Auto-Submitted": "auto-replied"})
    assert suggest(raw).type == "out_of_office"


def test_a_calendar_part_is_an_invitation_with_its_bytes_kept() -> None:
    s = suggest(corpus.INVITATION)
    assert s.type == "invitation"
    assert s.calendar is not None and b"UID:second-round@acme.example" in s.calendar


@pytest.mark.parametrize("body", corpus.OFFERS)
def test_offer_wording(body: str) -> None:
    s = suggest(message(PRIYA, ME, "News", body))
    assert s.type == "offer", s.reason
    assert "wording of an offer" in s.reason


@pytest.mark.parametrize("body", corpus.REJECTIONS)
def test_rejection_wording(body: str) -> None:
    s = suggest(message(PRIYA, ME, "News", body))
    assert s.type == "rejected", s.reason
    assert "wording of a rejection" in s.reason


def test_otherwise_a_reply() -> None:
    s = suggest(message(PRIYA, ME, "Re: hi", "Thanks, we'll be in touch."))
    assert s.type == "reply_received" and s.reason.endswith("a reply")


def test_a_rejection_quoted_in_a_later_reply_does_not_count() -> None:
    assert suggest(corpus.THREAD_QUOTING_REJECTION).type == "reply_received"


def test_a_forwarded_rejection_does_not_count() -> None:
    assert suggest(corpus.FORWARDED_REJECTION).type == "reply_received"


def test_html_only_bodies_are_read_as_text_without_scripts_or_quotes() -> None:
    s = suggest(corpus.HTML_ONLY_OFFER)
    assert s.type == "offer"
    assert "<" not in s.excerpt and "regret" not in s.body


def test_unknown_charsets_and_quoted_printable_are_read() -> None:
    assert suggest(corpus.UNKNOWN_CHARSET).type == "offer"
    assert suggest(corpus.QP_SOFT_BREAKS).type == "rejected"
    assert suggest(corpus.ENCODED_WORDS).subject == "Re: Téléphone"


def test_excerpt_is_the_first_lines_of_the_new_text() -> None:
    s = suggest(corpus.THREAD_QUOTING_REJECTION)
    assert s.excerpt.startswith("Hi Alex,\nThanks for your note.")
    assert "Unfortunately" not in s.excerpt


def test_new_text_drops_quoted_lines() -> None:
    text = "Sounds good.\n\nOn Mon, 1 Dec 2026, Priya wrote:\n> we regret to inform you\n"
    assert new_text(text) == "Sounds good."


# --- return dates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I am back on Monday 7 December.", date(2026, 12, 7)),
        ("Je serai de retour le 7 décembre.", date(2026, 12, 7)),
        ("Ich bin ab dem 07.12. wieder erreichbar.", date(2026, 12, 7)),
        ("Estaré de vuelta el 7 de diciembre.", date(2026, 12, 7)),
        ("Out of the office until December 4th, 2027.", date(2027, 12, 4)),
        ("Returning on 5 Jan.", date(2027, 1, 5)),  # next occurrence: after the message
        ("Bis zum 4. Dezember bin ich nicht im Büro.", date(2026, 12, 4)),
        ("Absente jusqu'au 02/12.", date(2026, 12, 2)),
        ("Back on 31 February.", None),
        ("I am travelling with limited access.", None),
    ],
)
def test_return_dates_in_four_languages(text: str, expected: date | None) -> None:
    assert return_date(text, date(2026, 11, 30)) == expected


def test_contacts_without_email_are_ignored() -> None:
    app = Application(id="x", company="X", role="Y", contacts=(Contact(name="No mail"),))
    assert Matcher([app], [ME], RULES.tz).match("a@b.example", [], corpus.when(
        "2026-11-25T09:00:00+11:00")) is None


OUTLOOK_HTML_REPLY = message(
    PRIYA, ME, "RE: Candidate update",
    html='<html><body><div>Thanks Alex, we will call you on Monday.</div><div>Priya</div>'
    '<hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg" dir="ltr">'
    '<font face="Calibri"><b>From:</b> HR &lt;hr@acme.example&gt;<br><b>Sent:</b> Monday, '
    "23 November 2026 10:00<br><b>To:</b> Priya Shah<br><b>Subject:</b> Candidate update"
    "</font><div>&nbsp;</div></div><div>Unfortunately we have decided not to move forward "
    "with the other candidate.</div></body></html>",
)


def test_an_outlook_html_reply_is_read_without_the_message_below_it() -> None:
    s = suggest(OUTLOOK_HTML_REPLY)
    assert s.type == "reply_received"
    assert s.excerpt == "Thanks Alex, we will call you on Monday.\nPriya"


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Ok, see you then.\n\n________________________________\nFrom: HR <hr@acme.example>\n"
         "Sent: Monday, 23 November 2026 10:00\nTo: Alex\nSubject: update\n\n"
         "We regret to inform you that we have decided to pursue other candidates.",
         "Ok, see you then."),
        ("Bien reçu.\n\nLe lun. 23 nov. 2026 à 10:00, Priya <priya@acme.example> a écrit :\n"
         "Nous regrettons de vous informer", "Bien reçu."),
        ("Danke.\n\nAm Mo., 23. Nov. 2026 um 10:00 Uhr schrieb Priya <priya@acme.example>:\n"
         "Leider müssen wir Ihnen absagen", "Danke."),
    ],
)
def test_quoted_history_in_outlook_french_and_german_layouts_is_left_out(text, kept) -> None:
    assert new_text(text) == kept
