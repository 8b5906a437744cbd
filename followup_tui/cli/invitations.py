"""`followup-tui import FILE.ics`: calendar invitations as interviews (SPEC §7).

Not a command of its own (the leading underscore keeps the registry away): the
import command hands a calendar here. The file is read and planned before the
database is written; the plan is saved in one transaction; the on-event hook
hears the timeline notes it left once they are committed.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from followup_tui.cli.output import emit, terminal_safe_json

if TYPE_CHECKING:
    import argparse

    from followup_tui.cli.context import Context
    from followup_tui.interchange.invitations import Change, Plan


def import_invitations(args: argparse.Namespace, ctx: Context, raw: bytes) -> int:
    """Plan the file's invitations against the database, save them, say what changed."""
    from followup_tui.errors import UserError
    from followup_tui.integrations.hooks import HookRunner, events_since, last_event_id
    from followup_tui.interchange.invitations import plan_invitations
    from followup_tui.interchange.invitations.saving import SOURCE, save_plan

    source = "standard input" if args.file == "-" else args.file
    tz = ctx.rules.tz

    def planned(applications: list[Any]) -> Plan:
        try:
            return plan_invitations(
                raw, applications, tz=tz, me=ctx.config.me,
                application_id=args.application, company=args.company, role=args.role,
            )
        except UserError as error:  # the file's fault, or the choice's: said with its name
            raise UserError(f"{source}: {error} Nothing was imported.") from None

    hooks = HookRunner(database=ctx.db_path()[0])
    listened = hooks.has_hook("on-event")
    try:
        if not ctx.db_path()[0].exists():
            # a new database is created only once the file is known to be good
            planned([])
        with ctx.open_store() as store:
            # planned under the write lock: nobody changes what it was planned against
            with store.transaction():
                plan = planned(store.load_all())
                mark = last_event_id(store.conn) if listened else 0
                if plan.changes_anything:
                    at = ctx.now().astimezone(tz).isoformat(timespec="seconds")
                    save_plan(store, plan, at)
            if plan.changes_anything and listened:
                # read after the commit; only this plan's applications
                ids = {app.id for app in plan.applications}
                added = events_since(store.conn, mark, source=SOURCE)
                hooks.on_event([e for e in added if e["application"] in ids])
    finally:
        hooks.close()
    if args.json:
        print(f"{source}: {plan.summary()}.", file=sys.stderr)
        emit(terminal_safe_json(json.dumps(
            [_change_object(change) for change in plan.changes], indent=2, ensure_ascii=False,
        )))
    else:
        emit("".join(f"{line}\n" for line in [f"{source}: {plan.summary()}.", *(
            f"  {line}" for line in plan.describe())]))
    return 0


def _change_object(change: Change) -> dict[str, Any]:
    return {
        "kind": change.kind.value,
        "application": change.application_id,
        "interview": change.interview_id,
        "uid": change.uid or None,
        "line": change.line or None,
        "moved": change.moved or None,
        "message": change.message,
    }
