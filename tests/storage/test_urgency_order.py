"""The cache orders rows in SQL by the domain's one urgency order (domain.urgency)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from followup_tui.domain.model import State
from followup_tui.domain.urgency import URGENCY_SQL, sort_urgent_first, urgency, urgency_sql
from followup_tui.storage.cache import _key

ORIGIN = datetime(2026, 1, 1, tzinfo=UTC)

rows = st.lists(
    st.tuples(
        st.sampled_from(list(State)),
        # a few moments, so ties in due_at are common and the tie-break is exercised
        st.integers(min_value=0, max_value=20).map(lambda n: ORIGIN + timedelta(hours=7 * n)),
        st.text("abcxyz", min_size=1, max_size=3),
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(rows)
def test_sql_order_is_the_domain_order(items: list[tuple[State, datetime, str]]) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE r (rank INTEGER, due_at TEXT, interview_id TEXT)")
    conn.executemany(
        "INSERT INTO r VALUES (?, ?, ?)",
        [(state.rank, _key(due_at), key) for state, due_at, key in items],
    )
    in_sql = conn.execute(
        f"SELECT rank, due_at, interview_id FROM r ORDER BY {URGENCY_SQL}, interview_id"
    ).fetchall()
    in_python = sorted(items, key=lambda item: (*urgency(item[0], item[1]), item[2]))
    assert in_sql == [(s.rank, _key(d), k) for s, d, k in in_python]


def test_qualified_order_names_the_table() -> None:
    assert urgency_sql("r") == "r.rank, r.due_at"


def test_sort_urgent_first_is_overdue_due_waiting_suppressed_done_then_earliest() -> None:
    class F:
        def __init__(self, state: State, hours: int) -> None:
            self.state, self.due_at = state, ORIGIN + timedelta(hours=hours)

    items = [F(State.DONE, 0), F(State.WAITING, 5), F(State.OVERDUE, 9), F(State.DUE, 1),
             F(State.SUPPRESSED, 0), F(State.OVERDUE, 2)]
    ordered = sort_urgent_first(items)  # type: ignore[type-var]
    assert [(f.state, f.due_at.hour) for f in ordered] == [
        (State.OVERDUE, 2), (State.OVERDUE, 9), (State.DUE, 1), (State.WAITING, 5),
        (State.SUPPRESSED, 0), (State.DONE, 0),
    ]
