"""The compose screen: write a follow-up, see the advice's checks as you type, send it your way.

The screen drafts from the template (or restores the draft the user left),
runs the domain's checks a moment after each edit, and hands the note to the
user's own tools: the clipboard (OSC 52), `$EDITOR`, the mail app (`mailto:`)
or an `.eml` file. "Mark sent" dismisses with True; the App logs the event.

Every piece of user data is shown as rich `Text`, never as markup, and the fields
draw control characters visibly (`followup_tui.tui.widgets.inert`).
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import quote

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Label, Static, TextArea
from textual.worker import Worker

from followup_tui.domain.checks import (
    CALL_CHECKS,
    THANK_YOU_CHECKS,
    CheckResult,
    run_checks,
    word_count,
)
from followup_tui.domain.drafts import Draft, recipients
from followup_tui.domain.model import Application, Interview, Kind, Rules, State
from followup_tui.domain.rules import follow_ups
from followup_tui.errors import UserError
from followup_tui.settings.config import Config, save_setting
from followup_tui.settings.files import create_private
from followup_tui.text import printable
from followup_tui.tui.keys import bindings
from followup_tui.tui.styles import STYLES
from followup_tui.tui.widgets.inert import InertInput, InertTextArea

#: How long typing must pause before the checks run again.
CHECK_DELAY = 0.15

CHECK_LABELS = {
    "length": "Short",
    "paragraphs": "A couple of paragraphs",
    "thanks": "Thanks them",
    "interest": "Still interested",
    "fit_point": "Why you fit",
    "topic": "Something you discussed",
    "greeting": "Greets them by name",
    "no_generic_opener": "No generic opener",
    "signature": "Signed with your name",
    "timing": "Timing",
    "ask_for": "Whom to ask for",
}


@dataclass(frozen=True, slots=True)
class KeptDraft:
    """What the user has written so far, kept in the App's `drafts` between visits."""

    to: str
    subject: str
    body: str


def mailto_url(to: str, subject: str, body: str) -> str:
    """A `mailto:` URL (RFC 6068): addresses comma separated, line breaks as CRLF."""
    addresses = ",".join(quote(a.strip(), safe="@") for a in re.split(r"[,;]", to) if a.strip())
    body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    return f"mailto:{addresses}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def email_message(to: str, subject: str, body: str, now: datetime) -> EmailMessage:
    """The draft as an RFC 5322 message, marked unsent so mail clients open it to send."""
    message = EmailMessage(policy=SMTP)
    if to.strip():
        message["To"] = _one_line(to)
    message["Subject"] = _one_line(subject)
    message["Date"] = format_datetime(now)
    message["X-Unsent"] = "1"
    message.set_content(body.rstrip("\n") + "\n")
    return message


_SIGN_OFF_LINE = re.compile(
    r"^(kind |warm |best |with )?(regards|wishes|thanks|thank you|sincerely|cheers|best|"
    r"warmly|yours|all the best|many thanks)[ ,.!]*$", re.IGNORECASE,
)


def sign_empty_sign_off(body: str, name: str) -> str:
    """`body` with `name` under its last line when that line is a sign-off with no name
    under it ("Kind regards," at the end); else `body` as it is."""
    stripped = body.rstrip()
    last = stripped.rsplit("\n", 1)[-1].strip()
    if not _SIGN_OFF_LINE.match(last):
        return body
    return f"{stripped}\n{name}\n"


def mailto_handler() -> str | None:
    """The program that opens `mailto:` links here, or None when none is set up.

    macOS and Windows always have one; elsewhere it is xdg-open's choice, which
    xdg-mime names (an empty answer: nothing would open).
    """
    if sys.platform in ("darwin", "win32"):
        return "your mail app"
    opener, query = shutil.which("xdg-open"), shutil.which("xdg-mime")
    if opener is None or query is None:
        return None
    try:
        done = subprocess.run(
            [query, "query", "default", "x-scheme-handler/mailto"],
            capture_output=True, text=True, timeout=5, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    handler = done.stdout.strip()
    return handler.removesuffix(".desktop") or None


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:40] or "draft"


def write_eml(directory: Path, stem: str, data: bytes) -> Path:
    """Write `data` to a new owner-only file `stem.eml` (or `stem-2.eml`, ...) in `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    for number in range(1, 1000):
        path = directory / (f"{stem}.eml" if number == 1 else f"{stem}-{number}.eml")
        try:
            fd = create_private(path)
        except FileExistsError:
            continue
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        return path
    raise OSError(f"too many drafts named {stem} in {directory}")


def default_eml_dir() -> Path:
    """The user's Downloads folder when there is one, else their home."""
    import platformdirs

    downloads = platformdirs.user_downloads_path()
    return downloads if downloads.is_dir() else Path.home()


class ComposeScreen(Screen[bool]):
    """To, Subject and Body beside the live checks; dismisses True when marked sent."""

    CSS_PATH = STYLES / "compose.tcss"
    BINDINGS = bindings("compose")
    #: Below 110 columns the checks go under the editor (compose.tcss `-narrow`).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    def __init__(
        self,
        application: Application,
        interview_id: str,
        kind: Kind,
        now: datetime,
        config: Config,
        rules: Rules,
        drafts: dict[object, object],
        *,
        eml_dir: Path | None = None,
        template_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.application = application
        self.interview_id = interview_id
        self.kind = kind
        self.now = now
        self.config = config
        self.rules = rules
        self.drafts = drafts
        self.eml_dir = eml_dir
        self.template_dir = template_dir
        self.results: list[CheckResult] = []
        self.saved_path: Path | None = None
        self._template_error: str | None = None
        self._user_template = False
        #: The worker rendering the user's own template, while there is one.
        self.template_worker: Worker[None] | None = None
        self._check_timer: Timer | None = None
        found = application.interview(interview_id)
        self.interview: Interview = found or Interview(interview_id, now.isoformat())
        self._missing = found is None
        self._start = self._starting_draft()

    @property
    def key(self) -> tuple[str, Kind]:
        return (self.interview_id, self.kind)

    # --- building ---------------------------------------------------------------------

    def _starting_draft(self) -> KeptDraft:
        kept = self.drafts.get(self.key)
        if isinstance(kept, KeptDraft):
            return kept
        from followup_tui.drafting.templates import DEFAULT_DIR, has_user_template

        # The default template (ours, a few milliseconds) gives the first draft at once;
        # the user's own, rendered in a limited child process, replaces it when ready.
        self._user_template = has_user_template(self.kind, self.template_dir)
        to = ", ".join(recipients(self.application, self.interview))
        try:
            draft = self._draft_from(DEFAULT_DIR)
        except UserError as error:
            draft, self._template_error = Draft("", ""), str(error)
        return KeptDraft(to, draft.subject, draft.body)

    def _draft_from(self, directory: Path | None) -> Draft:
        from followup_tui.drafting.templates import render_draft

        return render_draft(
            self.application,
            self.interview,
            self.kind,
            now=self.now,
            rules=self.rules,
            config=self.config,
            directory=directory,
        )

    def _render_user_template(self) -> None:
        """In a worker thread: the user's template's draft, handed to the UI thread."""
        draft: Draft | None = None
        error: str | None = None
        try:
            draft = self._draft_from(self.template_dir)
        except UserError as fault:
            error = str(fault)
        with contextlib.suppress(RuntimeError):  # the app has closed meanwhile
            self.app.call_from_thread(self._user_draft_ready, draft, error)

    def _user_draft_ready(self, draft: Draft | None, error: str | None) -> None:
        """Show the user's template's draft, unless they have started writing meanwhile."""
        if draft is None:
            self._say(
                f"{error}\nStarted from the default template instead.",
                title="Your template has a problem",
                severity="error",
                timeout=12,
            )
            return
        if self.is_attached:
            current = KeptDraft(self.to, self.subject, self.body)
        else:  # left already: what was kept then
            kept = self.drafts.get(self.key)
            current = kept if isinstance(kept, KeptDraft) else self._start
        if current != self._start:
            return  # the user's own words win over any template
        self._start = KeptDraft(self._start.to, draft.subject, draft.body)
        if self.is_attached:
            for field in self.query("#subject").results(Input):
                field.value = draft.subject
            self.query_one("#body", TextArea).load_text(draft.body)
            self.refresh_checks()
        self.drafts[self.key] = self._start

    def _title(self) -> Text:
        who = ", ".join(self.interview.interviewers)
        what = "Thank-you" if self.kind is Kind.THANK_YOU else "Call notes"
        parts = [what, self.application.company, self.application.role]
        if who:
            parts.append(f"to {who}")
        return Text(printable(" · ".join(p for p in parts if p), single_line=True))

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="compose-title")
        with Horizontal(id="compose-main"):
            with Vertical(id="compose-form"):
                if self.kind is Kind.THANK_YOU:
                    # a call's talking points are for you: no one to address, no subject
                    with Horizontal(classes="field-row"):
                        yield Label("To", id="to-label")
                        yield InertInput(self._start.to, placeholder="their email address",
                                         id="to")
                    with Horizontal(classes="field-row"):
                        yield Label("Subject", id="subject-label")
                        yield InertInput(self._start.subject, id="subject")
                    if not (self.config.name.strip() or self.config.signature.strip()):
                        with Horizontal(classes="field-row", id="sign-as-row"):
                            yield Label("No name to sign with — yours:", id="sign-as-label")
                            yield InertInput(placeholder="enter saves it to config.toml",
                                             id="sign-as")
                yield InertTextArea(self._start.body, id="body", soft_wrap=True)
            with VerticalScroll(id="compose-side"):
                yield Static(id="checks-summary")
                names = CALL_CHECKS if self.kind is Kind.CALL else THANK_YOU_CHECKS
                for name in names:
                    yield Static(id=f"check-{name}", classes="check")
        # no palette key: at 80 columns it covered the last key (ctrl+p still works)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        if self._missing:
            self._say(f"There is no interview {self.interview_id!r}.", severity="error")
            self.dismiss(False)
            return
        if self._template_error:
            self._say(self._template_error, title="The template has a problem", severity="error")
        # no name to sign with yet: the question is asked first, where typing goes
        asking = self.query("#sign-as")
        (asking.first() if asking else self.query_one("#body", TextArea)).focus()
        self.refresh_checks()
        if self._user_template:
            self.template_worker = self.run_worker(
                self._render_user_template, thread=True, group="template", exit_on_error=False
            )

    # --- reading the form ----------------------------------------------------------------

    @property
    def to(self) -> str:
        found = self.query("#to")
        return found.first(Input).value if found else self._start.to

    @property
    def subject(self) -> str:
        found = self.query("#subject")
        return found.first(Input).value if found else self._start.subject

    @property
    def body(self) -> str:
        return self.query_one("#body", TextArea).text

    def _keep(self) -> None:
        self.drafts[self.key] = KeptDraft(self.to, self.subject, self.body)

    # --- the checks ------------------------------------------------------------------------

    def _run(self, body: str) -> list[CheckResult]:
        return run_checks(
            body,
            self.application,
            self.interview,
            self.kind,
            self.now,
            self.rules,
            self.config.max_words,
        )

    @on(Input.Submitted, "#sign-as")
    def _sign_as(self, event: Input.Submitted) -> None:
        """Save the name typed in the prompt to config.toml and sign this draft with it."""
        name = event.value.strip()
        if not name:
            self._say("Type your name first: it signs your drafts.", severity="warning")
            return
        try:
            save_setting("name", name)
        except (OSError, UserError) as error:
            self._say(f"Your name could not be saved: {error}", severity="error")
            return
        self.config = self.config.replace(name=name)
        app_config = getattr(self.app, "config", None)
        if isinstance(app_config, Config):  # the next drafts sign themselves too
            self.app.config = app_config.replace(name=name)  # type: ignore[attr-defined]
        area = self.query_one("#body", TextArea)
        signed = sign_empty_sign_off(area.text, name)
        if signed != area.text:
            area.load_text(signed)
        self.query_one("#sign-as-row").remove()
        area.focus()
        self._keep()
        self.refresh_checks()
        where = self.config.path or "config.toml"
        self._say(f"Saved your name to {where}; drafts sign with it from now on.",
                  title="Name saved")

    @on(TextArea.Changed)
    @on(Input.Changed, "#to, #subject")
    def _edited(self) -> None:
        self._keep()
        # checks are cheap, but not on every keystroke of a fast typist
        if self._check_timer is not None:
            self._check_timer.stop()
        self._check_timer = self.set_timer(CHECK_DELAY, self.refresh_checks)

    def refresh_checks(self) -> None:
        """Run the checks on the body now and show them."""
        self._check_timer = None
        self.results = self._run(self.body)
        failing = sum(1 for r in self.results if not r.ok)
        summary = self.query_one("#checks-summary", Static)
        if failing:
            text = Text(f"{failing} of {len(self.results)} checks to fix")
        else:
            text = Text(f"All {len(self.results)} checks pass")
        held = self._held_back()
        if held:
            text.append(f"\nNot yet: {held}", style="bold")
        summary.update(text)
        for result in self.results:
            widget = self.query_one(f"#check-{result.name}", Static)
            mark = "✗" if not result.ok else "!" if result.warning else "✓"
            label = CHECK_LABELS.get(result.name, result.name)
            text = Text.assemble((f"{mark} {label}", "bold"), "\n", printable(result.detail))
            widget.update(text)
            widget.set_class(result.ok and not result.warning, "-ok")
            widget.set_class(result.ok and result.warning, "-warn")
            widget.set_class(not result.ok, "-fail")

    def _held_back(self) -> str | None:
        """Why the advice says to wait with this follow-up now, if it does."""
        for follow_up in follow_ups(self.application, self.now, self.rules):
            mine = (follow_up.interview_id, follow_up.kind) == (self.interview_id, self.kind)
            if mine and follow_up.state in (State.SUPPRESSED, State.WAITING):
                return follow_up.reason
        return None

    def _say(self, message: str, **options: object) -> None:
        """A notification whose text is shown as written (it may hold paths and user data)."""
        self.notify(message, markup=False, **options)  # type: ignore[arg-type]

    # --- actions ------------------------------------------------------------------------------

    def action_copy(self) -> None:
        body = self.body
        self.app.copy_to_clipboard(body)
        # OSC 52 asks the terminal to set its clipboard: whether it did, no one is told
        self._say(
            f"Sent the body ({word_count(body)} words) to the terminal's clipboard (OSC 52). "
            "Not every terminal accepts it: if pasting gives nothing, save an .eml (ctrl+s) "
            "or use your editor (ctrl+o).",
            title="Clipboard",
        )

    def action_editor(self) -> None:
        command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        try:
            argv = shlex.split(command)
        except ValueError:
            argv = []
        if not argv:
            self._say(f"$EDITOR ({command!r}) cannot be run.", severity="error")
            return
        with tempfile.TemporaryDirectory(prefix="followup-tui-") as folder:
            path = Path(folder) / "draft.txt"
            fd = create_private(path)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(self.body)
            try:
                with self.app.suspend():
                    finished = subprocess.run([*argv, str(path)], check=False)
            except OSError as error:
                self._say(
                    f"Could not run {argv[0]!r} ({error.strerror}); set $EDITOR to your editor.",
                    severity="error",
                )
                return
            except Exception as error:  # noqa: BLE001 - e.g. SuspendNotSupported
                self._say(f"The editor cannot be opened here: {error}", severity="error")
                return
            if finished.returncode != 0:
                self._say(
                    f"{argv[0]} exited with status {finished.returncode}; the body is unchanged.",
                    severity="warning",
                )
                return
            try:
                edited = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                self._say(f"The edited text cannot be read: {error}", severity="error")
                return
        area = self.query_one("#body", TextArea)
        area.load_text(edited.rstrip("\n"))
        self._keep()
        self.refresh_checks()
        self._say("Body updated from the editor.")

    def action_mailto(self) -> None:
        handler = mailto_handler()
        if handler is None:
            self._say(
                "No program here handles mailto: links, so nothing was opened. Save an .eml "
                "(ctrl+s) for your mail client, or copy the body (ctrl+t).",
                title="No mail app", severity="warning", timeout=10,
            )
            return
        url = mailto_url(self.to, self.subject, self.body)
        self.app.open_url(url)
        self._say(f"Handed the draft to {handler} (a mailto: link); it opens there if it "
                  "accepts it.", title="Mail")

    def action_save_eml(self) -> None:
        message = email_message(self.to, self.subject, self.body, self.now)
        stem = _slug(f"{self.application.company}-{self.kind.value.replace('_', '-')}")
        try:
            directory = self.eml_dir or default_eml_dir()
            path = write_eml(directory, stem, message.as_bytes())
        except OSError as error:
            self._say(f"The draft could not be saved: {error}", severity="error")
            return
        self.saved_path = path
        self._say(f"Saved to {printable(str(path))}", title="Saved .eml", timeout=8)

    def action_mark_sent(self) -> None:
        self._keep()
        self.dismiss(True)

    def action_mark_called(self) -> None:
        self.action_mark_sent()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """One ctrl+r, worded for what is being written: a note is sent, a call is made;
        a call's talking points are not mail (no .eml, no mail app)."""
        if action in ("mailto", "save_eml"):
            return self.kind is Kind.THANK_YOU
        if action == "mark_sent":
            return self.kind is Kind.THANK_YOU
        if action == "mark_called":
            return self.kind is Kind.CALL
        return True

    def action_leave(self) -> None:
        self._keep()
        self.dismiss(False)
