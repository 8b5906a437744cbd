"""What a draft is made of: the template context, and a rendered draft's parts.

Pure: the context is built from an Application, one of its Interviews, the
user's name and signature, `rules` and `now`. Templates only ever see plain
strings and lists of strings (never domain objects), which keeps the sandbox's
surface small.

A rendered draft is text whose first line may be `Subject: ...`; the body
starts after it (and the blank line that follows). `split_draft` is the one
place that reads that convention, for the `draft` and `check` commands and the
compose screen alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from followup_tui.domain.model import Application, Contact, Interview, Kind, Rules
from followup_tui.domain.rules import format_day, interview_start, parse_local_date

#: Words in a recorded name that are a title, not a name to greet someone by.
HONORIFICS = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "madam", "dame"}
)

_SUBJECT = re.compile(r"\A[ \t]*subject[ \t]*:[ \t]*(?P<subject>[^\n]*)\n?", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Draft:
    """A draft as the user will send it: a subject line and a body."""

    subject: str
    body: str

    def as_text(self) -> str:
        """The form `draft` prints and `check` reads back: `Subject:` line, blank line, body."""
        body = self.body.rstrip("\n")
        if not self.subject:
            return body + "\n"
        return f"Subject: {self.subject}\n\n{body}\n"


def split_draft(text: str) -> Draft:
    """Split text into an optional leading `Subject:` line and the body after it."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    match = _SUBJECT.match(text)
    if not match:
        return Draft("", text.strip("\n"))
    return Draft(match.group("subject").strip(), text[match.end() :].strip("\n"))


def name_words(name: str) -> list[str]:
    """A recorded name split into words, without a trailing full stop on titles."""
    return [word.rstrip(".") for word in name.split() if word.rstrip(".")]


def greeting_name(name: str) -> str:
    """How to greet someone whose recorded name is `name`.

    The first name for "Priya Shah"; the name as recorded when it carries a
    title ("Dr Shah") or is a single word ("李小龙").
    """
    words = name.split()
    if not words:
        return ""
    if any(word.rstrip(".").casefold() in HONORIFICS for word in words):
        return " ".join(words)
    return words[0]


def join_names(names: list[str]) -> str:
    """'Priya', 'Priya and Tom', 'Priya, Tom and Ana'."""
    names = [name for name in names if name]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def relative_day(day: date, today: date) -> str:
    """'today', 'yesterday', 'on Monday' within the week, else 'on Fri 20 Nov'."""
    days = (today - day).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if 1 < days < 7:
        return f"on {day:%A}"
    return f"on {format_day(day, today)}"


def _titled(name: str, contact: Contact | None) -> str:
    """'Priya Shah (Manager)': a person with their own title, when one is recorded."""
    title = contact.title.strip() if contact is not None else ""
    return f"{name} ({title})" if title else name


def _contact_for(application: Application, name: str) -> Contact | None:
    found = application.contact(name)
    if found is not None:
        return found
    folded = name.casefold().strip()
    for contact in application.contacts:
        if contact.name.casefold().strip() == folded:
            return contact
    return None


def recipients(application: Application, interview: Interview) -> list[str]:
    """The email addresses of the interview's interviewers, from the application's contacts.

    When no interviewer has an address, the application's other contacts with
    one (a recruiter, say) are the best the user has.
    """
    emails = []
    for name in interview.interviewers:
        contact = _contact_for(application, name)
        if contact is not None and contact.email and contact.email not in emails:
            emails.append(contact.email)
    if not emails:
        emails = [c.email for c in application.contacts if c.email]
    return emails


def draft_context(
    application: Application,
    interview: Interview,
    kind: Kind,
    *,
    now: datetime,
    rules: Rules,
    name: str = "",
    signature: str = "",
) -> dict[str, object]:
    """Everything a template may use, as plain strings and lists of strings.

    Keys (documented for people who write their own templates):
    `kind`, `company`, `role`, `round`, `format`, `interview_date` ("Fri 20 Nov"),
    `interview_when` ("today", "yesterday", "on Friday", "on Fri 20 Nov"),
    `interviewer` (first interviewer's full name), `interviewers` (list),
    `interviewers_text` ("Priya Shah and Tom Lee"), `greeting` ("Priya and Tom"),
    `interviewer_title`, `interviewer_email`, `interviewer_phone`,
    `interviewers_titled` ("Priya Shah (Manager) and Tom Lee (Head of Data)": each
    person with their own title),
    `topic` (the first topic), `topics` (list), `fit_point`, `fit_points` (list),
    `decision_by` ("Fri 27 Nov", or ""), `name`, `signature`, `sign_off_name`
    (the signature, else the name).
    """
    tz = rules.tz
    today = now.astimezone(tz).date()
    interviewers = [n.strip() for n in interview.interviewers if n.strip()]
    first = _contact_for(application, interviewers[0]) if interviewers else None
    # With no interviewer recorded, the application's first contact is who to ask for.
    who = first or (application.contacts[0] if application.contacts else None)
    try:
        held_on = interview_start(interview, tz).astimezone(tz).date()
    except ValueError:
        held_on = None
    day = format_day(held_on, today) if held_on else ""
    decision = ""
    if interview.decision_by:
        try:
            decision = format_day(parse_local_date(interview.decision_by, tz), today)
        except ValueError:
            decision = interview.decision_by
    topics = [t.strip() for t in interview.topics if t.strip()]
    fit_points = [f.strip() for f in interview.fit_points if f.strip()]
    people = [_titled(n, _contact_for(application, n)) for n in interviewers]
    if not people and who is not None:
        people = [_titled(who.name, who)]
    return {
        "kind": kind.value,
        "company": application.company,
        "role": application.role,
        "round": interview.round,
        "format": interview.format or "",
        "interview_date": day,
        "interview_when": relative_day(held_on, today) if held_on else "",
        "interviewer": interviewers[0] if interviewers else "",
        "interviewers": interviewers,
        "interviewers_text": join_names(interviewers),
        "greeting": join_names([greeting_name(n) for n in interviewers]),
        "contact_name": who.name if who else "",
        "interviewer_title": who.title if who else "",
        "interviewer_email": who.email if who else "",
        "interviewer_phone": who.phone if who else "",
        "interviewers_titled": join_names(people),
        "topic": topics[0] if topics else "",
        "topics": topics,
        "fit_point": fit_points[0] if fit_points else "",
        "fit_points": fit_points,
        "decision_by": decision,
        "name": name,
        "signature": signature,
        "sign_off_name": signature.strip("\n") or name,
    }
