"""Realistic mail for the mail tests, built as bytes the way mail programs write it.

Multipart, quoted-printable, base64, several charsets, threads that quote a
rejection, Outlook and Gmail automatic replies in four languages, offers and
rejections in varied wording, and newsletters and recruiters at public-mail
domains that must not match.
"""

from __future__ import annotations

import base64
import quopri
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from zoneinfo import ZoneInfo

from followup_tui.domain.model import Application, Contact, Interview, Rules

SYDNEY = ZoneInfo("Australia/Sydney")
RULES = Rules(tz=SYDNEY)
ME = "alex@example.com"

ACME = Application(
    id="acme-planner",
    company="Acme Shire Council",
    role="Senior Planner",
    contacts=(Contact(name="Priya Shah", email="Priya@Acme.example"),),
    interviews=(
        Interview(id="acme-planner-1", starts_at="2026-11-20T10:00:00+11:00", duration_minutes=60),
    ),
)
# A recruiter with a Gmail address: only that exact address may match.
GLOBEX = Application(
    id="globex-analyst",
    company="Globex",
    role="Analyst",
    contacts=(Contact(name="Sam Recruiter", email="sam.recruits@gmail.com"),),
    interviews=(Interview(id="globex-1", starts_at="2026-11-18T14:00:00+11:00"),),
)
# Two applications at one employer: the one interviewed last before the mail wins.
INITECH_A = Application(
    id="initech-dev",
    company="Initech",
    role="Developer",
    contacts=(Contact(name="Bill", email="bill@initech.example"),),
    interviews=(Interview(id="initech-dev-1", starts_at="2026-11-10T09:00:00+11:00"),),
)
INITECH_B = Application(
    id="initech-lead",
    company="Initech",
    role="Team Lead",
    contacts=(Contact(name="Joanna", email="joanna@initech.example"),),
    interviews=(Interview(id="initech-lead-1", starts_at="2026-11-24T09:00:00+11:00"),),
)
APPLICATIONS = [ACME, GLOBEX, INITECH_A, INITECH_B]



def when(text: str) -> datetime:
    return datetime.fromisoformat(text)


def message(
    sender: str,
    to: str,
    subject: str,
    body: str = "",
    *,
    at: str = "2026-11-25T09:30:00+11:00",
    html: str | None = None,
    charset: str = "utf-8",
    cte: str | None = None,
    headers: dict[str, str] | None = None,
    calendar: str | None = None,
    attachment: bytes | None = None,
    message_id: str | None = None,
    cc: str | None = None,
) -> bytes:
    """A message as bytes, built by the standard library as a mail program would."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = to
    if cc:
        mail["Cc"] = cc
    mail["Subject"] = subject
    mail["Date"] = format_datetime(when(at))
    mail["Message-ID"] = message_id or f"<{abs(hash((sender, subject, at, body)))}@mail.test>"
    for name, value in (headers or {}).items():
        mail[name] = value
    if html is not None and not body:
        mail.set_content(html, subtype="html", charset=charset, cte=cte)
    else:
        mail.set_content(body, charset=charset, cte=cte)
        if html is not None:
            mail.add_alternative(html, subtype="html", charset=charset, cte=cte)
    if calendar is not None:
        mail.add_attachment(
            calendar.encode(), maintype="text", subtype="calendar", filename="invite.ics",
            params={"method": "REQUEST"},
        )
    if attachment is not None:
        mail.add_attachment(attachment, maintype="application", subtype="pdf",
                            filename="brochure.pdf")
    return mail.as_bytes()


def raw_message(headers: str, body: bytes) -> bytes:
    """A message written by hand: for headers and encodings the library would fix."""
    return headers.replace("\n", "\r\n").encode("latin-1") + b"\r\n\r\n" + body


PRIYA = "Priya Shah <priya@acme.example>"

# --- replies with quoted history ------------------------------------------------

THREAD_QUOTING_REJECTION = message(
    PRIYA, ME, "Re: Senior Planner",
    "Hi Alex,\n\nThanks for your note. We're still interviewing and will be in touch next week.\n\n"
    "Priya\n\n"
    "On Fri, 20 Nov 2026 at 16:00, Alex <alex@example.com> wrote:\n"
    "> Priya forwarded me this earlier:\n"
    "> > Unfortunately we have decided not to move forward with other roles.\n"
    "> Thanks again for your time.\n",
)

FORWARDED_REJECTION = message(
    PRIYA, ME, "Fwd: update",
    "Alex, see below - this went to the wrong person, please ignore it, you're still in.\n\n"
    "---------- Forwarded message ---------\n"
    "From: HR <hr@acme.example>\nDate: Mon, 23 Nov 2026\nSubject: update\nTo: <someone@acme.example>\n\n"
    "We regret to inform you that we have decided to pursue other candidates.\n",
    at="2026-11-26T10:00:00+11:00",
)

# --- offers and rejections ---------------------------------------------------------

OFFERS = [
    "Dear Alex,\n\nWe are pleased to offer you the position of Senior Planner.",
    "Hi Alex - great news: we would like to offer you the role, starting in January.",
    "Alex, I'm delighted to extend an offer for the Senior Planner position. Details attached.",
    "Please find attached your offer of employment for the role.",
]
REJECTIONS = [
    "Dear Alex,\n\nUnfortunately, after careful consideration we have decided not to move "
    "forward with your application.",
    "Thank you for your time. We have decided to pursue other candidates whose experience "
    "more closely matches the role.",
    "We regret to inform you that your application was not successful on this occasion.",
    "Sadly we are unable to offer you the role at this time.",
    "The position has now been filled. We wish you the best in your search.",
]

# --- automatic replies ----------------------------------------------------------------

# Outlook / Exchange: Auto-Submitted: auto-generated with X-Auto-Response-Suppress, and a
# localised "Automatic reply:" subject.
OUTLOOK_EN = message(
    PRIYA, ME, "Automatic reply: Thank you",
    "Thank you for your email. I am out of the office and will be back on Monday 7 December. "
    "For urgent matters contact reception.",
    headers={"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"},
)
OUTLOOK_FR = message(
    PRIYA, ME, "Réponse automatique : Merci",
    "Bonjour, je suis absente du bureau. Je serai de retour le 7 décembre.",
    headers={"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"},
    charset="iso-8859-1", cte="quoted-printable",
)
OUTLOOK_DE = message(
    PRIYA, ME, "Automatische Antwort: Danke",
    "Vielen Dank für Ihre Nachricht. Ich bin ab dem 07.12. wieder erreichbar.",
    headers={"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"},
    charset="utf-8", cte="base64",
)
GMAIL_ES = message(
    PRIYA, ME, "Re: Gracias",
    "Hola, estoy de vacaciones. Estaré de vuelta el 7 de diciembre.",
    headers={"Auto-Submitted": "auto-replied"},
    charset="iso-8859-15", cte="quoted-printable",
)
# No Auto-Submitted at all: only the subject says it (older Outlook, some helpdesks).
SUBJECT_ONLY_AUTO = message(
    PRIYA, ME, "Out of Office: Thank you", "I'm away with limited access to email.",
)
X_AUTOREPLY = message(
    PRIYA, ME, "Re: Thank you", "Away until 3 January.", headers={"X-Autoreply": "yes"},
)
PRECEDENCE_AUTO = message(
    PRIYA, ME, "Re: Thank you", "Back on December 9th.",
    headers={"Precedence": "auto_reply"},
)
# X-Auto-Response-Suppress alone marks a message that asks not to be auto-answered,
# not an automatic reply.
SUPPRESS_ONLY = message(
    PRIYA, ME, "Re: Thank you", "Thanks Alex, talk soon.",
    headers={"X-Auto-Response-Suppress": "OOF, AutoReply", "Auto-Submitted": "no"},
)

# --- calendar ------------------------------------------------------------------------

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nMETHOD:REQUEST\r\n"
    "BEGIN:VEVENT\r\nUID:second-round@acme.example\r\nDTSTART:20261203T000000Z\r\n"
    "DTEND:20261203T010000Z\r\nSUMMARY:Second round\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
INVITATION = message(PRIYA, ME, "Invitation: Second round", "Please join us.", calendar=ICS)

# --- bodies that are hard to read -------------------------------------------------------

HTML_ONLY_OFFER = message(
    PRIYA, ME, "Good news",
    html="<html><head><style>p{color:red}</style><script>var x='regret to inform you';"
    "</script></head><body><p>Dear Alex,</p><p>We are <b>pleased to offer you</b> the "
    "position.</p><blockquote>Unfortunately we have decided not to move forward</blockquote>"
    "</body></html>",
)
UNKNOWN_CHARSET = raw_message(
    "From: Priya Shah <priya@acme.example>\nTo: alex@example.com\nSubject: Re: hello\n"
    "Date: Wed, 25 Nov 2026 09:30:00 +1100\nMessage-ID: <unknown-charset@acme.example>\n"
    "MIME-Version: 1.0\nContent-Type: text/plain; charset=x-no-such-charset\n"
    "Content-Transfer-Encoding: 8bit",
    "We would like to offer you the role. Caf\xe9.".encode("latin-1"),
)
ENCODED_WORDS = raw_message(
    "From: =?utf-8?q?Priya_=C5=A0ah?= <priya@acme.example>\nTo: alex@example.com\n"
    "Subject: =?utf-8?b?UmU6IFTDqWzDqXBob25l?=\nDate: Wed, 25 Nov 2026 09:30:00 +1100\n"
    "Message-ID: <encoded-words@acme.example>\nMIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64",
    base64.encodebytes("Merci, à bientôt !".encode()),
)
MALFORMED_HEADERS = raw_message(
    "From: Priya Shah <priya@acme.example\nTo: alex@example.com,,, <<>>\n"
    "Subject: =?bogus?x?abc?=\nDate: not a date at all\nMessage-ID: <malformed@acme.example>\n"
    "Content-Type: multipart/mixed; boundary=\"nope\"",
    b"no boundary ever comes. we regret to inform you that",
)
QP_SOFT_BREAKS = raw_message(
    "From: priya@acme.example\nTo: alex@example.com\nSubject: Decision\n"
    "Date: Thu, 26 Nov 2026 11:00:00 +1100\nMessage-ID: <qp@acme.example>\n"
    "MIME-Version: 1.0\nContent-Type: text/plain; charset=windows-1252\n"
    "Content-Transfer-Encoding: quoted-printable",
    quopri.encodestring(
        "Unfortunately we have decided not to move forward with your application \u2013 "
        "thank you.".encode("cp1252")
    ),
)
BIG_ATTACHMENT = message(
    PRIYA, ME, "Our brochure", "Here is the brochure we discussed. Talk soon.",
    attachment=b"%PDF-1.4\n" + b"\x00\xff" * (10 * 1024 * 1024),
)

# --- mail that must not match -------------------------------------------------------------

NEWSLETTER = message(
    "Jobs Weekly <news@gmail.com>", ME, "Top jobs this week",
    "We are pleased to offer you 20% off premium listings.",
)
OTHER_RECRUITER = message(
    "Kim <kim.recruiter@gmail.com>", ME, "A role for you",
    "Unfortunately the other role is gone, but here is a new one.",
)
LOOKALIKE = message(
    "Spam <offers@acme.example.net>", ME, "Hi from priya@acme.example",
    "We are pleased to offer you a free cruise.",
)
