"""`followup-tui backup [FILE]`: a consistent copy of the database."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from followup_tui.cli.commands import Command

if TYPE_CHECKING:
    import argparse

    from followup_tui.cli.context import Context


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help="where to write the copy (default: the backups folder beside the database)",
    )


def run(args: argparse.Namespace, ctx: Context) -> int:
    with ctx.open_store(create=False) as store:
        target = store.backup(Path(args.file) if args.file else None)
    print(f"Backed up {store.path} to {target}", file=sys.stderr)
    return 0


COMMAND = Command("backup", "Copy the database safely (SQLite's backup API).", 60,
                  configure, run)
