"""The help panel: every key, from the same table the bindings are made from."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from followup_tui.tui.keys import COMMANDS, MOVEMENT, SECTIONS, bindings
from followup_tui.tui.styles import STYLES


class HelpScreen(ModalScreen[None]):
    CSS_PATH = STYLES / "panels.tcss"  # not relative to a subclass
    BINDINGS = bindings("help")

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        named = {where for where, _ in SECTIONS}
        sections = [*SECTIONS, *((command.where, command.where.capitalize())
                                 for command in COMMANDS if command.where not in named)]
        for where, heading in dict(sections).items():
            commands = [command for command in COMMANDS if command.where == where]
            if not commands:
                continue
            table.add_row(Text(heading, style="underline"), "")
            for command in commands:
                table.add_row(Text(command.keys_label), Text(command.help))
            table.add_row("", "")
        table.add_row(Text("Moving", style="underline"), "")
        for keys, what in MOVEMENT:
            table.add_row(Text(keys), Text(what))
        with Vertical(classes="form help"):
            yield Label("Keys — escape or ? closes", classes="form-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(table, id="help-table")

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, lines: int) -> None:
        self.query_one("#help-scroll", VerticalScroll).scroll_relative(y=lines, animate=False)
