"""`followup-tui mail scan|list|accept|dismiss`: facts from the mailbox (SPEC §6).

A scan reads new mail read-only, matches it to applications and stores what each
matched message suggests; nothing becomes a fact until it is accepted.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from followup_tui.cli.commands import Command
from followup_tui.cli.context import UsageError
from followup_tui.cli.output import emit, terminal_safe_json

if TYPE_CHECKING:
    import argparse

    from followup_tui.cli.context import Context
    from followup_tui.domain.model import Application
    from followup_tui.interchange.mail import Suggestion
    from followup_tui.storage.store import Store


def configure(parser: argparse.ArgumentParser) -> None:
    import argparse

    actions = parser.add_subparsers(dest="mail_command", metavar="ACTION",
                                    parser_class=type(parser))
    actions.required = True

    def action(name: str, help: str) -> argparse.ArgumentParser:
        sub = actions.add_parser(name, help=help, description=help)
        # --db and --now also after the action, as after any command
        sub.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                         help="the database file")
        sub.add_argument("--now", metavar="WHEN", default=argparse.SUPPRESS,
                         help="behave as if it were this moment")
        sub.add_argument("--json", action="store_true",
                         help="print JSON: objects with id, message_id, application, "
                         "interview, type, at, until, from, subject, reason")
        return sub

    scan = action("scan", "Read new mail (read-only) and suggest what it says.")
    scan.add_argument("--maildir", metavar="DIR", action="append", default=[],
                      help="a Maildir folder to read (instead of config.toml's [mail])")
    scan.add_argument("--mbox", metavar="FILE", action="append", default=[],
                      help="an mbox file to read (instead of config.toml's [mail])")
    scan.add_argument("--since", metavar="DATE",
                      help="leave out mail dated before this (ISO date; first scan: 60 days)")
    action("list", "List the pending suggestions.")
    for name, verb in (("accept", "Accept suggestions: each becomes an event."),
                       ("dismiss", "Dismiss suggestions: never suggested again.")):
        sub = action(name, verb)
        sub.add_argument("ids", metavar="ID", nargs="*", type=_suggestion_id,
                         help="suggestion ids, as mail list shows them")
        sub.add_argument("--all", action="store_true", help="every pending suggestion")


def _suggestion_id(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a suggestion id (a number)") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a suggestion id (a number)")
    return value


def run(args: argparse.Namespace, ctx: Context) -> int:
    handler = {"scan": _scan, "list": _list, "accept": _settle, "dismiss": _settle}
    return handler[args.mail_command](args, ctx)


# --- scan -------------------------------------------------------------------------------------


def _since(text: str | None, ctx: Context) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"--since {text!r} is not a date; give an ISO date such as 2026-10-01"
        ) from None
    if moment.tzinfo is None:
        if len(text) <= 10:  # a date alone: from the start of that local day
            moment = datetime.combine(moment.date(), time(), tzinfo=ctx.rules.tz)
        else:
            moment = moment.replace(tzinfo=ctx.rules.tz)
    return moment


def _scan(args: argparse.Namespace, ctx: Context) -> int:
    from followup_tui.interchange.mail import (
        MaildirSource,
        MailError,
        MboxSource,
        default_since,
        scan,
        settings_of,
    )

    settings = settings_of(ctx.config)
    if args.maildir or args.mbox:
        sources = [MaildirSource(Path(d).expanduser()) for d in args.maildir]
        sources += [MboxSource(Path(m).expanduser()) for m in args.mbox]
    else:
        sources = settings.sources()
    if not sources:
        where = ctx.config.path or "config.toml"
        raise MailError(
            f"no mail to read: give --maildir DIR or --mbox FILE, or name your mail under "
            f"[mail] in {where} (maildir = [\"~/Mail/INBOX\"], or [mail.imap])"
        )
    if not settings.me:
        print("followup-tui: note: config.toml lists no `me` addresses, so mail you sent "
              "(a thank-you) is not recognised as yours.", file=sys.stderr)
    since = _since(args.since, ctx)
    with ctx.open_store() as store:
        if since is None:
            since = default_since(store.conn, ctx.now())
        applications = store.load_all()
        result = scan(store.conn, sources, applications, settings.me, ctx.rules, since=since)
    # in the order `mail list` shows them: oldest message first
    rows = sorted(zip(result.ids, result.suggestions, strict=True), key=lambda r: (r[1].at, r[0]))
    summary = _summary_line(result.summary)
    if args.json:
        _print_json(rows)
        print(summary, file=sys.stderr)
    else:
        _print_text(rows, applications, ctx)
        emit(summary + "\n")
    return 0


def _summary_line(summary: Any) -> str:
    def count(n: int, one: str, many: str) -> str:
        return f"{n:,} {one if n == 1 else many}"

    parts = [
        f"Read {count(summary.read, 'new message', 'new messages')}",
        f"{count(summary.matched, 'matched an application', 'matched an application')}",
        f"{count(summary.suggested, 'suggestion stored', 'suggestions stored')}",
    ]
    if summary.already:
        parts.append(f"{summary.already:,} suggested before")
    line = ": ".join([parts[0], ", ".join(parts[1:])]) + "."
    if summary.skipped:
        skipped = ", ".join(f"{n:,} {reason}" for reason, n in sorted(summary.skipped.items()))
        line += f" Skipped: {skipped}."
    return line


# --- list, accept, dismiss ---------------------------------------------------------------------


def _list(args: argparse.Namespace, ctx: Context) -> int:
    from followup_tui.interchange.mail import suggestions

    with ctx.open_store(create=False) as store:
        rows = suggestions(store.conn)
        applications = store.load_many({s.application for _, s in rows}, details=False)
    if args.json:
        _print_json(rows)
    elif not rows:
        emit("No pending suggestions. (followup-tui mail scan reads new mail.)\n")
    else:
        _print_text(rows, applications, ctx)
    return 0


def _settle(args: argparse.Namespace, ctx: Context) -> int:
    from followup_tui.interchange.mail import accept, settings_of, settle

    if bool(args.ids) == bool(args.all):
        raise UsageError(f"mail {args.mail_command}: give suggestion ids (see mail list) or "
                         f"--all, not {'both' if args.all else 'neither'}")
    ids = None if args.all else args.ids
    with ctx.open_store(create=False) as store:
        if args.mail_command == "dismiss":
            with store.transaction():
                settled = settle(store.conn, ids, "dismissed")
            events: list[tuple[str, Any]] = []
            plans: list[tuple[int, Any]] = []
        else:
            me = settings_of(ctx.config).me
            settled, events, plans = accept(store, ids, tz=ctx.rules.tz, me=me)
        applications = store.load_many({s.application for _, s in settled}, details=False)
        if events:
            _run_hooks(store, events)
    if args.json:
        _print_json(settled)
        return 0
    if not settled:
        emit("No pending suggestions.\n")
        return 0
    from followup_tui.text import printable

    by_id = {app.id: app for app in applications}
    described = dict(plans)
    verb = "Accepted" if args.mail_command == "accept" else "Dismissed"
    lines = []
    for row_id, s in settled:
        lines.append(printable(f"{verb} #{row_id}: {_kind(s)} · {_title(by_id, s)}",
                               single_line=True))
        if row_id in described:
            lines += [f"    {line}" for line in described[row_id].describe()]
    emit("\n".join(lines) + "\n")
    return 0


def _run_hooks(store: Store, events: list[tuple[str, Any]]) -> None:
    """The on-event hook for the events just committed (SPEC §8)."""
    from followup_tui.integrations.hooks import HookRunner, event_payload

    hooks = HookRunner(database=store.path)
    try:
        if hooks.has_hook("on-event"):
            apps = {a.id: a for a in store.load_many({a for a, _ in events}, details=False)}
            hooks.on_event([
                event_payload(app_id, apps[app_id].company, apps[app_id].role, event,
                              source="mail")
                for app_id, event in events if app_id in apps
            ])
    finally:
        hooks.close()


# --- output -----------------------------------------------------------------------------------


def _kind(s: Suggestion) -> str:
    return s.type.replace("_", " ")


def _title(by_id: dict[str, Application], s: Suggestion) -> str:
    app = by_id.get(s.application)
    return f"{app.company} — {app.role}" if app else s.application


def _print_json(rows: list[tuple[int, Suggestion]]) -> None:
    from followup_tui.interchange.mail import suggestion_json

    data = [suggestion_json(row_id, s) for row_id, s in rows]
    emit(terminal_safe_json(json.dumps(data, ensure_ascii=False, indent=2)))


def _print_text(
    rows: list[tuple[int, Suggestion]], applications: list[Application], ctx: Context
) -> None:
    from followup_tui.domain.rules import format_moment
    from followup_tui.text import printable

    by_id = {app.id: app for app in applications}
    tz = ctx.rules.tz
    today = ctx.now().astimezone(tz).date()
    lines = []
    for row_id, s in rows:
        when = format_moment(datetime.fromisoformat(s.at), tz, today)
        until = f" (away until {s.until})" if s.until else ""
        head = f"#{row_id}  {_kind(s)}{until} · {_title(by_id, s)} · {when}"
        lines.append(printable(head, single_line=True))
        lines.append(printable(f"    {s.sender}: {s.subject}", single_line=True))
        lines.append(printable(f"    why: {s.reason}", single_line=True))
    emit("\n".join(lines) + "\n" if lines else "No new suggestions.\n")


COMMAND = Command("mail", "Facts from your mail: scan it, then accept or dismiss suggestions.",
                  55, configure, run)
