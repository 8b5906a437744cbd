"""The import form: a calendar invitation (.ics) read, previewed, then saved (SPEC §7).

The path is read as it is typed (after a short pause): a file that is not there
or not a calendar is said at the field, and a calendar is planned against the
database in a thread (on its own connection), so the preview of what would
change is on screen before anything is saved. An invitation no application
holds or matches shows its organizer and two ways to choose: an existing
application, or a company and role to make one. ctrl+s hands the plan to the
app, which saves it as an undoable change.
"""

from __future__ import annotations

from datetime import tzinfo
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Label, Select, Static

from followup_tui.domain.model import Application
from followup_tui.errors import UserError
from followup_tui.interchange.invitations import (
    NoApplication,
    Plan,
    looks_like_calendar,
    plan_invitations,
)
from followup_tui.storage.store import Store, StoreError
from followup_tui.text import printable
from followup_tui.tui.screens.forms import FormScreen
from followup_tui.tui.styles import STYLES
from followup_tui.tui.widgets.inert import InertInput as Input  # controls drawn inertly

#: How long typing must pause before the path is read (a keystroke is not a path).
SETTLE_SECONDS = 0.3
#: Larger than any invitation: a bigger file is not read into memory for a preview.
MAX_PREVIEW_BYTES = 16 * 1024 * 1024


def _inert(text: str) -> Text:
    return Text(printable(text, single_line=True))


class InvitationForm(FormScreen[Plan | None]):
    """`i`: import an invitation; the preview shows what it would change, before saving."""

    # the forms' styles, then this form's own (FormScreen names only the first)
    CSS_PATH = [STYLES / "panels.tcss", STYLES / "invitation.tcss"]  # type: ignore[assignment]
    TITLE_TEXT = "Import a calendar invitation (.ics)"
    AUTO_FOCUS = "#path"

    def __init__(self, database: Path, tz: tzinfo, me: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.database = database
        self.tz = tz
        self.me = me
        #: The plan shown in the preview (None: nothing to save yet).
        self.plan: Plan | None = None
        #: Why there is no plan, said at the path field on save.
        self.problem = "Type the path of an invitation (.ics) file."
        self._asked = 0  # which reading the preview waits for; older ones are dropped
        self._timer: Timer | None = None
        self._choices_loaded = False

    def fields(self) -> ComposeResult:
        yield from self.row("File", Input(placeholder="~/Downloads/invite.ics", id="path"),
                            "path")
        with Vertical(id="choose"):
            yield Static("", id="organizer", classes="invitation-organizer")
            yield from self.row(
                "Add it to an existing application",
                Select[str]([], prompt="Choose an application…", id="application"),
                "application",
            )
            yield Label("…or to a new application:", classes="field-label")
            with Horizontal(classes="invitation-new"):
                with Vertical():
                    yield from self.row("Company", Input(id="company"), "company")
                with Vertical():
                    yield from self.row("Role", Input(id="role"), "role")
        yield Label("What it will change (nothing is saved until ctrl+s)", classes="form-section")
        yield Static(Text("Nothing yet: type the path of an invitation."),
                     id="preview", classes="invitation-preview")

    # --- reading as the user types ------------------------------------------------

    @on(Input.Changed, "#path, #company, #role")
    @on(Select.Changed, "#application")
    def _changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._asked += 1  # what is planned now is stale already
        self.plan = None
        self.problem = "The invitation is still being read: a moment."
        self._timer = self.set_timer(SETTLE_SECONDS, self.read_now)

    @on(Input.Submitted, "#path, #company, #role")
    def _submitted(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self.read_now()

    def read_now(self) -> None:
        """Read the path and plan its invitations (in a thread); say at the field what
        is wrong with it."""
        self._asked += 1
        asked = self._asked
        self.plan = None
        typed = self.value("path")
        if not typed:
            self._show("", "Nothing yet: type the path of an invitation.")
            self.problem = "Type the path of an invitation (.ics) file."
            return
        path = Path(typed).expanduser()
        data = self._read(path)
        if data is None:
            return
        choice = self._choice()
        if choice is None:
            return
        self._show("", "Reading the invitation…")
        self.problem = "The invitation is still being read: a moment."

        def plan() -> None:
            self._plan(asked, data, *choice)

        self.run_worker(plan, thread=True, group="invitation", exit_on_error=False)

    def _read(self, path: Path) -> bytes | None:
        try:
            if not path.is_file():
                where = printable(str(path), single_line=True)
                problem = (f"{where} is a folder, not a file." if path.is_dir()
                           else f"There is no file at {where}.")
                return self._refuse(problem)
            if path.stat().st_size > MAX_PREVIEW_BYTES:
                return self._refuse("That file is far larger than any invitation.")
            data = path.read_bytes()
        except OSError as error:
            return self._refuse(f"It cannot be read ({error.strerror}).")
        if not looks_like_calendar(data):
            return self._refuse("That is not a calendar file (it does not start with "
                                "BEGIN:VCALENDAR).")
        return data

    def _refuse(self, problem: str) -> bytes | None:
        """Say at the field why the path gives nothing to read; None (no data)."""
        self.problem = problem
        self._show(problem, "Nothing to import.")
        return None

    def _choice(self) -> tuple[str | None, str | None, str | None] | None:
        """The application chosen in the form: (id, company, role); None when half given."""
        picked = self.query_one("#application", Select).value
        company, role = self.value("company"), self.value("role")
        self._say("company", "")
        self._say("role", "")
        if company or role:
            if not (company and role):
                missing = "role" if company else "company"
                self._say(missing, f"Give a {missing} too, to make a new application.")
                self.problem = "Give both a company and a role (or neither)."
                self._show("", "Nothing to import yet.")
                return None
            return None, company, role
        if isinstance(picked, str):
            return picked, None, None
        return None, None, None

    def _plan(self, asked: int, data: bytes, application_id: str | None,
              company: str | None, role: str | None) -> None:
        """In a worker thread, on its own connection: plan against every application."""
        applications: list[Application] = []
        try:
            with Store(self.database) as store:
                applications = store.load_all()
            plan = plan_invitations(data, applications, tz=self.tz, me=self.me,
                                    application_id=application_id, company=company, role=role)
        except NoApplication as error:
            self.app.call_from_thread(self._planned, asked, None, str(error), applications)
            return
        except (UserError, StoreError) as error:
            self.app.call_from_thread(self._planned, asked, None, str(error), None)
            return
        self.app.call_from_thread(self._planned, asked, plan, "", None)

    def _planned(self, asked: int, plan: Plan | None, problem: str,
                 unmatched: list[Application] | None) -> None:
        if asked != self._asked:
            return  # the path or the choice changed since: another reading follows
        self.plan = plan
        chooser = self.query_one("#choose")
        if unmatched is not None:
            self._offer(unmatched, problem)
        elif self.query_one("#application", Select).is_blank() and not self.value("company"):
            chooser.remove_class("-shown")
        if plan is None:
            self.problem = problem
            self._show("" if unmatched is not None else problem, "Nothing to import yet.")
            return
        self.problem = "" if plan.changes_anything else "Nothing to import: " + plan.summary()
        self._say("path", "")
        preview = Text()
        preview.append(_inert(plan.summary() + "."))
        for line in plan.describe():
            preview.append("\n  ")
            preview.append(_inert(line))
        shown = self.query_one("#preview", Static)
        shown.update(preview)
        # on a short terminal the preview is below the fields: bring it into view
        self.call_after_refresh(shown.scroll_visible, animate=False)

    def _offer(self, applications: list[Application], problem: str) -> None:
        """No application holds or matches it: show who sent it and the two ways to choose."""
        self.query_one("#choose").add_class("-shown")
        self.query_one("#organizer", Static).update(_inert(problem.split(" Choose one:")[0]))
        if not self._choices_loaded:
            self._choices_loaded = True
            options = sorted(
                (printable(f"{app.company} — {app.role}", single_line=True), app.id)
                for app in applications
            )
            self.query_one("#application", Select).set_options(options)

    def _show(self, problem: str, preview: str) -> None:
        self._say("path", problem)
        self.query_one("#preview", Static).update(Text(preview))

    def _say(self, name: str, message: str) -> None:
        line = self.query_one(f"#{name}-error", Static)
        line.update(Text(message))
        line.set_class(bool(message), "-shown")

    # --- saving ------------------------------------------------------------------------

    def validate(self) -> Plan | None:
        if self.plan is None or self.problem:
            self.fault("path", self.problem or "Type the path of an invitation (.ics) file.")
            return None
        return self.plan
