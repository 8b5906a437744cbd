"""`followup-tui stats` and `followup-tui report` (SPEC §9), from the shell.

No Textual here (commands must start fast); the `stats` and `report` commands
call `run_stats` and `run_report` with their parsed arguments and `Context`.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

from followup_tui.domain.insights import FUNNEL_STAGES, Stats, activity, stats
from followup_tui.errors import UserError
from followup_tui.text import printable

if TYPE_CHECKING:
    from followup_tui.cli.context import Context


def parse_day(option: str, value: str) -> date:
    """A YYYY-MM-DD date given to `option`; a UserError naming it otherwise."""
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise UserError(
            f"{option}: {printable(value, single_line=True)!r} is not a date; "
            "give it as YYYY-MM-DD, e.g. 2026-11-02."
        ) from None


def run_stats(args: Any, ctx: Context) -> int:
    from followup_tui.cli.output import emit, emit_json
    from followup_tui.storage import cache
    from followup_tui.storage.store import StoreError

    since = parse_day("--since", args.since) if args.since else None
    now, rules = ctx.now(), ctx.rules
    with ctx.open_store(create=False) as store:
        try:
            # through the follow-up cache, which keeps each application's standing too
            mark = cache.stamp(rules, ctx.config.holidays_fingerprint)
            figures = cache.insight_stats(store, now, rules, mark, since)
        except StoreError:
            # the file is busy or cannot be written: every application decided here
            apps = store.load_all(details=False)  # the figures read no contacts or topics
            figures = stats(apps, now, rules, since)
    if args.json:
        emit_json(figures.as_json())
    else:
        emit(format_stats(figures))
    return 0


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


def _days(value: float) -> str:
    return f"{value:g} day" + ("" if value == 1 else "s")


def format_stats(figures: Stats, width: int = 30) -> str:
    """The text form of `stats`: each figure on a line, the funnel drawn as bars."""
    lines = []
    scope = f" (first activity on or after {figures.since})" if figures.since else ""
    lines.append(f"Applications: {figures.applications}{scope}")
    lines.append(
        "By status: "
        + " · ".join(f"{n} {s.value.replace('_', ' ')}" for s, n in figures.by_status.items())
    )
    lines.append("Funnel (furthest stage reached):")
    top = max(figures.funnel.applied, 1)
    for stage, count in zip(FUNNEL_STAGES, figures.funnel, strict=True):
        bar = "█" * round(width * count / top)
        lines.append(f"  {stage.replace('_', ' '):<17}{count:>6} {bar}")
    lines.append(
        f"Response rate: {_percent(figures.response_rate)} ({figures.responded} of "
        f"{figures.interviewed} interviewed applications heard back after an interview)"
    )
    if figures.median_days_to_response is None:
        lines.append("Median time to a response: — (no response yet)")
    else:
        lines.append(
            f"Median time to a response: {_days(figures.median_days_to_response)} "
            "from the first interview"
        )
        for company, days in figures.median_days_to_response_by_company.items():
            lines.append(f"  {printable(company, single_line=True)}: {_days(days)}")
    lines.append(
        f"Thank-yous on time: {_percent(figures.thank_you_on_time)} "
        f"({figures.thank_yous_on_time} of {figures.thank_yous_sent} sent within the window)"
    )
    lines.append(f"Ghosted: {len(figures.ghosted)}")
    for ghost in figures.ghosted:
        who = printable(f"{ghost.company} — {ghost.role}", single_line=True)
        lines.append(f"  {who}: {ghost.ghosted.reason}")
    return "\n".join(lines) + "\n"


def run_report(args: Any, ctx: Context) -> int:
    from followup_tui.cli.output import emit, terminal_safe_json, write_output

    if args.output not in (None, "-"):
        from pathlib import Path

        from followup_tui.storage.store import refuse_database_as_output

        refuse_database_as_output(Path(args.output), ctx.db_path()[0])
    from followup_tui.interchange.report import activity_csv, activity_json, activity_markdown

    start = parse_day("--from", args.start)
    end = parse_day("--to", args.end)
    if end < start:
        raise UserError(f"--to {end} is before --from {start}: the period would be empty.")
    with ctx.open_store(create=False) as store:
        apps = store.load_all()  # contacts, interviewers and formats fill the rows
    rows = activity(apps, start, end, ctx.rules, now=ctx.now())
    if args.format == "json":
        text = json.dumps(activity_json(rows), indent=2, ensure_ascii=False)
        if args.output is None or args.output == "-":
            emit(terminal_safe_json(text))
        else:
            write_output(text + "\n", args.output)
        return 0
    text = activity_markdown(rows) if args.format == "md" else activity_csv(rows)
    if (args.output is None or args.output == "-") and sys.stdout.isatty():
        # a file keeps the data as typed; a terminal is shown controls, never sent them
        text = printable(text.replace("\r\n", "\n"))
    write_output(text, args.output)
    return 0
