"""`followup-tui due`: what needs action now, for shell prompts and cron."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

from followup_tui.cli.commands import Command
from followup_tui.cli.context import PROG
from followup_tui.cli.output import emit, painter, terminal_safe_json, use_colour
from followup_tui.domain.model import Rules, State
from followup_tui.storage.store import StoreError

if TYPE_CHECKING:
    import argparse

    from followup_tui.cli.context import Context

#: From this many applications to decide again (~0.2 ms each), `due` says why it is slow.
SLOW_REFRESH = 5000

_STATE_COLOUR = {
    State.OVERDUE: "1;31",
    State.DUE: "1;33",
    State.WAITING: "36",
    State.SUPPRESSED: "2",
    State.DONE: "32",
}


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--all", action="store_true", help="list every follow-up, whatever its state"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON array")


def due_items(ctx: Context, *, all_states: bool) -> tuple[list[Any], dict[State, int]]:
    """The follow-ups at now, urgent first, through the cache when the file can be written."""
    from followup_tui.storage import cache

    now, rules = ctx.now(), ctx.rules
    with ctx.open_store(create=False) as store:
        mark = cache.stamp(rules, ctx.config.holidays_fingerprint)
        try:
            # said to a person only: scripts and cron mail get stdout's answer alone
            if sys.stderr.isatty() and cache.count_stale(
                store, now, mark, SLOW_REFRESH
            ) >= SLOW_REFRESH:
                print(
                    f"{PROG}: deciding the follow-ups of many applications again (after an "
                    "upgrade, a large import or new settings); only this once takes a while…",
                    file=sys.stderr, flush=True,
                )
            cache.refresh(store, now, rules, mark)
            return cache.read(store, all_states=all_states)
        except StoreError:
            # a peer kept the file busy too long, or the disk is full: answer anyway
            apps = store.load_all(details=False)
            return cache.compute(apps, now, rules, all_states=all_states)


def run(args: argparse.Namespace, ctx: Context) -> int:
    items, counts = due_items(ctx, all_states=args.all)
    tz = ctx.rules.tz
    if args.json:
        import json

        payload = [
            {
                "application": item.application,
                "company": item.company,
                "role": item.role,
                "interview": item.interview,
                "kind": item.kind.value,
                "state": item.state.value,
                "due_at": item.due_at.astimezone(tz).isoformat(),
                "reason": item.reason,
                "ghosted": item.ghosted,
            }
            for item in items
        ]
        emit(terminal_safe_json(json.dumps(payload, indent=2, ensure_ascii=False)))
        return 0
    emit(format_due(items, counts, ctx.now(), ctx.rules, colour=use_colour(sys.stdout)))
    return 0


def format_due(
    items: list[Any],
    counts: dict[State, int],
    now: datetime,
    rules: Rules,
    *,
    colour: bool,
) -> str:
    """The text form of `due`: one line each (state, who, what, when), the reason below."""
    from followup_tui.domain.model import Kind
    from followup_tui.domain.rules import format_day, format_moment
    from followup_tui.text import printable

    today = now.astimezone(rules.tz).date()
    paint = painter(colour)
    lines = []
    for item in items:
        state = paint(_STATE_COLOUR[item.state], f"{item.state.value.upper():<10}")
        who = printable(f"{item.company} — {item.role}", single_line=True)
        if item.kind is Kind.THANK_YOU:
            what, when = "send the thank-you", "by " + format_moment(item.due_at, rules.tz, today)
        else:
            local_day = item.due_at.astimezone(rules.tz).date()
            what, when = "phone them", "from " + format_day(local_day, today)
        if item.state is State.WAITING:
            when = "not yet"  # the reason below says until when, and why
        lines.append(f"{state} {who} · {what} · {when}")
        lines.append(f"{'':<10} {paint('2', printable(item.reason, single_line=True))}")
    summary = " · ".join(f"{counts[s]} {s.value}" for s in State if s is not State.DONE)
    if not lines:
        lines.append("Nothing needs doing right now.")
    lines.append(paint("2", f"({summary}; as of {format_moment(now, rules.tz, today)})"))
    return "\n".join(lines) + "\n"


COMMAND = Command(
    "due", "List the follow-ups that need action now (overdue, due), urgent first.",
    10, configure, run,
)
