"""The detail pane: everything about the selected interview, as plain text."""

from __future__ import annotations

import heapq
from datetime import datetime, tzinfo

from rich.console import RenderableType
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from followup_tui.domain.model import EventType, Kind, Rules, State
from followup_tui.domain.rules import (
    format_day,
    format_moment,
    interview_end,
    parse_local_date,
    parse_moment,
)
from followup_tui.text import printable
from followup_tui.tui.humanize import follow_up_when, relative
from followup_tui.tui.review import Row, cancelled_on, status_word
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


class Detail(VerticalScroll, can_focus=True):
    """Follow-ups with reasons, facts, contacts, topics, and the recent timeline.

    Focusable (tab), so the arrows scroll it; from the list, ctrl+d and ctrl+u
    (or shift+down and shift+up) scroll it by half a pane.
    """

    COMPONENT_CLASSES = STATE_CLASSES | {
        "detail--heading", "detail--label", "detail--muted", "detail--ghosted",
    }

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="detail-body")

    def show_row(
        self, row: Row | None, now: datetime, tz: tzinfo, *, rules: Rules | None = None
    ) -> None:
        """`rules` given: a ghosted application says so, why, and a kind word (SPEC §9)."""
        body = self.query_one("#detail-body", Static)
        body.update(self._describe(row, now, tz, rules) if row else Text(""))
        self.scroll_home(animate=False)

    def scroll_half_page(self, direction: int) -> None:
        """Half a pane down (1) or up (-1): from the list, without leaving it."""
        step = max(1, self.scrollable_content_region.height // 2)
        self.scroll_relative(y=direction * step, animate=False)

    def show_message(self, message: RenderableType) -> None:
        self.query_one("#detail-body", Static).update(message)

    def _describe(
        self, row: Row, now: datetime, tz: tzinfo, rules: Rules | None = None
    ) -> RenderableType:
        heading = foreground(self, "detail--heading")
        label = foreground(self, "detail--label")
        muted = foreground(self, "detail--muted")
        today = now.astimezone(tz).date()
        app, interview = row.application, row.interview
        parts: list[RenderableType] = []

        title = Text()
        title.append(f"{_plain(app.company)} — {_plain(app.role)}", style=heading)
        parts.append(title)
        # the follow-ups (state and reason) first: what to do is what fits at 80x24
        if interview is None:
            parts.append(Text("No interview recorded yet: press a to add one.", style=muted))
        else:
            follow_ups = Text()
            if interview.cancelled:
                follow_ups.append("Follow-ups: none, the interview was cancelled.\n", style=muted)
            for follow_up in row.follow_ups:
                follow_ups.append_text(badge(self, follow_up.state))
                follow_ups.append(f" {follow_up.kind.label:<10}")
                if follow_up.state is not State.DONE:  # its reason says when it was done
                    follow_ups.append(follow_up_when(follow_up, now, tz), style=muted)
                follow_ups.append(f"\n  {_plain(follow_up.reason)}\n")
            if follow_ups:
                parts.append(follow_ups)
        facts = Text()

        def fact(name: str, value: str) -> None:
            if value:
                facts.append(f"{name:<10}", style=label)
                facts.append(_plain(value) + "\n")

        fact("Status", status_word(row.status))
        if interview is not None and interview.cancelled:
            on = cancelled_on(app, interview, tz)
            fact("Interview", f"Cancelled (invitation cancelled on "
                 f"{format_moment(on, tz, today)})" if on else "Cancelled")
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
        if app.applied_on:
            fact("Applied", format_day(parse_local_date(app.applied_on, tz), today))
        fact("Link", app.link)
        fact("Id", interview.id if interview else app.id)
        parts.append(facts)
        ghost = None
        if rules is not None and any(e.type is EventType.CALL_MADE for e in app.events):
            from followup_tui.domain.insights import ghosted  # only a call can go unanswered

            ghost = ghosted(app, now, rules)
        if ghost is not None and ghost.ghosted:
            silence = Text()
            silence.append("Ghosted", style=foreground(self, "detail--ghosted"))
            silence.append(f"  {ghost.reason}\n")
            silence.append(ghost.advice + "\n", style=muted)
            parts.append(silence)

        if interview is not None:
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
