"""`followup-tui stats`: how the search is going (SPEC §9)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from followup_tui.cli.commands import Command

if TYPE_CHECKING:
    import argparse

    from followup_tui.cli.context import Context


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--since", metavar="DATE",
        help="only applications whose first activity is on or after DATE (YYYY-MM-DD)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from followup_tui.cli.insights import run_stats

    return run_stats(args, ctx)


COMMAND = Command(
    "stats", "Figures of the job search: funnel, responses, ghosted (SPEC 9).", 55,
    configure, run,
)
