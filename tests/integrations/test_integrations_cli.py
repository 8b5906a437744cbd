"""`notify`, `completion` and the hooks through the installed command, on real files."""

from __future__ import annotations

import json
import os
import shlex
import stat
import subprocess
from pathlib import Path

import pytest

from tests.integrations.test_integrations_completion import complete
from tests.integrations.test_integrations_desktop import Server, bus  # noqa: F401 - the fixture
from tests.support.cli import SAMPLE, Runner, command

DUE = "2026-11-24T16:00"
OVERDUE = "2026-11-28T10:00"


@pytest.fixture
def runner(tmp_path: Path) -> Runner:
    made = Runner(tmp_path)
    assert made.run("import", str(made.write_json("sample.json", SAMPLE))).returncode == 0
    return made


def notify(runner: Runner, when: str, *options: str, **env: str) -> subprocess.CompletedProcess[str]:
    return runner.run("--now", when, "notify", *options, **env)


def hook(runner: Runner, name: str, body: str) -> Path:
    folder = runner.tmp / "config" / "hooks"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_notify_tells_each_follow_up_once(runner):
    first = notify(runner, DUE, "--json")
    assert first.returncode == 0, first.stderr
    (told,) = json.loads(first.stdout)
    assert (told["interview"], told["kind"], told["state"]) == ("globex-1", "thank_you", "due")
    assert set(told) == {"application", "company", "role", "interview", "kind", "state", "due_at", "reason",
                         "ghosted"}
    again = notify(runner, "2026-11-24T16:15", "--json")
    assert (again.returncode, json.loads(again.stdout)) == (0, [])
    # cron mails only what a job prints: nothing new, nothing printed
    assert notify(runner, "2026-11-24T16:30").stdout == ""
    late = notify(runner, OVERDUE)
    assert late.stdout.splitlines()[0] == "OVERDUE    Globex — Data Analyst · send the thank-you"


def test_notify_desktop_shows_it_once_on_the_session_bus(runner, bus, tmp_path):  # noqa: F811
    server = Server(bus, tmp_path / "received.jsonl", "body")
    try:
        for when in (DUE, "2026-11-24T16:15", OVERDUE, "2026-11-28T10:15"):
            done = notify(runner, when, "--desktop", DBUS_SESSION_BUS_ADDRESS=bus)
            assert done.returncode == 0, done.stderr
    finally:
        server.stop()
    assert [r["summary"] for r in server.received()] == [
        "Follow-up due: send the thank-you",
        "Follow-up overdue: send the thank-you",
    ]
    assert server.received()[0]["body"].splitlines()[0] == "Globex — Data Analyst"


def test_notify_desktop_without_a_bus_says_so_and_keeps_the_news(runner, tmp_path):
    env = {k: v for k, v in runner.env.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    env["XDG_RUNTIME_DIR"] = str(tmp_path)
    done = subprocess.run(
        [*command(), "--now", DUE, "notify", "--desktop"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("followup-tui: error: there is no session D-Bus")
    assert "Traceback" not in done.stderr
    # nothing was recorded as told: the next run still has it
    assert len(json.loads(notify(runner, DUE, "--json").stdout)) == 1


def test_notify_desktop_with_no_notification_server_keeps_the_news(runner, bus):  # noqa: F811
    done = notify(runner, DUE, "--desktop", DBUS_SESSION_BUS_ADDRESS=bus)
    assert done.returncode == 2
    assert "no notification server is running on the session D-Bus" in done.stderr
    assert len(json.loads(notify(runner, DUE, "--json").stdout)) == 1


def test_on_due_gets_what_notify_tells(runner):
    record = runner.tmp / "on-due.json"
    hook(runner, "on-due", f'cat > "{record}"')
    printed = json.loads(notify(runner, DUE, "--json").stdout)
    assert json.loads(record.read_text()) == printed


def test_on_event_gets_an_imports_new_events_and_a_broken_hook_loses_nothing(tmp_path):
    runner = Runner(tmp_path)
    record = tmp_path / "events.jsonl"
    hook(runner, "on-event", f'cat >> "{record}"; exit 3')
    sample = runner.write_json("sample.json", SAMPLE)
    first = runner.run("import", str(sample))
    assert first.returncode == 0
    assert "hook on-event failed (exit status 3)" in first.stderr
    received = [json.loads(line) for line in record.read_text().splitlines()]
    assert [(e["application"], e["type"], e["source"]) for e in received] == [
        ("acme-planner", "thank_you_sent", "import"),
        ("acme-planner", "snoozed", "import"),
        ("acme-planner", "note", "import"),
    ]
    assert received[0]["company"] == "Acme Shire Council"
    # the import stands, and importing again records (and tells) nothing new
    assert runner.run("import", str(sample)).returncode == 0
    assert len(record.read_text().splitlines()) == 3
    assert json.loads(runner.run("export").stdout)["applications"][0]["id"] == "acme-planner"


def test_completion_through_the_command(runner, tmp_path):
    for shell in ("bash", "zsh", "fish"):
        done = runner.run("completion", shell)
        assert done.returncode == 0 and "_followup_tui_interviews" in done.stdout
    assert runner.run("completion", "tcsh").returncode == 2
    script = tmp_path / "completion.bash"
    script.write_text(runner.run("completion", "bash").stdout)
    # the script calls `followup-tui __complete-interviews` as installed
    env = {**runner.env, "PATH": f"{Path(command()[0]).parent}{os.pathsep}{runner.env['PATH']}"}
    assert complete(script, "followup-tui draft --interview ", env) == ["acme-planner-1", "globex-1"]
    assert "notify" in complete(script, "followup-tui n", env)
    assert complete(script, "followup-tui notify --d", env) == ["--db", "--desktop"]


def test_the_hidden_command_answers_fast_paths_only(runner):
    done = runner.run("__complete-interviews", "--", "glo")
    assert (done.returncode, done.stdout, done.stderr) == (0, "globex-1\n", "")
    other = runner.run("__complete-interviews", "--db", shlex.quote("/nonexistent/x.db"), "--", "")
    assert (other.returncode, other.stdout, other.stderr) == (0, "", "")
