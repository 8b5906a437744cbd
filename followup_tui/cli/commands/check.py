"""`followup-tui check FILE --interview ID`: a draft against the advice (A2-A4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from followup_tui.cli.commands import Command

if TYPE_CHECKING:
    import argparse

    from followup_tui.cli.context import Context


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the draft, or - for standard input")
    parser.add_argument("--interview", required=True, metavar="ID")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from followup_tui.cli.drafts import run_check

    return run_check(args, ctx)


COMMAND = Command("check", "Check a draft against the advice (A2-A4).", 50, configure, run)
