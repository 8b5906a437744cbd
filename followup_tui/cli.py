"""The `followup-tui` command.

`due`, `import`, `export`, `draft`, `check` and `backup` never import Textual:
they are for shell prompts and cron and must start fast. Only the bare
command (the app) loads it.
"""

from __future__ import annotations

import gc
import os
import sqlite3
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, NoReturn

from followup_tui import __version__
from followup_tui.clock import Clock
from followup_tui.config import Config, load_config, rules_for
from followup_tui.domain.model import Rules, State
from followup_tui.errors import UserError
from followup_tui.store import Store, StoreError, resolve_db_path

if TYPE_CHECKING:
    import argparse

PROG = "followup-tui"


class UsageError(UserError):
    """Bad input on the command line; exit 2 with this message."""


class Context:
    """What every command needs, resolved once from options, environment and config."""

    def __init__(
        self, db_option: str | None, now_option: str | None, config: Config | None = None
    ) -> None:
        self.db_option = db_option
        self.now_option = now_option
        self.config = config if config is not None else Config()
        self._rules: Rules | None = None
        self._clock: Clock | None = None
        self._now: datetime | None = None

    @property
    def rules(self) -> Rules:
        if self._rules is None:
            self._rules = rules_for(self.config)
        return self._rules

    @property
    def clock(self) -> Clock:
        if self._clock is None:
            self._clock = Clock.from_environment(self.rules.tz, self.now_option)
        return self._clock

    def now(self) -> datetime:
        """The one moment this command works at (read once, so every output agrees)."""
        if self._now is None:
            self._now = self.clock.now()
        return self._now

    def db_path(self) -> tuple[Path, bool]:
        return resolve_db_path(self.db_option)

    def open_store(self, *, create: bool = True) -> Store:
        """The database; a command that only reads refuses a chosen path with no file
        there (a typo in --db must not quietly answer "nothing due")."""
        path, chosen = self.db_path()
        if chosen and not create and path.parent.is_dir() and not os.path.lexists(path):
            raise UsageError(
                f"{path}: there is no database there. Check the path (--db or "
                f"FOLLOWUP_TUI_DB), or start one with: followup-tui --db {path} import FILE"
            )
        if not chosen and not create and not os.path.lexists(path):
            raise UsageError(
                f"no database at {path}; start with `followup-tui import FILE` or open the app."
            )
        return Store(path, must_exist_dir=chosen)


# --- argument parsing ----------------------------------------------------------


def _global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # On subcommands the defaults are SUPPRESS so an option given before the
    # subcommand is not overwritten by the subparser's default.
    import argparse

    default: Any = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=default,
        help="the database file (default: $FOLLOWUP_TUI_DB, else the user data directory)",
    )
    parser.add_argument(
        "--now",
        metavar="ISO-8601",
        default=default,
        help="behave as if it were this moment (also $FOLLOWUP_TUI_NOW); no offset means local",
    )


def _parser_class() -> type[argparse.ArgumentParser]:
    import argparse

    class Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            self.print_usage(sys.stderr)
            self.exit(2, f"{self.prog}: error: {message}\n")

    return Parser


def build_parser() -> argparse.ArgumentParser:
    parser = _parser_class()(
        prog=PROG,
        description="Which interview follow-ups are due, waiting or best held back, and why.",
        epilog="With no command, opens the app. Exit codes: 0 success, 1 a check failed, "
        "2 usage or input error.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _global_options(parser, top=True)
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the app on a throw-away database filled with sample data",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=type(parser))

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=help_text, description=help_text)
        _global_options(cmd, top=False)
        return cmd

    due = command("due", "List the follow-ups that need action now (overdue, due), urgent first.")
    due.add_argument("--all", action="store_true", help="list every follow-up, whatever its state")
    due.add_argument("--json", action="store_true", help="print a JSON array")

    imp = command("import", "Import applications from the interchange JSON format.")
    imp.add_argument("file", metavar="FILE", help="the JSON file, or - for standard input")

    exp = command("export", "Export applications (json) or follow-ups (csv, ics).")
    exp.add_argument("--format", choices=("json", "csv", "ics"), default="json")
    exp.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")

    draft = command("draft", "Print the draft the compose screen starts from.")
    draft.add_argument("--interview", required=True, metavar="ID")
    draft.add_argument("--kind", choices=("thank_you", "call"), default="thank_you")

    check = command("check", "Check a draft against the advice (A2-A4).")
    check.add_argument("file", metavar="FILE", help="the draft, or - for standard input")
    check.add_argument("--interview", required=True, metavar="ID")
    check.add_argument("--json", action="store_true", help="print the results as JSON")

    backup = command("backup", "Copy the database safely (SQLite's backup API).")
    backup.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help="where to write the copy (default: the backups folder beside the database)",
    )
    restore = command(
        "restore", "Put a backup back in place of the database (the current one is kept)."
    )
    restore.add_argument("backup", metavar="BACKUP", help="the backup file to restore")
    return parser


# --- output helpers ---------------------------------------------------------------


def _use_colour(stream: Any) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


_STATE_COLOUR = {
    State.OVERDUE: "1;31",
    State.DUE: "1;33",
    State.WAITING: "36",
    State.SUPPRESSED: "2",
    State.DONE: "32",
}


def emit(data: str | bytes) -> None:
    """To standard output as UTF-8, whatever the locale says (exports are UTF-8 files)."""
    sys.stdout.flush()
    sys.stdout.buffer.write(data.encode("utf-8") if isinstance(data, str) else data)
    sys.stdout.buffer.flush()


def write_output(data: str | bytes, output: str | None) -> None:
    """To standard output, or to a new owner-only file written whole (no half files)."""
    if output is None or output == "-":
        emit(data)
        return
    # the file a link names is written, not the link replaced by a file
    path = Path(os.path.realpath(output))
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if os.path.exists(path) and not os.path.isfile(path):
        # a pipe, a terminal, /dev/null: written to as it is (never replaced by a file)
        try:
            with path.open("wb") as handle:
                handle.write(raw)
        except OSError as error:
            raise UsageError(f"{output}: cannot be written ({error.strerror}).") from error
        return
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
        os.replace(tmp, path)
    except OSError as error:
        if os.path.lexists(tmp):
            tmp.unlink()
        raise UsageError(f"{output}: cannot be written ({error.strerror}).") from error


def read_input(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(name).read_bytes()
    except OSError as error:
        raise UsageError(f"{name}: cannot be read ({error.strerror}).") from error


# --- commands ------------------------------------------------------------------


def terminal_safe_json(text: str) -> str:
    """JSON for a terminal: C1 controls and bidi overrides escaped (see text.json_safe)."""
    from followup_tui.text import json_safe

    return json_safe(text) + "\n"


#: From this many applications to decide again (~0.2 ms each), `due` says why it is slow.
SLOW_REFRESH = 5000


def due_items(ctx: Context, *, all_states: bool) -> tuple[list[Any], dict[State, int]]:
    """The follow-ups at now, urgent first, through the cache when the file can be written."""
    from followup_tui import cache

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


def cmd_due(args: argparse.Namespace, ctx: Context) -> int:
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
            }
            for item in items
        ]
        emit(terminal_safe_json(json.dumps(payload, indent=2, ensure_ascii=False)))
        return 0
    emit(format_due(items, counts, ctx.now(), ctx.rules, colour=_use_colour(sys.stdout)))
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

    def paint(code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if colour else text

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


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    from followup_tui.interchange import (
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
    tz = ctx.rules.tz
    try:
        # a new database is created only once the file is known to be good
        path = ctx.db_path()[0]
        fresh = not os.path.lexists(path)
        apps = read_document(document, tz, None, schema_checked=True) if fresh else None
        made = None
        if apps is not None and path.parent.is_dir():
            from followup_tui.store import check_path_kind, create_database

            # a new database holds the whole import when it appears, or nothing is left
            check_path_kind(path)
            made = create_database(path, lambda new: new.import_applications(apps))[1]
        if made is not None:
            counts = made
        else:
            with ctx.open_store() as store:
                if apps is None:
                    apps = read_document(document, tz, store, schema_checked=True)
                counts = store.import_applications(apps)
    except InterchangeError as error:
        raise InterchangeError(error.faults, heading) from None
    print(
        f"Imported {len(apps)} application(s) from {source}: {counts.applications_added} new, "
        f"{counts.applications_updated} updated, {counts.events_added} new event(s).",
        file=sys.stderr,
    )
    return 0


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    from followup_tui import interchange

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
    if args.output not in (None, "-"):
        from followup_tui.store import refuse_database_as_output

        refuse_database_as_output(Path(args.output), ctx.db_path()[0])
    write_output(data, args.output)
    return 0


def cmd_backup(args: argparse.Namespace, ctx: Context) -> int:
    with ctx.open_store(create=False) as store:
        target = store.backup(Path(args.file) if args.file else None)
    print(f"Backed up {store.path} to {target}", file=sys.stderr)
    return 0


def cmd_restore(args: argparse.Namespace, ctx: Context) -> int:
    from followup_tui.restore import restore

    path = ctx.db_path()[0]
    kept = restore(path, Path(args.backup))
    kept_note = f"; the database it replaced was kept as {kept}" if kept else ""
    print(f"Restored {path} from {args.backup}{kept_note}.", file=sys.stderr)
    return 0


def cmd_draft(args: argparse.Namespace, ctx: Context) -> int:
    from followup_tui.compose_commands import run_draft

    return run_draft(args, ctx)


def cmd_check(args: argparse.Namespace, ctx: Context) -> int:
    from followup_tui.compose_commands import run_check

    return run_check(args, ctx)


def cmd_app(args: argparse.Namespace | SimpleNamespace, ctx: Context) -> int:
    # The launch builds much and frees little: the collector's passes over it would only
    # delay the first frame. The app turns it back on once its data is in, and frozen.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if args.demo:
            from followup_tui.app import run_demo

            return run_demo(ctx)
        with ctx.open_store() as store:  # a file it cannot use is refused before Textual loads
            from followup_tui.app import FollowupApp

            app = FollowupApp(store, ctx.clock, ctx.rules, ctx.config)
            app.run()
        return app.return_code or 0
    finally:
        if collecting:
            gc.enable()


COMMANDS = {
    "due": cmd_due,
    "import": cmd_import,
    "export": cmd_export,
    "backup": cmd_backup,
    "draft": cmd_draft,
    "check": cmd_check,
    "restore": cmd_restore,
}


def app_options(argv: Sequence[str]) -> SimpleNamespace | None:
    """The options of a plain launch of the app (`--db`, `--now`, `--demo`), or None.

    Opening the app is the common case and the one a person waits on: read this way
    it skips loading argparse and building every command's parser (~4 ms). Anything
    else (a command, --help, an abbreviation, a fault) is None and meets the parser.
    """
    options = SimpleNamespace(command=None, db=None, now=None, demo=False)
    words = iter(argv)
    for word in words:
        if word == "--demo":
            options.demo = True
            continue
        name, equals, value = word.partition("=")
        if name not in ("--db", "--now"):
            return None
        if not equals:
            following = next(words, None)
            if following is None or following.startswith("-"):
                return None  # the parser words the fault
            value = following
        setattr(options, name[2:], value)
    return options


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    args = app_options(words) or build_parser().parse_args(words)
    collecting = gc.isenabled()
    if args.command:
        # A command lives for a moment and keeps what it builds until it exits:
        # the cyclic collector would only re-scan it (a fifth of a large import).
        gc.disable()
    try:
        return _run(args)
    finally:
        if collecting:
            gc.enable()  # as it was, for callers that run main() in-process


def _run(args: argparse.Namespace | SimpleNamespace) -> int:
    try:
        config = load_config()
        ctx = Context(db_option=args.db, now_option=args.now, config=config)
        ctx.clock  # noqa: B018 - resolve --now early so a bad value is reported first
        handler = COMMANDS.get(args.command or "", cmd_app)
        return handler(args, ctx)
    except UserError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 2
    except sqlite3.DatabaseError as error:
        from followup_tui.store import damaged_message, is_damage

        # a damaged page is met only where it is read, by any command: named here once
        if not is_damage(error):
            raise
        print(f"{PROG}: error: {damaged_message(resolve_db_path(args.db)[0], error)}",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `followup-tui due | head`: the reader left; not an error worth a traceback
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
