"""Hooks run as real executables: what they receive, and what happens when they misbehave."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest

from followup_tui.domain.model import Application, Event, EventType, Interview, Kind
from followup_tui.integrations.hooks import (
    HOOK_TIMEOUT,
    HookRunner,
    event_payload,
    events_since,
    last_event_id,
)
from followup_tui.storage.store import Store


def hook(directory: Path, name: str, body: str, *, executable: bool = True) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text("#!/bin/sh\n" + body + "\n")
    if executable:
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def running_in_group(group: int) -> list[int]:
    """The processes of a process group not yet dead (a killed child whose parent
    died first stays a zombie until init reaps it: that counts as dead)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat_line = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid pgrp ...: comm may hold spaces, so split after ")"
        state, _ppid, pgrp = stat_line.rsplit(")", 1)[1].split()[:3]
        if int(pgrp) == group and state != "Z":
            found.append(int(entry.name))
    return found


class Reports:
    """Collects what the runner reports (on its own thread)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, line: str) -> None:
        # never on the caller's thread: the app's UI thread must not wait or re-enter
        assert threading.current_thread() is not threading.main_thread()
        with self._lock:
            self.lines.append(line)


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "followup.db", must_exist_dir=False) as opened:
        opened.import_applications(
            [Application(
                id="acme",
                company="Acme <Co> & \x1b[31mred",
                role="Planner",
                interviews=(Interview(id="acme-1", starts_at="2026-11-20T10:00:00+11:00"),),
            )]
        )
        yield opened


def record_events(store: Store, *events: Event) -> list[dict]:
    """As a writer would: the events' payloads read back once their transaction commits."""
    with store.locked() as conn:
        mark = last_event_id(conn)
    for event in events:
        store.add_event("acme", event)
    return events_since(store.conn, mark, source="app")


SENT = Event(at="2026-11-20T15:30:00+11:00", type=EventType.THANK_YOU_SENT, interview="acme-1")
SNOOZED = Event(
    at="2026-11-24T09:00:00+11:00",
    type=EventType.SNOOZED,
    interview="acme-1",
    kind=Kind.CALL,
    until="2026-12-01",
)


def test_on_event_gets_each_event_as_one_json_line(tmp_path, store):
    hooks = tmp_path / "hooks"
    record = tmp_path / "received.jsonl"
    hook(hooks, "on-event", f'cat >> "{record}"; echo "$FOLLOWUP_TUI_HOOK" >> "{record}.name"')
    runner = HookRunner(hooks, report=Reports())
    payloads = record_events(store, SENT, SNOOZED)
    runner.on_event(payloads)
    runner.on_event(record_events(store, Event(at="2026-11-25T12:00:00+11:00", type=EventType.NOTE, text="line one\nline two")))
    runner.close()

    received = [json.loads(line) for line in record.read_text().splitlines()]
    assert [e["type"] for e in received] == ["thank_you_sent", "snoozed", "note"]
    first, second, third = received
    assert first["application"] == "acme"
    assert first["company"] == "Acme <Co> & \x1b[31mred"  # the data as stored, in JSON
    assert first["role"] == "Planner"
    assert first["interview"] == "acme-1"
    assert first["at"] == "2026-11-20T15:30:00+11:00"
    assert first["source"] == "app"
    assert second["kind"] == "call" and second["until"] == "2026-12-01"
    assert third["text"] == "line one\nline two"  # one line on stdin all the same
    assert set(first) == {
        "id", "application", "company", "role", "interview", "type", "at", "kind", "until",
        "text", "source",
    }
    # two transactions, two runs
    assert (tmp_path / "received.jsonl.name").read_text().split() == ["on-event", "on-event"]


def test_event_payload_matches_what_is_read_back(store):
    payloads = record_events(store, SNOOZED)
    stored = store.load_application("acme").events[-1]
    assert payloads == [event_payload("acme", "Acme <Co> & \x1b[31mred", "Planner", stored, source="app")]


def test_on_event_returns_while_the_hook_is_still_running(tmp_path, store):
    # The hook cannot finish until the test, after on_event returned, lets it: had
    # on_event waited for it, it would have been stopped at the timeout and reported.
    hooks, gate, record = tmp_path / "hooks", tmp_path / "gate", tmp_path / "got.jsonl"
    os.mkfifo(gate)
    hook(hooks, "on-event", f'cat > "{record}"; read line < "{gate}"')
    reports = Reports()
    runner = HookRunner(hooks, timeout=60, report=reports)
    runner.on_event(record_events(store, SENT))
    with gate.open("w") as release:
        release.write("go\n")
    runner.close()
    assert reports.lines == []
    assert json.loads(record.read_text())["type"] == "thank_you_sent"


def test_on_due_gets_one_json_array(tmp_path):
    hooks, record = tmp_path / "hooks", tmp_path / "due.json"
    hook(hooks, "on-due", f'cat > "{record}"')
    runner = HookRunner(hooks, report=Reports())
    items = [
        {"application": "acme", "interview": "acme-1", "kind": "thank_you", "state": "due"},
        {"application": "globex", "interview": "globex-1", "kind": "call", "state": "overdue"},
    ]
    runner.on_due(items)
    runner.on_due([])  # nothing newly due: no run
    runner.close()
    assert json.loads(record.read_text()) == items


def test_a_failing_hook_is_reported_once_and_the_next_hook_still_runs(tmp_path, store):
    hooks, record = tmp_path / "hooks", tmp_path / "got.jsonl"
    hook(hooks, "on-event.1-fails", 'cat > /dev/null; echo "no network \x1b[2J here" >&2; exit 1')
    hook(hooks, "on-event.2-records", f'cat >> "{record}"')
    reports = Reports()
    runner = HookRunner(hooks, report=reports)
    runner.on_event(record_events(store, SENT))
    runner.on_event(record_events(store, SNOOZED))
    runner.close()
    assert reports.lines == [
        "hook on-event.1-fails failed (exit status 1): no network \\x1b[2J here"
    ]
    assert len(record.read_text().splitlines()) == 2
    # the writes stand
    assert [e.type for e in store.load_application("acme").events] == [
        EventType.THANK_YOU_SENT, EventType.SNOOZED,
    ]


def test_a_hanging_hook_is_stopped_with_what_it_started(tmp_path, store):
    hooks, pid_file = tmp_path / "hooks", tmp_path / "pid"
    hook(hooks, "on-event", f'echo $$ > "{pid_file}"; sleep 60')
    reports = Reports()
    # long enough for a loaded machine to start the shell and let it write its pid
    runner = HookRunner(hooks, timeout=3, report=reports)
    runner.on_event(record_events(store, SENT))
    runner.close()
    assert reports.lines == ["hook on-event was stopped after 3 s without finishing"]
    # the shell and its sleep are both gone
    assert running_in_group(int(pid_file.read_text())) == []
    assert len(store.load_application("acme").events) == 1


def test_the_timeout_is_ten_seconds_unless_told():
    assert HOOK_TIMEOUT == 10
    assert HookRunner(Path("/nonexistent")).timeout == 10


def test_a_hook_without_its_run_bit_is_reported_once_and_not_run(tmp_path, store):
    hooks, record = tmp_path / "hooks", tmp_path / "got"
    path = hook(hooks, "on-event", f'cat > "{record}"', executable=False)
    reports = Reports()
    runner = HookRunner(hooks, report=reports)
    runner.on_event(record_events(store, SENT))
    runner.on_event(record_events(store, SNOOZED))
    runner.close()
    assert reports.lines == [f"hook on-event is not executable: chmod +x {path}"]
    assert not record.exists()


def test_a_file_that_is_not_a_program_is_reported(tmp_path, store):
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    path = hooks / "on-event"
    path.write_text("echo no shebang line\n")
    path.chmod(0o755)
    reports = Reports()
    runner = HookRunner(hooks, report=reports)
    runner.on_event(record_events(store, SENT))
    runner.close()
    assert reports.lines == [
        "hook on-event cannot be run: it is not a program (does it start with a #! line?)"
    ]


def test_no_hooks_folder_means_no_thread_and_no_report(tmp_path, store):
    reports = Reports()
    runner = HookRunner(tmp_path / "nowhere", report=reports)
    runner.on_event(record_events(store, SENT))
    assert runner.wait(0)
    runner.close()
    assert reports.lines == []


def test_close_stops_a_hook_that_outlives_the_wait(tmp_path, store):
    hooks, pid_file = tmp_path / "hooks", tmp_path / "pid"
    hook(hooks, "on-event", f'echo $$ > "{pid_file}"; exec sleep 60')
    reports = Reports()
    runner = HookRunner(hooks, timeout=60, report=reports)
    runner.on_event(record_events(store, SENT))
    runner.on_event(record_events(store, SNOOZED))  # queued behind it: never started
    while not pid_file.exists() or not pid_file.read_text().strip():
        threading.Event().wait(0.01)
    assert runner.close(wait=0) == 1
    assert reports.lines == []
    assert running_in_group(int(pid_file.read_text())) == []


def test_which_files_answer_a_hook(tmp_path, store):
    hooks, record = tmp_path / "hooks", tmp_path / "ran"
    runner = HookRunner(hooks, report=Reports())
    assert not runner.has_hook("on-event")
    hook(hooks, "on-event~", f'echo backup >> "{record}"')
    hook(hooks, "on-eventual", f'echo other >> "{record}"')
    hook(hooks, "on-due", f'echo due >> "{record}"')
    assert not runner.has_hook("on-event")
    hook(hooks, "on-event.py", f'cat > /dev/null; echo py >> "{record}"')
    hook(hooks, "on-event-log", f'cat > /dev/null; echo log >> "{record}"')
    assert runner.has_hook("on-event")
    runner.on_event(record_events(store, SENT))
    runner.close()
    assert record.read_text().split() == ["log", "py"]  # in name order
