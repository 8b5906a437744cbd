"""Damaged invitations: a plan or a UserError, never a traceback, never half a plan."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from followup_tui.domain.model import Application, Contact
from followup_tui.errors import UserError
from followup_tui.interchange.invitations import plan_invitations
from tests.support import invitations as corpus

SYDNEY = ZoneInfo("Australia/Sydney")
APPS = [
    Application("harbour", "Harbour Bank", "Analyst",
                contacts=(Contact("HR", email="careers@harbourbank.example"),)),
    Application("acme", "Acme", "Planner",
                contacts=(Contact("Priya", email="priya.shah@acme-council.example"),)),
]
SOURCES = [corpus.google(), corpus.outlook(), corpus.teams(), corpus.zoom(), corpus.booking(),
           corpus.outlook(tzid="Customized Time Zone"), corpus.google_export()]
#: Pieces that damage a calendar in the ways files get damaged.
NOISE = [b"", b"\r\n", b"\r\n ", b":", b";", b"=", b'"', b"\\", b"BEGIN:VEVENT\r\n",
         b"END:VEVENT\r\n", b"END:VCALENDAR\r\n", b"TZID=", b"\x00", b"\xff\xfe", b"\xe2\x80\xa8",
         b"T", b"Z", b"99999999T999999", b"DTSTART:", b"RRULE:FREQ=DAILY\r\n", b"-PT1H"]


@settings(max_examples=300, deadline=None)
@given(
    source=st.sampled_from(SOURCES),
    edits=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 40), st.sampled_from(NOISE)),
                   max_size=4),
)
def test_a_damaged_invitation_plans_or_is_refused_with_a_message(source, edits) -> None:
    data = source
    for where, cut, noise in edits:
        at = int(where * len(data))
        data = data[:at] + noise + data[at + cut:]
    try:
        plan = plan_invitations(data, APPS, tz=SYDNEY, me=[corpus.ME], company="Kite", role="Dev")
    except UserError as error:
        assert str(error).strip()
        return
    for line in plan.describe():
        assert line.strip()
    for app in plan.apply(APPS):
        for interview in app.interviews:
            assert len(interview.notes) <= 20000 and interview.uid
            assert interview.starts_at[10] == "T" and interview.starts_at[-6] in "+-"
