"""The Textual app: screens, widgets, view models, keys and styles.

Nothing outside this package imports it, except the command line inside the one
function that launches the app (see the import contracts in pyproject.toml).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from followup_tui.domain.model import Rules
    from followup_tui.settings.clock import Clock
    from followup_tui.settings.config import Config
    from followup_tui.storage.store import Store
    from followup_tui.tui.app import FollowupApp


def make_app(
    store: Store, clock: Clock, rules: Rules, config: Config, **options: Any
) -> FollowupApp:
    """The app, built the one way the command line, the tests and the screenshot tool share.

    `options` are FollowupApp's keywords: `demo`, `poll_seconds`, `daily_backup`.
    """
    from followup_tui.tui.app import FollowupApp

    return FollowupApp(store, clock, rules, config, **options)
