"""`followup-tui import FILE`: the interchange JSON, or calendar invitations; all or nothing."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from followup_tui.cli.commands import Command
from followup_tui.cli.context import UsageError
from followup_tui.cli.output import read_input

if TYPE_CHECKING:
    import argparse

    from followup_tui.cli.context import Context


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", metavar="FILE",
        help="the JSON file or an invitation (.ics), or - for standard input",
    )
    parser.add_argument(
        "--format", choices=("json", "ics"), default=None,
        help="what FILE holds (default: ics for a .ics name or content starting "
        "BEGIN:VCALENDAR, else json)",
    )
    invitation = parser.add_argument_group("invitations (.ics)")
    invitation.add_argument("--application", metavar="ID",
                            help="add the interview to this application")
    invitation.add_argument("--company", metavar="NAME",
                            help="with --role: the application to add it to, made if new")
    invitation.add_argument("--role", metavar="ROLE")
    parser.add_argument("--json", action="store_true",
                        help="print what was imported as JSON on standard output")


def run(args: argparse.Namespace, ctx: Context) -> int:
    raw = read_input(args.file)
    if _is_invitation(args, raw):
        from followup_tui.cli.invitations import import_invitations

        return import_invitations(args, ctx, raw)
    if args.application is not None or args.company is not None or args.role is not None:
        raise UsageError("--application, --company and --role are for invitations (.ics) only.")
    return _import_json(args, ctx, raw)


def _is_invitation(args: argparse.Namespace, raw: bytes) -> bool:
    if args.format is not None:
        return bool(args.format == "ics")
    from followup_tui.interchange.invitations.reading import looks_like_calendar

    return args.file.lower().endswith(".ics") or looks_like_calendar(raw)


def _import_json(args: argparse.Namespace, ctx: Context, raw: bytes) -> int:
    from followup_tui.interchange.document import InterchangeError, parse_json, read_document

    source = "standard input" if args.file == "-" else args.file
    heading = f"{source}: nothing was imported."
    from followup_tui.integrations.hooks import HookRunner, events_since, last_event_id

    tz = ctx.rules.tz
    hooks = HookRunner(database=ctx.db_path()[0])
    listened = hooks.has_hook("on-event")
    try:
        document = parse_json(raw, source)
        # the schema and the meaning are checked in one pass, so every fault is reported
        # at once; a new database is created only once the file is known to be good
        path = ctx.db_path()[0]
        fresh = not os.path.lexists(path)
        apps = read_document(document, tz, None) if fresh else None
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
                    apps = read_document(document, tz, store)
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


COMMAND = Command("import", "Import applications (interchange JSON) or invitations (.ics).", 20,
                  configure, run)
