"""Hooks: the user's own programs in `<config dir>/hooks/`, run on what happens.

As Taskwarrior's: an executable named after its hook (`on-event`, or one whose
name starts `on-event.` or `on-event-`, run in name order) receives JSON on
standard input.

- `on-event`: after a transaction that recorded events commits (from the app,
  an import, mail or a calendar), one run per transaction, with one JSON object
  per line per event (JSON Lines: `jq`, `while read` and Python's line reading
  all take it as it comes), in the order they were recorded.
- `on-due`: from `notify`, the follow-ups newly due, as one JSON array of the
  objects `due --json` prints.

A hook never holds up, undoes or loses a write: the write has committed before
its hook is queued, and `HookRunner.on_event` returns at once (hooks run one
after another on the runner's own thread). A hook that fails, hangs (stopped
after `timeout` seconds, 10 by default) or cannot be run is reported once per
runner, through the `report` callback.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

#: A hook that has not finished after this many seconds is stopped (SPEC §8).
HOOK_TIMEOUT = 10.0
HOOK_NAMES = ("on-event", "on-due")
#: Where an event came from, as on-event's `source` says.
SOURCES = ("app", "import", "mail", "calendar")
#: How much of a failing hook's standard error its report quotes.
_STDERR_QUOTED = 300


def hooks_dir(config_directory: Path | None = None) -> Path:
    """`<config dir>/hooks` (the folder of `followup_tui.settings.config.config_dir()`)."""
    if config_directory is None:
        from followup_tui.settings.config import config_dir

        config_directory = config_dir()
    return config_directory / "hooks"


def event_payload(
    application_id: str,
    company: str,
    role: str,
    event: Any,
    *,
    source: str,
) -> dict[str, Any]:
    """What `on-event` receives for one recorded `followup_tui.domain.model.Event`."""
    return {
        "id": event.id,
        "application": application_id,
        "company": company,
        "role": role,
        "interview": event.interview,
        "type": str(event.type),
        "at": event.at,
        "kind": None if event.kind is None else str(event.kind),
        "until": event.until,
        "text": event.text,
        "source": source,
    }


def last_event_id(conn: sqlite3.Connection) -> int:
    """The highest event id stored (0 for none): read it inside the write
    transaction, before recording, and pass it to `events_since` after."""
    return int(conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0])


def events_since(conn: sqlite3.Connection, after_id: int, *, source: str) -> list[dict[str, Any]]:
    """The on-event payloads of the events stored with an id above `after_id`.

    For writers that add many events at once (an import's merge): SQLite gives a
    new row an id above every id stored, so under one write transaction the
    events it added are exactly those above the highest id read at its start.
    """
    rows = conn.execute(
        "SELECT e.id, e.application_id, a.company, a.role, e.interview_id, e.type, e.at, "
        "e.kind, e.until, e.text FROM events e JOIN applications a ON a.id = e.application_id "
        "WHERE e.id > ? ORDER BY e.id",
        (after_id,),
    )
    return [
        {
            "id": event_id,
            "application": application,
            "company": company,
            "role": role,
            "interview": interview,
            "type": type_,
            "at": at,
            "kind": kind,
            "until": until,
            "text": text,
            "source": source,
        }
        for event_id, application, company, role, interview, type_, at, kind, until, text in rows
    ]


def _stderr_report(message: str) -> None:
    print(f"followup-tui: {message}", file=sys.stderr, flush=True)


class HookRunner:
    """Runs hooks in the background, in the order they were asked for.

    `report` receives each problem as one line of plain text; it is called on
    the runner's thread (the app should hand it to its UI thread). Default:
    standard error. Call `close()` before the program exits: it waits for the
    hooks still queued (each bounded by `timeout`), up to `wait` seconds.

    `database` is the file the writes went to: hooks get it as FOLLOWUP_TUI_DB,
    so a `followup-tui` command in a hook works on that file even when it was
    chosen with `--db`.
    """

    def __init__(
        self,
        directory: Path | None = None,
        *,
        timeout: float = HOOK_TIMEOUT,
        report: Callable[[str], None] | None = None,
        database: Path | None = None,
    ) -> None:
        self.directory = hooks_dir() if directory is None else directory
        self.database = database
        self.timeout = timeout
        self._report = report or _stderr_report
        self._reported: set[tuple[str, str]] = set()
        self._jobs: queue.Queue[tuple[str, bytes] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._pending = 0  # jobs queued or running
        self._running: subprocess.Popen[bytes] | None = None
        self._closed = False

    # --- what callers use ----------------------------------------------------

    def on_event(self, events: Sequence[Mapping[str, Any]]) -> None:
        """Queue `on-event` with these event payloads (see `event_payload`); returns at once."""
        if events:
            lines = "".join(json.dumps(dict(e), ensure_ascii=False) + "\n" for e in events)
            self._submit("on-event", lines.encode("utf-8"))

    def on_due(self, followups: Sequence[Mapping[str, Any]]) -> None:
        """Queue `on-due` with these follow-ups (`notify.due_payload` objects); returns at once."""
        if followups:
            data = json.dumps([dict(f) for f in followups], ensure_ascii=False, indent=2) + "\n"
            self._submit("on-due", data.encode("utf-8"))

    def has_hook(self, name: str) -> bool:
        """Whether any file would answer `name` (so a caller can skip building its input)."""
        try:
            return any(_answers(entry.name, name) for entry in os.scandir(self.directory))
        except OSError:
            return False

    def wait(self, timeout: float | None = None) -> bool:
        """Until every queued hook has run (True), or `timeout` seconds passed (False)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def close(self, wait: float | None = None) -> int:
        """Wait for the queued hooks (up to `wait` seconds), then stop any still running.

        Returns how many queued runs were never started (not reported: this runs
        on the caller's thread, which may be the app's UI thread at exit)."""
        finished = self.wait(wait)
        dropped = 0
        with self._lock:
            self._closed = True
            running = self._running
        if not finished:
            while True:
                try:
                    job = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if job is not None:
                    dropped += 1
                    self._finished()
            if running is not None:
                # the runner's thread reaps it; here only the signal
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(running.pid, signal.SIGKILL)
        if self._thread is not None:
            self._jobs.put(None)
            self._thread.join(self.timeout + 5)
        return dropped

    # --- the runner's thread ---------------------------------------------------

    def _submit(self, name: str, data: bytes) -> None:
        # only names here: the files are looked at, and any problem reported, on
        # the runner's thread, so `report` is never called on the caller's
        if not self.has_hook(name):
            return
        with self._lock:
            if self._closed:
                return
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._work, name="followup-tui hooks", daemon=True
                )
                self._thread.start()
            self._pending += 1
        self._jobs.put((name, data))

    def _finished(self) -> None:
        with self._idle:
            self._pending -= 1
            self._idle.notify_all()

    def _programs(self, name: str) -> list[Path]:
        """This hook's files, in name order; those that cannot run are reported and left out."""
        try:
            entries = sorted(os.scandir(self.directory), key=lambda entry: entry.name)
        except OSError:
            return []  # no hooks folder: no hooks
        found = []
        for entry in entries:
            if not _answers(entry.name, name):
                continue
            path = Path(entry.path)
            if not entry.is_file():
                continue
            if not os.access(path, os.X_OK):
                self._tell(path, "mode", f"hook {entry.name} is not executable: chmod +x {path}")
                continue
            found.append(path)
        return found

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            name, data = job
            try:
                for program in self._programs(name):
                    self._run(name, program, data)
            except Exception as error:  # noqa: BLE001 - the runner must outlive any one hook
                self._report(f"a hook could not be run: {error}")
            finally:
                self._finished()

    def _run(self, name: str, program: Path, data: bytes) -> None:
        env = dict(os.environ, FOLLOWUP_TUI_HOOK=name)
        if self.database is not None:
            env["FOLLOWUP_TUI_DB"] = str(self.database.absolute())
        try:
            process = subprocess.Popen(
                [str(program)],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                cwd=program.parent,
                env=env,
                # its own process group, so a hook's children stop with it
                start_new_session=True,
            )
        except OSError as error:
            reason = error.strerror or str(error)
            if error.errno == 8:  # ENOEXEC
                reason = "it is not a program (does it start with a #! line?)"
            self._tell(program, "exec", f"hook {program.name} cannot be run: {reason}")
            return
        with self._lock:
            closing = self._closed
            self._running = process
        if closing:  # close() gave up waiting while this one was starting
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
        try:
            _, stderr = process.communicate(data, timeout=self.timeout)
        except subprocess.TimeoutExpired:
            _kill(process)
            self._tell(
                program,
                "timeout",
                f"hook {program.name} was stopped after {self.timeout:g} s without finishing",
            )
            return
        finally:
            with self._lock:
                self._running = None
        if process.returncode != 0 and not self._closed:
            said = _quote(stderr)
            self._tell(
                program,
                "exit",
                f"hook {program.name} failed (exit status {process.returncode})"
                + (f": {said}" if said else ""),
            )

    def _tell(self, program: Path, problem: str, message: str) -> None:
        key = (str(program), problem)
        with self._lock:
            if key in self._reported:
                return
            self._reported.add(key)
        self._report(message)


def _answers(filename: str, name: str) -> bool:
    """`on-event`, `on-event.py`, `on-event-log`… answer on-event; editor backups do not."""
    return (
        filename == name or filename.startswith((f"{name}.", f"{name}-"))
    ) and not filename.endswith("~")


def _kill(process: subprocess.Popen[bytes]) -> None:
    """Stop a hook and whatever it started, and reap it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    try:
        process.communicate(timeout=5)
    except (subprocess.TimeoutExpired, ValueError):
        # a grandchild that left the group still holds the pipe: stop reading it
        for stream in (process.stdin, process.stderr):
            if stream is not None:
                stream.close()
        process.wait()


def _quote(stderr: bytes | None) -> str:
    """The last words a hook wrote to standard error, safe to show in a terminal."""
    from followup_tui.text import printable

    text = (stderr or b"").decode("utf-8", "replace").strip()
    return printable(text[-_STDERR_QUOTED:], single_line=True)

