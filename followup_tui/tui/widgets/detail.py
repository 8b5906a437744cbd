"""The detail pane: everything about the selected interview, as plain text."""

from __future__ import annotations

import heapq
from datetime import datetime, tzinfo

from rich.console import RenderableType
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from followup_tui.domain.model import EventType, Kind
from followup_tui.domain.rules import format_day, format_moment, interview_end, parse_moment
from followup_tui.text import printable
from followup_tui.tui.humanize import relative
from followup_tui.tui.review import Row, status_word
from followup_tui.tui.widgets.badges import STATE_CLASSES, badge, foreground

RECENT_EVENTS = 8
#: Of a list (topics, fit points, contacts), the items drawn; the rest are counted. The
#: pane draws a record of any size in the same few lines (200,000 topics took 96 s).
LIST_SHOWN = 10
#: Of a free text (notes), the characters drawn.
TEXT_SHOWN = 2_000


def _more(count: int) -> str:
    return f"  … and {count:,} more\n"


def _cut(text: str) -> str:
    """A long free text, cut where the pane stops drawing it."""
    if len(text) <= TEXT_SHOWN:
        return text
    return f"{text[:TEXT_SHOWN]}… ({len(text) - TEXT_SHOWN:,} more characters)"


def _plain(text: str) -> str:
    return printable(text, single_line=True)


class Detail(VerticalScroll, can_focus=False):
    """Facts, contacts, topics, follow-ups with reasons, and the recent timeline."""

    COMPONENT_CLASSES = STATE_CLASSES | {"detail--heading", "detail--label", "detail--muted"}

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="detail-body")

    def show_row(self, row: Row | None, now: datetime, tz: tzinfo) -> None:
        body = self.query_one("#detail-body", Static)
        body.update(self._describe(row, now, tz) if row else Text(""))
        self.scroll_home(animate=False)

    def show_message(self, message: RenderableType) -> None:
        self.query_one("#detail-body", Static).update(message)

    def _describe(self, row: Row, now: datetime, tz: tzinfo) -> RenderableType:
        heading = foreground(self, "detail--heading")
        label = foreground(self, "detail--label")
        muted = foreground(self, "detail--muted")
        today = now.astimezone(tz).date()
        app, interview = row.application, row.interview
        parts: list[RenderableType] = []

        title = Text()
        title.append(f"{_plain(app.company)} — {_plain(app.role)}", style=heading)
        parts.append(title)
        facts = Text()

        def fact(name: str, value: str) -> None:
            if value:
                facts.append(f"{name:<10}", style=label)
                facts.append(_plain(value) + "\n")

        fact("Status", status_word(row.status))
        if interview is not None:
            starts = parse_moment(interview.starts_at, tz)
            ends = interview_end(interview, tz)
            when = f"{format_moment(starts, tz, today)}–{ends.astimezone(tz):%H:%M}"
            fact("When", f"{when} ({relative(starts, now, tz)})")
            fact("Round", interview.round)
            fact("Format", interview.format or "")
            with_ = ", ".join(interview.interviewers[:LIST_SHOWN])
            if len(interview.interviewers) > LIST_SHOWN:
                with_ += f" and {len(interview.interviewers) - LIST_SHOWN:,} more"
            fact("With", with_)
            if interview.decision_by:
                decision = parse_moment(interview.decision_by, tz).date()
                fact("Decides", f"by {format_day(decision, today)}")
        fact("Link", app.link)
        fact("Id", interview.id if interview else app.id)
        parts.append(facts)

        if interview is None:
            parts.append(Text("No interview recorded yet: press a to add one.", style=muted))
        else:
            parts.append(Text("Follow-ups", style=heading))
            for follow_up in row.follow_ups:
                line = badge(self, follow_up.state)
                line.append(f" {follow_up.kind.label:<10}")
                line.append(format_moment(follow_up.due_at, tz, today), style=muted)
                parts.append(line)
                parts.append(Text(f"  {_plain(follow_up.reason)}\n"))
            lists = Text()
            named_lists = (("Topics", interview.topics), ("Fit points", interview.fit_points))
            for name, values in named_lists:
                if values:
                    lists.append(f"{name}\n", style=heading)
                    for value in values[:LIST_SHOWN]:
                        lists.append(f"  • {_plain(_cut(value))}\n")
                    if len(values) > LIST_SHOWN:
                        lists.append(_more(len(values) - LIST_SHOWN), style=muted)
            if interview.notes:
                lists.append("Notes\n", style=heading)
                lists.append(printable(_cut(interview.notes)) + "\n")
            if lists:
                parts.append(lists)
        if app.contacts:
            contacts = Text()
            contacts.append("Contacts\n", style=heading)
            for contact in app.contacts[:LIST_SHOWN]:
                bits = [b for b in (contact.title, contact.email, contact.phone) if b]
                contacts.append(f"  {_plain(_cut(contact.name))}")
                if bits:
                    contacts.append(f"  {_plain(_cut(' · '.join(bits)))}", style=muted)
                contacts.append("\n")
            if len(app.contacts) > LIST_SHOWN:
                contacts.append(_more(len(app.contacts) - LIST_SHOWN), style=muted)
            parts.append(contacts)

        # the latest few; by timestamps (floats): comparing 100,000 aware datetimes
        # of one large record took most of a second
        stamps = [parse_moment(event.at, tz).timestamp() for event in app.events]
        latest = heapq.nlargest(RECENT_EVENTS, range(len(stamps)), key=stamps.__getitem__)
        recent = [app.events[i] for i in latest]
        if recent:
            events = Text()
            events.append("Recent timeline\n", style=heading)
            for event in recent:
                at = parse_moment(event.at, tz)
                future = at > now
                name = event.type.label
                if event.type in (EventType.SNOOZED, EventType.SKIPPED) and event.kind:
                    name += " (thank-you)" if event.kind is Kind.THANK_YOU else " (call)"
                events.append(f"  {format_moment(at, tz, today)}  ", style=muted)
                events.append(name, style=muted if future else "")
                if event.until:
                    events.append(f" until {_plain(event.until)}")
                if event.text:
                    events.append(f" — {_plain(_cut(event.text))}", style=muted)
                if future:
                    events.append("  (after now)", style=muted)
                events.append("\n")
            parts.append(events)
        if app.notes:
            notes = Text()
            notes.append("Notes\n", style=heading)
            notes.append(printable(_cut(app.notes)))
            parts.append(notes)
        # one Text, not a Group: Textual draws a Text natively, a Group through Rich
        return Text("\n").join(parts)
