"""Which application a message or an invitation belongs to (SPEC §6, matching rule).

Shared by the calendar invitations and, later, the mail scan: both hold the
other party's addresses and ask which application they concern.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, tzinfo

from followup_tui.domain.model import Application
from followup_tui.domain.rules import parse_moment

#: Mail providers anyone can have an address at: sharing one says nothing about
#: the employer, so their domain never matches an application (rule 2).
PUBLIC_PROVIDERS = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk",
        "live.com", "msn.com", "yahoo.com", "yahoo.co.uk", "ymail.com", "icloud.com",
        "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "pm.me",
        "gmx.com", "gmx.net", "gmx.de", "web.de", "mail.com", "zoho.com",
        "fastmail.com", "yandex.com", "yandex.ru", "qq.com", "163.com",
        "bigpond.com", "optusnet.com.au",
    }
)


def normal_address(address: str) -> str:
    """An address as compared: no `mailto:`, no spaces or angle brackets, lower case."""
    text = address.strip()
    if text[:7].lower() == "mailto:":
        text = text[7:]
    return text.strip().strip("<>").strip().lower()


def address_domain(address: str) -> str:
    """The domain of an address ('' when it has none)."""
    _, at, domain = normal_address(address).rpartition("@")
    return domain if at else ""


def is_public_domain(domain: str) -> bool:
    """True for a public mail provider's domain (see PUBLIC_PROVIDERS)."""
    return domain.lower() in PUBLIC_PROVIDERS


def match_application(
    addresses: Iterable[str],
    applications: Sequence[Application],
    *,
    at: datetime | None = None,
    tz: tzinfo | None = None,
) -> Application | None:
    """The application the other party's `addresses` concern, or None (SPEC §6).

    First rule that holds: (1) an address equals a contact email of the
    application; (2) its domain equals a contact email's domain and is not a
    public provider's. Several applications match by the same rule: the one
    whose latest interview started at or before `at` (given with `tz`, the
    zone of times without an offset); still a tie, or no `at`: the first.
    """
    wanted = {normal_address(address) for address in addresses} - {""}
    if not wanted:
        return None
    domains = {address_domain(address) for address in wanted}
    domains = {domain for domain in domains if domain and not is_public_domain(domain)}
    for rule in (1, 2):
        found = []
        for app in applications:
            emails = {normal_address(contact.email) for contact in app.contacts} - {""}
            if rule == 1:
                hit = bool(emails & wanted)
            else:
                hit = bool({address_domain(email) for email in emails} & domains)
            if hit:
                found.append(app)
        if found:
            return found[0] if len(found) == 1 else _latest_before(found, at, tz)
    return None


def _latest_before(
    found: list[Application], at: datetime | None, tz: tzinfo | None
) -> Application:
    """Among matching applications, the one whose latest interview started by `at`."""
    if at is None or tz is None:
        return found[0]
    best: tuple[datetime, int] | None = None
    chosen = found[0]
    for index, app in enumerate(found):
        starts = []
        for interview in app.interviews:
            try:
                start = parse_moment(interview.starts_at, tz)
            except ValueError:
                continue
            if start <= at:
                starts.append(start)
        if starts:
            key = (max(starts), -index)
            if best is None or key > best:
                best, chosen = key, app
    return chosen
