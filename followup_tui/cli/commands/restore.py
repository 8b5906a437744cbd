"""`followup-tui restore BACKUP`: a verified backup back in place of the database."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from followup_tui.cli.commands import Command

if TYPE_CHECKING:
    import argparse

    from followup_tui.cli.context import Context


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("backup", metavar="BACKUP", help="the backup file to restore")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from followup_tui.storage.restore import restore

    path = ctx.db_path()[0]
    kept = restore(path, Path(args.backup))
    kept_note = f"; the database it replaced was kept as {kept}" if kept else ""
    print(f"Restored {path} from {args.backup}{kept_note}.", file=sys.stderr)
    return 0


COMMAND = Command(
    "restore", "Put a backup back in place of the database (the current one is kept).", 65,
    configure, run,
)
