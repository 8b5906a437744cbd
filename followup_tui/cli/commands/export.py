"""`followup-tui export`: the interchange JSON, or the follow-ups as CSV or iCalendar."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from followup_tui.cli.commands import Command
from followup_tui.cli.output import terminal_text, write_output

if TYPE_CHECKING:
    import argparse

    from followup_tui.cli.context import Context


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("json", "csv", "ics"), default="json")
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write here instead of standard output"
    )


def run(args: argparse.Namespace, ctx: Context) -> int:
    from followup_tui.interchange import document as interchange

    with ctx.open_store(create=False) as store:
        # csv and ics need only what the rules read; json needs everything
        apps = store.load_all(details=args.format == "json")
    data: str | bytes
    if args.format == "json":
        data = interchange.export_json(apps)
    elif args.format == "csv":
        data = interchange.export_csv(apps, ctx.now(), ctx.rules)
    else:
        data = interchange.export_ics(apps, ctx.now(), ctx.rules)
    if args.format == "json":
        from followup_tui.text import json_safe

        # the same JSON, with C1 controls and bidi overrides escaped as \uXXXX too:
        # a file or a terminal gets nothing a terminal would act on, and it round-trips
        data = json_safe(data) if isinstance(data, str) else data
    elif (args.output is None or args.output == "-") and sys.stdout.isatty():
        data = terminal_text(data)
    write_output(data, args.output)
    return 0


COMMAND = Command("export", "Export applications (json) or follow-ups (csv, ics).", 30,
                  configure, run)
