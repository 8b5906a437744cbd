"""A week of `notify --desktop` from cron, on a real session bus with a notification server.

Cron runs the installed command with `--now` stepping through a simulated week:
every 15 minutes through Monday, then at 09:00 each weekday, with the machine
off on Thursday. Under cron there is no DBUS_SESSION_BUS_ADDRESS: the bus is
found as `$XDG_RUNTIME_DIR/bus`, as on a desktop session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.integrations.test_integrations_desktop import Server
from tests.support.cli import Runner, command

WEEK = {
    "format": "followup-tui",
    "version": 1,
    "applications": [
        {
            "id": "initech-dev",
            "company": "Initech",
            "role": "Developer",
            "contacts": [{"name": "Bill Lumbergh", "email": "bill@initech.example"}],
            "interviews": [
                {
                    "id": "initech-1",
                    "starts_at": "2026-11-30T10:00:00+11:00",  # Monday
                    "duration_minutes": 60,
                    "interviewers": ["Bill Lumbergh"],
                }
            ],
        },
        {
            "id": "umbrella-qa",
            "company": "Umbrella",
            "role": "QA Lead",
            "interviews": [
                {"id": "umbrella-1", "starts_at": "2026-11-25T13:00:00+11:00",
                 "decision_by": "2026-11-30"}
            ],
            "events": [
                {"at": "2026-11-25T16:00:00+11:00", "type": "thank_you_sent",
                 "interview": "umbrella-1"}
            ],
        },
        {
            "id": "hooli-pm",
            "company": "Hooli",
            "role": "Product Manager",
            "interviews": [
                {"id": "hooli-1", "starts_at": "2026-12-02T15:00:00+11:00",  # Wednesday
                 "duration_minutes": 45}
            ],
        },
        {
            "id": "vandelay-imports",
            "company": "Vandelay Industries",
            "role": "Importer",
            "interviews": [
                {"id": "vandelay-1", "starts_at": "2026-12-03T10:00:00+11:00",  # Thursday
                 "duration_minutes": 60}
            ],
        },
    ],
}


def cron_times() -> list[str]:
    """When cron runs `notify` this week: every 15 minutes through Monday's working
    day, 09:00 on the other weekdays, nothing on Thursday (the laptop stayed shut)."""
    monday = datetime(2026, 11, 30, 8, 0)
    times = [monday + timedelta(minutes=15 * step) for step in range(41)]  # 08:00-18:00
    times += [datetime(2026, 12, day, 9, 0) for day in (1, 2, 4)]  # Tue, Wed, (no Thu), Fri
    return [t.isoformat(timespec="minutes") for t in times]


@pytest.fixture
def runtime_bus(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A session bus listening where a desktop session puts it: `$XDG_RUNTIME_DIR/bus`."""
    daemon = shutil.which("dbus-daemon")
    if daemon is None:
        message = "dbus-daemon is not installed (apt-get install dbus; .ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    process = subprocess.Popen(
        [daemon, "--session", "--nofork", "--print-address=1",
         f"--address=unix:path={runtime / 'bus'}"],
        stdout=subprocess.PIPE,
        text=True,
    )
    address = process.stdout.readline().strip()
    assert address.startswith("unix:path="), address
    yield runtime, address
    process.kill()
    process.wait()


def test_a_week_of_cron_runs_tells_each_thing_once_and_catches_up_after_a_day_off(
    tmp_path: Path, runtime_bus: tuple[Path, str]
) -> None:
    runtime, address = runtime_bus
    runner = Runner(tmp_path)
    assert runner.run("import", str(runner.write_json("week.json", WEEK))).returncode == 0
    server = Server(address, tmp_path / "received.jsonl", "body")
    # cron's environment: no session bus address, only the runtime folder
    cron_env = {k: v for k, v in runner.env.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    cron_env["XDG_RUNTIME_DIR"] = str(runtime)
    shown: list[tuple[str, str, str]] = []
    printed: dict[str, str] = {}
    try:
        for when in cron_times():
            done = subprocess.run(
                [*command(), "--now", when, "notify", "--desktop"],
                capture_output=True, text=True, env=cron_env, timeout=120,
            )
            assert (done.returncode, done.stderr) == (0, ""), (when, done.stderr)
            if done.stdout:
                printed[when] = done.stdout
            received = server.received()
            shown += [(when, r["summary"], r["body"]) for r in received[len(shown):]]
    finally:
        server.stop()

    assert shown == [
        (
            "2026-11-30T11:00",  # the interview has just ended
            "Follow-up due: send the thank-you",
            "Initech — Developer\n"
            "The interview ended Mon 30 Nov 11:00; send the thank-you by Tue 1 Dec 11:00.",
        ),
        (
            "2026-12-01T09:00",  # they meant to decide by Monday
            "Follow-up due: phone them",
            "Umbrella — QA Lead\n"
            "They meant to decide by Mon 30 Nov and have not been in touch; a call is fair now.",
        ),
        (
            "2026-12-02T09:00",  # the window closed on Tuesday, 11:00
            "Follow-up overdue: send the thank-you",
            "Initech — Developer\n"
            "The thank-you window closed Tue 1 Dec 11:00; it is late but still worth sending.",
        ),
        (
            # Friday tells what Wednesday afternoon and the missed Thursday brought:
            # Hooli's thank-you became due and then overdue unseen (told once, as it is
            # now); Vandelay's became due on Thursday
            "2026-12-04T09:00",
            "2 follow-ups need action",
            "Hooli — Product Manager: send the thank-you (overdue)\n"
            "Vandelay Industries — Importer: send the thank-you (due)",
        ),
    ]
    # nothing was shown twice, and cron mailed exactly when there was news
    assert len({(summary, body) for _, summary, body in shown}) == len(shown)
    assert list(printed) == [when for when, _, _ in shown]
    assert printed["2026-12-04T09:00"].splitlines()[0].startswith("OVERDUE    Hooli")
