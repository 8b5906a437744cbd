"""What `notify` has already told: each follow-up reported once as due, once as overdue.

`notify` runs from cron or a systemd timer, every few minutes. It must never
say the same thing twice, and a run after a day off must say what it missed.
So the database remembers, per follow-up, the states it was reported in:

- a follow-up is reported when it is first seen due, and again when it is
  first seen overdue (being late is new news); one first seen already overdue
  (the machine was off while it was due) is reported once, as overdue;
- a follow-up that stops needing action (done, snoozed, skipped, the
  application closed) is forgotten, so if it needs action again (the snooze
  ran out) it is news again.

The caller passes every follow-up that needs action now (`due`'s list): the
ones missing from it are those forgotten.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, tzinfo
from typing import Any, Protocol, TypeVar

#: The states `notify` reports (those that need action).
REPORTED_STATES = ("due", "overdue")


class FollowUpItem(Protocol):
    """What `newly_due` reads of a follow-up (`followup_tui.storage.cache.DueItem` has it all)."""

    @property
    def application(self) -> str: ...
    @property
    def company(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def interview(self) -> str: ...
    @property
    def kind(self) -> Any: ...
    @property
    def state(self) -> Any: ...
    @property
    def due_at(self) -> datetime: ...
    @property
    def reason(self) -> str: ...


Item = TypeVar("Item", bound=FollowUpItem)


def newly_due(
    conn: sqlite3.Connection,
    followups: Iterable[Item],
    now: datetime,
    *,
    deliver: Callable[[list[Item]], None] | None = None,
) -> list[Item]:
    """The follow-ups of `followups` not reported before in their state, now recorded
    as reported; in their given order (urgent first, as `due` lists them).

    `followups` must be every follow-up that needs action now: a follow-up missing
    from it is forgotten (see the module's docstring). Items in other states are
    ignored, and so count as missing.

    All in one write transaction (its own, or the caller's if one is open).
    `deliver`, when given, is called with the new items before that transaction
    commits: if it raises (no desktop bus), nothing is recorded and the next run
    reports them again.
    """
    items = [item for item in followups if str(item.state) in REPORTED_STATES]
    needing = {(item.interview, str(item.kind)) for item in items}
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN IMMEDIATE")
    try:
        told = {
            (interview, kind, state)
            for interview, kind, state in conn.execute(
                "SELECT interview, kind, state FROM notified"
            )
        }
        forgotten = [row for row in told if row[:2] not in needing]
        conn.executemany(
            "DELETE FROM notified WHERE interview = ? AND kind = ? AND state = ?", forgotten
        )
        new = [
            item
            for item in items
            if (item.interview, str(item.kind), str(item.state)) not in told
        ]
        stamp = now.isoformat()
        conn.executemany(
            "INSERT INTO notified (interview, kind, state, notified_at) VALUES (?, ?, ?, ?)",
            [(item.interview, str(item.kind), str(item.state), stamp) for item in new],
        )
        if deliver is not None and new:
            deliver(new)
    except BaseException:
        if own and conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    if own:
        conn.execute("COMMIT")
    return new


def due_payload(item: FollowUpItem, tz: tzinfo) -> dict[str, Any]:
    """One follow-up as `due --json`, `notify --json` and the on-due hook show it."""
    return {
        "application": item.application,
        "company": item.company,
        "role": item.role,
        "interview": item.interview,
        "kind": str(item.kind),
        "state": str(item.state),
        "due_at": item.due_at.astimezone(tz).isoformat(),
        "reason": item.reason,
        # SPEC §9: the application went silent after a call (cache.DueItem carries it)
        "ghosted": bool(getattr(item, "ghosted", False)),
    }


_ACTIONS = {"thank_you": "send the thank-you", "call": "phone them"}


def notification_text(payloads: Sequence[dict[str, str]]) -> tuple[str, str]:
    """One desktop notification's title and body (plain text) for newly due follow-ups."""
    lines = [
        f"{p['company']} — {p['role']}: {_ACTIONS.get(p['kind'], p['kind'])} ({p['state']})"
        for p in payloads
    ]
    if len(payloads) == 1:
        only = payloads[0]
        title = f"Follow-up {only['state']}: {_ACTIONS.get(only['kind'], only['kind'])}"
        return title, f"{only['company']} — {only['role']}\n{only['reason']}"
    shown = lines[:8]
    if len(lines) > len(shown):
        shown.append(f"…and {len(lines) - len(shown)} more (followup-tui due)")
    return f"{len(payloads)} follow-ups need action", "\n".join(shown)


def tell(
    conn: sqlite3.Connection,
    followups: Iterable[FollowUpItem],
    now: datetime,
    tz: tzinfo,
    *,
    desktop: Callable[[str, str], object] | None = None,
) -> list[dict[str, str]]:
    """`notify`'s work: the newly due follow-ups as `due_payload` objects, now recorded.

    With `desktop` (`desktop.send`, or a function of the same shape), one
    notification tells them all before anything is recorded: if it cannot be
    shown, the error propagates and they stay untold for the next run.
    """

    def deliver(items: list[FollowUpItem]) -> None:
        if desktop is not None:
            desktop(*notification_text([due_payload(item, tz) for item in items]))

    return [due_payload(item, tz) for item in newly_due(conn, followups, now, deliver=deliver)]
