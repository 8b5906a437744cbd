"""The stored suggestions, as `mail list`, `mail accept` / `dismiss` and the Inbox read them.

No commit here: accepting writes events too, so the caller holds the transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from followup_tui.interchange.mail.classification import Suggestion
from followup_tui.interchange.mail.sources import MailError

_COLUMNS = (
    "id, message_id, application, interview, type, at, until, sender, subject, reason, "
    "excerpt, body, calendar, source"
)
STATES = ("pending", "accepted", "dismissed")


def _row(row: tuple[Any, ...]) -> tuple[int, Suggestion]:
    (row_id, message_id, application, interview, kind, at, until, sender, subject, reason,
     excerpt, body, calendar, source) = row
    return int(row_id), Suggestion(
        message_id=message_id, application=application, interview=interview, type=kind, at=at,
        until=until, sender=sender, subject=subject, reason=reason, excerpt=excerpt, body=body,
        calendar=calendar, source=source,
    )


def suggestions(db: sqlite3.Connection, state: str = "pending") -> list[tuple[int, Suggestion]]:
    """Stored suggestions in one state, oldest message first, with their ids."""
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM mail_suggestions WHERE state = ? ORDER BY at, id", (state,)
    ).fetchall()
    return [_row(row) for row in rows]


def suggestion_json(row_id: int, s: Suggestion) -> dict[str, Any]:
    """The object `mail scan --json` and `mail list --json` print (SPEC §6)."""
    return {
        "id": row_id, "message_id": s.message_id, "application": s.application,
        "interview": s.interview, "type": s.type, "at": s.at, "until": s.until,
        "from": s.sender, "subject": s.subject, "reason": s.reason,
    }


def settle(
    db: sqlite3.Connection, ids: Iterable[int] | None, state: str
) -> list[tuple[int, Suggestion]]:
    """Mark pending suggestions accepted or dismissed (`ids` None: every pending one).

    Returns those changed, for the caller to turn accepted ones into events in the
    same transaction. An id that is not pending raises MailError naming it.
    """
    if state not in ("accepted", "dismissed"):
        raise ValueError(f"not a final state: {state}")
    pending = dict(suggestions(db))
    wanted = list(pending) if ids is None else list(dict.fromkeys(ids))
    unknown = [str(i) for i in wanted if i not in pending]
    if unknown:
        raise MailError(f"no pending suggestion with id {', '.join(unknown)} (see mail list)")
    db.executemany(
        "UPDATE mail_suggestions SET state = ? WHERE id = ?", ((state, i) for i in wanted)
    )
    return [(i, pending[i]) for i in wanted]


def reopen(db: sqlite3.Connection, ids: Iterable[int]) -> int:
    """Make settled suggestions pending again (the app's undo); returns rows changed."""
    cursor = db.executemany(
        "UPDATE mail_suggestions SET state = 'pending' WHERE id = ? AND state != 'pending'",
        ((i,) for i in ids),
    )
    return cursor.rowcount


def pending_count(db: sqlite3.Connection) -> int:
    """How many suggestions wait in the Inbox."""
    return int(
        db.execute("SELECT count(*) FROM mail_suggestions WHERE state = 'pending'").fetchone()[0]
    )
