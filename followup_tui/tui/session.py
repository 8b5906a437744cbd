"""The app's data session: what it holds, how it reads, follows the clock and writes.

The first read is taken as the app loads, before the screen is composed, so the
first frame shows data (see opening.py). A large database shows its most urgent
rows first while a thread reads the rest; a cold follow-up cache (after a big
import, an upgrade or a new config) is warmed in a thread while "Loading…" is
shown and keys are answered. Another program's change is read again in a
thread, a batch of applications at a time into a new Review's private database
(memory holds one batch, whatever the size); a new "now" ([, ], the clock)
decides again only what moved. Each of the app's own writes is one transaction,
remembered for undo.

`DataSession` is mixed into the App, so its threads are the app's workers and
its results land on the app's message loop; the screens read only `review`,
`now` and the `data_changed` signal.
"""

from __future__ import annotations

import gc
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from followup_tui.domain.model import Application
from followup_tui.errors import UserError
from followup_tui.integrations.hooks import HookRunner, events_since, last_event_id
from followup_tui.storage import cache
from followup_tui.storage.store import Store, StoreError
from followup_tui.tui.opening import first_review, read_opening, waiting_briefly
from followup_tui.tui.review import Decided, Review

if TYPE_CHECKING:
    from textual.signal import Signal

    from followup_tui.domain.model import Rules
    from followup_tui.settings.clock import Clock

#: How many changes `u` can undo.
UNDO_DEPTH = 50
#: Applications decided again on the UI thread when "now" moves (~0.5 ms each); more,
#: and everything is read again in a thread.
MOVE_HERE = 100
#: ...and applications read again on the UI thread to move "now" (each read in full, its
#: lines written: ~0.1 ms each); more, and everything is read again in a thread.
MOVE_READ_HERE = 2000
#: A write waiting for another program's lock tries again this often (seconds)...
RETRY_SECONDS = 0.1
#: ...and says so once it has waited this long.
WAIT_NOTICE_SECONDS = 0.5
#: Applications read (and their lines written) at a time when everything is read.
READ_BATCH = 2000


class Stale(Exception):  # noqa: N818 - not an error: news that the screen was behind
    """Raised inside a change's write when what it was based on changed since the screen
    was drawn (another program, another window): the transaction is rolled back, so
    nothing is written; `message` is shown and `then` runs (a form reopened, say)."""

    def __init__(self, message: str, then: Callable[[], None] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.then = then


class PendingWrite(NamedTuple):
    """A write of the app's own, queued: run in order, one at a time, on the UI thread."""

    description: str
    application_id: str
    #: Runs the whole transaction; returns what to do once it has committed.
    attempt: Callable[[], Callable[[], None]]
    #: What to put back when it is cancelled or fails (undo's step, say).
    dropped: Callable[[], None] | None = None


def is_busy(error: BaseException) -> bool:
    """Whether a StoreError comes from another program holding the database."""
    cause = error.__cause__
    text = str(cause)
    return isinstance(cause, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


class UndoStep(NamedTuple):
    """What `u` restores: the application as it was before the change (None: it was new)."""

    description: str
    application_id: str
    before: Application | None
    #: The application right after the change: undo refuses when it is no longer so,
    #: because restoring `before` would erase what someone else wrote since.
    after: Application | None
    #: What else undo puts back, in the same transaction (a mail suggestion's state).
    restore: Callable[[], object] | None = None


class DataSession:
    """The data half of FollowupApp (a mixin: the App provides workers and notices)."""

    store: Store
    clock: Clock
    rules: Rules
    want_backup: bool
    demo: bool
    data_changed: Signal[None]
    run_worker: Any
    set_timer: Any
    post_message: Any
    call_from_thread: Any
    notify: Any
    exit: Any
    preview_note: Callable[[], str]

    def init_session(self, store: Store, clock: Clock, rules: Rules, cache_mark: str) -> None:
        self.store = store
        self.clock = clock
        self.rules = rules
        #: What the follow-up cache's rows were decided with (rules, settings, code).
        self.cache_mark = cache_mark
        self.review: Review | None = None
        self.now: datetime = clock.now()
        self.undo_stack: list[UndoStep] = []
        self._data_version: int | None = None
        #: The data generation (store.data_generation) of what the app holds.
        self._generation: int | None = None
        #: A thread is reading every application (the launch's rest, or a reload).
        self.reading = False
        #: The generation before and after each own write made while a thread reads:
        #: carried onto the generation the thread read, when its result lands.
        self._own_writes: list[tuple[int | None, int | None]] = []
        #: Applications changed here while a thread reads every application: read again
        #: when its result is installed.
        self._changed_while_loading: set[str] = set()
        #: The database was found damaged on opening: the app only exits (see open_session).
        self.refused = False
        #: The app's own writes not yet committed: the first may be waiting for a lock.
        self._writes: deque[PendingWrite] = deque()
        #: When the first write began waiting for another program (monotonic), or None.
        self._waiting_since: float | None = None
        self._wait_notice: Any = None
        self._retry_timer: Any = None
        self.hooks = HookRunner(report=self._hook_report, database=store.path)

    def _hook_report(self, message: str) -> None:
        """A hook's problem, from the runner's thread, shown where the user looks."""
        with suppress(RuntimeError):  # the app has stopped: nobody to tell
            self.call_from_thread(
                self.notify, message, title="Hook", severity="warning", markup=False, timeout=8
            )

    def close_session(self) -> None:
        """As the app exits: hooks still queued get a moment, then are stopped."""
        self.hooks.close(wait=2)

    def open_session(self, lines: int) -> None:
        """The first read, as the app loads: the first screenful, from the cache."""
        self.now = self.clock.now()
        try:
            # read before the data: a commit made after it moves it, and the app reloads
            self._data_version = self.store.data_version()
            self._generation = self.store.data_generation()
            self.review = read_opening(self.store, self.now, self.rules, self.cache_mark, lines)
            if self.review is not None:
                self.review.store = self.store
        except sqlite3.DatabaseError as error:
            self._refuse_damaged(error)

    def _refuse_damaged(self, error: sqlite3.DatabaseError) -> None:
        """A damaged page was read: the app exits as the commands refuse such a file
        (exit 2, the file and its sound backups named); other errors stay bugs."""
        from followup_tui.storage.store import damaged_message, is_damage

        if not is_damage(error):
            raise error
        from rich.text import Text

        self.refused = True
        message = f"followup-tui: error: {damaged_message(self.store.path, error)}"
        self.exit(return_code=2, message=Text(message))

    def _unless_damaged(self, work: Callable[[], None]) -> Callable[[], None]:
        """`work` for a thread, a damaged database met there refused on the app's thread."""

        def run() -> None:
            try:
                work()
            except sqlite3.DatabaseError as error:
                from followup_tui.storage.store import is_damage

                if not is_damage(error):
                    raise
                self.call_from_thread(self._refuse_damaged, error)

        return run

    def after_first_frame(self) -> None:
        if self.refused:
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
        review.store = self.store
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
        self.reading = True
        self.run_worker(
            self._unless_damaged(lambda: self.load_everything(now, use_cache)),
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
            self.reading = True
            self.load_everything(now, use_cache=False, data_version=version)
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

    def reload(self) -> None:
        """Read everything again (another program changed the data), in a thread: at
        100,000 applications that is seconds, and the keys go on working meanwhile."""
        self.now = now = self.clock.now()
        self.reading = True
        self.run_worker(
            self._unless_damaged(lambda: self.load_everything(now, use_cache=True, refresh=True)),
            thread=True, exclusive=True, group="load",
        )

    def _build_everything(
        self, store: Store, decided: Callable[[list[str]], dict[str, Decided] | None],
        now: datetime,
    ) -> Review:
        """Every application read and its lines written at `now`, a batch at a time (one
        read transaction: every batch sees the same data), so memory holds one batch
        however many there are."""
        review = Review(now)
        with cache.snapshot(store):
            for batch in store.batches(READ_BATCH):
                review.add(batch, self.rules, decided([app.id for app in batch]))
        review.count_all()
        return review

    def _install(self, review: Review) -> None:
        review.store = self.store  # the selected row is read in full from it
        self.review = review
        self._settle_memory()
        self.data_changed.publish(None)

    @staticmethod
    def _settle_memory() -> None:
        """What is loaded now lives as long as the app: keep the collector off it, and on
        again for what comes next (the command line turns it off for the launch)."""
        gc.freeze()
        gc.enable()

    def load_everything(
        self, now: datetime, use_cache: bool, data_version: int | None = None,
        *, refresh: bool = False,
    ) -> None:
        """In a worker thread, on its own connection: every application, then install.
        Without the cache every follow-up is decided afresh; with `refresh` the cache is
        brought up to date first. `data_version`, when given, is the app's connection's,
        taken before this read."""

        cached = use_cache

        def decided(ids: list[str]) -> dict[str, Decided] | None:
            if not cached:
                return None  # decided here
            return cache.read_by_application(store, ids)

        try:
            with Store(self.store.path) as store:
                if use_cache and refresh:
                    try:
                        cache.refresh(store, now, self.rules, self.cache_mark)
                    except StoreError:
                        cached = False  # decided in memory
                generation = store.data_generation()  # before the data: a later change moves it
                review = self._build_everything(store, decided, now)
        except StoreError as error:
            gc.enable()  # off since the launch, and nothing will be installed
            self.call_from_thread(self._read_failed, error)
            return
        self.call_from_thread(self._install_everything, review, data_version, generation)

    def _read_failed(self, error: StoreError) -> None:
        self.reading = False
        self._own_writes.clear()
        self._data_version = None  # so the next poll tries again
        # what is shown stays; say why the rest is missing instead of crashing
        self.notify(str(error), title="Could not read every application", severity="error",
                    markup=False, timeout=15)

    def _install_everything(
        self, review: Review, data_version: int | None, generation: int | None
    ) -> None:
        self.reading = False
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
        if self.reading:
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
        if len(moved) - len(decided) > MOVE_HERE or len(moved) > MOVE_READ_HERE:
            return False
        try:
            apps = self.store.load_many(moved) if moved else []
        except (StoreError, sqlite3.Error):
            return False
        review.move_to(now, apps, self.rules, decided)
        return True

    def poll_data_version(self) -> None:
        """Read everything again when another program changed the data. Its commits move
        `data_version` (ours do not); one that only wrote the follow-up cache (`due` at a
        shell prompt, the app's own threads) leaves the data generation where it was."""
        if self.review is None or self.reading:
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

    def tick(self) -> None:
        """Follow the real clock: states change as deadlines pass and days turn."""
        if self.clock.pinned is not None or self.review is None or self.review.partial:
            return
        # each new minute, whatever the size: only what the minute moved is decided again
        # (a quarter-hourly full rebuild took seconds at 100,000 applications). Compared
        # as instants: subtracting two times of one zone goes by the wall clock, which
        # repeats an hour when the clocks go back.
        if self.clock.now().timestamp() // 60 != self.now.timestamp() // 60:
            self.rebuild()

    def catch_up(self) -> None:
        """After the app's own write, at the real now: what was just recorded (stamped with
        the real time) must not look like the future to a list a minute behind."""
        if self.clock.pinned is None and not self.clock.shift_days:
            self.tick()

    def refresh_application(self, application_id: str) -> None:
        if self.review is None or self.reading:
            # a thread is reading every application: it may have read this one already
            self._changed_while_loading.add(application_id)
        if self.review is None:
            return
        try:
            app = self.store.load_application(application_id)
        except (StoreError, sqlite3.Error) as error:
            self.notify(str(error), title="Could not read it again", severity="error",
                        markup=False, timeout=10)
            return
        self.review.replace_application(application_id, app, self.rules)
        self.data_changed.publish(None)

    def change(
        self, application_id: str, description: str, write: Callable[[], object],
        restore: Callable[[], object] | None = None,
    ) -> None:
        """Run one write, remember how to undo it, and refresh that application everywhere.
        `restore` undoes what the write changed beside the application (undo runs it).

        The write is queued behind any still waiting for another program's lock, and runs
        as soon as it can: at once when nothing holds the database. A failure (locked past
        cancelling, disk full, read-only, damaged) writes nothing and is reported; a
        `Stale` raised by `write` writes nothing and shows its message."""
        from followup_tui.text import printable

        description = printable(description, single_line=True)  # it may name a company

        def attempt() -> Callable[[], None]:
            conn = self.store.conn
            # demo data is not the user's: their hooks are not told about it
            listening = not self.demo and self.hooks.has_hook("on-event")
            added: list[dict[str, Any]] = []
            # both snapshots inside the write transaction: nobody else writes between them
            with self._own_write():
                before = self.store.load_application(application_id)
                mark = last_event_id(conn) if listening else 0
                write()
                after = self.store.load_application(application_id)
                if listening:
                    added = events_since(conn, mark, source="app")

            def committed() -> None:
                self.undo_stack.append(
                    UndoStep(description, application_id, before, after, restore)
                )
                del self.undo_stack[:-UNDO_DEPTH]
                self.catch_up()
                self.refresh_application(application_id)
                # markup off: a description names a company, the user's own text
                self.notify(f"{description}{self.preview_note()} · u undoes it",
                            markup=False, timeout=8 if self.clock.shift_days else 4)
                self.hooks.on_event(added)  # after the commit, off the UI thread

            return committed

        self.queue_write(PendingWrite(description, application_id, attempt))

    def queue_write(self, job: PendingWrite) -> None:
        """Run `job` now, or after the writes queued before it."""
        self._writes.append(job)
        if len(self._writes) == 1:
            self._run_writes()

    def unsaved_writes(self) -> list[str]:
        """What the queued writes would save (each waiting for another program's lock)."""
        return [job.description for job in self._writes]

    @property
    def write_waiting(self) -> bool:
        """A write is waiting for another program's lock (escape cancels it)."""
        return self._waiting_since is not None

    def _run_writes(self) -> None:
        """Each queued write in order; a locked database is tried again on a timer, never
        waited for on the UI thread (the keys go on working)."""
        self._retry_timer = None
        while self._writes:
            job = self._writes[0]
            try:
                with waiting_briefly(self.store, 0):
                    committed = job.attempt()
            except Stale as stale:
                self._writes.popleft()
                self._end_wait()
                self.notify(stale.message, title="Not saved: changed elsewhere",
                            severity="warning", markup=False, timeout=10)
                self.refresh_application(job.application_id)
                if stale.then is not None:
                    stale.then()
                continue
            except StoreError as error:
                if is_busy(error):
                    self._wait(job)
                    return
                self._writes.popleft()
                self._end_wait()
                self._write_failed(job, str(error))
                continue
            except sqlite3.Error as error:  # outside the store's own wrapping
                self._writes.popleft()
                self._end_wait()
                self._write_failed(job, f"{self.store.path}: {error}")
                continue
            except UserError as error:  # a refusal worded for people (mail, invitations)
                self._writes.popleft()
                self._end_wait()
                self._write_failed(job, str(error))
                continue
            except Exception as error:  # noqa: BLE001 - a bug must not stop every later save
                self._writes.popleft()
                self._end_wait()
                self._write_failed(job, f"{type(error).__name__}: {error}")
                continue
            self._writes.popleft()
            self._end_wait()
            committed()

    def _wait(self, job: PendingWrite) -> None:
        now = time.monotonic()
        if self._waiting_since is None:
            self._waiting_since = now
        elif self._wait_notice is None and now - self._waiting_since >= WAIT_NOTICE_SECONDS:
            self._wait_notice = self._notice(
                f"Saving “{job.description}”… waiting for another program that holds the "
                "database (an import?). Escape cancels.", timeout=600,
            )
        self._retry_timer = self.set_timer(RETRY_SECONDS, self._run_writes)

    def _end_wait(self) -> None:
        if self._wait_notice is not None:
            self._withdraw(self._wait_notice)
            self._wait_notice = None
        self._waiting_since = None

    def _write_failed(self, job: PendingWrite, message: str) -> None:
        if job.dropped is not None:
            job.dropped()
        self.notify(f"{message}\n{job.description}: not saved. The keys work as before; "
                    "fix the cause and try again.",
                    title="Not saved", severity="error", markup=False, timeout=15)
        self.refresh_application(job.application_id)

    def cancel_writes(self) -> bool:
        """Escape while a write waits for a lock: drop it and those queued behind it."""
        if not self.write_waiting:
            return False
        if self._retry_timer is not None:
            self._retry_timer.stop()
            self._retry_timer = None
        dropped = list(self._writes)
        self._writes.clear()
        self._end_wait()
        for job in dropped:
            if job.dropped is not None:
                job.dropped()
        names = "; ".join(job.description for job in dropped)
        self.notify(f"Cancelled: {names}. Nothing was written.", severity="warning",
                    markup=False, timeout=6)
        return True

    def _notice(self, message: str, *, timeout: float) -> Any:
        """A notice that can be withdrawn (`_withdraw`) when what it says is over."""
        from textual.notifications import Notification, Notify

        notice = Notification(message, "Waiting", "warning", timeout, markup=False)
        self.post_message(Notify(notice))
        return notice

    def _withdraw(self, notice: Any) -> None:
        if notice in getattr(self, "_notifications", ()):
            self._unnotify(notice)  # type: ignore[attr-defined]

    @contextmanager
    def _own_write(self) -> Iterator[None]:
        """A write transaction of the app's own; the data generation it moves is the
        app's to hold, unless another program had moved it before (then that program's
        change is still to read, and the next poll reads everything)."""
        with self.store.transaction():
            before = self.store.data_generation()
            yield
            after = self.store.data_generation()
        if self.reading:  # the thread's generation replaces ours when it lands
            self._own_writes.append((before, after))
        if before == self._generation:
            self._generation = after
