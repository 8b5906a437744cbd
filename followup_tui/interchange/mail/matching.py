"""Which application a message is about (SPEC §6), and which interview.

First that holds: an address of the other party equals a contact email of the
application (case-insensitive); else its domain equals the domain of a contact
email and is not a public mail provider. Several applications → the one whose
latest interview started at or before the message; none → not matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from followup_tui.domain.model import Application, Interview
from followup_tui.domain.rules import interview_start

#: Domains anyone can have an address at: sharing one says nothing about an employer.
PUBLIC_MAIL_PROVIDERS = frozenset(
    """
    gmail.com googlemail.com outlook.com hotmail.com hotmail.co.uk hotmail.fr live.com
    live.fr msn.com yahoo.com yahoo.co.uk yahoo.fr yahoo.de ymail.com icloud.com me.com
    mac.com aol.com proton.me protonmail.com protonmail.ch pm.me gmx.com gmx.net gmx.de
    web.de t-online.de orange.fr free.fr laposte.net wanadoo.fr mail.com zoho.com
    yandex.com yandex.ru mail.ru fastmail.com fastmail.fm hey.com tutanota.com tuta.io
    qq.com 163.com 126.com bigpond.com optusnet.com.au
    """.split()  # noqa: SIM905 - a list of words reads better as words
)


_ADDRESS_LIKE = re.compile(rb"[\w.+'=/-]+@[\w-]+(?:\.[\w-]+)+")


def domain_of(address: str) -> str:
    return address.rpartition("@")[2].lower()


@dataclass(frozen=True, slots=True)
class Match:
    """A message's application, how it matched, and its interview (or None)."""

    application: Application
    address: str  # the other party's address that matched
    by_domain: bool
    interview: Interview | None


class Matcher:
    """Matches addresses against the contacts of a fixed list of applications."""

    def __init__(self, applications: Sequence[Application], me: Iterable[str], tz: tzinfo):
        self.tz = tz
        self.me = frozenset(address.strip().lower() for address in me)
        self.by_address: dict[str, list[Application]] = {}
        self.by_domain: dict[str, list[Application]] = {}
        for app in applications:
            for contact in app.contacts:
                email = contact.email.strip().lower()
                if "@" not in email:
                    continue
                self.by_address.setdefault(email, []).append(app)
                domain = domain_of(email)
                if domain not in PUBLIC_MAIL_PROVIDERS:
                    self.by_domain.setdefault(domain, []).append(app)
        self._addresses = frozenset(a.encode() for a in self.by_address)
        self._domains = frozenset(d.encode() for d in self.by_domain)

    def may_match(self, raw_headers: bytes) -> bool:
        """False only when the header block cannot match any application.

        A cheap first look at the raw bytes, so 98 messages in 100 are never parsed:
        every address-like word is looked up in the contacts' addresses and domains.
        """
        for found in _ADDRESS_LIKE.finditer(raw_headers):
            address = found.group().lower()
            if address in self._addresses or address.rpartition(b"@")[2] in self._domains:
                return True
        return False

    def is_me(self, address: str) -> bool:
        return address in self.me

    def match(self, sender: str, recipients: Sequence[str], at: datetime) -> Match | None:
        """The application the other party of a message belongs to, or None."""
        others = [a for a in recipients if a not in self.me] if self.is_me(sender) else [sender]
        for by_domain in (False, True):
            found: dict[str, tuple[Application, str]] = {}
            for address in others:
                key = domain_of(address) if by_domain else address
                table = self.by_domain if by_domain else self.by_address
                for app in table.get(key, ()):
                    found.setdefault(app.id, (app, address))
            if found:
                return self._choose(list(found.values()), at, by_domain)
        return None

    def _choose(
        self, found: list[tuple[Application, str]], at: datetime, by_domain: bool
    ) -> Match | None:
        if len(found) == 1:
            app, address = found[0]
            return Match(app, address, by_domain, latest_interview(app, at, self.tz))
        ranked = []
        for app, address in found:
            interview = latest_interview(app, at, self.tz)
            if interview is not None:
                start = interview_start(interview, self.tz)
                ranked.append((start, app.id, app, address, interview))
        if not ranked:
            return None  # several applications and nothing to tell them apart
        # the latest start wins; at the same moment, the greater id (as §2.1 does)
        _start, _id, app, address, interview = max(ranked, key=lambda row: (row[0], row[1]))
        return Match(app, address, by_domain, interview)


def latest_interview(app: Application, at: datetime, tz: tzinfo) -> Interview | None:
    """The application's latest interview that started at or before `at`."""
    best: tuple[datetime, str, Interview] | None = None
    for interview in app.interviews:
        start = interview_start(interview, tz)
        if start <= at and (best is None or (start, interview.id) > best[:2]):
            best = (start, interview.id, interview)
    return best[2] if best else None
