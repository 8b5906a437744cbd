"""The mail scanner's tables: what was read, where each source stopped, what it suggests.

Their definition is schema 7 of the store (followup_tui.storage.schema.MAIL_TABLES),
made by its migrations; `create_mail_tables` makes them on a bare connection too.
"""

from __future__ import annotations

import sqlite3

from followup_tui.storage.schema import MAIL_TABLES, run_script


def create_mail_tables(connection: sqlite3.Connection) -> None:
    """Create the mail tables if missing (idempotent; no commit of its own).

    Run inside the caller's transaction: each statement goes through `execute`
    because `executescript` would commit first.
    """
    run_script(connection, MAIL_TABLES)
