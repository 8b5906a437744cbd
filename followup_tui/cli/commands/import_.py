"""`followup-tui import FILE`: the interchange JSON, all or nothing."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from followup_tui.cli.commands import Command
from followup_tui.cli.output import read_input

if TYPE_CHECKING:
    import argparse

    from followup_tui.cli.context import Context


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the JSON file, or - for standard input")
    parser.add_argument(
        "--json", action="store_true", help="print what was imported as JSON (see README)"
    )


def run(args: argparse.Namespace, ctx: Context) -> int:
    from followup_tui.interchange.document import (
        InterchangeError,
        parse_json,
        read_document,
        validate_schema,
    )

    source = "standard input" if args.file == "-" else args.file
    raw = read_input(args.file)
    heading = f"{source}: nothing was imported."
    try:
        # the file is checked before the database is even opened
        document = parse_json(raw, source)
        validate_schema(document)
    except InterchangeError as error:
        raise InterchangeError(error.faults, heading) from None
    from followup_tui.integrations.hooks import HookRunner, events_since, last_event_id

    tz = ctx.rules.tz
    hooks = HookRunner(database=ctx.db_path()[0])
    listened = hooks.has_hook("on-event")
    try:
        # a new database is created only once the file is known to be good
        path = ctx.db_path()[0]
        fresh = not os.path.lexists(path)
        apps = read_document(document, tz, None, schema_checked=True) if fresh else None
        made = None
        if apps is not None and path.parent.is_dir():
            from followup_tui.storage.store import check_path_kind, create_database

            # a new database holds the whole import when it appears, or nothing is left
            check_path_kind(path)
            new_apps = apps
            made = create_database(path, lambda new: new.import_applications(new_apps))[1]
        if made is not None:
            counts = made
            if listened:
                with ctx.open_store() as store:  # every event in a new database is this file's
                    hooks.on_event(events_since(store.conn, 0, source="import"))
        else:
            with ctx.open_store() as store:
                if apps is None:
                    apps = read_document(document, tz, store, schema_checked=True)
                mark = last_event_id(store.conn) if listened else 0
                counts = store.import_applications(apps)
                if listened:
                    # read after the commit; only this file's applications (a peer may
                    # write too)
                    ids = {app.id for app in apps}
                    added = events_since(store.conn, mark, source="import")
                    hooks.on_event([event for event in added if event["application"] in ids])
    except InterchangeError as error:
        raise InterchangeError(error.faults, heading) from None
    finally:
        hooks.close()
    if args.json:
        from followup_tui.cli.output import emit_json

        emit_json(
            {
                "source": source,
                "applications": len(apps),
                "applications_added": counts.applications_added,
                "applications_updated": counts.applications_updated,
                "interviews": counts.interviews,
                "contacts": counts.contacts,
                "events_added": counts.events_added,
            }
        )
        return 0
    print(
        f"Imported {len(apps)} application(s) from {source}: {counts.applications_added} new, "
        f"{counts.applications_updated} updated, {counts.events_added} new event(s).",
        file=sys.stderr,
    )
    return 0


COMMAND = Command("import", "Import applications from the interchange JSON format.", 20,
                  configure, run)
