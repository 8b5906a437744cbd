"""`followup-tui report --from --to`: the activity log benefit offices ask for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from followup_tui.cli.commands import Command

if TYPE_CHECKING:
    import argparse

    from followup_tui.cli.context import Context


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="start", required=True, metavar="DATE",
                        help="first day of the period (YYYY-MM-DD)")
    parser.add_argument("--to", dest="end", required=True, metavar="DATE",
                        help="last day of the period, included (YYYY-MM-DD)")
    parser.add_argument("--format", choices=("csv", "md", "json"), default="csv")
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="write here instead of standard output")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from followup_tui.cli.insights import run_report

    return run_report(args, ctx)


COMMAND = Command(
    "report", "The activity log of a period (applications, interviews, follow-ups).", 56,
    configure, run,
)
