"""The Inbox: what the mailbox suggests (SPEC §6), one suggestion a row, to accept or
dismiss; the message itself, and for an invitation the interview it would save,
in a panel. Scanning runs in a thread with its progress on screen.

Everything shown from a message is inert: built as rich Text from printable()
strings, never as markup.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from followup_tui.domain.model import EventType
from followup_tui.domain.rules import format_day, format_moment
from followup_tui.errors import UserError
from followup_tui.text import printable
from followup_tui.tui.keys import bindings
from followup_tui.tui.screens.main import MainScreen
from followup_tui.tui.styles import STYLES
from followup_tui.tui.widgets.header import StatusHeader

if TYPE_CHECKING:
    from followup_tui.domain.model import Application
    from followup_tui.interchange.invitations.planning import Plan
    from followup_tui.interchange.mail import ScanSummary, Suggestion

EMPTY = (
    "Nothing waiting in the Inbox.\n\n"
    "Press  r  to read new mail: the folders named under [mail] in config.toml\n"
    '(maildir = ["~/Mail/INBOX", "~/Mail/Sent"], or [mail.imap]), with your own\n'
    'addresses in me = ["you@example.com"]. Or run  followup-tui mail scan.\n\n'
    "Only mail from or to an application's contacts is suggested; the rest is\n"
    "never stored. Scans never change your mailbox."
)
#: How often the scan's progress line is redrawn (seconds).
PROGRESS_EVERY = 0.2


def kind_label(s: Suggestion, today: Any = None) -> str:
    """'Reply received', 'Out of office until Mon 7 Dec', 'Invitation'…"""
    if s.type == "invitation":
        return "Invitation"
    label = EventType(s.type).label
    if s.until:
        from datetime import date

        until = date.fromisoformat(s.until)
        label += f" until {format_day(until, today or until)}"
    return label


def title_of(s: Suggestion, applications: dict[str, Application]) -> str:
    app = applications.get(s.application)
    return f"{app.company} — {app.role}" if app else s.application


class SuggestionList(OptionList):
    """The suggestions, several lines each; j and k move as everywhere else."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]


class InboxScreen(MainScreen):
    """Suggestions from the mailbox, pending ones only, oldest message first."""

    CSS_PATH = STYLES / "inbox.tcss"  # not relative to a subclass
    BINDINGS = bindings("inbox")
    WHERE = "inbox"
    TITLE_TEXT = "Inbox"
    AUTO_FOCUS = "SuggestionList"

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[int, Suggestion]] = []
        self.applications: dict[str, Application] = {}
        self.scanning: ScanSummary | None = None
        self._progress: Timer | None = None

    @property
    def host(self) -> Any:
        return cast(Any, self.app)

    def compose(self) -> ComposeResult:
        yield StatusHeader(id="header")
        yield Static(id="inbox-status")
        yield SuggestionList(id="inbox", markup=False)
        yield Static(Text(EMPTY), id="inbox-empty")

    # --- reading -------------------------------------------------------------------------

    def refresh_data(self) -> None:
        from followup_tui.interchange.mail import suggestions

        self.refresh_header()
        self.stale = False
        app = self.host
        try:
            rows = suggestions(app.store.conn)
            ids = {s.application for _, s in rows}
            found = app.store.load_many(ids, details=False) if ids else []
        except Exception as error:  # noqa: BLE001 - an unreadable table must not crash the app
            self.rows = []
            self.query_one("#inbox-status", Static).update(
                Text(f" The suggestions could not be read: {printable(str(error))}"))
            return
        self.rows = rows
        self.applications = {a.id: a for a in found}
        listing = self.query_one(SuggestionList)
        keep = listing.highlighted
        listing.clear_options()
        today = app.now.astimezone(app.rules.tz).date()
        listing.add_options(
            Option(self._prompt(s, today), id=str(row_id)) for row_id, s in rows
        )
        if rows:
            listing.highlighted = min(keep or 0, len(rows) - 1)
        self.set_class(not rows, "-empty")
        self._show_status()

    def _prompt(self, s: Suggestion, today: Any) -> Text:
        tz = self.host.rules.tz
        when = format_moment(datetime.fromisoformat(s.at), tz, today)
        text = Text()
        text.append(f" {kind_label(s, today)} ", style=f"bold reverse {_COLOURS.get(s.type, '')}")
        text.append(f"  {when}  ")
        text.append(printable(title_of(s, self.applications), single_line=True), style="bold")
        text.append("\n   ")
        text.append(printable(f"{s.sender}: {s.subject}", single_line=True))
        text.append("\n   ")
        # what the message says first, then how it was matched (the row names the company)
        parts = s.reason.split("; ")
        text.append(printable("; ".join(parts[1:] + parts[:1]), single_line=True), style="dim")
        excerpt = [line for line in s.excerpt.splitlines() if line.strip()][:2]
        for line in excerpt:
            text.append("\n   │ ")
            text.append(printable(line, single_line=True), style="italic")
        text.append("\n")  # a blank line between suggestions
        # each line cut at the edge, not wrapped under the badge: enter shows it all
        text.no_wrap = True
        text.overflow = "ellipsis"
        return text

    def _show_status(self) -> None:
        summary = self.scanning
        if summary is not None:
            read = f"{summary.read:,}"
            total = f" of {summary.expected:,}" if summary.expected else ""
            line = f" Reading mail… {read}{total}   (the keys still work)"
        else:
            count = len(self.rows)
            line = (f" {count} suggestion{'s' if count != 1 else ''} from your mail"
                    "   y accept · n dismiss · enter read · r scan") if count else ""
        self.query_one("#inbox-status", Static).update(Text(line))

    def selected(self) -> tuple[int, Suggestion] | None:
        index = self.query_one(SuggestionList).highlighted
        if index is None or not 0 <= index < len(self.rows):
            self.notify("Nothing selected: the Inbox is empty (r reads new mail).",
                        severity="warning")
            return None
        return self.rows[index]

    # --- accepting and dismissing ------------------------------------------------------------

    def action_accept(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        row_id, s = chosen
        if s.type == "invitation":
            self.action_read()  # the interview is shown before it is saved
            return
        self.accept(row_id, s)

    def accept(self, row_id: int, s: Suggestion, plan: Plan | None = None) -> None:
        from followup_tui.interchange.mail import accept, reopen, settings_of

        app = self.host
        store = app.store
        application_id = s.application
        if plan is not None:
            changed = {a.id for a in plan.applications}
            if len(changed) > 1:
                self.notify(
                    f"This invitation changes {len(changed)} applications; accept it with "
                    f"followup-tui mail accept {row_id} to see each change.",
                    severity="warning", markup=False)
                return
            application_id = next(iter(changed), application_id)
        try:
            me = settings_of(app.config).me
            app.change(
                application_id,
                f"Accepted: {kind_label(s)} from {printable(title_of(s, self.applications))}",
                lambda: accept(store, [row_id], tz=app.rules.tz, me=me),
                restore=lambda: reopen(store.conn, [row_id]),
            )
        except UserError as error:
            self.notify(str(error), title="Not accepted", severity="error", markup=False)
            self.refresh_data()

    def action_dismiss(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.dismiss_suggestion(*chosen)

    def dismiss_suggestion(self, row_id: int, s: Suggestion) -> None:
        from followup_tui.interchange.mail import reopen, settle

        app = self.host
        store = app.store
        try:
            app.change(
                s.application,
                f"Dismissed: {kind_label(s)} from {printable(title_of(s, self.applications))}",
                lambda: settle(store.conn, [row_id], "dismissed"),
                restore=lambda: reopen(store.conn, [row_id]),
            )
        except UserError as error:
            self.notify(str(error), title="Not dismissed", severity="error", markup=False)
            self.refresh_data()

    # --- reading one message -----------------------------------------------------------------

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_read()

    def action_read(self) -> None:
        from followup_tui.interchange.mail import plan_for, settings_of

        chosen = self.selected()
        if chosen is None:
            return
        row_id, s = chosen
        app = self.host
        plan = None
        planned: list[str] | None = None
        if s.type == "invitation":
            try:
                plan = plan_for(s, app.store.load_all(), tz=app.rules.tz,
                                me=settings_of(app.config).me)
                planned = plan.describe()
            except UserError as error:
                planned = [f"This invitation cannot be saved: {error}"]
        screen = MessageScreen(s, title_of(s, self.applications), app.rules.tz, planned,
                               can_accept=planned is None or plan is not None)

        def answered(choice: str | None) -> None:
            if choice == "accept":
                self.accept(row_id, s, plan)
            elif choice == "dismiss":
                self.dismiss_suggestion(row_id, s)

        self.app.push_screen(screen, answered)

    # --- scanning ---------------------------------------------------------------------------

    def action_scan_mail(self) -> None:
        from followup_tui.interchange.mail import ScanSummary, settings_of

        if self.scanning is not None:
            self.notify("Already reading mail…")
            return
        app = self.host
        try:
            settings = settings_of(app.config)
            sources = settings.sources()
        except UserError as error:
            self.notify(str(error), title="Mail settings", severity="error", markup=False,
                        timeout=10)
            return
        if not sources:
            where = app.config.path or "config.toml"
            self.notify(
                f"No mail to read: name it in {where}, e.g.\n[mail]\n"
                'maildir = ["~/Mail/INBOX", "~/Mail/Sent"]',
                title="Scan mail", severity="warning", markup=False, timeout=10,
            )
            return
        summary = self.scanning = ScanSummary()
        self._show_status()
        self._progress = self.set_interval(PROGRESS_EVERY, self._show_status)
        now = app.record_now()
        self.run_worker(lambda: self._scan(sources, settings.me, summary, now), thread=True,
                        exclusive=True, group="mail-scan")

    def _scan(self, sources: list[Any], me: tuple[str, ...], summary: ScanSummary,
              now: datetime) -> None:
        """In a worker thread, on its own connection: read, match, store."""
        from followup_tui.interchange.mail import default_since, scan
        from followup_tui.storage.store import Store

        app = self.host
        try:
            with Store(app.store.path) as store:
                since = default_since(store.conn, now)
                scan(store.conn, sources, store.load_all(), me, app.rules, since=since,
                     summary=summary)
        except UserError as error:
            app.call_from_thread(self._scanned, None, str(error))
            return
        except Exception as error:  # noqa: BLE001 - a scan must never take the app down
            app.call_from_thread(self._scanned, None, f"{type(error).__name__}: {error}")
            return
        app.call_from_thread(self._scanned, summary, None)

    def _scanned(self, summary: ScanSummary | None, error: str | None) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
        self.scanning = None
        if error is not None:
            self.notify(error, title="Mail not read", severity="error", markup=False,
                        timeout=12)
        elif summary is not None:
            skipped = sum(summary.skipped.values())
            self.notify(
                f"Read {summary.read:,} new message{'s' if summary.read != 1 else ''}: "
                f"{summary.matched:,} about an application, {summary.suggested:,} new "
                f"suggestion{'s' if summary.suggested != 1 else ''}"
                + (f", {skipped:,} skipped" if skipped else "") + ".",
                title="Mail read", markup=False,
            )
        self.refresh_data()


_COLOURS = {
    "reply_received": "green", "offer": "bright_green", "rejected": "red",
    "out_of_office": "yellow", "invitation": "cyan", "thank_you_sent": "blue",
}


class MessageScreen(ModalScreen[str | None]):
    """One message, inert: its sender, subject, why it was matched, its text, and for an
    invitation the changes accepting it would save."""

    CSS_PATH = [STYLES / "panels.tcss", STYLES / "inbox.tcss"]
    BINDINGS = [
        Binding("escape,q", "close", "Close"),
        Binding("y", "choose('accept')", "Accept"),
        Binding("n", "choose('dismiss')", "Dismiss"),
        Binding("j,down", "scroll(1)", show=False),
        Binding("k,up", "scroll(-1)", show=False),
        Binding("pagedown,space", "scroll(10)", show=False),
        Binding("pageup", "scroll(-10)", show=False),
    ]

    def __init__(self, s: Suggestion, title: str, tz: Any, planned: list[str] | None,
                 *, can_accept: bool = True) -> None:
        super().__init__()
        self.suggestion = s
        self.title_text = title
        self.tz = tz
        self.planned = planned
        self.can_accept = can_accept

    def compose(self) -> ComposeResult:
        s = self.suggestion
        when = datetime.fromisoformat(s.at).astimezone(self.tz)
        head = Text()
        for name, value in (("From", s.sender), ("Subject", s.subject),
                            ("Date", f"{when:%a %d %b %Y %H:%M}"),
                            ("About", self.title_text), ("Suggests", kind_label(s)),
                            ("Why", s.reason)):
            head.append(f"{name:>9}  ", style="bold")
            head.append(printable(value, single_line=True))
            head.append("\n")
        accept = "y save the interview" if self.suggestion.type == "invitation" else "y accept"
        keys = f"{accept} · n dismiss · escape close" if self.can_accept else \
            "n dismiss · escape close"
        with Vertical(classes="form message"):
            yield Label(Text(f"Message — {keys}"), classes="form-title")
            yield Static(head, id="message-head")
            if self.planned is not None:
                plan = Text("Accepting saves:\n", style="bold")
                for line in self.planned or ["nothing new (already saved)"]:
                    plan.append(f"  • {printable(line, single_line=True)}\n")
                yield Static(plan, id="message-plan")
            with VerticalScroll(id="message-scroll"):
                yield Static(Text(printable(s.body or s.excerpt)), id="message-body")

    def action_close(self) -> None:
        self.dismiss(None)

    def action_choose(self, choice: str) -> None:
        if choice == "accept" and not self.can_accept:
            self.notify("This invitation cannot be saved (see above).", severity="warning")
            return
        self.dismiss(choice)

    def action_scroll(self, lines: int) -> None:
        self.query_one("#message-scroll", VerticalScroll).scroll_relative(y=lines, animate=False)
