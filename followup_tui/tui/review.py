"""The app's view model, without Textual: lines for the interviews pane and the timeline.

States are decided once (mostly read from the follow-up cache) and the list's
lines written to a private SQLite database, kept until the data or "now"
changes; the widgets read a page of lines at a time and the whole row of the
selected one. Memory is bounded whatever the number of applications (a page
cache of 16 MB, a batch of applications); filtering and ordering are SQL over
an index.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, tzinfo
from enum import Enum
from typing import TYPE_CHECKING, NamedTuple, cast, overload
from weakref import WeakValueDictionary

from followup_tui.domain.model import (
    OPEN_STATES,
    Application,
    Event,
    EventType,
    FollowUp,
    Interview,
    Kind,
    Rules,
    State,
    Status,
)
from followup_tui.domain.rules import (
    StatusInfo,
    application_status,
    follow_ups,
    format_day,
    format_moment,
    interview_start,
    is_snooze,
    parse_moment,
)
from followup_tui.domain.urgency import sort_urgent_first

if TYPE_CHECKING:
    from followup_tui.storage.store import Store

#: Rank of an application that has no interview yet: after suppressed, before done.
_NO_INTERVIEW_RANK = State.SUPPRESSED.rank + 0.5


class Row:
    """One line of the interviews pane: an interview (or an application without one).

    A plain slotted class (treat it as a value): one is made for each line as the
    lines are written (a batch at a time), and for the selected line, read in full.
    """

    __slots__ = (
        "application", "interview", "follow_ups", "status", "starts", "_haystack", "order",
        "state",
    )

    def __init__(
        self,
        application: Application,
        interview: Interview | None,
        follow_ups: tuple[FollowUp, ...],
        status: StatusInfo,
        starts: datetime | None,
        haystack: str | None = None,
    ) -> None:
        self.application = application
        self.interview = interview
        #: This interview's follow-ups, most urgent first (empty without an interview).
        self.follow_ups = follow_ups
        self.status = status
        self.starts = starts
        #: What the text filter searches, made when first asked for (None until then).
        self._haystack = haystack
        top = follow_ups[0] if follow_ups else None
        #: The urgency order (domain.urgency: state, then due_at) of its most urgent
        #: follow-up, then the key, as floats: the line's rank, due and key.
        self.order: tuple[float, float, str] = (
            (_NO_INTERVIEW_RANK, float("inf"), self.key) if top is None
            else (float(top.state.rank), top.due_at.timestamp(), self.key)
        )
        #: The state of the most urgent follow-up (None without an interview).
        self.state: State | None = top.state if top else None

    def __repr__(self) -> str:
        return f"Row({self.key!r}, state={self.state!r})"

    @property
    def key(self) -> str:
        """Stable identity across reloads: the interview id, else the application id."""
        return self.interview.id if self.interview else f"app:{self.application.id}"

    @property
    def haystack(self) -> str:
        """The lower-cased text the filter searches (bounded: see `_haystack`)."""
        found = self._haystack
        if found is None:
            found = self._haystack = _haystack(self.application, self.interview)
        return found

    @property
    def top(self) -> FollowUp | None:
        return self.follow_ups[0] if self.follow_ups else None

    @property
    def pending(self) -> FollowUp | None:
        """The follow-up actions act on: the most urgent one that is not done."""
        for follow_up in self.follow_ups:
            if follow_up.state is not State.DONE:
                return follow_up
        return None

    def __lt__(self, other: Row) -> bool:
        return self.order < other.order


class StateFilter(Enum):
    """What the state filter shows; `OPEN` (everything not done) is the default."""

    OPEN = "open"
    ACTION = "needs action"
    OVERDUE = "overdue"
    DUE = "due"
    WAITING = "waiting"
    SUPPRESSED = "suppressed"
    DONE = "done"
    ALL = "all"

    @property
    def states(self) -> frozenset[State | None]:
        """The row states this filter shows (None: an application without an interview)."""
        return _FILTER_STATES[self]

    def admits(self, row: Row) -> bool:
        return row.state in self.states

    def next(self) -> StateFilter:
        members = list(StateFilter)
        return members[(members.index(self) + 1) % len(members)]


_EVERY_STATE: frozenset[State | None] = frozenset([*State, None])
_FILTER_STATES: dict[StateFilter, frozenset[State | None]] = {
    StateFilter.OPEN: _EVERY_STATE - {State.DONE},
    StateFilter.ACTION: frozenset({State.OVERDUE, State.DUE}),
    StateFilter.ALL: _EVERY_STATE,
    **{StateFilter(state.value): frozenset({state}) for state in State},
}


#: What the filter indexes of one row, per field: the first HAYSTACK_ITEMS names or
#: topics, each cut at HAYSTACK_CHARS. One interview with 200,000 topics would otherwise
#: make a row of megabytes, read again at every key typed into the filter.
HAYSTACK_ITEMS = 50
HAYSTACK_CHARS = 200


def _haystack(app: Application, interview: Interview | None) -> str:
    cut = HAYSTACK_CHARS
    parts = [app.company[:cut], app.role[:cut], app.id[:cut]]
    if interview is not None:
        parts += [interview.round[:cut], interview.id[:cut]]
        parts += [name[:cut] for name in interview.interviewers[:HAYSTACK_ITEMS]]
        parts += [topic[:cut] for topic in interview.topics[:HAYSTACK_ITEMS]]
    return "\n".join(parts).lower()


#: An application's status and follow-ups, decided already (by the follow-up cache).
Decided = tuple[StatusInfo, list[FollowUp]]


def rows_of(
    app: Application, now: datetime, rules: Rules, decided: Decided | None = None
) -> list[Row]:
    """The rows of one application at `now` (deciding its follow-ups unless given)."""
    if decided is None:
        decided = (application_status(app, now, rules), follow_ups(app, now, rules))
    status, decisions = decided
    if not app.interviews:
        return [Row(app, None, (), status, None)]
    by_interview: dict[str, list[FollowUp]] = {}
    for follow_up in decisions:
        by_interview.setdefault(follow_up.interview_id, []).append(follow_up)
    return [
        Row(
            app,
            interview,
            tuple(sort_urgent_first(by_interview.get(interview.id, ()))),
            status,
            interview_start(interview, rules.tz),
        )
        for interview in app.interviews
    ]


#: The list's private database: one row per line of the interviews pane, in the
#: urgency order, with what drawing, filtering and counting a line needs. Lines a
#: partial review read beyond its first page are kept (their counts matter) but not
#: `listed`.
_SCHEMA = """
CREATE TABLE rows (
    key TEXT PRIMARY KEY,
    application_id TEXT NOT NULL,
    interview_id TEXT,
    listed INTEGER NOT NULL,
    rank REAL NOT NULL,
    due REAL NOT NULL,
    state TEXT,
    kind TEXT,
    due_at REAL,
    snoozed INTEGER NOT NULL,
    company TEXT NOT NULL,
    role TEXT NOT NULL,
    round TEXT NOT NULL,
    cancelled INTEGER NOT NULL,
    ghosted INTEGER NOT NULL,
    haystack TEXT NOT NULL,
    overdue INTEGER NOT NULL,
    due_count INTEGER NOT NULL,
    waiting INTEGER NOT NULL,
    suppressed INTEGER NOT NULL
);
CREATE INDEX rows_order ON rows (listed, rank, due, key);
CREATE INDEX rows_application ON rows (application_id);
"""
#: The follow-ups not done of a line, by state, in the order of OPEN_STATES.
_COUNT_COLUMNS = ("overdue", "due_count", "waiting", "suppressed")
_LINE_COLUMNS = (
    "key, application_id, interview_id, company, role, round, cancelled, state, kind, "
    "due_at, snoozed, ghosted"
)
_LINE_COLUMNS_OF_R = ", ".join(f"r.{column}" for column in _LINE_COLUMNS.split(", "))
_INSERT = f"INSERT OR REPLACE INTO rows VALUES ({', '.join('?' * 20)})"
#: Lines read from the list's database at a time (a screenful and more).
PAGE = 128
#: Pages a view keeps; past that it starts again (a few screens either way).
PAGES_KEPT = 64


class Line:
    """One line of the interviews pane as drawn, read a page at a time from the list's
    database. `Review.row(key)` gives the whole `Row` (its application read in full)."""

    __slots__ = (
        "key", "application_id", "interview_id", "company", "role", "round", "cancelled",
        "state", "kind", "due_at", "snoozed", "ghosted",
    )

    def __init__(
        self, key: str, application_id: str, interview_id: str | None, company: str,
        role: str, round_: str, cancelled: int, state: str | None, kind: str | None,
        due_at: float | None, snoozed: int, ghosted: int,
    ) -> None:
        self.key = key
        self.application_id = application_id
        self.interview_id = interview_id
        self.company = company
        self.role = role
        self.round = round_
        self.cancelled = bool(cancelled)
        #: The state of the interview's most urgent follow-up (None: it has none).
        self.state: State | None = State(state) if state is not None else None
        self.kind: Kind | None = Kind(kind) if kind is not None else None
        self.due_at: datetime | None = (
            datetime.fromtimestamp(due_at, UTC) if due_at is not None else None
        )
        #: The most urgent follow-up is snoozed: its date is the snooze's end.
        self.snoozed = bool(snoozed)
        #: The application is ghosted at the review's now (SPEC §9).
        self.ghosted = bool(ghosted)

    def __repr__(self) -> str:
        return f"Line({self.key!r}, state={self.state!r})"


def _ghosted(app: Application, now: datetime, rules: Rules) -> bool:
    """Whether the application is ghosted at `now` (only a call made can go unanswered:
    most applications are decided without the insights module)."""
    if not any(event.type is EventType.CALL_MADE for event in app.events):
        return False
    from followup_tui.domain.insights import ghosted

    return ghosted(app, now, rules).ghosted


def _line_values(row: Row, listed: bool, ghosted: bool) -> tuple[object, ...]:
    top = row.pending or row.top
    app, interview = row.application, row.interview
    counts = dict.fromkeys(OPEN_STATES, 0)
    _count(counts, row, 1)
    rank, due, key = row.order
    return (
        key, app.id, interview.id if interview else None, int(listed), rank, due,
        top.state.value if top else None, top.kind.value if top else None,
        top.due_at.timestamp() if top else None, int(top is not None and is_snooze(top)),
        app.company, app.role, interview.round if interview else "",
        int(bool(interview and interview.cancelled)), int(ghosted), row.haystack,
        *(counts[state] for state in OPEN_STATES),
    )


_TOKENS = itertools.count()


class Rows(Sequence[Line]):
    """The lines matching a filter, in the list's order: counted once, read a page at a
    time, never all at once (100,000 lines held as objects were tens of MiB).

    Without words the lines are read along the order's index. With words, every line
    must be read to test them: the matches are gathered in one pass through the table
    (in its own order: along the index the same pass took five times as long) into a
    table of their own, which is then counted and paged."""

    def __init__(
        self, review: Review, where: str, args: tuple[object, ...], *, search: bool = False
    ) -> None:
        self._review = review
        self._where = where
        self._args = args
        self._search = search
        #: Tells this view's gathered matches from another's (see Review.gather).
        self.token = next(_TOKENS)
        self._version = review.version
        self._count: int | None = None
        self._pages: dict[int, list[Line]] = {}

    def _fresh(self) -> None:
        if self._version != self._review.version:  # the review changed under this view
            self._version = self._review.version
            self._count = None
            self._pages.clear()

    def _lines(self) -> tuple[str, tuple[object, ...]]:
        """What to read the lines from: a FROM and WHERE clause, and its arguments."""
        self._fresh()
        if not self._search:
            return f"rows WHERE {self._where}", self._args
        return f"{self._review.gather(self, self._where, self._args)} WHERE 1", ()

    def __len__(self) -> int:
        if self._count is None or self._version != self._review.version:
            source, args = self._lines()
            self._count = int(self._review.conn.execute(
                f"SELECT count(*) FROM {source}", args
            ).fetchone()[0])
        return self._count

    @overload
    def __getitem__(self, index: int) -> Line: ...

    @overload
    def __getitem__(self, index: slice) -> list[Line]: ...

    def __getitem__(self, index: int | slice) -> Line | list[Line]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        count = len(self)
        if index < 0:
            index += count
        if not 0 <= index < count:
            raise IndexError(index)
        page = self._page(index // PAGE)
        if index % PAGE >= len(page):
            raise IndexError(index)
        return page[index % PAGE]

    def _page(self, number: int) -> list[Line]:
        page = self._pages.get(number)
        if page is None:
            if len(self._pages) >= PAGES_KEPT:
                self._pages.clear()
            source, args = self._lines()
            if self._search:  # the matches' keys in order, then their lines by key
                query = (
                    f"SELECT {_LINE_COLUMNS_OF_R} FROM (SELECT key FROM {source} "
                    "ORDER BY rank, due, key LIMIT ? OFFSET ?) AS m "
                    "JOIN rows AS r ON r.key = m.key ORDER BY r.rank, r.due, r.key"
                )
            else:
                query = (
                    f"SELECT {_LINE_COLUMNS} FROM {source} "
                    "ORDER BY rank, due, key LIMIT ? OFFSET ?"
                )
            found = self._review.conn.execute(query, (*args, PAGE, number * PAGE))
            page = self._pages[number] = [Line(*values) for values in found]
        return page

    def __iter__(self) -> Iterator[Line]:
        for index in range(len(self)):
            yield self[index]

    def index_of(self, key: str) -> int | None:
        """Where the line of `key` is among these (None: not among them)."""
        conn = self._review.conn
        source, args = self._lines()
        found = conn.execute(
            f"SELECT rank, due FROM {source} AND key = ?", (*args, key)
        ).fetchone()
        if found is None:
            return None
        return int(conn.execute(
            f"SELECT count(*) FROM {source} AND (rank, due, key) < (?, ?, ?)",
            (*args, *found, key),
        ).fetchone()[0])

    def keys(self) -> list[str]:
        """Every key, in order (reads them all: for tests and small lists)."""
        return [line.key for line in self]


class RowIndex(Mapping[str, Row]):
    """`Review.index`: the whole row of a listed line by its key, read when asked for."""

    def __init__(self, review: Review) -> None:
        self._review = review

    def __getitem__(self, key: str) -> Row:
        row = self._review.row(key)
        if row is None:
            raise KeyError(key)
        return row

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._review.has(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._review.rows.keys())

    def __len__(self) -> int:
        return self._review.total


def _open_list_database() -> sqlite3.Connection:
    """A private database on disk that SQLite deletes when it is closed (its temporary
    database): pages are read as needed, so 100,000 lines cost the app a few MiB.
    Made in one thread (a worker's) and handed to the app's; never used by two at once."""
    conn = sqlite3.connect("", check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA cache_size = -16000")  # KiB: the order index and some pages
    conn.execute("PRAGMA synchronous = OFF")  # derived data: built again if lost
    conn.executescript(_SCHEMA)
    return conn


class Review:
    """Every line of the interviews pane at one `now`, urgent first, with the counts of
    follow-ups not done. The lines live in a private database (see `_SCHEMA`); the
    screens read pages of them (`filtered`) and the whole row of the selected one
    (`row`, its application read from the store)."""

    def __init__(self, now: datetime, conn: sqlite3.Connection | None = None) -> None:
        self.now = now
        self.conn = conn if conn is not None else _open_list_database()
        self.counts: dict[State, int] = dict.fromkeys(OPEN_STATES, 0)
        #: True for the first page shown while the rest loads (the app's start-up).
        self.partial = False
        #: Moves with every change of the lines: views and whole rows read notice it.
        self.version = 0
        #: Where `row` reads an application in full (the app's own store).
        self.store: Store | None = None
        #: What the lines were decided with (set as they are written).
        self.rules: Rules | None = None
        #: The views handed out, held weakly: a view holds its review, and a review
        #: holding its views would be a cycle the app's frozen collector never frees
        #: (each replaced review, its connection and its file, kept for good).
        self._views: WeakValueDictionary[tuple[tuple[str, ...], StateFilter], Rows] = (
            WeakValueDictionary()
        )
        self._rows: dict[str, Row] = {}
        #: `total` and the version it was counted at.
        self._total: tuple[int, int] | None = None
        #: Which search's matches the `found` table holds (its token), at which version.
        self._gathered: tuple[int, int] | None = None

    @classmethod
    def build(
        cls,
        apps: Iterable[Application],
        now: datetime,
        rules: Rules,
        decided: dict[str, Decided] | None = None,
    ) -> Review:
        """Every line at `now`; `decided` (from the follow-up cache) spares deciding again."""
        review = cls(now)
        review.add(apps, rules, decided)
        review.count_all()
        return review

    def add(
        self, apps: Iterable[Application], rules: Rules, decided: dict[str, Decided] | None
    ) -> None:
        """Write these applications' lines (one batch of a larger read: `count_all` adds
        up the counts once every batch is in)."""
        decided = decided or {}
        now = self.now
        self.rules = rules
        values = []
        for app in apps:
            ghosted = _ghosted(app, now, rules)
            for row in rows_of(app, now, rules, decided.get(app.id)):
                values.append(_line_values(row, True, ghosted))
        with self._transaction():
            self.conn.executemany(_INSERT, values)
        self._changed()

    def count_all(self) -> None:
        """The counts, from every line written."""
        sums = ", ".join(f"coalesce(sum({column}), 0)" for column in _COUNT_COLUMNS)
        found = self.conn.execute(f"SELECT {sums} FROM rows").fetchone()
        self.counts = dict(zip(OPEN_STATES, map(int, found), strict=True))

    def close(self) -> None:
        """Let the list's database go (the app has installed another review)."""
        self.conn.close()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        conn = self.conn
        conn.execute("BEGIN")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _changed(self) -> None:
        self.version += 1
        self._views.clear()
        self._rows.clear()

    # --- reading ---------------------------------------------------------------

    @property
    def empty(self) -> bool:
        return self.conn.execute("SELECT 1 FROM rows LIMIT 1").fetchone() is None

    @property
    def rows(self) -> Rows:
        """Every listed line, in order."""
        return self.filtered("", StateFilter.ALL)

    @property
    def total(self) -> int:
        """How many lines are listed (a partial review: its first page), counted once
        per change of the lines (the filter line shows it at every keystroke)."""
        if self._total is None or self._total[0] != self.version:
            self._total = (self.version, len(self.rows))
        return self._total[1]

    def has(self, key: str) -> bool:
        """Whether a line of this key is listed."""
        found = self.conn.execute("SELECT 1 FROM rows WHERE key = ? AND listed = 1", (key,))
        return found.fetchone() is not None

    def line(self, key: str) -> Line | None:
        """The listed line of this key, as drawn (None: no such line)."""
        found = self.conn.execute(
            f"SELECT {_LINE_COLUMNS} FROM rows WHERE key = ? AND listed = 1", (key,)
        ).fetchone()
        return Line(*found) if found is not None else None

    def has_application(self, application_id: str) -> bool:
        """Whether this application has lines (listed or not)."""
        found = self.conn.execute(
            "SELECT 1 FROM rows WHERE application_id = ? LIMIT 1", (application_id,)
        )
        return found.fetchone() is not None

    def application_ids(self) -> list[str]:
        """The applications with lines (listed or not), in no particular order."""
        return [row[0] for row in self.conn.execute("SELECT DISTINCT application_id FROM rows")]

    def row(self, key: str, rules: Rules | None = None) -> Row | None:
        """The whole row of a listed line: its application read in full from `store`,
        its follow-ups decided at `now` (None: no such line, or it is gone)."""
        known = self._rows.get(key)
        if known is not None:
            return known
        rules = rules or self.rules
        found = self.conn.execute(
            "SELECT application_id FROM rows WHERE key = ? AND listed = 1", (key,)
        ).fetchone()
        if found is None or self.store is None or rules is None:
            return None
        app = self.store.load_application(found[0])
        if app is None:
            return None
        for row in rows_of(app, self.now, rules):
            if row.key == key:
                if len(self._rows) >= 16:  # the selection and a few around it
                    self._rows.clear()
                self._rows[key] = row
                return row
        return None

    @property
    def index(self) -> RowIndex:
        """The whole row of each listed line, by key (each read when asked for)."""
        return RowIndex(self)

    def filtered(self, text: str, state: StateFilter) -> Rows:
        """The lines matching every word of `text` (case-insensitive) and the state filter,
        in order: a view that reads pages of them as they are drawn."""
        words = tuple(text.lower().split())
        view = self._views.get((words, state))
        if view is not None:
            return view
        # the state of a line is told by its rank (a range of the order's index)
        where = ["listed = 1"]
        args: list[object] = []
        if state is not StateFilter.ALL:
            ranks = sorted(_NO_INTERVIEW_RANK if s is None else float(s.rank)
                           for s in state.states)
            where.append(f"rank IN ({', '.join('?' * len(ranks))})")
            args += ranks
        for word in words:
            where.append("instr(haystack, ?) > 0")
            args.append(word)
        view = self._views[(words, state)] = Rows(
            self, " AND ".join(where), tuple(args), search=bool(words)
        )
        return view

    def gather(self, view: Rows, where: str, args: tuple[object, ...]) -> str:
        """The table of the lines matching a search (`Rows`), gathered in one pass through
        the lines when it is not the one gathered last, or the lines changed since."""
        if self._gathered != (view.token, self.version):
            conn = self.conn
            conn.execute("DROP TABLE IF EXISTS found")
            conn.execute(
                "CREATE TABLE found AS SELECT rank, due, key FROM rows NOT INDEXED "
                f"WHERE {where}", args,
            )
            conn.execute("CREATE INDEX found_order ON found (rank, due, key)")
            self._gathered = (view.token, self.version)
        return "found"

    # --- changing --------------------------------------------------------------

    def replace_application(
        self, application_id: str, app: Application | None, rules: Rules
    ) -> None:
        """Refresh one application's lines (None: it was deleted)."""
        self.replace_applications({application_id: app}, rules)

    def replace_applications(
        self,
        apps: dict[str, Application | None],
        rules: Rules,
        decided: dict[str, Decided] | None = None,
    ) -> None:
        """Refresh these applications' lines (None: deleted); `decided` (from the
        follow-up cache) spares deciding them again."""
        if not apps:
            return
        conn = self.conn
        ids = json.dumps(list(apps))
        match = "application_id IN (SELECT value FROM json_each(?))"
        old = conn.execute(
            f"SELECT {', '.join(_COUNT_COLUMNS)} FROM rows WHERE {match}", (ids,)
        ).fetchall()
        # a partial review lists only its first page: a line that now belongs below
        # its last (among lines not read yet) is counted, not listed
        last = None
        if self.partial:
            last = conn.execute(
                f"SELECT rank, due, key FROM rows WHERE listed = 1 AND NOT {match} "
                "ORDER BY rank DESC, due DESC, key DESC LIMIT 1", (ids,)
            ).fetchone()
        values = []
        for app in apps.values():
            if app is None:
                continue
            known = decided.get(app.id) if decided is not None else None
            ghosted = _ghosted(app, self.now, rules)
            for row in rows_of(app, self.now, rules, known):
                listed = last is None or row.order <= tuple(last)
                values.append(_line_values(row, listed, ghosted))
        with self._transaction():
            conn.execute(f"DELETE FROM rows WHERE {match}", (ids,))
            conn.executemany(_INSERT, values)
        for counts in old:
            for state, count in zip(OPEN_STATES, counts, strict=True):
                self.counts[state] -= count
        for line in values:
            for state, count in zip(OPEN_STATES, line[-4:], strict=True):
                self.counts[state] += cast("int", count)
        self._changed()

    def move_to(
        self, now: datetime, moved: list[Application], rules: Rules,
        decided: dict[str, Decided],
    ) -> None:
        """The review at another `now`, where only the applications `moved` (read in
        full) may be decided differently (cache.moved_between tells which): only their
        lines are made again, from `decided` where it has them, else decided here."""
        self.now = now
        self._changed()  # whole rows read before were decided at the old now
        self.replace_applications(
            {app.id: app for app in moved if self.has_application(app.id)}, rules, decided
        )

    def keep(self, keys: list[str]) -> None:
        """List only the lines of these keys (the first lines of a partial review)."""
        with self._transaction():
            self.conn.execute(
                "UPDATE rows SET listed = key IN (SELECT value FROM json_each(?))",
                (json.dumps(keys),),
            )
        self._changed()


def _count(counts: dict[State, int], row: Row, step: int) -> None:
    for follow_up in row.follow_ups:
        if follow_up.state is not State.DONE:
            counts[follow_up.state] += step


# --- timeline ------------------------------------------------------------------


class TimelineItem(NamedTuple):
    """Something on the timeline: a logged event, an interview, or a scheduled follow-up."""

    at: datetime
    application: Application
    kind: str  # "event", "interview" or "follow_up"
    title: str
    detail: str = ""
    state: State | None = None
    interview_id: str | None = None
    #: The logged event itself (kind "event"): Enter on it corrects or deletes it.
    event: Event | None = None


class TimelineLine(NamedTuple):
    """A line of the timeline: a day heading, the now marker, or an item."""

    kind: str  # "day", "now" or "item"
    day: date | None = None
    item: TimelineItem | None = None


def timeline_items(
    apps: Iterable[Application], now: datetime, rules: Rules, only: str | None = None,
    decided: dict[str, Decided] | None = None,
) -> list[TimelineItem]:
    """Events, interviews and the follow-ups not done at `now`, oldest first; `decided`
    (from the follow-up cache) spares deciding the follow-ups again."""
    tz = rules.tz
    today = now.astimezone(tz).date()
    items: list[TimelineItem] = []
    pending: list[TimelineItem] = []
    for app in apps:
        if only is not None and app.id != only:
            continue
        for event in app.events:
            title = event.type.label
            if event.kind is not None:
                title = f"{title} ({event.kind.label.lower()})"
            detail = event.text
            if event.until:
                until = parse_moment(event.until, tz).astimezone(tz)
                when = (format_day(until.date(), today) if len(event.until) == 10
                        else format_moment(until, tz, today))
                detail = f"until {when}" + (f" — {detail}" if detail else "")
            items.append(
                TimelineItem(
                    parse_moment(event.at, tz), app, "event", title, detail, None,
                    event.interview, event,
                )
            )
        for interview in app.interviews:
            title = interview_title(interview)
            if interview.cancelled:
                title += " (cancelled)"
            items.append(
                TimelineItem(
                    interview_start(interview, tz), app, "interview", title, "", None, interview.id
                )
            )
        known = decided.get(app.id) if decided is not None else None
        for follow_up in sort_urgent_first(
            known[1] if known is not None else follow_ups(app, now, rules)
        ):
            if follow_up.state is State.DONE:
                continue
            pending.append(
                TimelineItem(
                    follow_up.due_at,
                    app,
                    "follow_up",
                    follow_up.kind.label,
                    follow_up.reason,
                    follow_up.state,
                    follow_up.interview_id,
                )
            )
    items += pending
    items.sort(key=lambda item: item.at)
    return items


#: The most items the timeline of every application holds: those nearest now (the
#: timeline of 100,000 applications has ~400,000 items, each holding its application).
TIMELINE_MOST = 20_000


def timeline_window(
    batches: Iterable[list[Application]],
    now: datetime,
    rules: Rules,
    decided: Callable[[list[str]], dict[str, Decided]] | None = None,
    most: int = TIMELINE_MOST,
) -> tuple[list[TimelineItem], int]:
    """`timeline_items` of every application, read a batch at a time, keeping only the
    `most` items nearest `now` (the latest before it, the earliest after it); also
    how many items there are in all."""
    import heapq

    before: list[tuple[float, int, TimelineItem]] = []  # the latest: a min-heap
    after: list[tuple[float, int, TimelineItem]] = []  # the earliest: negated keys
    seen = 0
    instant = now.timestamp()
    for batch in batches:
        known = decided([app.id for app in batch]) if decided is not None else None
        for item in timeline_items(batch, now, rules, decided=known):
            seen += 1
            at = item.at.timestamp()
            if at <= instant:
                entry = (at, seen, item)
                if len(before) < most:
                    heapq.heappush(before, entry)
                elif entry > before[0]:
                    heapq.heapreplace(before, entry)
            else:
                entry = (-at, -seen, item)
                if len(after) < most:
                    heapq.heappush(after, entry)
                elif entry > after[0]:
                    heapq.heapreplace(after, entry)
    later = [entry[2] for entry in sorted(after, reverse=True)]
    earlier = [entry[2] for entry in sorted(before)]
    # the future first (what is coming is what a person acts on), the past with the rest
    later = later[: max(most // 2, most - len(earlier))]
    earlier = earlier[len(earlier) - (most - len(later)):] if len(earlier) + len(later) > most \
        else earlier
    return earlier + later, seen


def timeline_lines(items: list[TimelineItem], now: datetime, rules: Rules) -> list[TimelineLine]:
    """Items grouped under day headings, with the "now" marker where now falls."""
    tz = rules.tz
    lines: list[TimelineLine] = []
    current: date | None = None
    now_placed = False
    today = now.astimezone(tz).date()
    for item in items:
        day = item.at.astimezone(tz).date()
        if not now_placed and item.at > now:
            if current != today:
                lines.append(TimelineLine("day", today))
                current = today
            lines.append(TimelineLine("now"))
            now_placed = True
        if day != current:
            lines.append(TimelineLine("day", day))
            current = day
        lines.append(TimelineLine("item", day, item))
    if not now_placed:
        if current != today:
            lines.append(TimelineLine("day", today))
        lines.append(TimelineLine("now"))
    return lines


def cancelled_on(app: Application, interview: Interview, tz: tzinfo) -> datetime | None:
    """When a cancelled interview's invitation was cancelled: its calendar note's moment
    (None when it was cancelled otherwise, e.g. by an imported file)."""
    # imported when a cancelled interview is shown: the first frame does without it
    from followup_tui.interchange.invitations.saving import CANCELLED_NOTE, SOURCE

    moments = [
        parse_moment(event.at, tz) for event in app.events
        if event.type is EventType.NOTE and event.source == SOURCE
        and event.interview == interview.id and event.text.startswith(CANCELLED_NOTE)
    ]
    return max(moments) if moments else None


def interview_title(interview: Interview) -> str:
    """"First round interview"; a round named "First interview" is not said twice."""
    round_ = interview.round.strip()
    if not round_:
        return "Interview"
    return round_ if round_.casefold().endswith("interview") else f"{round_} interview"


def status_word(status: StatusInfo) -> str:
    return "active" if status.status is Status.ACTIVE else status.status.value.replace("_", " ")
