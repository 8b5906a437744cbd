"""The Textual application: Review and Timeline over the store, actions, undo, live reload.

`FollowupApp` receives its store, clock, rules and config; it reads the time
only through the clock and the data only through the store. The follow-up
states live in one cached `Review` (followup_tui.review) rebuilt when the data
or "now" changes; an action on one application refreshes only that one.
"""

from __future__ import annotations

import gc
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from textual.app import App, SystemCommand
from textual.screen import ModalScreen, Screen
from textual.signal import Signal
from textual.theme import BUILTIN_THEMES

from followup_tui import cache
from followup_tui.clock import Clock
from followup_tui.config import Config, save_setting
from followup_tui.domain.model import (
    Application,
    Event,
    EventType,
    FollowUp,
    Interview,
    Kind,
    Rules,
    Status,
)
from followup_tui.domain.rules import format_day, parse_moment
from followup_tui.keys import COMMANDS, bindings
from followup_tui.opening import first_review, read_opening, waiting_briefly
from followup_tui.review import Decided, Review, Row
from followup_tui.screens.main import MainScreen, ReviewScreen
from followup_tui.store import Store, StoreError

if TYPE_CHECKING:
    from followup_tui.cli import Context
    from followup_tui.screens.forms import InterviewFormResult

#: How many changes `u` can undo.
UNDO_DEPTH = 50
#: Applications decided again on the UI thread when "now" moves (~0.5 ms each); more,
#: and everything is read again in a thread.
MOVE_HERE = 100
#: Actions that change data or open a form: never while a form or panel is open.
_GUARDED = {c.action.split("(")[0] for c in COMMANDS if c.where == "app"} - {"quit"}


def _timeline_screen() -> Screen[Any]:
    """The Timeline, imported when first shown: the first frame does not need it."""
    from followup_tui.screens.timeline import TimelineScreen

    return TimelineScreen()


class UndoStep(NamedTuple):
    """What `u` restores: the application as it was before the change (None: it was new)."""

    description: str
    application_id: str
    before: Application | None
    #: The application right after the change: undo refuses when it is no longer so,
    #: because restoring `before` would erase what someone else wrote since.
    after: Application | None


class FollowupApp(App[int]):
    """followup-tui: which interview follow-ups are due, waiting or best held back, and why."""

    CSS_PATH = "followup.tcss"
    TITLE = "followup-tui"
    # Review is the default screen, and becomes a mode once mounted (on_mount): a screen
    # built from MODES at start-up costs a second parse of every stylesheet (~12 ms).
    MODES = {"timeline": _timeline_screen}
    DEFAULT_MODE = "review"
    BINDINGS = bindings("app")
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
        self.store = store
        self.clock = clock
        self.rules = rules
        self.config = config
        self.demo = demo
        self.poll_seconds = poll_seconds
        self.want_backup = daily_backup and not demo
        self.review: Review | None = None
        self.now: datetime = clock.now()
        self.selected_key: str | None = None
        #: Compose drafts by follow-up, kept while the app runs (the compose screen fills it).
        self.drafts: dict[Any, Any] = {}
        self.undo_stack: list[UndoStep] = []
        self.data_changed: Signal[None] = Signal(self, "data-changed")
        self._data_version: int | None = None
        #: The data generation (store.data_generation) of what the app holds.
        self._generation: int | None = None
        #: A thread is reading every application (the launch's rest, or a reload).
        self._reading = False
        #: The generation before and after each own write made while a thread reads:
        #: carried onto the generation the thread read, when its result lands.
        self._own_writes: list[tuple[int | None, int | None]] = []
        self._remember_theme = False
        #: The database was found damaged on opening: the app only exits (see on_load).
        self._refused = False
        if demo:
            self.sub_title = "demo data"
        #: What the follow-up cache's rows were decided with (rules, settings, code).
        self.cache_mark = cache.stamp(rules, config.holidays_fingerprint)
        #: Applications changed here while a thread reads every application: read again
        #: when its result is installed.
        self._changed_while_loading: set[str] = set()

    # --- start-up ------------------------------------------------------------------------
    # The first read is taken as the app loads, before the screen is composed, so the
    # first frame shows data. A large database shows its most urgent rows first while a
    # thread reads the rest; a cold follow-up cache (after a big import, an upgrade or a
    # new config) is warmed in a thread while "Loading…" is shown and keys are answered.

    def on_load(self) -> None:
        self.now = self.clock.now()
        try:
            # read before the data: a commit made after it moves it, and the app reloads
            self._data_version = self.store.data_version()
            self._generation = self.store.data_generation()
            lines = self.size.height
            self.review = read_opening(self.store, self.now, self.rules, self.cache_mark, lines)
        except sqlite3.DatabaseError as error:
            self._refuse_damaged(error)

    def _refuse_damaged(self, error: sqlite3.DatabaseError) -> None:
        """A damaged page was read: the app exits as the commands refuse such a file
        (exit 2, the file and its sound backups named); other errors stay bugs."""
        from followup_tui.store import damaged_message, is_damage

        if not is_damage(error):
            raise error
        from rich.text import Text

        self._refused = True
        message = f"followup-tui: error: {damaged_message(self.store.path, error)}"
        self.exit(return_code=2, message=Text(message))

    def _unless_damaged(self, work: Callable[[], None]) -> Callable[[], None]:
        """`work` for a thread, a damaged database met there refused on the app's thread."""

        def run() -> None:
            try:
                work()
            except sqlite3.DatabaseError as error:
                from followup_tui.store import is_damage

                if not is_damage(error):
                    raise
                self.call_from_thread(self._refuse_damaged, error)

        return run

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
        self.call_after_refresh(self._after_first_frame)
        self.set_interval(self.poll_seconds, self.poll_data_version)
        self.set_interval(60, self._tick)

    def _after_first_frame(self) -> None:
        if self._refused:
            return
        if self.review is None:
            # "Loading…": the cache is warmed, or states decided in memory, in a thread
            now, lines = self.now, self.size.height
            self.run_worker(
                self._unless_damaged(lambda: self._warm_cache(now, lines)),
                thread=True, group="load",
            )
        else:
            self._opened(self.review)

    def _opened(self, review: Review, data_version: int | None = None) -> None:
        """Show the first review (on screen already when read as the app loaded); a
        partial one is completed by a thread."""
        self.now = review.now
        if data_version is not None:
            self._data_version = data_version
        if review.partial:
            if self.review is not review:
                self.review = review
                self.data_changed.publish(None)
            self._load_rest(use_cache=True)
        else:
            self._install(review)
        self._start_backup()

    def _load_rest(self, *, use_cache: bool) -> None:
        # built for the moment the first page was decided at, whatever [ or ] do meanwhile
        now = self.now
        self._reading = True
        self.run_worker(
            self._unless_damaged(lambda: self._load_everything(now, use_cache)),
            thread=True, exclusive=True, group="load",
        )

    def _start_backup(self) -> None:
        if self.want_backup:
            self.run_worker(self._daily_backup, thread=True, group="backup")

    def _warm_cache(self, now: datetime, lines: int) -> None:
        """In a worker thread, on its own connection: bring the follow-up cache up to date
        and read the first review; when the cache cannot be written (a read-only file,
        another program writing for longer than the store waits), decide in memory."""
        try:
            with Store(self.store.path) as store:
                cache.refresh(store, now, self.rules, self.cache_mark)
                # These writes were another connection's: the app's would see the data
                # changed and read everything again. Its version is taken after them and
                # before the read, so only a later commit by someone else moves it.
                version = self.call_from_thread(self.store.data_version)
                review = first_review(store, now, self.rules, lines)
        except StoreError:
            # some batches may have been written before the failure: the version is
            # taken again, after them, before the read
            version = self.call_from_thread(self.store.data_version)
            self._reading = True
            self._load_everything(now, use_cache=False, data_version=version)
            return
        self.call_from_thread(self._opened, review, version)

    def _daily_backup(self) -> None:
        """Once a day, a copy of the database, made in a thread on its own connection
        (a large file takes a moment to copy, and the app must not wait for it)."""
        try:
            with Store(self.store.path, backup_dir=self.store.backup_dir) as store:
                store.daily_backup()
        except StoreError as error:
            self.call_from_thread(
                self.notify, str(error), title="Daily backup failed", severity="warning",
                markup=False,
            )

    def watch_theme(self, theme: str) -> None:
        if not self._remember_theme:
            return
        try:
            save_setting("theme", theme)
        except OSError as error:
            self.notify(f"The theme could not be remembered: {error}", severity="warning")

    # --- data -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read everything again (another program changed the data), in a thread: at
        100,000 applications that is seconds, and the keys go on working meanwhile."""
        self.now = now = self.clock.now()
        self._reading = True
        self.run_worker(
            self._unless_damaged(lambda: self._load_everything(now, use_cache=True, refresh=True)),
            thread=True, exclusive=True, group="load",
        )

    def _build_everything(
        self, store: Store, decided: Callable[[], dict[str, Decided] | None], now: datetime
    ) -> Review:
        """Every application read and built at `now`, with the cyclic collector off:
        building a million objects sets it off again and again, each pass over the growing
        heap a pause the keys would feel. `_install` freezes the result and turns it back
        on (nothing read here forms cycles to collect); a failure turns it back on too."""
        gc.disable()
        try:
            return Review.build(store.load_all(), now, self.rules, decided())
        except BaseException:
            gc.enable()
            raise

    def _install(self, review: Review) -> None:
        self.review = review
        self._settle_memory()
        self.data_changed.publish(None)

    @staticmethod
    def _settle_memory() -> None:
        """What is loaded now lives as long as the app: keep the collector off it, and on
        again for what comes next (the command line turns it off for the launch)."""
        gc.freeze()
        gc.enable()

    def _load_everything(
        self, now: datetime, use_cache: bool, data_version: int | None = None,
        *, refresh: bool = False,
    ) -> None:
        """In a worker thread, on its own connection: every application, then install.
        Without the cache every follow-up is decided afresh; with `refresh` the cache is
        brought up to date first. `data_version`, when given, is the app's connection's,
        taken before this read."""

        def decided() -> dict[str, Decided] | None:
            if not use_cache:
                return {}
            if refresh:
                try:
                    cache.refresh(store, now, self.rules, self.cache_mark)
                except StoreError:
                    return None  # decided in memory
            return cache.read_by_application(store)

        try:
            with Store(self.store.path) as store:
                generation = store.data_generation()  # before the data: a later change moves it
                review = self._build_everything(store, decided, now)
        except StoreError as error:
            gc.enable()  # off since the launch, and nothing will be installed
            self.call_from_thread(self._read_failed, error)
            return
        self.call_from_thread(self._install_everything, review, data_version, generation)

    def _read_failed(self, error: StoreError) -> None:
        self._reading = False
        self._own_writes.clear()
        self._data_version = None  # so the next poll tries again
        # what is shown stays; say why the rest is missing instead of crashing
        self.notify(str(error), title="Could not read every application", severity="error",
                    markup=False, timeout=15)

    def _install_everything(
        self, review: Review, data_version: int | None, generation: int | None
    ) -> None:
        self._reading = False
        if data_version is not None:
            self._data_version = data_version
        self._generation = generation
        for before, after in self._own_writes:
            if before == self._generation:
                self._generation = after
        self._own_writes.clear()
        # what changed here while the thread read is read again
        for application_id in self._changed_while_loading:
            review.replace_application(
                application_id, self.store.load_application(application_id), self.rules
            )
        self._changed_while_loading.clear()
        self._install(review)
        if review.now != self.now:  # "now" moved ([ or ]) while the thread read
            self.rebuild()

    def rebuild(self) -> None:
        """New "now", same data: decide again only the applications whose follow-ups
        differ between the two moments (a few dozen a day of 10,000), from the cache.
        When that is many (a jump of weeks, another program's stamp on the cache) or
        the cache cannot be read, everything is read again in a thread instead."""
        self.now = self.clock.now()
        if self.review is not None and self.review.partial:
            # the full load, when it arrives, is decided again for this now
            self.notify("Still reading every application; the preview follows in a moment.")
            return
        if self._reading:
            return  # what the thread reads is moved to this now when it lands
        if self.review is not None and not self._move_here(self.review):
            self.reload()
            return
        self.data_changed.publish(None)

    def _move_here(self, review: Review) -> bool:
        """Move `review` to `self.now` on the UI thread when that is quick; False when
        it is not (more than MOVE_HERE applications to decide, an unreadable cache)."""
        store, now = self.store, self.now
        try:
            # another program writing (an import) is not waited for: what went stale is
            # then decided here instead (moved_between names it as not holding)
            with waiting_briefly(store, 20):
                if cache.count_stale(store, now, self.cache_mark, MOVE_HERE + 1) > MOVE_HERE:
                    return False
                cache.refresh(store, now, self.rules, self.cache_mark)
        except StoreError:
            pass
        try:
            moved, decided = cache.moved_between(store, review.now, now, self.cache_mark)
        except sqlite3.Error:
            return False
        if len(moved) - len(decided) > MOVE_HERE:
            return False
        review.move_to(now, moved, self.rules, decided)
        return True

    def poll_data_version(self) -> None:
        """Read everything again when another program changed the data. Its commits move
        `data_version` (ours do not); one that only wrote the follow-up cache (`due` at a
        shell prompt, the app's own threads) leaves the data generation where it was."""
        if self.review is None or self._reading:
            return
        version = self.store.data_version()
        if version == self._data_version:
            return
        self._data_version = version
        generation = self.store.data_generation()
        if generation is not None and generation == self._generation:
            return
        self.reload()
        self.notify("The database was changed by another program: reading it again…",
                    timeout=3)

    def _tick(self) -> None:
        """Follow the real clock: states change as deadlines pass and days turn."""
        if self.clock.pinned is not None or self.review is None or self.review.partial:
            return
        # every minute, whatever the size: only what the minute moved is decided again
        # (a quarter-hourly full rebuild took seconds at 100,000 applications)
        if (self.clock.now() - self.now).total_seconds() >= 59:
            self.rebuild()

    def refresh_application(self, application_id: str) -> None:
        if self.review is None or self._reading:
            # a thread is reading every application: it may have read this one already
            self._changed_while_loading.add(application_id)
        if self.review is None:
            return
        app = self.store.load_application(application_id)
        self.review.replace_application(application_id, app, self.rules)
        self.data_changed.publish(None)

    def selected_row(self) -> Row | None:
        if self.review is None or self.selected_key is None:
            return None
        return self.review.index.get(self.selected_key)

    def travel_notice(self) -> str | None:
        """The plain header notice when "now" is not the real now."""
        shift = self.clock.shift_days
        if shift:
            days = f"{shift:+d} day" + ("" if abs(shift) == 1 else "s")
            base = " from --now" if self.clock.pinned is not None else ""
            return f"PREVIEW {days}{base} · not the real now · = back"
        if self.clock.pinned is not None:
            return "--now: NOT THE REAL NOW"
        return None

    # --- changes and undo ---------------------------------------------------------------------

    def change(self, application_id: str, description: str, write: Callable[[], object]) -> None:
        """Run one write, remember how to undo it, and refresh that application everywhere."""
        # both snapshots inside the write transaction: nobody else writes between them
        with self._own_write():
            before = self.store.load_application(application_id)
            write()
            after = self.store.load_application(application_id)
        self.undo_stack.append(UndoStep(description, application_id, before, after))
        del self.undo_stack[:-UNDO_DEPTH]
        self.refresh_application(application_id)
        self.notify(f"{description} · u undoes it", timeout=4)

    @contextmanager
    def _own_write(self) -> Iterator[None]:
        """A write transaction of the app's own; the data generation it moves is the
        app's to hold, unless another program had moved it before (then that program's
        change is still to read, and the next poll reads everything)."""
        with self.store.transaction():
            before = self.store.data_generation()
            yield
            after = self.store.data_generation()
        if self._reading:  # the thread's generation replaces ours when it lands
            self._own_writes.append((before, after))
        if before == self._generation:
            self._generation = after

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo.", severity="warning")
            return
        step = self.undo_stack.pop()
        with self._own_write():
            current = self.store.load_application(step.application_id)
            if current == step.after:
                self.store.replace_application(step.application_id, step.before)
        if current != step.after:
            self.undo_stack.clear()  # older steps would erase the same change
            self.refresh_application(step.application_id)
            self.notify(
                f"Not undone: {step.description}. The application was changed elsewhere "
                "since (another window or an import); undoing would erase that change.",
                severity="warning",
                timeout=8,
            )
            return
        self.refresh_application(step.application_id)
        self.notify(f"Undone: {step.description}", timeout=4)

    def now_text(self) -> str:
        return self.now.astimezone(self.rules.tz).replace(second=0, microsecond=0).isoformat(
            timespec="minutes"
        )

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

    # --- actions on the selection ----------------------------------------------------------------

    def action_mark_done(self) -> None:
        pending = self._pending()
        if pending is None:
            return
        row, interview, follow_up = pending
        self.log_done(row.application.id, interview.id, follow_up.kind)

    def log_done(self, application_id: str, interview_id: str, kind: Kind) -> None:
        """Thank-you sent / call made at now: from `s` and from the compose screen."""
        kind_type = EventType.THANK_YOU_SENT if kind is Kind.THANK_YOU else EventType.CALL_MADE
        event = Event(self.now_text(), kind_type, interview_id)
        self.change(application_id, kind_type.label,
                    lambda: self.store.add_event(application_id, event))

    def action_skip(self) -> None:
        pending = self._pending()
        if pending is None:
            return
        row, interview, follow_up = pending
        event = Event(self.now_text(), EventType.SKIPPED, interview.id, follow_up.kind)
        self.change(row.application.id, f"Skipped the {follow_up.kind.label.lower()}",
                    lambda: self.store.add_event(row.application.id, event))

    def action_snooze(self) -> None:
        from followup_tui.screens.forms import SnoozeForm

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
            day = format_day(parse_moment(until, tz).astimezone(tz).date(), self.now.date())
            self.change(app_id, f"Snoozed the {follow_up.kind.label.lower()} until {day}",
                        lambda: self.store.add_event(app_id, event))

        subject = f"{row.application.company} — {row.application.role}"
        self.push_screen(SnoozeForm(self.now, self.rules, follow_up, interview, subject), snoozed)

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
        self.change(app_id, words, lambda: self.store.add_event(app_id, event))

    def action_log_event(self) -> None:
        from followup_tui.screens.forms import EventForm

        row = self._need_row(interview=False)
        if row is None:
            return
        app_id = row.application.id

        def logged(event: Event | None) -> None:
            if event is not None:
                self.change(app_id, f"Logged: {event.type.label}",
                            lambda: self.store.add_event(app_id, event))

        interview_id = row.interview.id if row.interview else None
        self.push_screen(EventForm(self.now, self.rules.tz, row.application, interview_id), logged)

    def action_add(self) -> None:
        from followup_tui.screens.forms import AddChoice, InterviewForm

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
        from followup_tui.screens.forms import InterviewForm

        row = self._need_row(interview=False)
        if row is None:
            return
        form = InterviewForm(self.now, self.rules.tz, row.application, row.interview)
        self._open_form(form, row.application, row.interview)

    def _open_form(
        self, form: Screen[Any], application: Application | None, interview: Interview | None
    ) -> None:
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
        store = self.store
        if application is None:
            app_id = store.new_application_id(result.company, result.role)
            description = f"Added {result.company}"
        else:
            app_id = application.id
            description = f"Saved {result.company}"
        new_interview = result.interview
        if new_interview is not None and not new_interview.id:
            new_interview = new_interview.replace(id=store.new_interview_id(app_id))
            if application is not None:
                description = f"Added an interview with {result.company}"

        def write() -> None:
            store.save_application(
                Application(app_id, result.company, result.role, result.link, result.notes)
            )
            store.save_contacts(app_id, result.contacts)
            if new_interview is not None:
                store.save_interview(app_id, new_interview)

        self.selected_key = new_interview.id if new_interview else f"app:{app_id}"
        if application is not None and new_interview is None and interview is None:
            self.selected_key = f"app:{app_id}"
        self.change(app_id, description, write)

    def action_delete_interview(self) -> None:
        row = self._need_row(interview=False)
        if row is None:
            return
        if row.interview is None:
            self.action_delete_application()
            return
        interview_id = row.interview.id
        self.change(row.application.id, f"Deleted interview {interview_id}",
                    lambda: self.store.delete_interview(interview_id))

    def action_delete_application(self) -> None:
        row = self._need_row(interview=False)
        if row is None:
            return
        app_id = row.application.id
        self.change(app_id, f"Deleted {row.application.company}",
                    lambda: self.store.delete_application(app_id))

    def action_compose(self) -> None:
        pending = self._pending()
        if pending is None:
            return
        row, interview, follow_up = pending
        try:
            from followup_tui.screens.compose import ComposeScreen
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

    def action_travel(self, days: int) -> None:
        self.clock.shift(days)
        self.rebuild()

    def action_travel_home(self) -> None:
        if self.clock.shift_days:
            self.clock.reset()
            self.rebuild()

    def action_help(self) -> None:
        from followup_tui.screens.help import HelpScreen

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


def run_demo(ctx: Context) -> int:
    """Open the app on a throw-away database filled with sample data."""
    import tempfile
    from pathlib import Path

    from followup_tui.demo import populate

    with (
        tempfile.TemporaryDirectory(prefix="followup-tui-demo-") as folder,
        Store(Path(folder) / "demo.db") as store,
    ):
        populate(store, ctx.clock.now(), ctx.rules.tz)
        app = FollowupApp(store, ctx.clock, ctx.rules, ctx.config, demo=True)
        app.run()
    return app.return_code or 0
