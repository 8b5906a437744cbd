"""What a matched message suggests (SPEC §6), first that holds, with its reason."""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from datetime import datetime

from followup_tui.domain.model import Application, Kind, Rules, State
from followup_tui.domain.rules import follow_ups, interview_end
from followup_tui.interchange.mail.matching import Match
from followup_tui.interchange.mail.message import MailFacts
from followup_tui.interchange.mail.returns import return_date

# Suggestion types, as the event types they become (plain strings: see the package doc).
THANK_YOU_SENT = "thank_you_sent"
OUT_OF_OFFICE = "out_of_office"
INVITATION = "invitation"
OFFER = "offer"
REJECTED = "rejected"
REPLY_RECEIVED = "reply_received"
SUGGESTION_TYPES = (THANK_YOU_SENT, OUT_OF_OFFICE, INVITATION, OFFER, REJECTED, REPLY_RECEIVED)


def _phrases(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


# Read in the new text only, with runs of white space made one space.
_OFFER = _phrases(
    r"(?:pleased|delighted|happy|thrilled|excited|glad) to (?:formally )?offer you",
    r"(?:would like|want|wish) to (?:formally )?offer you",
    r"(?:extend|make|making|extending) (?:you )?(?:a|an|our) (?:formal |verbal |written )?offer",
    r"offer (?:you )?the (?:position|role|job)",
    r"(?:your|an|the|a|our) (?:formal |written )?(?:job )?offer (?:letter|of employment)",
    r"offer of employment",
    r"attached (?:is|please find) (?:your|the) offer",
    r"vous proposer le poste|une proposition d'embauche|offre d'emploi",
    r"ihnen (?:die stelle|ein angebot|einen arbeitsvertrag) an(?:zu)?bieten",
    r"freuen uns, ihnen .{0,40}anzubieten",
    r"ofrecerle el puesto|oferta de (?:empleo|trabajo)",
)
# An offer phrase right after one of these is a refusal ("unable to offer you the role").
_NEGATION = re.compile(
    r"(?:\bnot|\bunable to|\bcannot|can't|can not|won't|n't|\bno longer)\s+(?:\w+\s+){0,3}$",
    re.IGNORECASE,
)
_REJECTION = _phrases(
    r"not (?:to )?(?:be )?(?:move|moving) forward",
    r"won't be moving forward|will not be moving forward",
    r"(?:decided|chosen|elected) to (?:pursue|proceed with|move forward with|go with|progress) "
    r"(?:other|another|a different) (?:candidate|applicant)",
    r"(?:pursue|pursuing|proceed with|proceeding with) other (?:candidates|applicants)",
    r"(?:not|won't|will not) be (?:progressing|proceeding with|taking forward) your application",
    r"not to (?:progress|proceed with) your application",
    r"(?:have|has|were|was) not (?:been )?successful",
    r"regret to (?:inform|let you know|advise)",
    r"(?:unable|not able|cannot|can't) to (?:offer|extend)",
    r"position has (?:now )?been filled|role has (?:now )?been filled",
    r"candidates? whose (?:experience|skills|background|profile)s? "
    r"(?:more closely|better|is a closer)",
    r"not (?:the right|a) (?:fit|match) (?:at this time|for this role)",
    r"nous ne (?:pouvons|pourrons) pas donner une suite favorable|pas été retenue?",
    r"leider (?:mitteilen|absagen)|nicht (?:weiter )?berücksichtigen|absage",
    r"lamentamos (?:informarle|comunicarle)|no (?:ha sido|has sido) seleccionad[oa]",
)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One fact a matched message suggests; the user accepts or dismisses it."""

    message_id: str
    application: str
    interview: str | None
    type: str  # one of SUGGESTION_TYPES
    at: str  # ISO-8601 with the message's own offset
    until: str | None  # out_of_office: the stated return date (ISO date)
    sender: str
    subject: str
    reason: str
    excerpt: str
    body: str
    calendar: bytes | None = None
    source: str = ""


def _offer_phrase(text: str) -> str | None:
    for match in _OFFER.finditer(text):
        if not _NEGATION.search(text[max(0, match.start() - 40) : match.start()]):
            return match.group()
    return None


def _thank_you_interview(
    app: Application, at: datetime, rules: Rules, already: Container[str]
) -> str | None:
    """The interview whose thank-you a message the user sent at `at` would be: the
    latest that ended by then and whose thank-you is not done (nor suggested)."""
    open_ids = {
        f.interview_id
        for f in follow_ups(app, at, rules)
        if f.kind is Kind.THANK_YOU and f.state is not State.DONE
    }
    best: tuple[datetime, str] | None = None
    for interview in app.interviews:
        if interview.id not in open_ids or interview.id in already:
            continue
        end = interview_end(interview, rules.tz)
        if end <= at and (best is None or (end, interview.id) > best):
            best = (end, interview.id)
    return best[1] if best else None


def classify(
    facts: MailFacts,
    match: Match,
    *,
    from_me: bool,
    rules: Rules,
    thank_you_suggested: Container[str] = (),
) -> Suggestion | None:
    """The suggestion a matched message makes, or None (mail the user sent that is not
    a thank-you: the user's own word is not the employer's contact)."""
    assert facts.date is not None
    app = match.application
    interview = match.interview.id if match.interview else None
    how = "same domain as a contact" if match.by_domain else "a contact"
    party = "to" if from_me else "from"
    reasons = [f"{party} {match.address}, {how} of {app.company} — {app.role}"]
    until: str | None = None
    text = " ".join(facts.new_text.split())
    if from_me:
        if facts.auto_reply:
            return None  # the user's own away message answering the employer
        thanked = _thank_you_interview(app, facts.date, rules, thank_you_suggested)
        if thanked is None:
            return None
        kind, interview = THANK_YOU_SENT, thanked
        reasons.append("sent by you after the interview, before its thank-you was done")
    elif facts.auto_reply:
        kind = OUT_OF_OFFICE
        reasons.append(f"automatic reply ({facts.auto_reply})")
        back = return_date(facts.new_text or facts.text, facts.date.date())
        if back is not None:
            until = back.isoformat()
            reasons.append(f"back on {back:%a} {back.day} {back:%b %Y}")
        else:
            reasons.append("no return date stated")
    elif facts.calendar is not None:
        kind = INVITATION
        reasons.append("carries a calendar invitation")
    elif (phrase := _offer_phrase(text)) is not None:
        kind = OFFER
        reasons.append(f'wording of an offer ("{phrase}")')
    elif (rejection := _REJECTION.search(text)) is not None:
        kind = REJECTED
        reasons.append(f'wording of a rejection ("{rejection.group()}")')
    else:
        kind = REPLY_RECEIVED
        reasons.append("a reply")
    return Suggestion(
        message_id=facts.message_id,
        application=app.id,
        interview=interview,
        type=kind,
        at=facts.date.isoformat(timespec="seconds"),
        until=until,
        sender=facts.sender,
        subject=facts.subject,
        reason="; ".join(reasons),
        excerpt=facts.excerpt,
        body=facts.text,
        calendar=facts.calendar,
    )
