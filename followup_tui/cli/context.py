"""What every command needs, resolved once: the options, the config, the rules, the clock."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from followup_tui.domain.model import Rules
from followup_tui.errors import UserError
from followup_tui.settings.clock import Clock
from followup_tui.settings.config import Config, rules_for
from followup_tui.storage.store import Store, resolve_db_path

PROG = "followup-tui"
#: `--color`'s choices; auto follows the terminal and NO_COLOR (https://no-color.org).
COLOR_CHOICES = ("auto", "always", "never")


class UsageError(UserError):
    """Bad input on the command line; exit 2 with this message."""


class Context:
    """What every command needs, resolved once from options, environment and config."""

    def __init__(
        self,
        db_option: str | None,
        now_option: str | None,
        config: Config | None = None,
        color_option: str | None = None,
    ) -> None:
        self.db_option = db_option
        self.now_option = now_option
        #: `--color`: "auto" (the default), "always" or "never"; read by `output.use_colour`.
        self.color = color_option or "auto"
        self.config = config if config is not None else Config()
        self._rules: Rules | None = None
        self._clock: Clock | None = None
        self._now: datetime | None = None

    @property
    def rules(self) -> Rules:
        if self._rules is None:
            self._rules = rules_for(self.config)
        return self._rules

    @property
    def clock(self) -> Clock:
        if self._clock is None:
            self._clock = Clock.from_environment(self.rules.tz, self.now_option)
        return self._clock

    def now(self) -> datetime:
        """The one moment this command works at (read once, so every output agrees)."""
        if self._now is None:
            self._now = self.clock.now()
        return self._now

    def db_path(self) -> tuple[Path, bool]:
        return resolve_db_path(self.db_option)

    def open_store(self, *, create: bool = True) -> Store:
        """The database; a command that only reads refuses a chosen path with no file
        there (a typo in --db must not quietly answer "nothing due")."""
        path, chosen = self.db_path()
        if chosen and not create and path.parent.is_dir() and not os.path.lexists(path):
            raise UsageError(
                f"{path}: there is no database there. Check the path (--db or "
                f"FOLLOWUP_TUI_DB), or start one with: followup-tui --db {path} import FILE"
            )
        if not chosen and not create and not os.path.lexists(path):
            raise UsageError(
                f"no database at {path}; start with `followup-tui import FILE` or open the app."
            )
        return Store(path, must_exist_dir=chosen)
