"""`followup-tui notify`: each follow-up told once, when it becomes due or overdue (cron)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from followup_tui.cli.commands import Command
from followup_tui.cli.output import emit, emit_json, painter, use_colour

if TYPE_CHECKING:
    import argparse

    from followup_tui.cli.context import Context


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--desktop", action="store_true", help="as a desktop notification (session D-Bus)"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON array")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from followup_tui.cli.commands.due import due_items
    from followup_tui.integrations.hooks import HookRunner
    from followup_tui.integrations.notify import tell

    desktop = None
    if args.desktop:
        from followup_tui.integrations.desktop import send, session_bus_address

        session_bus_address()  # no bus: said before anything else is done
        desktop = send
    items, _ = due_items(ctx, all_states=False)
    with ctx.open_store(create=False) as store, store.locked() as conn:
        # told and recorded together: a notification that fails records nothing
        told = tell(conn, items, ctx.now(), ctx.rules.tz, desktop=desktop)
    hooks = HookRunner(database=ctx.db_path()[0])
    hooks.on_due(told)
    try:
        if args.json:
            emit_json(told)
        elif told:
            emit(format_told(told, colour=use_colour(sys.stdout, ctx.color)))
    finally:
        hooks.close()  # each hook is stopped after 10 s
    return 0


def format_told(told: list[dict[str, str]], *, colour: bool) -> str:
    """The text form of `notify`: as `due` shows each follow-up (state, who, what; reason)."""
    from followup_tui.cli.commands.due import STATE_COLOUR
    from followup_tui.domain.model import State
    from followup_tui.text import printable

    paint = painter(colour)
    actions = {"thank_you": "send the thank-you", "call": "phone them"}
    lines = []
    for t in told:
        state = paint(STATE_COLOUR[State(t["state"])], f"{t['state'].upper():<10}")
        who = printable(f"{t['company']} — {t['role']}", single_line=True)
        lines.append(f"{state} {who} · {actions[t['kind']]}")
        lines.append(f"{'':<10} {paint('2', printable(t['reason'], single_line=True))}")
    return "\n".join(lines) + "\n"


COMMAND = Command(
    "notify", "Tell each follow-up once, when it becomes due or overdue.", 70, configure, run
)
