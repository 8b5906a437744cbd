"""The forms: add/edit an application and interview, log an event, mark done, snooze,
choose what to add.

Each form validates on save and shows every fault at its field; it dismisses
with a plain result object only when everything is valid, so nothing invalid
reaches the store. Dates are typed naturally and read back in full beside the
field as the user types.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widget import Widget
from textual.widgets import Button, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from followup_tui.domain.model import (
    INTERVIEW_FORMATS,
    Application,
    Contact,
    Event,
    EventType,
    FollowUp,
    Interview,
    Rules,
)
from followup_tui.domain.rules import parse_moment
from followup_tui.domain.snooze import snooze_choices
from followup_tui.domain.when import When, WhenError, parse_day, parse_duration, parse_when
from followup_tui.settings.date_order import day_first
from followup_tui.text import printable
from followup_tui.tui.humanize import distance
from followup_tui.tui.keys import bindings
from followup_tui.tui.styles import STYLES
from followup_tui.tui.widgets.inert import InertInput as Input  # controls drawn inertly
from followup_tui.tui.widgets.inert import InertTextArea as TextArea

ResultType = TypeVar("ResultType")


def _literal(text: str) -> Text:
    """User data for a label: shown as typed, never read as markup."""
    return Text(printable(text, single_line=True))


def _shown(when: When, now: datetime, tz: tzinfo) -> Text:
    """The read-back of a typed date: in full, and how far it is ("· 2 hours ago")."""
    return Text(f"→ {when.describe()} · {distance(when.moment, now, tz, has_time=when.has_time)}")
def _inert(text: Text) -> Text:
    """A styled hint with any control characters in it made visible."""
    if text.plain.isprintable():
        return text
    return Text(printable(text.plain, single_line=True), style=text.style)


class FormScreen(ModalScreen[ResultType]):
    """A modal form: ctrl+s saves when valid, escape cancels."""

    CSS_PATH = STYLES / "panels.tcss"  # not relative to a subclass

    BINDINGS = bindings("form")
    TITLE_TEXT = ""
    #: Start in the first field, not on the scrolling container around the fields.
    AUTO_FOCUS = "Input, Select, OptionList, TextArea"

    def __init__(self) -> None:
        super().__init__()
        self.faults: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield Label(self.TITLE_TEXT, classes="form-title")
            with VerticalScroll(classes="form-fields", can_focus=False):
                yield from self.fields()
            yield Static("", classes="form-summary", id="form-summary")
            with Horizontal(classes="form-buttons"):
                yield Button("Save  ctrl+s", variant="primary", id="save")
                yield Button("Cancel  esc", id="cancel")

    def fields(self) -> ComposeResult:
        raise NotImplementedError

    def on_mount(self) -> None:
        # after the subclasses' on_mount (which may focus another field), and a layout
        self.call_after_refresh(self._show_focused_label)

    def _show_focused_label(self) -> None:
        """Focusing the first field scrolls only the field into view, hiding its label
        above it: show the label too, so a form opens saying what it asks first."""
        focused = self.focused
        parent = focused.parent if focused is not None else None
        if focused is None or parent is None:
            return
        siblings = list(parent.children)
        before = siblings[: siblings.index(focused)] if focused in siblings else []
        label = next((w for w in reversed(before) if isinstance(w, Label)), None)
        if label is not None:
            label.scroll_visible(animate=False, top=True)

    # --- field helpers -----------------------------------------------------------

    @staticmethod
    def row(label: str, widget: Widget, name: str, hint: str = "") -> ComposeResult:
        """A label, the input, and lines for its read-back hint and its fault."""
        yield Label(label, classes="field-label")
        yield widget
        yield Static(_literal(hint), id=f"{name}-hint",  # a hint may name contacts
                     classes="field-hint -shown" if hint else "field-hint")
        yield Static("", id=f"{name}-error", classes="field-error")

    def fault(self, name: str, message: str) -> None:
        self.faults[name] = message

    def show_faults(self) -> None:
        for error in self.query(".field-error").results(Static):
            name = (error.id or "").removesuffix("-error")
            message = self.faults.get(name, "")
            error.update(Text(message))
            error.set_class(bool(message), "-shown")
        summary = self.query_one("#form-summary", Static)
        if self.faults:
            summary.update(Text(f"Not saved: {len(self.faults)} field(s) need fixing."))
        else:
            summary.update("")
        if self.faults:
            first = next(iter(self.faults))
            try:
                widget = self.query_one(f"#{first}")
            except Exception:  # noqa: BLE001 - a fault without its own widget
                return
            widget.focus()
            widget.scroll_visible(animate=False)

    def hint(self, name: str, text: str | Text) -> None:
        line = self.query_one(f"#{name}-hint", Static)
        # a hint may echo what was typed or pasted: shown inertly, never as markup
        line.update(_literal(text) if isinstance(text, str) else _inert(text))
        line.set_class(bool(text), "-shown")

    def value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value.strip()

    # --- actions ---------------------------------------------------------------------

    def validate(self) -> ResultType | None:
        raise NotImplementedError

    def action_save(self) -> None:
        self.faults = {}
        result = self.validate()
        self.show_faults()
        if not self.faults and result is not None:
            self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_delete(self) -> None:
        """Only a form that edits something deletable (an event) deletes."""

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


class NameSuggester(Suggester):
    """Completes the last name of a comma-separated list from the application's contacts."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.names = names

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(",")
        last = last.lstrip()
        if not last:
            return None
        for name in self.names:
            if name.lower().startswith(last.lower()) and name != last:
                prefix = f"{head}, " if head else ""
                return prefix + name
        return None


def _moment_text(text: str, tz: tzinfo) -> str:
    """A stored moment as the form shows it: '2026-11-20 10:00' local."""
    return f"{parse_moment(text, tz).astimezone(tz):%Y-%m-%d %H:%M}"


def _contact_line(contact: Contact) -> str:
    parts = [contact.name, contact.title, contact.email, contact.phone]
    while parts and not parts[-1]:
        parts.pop()
    return " | ".join(parts)


@dataclass(frozen=True, slots=True)
class InterviewFormResult:
    company: str
    role: str
    link: str
    notes: str
    contacts: tuple[Contact, ...]
    #: The interview to save (id "" for a new one), or None.
    interview: Interview | None
    #: When the application was sent (YYYY-MM-DD), if given (SPEC §9 counts from it).
    applied_on: str | None = None


class InterviewForm(FormScreen[InterviewFormResult | None]):
    """Add or edit an application, its contacts and one interview, in one form."""

    def __init__(
        self,
        now: datetime,
        tz: tzinfo,
        application: Application | None = None,
        interview: Interview | None = None,
        *,
        interview_required: bool = False,
        conflicts: dict[str, tuple[Any, Any]] | None = None,
        new: bool = False,
    ) -> None:
        super().__init__()
        self.now = now
        self.tz = tz
        self.application = application
        self.interview = interview
        self.interview_required = interview_required
        #: Fields another program changed too since the form was first opened, by
        #: widget: (the user's value, the stored one) as the field shows them.
        self.conflicts: dict[str, tuple[str, str]] = {}
        for name, (mine, theirs) in (conflicts or {}).items():
            widget = _WIDGET_OF.get(name, name)
            if widget in self.conflicts:
                continue  # an end that moved with its start: the start says it
            self.conflicts[widget] = (self._text(name, mine), self._text(name, theirs))
        self.day_first = day_first()
        if application is None or new:
            self.TITLE_TEXT = "New application"
        elif interview is None and interview_required:
            self.TITLE_TEXT = "Add an interview"
        else:
            self.TITLE_TEXT = "Edit"

    def _text(self, name: str, value: Any) -> str:
        """A stored field's value as its field shows it."""
        if value is None:
            return ""
        if name == "contacts":
            return "\n".join(_contact_line(c) for c in value)
        if name in ("topics", "fit_points"):
            return "\n".join(value)
        if name == "interviewers":
            return ", ".join(value)
        if name in ("starts_at", "ends_at"):
            return _moment_text(value, self.tz)
        return str(value)

    def row(  # type: ignore[override]
        self, label: str, widget: Widget, name: str, hint: str = ""
    ) -> ComposeResult:
        """The field, and under it, when another program changed it too, both values
        and the choice between them."""
        yield from FormScreen.row(label, widget, name, hint)
        if name not in self.conflicts:
            return
        mine, theirs = self.conflicts[name]
        yield Static(Text("Changed by another program too since you opened this form: "
                          "choose which to keep (enter), then save."),
                     classes="field-conflict")
        yield OptionList(
            Option(_literal(f"Keep yours: {_one_line(mine)}"), id="mine"),
            Option(_literal(f"Take theirs: {_one_line(theirs)}"), id="theirs"),
            id=f"{name}-choice", classes="conflict-choice",
        )

    @on(OptionList.OptionSelected, ".conflict-choice")
    def _choose(self, event: OptionList.OptionSelected) -> None:
        name = (event.option_list.id or "").removesuffix("-choice")
        mine, theirs = self.conflicts[name]
        text = theirs if event.option.id == "theirs" else mine
        widget = self.query_one(f"#{name}")
        if isinstance(widget, Input):
            widget.value = text
        elif isinstance(widget, TextArea):
            widget.text = text
        elif isinstance(widget, Select):
            if text and text not in INTERVIEW_FORMATS:
                self.hint(name, _literal(f"✗ {text!r} is not a format this version lists"))
                return
            widget.value = text or Select.NULL
        self.hint(name, Text(f"→ {'theirs' if event.option.id == 'theirs' else 'yours'} kept"))

    def fields(self) -> ComposeResult:
        app, iv = self.application, self.interview
        if self.conflicts:
            yield Static(Text("Another program changed this record while the form was open. "
                              "Where you both changed a field, both values are shown."),
                         classes="form-subject")
        yield Label("Application", classes="form-section")
        yield from self.row("Company *", Input(app.company if app else "", id="company"), "company")
        yield from self.row("Role *", Input(app.role if app else "", id="role"), "role")
        yield from self.row("Link", Input(app.link if app else "", id="link"), "link")
        yield from self.row(
            "Applied on (a date, optional) — e.g. last mon, 2026-11-02",
            Input((app.applied_on or "") if app else "", placeholder="last mon",
                  id="applied_on"),
            "applied_on",
        )
        yield from self.row(
            "Contacts — one per line: name | title | email | phone",
            TextArea("\n".join(_contact_line(c) for c in app.contacts) if app else "",
                     id="contacts", classes="short-area"),
            "contacts",
        )
        section = "Interview" if self.interview_required or iv else "First interview (optional)"
        yield Label(section, classes="form-section")
        starts = _moment_text(iv.starts_at, self.tz) if iv else ""
        yield from self.row(
            "When * — e.g. 2026-11-20 10:00, tomorrow 3pm, fri 10am"
            if self.interview_required or iv else "When — leave empty to add the application alone",
            Input(starts, placeholder="tomorrow 3pm", id="starts"),
            "starts",
        )
        duration = str(iv.duration_minutes) if iv and iv.duration_minutes else ""
        yield from self.row(
            "Duration (default 60 minutes) — e.g. 90, 90m, 1.5h, 1h30",
            Input(duration, placeholder="60", id="duration"),
            "duration",
        )
        formats = [(name, name) for name in INTERVIEW_FORMATS]
        yield from self.row(
            "Format",
            Select(formats, prompt="(not recorded)", value=iv.format
                   if iv and iv.format in INTERVIEW_FORMATS else Select.NULL, id="format"),
            "format",
        )
        yield from self.row("Round", Input(iv.round if iv else "", placeholder="First round",
                                           id="round"), "round")
        names = [c.name for c in app.contacts] if app else []
        known = ("Contacts: " + ", ".join(names)) if names else ""
        yield from self.row(
            "Interviewers — comma separated; new names are added as contacts",
            Input(", ".join(iv.interviewers) if iv else "", id="interviewers",
                  suggester=NameSuggester(names)),
            "interviewers",
            known,
        )
        yield from self.row(
            "Topics discussed — one per line",
            TextArea("\n".join(iv.topics) if iv else "", id="topics", classes="short-area"),
            "topics",
        )
        yield from self.row(
            "Why you fit — one point per line",
            TextArea("\n".join(iv.fit_points) if iv else "", id="fit_points",
                     classes="short-area"),
            "fit_points",
        )
        decision = iv.decision_by if iv and iv.decision_by else ""
        yield from self.row(
            "They will decide by (a date, optional)",
            Input(decision, placeholder="next fri", id="decision_by"),
            "decision_by",
        )
        yield from self.row("Notes", Input(iv.notes if iv else "", id="notes"), "notes")

    def on_mount(self) -> None:
        self._read_back("starts")
        self._read_back("decision_by")
        self._read_back("applied_on")
        self._read_duration()
        if self.interview_required:
            # the application's fields are filled in already: start at the interview
            self.query_one("#starts", Input).focus()

    @on(Input.Changed, "#starts")
    @on(Input.Changed, "#decision_by")
    @on(Input.Changed, "#applied_on")
    def _changed(self, event: Input.Changed) -> None:
        if event.input.id:
            self._read_back(event.input.id)

    def _read_back(self, name: str) -> None:
        """Show what the typed date means, or why it cannot be read."""
        text = self.value(name)
        if not text:
            self.hint(name, "")
            return
        try:
            if name == "starts":
                when = parse_when(text, self.now, self.tz, need_time=True,
                                  day_first=self.day_first)
            elif name == "applied_on":
                day = self._applied_day(text)
                when = When(datetime.combine(day, datetime.min.time(), self.tz), False)
            else:
                day = parse_day(text, self.now, self.tz, day_first=self.day_first)
                when = When(datetime.combine(day, datetime.min.time(), self.tz), False)
        except WhenError as error:
            self.hint(name, Text(f"✗ {error}"))
        else:
            self.hint(name, _shown(when, self.now, self.tz))

    def _applied_day(self, text: str) -> date:
        """The typed application date: a day that has come (past mode: "mon" is the last
        Monday), never a time; `WhenError` otherwise."""
        when = parse_when(text, self.now, self.tz, past=True, day_first=self.day_first)
        if when.has_time:
            raise WhenError(f"{text.strip()!r}: give a day only, without a time.")
        return when.day

    @on(Input.Changed, "#duration")
    def _read_duration(self) -> None:
        """Show the typed duration in minutes ("1.5h" → 90 minutes), or why it is refused."""
        text = self.value("duration")
        if not text:
            self.hint("duration", "")
            return
        try:
            self.hint("duration", Text(f"→ {parse_duration(text)} minutes"))
        except WhenError as error:
            self.hint("duration", Text(f"✗ {error}"))

    def validate(self) -> InterviewFormResult | None:
        company, role = self.value("company"), self.value("role")
        if not company:
            self.fault("company", "A company is required.")
        if not role:
            self.fault("role", "A role is required.")
        link = self.value("link")
        contacts: list[Contact] = []
        for number, line in enumerate(_lines(self.query_one("#contacts", TextArea).text), 1):
            parts = [part.strip() for part in line.split("|")] + ["", "", ""]
            if not parts[0]:
                self.fault("contacts", f"Line {number}: a contact needs a name first.")
            elif len(parts) > 7:
                self.fault("contacts", f"Line {number}: at most 4 parts (name | title | email "
                           "| phone).")
            elif parts[2] and "@" not in parts[2]:
                self.fault("contacts", f"Line {number}: {parts[2]!r} is not an email address.")
            else:
                contacts.append(Contact(parts[0], parts[1], parts[2], parts[3]))
        applied_on: str | None = None
        if self.value("applied_on"):
            try:
                applied_on = self._applied_day(self.value("applied_on")).isoformat()
            except WhenError as error:
                self.fault("applied_on", str(error))
        interview = self._interview(contacts)
        if self.faults:
            return None
        return InterviewFormResult(
            company, role, link, self.application.notes if self.application else "",
            tuple(contacts), interview, applied_on,
        )

    def _interview(self, contacts: list[Contact]) -> Interview | None:
        iv = self.interview
        starts_text = self.value("starts")
        if not starts_text:
            if self.interview_required or iv is not None:
                self.fault("starts", "When did (or will) the interview start?")
            return None
        starts = ""
        try:
            when = parse_when(starts_text, self.now, self.tz, need_time=True,
                              day_first=self.day_first)
        except WhenError as error:
            self.fault("starts", str(error))
        else:
            unchanged = iv is not None and starts_text == _moment_text(iv.starts_at, self.tz)
            starts = iv.starts_at if iv is not None and unchanged else when.iso()
        duration: int | None = None
        if self.value("duration"):
            try:
                duration = parse_duration(self.value("duration"))
            except WhenError as error:
                self.fault("duration", str(error))
            else:
                if not 1 <= duration <= 24 * 60:
                    self.fault("duration", "A duration from 1 to 1440 minutes.")
        decision: str | None = None
        if self.value("decision_by"):
            try:
                decision = parse_day(self.value("decision_by"), self.now, self.tz,
                                     day_first=self.day_first).isoformat()
            except WhenError as error:
                self.fault("decision_by", str(error))
        interviewers = tuple(
            name.strip() for name in self.value("interviewers").split(",") if name.strip()
        )
        known = {c.name for c in contacts}
        for name in interviewers:
            if name not in known:
                contacts.append(Contact(name))
                known.add(name)
        fmt = self.query_one("#format", Select).value
        return Interview(
            id=iv.id if iv else "",
            starts_at=starts,
            ends_at=None if iv is None or not unchanged_or(iv, starts) else iv.ends_at,
            duration_minutes=duration,
            format=fmt if isinstance(fmt, str) else None,
            round=self.value("round"),
            interviewers=interviewers,
            topics=_lines(self.query_one("#topics", TextArea).text),
            fit_points=_lines(self.query_one("#fit_points", TextArea).text),
            decision_by=decision,
            notes=self.value("notes"),
        )


#: The form's widget of each merged field whose name differs (see app.INTERVIEW_FIELDS).
_WIDGET_OF = {"starts_at": "starts", "ends_at": "starts", "duration_minutes": "duration"}


def _one_line(text: str) -> str:
    return " / ".join(text.splitlines()) or "(empty)"


def unchanged_or(iv: Interview, starts: str) -> bool:
    """Keep a recorded `ends_at` only while the start is unchanged."""
    return iv.starts_at == starts


# --- log an event ----------------------------------------------------------------

LOGGABLE = tuple(t for t in EventType if t not in (EventType.SNOOZED, EventType.SKIPPED))


#: What the event form answers when the user deletes the event it edits.
DELETE_EVENT = "delete"


class EventForm(FormScreen["Event | str | None"]):
    """Log something that happened: a reply, a call, an offer, a note…; or, given an
    `event`, correct it (ctrl+d deletes it: the result is DELETE_EVENT).

    Its time is in the past: a bare weekday is the last one, a time after now is refused.
    """

    TITLE_TEXT = "Log an event"

    def __init__(
        self, now: datetime, tz: tzinfo, application: Application, interview_id: str | None,
        event: Event | None = None,
    ) -> None:
        super().__init__()
        self.now = now
        self.tz = tz
        self.day_first = day_first()
        self.application = application
        self.interview_id = event.interview if event is not None else interview_id
        self.event = event
        if event is not None:
            self.TITLE_TEXT = "Correct an event · ctrl+d deletes it"

    def action_delete(self) -> None:
        if self.event is not None:
            self.dismiss(DELETE_EVENT)

    def _local(self, at: str) -> str:
        """An event's time as a person types it: "2026-12-07 09:00", in local time."""
        return f"{parse_moment(at, self.tz).astimezone(self.tz):%Y-%m-%d %H:%M}"

    def fields(self) -> ComposeResult:
        yield Static(_literal(f"{self.application.company} — {self.application.role}"),
                     classes="form-subject")
        event = self.event
        types = list(LOGGABLE)
        if event is not None and event.type not in types:
            types.append(event.type)  # a snooze or a skip is corrected as what it is
        yield from self.row(
            "What happened *",
            Select([(t.label, t.value) for t in types],
                   value=(event.type if event else EventType.REPLY_RECEIVED).value,
                   allow_blank=False, id="type"),
            "type",
        )
        yield from self.row(
            "When — empty means now",
            Input(self._local(event.at) if event else "",
                  placeholder="now, or e.g. yesterday 4pm", id="at"),
            "at",
        )
        options: list[tuple[Any, str]] = [
            (_literal(f"{iv.round or 'Interview'} · {iv.id}"), iv.id)
            for iv in self.application.interviews
        ]
        yield from self.row(
            "Interview (for sent / call made)",
            Select(options, prompt="(the whole application)",
                   value=self.interview_id if self.interview_id else Select.NULL, id="interview"),
            "interview",
        )
        yield from self.row(
            "Note", Input(event.text if event else "", placeholder="optional", id="text"), "text"
        )

    def on_mount(self) -> None:
        self._read_back()

    @on(Input.Changed, "#at")
    def _read_back(self) -> None:
        text = self.value("at")
        if not text:
            shown = When(self.now.astimezone(self.tz), True).describe()
            self.hint("at", Text(f"→ now ({shown})"))
            return
        try:
            when = parse_when(text, self.now, self.tz, past=True, day_first=self.day_first)
        except WhenError as error:
            self.hint("at", Text(f"✗ {error}"))
        else:
            self.hint("at", _shown(when, self.now, self.tz))

    def validate(self) -> Event | None:
        kind = EventType(str(self.query_one("#type", Select).value))
        at = self.now.astimezone(self.tz).replace(second=0, microsecond=0).isoformat(
            timespec="minutes"
        )
        if self.value("at"):
            try:
                at = parse_when(self.value("at"), self.now, self.tz, past=True,
                                day_first=self.day_first).iso()
            except WhenError as error:
                self.fault("at", str(error))
        chosen = self.query_one("#interview", Select).value
        interview = chosen if isinstance(chosen, str) else None
        text = self.value("text")
        if kind is EventType.NOTE and not text:
            self.fault("text", "A note needs some text.")
        if self.faults:
            return None
        if self.event is not None:  # its kind, until and source stay
            return self.event.replace(at=at, type=kind, interview=interview, text=text)
        return Event(at=at, type=kind, interview=interview, text=text)


# --- snooze -------------------------------------------------------------------------


class SnoozeForm(FormScreen[str | None]):
    """Snooze a follow-up until a date: quick choices or a typed date."""

    TITLE_TEXT = "Snooze"

    def __init__(
        self,
        now: datetime,
        rules: Rules,
        follow_up: FollowUp,
        interview: Interview,
        subject: str = "",
    ) -> None:
        super().__init__()
        self.subject = subject
        self.now = now
        self.rules = rules
        self.follow_up = follow_up
        self.interview = interview
        self.day_first = day_first()

    def quick_choices(self) -> list[tuple[str, str]]:
        """(label, ISO date): each date once (domain.snooze), so the ids never repeat."""
        choices = snooze_choices(
            self.now, self.rules, self.follow_up.kind, self.interview.decision_by
        )
        return [(choice.label, choice.day.isoformat()) for choice in choices]

    def fields(self) -> ComposeResult:
        subject = _literal(self.subject)
        subject.append(f"  {self.follow_up.kind.label} · {self.follow_up.state.value}")
        yield Static(subject, classes="form-subject")
        options = OptionList(
            *[Option(f"{label}  ({self._day(value)})", id=value)
              for label, value in self.quick_choices()],
            id="quick",
        )
        yield from self.row("Quick choice — enter picks", options, "quick")
        yield from self.row(
            "Or until (a date or date-time)", Input(placeholder="e.g. 2 dec, next wed", id="until"),
            "until",
        )

    def _day(self, iso: str) -> str:
        return When(parse_moment(iso, self.rules.tz), False).describe()

    def on_mount(self) -> None:
        quick = self.query_one("#quick", OptionList)
        quick.highlighted = 0
        quick.focus()

    @on(OptionList.OptionSelected, "#quick")
    def _quick(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(event.option.id)

    @on(Input.Changed, "#until")
    def _read_back(self) -> None:
        text = self.value("until")
        if not text:
            self.hint("until", "")
            return
        try:
            when = parse_when(text, self.now, self.rules.tz, day_first=self.day_first)
        except WhenError as error:
            self.hint("until", Text(f"✗ {error}"))
        else:
            self.hint("until", _shown(when, self.now, self.rules.tz))

    def validate(self) -> str | None:
        text = self.value("until")
        if not text:
            self.fault("until", "Pick a quick choice or type a date.")
            return None
        try:
            when = parse_when(text, self.now, self.rules.tz, day_first=self.day_first)
        except WhenError as error:
            self.fault("until", str(error))
            return None
        if when.moment <= self.now:
            self.fault("until", f"{when.describe()} is not in the future.")
            return None
        return when.iso()


# --- mark done ----------------------------------------------------------------------


class DoneForm(FormScreen[str | None]):
    """`s`: when the thank-you was sent or the call made; "now" unless edited.

    People mark things done after the fact ("yesterday 6pm"); the time is in the past,
    so a reply received since settles the call. Dismisses with the moment in ISO form.
    """

    TITLE_TEXT = "Mark done"
    AUTO_FOCUS = "#at"

    def __init__(self, now: datetime, tz: tzinfo, subject: str, what: str) -> None:
        super().__init__()
        self.now = now
        self.tz = tz
        self.subject = subject
        self.what = what
        self.day_first = day_first()

    def fields(self) -> ComposeResult:
        yield Static(_literal(self.subject), classes="form-subject")
        yield from self.row(
            f"{self.what} — when? enter saves",
            Input("now", placeholder="now, or e.g. yesterday 6pm", id="at"),
            "at",
        )

    def on_mount(self) -> None:
        self._read_back()

    @on(Input.Changed, "#at")
    def _read_back(self) -> None:
        try:
            when = self._when()
        except WhenError as error:
            self.hint("at", Text(f"✗ {error}"))
        else:
            self.hint("at", _shown(when, self.now, self.tz))

    def _when(self) -> When:
        text = self.value("at") or "now"
        return parse_when(text, self.now, self.tz, past=True, day_first=self.day_first)

    @on(Input.Submitted, "#at")
    def _submitted(self) -> None:
        self.action_save()

    def validate(self) -> str | None:
        try:
            return self._when().iso()
        except WhenError as error:
            self.fault("at", str(error))
            return None


# --- what to add -----------------------------------------------------------------------


class AddChoice(ModalScreen[str | None]):
    """`a`: an interview for the selected application, or a new application."""

    CSS_PATH = STYLES / "panels.tcss"  # not relative to a subclass

    BINDINGS = bindings("add")

    def __init__(self, application: Application) -> None:
        super().__init__()
        self.application = application

    def compose(self) -> ComposeResult:
        with Vertical(classes="form choice"):
            yield Label("Add…", classes="form-title")
            label = Text("i  An interview for ")
            label.append_text(_literal(f"{self.application.company} — {self.application.role}"))
            choices = OptionList(
                Option(label, id="interview"),
                Option("n  A new application", id="application"),
                id="add-choice",
            )
            choices.highlighted = 0
            yield choices

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

