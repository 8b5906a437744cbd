"""The registry of commands: every module here is one `followup-tui` command.

A module declares `COMMAND = Command(...)`: its name, its help, where it stands in
`--help`, how it adds its arguments and the function that runs it. A new command is
one new file here. Modules must stay light to import (the parser imports them all):
what a command needs beyond argparse is imported inside its `run`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import argparse

    from followup_tui.cli.context import Context


class Command(NamedTuple):
    name: str
    help: str
    #: Place in `--help`'s list of commands.
    order: int
    configure: Callable[[argparse.ArgumentParser], None]
    #: Called with the parsed arguments (`args.parser` is the whole command line's
    #: parser) and the Context; returns the exit code.
    run: Callable[[Any, Context], int]


def all_commands() -> list[Command]:
    """Every command module's COMMAND, in `--help` order."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        command = getattr(module, "COMMAND", None)
        if isinstance(command, Command):
            found.append(command)
    return sorted(found, key=lambda c: (c.order, c.name))
