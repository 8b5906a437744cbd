"""No user data reaches a terminal as a live control sequence: not from the compose
screen's fields, not from the edit forms' Inputs and TextAreas, not from an export
printed to a terminal. The stored values stay exactly as they were."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import tty
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input, Static, TextArea

from followup_tui.domain.model import Contact, Kind
from followup_tui.tui.screens.compose import ComposeScreen, KeptDraft
from followup_tui.tui.screens.forms import InterviewForm
from followup_tui.tui.widgets.inert import visible_controls
from tests.reliability.test_reliability_hostile import (
    CONTROL,
    HOSTILE,
    RAW_CONTROL,
    hostile_document,
)
from tests.support.cli import Runner, command
from tests.support.compose import APPLICATION, INTERVIEW, NOW, RULES
from tests.tui.test_compose_screen import CONFIG

#: One line holding every hostile control string (an OSC 52 clipboard write included).
OSC52 = "\x1b]52;c;cHduZWQ=\x07"
EVERY_CONTROL = OSC52 + "".join(CONTROL)


def _drawn(app: App[object]) -> str:
    """What the app would draw now: the text of every segment on screen."""
    return app.export_screenshot()


class OneScreen(App[None]):
    def __init__(self, screen: object) -> None:
        super().__init__()
        self.first = screen

    def compose(self) -> ComposeResult:
        yield Static("home")

    def on_mount(self) -> None:
        self.push_screen(self.first)  # type: ignore[arg-type]


def test_visible_controls_leaves_nothing_live_and_keeps_the_length() -> None:
    for text in [*HOSTILE, EVERY_CONTROL]:
        shown = visible_controls(text)
        assert not RAW_CONTROL.search(shown) and "\n" not in shown and "\t" not in shown
        assert len(shown) == len(text)  # one for one: cursor and selection line up
        multi = visible_controls(text, multi_line=True)
        assert not RAW_CONTROL.search(multi) and len(multi) == len(text)
    assert visible_controls("a\tb\nc", multi_line=True) == "a\tb\nc"
    assert visible_controls("\x1b[2J\x07") == "\u241b[2J\u2407"


async def test_compose_draws_imported_controls_inertly_and_keeps_them() -> None:
    kept = KeptDraft(
        to=f"priya@example.org {EVERY_CONTROL}",
        subject=f"Thanks {EVERY_CONTROL}",
        body="\n".join(f"Line {text}" for text in [*CONTROL, OSC52, "\u2028ls\x0cff\x85"]),
    )
    drafts: dict[object, object] = {(INTERVIEW.id, Kind.THANK_YOU): kept}
    screen = ComposeScreen(APPLICATION, INTERVIEW.id, Kind.THANK_YOU, NOW, CONFIG, RULES, drafts)
    app = OneScreen(screen)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        drawn = _drawn(app)
        assert not RAW_CONTROL.search(drawn), RAW_CONTROL.findall(drawn)[:5]
        assert "\u241b]52;c;cHduZWQ=" in drawn  # shown, as visible characters
        # the data itself is untouched
        assert screen.to == kept.to and screen.subject == kept.subject
        assert screen.body == kept.body
        # and editing one field leaves the others' controls in place
        subject = screen.query_one("#subject", Input)
        subject.focus()
        await pilot.press("end", "!")
        assert screen.subject == kept.subject + "!" and screen.to == kept.to
        assert not RAW_CONTROL.search(_drawn(app))


async def test_the_edit_form_draws_controls_inertly_and_saves_them_unchanged() -> None:
    hostile = EVERY_CONTROL + "\u2028\x0c\x85"  # \r and other line breaks included
    interview = INTERVIEW.replace(
        round=f"Round {hostile}",
        interviewers=(f"Priya {hostile}",),
        topics=(f"Topic {hostile}", "plain topic"),
        fit_points=(f"Fit {hostile}",),
        notes=f"Notes {hostile}",
    )
    application = APPLICATION.replace(
        company=f"Acme {hostile}",
        role=f"Planner {hostile}",
        contacts=(Contact(f"Priya {hostile}", "Manager", "priya@example.org", ""),),
        interviews=(interview,),
    )
    form = InterviewForm(NOW, RULES.tz, application, interview)
    app = OneScreen(form)
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        drawn = _drawn(app)
        assert not RAW_CONTROL.search(drawn), RAW_CONTROL.findall(drawn)[:5]
        assert form.query_one("#company", Input).value == application.company
        assert form.query_one("#role", Input).value == application.role
        # every character kept, a \r or U+2028 inside a topic too
        assert form.query_one("#topics", TextArea).text == "\n".join(interview.topics)
        assert form.query_one("#fit_points", TextArea).text == interview.fit_points[0]
        for area in form.query(TextArea):
            area.focus()
            await pilot.pause()
            assert not RAW_CONTROL.search(_drawn(app))


# --- export to a terminal ---------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Runner:
    runner = Runner(tmp_path_factory.mktemp("inert"))
    document = runner.write_json("hostile.json", hostile_document())
    done = runner.run("import", str(document), "--now", "2026-11-22T09:00")
    assert done.returncode == 0, done.stderr
    return runner


def _on_a_terminal(runner: Runner, *args: str) -> bytes:
    """What the command writes to a terminal (a pty in raw mode: bytes as written)."""
    main, child_end = pty.openpty()
    tty.setraw(child_end)
    try:
        process = subprocess.Popen(
            [*command(), *args], stdout=child_end, stderr=subprocess.PIPE, env=runner.env
        )
        os.close(child_end)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert process.wait(timeout=60) == 0, process.stderr.read() if process.stderr else ""
    finally:
        os.close(main)
    return b"".join(chunks)


@pytest.mark.parametrize("format_", ["csv", "ics", "json"])
def test_export_to_a_terminal_prints_controls_inertly(hostile_db: Runner, format_: str) -> None:
    shown = _on_a_terminal(hostile_db, "export", "--format", format_).decode("utf-8")
    assert not RAW_CONTROL.search(shown.replace("\r\n", "\n")), RAW_CONTROL.findall(shown)[:5]
    assert "[b]x[/b] Co" in shown  # the data is there, only its controls are inert


def test_draft_and_check_on_a_terminal_print_the_datas_controls_inertly(
    tmp_path: Path,
) -> None:
    runner = Runner(tmp_path)
    document = runner.write_json("evil.json", _hostile_application())
    assert runner.run("import", str(document)).returncode == 0
    draft = _on_a_terminal(runner, "draft", "--interview", "evil-1", "--now", "2026-11-20T16:00")
    assert b"cHduZWQ=" in draft  # the topic is in the draft, its controls inert
    assert not RAW_CONTROL.search(draft.decode().replace("\r\n", "\n"))
    # to a pipe, the draft is exact
    piped = runner.run("draft", "--interview", "evil-1", "--now", "2026-11-20T16:00")
    assert "\x1b]52;c;cHduZWQ=\x07" in piped.stdout
    body = tmp_path / "body.txt"
    body.write_text("Hello,\n\nThanks.\n")
    for extra in ([], ["--json"]):
        args = ["check", str(body), "--interview", "evil-1", "--now", "2026-11-20T16:00", *extra]
        main, child_end = pty.openpty()
        tty.setraw(child_end)
        process = subprocess.Popen(
            [*command(), *args], stdout=child_end, stderr=subprocess.DEVNULL,
            env={**runner.env, "NO_COLOR": "1"},  # our own colour codes aside
        )
        os.close(child_end)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=60)
        os.close(main)
        shown = b"".join(chunks).decode()
        assert "cHduZWQ=" in shown, shown  # the topic check names the topic
        assert not RAW_CONTROL.search(shown.replace("\r\n", "\n")), args


def test_export_to_a_file_or_pipe_keeps_the_data_and_json_round_trips(
    hostile_db: Runner, tmp_path: Path
) -> None:
    piped = hostile_db.run("export", "--format", "json")
    assert piped.returncode == 0
    # JSON escapes every control and bidi character: nothing raw, yet the same values
    assert not RAW_CONTROL.search(piped.stdout.replace("\n", ""))
    companies = {a["company"] for a in json.loads(piped.stdout)["applications"]}
    assert {f"{text} Co" for text in CONTROL} <= companies
    # byte for byte through import and export again
    again = Runner(tmp_path)
    document = tmp_path / "again.json"
    document.write_text(piped.stdout)
    assert again.run("import", str(document), "--now", "2026-11-22T09:00").returncode == 0
    assert again.run("export", "--format", "json").stdout == piped.stdout
    # CSV to a pipe stays faithful: the raw controls are the data
    csv_out = hostile_db.run("export", "--format", "csv").stdout
    assert "\x1b[2J Co" in csv_out



# --- the real app on a terminal: the bytes it writes ----------------------------------

#: Sequences from the data that must never reach the terminal as bytes: a clipboard
#: write and a hyperlink, with payloads nothing in Textual would ever write.
LIVE = [b"\x1b]52;c;cHduZWQ=", b"\x1b]8;;http://evil.invalid"]
SHOWN = "\u241b]52;c;cHduZWQ="  # the same, drawn inertly


def _hostile_application() -> dict[str, object]:
    evil = "\x1b]52;c;cHduZWQ=\x07 \x1b]8;;http://evil.invalid\x1b\\x\x1b]8;;\x1b\\"
    return {
        "format": "followup-tui",
        "version": 1,
        "applications": [
            {
                "id": "evil",
                "company": f"Evil {evil}",
                "role": f"Role {evil}",
                "contacts": [{"name": "Priya Shah", "email": "priya@example.org"}],
                "interviews": [
                    {
                        "id": "evil-1",
                        "starts_at": "2026-11-20T10:00:00+11:00",
                        "round": f"Round {evil}",
                        "interviewers": ["Priya Shah"],
                        "topics": [f"topic {evil}"],
                        "fit_points": [f"fit {evil}"],
                    }
                ],
            }
        ],
    }


class _Pty:
    """The real app on a pty of 120x40: every byte it writes, and a pyte screen."""

    def __init__(self, runner: Runner) -> None:
        import fcntl
        import struct
        import termios

        import pyte

        self.screen = pyte.Screen(120, 40)
        self.stream = pyte.ByteStream(self.screen)
        self.written = bytearray()
        self.main, child_end = pty.openpty()
        fcntl.ioctl(child_end, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        env = {**runner.env, "TERM": "xterm-256color", "FOLLOWUP_TUI_NOW": "2026-11-20T16:00"}
        self.process = subprocess.Popen(
            command(), stdin=child_end, stdout=child_end, stderr=child_end, env=env,
            start_new_session=True, close_fds=True,
        )
        os.close(child_end)

    def wait_for(self, text: str, limit: float = 60.0, *, gone: bool = False) -> None:
        import select
        import time

        deadline = time.monotonic() + limit  # a guard against a hang, not a measurement
        while (text in "\n".join(self.screen.display)) == gone:
            if time.monotonic() > deadline:
                pytest.fail(f"never showed {text!r}:\n" + "\n".join(self.screen.display))
            ready, _, _ = select.select([self.main], [], [], 0.1)
            if ready:
                try:
                    data = os.read(self.main, 1 << 16)
                except OSError:
                    data = b""
                self.written += data
                self.stream.feed(data)

    def press(self, keys: bytes) -> None:
        os.write(self.main, keys)

    def close(self) -> None:
        self.process.kill()
        self.process.wait(timeout=30)
        os.close(self.main)


def test_the_real_app_writes_no_control_sequence_from_the_data(tmp_path: Path) -> None:
    runner = Runner(tmp_path)
    document = runner.write_json("evil.json", _hostile_application())
    assert runner.run("import", str(document)).returncode == 0
    terminal = _Pty(runner)
    try:
        terminal.wait_for("Evil")  # the list and the detail pane
        terminal.press(b"e")  # the edit form: company, role, round, topics in fields
        terminal.wait_for("Company")
        terminal.wait_for(SHOWN)
        terminal.press(b"\x1b")  # cancel: nothing saved
        terminal.wait_for("Company", gone=True)
        terminal.press(b"c")  # compose: the default draft names the topic
        terminal.wait_for("Mark sent")
        terminal.wait_for(SHOWN)
        terminal.press(b"\x1b")
        terminal.wait_for("Mark sent", gone=True)
        terminal.press(b"z")  # snooze: the form names the application
        terminal.wait_for("Or until")  # (drawn as the list draws it: "\\x1b]52;…")
        terminal.press(b"\x1b")
        terminal.wait_for("Or until", gone=True)
        terminal.press(b"D")  # the notification names what was deleted
        terminal.wait_for("Deleted Evil \\x1b]52;c;cHduZWQ=")
    finally:
        terminal.close()
    for sequence in LIVE:
        assert sequence not in terminal.written


async def test_a_text_area_keeps_line_breaks_inside_a_line_while_it_is_edited() -> None:
    from followup_tui.tui.widgets.inert import InertTextArea

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield InertTextArea("topic\r\x1b[Kover\u2028ls\nsecond", id="area")

    app = One()
    async with app.run_test(size=(80, 10)) as pilot:
        area = app.query_one(InertTextArea)
        assert area.document.line_count == 2  # drawn as two lines, as the data has
        area.focus()
        await pilot.press("end", "!", "down", "end", "?")
        assert area.text == "topic\r\x1b[Kover\u2028ls!\nsecond?"
        area.select_all()
        assert area.selected_text == area.text
        assert not RAW_CONTROL.search(_drawn(app))
        area.load_text("plain\rtext")
        assert area.text == "plain\rtext"
