"""The compose screen, driven with Pilot in a small App of its own."""

from __future__ import annotations

import email
import os
import stat
import sys
from email import policy
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input, Static, TextArea

from followup_tui.domain.model import Event, EventType, Kind, State
from followup_tui.domain.rules import follow_ups
from followup_tui.settings.config import Config
from followup_tui.tui.screens.compose import ComposeScreen, KeptDraft, mailto_url
from tests.support.compose import APPLICATION, INTERVIEW, NOW, RULES

CONFIG = Config(name="Sam Lee")


@pytest.fixture(autouse=True)
def _own_config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ignore the developer's own templates and config."""
    monkeypatch.setenv("FOLLOWUP_TUI_CONFIG_DIR", str(tmp_path / "config"))


class ComposeApp(App[None]):
    """Pushes one ComposeScreen and records how it was dismissed."""

    def __init__(self, screen_args: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.drafts: dict[object, object] = {}
        self.dismissed: list[bool | None] = []
        self.copied: list[str] = []
        self.opened: list[str] = []
        self.screen_args = screen_args or {}

    def compose(self) -> ComposeResult:
        yield Static("home")

    def on_mount(self) -> None:
        self.open_compose()

    def open_compose(self) -> None:
        args = dict(
            application=APPLICATION,
            interview_id=INTERVIEW.id,
            kind=Kind.THANK_YOU,
            now=NOW,
            config=CONFIG,
            rules=RULES,
            drafts=self.drafts,
        )
        args.update(self.screen_args)
        self.push_screen(ComposeScreen(**args), self.dismissed.append)

    def copy_to_clipboard(self, text: str) -> None:
        self.copied.append(text)
        super().copy_to_clipboard(text)

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        self.opened.append(url)


def compose_screen(app: App[Any]) -> ComposeScreen:
    screen = app.screen
    assert isinstance(screen, ComposeScreen)
    return screen


def result(screen: ComposeScreen, name: str) -> bool:
    return {r.name: r.ok for r in screen.results}[name]


async def test_starts_from_the_default_draft_and_checks_pass() -> None:
    app = ComposeApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = compose_screen(app)
        assert screen.query_one("#to", Input).value == "priya@example.org"
        assert screen.query_one("#subject", Input).value.startswith("Thank you")
        assert screen.body.startswith("Dear Priya,")
        assert screen.results and all(r.ok for r in screen.results)
        assert isinstance(app.focused, TextArea)


async def test_editing_until_a_failing_check_turns_green() -> None:
    app = ComposeApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = compose_screen(app)
        area = screen.query_one("#body", TextArea)
        area.load_text("Hello,\n\nThank you for your time.")
        screen.refresh_checks()
        assert not result(screen, "greeting")
        assert "Priya" in screen.query_one("#check-greeting", Static).content.plain  # type: ignore[attr-defined]
        assert screen.query_one("#check-greeting").has_class("-fail")

        # type a greeting by name at the start, as a user would
        area.move_cursor((0, 0))
        area.action_delete_to_end_of_line()
        await pilot.press(*"Dear Priya,")
        await pilot.pause(0.3)  # the checks run a moment after typing stops
        assert result(screen, "greeting")
        assert screen.query_one("#check-greeting").has_class("-ok")
        assert app.drafts[(INTERVIEW.id, Kind.THANK_YOU)].body.startswith("Dear Priya,")  # type: ignore[attr-defined]


async def test_checks_wait_for_typing_to_pause() -> None:
    app = ComposeApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = compose_screen(app)
        runs: list[int] = []
        original = screen.refresh_checks

        def counted() -> None:
            runs.append(1)
            original()

        screen.refresh_checks = counted  # type: ignore[method-assign]
        area = screen.query_one("#body", TextArea)
        # a burst of edits, faster than anyone types; the TextArea's own Changed
        # messages are held back so the burst is one tick however busy the machine is
        with area.prevent(TextArea.Changed):
            area.load_text("")
            for letter in "Thanks":
                area.insert(letter)
                screen._edited()
        assert runs == []
        await pilot.pause(0.4)
        assert len(runs) == 1
        assert result(screen, "thanks")


async def test_copy_puts_the_body_on_the_clipboard_and_says_so() -> None:
    app = ComposeApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        screen = compose_screen(app)
        assert app.copied == [screen.body]
        assert app.clipboard == screen.body
        # honest: the terminal was asked (OSC 52); whether it accepted, no one knows
        assert any("OSC 52" in n.message and "Not every terminal" in n.message
                   for n in app._notifications)


async def test_save_eml_writes_a_private_rfc5322_file(tmp_path: Path) -> None:
    app = ComposeApp({"eml_dir": tmp_path / "out"})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = compose_screen(app)
        screen.query_one("#subject", Input).value = "Thank you, Priya — Zoë's café ☕"
        await pilot.press("ctrl+s")
        await pilot.pause()
        path = screen.saved_path
        assert path is not None and path.parent == tmp_path / "out"
        assert path.suffix == ".eml"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert any(str(path) in n.message for n in app._notifications)
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        assert message["To"] == "priya@example.org"
        assert message["Subject"] == "Thank you, Priya — Zoë's café ☕"
        assert message["X-Unsent"] == "1"
        assert message["Date"] is not None
        body = message.get_body().get_content()  # type: ignore[union-attr]
        assert body.replace("\r\n", "\n").rstrip("\n") == screen.body
        # a second save never overwrites the first
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.saved_path != path and path.exists()


def install_mail_handler(folder: Path, monkeypatch: pytest.MonkeyPatch, answer: str) -> None:
    """xdg-open and xdg-mime as a desktop has them, `answer` being the mailto: handler
    xdg-mime reports (empty: none set up)."""
    folder.mkdir()
    (folder / "xdg-open").write_text("#!/bin/sh\nexit 0\n")
    (folder / "xdg-mime").write_text(f"#!/bin/sh\necho '{answer}'\n")
    for tool in ("xdg-open", "xdg-mime"):
        (folder / tool).chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")


@pytest.mark.skipif(sys.platform != "linux", reason="xdg-mime says who opens mailto: links")
async def test_mailto_opens_a_quoted_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_mail_handler(tmp_path / "bin", monkeypatch, "thunderbird.desktop")
    app = ComposeApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()
        (url,) = app.opened
        assert url.startswith("mailto:priya@example.org?subject=Thank%20you")
        assert "%0D%0A" in url and "\n" not in url and " " not in url
        assert any("thunderbird" in n.message for n in app._notifications)


@pytest.mark.skipif(sys.platform != "linux", reason="xdg-mime says who opens mailto: links")
async def test_mailto_says_so_when_no_program_handles_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_mail_handler(tmp_path / "bin", monkeypatch, "")
    app = ComposeApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.opened == []
        assert any("No program here handles mailto:" in n.message for n in app._notifications)


def test_mailto_url_quotes_everything() -> None:
    url = mailto_url("a@x.org; b@y.org", "Hi & bye?", "Line 1\nLine 2 #3 ☕")
    assert url == (
        "mailto:a@x.org,b@y.org?subject=Hi%20%26%20bye%3F"
        "&body=Line%201%0D%0ALine%202%20%233%20%E2%98%95"
    )


async def test_editor_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "fake-editor.py"
    script.write_text(
        "import sys\n"
        "path = sys.argv[1]\n"
        "text = open(path, encoding='utf-8').read()\n"
        "open(path, 'w', encoding='utf-8').write(text.replace('Dear Priya', 'Dear Priya Shah'))\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("VISUAL", f"{sys.executable} {script}")
    app = ComposeApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = compose_screen(app)
        app.suspend = _no_suspend  # type: ignore[method-assign]  # headless: nothing to suspend
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert screen.body.startswith("Dear Priya Shah,")
        assert app.drafts[screen.key].body.startswith("Dear Priya Shah,")  # type: ignore[attr-defined]


async def test_editor_that_cannot_run_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VISUAL", "/no/such/editor --wait")
    app = ComposeApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = compose_screen(app)
        before = screen.body
        app.suspend = _no_suspend  # type: ignore[method-assign]
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert screen.body == before
        assert any("/no/such/editor" in n.message for n in app._notifications)


class _no_suspend:  # noqa: N801 - stands in for App.suspend
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


async def test_mark_sent_dismisses_true_and_the_call_is_scheduled() -> None:
    app = ComposeApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert app.dismissed == [True]
        assert not isinstance(app.screen, ComposeScreen)
    # what the App does with True: log thank_you_sent at now; the call then exists
    sent = APPLICATION.replace(events=(Event(NOW.isoformat(), EventType.THANK_YOU_SENT, INTERVIEW.id),)
    )
    states = {f.kind: f.state for f in follow_ups(sent, NOW, RULES)}
    assert states[Kind.THANK_YOU] is State.DONE
    assert Kind.CALL in states


async def test_the_draft_is_kept_across_leave_and_return() -> None:
    app = ComposeApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = compose_screen(app)
        screen.query_one("#body", TextArea).load_text("Dear Priya,\n\nMy own words 🎉")
        screen.query_one("#subject", Input).value = "My subject"
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.dismissed == [False]
        assert app.drafts[(INTERVIEW.id, Kind.THANK_YOU)] == KeptDraft(
            "priya@example.org", "My subject", "Dear Priya,\n\nMy own words 🎉"
        )
        app.open_compose()
        await pilot.pause()
        again = compose_screen(app)
        assert again is not screen
        assert again.body == "Dear Priya,\n\nMy own words 🎉"
        assert again.subject == "My subject"


async def test_user_data_is_shown_literally() -> None:
    hostile = INTERVIEW.replace(interviewers=("[bold red]Evil[/] $accent",), topics=("[link=x]t[/link]",)
    )
    application = APPLICATION.replace(company="[b]Acme[/b]", interviews=(hostile,), contacts=()
    )
    app = ComposeApp({"application": application})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = compose_screen(app)
        title = screen.query_one("#compose-title", Static).content.plain  # type: ignore[attr-defined]
        assert "[b]Acme[/b]" in title
        assert "[bold red]Evil[/] $accent" in title
        greeting = screen.query_one("#check-topic", Static).content.plain  # type: ignore[attr-defined]
        assert "[link=x]t[/link]" in greeting


async def test_broken_user_template_falls_back_to_the_default(tmp_path: Path) -> None:
    templates = tmp_path / "config" / "templates"
    templates.mkdir(parents=True)
    (templates / "thank_you.txt.j2").write_text("{{ ''.__class__ }}", encoding="utf-8")
    app = ComposeApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = compose_screen(app)
        assert screen.template_worker is not None  # the user's template renders off the UI
        await screen.template_worker.wait()
        await pilot.pause()
        assert screen.body.startswith("Dear Priya,")
        assert any("thank_you.txt.j2, line 1" in n.message for n in app._notifications)


async def test_call_notes_use_the_call_checks() -> None:
    app = ComposeApp({"kind": Kind.CALL})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = compose_screen(app)
        assert "ask for Priya Shah" in screen.body
        assert [r.name for r in screen.results] == ["ask_for", "interest", "topic", "fit_point"]
        assert all(r.ok for r in screen.results)


async def test_a_call_the_advice_holds_back_says_so() -> None:
    """Decision by Fri 27 Nov: on Tue 24 Nov the call is held back until Mon 30 Nov."""
    from datetime import datetime

    from followup_tui.domain.model import Event, EventType

    sent = Event("2026-11-20T15:00:00+11:00", EventType.THANK_YOU_SENT, INTERVIEW.id)

    held = APPLICATION.replace(events=(sent,))
    tuesday = datetime(2026, 11, 24, 9, 0, tzinfo=NOW.tzinfo)
    app = ComposeApp({"kind": Kind.CALL, "application": held, "now": tuesday})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        summary = str(compose_screen(app).query_one("#checks-summary").render())
        assert "Not yet: Employer said they would decide by Fri 27 Nov" in summary
    # once the hold is over the warning goes
    monday = datetime(2026, 11, 30, 9, 0, tzinfo=NOW.tzinfo)
    app = ComposeApp({"kind": Kind.CALL, "application": held, "now": monday})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Not yet" not in str(compose_screen(app).query_one("#checks-summary").render())


async def test_unknown_interview_dismisses_false() -> None:
    app = ComposeApp({"interview_id": "nope"})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.dismissed == [False]


def _steady(pilot: Any) -> None:
    """No blinking cursors in the snapshot."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False


def test_snapshot(snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOLLOWUP_TUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setitem(os.environ, "TZ", "Australia/Sydney")
    app = ComposeApp()

    async def run_before(pilot: Any) -> None:
        await pilot.pause()
        _steady(pilot)
        area = pilot.app.screen.query_one("#body", TextArea)
        area.load_text("Hello,\n\nThank you for the chat about the new housing strategy.")
        pilot.app.screen.refresh_checks()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


async def test_ctrl_r_is_mark_called_for_a_call_and_mark_sent_for_a_note() -> None:
    for kind, label in ((Kind.CALL, "Mark called"), (Kind.THANK_YOU, "Mark sent")):
        app = ComposeApp({"kind": kind})
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            shown = [b.binding.description for b in app.screen.active_bindings.values()
                     if b.enabled and b.binding.key == "ctrl+r"]
            assert shown == [label]
            await pilot.press("ctrl+r")
            await pilot.pause()
        assert app.dismissed == [True]
