"""The app's first read of the database: what its very first frame shows.

The app takes it as it loads, before its screen is composed, so no empty frame
comes first. It is quick whatever the size: a fresh follow-up cache is told
from index lookups; a small database is read whole; of a large one only the
applications of the most urgent follow-ups are read (the app reads the rest
in a thread). Nothing here imports Textual.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from followup_tui.domain.model import Rules
from followup_tui.storage import cache
from followup_tui.storage.cache import snapshot
from followup_tui.storage.store import BUSY_TIMEOUT_MS, Store, StoreError
from followup_tui.tui.review import Review

#: Above this many applications the app first shows this many of the most urgent rows
#: (or a taller terminal's worth: a screenful), then reads the rest in a thread.
FIRST_PAGE = 40
#: Up to this many applications whose follow-ups went stale (time passed, another
#: program wrote) are decided before the first frame, ~0.5 ms each (a night makes
#: ~30 of 10,000 stale); more, after an upgrade or a big import say, are decided in
#: a thread while "Loading…" shows.
DECIDE_BEFORE_FIRST_FRAME = 100


def first_page_size(lines: int) -> int:
    """How many rows to show first on a terminal `lines` tall: a screenful at least."""
    return max(FIRST_PAGE, lines)


def first_review(store: Store, now: datetime, rules: Rules, lines: int = 0) -> Review:
    """What the app shows first, from a follow-up cache that is fresh at `now`.

    A small database is read whole. Of a large one, the first screenful of the
    list is read (its rows exactly, in order: only the applications they belong
    to are read), with the counts of every state (the header is whole from the
    start), and the review is marked `partial`.
    """
    page = first_page_size(lines)
    with snapshot(store):
        if store.count_applications() <= page:
            return Review.build(store.load_all(), now, rules, cache.read_by_application(store))
        ids, keys = cache.most_urgent_rows(store, page)
        review = Review.build(
            store.load_many(ids), now, rules, cache.read_by_application(store, ids)
        )
        # the other rows of these applications may belong further down, among rows
        # not read yet: only the list's first rows are shown until everything is read
        review.keep(keys)
        review.counts = cache.counts(store)
        review.partial = True
        return review


@contextmanager
def waiting_briefly(store: Store, milliseconds: int = 200) -> Iterator[None]:
    """Writes inside give up after `milliseconds` when another program holds the database
    (an import, say), where the store waits 15 s: the app must not hang before its
    first frame. A refusal is a StoreError, as ever."""
    conn = store.conn
    conn.execute(f"PRAGMA busy_timeout = {milliseconds}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def read_opening(
    store: Store, now: datetime, rules: Rules, mark: str, lines: int = 0
) -> Review | None:
    """The first review, the cache brought up to date first when only a few applications
    went stale; None when the app should warm the cache in a thread (many stale, or the
    cache cannot be written now: a read-only file, another program writing)."""
    stale = cache.count_stale(store, now, mark, DECIDE_BEFORE_FIRST_FRAME + 1)
    if stale > DECIDE_BEFORE_FIRST_FRAME:
        return None
    if stale:
        try:
            with waiting_briefly(store):
                cache.refresh(store, now, rules, mark)
        except StoreError:
            return None
    return first_review(store, now, rules, lines)
