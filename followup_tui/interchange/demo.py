"""Sample data for `--demo`, screenshots and snapshot tests.

Generated relative to `now` so that every state the rules know (overdue, due,
waiting, suppressed by a hold, by a decision date or by a closed application,
and done) is on screen whatever the day, and every insight (SPEC §9) has
something to show: application dates, several rounds, a reply, a rejection
after a second round, an offer and an accepted one, a late thank-you, and an
application ghosted after a call. The people and firms are invented.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any

from followup_tui.domain.model import Application, Contact, Event, EventType, Interview, Kind
from followup_tui.storage.store import Store


class _Days:
    """Moments relative to today's local date, written as ISO-8601 with offset."""

    def __init__(self, now: datetime, tz: tzinfo) -> None:
        self.now = now.astimezone(tz)
        self.tz = tz
        self.today = self.now.date()

    def at(self, days: int, hour: int, minute: int = 0) -> str:
        day = self.today + timedelta(days=days)
        moment = datetime.combine(day, time(hour, minute), tzinfo=self.tz)
        return moment.isoformat(timespec="minutes")

    def ago(self, hours: float) -> str:
        moment = self.now - timedelta(hours=hours)
        return moment.replace(minute=0, second=0, microsecond=0).isoformat(timespec="minutes")

    def day(self, days: int) -> str:
        return (self.today + timedelta(days=days)).isoformat()


def sample_applications(now: datetime, tz: tzinfo) -> list[Application]:
    """Fifteen applications in every state, relative to `now`."""
    d = _Days(now, tz)
    sent = EventType.THANK_YOU_SENT

    def iv(app_id: str, n: int, starts: str, **fields: object) -> Interview:
        return Interview(id=f"{app_id}-{n}", starts_at=starts, **fields)  # type: ignore[arg-type]

    return [
        Application(
            "harbour-city-planner", "Harbour City Council", "Senior Urban Planner",
            applied_on=d.day(-20),
            link="https://example.org/jobs/hcc-1184",
            contacts=(Contact("Priya Shah", "Planning Manager", "priya.shah@example.org"),
                      Contact("Tom Becker", "Principal Planner")),
            interviews=(iv("harbour-city-planner", 1, d.at(-2, 10), duration_minutes=60,
                           format="video", round="First round",
                           interviewers=("Priya Shah", "Tom Becker"),
                           topics=("the new housing strategy", "community consultation"),
                           fit_points=("five years running council consultations",),
                           decision_by=d.day(8)),),
            events=(
                Event(d.at(-9, 16), EventType.NOTE, text="Recruiter called to book the panel"),
            ),
        ),
        Application(
            "lumen-data-engineer", "Lumen Analytics", "Data Engineer",
            applied_on=d.day(-12),
            contacts=(Contact("Mei Lin", "Head of Data", "mei@lumen.example"),),
            interviews=(iv("lumen-data-engineer", 1, d.ago(3), duration_minutes=45,
                           format="video", round="Technical",
                           interviewers=("Mei Lin",),
                           topics=("streaming pipelines", "data quality checks"),
                           fit_points=("built the ingestion platform at my last job",)),),
        ),
        Application(
            "northwind-ops-analyst", "Northwind Logistics", "Operations Analyst",
            applied_on=d.day(-21),
            contacts=(Contact("Jonas Ek", "Operations Director", phone="+61 2 5550 0101"),),
            interviews=(iv("northwind-ops-analyst", 1, d.at(-8, 9, 30), duration_minutes=60,
                           format="onsite", round="Panel", interviewers=("Jonas Ek",),
                           topics=("warehouse routing", "forecasting"),
                           fit_points=("cut picking time 18% at Fastfreight",)),),
            events=(Event(d.at(-8, 14), sent, "northwind-ops-analyst-1"),),
        ),
        Application(
            "bright-path-designer", "Bright Path Education", "Learning Designer",
            applied_on=d.day(-6),
            contacts=(Contact("Alice Okafor", "Curriculum Lead"),),
            interviews=(iv("bright-path-designer", 1, d.at(2, 14), duration_minutes=60,
                           format="phone", round="Phone screen",
                           interviewers=("Alice Okafor",),
                           topics=("online course design",)),),
        ),
        Application(
            "copperleaf-pm", "Copperleaf Health", "Product Manager",
            applied_on=d.day(-25),
            contacts=(Contact("Sam Rivera", "VP Product", "sam@copperleaf.example"),),
            interviews=(iv("copperleaf-pm", 1, d.at(-1, 11), duration_minutes=60,
                           format="video", round="Second round", interviewers=("Sam Rivera",),
                           topics=("patient booking app", "roadmap trade-offs"),
                           fit_points=("shipped two health apps",)),),
            events=(Event(d.at(-1, 16), sent, "copperleaf-pm-1"),),
        ),
        Application(
            "tidewater-coordinator", "Tidewater Energy", "Project Coordinator",
            applied_on=d.day(-26),
            contacts=(Contact("Grace Howell", "Project Director"),),
            interviews=(iv("tidewater-coordinator", 1, d.at(-12, 13), round="First round",
                           interviewers=("Grace Howell",), topics=("wind farm approvals",)),),
            events=(
                Event(d.at(-12, 17), sent, "tidewater-coordinator-1"),
                Event(d.at(-5, 9), EventType.ON_HOLD, text="Funding review; they will be in touch"),
            ),
        ),
        Application(
            "greenfield-architect", "Greenfield Architects", "Graduate Architect",
            applied_on=d.day(-14),
            contacts=(Contact("Noah Kim", "Studio Lead"),),
            interviews=(iv("greenfield-architect", 1, d.at(-3, 15), duration_minutes=90,
                           format="onsite", round="Portfolio review",
                           interviewers=("Noah Kim",), topics=("the library project",),
                           decision_by=d.day(5)),),
            events=(Event(d.at(-3, 19), sent, "greenfield-architect-1"),),
        ),
        Application(
            "atlas-firmware", "Atlas Robotics", "Firmware Engineer",
            applied_on=d.day(-18),
            interviews=(iv("atlas-firmware", 1, d.at(-4, 10), format="video",
                           round="Technical"),),
            events=(Event(d.at(-3, 12), EventType.WITHDRAWN, text="Took another offer"),),
        ),
        Application(
            "bluegum-content", "Bluegum Media", "Content Strategist",
            applied_on=d.day(-24),
            contacts=(Contact("Ivy Tran", "Editor"),),
            interviews=(iv("bluegum-content", 1, d.at(-10, 10), round="First round",
                           interviewers=("Ivy Tran",), topics=("podcast strategy",)),),
            events=(
                Event(d.at(-10, 15), sent, "bluegum-content-1"),
                Event(d.at(-1, 9), EventType.SNOOZED, "bluegum-content-1", Kind.CALL,
                      until=d.day(3)),
            ),
        ),
        Application(
            "orchid-risk", "Orchid Bank", "Risk Analyst",
            applied_on=d.day(-30),
            contacts=(Contact("Dev Patel", "Risk Manager"), Contact("Laura Chen", "HR Partner")),
            interviews=(
                iv("orchid-risk", 1, d.at(-15, 9), round="First round",
                   interviewers=("Laura Chen",), topics=("credit models",)),
                iv("orchid-risk", 2, d.at(-2, 14), round="Final",
                   interviewers=("Dev Patel",), topics=("stress testing", "model governance"),
                   fit_points=("Basel III reporting",)),
            ),
            events=(
                Event(d.at(-15, 13), sent, "orchid-risk-1"),
                Event(d.at(-2, 18), sent, "orchid-risk-2"),
            ),
        ),
        Application(
            "kestrel-qa-lead", "Kestrel Games", "QA Lead",
            applied_on=d.day(-22),
            interviews=(iv("kestrel-qa-lead", 1, d.at(-9, 11), round="Panel"),),
            events=(
                Event(d.at(-9, 15), sent, "kestrel-qa-lead-1"),
                Event(d.at(-1, 10), EventType.OFFER, text="Offer by email; reply by Friday"),
            ),
        ),
        Application(
            "sable-designer", "Sable Studio", "Junior Designer",
            applied_on=d.day(-33),
            interviews=(iv("sable-designer", 1, d.at(-20, 10), round="First round"),),
            events=(
                Event(d.at(-20, 12), sent, "sable-designer-1"),
                Event(d.at(-14, 10), EventType.CALL_MADE, "sable-designer-1",
                      text="Still deciding; call back next month"),
            ),
        ),
        Application(
            "quarry-marketing", "Quarry & Co", "Marketing Lead",
            applied_on=d.day(-3),
            link="https://example.org/quarry/careers",
            notes="Applied through a referral from Ana.",
        ),
        Application(
            "meridian-analyst", "Meridian Insurance", "Business Analyst",
            applied_on=d.day(-31),
            contacts=(Contact("Hana Sato", "Talent Partner", "hana@meridian.example"),
                      Contact("Luis Moreno", "Claims Director")),
            interviews=(
                iv("meridian-analyst", 1, d.at(-24, 9), duration_minutes=30, format="phone",
                   round="Phone screen", interviewers=("Hana Sato",),
                   topics=("claims reporting",)),
                iv("meridian-analyst", 2, d.at(-16, 14), duration_minutes=60, format="video",
                   round="Second round", interviewers=("Luis Moreno",),
                   topics=("process mapping", "the claims backlog"),
                   fit_points=("mapped the refunds process at Fastfreight",)),
            ),
            events=(
                Event(d.at(-24, 13), sent, "meridian-analyst-1"),
                Event(d.at(-21, 11), EventType.REPLY_RECEIVED,
                      text="Hana: through to a second round"),
                Event(d.at(-16, 17), sent, "meridian-analyst-2"),
                Event(d.at(-9, 10), EventType.REJECTED,
                      text="Went with an internal candidate; keep in touch"),
            ),
        ),
        Application(
            "fernhill-librarian", "Fernhill Library", "Digital Librarian",
            applied_on=d.day(-40),
            contacts=(Contact("Ruth Adeyemi", "Library Manager", "ruth@fernhill.example"),),
            interviews=(
                iv("fernhill-librarian", 1, d.at(-35, 10), duration_minutes=45, format="phone",
                   round="Phone screen", interviewers=("Ruth Adeyemi",),
                   topics=("the digitisation project",)),
                iv("fernhill-librarian", 2, d.at(-28, 10), duration_minutes=60, format="onsite",
                   round="Panel", interviewers=("Ruth Adeyemi",),
                   topics=("community programmes", "the catalogue migration")),
            ),
            events=(
                Event(d.at(-35, 15), sent, "fernhill-librarian-1"),
                # a day and more after the panel: past the 24-hour window
                Event(d.at(-27, 16), sent, "fernhill-librarian-2"),
                Event(d.at(-22, 12), EventType.OFFER, text="Offer by phone"),
                Event(d.at(-20, 9), EventType.ACCEPTED, text="Starts in the new year"),
            ),
        ),
    ]


def populate(store: Store, now: datetime, tz: tzinfo) -> None:
    """Fill an empty store with the sample applications."""
    store.import_applications(sample_applications(now, tz))


# --- the demo's mail ------------------------------------------------------------------

#: The demo user's own address (config `me`).
DEMO_ME = "alex@example.com"


def sample_mail(now: datetime, tz: tzinfo) -> list[bytes]:
    """A few messages as a mail program stores them, relative to `now`: a reply, an
    automatic "away" reply with its return date, an invitation to a next round, and a
    newsletter that matches no application (and so is never stored)."""
    from email.message import EmailMessage
    from email.utils import format_datetime

    d = _Days(now, tz)
    back = d.today + timedelta(days=6)
    starts = datetime.fromisoformat(d.at(3, 10)).astimezone(UTC)
    ics = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Lumen//Calendar//EN\r\nMETHOD:REQUEST\r\n"
        "BEGIN:VEVENT\r\nUID:lumen-final-round@lumen.example\r\n"
        f"DTSTART:{starts:%Y%m%dT%H%M%SZ}\r\n"
        f"DTEND:{starts + timedelta(hours=1):%Y%m%dT%H%M%SZ}\r\n"
        "SUMMARY:Final round - Data Engineer\r\n"
        "ORGANIZER;CN=Mei Lin:mailto:mei@lumen.example\r\n"
        f"ATTENDEE;CN=Alex:mailto:{DEMO_ME}\r\n"
        "LOCATION:https://meet.example.com/lumen-final\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    letters = [
        ("Priya Shah <priya.shah@example.org>", "Re: Senior Urban Planner interview",
         d.ago(18), "Hi Alex,\n\nThank you for coming in - the panel enjoyed the conversation "
         "about the housing strategy.\nWe are meeting the last candidates this week and "
         "will be in touch soon.\n\nBest,\nPriya", {}, None),
        ("Sam Rivera <sam@copperleaf.example>", "Automatic reply: Thank you", d.ago(15),
         f"Thanks for your email. I am out of the office and will be back on "
         f"{back:%A} {back.day} {back:%B}.\nFor anything urgent please contact "
         "reception.", {"Auto-Submitted": "auto-replied"}, None),
        ("Mei Lin <mei@lumen.example>", "Invitation: Final round - Data Engineer",
         d.ago(2), "Hi Alex,\n\nGreat to talk on the technical round. We'd love you to "
         "meet the team for a final round - the invitation is attached.\n\nMei",
         {}, ics),
        ("Jobs Weekly <news@jobsweekly.example>", "Top jobs this week", d.ago(30),
         "Twenty new roles in your area.", {}, None),
    ]
    messages = []
    for index, (sender, subject, at, body, headers, calendar) in enumerate(letters):
        mail = EmailMessage()
        mail["From"] = sender
        mail["To"] = DEMO_ME
        mail["Subject"] = subject
        mail["Date"] = format_datetime(datetime.fromisoformat(at))
        mail["Message-ID"] = f"<demo-{index}-{d.today:%Y%m%d}@mail.example>"
        for name, value in headers.items():
            mail[name] = value
        mail.set_content(body)
        if calendar is not None:
            mail.add_attachment(calendar.encode(), maintype="text", subtype="calendar",
                                filename="invite.ics", params={"method": "REQUEST"})
        messages.append(mail.as_bytes())
    return messages


def populate_mail(store: Store, now: datetime, tz: tzinfo) -> None:
    """Suggestions in the Inbox, made by the mail engine itself from `sample_mail`
    (after `populate`): matched, classified and stored as a scan stores them."""
    from followup_tui.domain.model import Rules
    from followup_tui.interchange.mail.scanning import scan

    scan(store.conn, [_DemoMailbox(sample_mail(now, tz))], store.load_all(), [DEMO_ME],
         Rules(tz), since=None)


class _DemoMailbox:
    """A mail source in memory (the Source protocol of interchange.mail.sources)."""

    name = "demo"

    def __init__(self, messages: list[bytes]) -> None:
        self.messages = messages

    def read(self, db: Any, wanted: Any, tally: Any, since: datetime | None) -> Any:
        from followup_tui.interchange.mail.sources import RawMail

        tally.expected += len(self.messages)
        for raw in self.messages:
            tally.read += 1
            if wanted(raw):
                yield RawMail(raw, None)

    def record(self, db: Any) -> None:
        """Nothing to remember: the demo's mailbox is gone with the demo."""
