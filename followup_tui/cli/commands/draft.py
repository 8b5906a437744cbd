"""`followup-tui draft --interview ID`: the draft the compose screen starts from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from followup_tui.cli.commands import Command

if TYPE_CHECKING:
    import argparse

    from followup_tui.cli.context import Context


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--interview", required=True, metavar="ID")
    parser.add_argument("--kind", choices=("thank_you", "call"), default="thank_you")
    parser.add_argument(
        "--json", action="store_true", help="print interview, kind, subject, to and body as JSON"
    )


def run(args: argparse.Namespace, ctx: Context) -> int:
    from followup_tui.cli.drafts import run_draft

    return run_draft(args, ctx)


COMMAND = Command("draft", "Print the draft the compose screen starts from.", 40,
                  configure, run)
