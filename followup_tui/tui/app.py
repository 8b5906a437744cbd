"""The Textual application: Review and Timeline over the store, actions, undo, live reload.

`FollowupApp` receives its store, clock, rules and config; it reads the time
only through the clock and the data only through the store. The follow-up
states live in one `Review` (followup_tui.tui.review: a line per interview in a
private SQLite database, read a page at a time) rebuilt when the data or "now"
changes; an action on one application refreshes only that one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual.actions import SkipAction
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.signal import Signal
from textual.theme import BUILTIN_THEMES

from followup_tui.domain.model import (
    Application,
    Event,
    EventType,
    FollowUp,
    Interview,
    Kind,
    Rules,
    State,
    Status,
)
from followup_tui.domain.rules import (
    application_status,
    follow_ups,
    format_day,
    format_moment,
    parse_moment,
)
from followup_tui.settings.clock import Clock
from followup_tui.settings.config import Config, ConfigError, save_setting
from followup_tui.storage import cache
from followup_tui.storage.store import Store, StoreError
from followup_tui.tui.keys import COMMANDS, bindings
from followup_tui.tui.review import Row
from followup_tui.tui.screens.main import MainScreen, ReviewScreen
from followup_tui.tui.session import DataSession, PendingWrite, Stale, UndoStep
from followup_tui.tui.styles import STYLES

if TYPE_CHECKING:
    from followup_tui.interchange.invitations import Plan
    from followup_tui.tui.screens.forms import InterviewFormResult

#: What a form's save merges, field by field, over what is stored (see domain.merge).
APPLICATION_FIELDS = ("company", "role", "link", "notes", "contacts", "applied_on")
INTERVIEW_FIELDS = ("starts_at", "ends_at", "duration_minutes", "format", "round",
                    "interviewers", "topics", "fit_points", "decision_by", "notes")

#: How often the app looks at the clock: it moves "now" once a minute has turned.
TICK_SECONDS = 10

#: Actions that change data or open a form: never while a form or panel is open.
#: How long a second q quits without the changes still waiting for a lock.
QUIT_CONFIRM_SECONDS = 6
_GUARDED = {c.action.split("(")[0] for c in COMMANDS if c.where == "app"} - {"quit"}


def _timeline_screen() -> Screen[Any]:
    """The Timeline, imported when first shown: the first frame does not need it."""
    from followup_tui.tui.screens.timeline import TimelineScreen

    return TimelineScreen()


def _inbox_screen() -> Screen[Any]:
    """The Inbox (mail suggestions), imported when first shown."""
    from followup_tui.tui.screens.inbox import InboxScreen

    return InboxScreen()


def _insights_screen() -> Screen[Any]:
    """The Insights view, imported when first shown."""
    from followup_tui.tui.screens.insights import InsightsScreen

    return InsightsScreen()


class FollowupApp(DataSession, App[int]):
    """followup-tui: which interview follow-ups are due, waiting or best held back, and why."""

    CSS_PATH = STYLES / "followup.tcss"
    TITLE = "followup-tui"
    # Review is the default screen, and becomes a mode once mounted (on_mount): a screen
    # built from MODES at start-up costs a second parse of every stylesheet (~12 ms).
    MODES = {"timeline": _timeline_screen, "inbox": _inbox_screen,
             "insights": _insights_screen}
    DEFAULT_MODE = "review"
    # escape cancels a write waiting for another program's lock, wherever the focus is;
    # otherwise it skips to the screen's own escape (action_cancel_write)
    BINDINGS = [*bindings("app"), Binding("escape", "cancel_write", show=False, priority=True)]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    def __init__(
        self,
        store: Store,
        clock: Clock,
        rules: Rules,
        config: Config,
        *,
        demo: bool = False,
        poll_seconds: float = 1.0,
        daily_backup: bool = True,
    ) -> None:
        # The remembered theme is set before Textual builds its stylesheet and colour
        # filters from the current theme: set after, like a change of theme, it would
        # parse every stylesheet again before the first frame (~10 ms).
        if config.theme in BUILTIN_THEMES:
            self.set_reactive(App.theme, config.theme)
        super().__init__()
        self.init_session(
            store, clock, rules, cache.stamp(rules, config.holidays_fingerprint)
        )
        self.config = config
        self.demo = demo
        self.poll_seconds = poll_seconds
        self.want_backup = daily_backup and not demo
        self.selected_key: str | None = None
        #: q was pressed once while a change waited for a lock (a second q quits).
        self._quit_asked = False
        #: Compose drafts by follow-up, kept while the app runs (the compose screen fills it).
        self.drafts: dict[Any, Any] = {}
        self.data_changed: Signal[None] = Signal(self, "data-changed")
        self._remember_theme = False
        if demo:
            self.sub_title = "demo data"

    # --- start-up (the data's side is session.py's) ----------------------------------------

    def on_load(self) -> None:
        self.open_session(self.size.height)

    def get_default_screen(self) -> ReviewScreen:
        return ReviewScreen()

    def on_mount(self) -> None:
        self.add_mode("review", ReviewScreen)  # so `1` can switch back to it
        self._remember_theme = True
        theme = self.config.theme
        if theme and theme not in self.available_themes:
            where = self.config.path or "config.toml"
            self.notify(
                f"{where}: there is no theme {theme!r}; ctrl+p then 'theme' lists them.",
                title="Unknown theme", severity="warning", markup=False, timeout=8,
            )
        # threads start once the first frame is out: they would hold the GIL meanwhile
        self.call_after_refresh(self.after_first_frame)
        self.set_interval(self.poll_seconds, self.poll_data_version)
        self.set_interval(TICK_SECONDS, self.tick)

    def on_unmount(self) -> None:
        self.close_session()

    def watch_theme(self, theme: str) -> None:
        if not self._remember_theme:
            return
        try:
            save_setting("theme", theme)
        except (OSError, ConfigError) as error:
            self.notify(
                f"The theme could not be remembered: {error}", severity="warning", markup=False
            )

    # --- data -------------------------------------------------------------------------------

    def selected_row(self) -> Row | None:
        if self.review is None or self.selected_key is None:
            return None
        try:
            return self.review.row(self.selected_key, self.rules)
        except (StoreError, sqlite3.Error) as error:  # read from the file when asked for
            self.notify(f"Could not read it: {error}", severity="error", markup=False,
                        timeout=10)
            return None

    def travel_notices(self) -> tuple[str, ...]:
        """The header's notice when "now" is not the real now, longest wording first: at
        80 columns a preview still leaves room for every count."""
        shift = self.clock.shift_days
        if shift:
            days = f"{shift:+d} day" + ("" if abs(shift) == 1 else "s")
            base = " from --now" if self.clock.pinned is not None else ""
            short = f"PREVIEW {shift:+d}d" + (" from --now" if base else "") + " · = back"
            return (f"PREVIEW {days}{base} · not the real now · = back", short,
                    f"PREVIEW {shift:+d}d")
        if self.clock.pinned is not None:
            return ("--now: NOT THE REAL NOW", "--now")
        return ()

    # --- changes and undo ---------------------------------------------------------------------

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo.", severity="warning")
            return
        step = self.undo_stack.pop()

        def attempt() -> Callable[[], None]:
            with self._own_write():
                current = self.store.load_application(step.application_id)
                if current == step.after:
                    self.store.replace_application(step.application_id, step.before)
                    if step.restore is not None:
                        step.restore()
            return lambda: self._undone(step, current == step.after)

        self.queue_write(PendingWrite(f"Undo {step.description}", step.application_id, attempt,
                                      dropped=lambda: self.undo_stack.append(step)))

    def _undone(self, step: UndoStep, done: bool) -> None:
        self.refresh_application(step.application_id)
        if not done:
            self.undo_stack.clear()  # older steps would erase the same change
            self.notify(
                f"Not undone: {step.description}. The application was changed elsewhere "
                "since (another window or an import); undoing would erase that change.",
                severity="warning", markup=False,
                timeout=8,
            )
            return
        self.notify(f"Undone: {step.description}", timeout=4, markup=False)

    async def action_quit(self) -> None:
        """q: quit; while a change still waits for another program's lock, say so first
        and quit only at a second q (it would be lost without a word)."""
        waiting = self.unsaved_writes()
        if waiting and not self._quit_asked:
            self._quit_asked = True
            self.set_timer(QUIT_CONFIRM_SECONDS, self._forget_quit)
            self.notify(
                f"Not saved yet: {'; '.join(waiting)} (another program holds the database). "
                "Press q again to quit without it, or wait: it is saved once the database "
                "is free.", title="Still waiting", severity="warning", markup=False,
                timeout=QUIT_CONFIRM_SECONDS,
            )
            return
        self.exit()

    def _forget_quit(self) -> None:
        self._quit_asked = False

    def action_cancel_write(self) -> None:
        """Escape while a write waits for another program: cancel it (else escape as ever)."""
        if not self.cancel_writes():
            raise SkipAction()

    def preview_note(self) -> str:
        """While previewing: the change was stamped with the real now, not the day shown."""
        if not self.clock.shift_days:
            return ""
        tz = self.rules.tz
        real = self.record_now()
        shown = format_day(self.now.astimezone(tz).date(), real.astimezone(tz).date())
        return f" · recorded at {format_moment(real, tz, real.date())} (you are previewing {shown})"

    def record_now(self) -> datetime:
        """The moment a change is recorded at: the real now (or --now), never a previewed
        day: `]` `]` then `s` must not stamp a thank-you two days in the future."""
        base = self.clock.pinned if self.clock.pinned is not None else self.clock.real_now()
        return base.astimezone(self.rules.tz)

    def now_text(self) -> str:
        return self.record_now().replace(second=0, microsecond=0).isoformat(timespec="minutes")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action in _GUARDED and isinstance(self.screen, ModalScreen))

    def _need_row(self, *, interview: bool = True) -> Row | None:
        row = self.selected_row()
        if row is None:
            self.notify("Select an interview first (or press a to add one).", severity="warning")
            return None
        if interview and row.interview is None:
            self.notify("This application has no interview yet: press a to add one.",
                        severity="warning")
            return None
        return row

    def _pending(self) -> tuple[Row, Interview, FollowUp] | None:
        """The selected interview and the follow-up actions act on, or a notice why not."""
        row = self._need_row()
        if row is None or row.interview is None:
            return None
        follow_up = row.pending
        if follow_up is None:
            self.notify("Every follow-up of this interview is done.")
            return None
        return row, row.interview, follow_up

    def _still(
        self, application_id: str, interview_id: str | None = None, kind: Kind | None = None
    ) -> Application:
        """Inside a write transaction: the application as stored now, when what the action
        was based on (drawn on screen a moment ago) still holds; else `Stale`, so nothing
        is recorded on a basis another program has changed."""
        current = self.store.load_application(application_id)
        if current is None:
            raise Stale("That application was deleted by another program since the screen "
                        "was drawn; nothing was recorded.")
        if interview_id is not None and current.interview(interview_id) is None:
            raise Stale("That interview was deleted by another program since the screen was "
                        "drawn; nothing was recorded.")
        if kind is not None and interview_id is not None:
            for follow_up in follow_ups(current, self.now, self.rules):
                if follow_up.key == (interview_id, kind):
                    if follow_up.state is State.DONE:
                        raise Stale(f"The {kind.label.lower()} is already done (recorded by "
                                    "another program since the screen was drawn); nothing "
                                    "was recorded.")
                    break
            else:
                raise Stale(f"The {kind.label.lower()} is no longer due (the interview was "
                            "changed elsewhere); nothing was recorded.")
        return current

    def _record(self, application_id: str, description: str, event: Event,
                kind: Kind | None = None) -> None:
        """Record `event` as one change, once its basis is checked (`_still`)."""

        def write() -> None:
            self._still(application_id, event.interview, kind)
            self.store.add_event(application_id, event)

        self.change(application_id, description, write)

    # --- actions on the selection ----------------------------------------------------------------

    def action_mark_done(self) -> None:
        """`s`: asks when (default now: people mark things sent after the fact)."""
        from followup_tui.tui.screens.forms import DoneForm

        pending = self._pending()
        if pending is None:
            return
        row, interview, follow_up = pending
        app_id, kind = row.application.id, follow_up.kind
        what = "Thank-you sent" if kind is Kind.THANK_YOU else "Call made"

        def answered(at: str | None) -> None:
            if at is not None:
                self.log_done(app_id, interview.id, kind, at)

        subject = f"{row.application.company} — {row.application.role}"
        self.push_screen(DoneForm(self.record_now(), self.rules.tz, subject, what), answered)

    def log_done(
        self, application_id: str, interview_id: str, kind: Kind, at: str | None = None
    ) -> None:
        """Thank-you sent / call made at `at` (default now): from `s` and from compose."""
        kind_type = EventType.THANK_YOU_SENT if kind is Kind.THANK_YOU else EventType.CALL_MADE
        event = Event(at or self.now_text(), kind_type, interview_id)
        self._record(application_id, kind_type.label, event, kind)

    def action_skip(self) -> None:
        pending = self._pending()
        if pending is None:
            return
        row, interview, follow_up = pending
        event = Event(self.now_text(), EventType.SKIPPED, interview.id, follow_up.kind)
        self._record(row.application.id, f"Skipped the {follow_up.kind.label.lower()}", event,
                     follow_up.kind)

    def action_snooze(self) -> None:
        from followup_tui.tui.screens.forms import SnoozeForm

        pending = self._pending()
        if pending is None:
            return
        row, interview, follow_up = pending
        app_id = row.application.id

        def snoozed(until: str | None) -> None:
            if until is None:
                return
            event = Event(self.now_text(), EventType.SNOOZED, interview.id, follow_up.kind,
                          until=until)
            tz = self.rules.tz
            today = self.record_now().date()
            day = format_day(parse_moment(until, tz).astimezone(tz).date(), today)
            self._record(app_id, f"Snoozed the {follow_up.kind.label.lower()} until {day}",
                         event, follow_up.kind)

        subject = f"{row.application.company} — {row.application.role}"
        form = SnoozeForm(self.record_now(), self.rules, follow_up, interview, subject)
        self.push_screen(form, snoozed)

    def action_hold(self) -> None:
        row = self._need_row(interview=False)
        if row is None:
            return
        status = row.status.status
        if status.closed:
            self.notify(f"The application is closed ({status.value}); log 'Resumed' with l to "
                        "reopen it.", severity="warning")
            return
        kind = EventType.RESUMED if status is Status.ON_HOLD else EventType.ON_HOLD
        event = Event(self.now_text(), kind)
        app_id = row.application.id
        words = "Resumed" if kind is EventType.RESUMED else "Put on hold"

        def write() -> None:
            current = self._still(app_id)
            held = application_status(current, self.now, self.rules).status is Status.ON_HOLD
            if held != (kind is EventType.RESUMED):
                raise Stale(f"{row.application.company} was already "
                            f"{'put on hold' if held else 'resumed'} by another program since "
                            "the screen was drawn; nothing was recorded.")
            self.store.add_event(app_id, event)

        self.change(app_id, words, write)

    def action_log_event(self) -> None:
        from followup_tui.tui.screens.forms import EventForm

        row = self._need_row(interview=False)
        if row is None:
            return
        app_id = row.application.id

        def logged(event: Event | None) -> None:
            if event is not None:
                self._record(app_id, f"Logged: {event.type.label}", event)

        interview_id = row.interview.id if row.interview else None
        form = EventForm(self.record_now(), self.rules.tz, row.application, interview_id)
        self.push_screen(form, logged)

    def edit_event(self, application: Application, event: Event) -> None:
        """Correct or delete a logged event (Enter on it in the Timeline); `u` undoes it."""
        from followup_tui.tui.screens.forms import DELETE_EVENT, EventForm

        app_id = application.id

        def answered(result: Event | str | None) -> None:
            if result is None:
                return
            new = None if result == DELETE_EVENT else result
            assert new is None or isinstance(new, Event)

            def write() -> None:
                if not self.store.update_event(app_id, event, new):
                    raise Stale("That event had changed elsewhere (another window or an "
                                "import): nothing was changed.")

            words = (f"Deleted: {event.type.label}" if new is None
                     else f"Corrected: {new.type.label}")
            self.change(app_id, words, write)

        form = EventForm(self.record_now(), self.rules.tz, application, None, event)
        self.push_screen(form, answered)

    def action_add(self) -> None:
        from followup_tui.tui.screens.forms import AddChoice, InterviewForm

        row = self.selected_row()
        if row is None:
            self._open_form(InterviewForm(self.now, self.rules.tz), None, None)
            return
        application = row.application

        def chosen(choice: str | None) -> None:
            if choice == "interview":
                form = InterviewForm(self.now, self.rules.tz, application, None,
                                     interview_required=True)
                self._open_form(form, application, None)
            elif choice == "application":
                self._open_form(InterviewForm(self.now, self.rules.tz), None, None)

        self.push_screen(AddChoice(application), chosen)

    def action_edit(self) -> None:
        from followup_tui.tui.screens.forms import InterviewForm

        row = self._need_row(interview=False)
        if row is None:
            return
        # the record as stored now, in full: what the form shows and merges its save over
        try:
            application = self.store.load_application(row.application.id)
        except sqlite3.Error as error:
            self.notify(f"{self.store.path}: {error}", title="Could not read it",
                        severity="error", markup=False, timeout=15)
            return
        if application is None:
            self.refresh_application(row.application.id)
            self.notify("That application was deleted by another program.", severity="warning")
            return
        interview = application.interview(row.interview.id) if row.interview else None
        form = InterviewForm(self.record_now(), self.rules.tz, application, interview)
        self._open_form(form, application, interview)

    def _open_form(
        self, form: Screen[Any], application: Application | None, interview: Interview | None
    ) -> None:
        """`application` and `interview`: the records the form's save is merged over."""

        def saved(result: InterviewFormResult | None) -> None:
            if result is not None:
                self.save_form(result, application, interview)

        self.push_screen(form, saved)

    def save_form(
        self,
        result: InterviewFormResult,
        application: Application | None,
        interview: Interview | None,
    ) -> None:
        """Save a form's result over what is stored now: only the fields the user changed
        since `application`/`interview` (what the form was opened with) are written; a
        field another program changed too reopens the form showing both values."""
        store = self.store
        new_interview = result.interview
        fresh_id = new_interview is not None and not new_interview.id
        try:
            if application is None:
                app_id = store.new_application_id(result.company, result.role)
                description = f"Added {result.company}"
            else:
                app_id = application.id
                description = f"Saved {result.company}"
            if new_interview is not None and fresh_id:
                new_interview = new_interview.replace(id=store.new_interview_id(app_id))
                if application is not None:
                    description = f"Added an interview with {result.company}"
        except sqlite3.Error as error:  # a damaged file: say so, and keep what was typed
            self.notify(f"{store.path}: {error}. Nothing was saved.", title="Not saved",
                        severity="error", markup=False, timeout=15)
            self._reopen(result, application, interview, result.interview, {})
            return

        def write() -> None:
            # the ids were chosen before the lock was taken: another program may have
            # used one since, and an upsert would overwrite its record
            taken = application is None and store.load_application(app_id) is not None
            if new_interview is not None and fresh_id:
                taken = taken or store.interview_owner(new_interview.id) is not None
            if taken:
                raise Stale(
                    "Another program added a record with the same id just now; nothing was "
                    "written. The form is open again: save to add yours under a new id.",
                    then=lambda: self._reopen_new(result, application, interview),
                )
            if application is None:
                store.save_application(
                    Application(app_id, result.company, result.role, result.link, result.notes,
                                applied_on=result.applied_on)
                )
                store.save_contacts(app_id, result.contacts)
                if new_interview is not None:
                    store.save_interview(app_id, new_interview)
                return
            self._merge_form(result, application, interview, new_interview)

        self.selected_key = new_interview.id if new_interview else f"app:{app_id}"
        if application is not None and new_interview is None and interview is None:
            self.selected_key = f"app:{app_id}"
        self.change(app_id, description, write)

    def _merge_form(
        self,
        result: InterviewFormResult,
        base: Application,
        base_interview: Interview | None,
        mine_interview: Interview | None,
    ) -> None:
        """Inside the write transaction: the three-way merge of the form over the stored
        record (domain.merge), written only when no field conflicts; else `Stale`."""
        from followup_tui.domain.merge import fields_of, merge_fields

        store = self.store
        current = store.load_application(base.id)
        if current is None:
            raise Stale(
                f"{result.company} was deleted by another program since the form was opened. "
                "The form is open again: save to add it back, escape to leave it deleted.",
                then=lambda: self._reopen(result, None, None, mine_interview, {}),
            )
        mine = {"company": result.company, "role": result.role, "link": result.link,
                "notes": result.notes, "contacts": result.contacts,
                "applied_on": result.applied_on}
        app_merge = merge_fields(fields_of(base, APPLICATION_FIELDS), mine,
                                 fields_of(current, APPLICATION_FIELDS))
        merged_app = current.replace(**app_merge.fields)
        # the application's notes are not in the form (carried through unchanged), so
        # they never conflict; the form's "notes" is the interview's
        conflicts = {k: v for k, v in app_merge.conflicts.items() if k != "notes"}
        current_interview = None
        interview_fields: dict[str, Any] = {}
        if mine_interview is not None and base_interview is not None:
            current_interview = current.interview(base_interview.id)
            if current_interview is None:
                app_conflicts = dict(conflicts)
                raise Stale(
                    "This interview was deleted by another program since the form was opened. "
                    "The form is open again: save to add it back, escape to leave it deleted.",
                    then=lambda: self._reopen(result, current, None, mine_interview,
                                              app_conflicts, merged_app),
                )
            merged = merge_fields(fields_of(base_interview, INTERVIEW_FIELDS),
                                  fields_of(mine_interview, INTERVIEW_FIELDS),
                                  fields_of(current_interview, INTERVIEW_FIELDS))
            interview_fields = merged.fields
            conflicts.update(merged.conflicts)
        shown_interview = (
            current_interview.replace(**interview_fields) if current_interview is not None
            else mine_interview
        )
        if conflicts:
            names = ", ".join(name.replace("_", " ") for name in conflicts)
            raise Stale(
                f"{result.company}: another program changed {names} since the form was opened. "
                "The form is open again with both values: choose, then save again.",
                then=lambda: self._reopen(result, current, current_interview, shown_interview,
                                          conflicts, merged_app),
            )
        store.save_application(merged_app)
        if merged_app.contacts != current.contacts:
            store.save_contacts(current.id, merged_app.contacts)
        if shown_interview is not None:
            store.save_interview(current.id, shown_interview)

    def _reopen_new(
        self, result: InterviewFormResult, base: Application | None,
        base_interview: Interview | None,
    ) -> None:
        """The form again after an id clash: the same values, new ids on the next save."""
        shown_interview = result.interview.replace(id="") if result.interview else None
        self._reopen(result, base, base_interview, shown_interview, {})

    def _reopen(
        self,
        result: InterviewFormResult,
        base: Application | None,
        base_interview: Interview | None,
        shown_interview: Interview | None,
        conflicts: dict[str, tuple[Any, Any]],
        shown: Application | None = None,
    ) -> None:
        """The form again, over the record as stored now, filled with the user's values."""
        from followup_tui.tui.screens.forms import InterviewForm

        if shown is None:
            shown = Application(base.id if base else "", result.company, result.role,
                                result.link, result.notes, applied_on=result.applied_on,
                                contacts=result.contacts)
        form = InterviewForm(self.record_now(), self.rules.tz, shown, shown_interview,
                             conflicts=conflicts, new=base is None)
        self._open_form(form, base, base_interview)

    def action_delete_interview(self) -> None:
        row = self._need_row(interview=False)
        if row is None:
            return
        if row.interview is None:
            self.action_delete_application()
            return
        interview_id, app_id = row.interview.id, row.application.id

        def write() -> None:
            self._still(app_id, interview_id)
            self.store.delete_interview(interview_id)

        self.change(app_id, f"Deleted interview {interview_id}", write)

    def action_delete_application(self) -> None:
        row = self._need_row(interview=False)
        if row is None:
            return
        app_id = row.application.id
        def write() -> None:
            self._still(app_id)
            self.store.delete_application(app_id)

        self.change(app_id, f"Deleted {row.application.company}", write)

    def action_import_invitation(self) -> None:
        from followup_tui.tui.screens.invitation import InvitationForm

        def chosen(plan: Plan | None) -> None:
            if plan is not None:
                self.save_invitations(plan)

        self.push_screen(InvitationForm(self.store.path, self.rules.tz, self.config.me), chosen)

    def save_invitations(self, plan: Plan) -> None:
        """Save an import form's plan: one undoable change per application it touches."""
        from followup_tui.errors import UserError
        from followup_tui.interchange.invitations.saving import by_application, save_plan

        at = self.now_text()
        try:
            # all of it checked before any of it is written (a later edit is never lost)
            plan.apply(self.store.load_many([app.id for app in plan.applications]))
            for part in by_application(plan):
                app_id = part.applications[0].id
                changed = [c.interview_id for c in part.changes if c.interview_id]
                if changed:
                    self.selected_key = changed[0]

                def write(part: Plan = part) -> None:
                    save_plan(self.store, part, at)

                self.change(app_id, f"Imported an invitation: {part.summary()}", write)
        except UserError as error:
            self.notify(str(error), title="Not imported", severity="error", markup=False,
                        timeout=8)

    def action_compose(self) -> None:
        pending = self._pending()
        if pending is None:
            return
        row, interview, follow_up = pending
        try:
            from followup_tui.tui.screens.compose import ComposeScreen
        except ImportError:
            self.notify("The compose screen is not available in this build.", severity="warning")
            return
        app_id, interview_id, kind = row.application.id, interview.id, follow_up.kind

        def composed(sent: bool | None) -> None:
            if sent:
                self.log_done(app_id, interview_id, kind)

        screen = ComposeScreen(row.application, interview_id, kind, self.now, self.config,
                               self.rules, self.drafts)
        self.push_screen(screen, composed)

    # --- views, time travel, help ------------------------------------------------------

    def action_show_review(self) -> None:
        self.switch_mode("review")

    def action_show_timeline(self) -> None:
        self.switch_mode("timeline")

    def action_show_insights(self) -> None:
        self.switch_mode("insights")

    def action_show_inbox(self) -> None:
        self.switch_mode("inbox")

    def inbox_pending(self) -> int:
        """How many mail suggestions wait in the Inbox (the header shows it)."""
        try:
            found = self.store.conn.execute(
                "SELECT count(*) FROM mail_suggestions WHERE state = 'pending'").fetchone()
        except sqlite3.Error:
            return 0  # a database too old or damaged to say: no count, no crash
        return int(found[0])

    def poll_data_version(self) -> None:
        # a scan in another program (`mail scan`) changes no application: the data is
        # not read again, but the header's Inbox count is
        seen = self._data_version
        super().poll_data_version()
        if self._data_version != seen and isinstance(self.screen, MainScreen):
            self.screen.refresh_header()

    def action_travel(self, days: int) -> None:
        self.clock.shift(days)
        self.rebuild()

    def action_travel_home(self) -> None:
        if self.clock.shift_days:
            self.clock.reset()
            self.rebuild()

    def action_help(self) -> None:
        from followup_tui.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for command in COMMANDS:
            if command.where not in ("app", screen_where(screen)):
                continue
            target = self if command.where == "app" else screen

            def run(action: str = command.action, target: Any = target) -> Any:
                return self.run_action(action, target)

            yield SystemCommand(command.title, f"{command.help}  ({command.keys_label})", run)


def screen_where(screen: Screen[Any]) -> str:
    return screen.WHERE if isinstance(screen, MainScreen) else ""
