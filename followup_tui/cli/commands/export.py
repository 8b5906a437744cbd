"""`followup-tui export`: the interchange JSON, or the follow-ups as CSV or iCalendar."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from followup_tui.cli.commands import Command
from followup_tui.cli.context import UsageError
from followup_tui.cli.output import terminal_text, write_output

if TYPE_CHECKING:
    import argparse

    from followup_tui.cli.context import Context


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("json", "csv", "ics"), default="json")
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write here instead of standard output"
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="with -o: print the file written as JSON (without -o, json is the export itself)",
    )


def run(args: argparse.Namespace, ctx: Context) -> int:
    from followup_tui.interchange import document as interchange

    to_file = args.output not in (None, "-")
    if args.json and not to_file and args.format != "json":
        # the export itself is on standard output: nothing else can be printed there
        raise UsageError(
            f"--json with --format {args.format} needs -o FILE: the {args.format} export "
            "is what standard output carries."
        )
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
    if to_file:
        from followup_tui.storage.store import refuse_database_as_output

        refuse_database_as_output(Path(args.output), ctx.db_path()[0])
    write_output(data, args.output)
    if args.json and to_file:
        from followup_tui.cli.output import emit_json

        emit_json(
            {
                "path": str(Path(args.output).absolute()),
                "format": args.format,
                "bytes": len(data.encode("utf-8") if isinstance(data, str) else data),
                "applications": len(apps),
            }
        )
    return 0


COMMAND = Command("export", "Export applications (json) or follow-ups (csv, ics).", 30,
                  configure, run)
