"""The one urgency order every list of follow-ups shares: `due`, the app, exports.

Most urgent first: the state (overdue, due, waiting, suppressed, done: `State`'s
declaration order, `State.rank`), then the earlier `due_at`. Where several
follow-ups tie, each list breaks the tie by its own stable key (the interview's id,
the order the applications were stored in), after these two.

The follow-up cache keeps `rank` and a UTC `due_at` text that sorts in time order,
so SQL can order rows the same way: `URGENCY_SQL` is that order, tested against
`urgency` on generated rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TypeVar

from followup_tui.domain.model import FollowUp, State

#: `ORDER BY` terms of the urgency order over the cache's `rank` and `due_at` columns.
URGENCY_SQL = "rank, due_at"

F = TypeVar("F", bound=FollowUp)


def urgency(state: State, due_at: datetime) -> tuple[int, datetime]:
    """The sort key of a follow-up in `state`, due at `due_at`: smaller is more urgent."""
    return (state.rank, due_at)


def urgency_sql(table: str = "") -> str:
    """`URGENCY_SQL` with its columns qualified by `table` (an alias), for joins."""
    if not table:
        return URGENCY_SQL
    return ", ".join(f"{table}.{column.strip()}" for column in URGENCY_SQL.split(","))


def sort_urgent_first(items: Iterable[F]) -> list[F]:
    """Overdue, due, waiting, suppressed, done; then by `due_at`."""
    return sorted(items, key=lambda f: urgency(f.state, f.due_at))
