"""Desktop notifications over a real session D-Bus, to a real (test) notification server."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from followup_tui.integrations import desktop
from followup_tui.integrations.desktop import DesktopError, body_for, send, session_bus_address
from followup_tui.integrations.notify import tell
from followup_tui.interchange.document import read_document
from followup_tui.settings.config import Config, rules_for
from followup_tui.storage import cache
from followup_tui.storage.store import Store
from tests.support.cli import SAMPLE

SYDNEY = ZoneInfo("Australia/Sydney")
RULES = rules_for(Config(timezone="Australia/Sydney"))
SERVER = Path(__file__).parents[1] / "support" / "notification_server.py"


@pytest.fixture
def bus(tmp_path: Path) -> Iterator[str]:
    """A private session bus (dbus-daemon), its address."""
    daemon = shutil.which("dbus-daemon")
    if daemon is None:
        message = "dbus-daemon is not installed (apt-get install dbus; .ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    folder = tmp_path / "bus"
    folder.mkdir()
    process = subprocess.Popen(
        [daemon, "--session", "--nofork", "--print-address=1", f"--address=unix:dir={folder}"],
        stdout=subprocess.PIPE,
        text=True,
    )
    address = process.stdout.readline().strip()
    assert address.startswith("unix:"), address
    yield address
    process.kill()
    process.wait()


class Server:
    """The test notification server on `bus`, and what it received."""

    def __init__(self, address: str, record: Path, *capabilities: str) -> None:
        self.record = record
        self.process = subprocess.Popen(
            [sys.executable, str(SERVER), address, str(record), *capabilities],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "ready"

    def received(self) -> list[dict]:
        if not self.record.exists():
            return []
        return [json.loads(line) for line in self.record.read_text().splitlines()]

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


@pytest.fixture
def server(bus: str, tmp_path: Path) -> Iterator[Server]:
    running = Server(bus, tmp_path / "received.jsonl", "body", "body-markup")
    yield running
    running.stop()


@pytest.fixture
def store(tmp_path: Path):
    document = json.loads(json.dumps(SAMPLE))
    document["applications"][1]["company"] = "Globex <b>&</b>\x1b[31m\u202e"
    with Store(tmp_path / "followup.db", must_exist_dir=False) as opened:
        opened.import_applications(read_document(document, SYDNEY, None, schema_checked=False))
        yield opened


def notify(store: Store, when: str, address: str) -> list[dict]:
    now = datetime.fromisoformat(when).replace(tzinfo=SYDNEY)
    items = cache.compute(store.load_all(details=False), now, RULES, all_states=False)[0]
    return tell(store.conn, items, now, SYDNEY, desktop=functools.partial(send, address=address))


def test_each_follow_up_is_shown_once_as_plain_text(store, bus, server):
    told = notify(store, "2026-11-24T16:00", bus)
    assert [(t["interview"], t["state"]) for t in told] == [("globex-1", "due")]
    for when in ("2026-11-24T16:15", "2026-11-24T16:30"):
        assert notify(store, when, bus) == []
    notify(store, "2026-11-28T10:00", bus)
    assert notify(store, "2026-11-28T10:15", bus) == []

    received = server.received()
    assert [r["summary"] for r in received] == [
        "Follow-up due: send the thank-you",
        "Follow-up overdue: send the thank-you",
    ]
    assert {r["app_name"] for r in received} == {"followup-tui"}
    first_line = received[0]["body"].splitlines()[0]
    # the server reads markup: it gets the name escaped, and no control character
    assert first_line == "Globex &lt;b&gt;&amp;&lt;/b&gt;[31m — Data Analyst"
    assert received[0]["body"].splitlines()[1] == told[0]["reason"]


def test_a_server_without_markup_gets_the_text_as_it_is(store, bus, tmp_path):
    plain_server = Server(bus, tmp_path / "plain.jsonl", "body")
    try:
        notify(store, "2026-11-24T16:00", bus)
    finally:
        plain_server.stop()
    (received,) = plain_server.received()
    assert received["body"].splitlines()[0] == "Globex <b>&</b>[31m — Data Analyst"


def test_a_bus_without_a_notification_server_is_said_and_nothing_is_recorded(store, bus):
    with pytest.raises(DesktopError, match="no notification server is running on the session D-Bus"):
        notify(store, "2026-11-24T16:00", bus)
    assert store.conn.execute("SELECT count(*) FROM notified").fetchone()[0] == 0


def test_no_session_bus_is_said_plainly(tmp_path):
    with pytest.raises(DesktopError) as raised:
        session_bus_address({"XDG_RUNTIME_DIR": str(tmp_path)})
    message = str(raised.value)
    assert "no session D-Bus" in message
    assert "DBUS_SESSION_BUS_ADDRESS is not set" in message
    assert str(tmp_path / "bus") in message


def test_a_bus_address_nobody_listens_on_is_said_plainly(tmp_path):
    gone = f"unix:path={tmp_path / 'no-bus-here'}"
    with pytest.raises(DesktopError, match="cannot connect to the session D-Bus at unix:path=.*no-bus-here"):
        send("title", "body", address=gone)


def test_the_address_comes_from_the_environment_or_the_user_runtime_socket(tmp_path):
    assert session_bus_address({"DBUS_SESSION_BUS_ADDRESS": "unix:path=/x"}) == "unix:path=/x"
    (tmp_path / "bus").touch()
    assert session_bus_address({"XDG_RUNTIME_DIR": str(tmp_path)}) == f"unix:path={tmp_path / 'bus'}"


def test_the_body_is_inert():
    hostile = "a & b <i>c</i>\x07\x1b]8;;http://x\x1b\\link\u202e\ttab\nnext"
    assert body_for(hostile, markup=True) == "a &amp; b &lt;i&gt;c&lt;/i&gt;]8;;http://x\\link tab\nnext"
    assert body_for(hostile, markup=False) == "a & b <i>c</i>]8;;http://x\\link tab\nnext"
    assert desktop.plain("title\x1b[2J") == "title[2J"


def test_the_user_bus_socket_is_found_whatever_its_folder_is_called(tmp_path):
    # a runtime folder with a space: the D-Bus address must escape it
    runtime = tmp_path / "run dir"
    runtime.mkdir()
    daemon = shutil.which("dbus-daemon")
    if daemon is None:
        pytest.skip("dbus-daemon is not installed")
    escaped = str(runtime / "bus").replace(" ", "%20")
    process = subprocess.Popen(
        [daemon, "--session", "--nofork", "--print-address=1", f"--address=unix:path={escaped}"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        process.stdout.readline()
        address = session_bus_address({"XDG_RUNTIME_DIR": str(runtime)})
        assert address == f"unix:path={escaped}"
        server = Server(address, tmp_path / "got.jsonl")
        try:
            send("hello", "there", address=address)
        finally:
            server.stop()
        assert [(r["summary"], r["body"]) for r in server.received()] == [("hello", "there")]
    finally:
        process.kill()
        process.wait()
