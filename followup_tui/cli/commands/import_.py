"""`followup-tui import FILE`: the interchange JSON, all or nothing."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from followup_tui.cli.commands import Command
from followup_tui.cli.output import read_input

if TYPE_CHECKING:
    import argparse

    from followup_tui.cli.context import Context


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the JSON file, or - for standard input")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from followup_tui.interchange.document import InterchangeError, parse_json, read_document

    source = "standard input" if args.file == "-" else args.file
    raw = read_input(args.file)
    heading = f"{source}: nothing was imported."
    from followup_tui.integrations.hooks import HookRunner, events_since, last_event_id

    tz = ctx.rules.tz
    hooks = HookRunner()
    listened = hooks.has_hook("on-event")
    try:
        document = parse_json(raw, source)
        # the schema and the meaning are checked in one pass, so every fault is
        # reported at once; a new database is created only once the file is good
        fresh = not ctx.db_path()[0].exists()
        apps = read_document(document, tz, None) if fresh else None
        with ctx.open_store() as store:
            if apps is None:
                apps = read_document(document, tz, store)
            mark = last_event_id(store.conn) if listened else 0
            counts = store.import_applications(apps)
            if listened:
                # read after the commit; only this file's applications (a peer may write too)
                ids = {app.id for app in apps}
                added = events_since(store.conn, mark, source="import")
                hooks.on_event([event for event in added if event["application"] in ids])
    except InterchangeError as error:
        raise InterchangeError(error.faults, heading) from None
    finally:
        hooks.close()
    print(
        f"Imported {len(apps)} application(s) from {source}: {counts.applications_added} new, "
        f"{counts.applications_updated} updated, {counts.events_added} new event(s).",
        file=sys.stderr,
    )
    return 0


COMMAND = Command("import", "Import applications from the interchange JSON format.", 20,
                  configure, run)
