"""A week of real use, in compose: 80x24, calls, a missing name, the keys and the styles."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from followup_tui.domain.model import Kind
from followup_tui.settings.config import Config
from followup_tui.tui.screens.compose import ComposeScreen, sign_empty_sign_off
from tests.support.app import screen_text
from tests.tui.test_compose_screen import ComposeApp, compose_screen, result


@pytest.fixture(autouse=True)
def _own_config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FOLLOWUP_TUI_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path / "config"


def test_compose_styles_live_in_a_tcss_file_and_its_keys_in_the_keys_table() -> None:
    from followup_tui.tui.keys import COMMANDS

    assert "DEFAULT_CSS" not in vars(ComposeScreen)
    assert Path(str(ComposeScreen.CSS_PATH)).name == "compose.tcss"
    assert Path(str(ComposeScreen.CSS_PATH)).is_file()
    table = {(c.key, c.action) for c in COMMANDS if c.where == "compose"}
    assert {(b.key, b.action) for b in ComposeScreen.BINDINGS} == table


async def test_at_80x24_the_checks_go_under_the_editor_and_the_fields_show_whole() -> None:
    app = ComposeApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        screen = compose_screen(app)
        body = screen.query_one("#body", TextArea).region
        side = screen.query_one("#compose-side").region
        assert side.y >= body.bottom, (body, side)
        assert body.height >= 8, body
        text = screen_text(app)
        assert screen.to in text
        assert screen.subject in text


async def test_a_call_has_talking_points_only() -> None:
    app = ComposeApp({"kind": Kind.CALL})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = compose_screen(app)
        assert not screen.query("#to") and not screen.query("#subject")
        shown = {b.binding.action for b in screen.active_bindings.values() if b.enabled}
        assert "mailto" not in shown and "save_eml" not in shown
        await pilot.press("ctrl+s", "ctrl+l")
        await pilot.pause()
        assert screen.saved_path is None and app.opened == []
        assert "To" not in screen_text(app).split("\n")[1][:12]


async def test_a_missing_name_is_asked_for_and_saved_to_config(_own_config_dir: Path) -> None:
    app = ComposeApp({"config": Config()})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = compose_screen(app)
        assert not result(screen, "signature")  # "Kind regards," and nothing under it
        field = screen.query_one("#sign-as", Input)
        assert screen.focused is field  # typing goes to the question, not into the letter
        await pilot.press(*"Sam Lee", "enter")
        await pilot.pause(0.3)
        saved = tomllib.loads((_own_config_dir / "config.toml").read_text())
        assert saved["name"] == "Sam Lee"
        assert screen.body.rstrip().endswith("Sam Lee")
        assert result(screen, "signature")
        assert not screen.query("#sign-as")


async def test_with_a_name_there_is_no_prompt() -> None:
    app = ComposeApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not compose_screen(app).query("#sign-as")


def test_only_an_empty_sign_off_is_signed() -> None:
    assert sign_empty_sign_off("Hi,\n\nThanks.\n\nKind regards,\n", "Sam") == (
        "Hi,\n\nThanks.\n\nKind regards,\nSam\n"
    )
    signed = "Hi,\n\nThanks.\n\nKind regards,\nAlex\n"
    assert sign_empty_sign_off(signed, "Sam") == signed


async def test_at_80_columns_every_compose_key_fits_in_the_footer() -> None:
    from textual.widgets._footer import FooterKey

    app = ComposeApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        keys = [key for key in app.screen.query(FooterKey) if key.display]
        assert keys
        assert all(key.region.right <= 80 for key in keys), [k.region for k in keys]
        assert "palette" not in screen_text(app).splitlines()[-1]
