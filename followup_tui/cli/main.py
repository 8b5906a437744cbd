"""The `followup-tui` command: parse the words, run one command, or open the app.

The commands live in `followup_tui.cli.commands`, one module each. None of them
imports Textual: they are for shell prompts and cron and must start fast. Only the
bare command (the app) loads it, inside `launch_app`.
"""

from __future__ import annotations

import gc
import os
import sqlite3
import sys
from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, NoReturn

from followup_tui import __version__
from followup_tui.cli.context import COLOR_CHOICES, PROG, Context, UsageError
from followup_tui.errors import UserError
from followup_tui.settings.config import load_config

if TYPE_CHECKING:
    import argparse

__all__ = ["PROG", "Context", "UsageError", "app_options", "build_parser", "main"]


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
        metavar="WHEN",
        default=default,
        help="behave as if it were this moment (also $FOLLOWUP_TUI_NOW): ISO-8601 (no offset "
        "means local) or a phrase the forms read, e.g. 'fri 9am', 'in 3 days', '1 hour ago'",
    )
    parser.add_argument(
        "--color",
        choices=COLOR_CHOICES,
        default=default,
        help="colour in what commands print: auto (a terminal, unless $NO_COLOR is set; the "
        "default), always (even piped, even under $NO_COLOR) or never",
    )


def _parser_class() -> type[argparse.ArgumentParser]:
    import argparse

    class Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            self.print_usage(sys.stderr)
            self.exit(2, f"{self.prog}: error: {message}\n")

    return Parser


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: global options, and each registered command's own."""
    from followup_tui.cli.commands import all_commands

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
    for command in all_commands():
        cmd = sub.add_parser(command.name, help=command.help, description=command.help)
        _global_options(cmd, top=False)
        command.configure(cmd)
        cmd.set_defaults(run=command.run)
    return parser


def app_options(argv: Sequence[str]) -> SimpleNamespace | None:
    """The options of a plain launch of the app (`--db`, `--now`, `--demo`), or None.

    Opening the app is the common case and the one a person waits on: read this way
    it skips loading argparse and building every command's parser (~4 ms). Anything
    else (a command, --help, an abbreviation, a fault) is None and meets the parser.
    """
    options = SimpleNamespace(command=None, db=None, now=None, color=None, demo=False)
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


# --- the app ---------------------------------------------------------------------


def launch_app(args: argparse.Namespace | SimpleNamespace, ctx: Context) -> int:
    """Open the app: the one place the command line imports Textual."""
    # The launch builds much and frees little: the collector's passes over it would only
    # delay the first frame. The app turns it back on once its data is in, and frozen.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if args.demo:
            return _launch_demo(ctx)
        with ctx.open_store() as store:  # a file it cannot use is refused before Textual loads
            from followup_tui.tui import make_app

            app = make_app(store, ctx.clock, ctx.rules, ctx.config)
            app.run()
        return app.return_code or 0
    finally:
        if collecting:
            gc.enable()


def _launch_demo(ctx: Context) -> int:
    """The app on a throw-away database filled with sample data."""
    import tempfile
    from pathlib import Path

    from followup_tui.interchange.demo import populate, populate_mail
    from followup_tui.storage.store import Store
    from followup_tui.tui import make_app

    with (
        tempfile.TemporaryDirectory(prefix="followup-tui-demo-") as folder,
        Store(Path(folder) / "demo.db") as store,
    ):
        populate(store, ctx.clock.now(), ctx.rules.tz)
        populate_mail(store, ctx.clock.now(), ctx.rules.tz)  # the Inbox has something too
        app = make_app(store, ctx.clock, ctx.rules, ctx.config, demo=True)
        app.run()
    return app.return_code or 0


# --- running -----------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    if words and words[0] == "__complete-interviews":
        # what completion scripts call on every Tab: answered before anything loads
        from followup_tui.integrations.completion import complete_interviews

        return complete_interviews(words[1:])
    args = app_options(words)
    if args is None:
        parser = build_parser()
        args = parser.parse_args(words)
        args.parser = parser  # the whole command line, for commands that describe it
        if args.command and args.demo:
            # `--demo stats` would answer from the real database: say so instead
            parser.error("--demo opens the app on sample data; it does not go with a command")
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
        ctx = Context(
            db_option=args.db, now_option=args.now, config=config, color_option=args.color
        )
        ctx.clock  # noqa: B018 - resolve --now early so a bad value is reported first
        handler = getattr(args, "run", None) if args.command else None
        return (handler or launch_app)(args, ctx)
    except UserError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 2
    except sqlite3.DatabaseError as error:
        from followup_tui.storage.store import damaged_message, is_damage, resolve_db_path

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
