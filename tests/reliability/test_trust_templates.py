"""A user's template is rendered in a child process with hard memory and time limits,
off the UI thread: the compose screen shows the default draft at once and the user's
when it is ready, or the template's fault with its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from followup_tui.domain.model import Kind
from followup_tui.drafting.template_process import render_isolated
from followup_tui.drafting.templates import TemplateError, render_draft
from followup_tui.settings.config import Config
from tests.support.compose import APPLICATION, INTERVIEW, NOW, RULES
from tests.tui.test_compose_screen import ComposeApp, compose_screen

#: One C-level call past the sandbox's checks: a 300 MB string (over the child's limit,
#: small enough that the unfixed in-process rendering merely builds it).
WIDTH_BOMB = "Subject: Hi\n\n{{ '{0:>{1}}'.format('a', '300000000') | length }}\n"
#: Each `replace` multiplies the text; three make a gigabyte from a thousand characters.
REPLACE_BOMB = (
    "Subject: Hi\n\n{% set a = 'x' * 1000 %}\n"
    "{{ a | replace('x', a) | replace('x', a) | replace('x', a) | length }}\n"
)
#: Stopped by the child's watchdog after TIME_LIMIT seconds, reported with its line.
SLOW = "Subject: Hi\n\n{% for i in range(1000) %}{% for j in range(1000) %}" \
    "{% for k in range(1000) %}{% endfor %}{% endfor %}{% endfor %}\n"
MINE = "Subject: My own subject\n\nDear {{ greeting }}, in my own words.\n"


@pytest.fixture
def templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FOLLOWUP_TUI_CONFIG_DIR", str(tmp_path / "config"))
    folder = tmp_path / "config" / "templates"
    folder.mkdir(parents=True)
    return folder


def _draft(kind: Kind = Kind.THANK_YOU) -> str:
    draft = render_draft(APPLICATION, INTERVIEW, kind, now=NOW, rules=RULES, config=Config())
    return draft.body


@pytest.mark.parametrize(("bomb", "line"), [(WIDTH_BOMB, 3), (REPLACE_BOMB, 4)])
def test_a_user_template_past_the_memory_limit_is_reported_with_its_line(
    templates: Path, bomb: str, line: int
) -> None:
    (templates / "thank_you.txt.j2").write_text(bomb)
    with pytest.raises(TemplateError) as caught:
        _draft()
    message = str(caught.value)
    assert f"thank_you.txt.j2, line {line}" in message
    assert "more memory than a draft should" in message


def test_a_runaway_loop_is_stopped_and_named_by_line(templates: Path) -> None:
    (templates / "call.txt.j2").write_text(SLOW)
    with pytest.raises(TemplateError, match=r"call.txt.j2, line 3: it ran for more than"):
        _draft(Kind.CALL)


def test_a_good_user_template_renders_the_same_through_the_child(templates: Path) -> None:
    (templates / "thank_you.txt.j2").write_text(MINE)
    assert _draft() == "Dear Priya, in my own words."
    context = {"name": "Zoë 🎉 \x1b[2J", "items": ["a", "b"]}
    text = render_isolated("{{ name }}{% for i in items %}-{{ i }}{% endfor %}", context, "t")
    assert text == "Zoë 🎉 \x1b[2J-a-b"


def test_the_defaults_still_render_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ours are fast and trusted: no child process is started for them."""
    import subprocess

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a default template started a process")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    assert _draft().startswith("Dear Priya,")


async def test_compose_shows_the_default_at_once_and_the_users_draft_when_ready(
    templates: Path,
) -> None:
    (templates / "thank_you.txt.j2").write_text(MINE)
    app = ComposeApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = compose_screen(app)
        assert screen.template_worker is not None
        await screen.template_worker.wait()
        await pilot.pause()
        assert screen.subject == "My own subject"
        assert screen.body == "Dear Priya, in my own words."
        assert app.drafts[screen.key].body == screen.body  # kept for the next visit


async def test_compose_stays_usable_while_a_slow_template_renders(templates: Path) -> None:
    """The screen is up, with the default draft, while the child still runs; then the
    fault is reported with its line and the default stays."""
    (templates / "thank_you.txt.j2").write_text(SLOW)
    app = ComposeApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = compose_screen(app)
        worker = screen.template_worker
        assert worker is not None and worker.is_running
        assert screen.body.startswith("Dear Priya,")  # the default, meanwhile
        await pilot.press("H", "i")  # the UI answers keys while the template renders
        await pilot.pause()
        assert screen.body.startswith("HiDear Priya,")
        await worker.wait()
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("thank_you.txt.j2, line 3: it ran for more than" in m for m in messages)
        assert screen.body.startswith("HiDear Priya,")


async def test_what_the_user_typed_meanwhile_is_never_replaced(templates: Path) -> None:
    (templates / "thank_you.txt.j2").write_text(MINE)
    app = ComposeApp()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = compose_screen(app)
        screen.query_one("#subject", Input).value = "Typed before the template was ready"
        assert screen.template_worker is not None
        await screen.template_worker.wait()
        await pilot.pause()
        assert screen.subject == "Typed before the template was ready"
        assert screen.body.startswith("Dear Priya,")


def test_a_lower_hard_limit_set_by_the_user_is_kept_not_an_error() -> None:
    """Under `ulimit -v` below the child's own cap, templates still render."""
    import subprocess
    import sys

    code = (
        "import resource\n"
        "resource.setrlimit(resource.RLIMIT_AS, (200 << 20, 200 << 20))\n"
        "from followup_tui.drafting.template_process import render_isolated\n"
        "print(render_isolated('hi {{ n }}', {'n': 1}, 't'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "hi 1\n"
