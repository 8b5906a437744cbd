"""The SPEC §6 matching rule on an invitation's addresses."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from followup_tui.domain.model import Application, Contact, Interview
from followup_tui.interchange.invitations.matching import (
    PUBLIC_PROVIDERS,
    address_domain,
    match_application,
    normal_address,
)

SYDNEY = ZoneInfo("Australia/Sydney")


def app(app_id: str, *emails: str, interviews: tuple[str, ...] = ()) -> Application:
    return Application(
        app_id, app_id.title(), "Role",
        contacts=tuple(Contact(f"Person {n}", email=email) for n, email in enumerate(emails)),
        interviews=tuple(Interview(f"{app_id}-{n}", start) for n, start in enumerate(interviews)),
    )


def test_addresses_are_compared_without_mailto_case_or_brackets() -> None:
    assert normal_address(" MAILTO:<Priya.Shah@Acme.Example> ") == "priya.shah@acme.example"
    assert address_domain("mailto:priya@Acme.Example") == "acme.example"
    assert address_domain("not an address") == ""


def test_an_exact_address_beats_a_domain_match_in_another_application() -> None:
    by_domain = app("domain", "hr@acme.example")
    exact = app("exact", "priya@acme.example")
    assert match_application(["Priya@ACME.example"], [by_domain, exact]) is exact


def test_the_same_non_public_domain_matches() -> None:
    acme = app("acme", "hr@acme.example")
    assert match_application(["mailto:someone.new@acme.example"], [acme]) is acme


@pytest.mark.parametrize("provider", ["gmail.com", "outlook.com", "proton.me", "gmx.net"])
def test_a_public_providers_domain_does_not_match(provider: str) -> None:
    assert provider in PUBLIC_PROVIDERS
    friend = app("friend", f"friend@{provider}")
    assert match_application([f"stranger@{provider}"], [friend]) is None
    assert match_application([f"FRIEND@{provider}"], [friend]) is friend  # the address itself does


def test_nothing_to_match_on() -> None:
    assert match_application([], [app("a", "x@a.example")]) is None
    assert match_application(["", "mailto:"], [app("a", "x@a.example")]) is None
    assert match_application(["x@a.example"], [app("a")]) is None  # a contact without an email


def test_several_matches_the_latest_interview_at_or_before_wins() -> None:
    at = datetime(2026, 11, 20, 10, 0, tzinfo=SYDNEY)
    early = app("early", "hr@acme.example", interviews=("2026-10-01T10:00:00+10:00",))
    recent = app("recent", "hr@acme.example",
                 interviews=("2026-09-01T10:00", "2026-11-20T10:00:00+11:00"))  # at == start
    future = app("future", "hr@acme.example", interviews=("2026-12-01T10:00:00+11:00",))
    apps = [early, future, recent]
    assert match_application(["x@acme.example"], apps, at=at, tz=SYDNEY) is recent
    # no moment: the first that matches
    assert match_application(["x@acme.example"], apps) is early


def test_several_matches_none_interviewed_yet_the_first() -> None:
    one, two = app("one", "hr@acme.example"), app("two", "hr@acme.example")
    at = datetime(2026, 11, 20, 10, 0, tzinfo=SYDNEY)
    assert match_application(["x@acme.example"], [one, two], at=at, tz=SYDNEY) is one
