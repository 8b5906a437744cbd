"""Fixtures for the app tests: a temp database, a pinned clock, an isolated config dir."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from followup_tui.domain.model import Rules
from followup_tui.settings.clock import Clock
from followup_tui.settings.config import Config

APP_TZ = ZoneInfo("Australia/Sydney")
#: A Wednesday morning: every demo state is on screen.
APP_NOW = datetime(2026, 11, 25, 9, 0, tzinfo=APP_TZ)


@pytest.fixture(autouse=True)
def isolated_config_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Never read or write the developer's own config (themes are remembered there)."""
    folder = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("FOLLOWUP_TUI_CONFIG_DIR", str(folder))
    monkeypatch.delenv("FOLLOWUP_TUI_NOW", raising=False)
    monkeypatch.delenv("FOLLOWUP_TUI_DB", raising=False)
    return folder


@pytest.fixture
def app_store(tmp_path: Path):
    from followup_tui.storage.store import Store

    with Store(tmp_path / "followup.db") as store:
        yield store


@pytest.fixture
def make_app(app_store) -> Callable[..., object]:
    """Build a FollowupApp on the temp store at APP_NOW; `demo=True` fills it first;
    `pinned=False` leaves it the real clock; `options` go to the app (daily_backup=False
    unless given)."""
    from followup_tui.tui import make_app as make

    def build(
        *, demo: bool = False, now: datetime = APP_NOW, config: Config | None = None,
        pinned: bool = True, **options: object,
    ):
        if demo:
            from followup_tui.interchange.demo import populate

            populate(app_store, now, APP_TZ)
        options.setdefault("daily_backup", False)
        clock = Clock(APP_TZ, now if pinned else None)
        return make(app_store, clock, Rules(APP_TZ), config or Config(), **options)

    return build


def screen_text(app) -> str:
    """The whole screen as plain text, as a person would read it."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


@pytest.fixture
def many(app_store, monkeypatch):
    """120 applications with their follow-ups decided (as after yesterday's use), and a
    first page of 10 rows so the two steps show."""
    from followup_tui.interchange.document import read_document
    from followup_tui.storage import cache
    from followup_tui.tui import opening as opening_module
    from tools.bench import generate

    doc = json.loads(json.dumps(generate(120, APP_NOW.astimezone(UTC), seed=11, history=False)))
    app_store.import_applications(read_document(doc, APP_TZ))
    rules = Rules(APP_TZ)
    cache.refresh(app_store, APP_NOW, rules, cache.stamp(rules, Config().holidays_fingerprint))
    monkeypatch.setattr(opening_module, "FIRST_PAGE", 10)
    return app_store


@pytest.fixture
def no_poll(monkeypatch) -> None:
    """The app's timers off (the 1-second data poll among them): a test polls itself."""
    from followup_tui.tui.app import FollowupApp

    monkeypatch.setattr(FollowupApp, "set_interval", lambda self, *args, **kwargs: None)
