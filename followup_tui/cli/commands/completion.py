"""`followup-tui completion bash|zsh|fish`: a completion script, made from the parser."""

from __future__ import annotations

from typing import TYPE_CHECKING

from followup_tui.cli.commands import Command
from followup_tui.cli.output import emit

if TYPE_CHECKING:
    import argparse

    from followup_tui.cli.context import Context


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("shell", choices=("bash", "zsh", "fish"))


def run(args: argparse.Namespace, ctx: Context) -> int:
    from followup_tui.integrations.completion import completion_script

    emit(completion_script(args.parser, args.shell))
    return 0


COMMAND = Command("completion", "Print a shell completion script.", 90, configure, run)
