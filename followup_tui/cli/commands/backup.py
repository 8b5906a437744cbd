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
    parser.add_argument(
        "--json", action="store_true", help="print the copy's path, size and check as JSON"
    )


def run(args: argparse.Namespace, ctx: Context) -> int:
    with ctx.open_store(create=False) as store:
        target = store.backup(Path(args.file) if args.file else None)
    verify(target)
    if args.json:
        from followup_tui.cli.output import emit_json

        emit_json(
            {
                "path": str(target.absolute()),
                "database": str(store.path),
                "bytes": target.stat().st_size,
                "verified": True,
            }
        )
        return 0
    print(f"Backed up {store.path} to {target}", file=sys.stderr)
    return 0


def verify(copy: Path) -> None:
    """Read the copy back whole (SQLite's integrity check); a UserError if it is not sound.

    A backup is only worth its name if it opens: the copy is checked before the
    command says it has one (the database itself is never touched here).
    """
    import sqlite3

    from followup_tui.errors import UserError

    try:
        # immutable: a read leaves no -wal or -shm beside the copy (nobody writes it)
        conn = sqlite3.connect(f"{copy.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            verdict = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        finally:
            conn.close()
    except sqlite3.Error as error:
        verdict = [str(error)]
    if verdict != ["ok"]:
        raise UserError(
            f"{copy}: the copy does not read back sound ({'; '.join(verdict[:3])}); "
            "the database itself is untouched. Try again, on another disk if this one is failing."
        )


COMMAND = Command("backup", "Copy the database safely (SQLite's backup API).", 60,
                  configure, run)
