"""The app's view model, without Textual: rows for the interviews pane and the timeline.

States are computed here in one pass over the data and cached by the app until
the data or "now" changes; widgets only look rows up by index. Filtering scans
the cached rows, never the database.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable
from datetime import date, datetime, tzinfo
from enum import Enum
from typing import NamedTuple

from followup_tui.domain.model import (
    OPEN_STATES,
    Application,
    Event,
    EventType,
    FollowUp,
    Interview,
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
    parse_moment,
)
from followup_tui.domain.urgency import sort_urgent_first

#: Rank of an application that has no interview yet: after suppressed, before done.
_NO_INTERVIEW_RANK = State.SUPPRESSED.rank + 0.5


class Row:
    """One line of the interviews pane: an interview (or an application without one).

    A plain slotted class (treat it as a value): 10,000 are made at every launch.
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
        #: What the text filter searches, made when first filtered (None until then):
        #: at 100,000 rows the strings were ~20 MiB held by a list never filtered.
        self._haystack = haystack
        top = follow_ups[0] if follow_ups else None
        #: The urgency order (domain.urgency: state, then due_at) of its most urgent
        #: follow-up, then the key; computed once, as floats: sorting 10,000 rows
        #: compares it ~150,000 times.
        self.order: tuple[float, float, str] = (
            (_NO_INTERVIEW_RANK, float("inf"), self.key) if top is None
            else (float(top.state.rank), top.due_at.timestamp(), self.key)
        )
        #: The state of the most urgent follow-up (None without an interview), computed
        #: once: the state filter reads it for every row on every change.
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


def _order(row: Row) -> tuple[float, float, str]:
    return row.order


def _without(rows: list[Row], leaving: list[Row]) -> list[Row]:
    """A copy of `rows` (in urgency order) less `leaving`: a few are found by bisection,
    where a pass over 125,000 rows costs ~80 ms."""
    if len(leaving) <= 2000:
        kept = list(rows)
        for row in leaving:
            at = bisect_left(kept, row.order, key=_order)
            if at < len(kept) and kept[at] is row:
                del kept[at]
            else:  # not where its order says (never expected): a plain pass instead
                break
        else:
            return kept
    gone = {id(row) for row in leaving}
    return [row for row in rows if id(row) not in gone]


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


class Review:
    """Every row at one `now`, urgent first, with the counts of follow-ups not done."""

    def __init__(
        self,
        now: datetime,
        rows: list[Row],
        counts: dict[State, int],
        applications: dict[str, Application],
        index: dict[str, Row] | None = None,
        partial: bool = False,
    ) -> None:
        self.now = now
        self.rows = rows
        self.counts = counts
        self.applications = applications
        #: Row by `Row.key`, so the app finds the selection without a scan.
        self.index = index or {row.key: row for row in rows}
        #: True for the first page shown while the rest loads (the app's start-up).
        self.partial = partial
        #: The last filter's words, state and rows (see `filtered`); None after any change.
        self._last_filter: tuple[list[str], StateFilter, list[Row]] | None = None
        self._state_rows: dict[StateFilter, list[Row]] = {}
        #: Of a partial review, the rows of its applications that belong below its first
        #: rows (among rows not read yet): counted, not listed.
        self._beyond: dict[str, list[Row]] = {}

    @classmethod
    def build(
        cls,
        apps: Iterable[Application],
        now: datetime,
        rules: Rules,
        decided: dict[str, Decided] | None = None,
    ) -> Review:
        """Every row at `now`; `decided` (from the follow-up cache) spares deciding again."""
        rows: list[Row] = []
        counts = dict.fromkeys(OPEN_STATES, 0)
        by_id: dict[str, Application] = {}
        decided = decided or {}
        for app in apps:
            by_id[app.id] = app
            for row in rows_of(app, now, rules, decided.get(app.id)):
                rows.append(row)
                _count(counts, row, 1)
        rows.sort(key=_order)
        return cls(now, rows, counts, by_id)

    def replace_application(
        self, application_id: str, app: Application | None, rules: Rules
    ) -> None:
        """Refresh one application's rows in place (None: it was deleted)."""
        self.replace_applications({application_id: app}, rules)

    def replace_applications(
        self,
        apps: dict[str, Application | None],
        rules: Rules,
        decided: dict[str, Decided] | None = None,
    ) -> None:
        """Refresh these applications' rows in place, found by their keys (None:
        deleted); `decided` (from the follow-up cache) spares deciding them again."""
        if not apps:
            return
        self._forget_filters()
        leaving = [row for app_id in apps for row in self._listed_rows(app_id)]
        for row in leaving:
            self.index.pop(row.key, None)
            _count(self.counts, row, -1)
        kept = _without(self.rows, leaving)
        added: list[Row] = []
        for application_id, app in apps.items():
            for row in self._beyond.pop(application_id, ()):
                _count(self.counts, row, -1)
            self.applications.pop(application_id, None)
            if app is None:
                continue
            self.applications[app.id] = app
            known = decided.get(app.id) if decided is not None else None
            for row in rows_of(app, self.now, rules, known):
                _count(self.counts, row, 1)
                if self.partial and kept and row.order > kept[-1].order:
                    self._beyond.setdefault(app.id, []).append(row)
                    continue
                added.append(row)
                self.index[row.key] = row
        if len(added) <= 2000:  # each a bisect and a move: at 125,000 rows, cheaper than a sort
            for row in added:
                insort(kept, row, key=_order)
        else:  # two sorted runs: one merge
            added.sort(key=_order)
            kept += added
            kept.sort(key=_order)
        self.rows = kept

    def _listed_rows(self, application_id: str) -> list[Row]:
        """The rows of this application in the list (found by their keys, not a scan)."""
        app = self.applications.get(application_id)
        if app is None:
            return []
        keys = [interview.id for interview in app.interviews] or [f"app:{app.id}"]
        return [
            row for key in keys
            if (row := self.index.get(key)) is not None and row.application.id == app.id
        ]

    def move_to(
        self, now: datetime, moved: list[str], rules: Rules, decided: dict[str, Decided]
    ) -> None:
        """The review at another `now`, where only the applications `moved` may be decided
        differently (cache.moved_between tells which): only their rows are made again,
        from `decided` where it has them, else decided here."""
        self.now = now
        self.replace_applications(
            {app_id: self.applications[app_id] for app_id in moved
             if app_id in self.applications},
            rules, decided,
        )

    def keep(self, keys: list[str]) -> None:
        """Keep only the rows of these keys (the first rows of a partial review)."""
        wanted = set(keys)
        self._forget_filters()
        kept = []
        for row in self.rows:
            if row.key in wanted:
                kept.append(row)
            else:
                self._beyond.setdefault(row.application.id, []).append(row)
        self.rows = kept
        self.index = {row.key: row for row in kept}

    def _forget_filters(self) -> None:
        self._last_filter = None
        self._state_rows.clear()

    @property
    def empty(self) -> bool:
        return not self.applications

    def filtered(self, text: str, state: StateFilter) -> list[Row]:
        """The rows matching every word of `text` (case-insensitive) and the state filter.

        One pass for the state (kept until the data changes), then one per word,
        each a plain comprehension: ~15 ms at 100,000 applications, where testing
        everything row by row took ~150 ms a keystroke. While typing, a filter that
        only adds to the last one starts from the rows that matched it.
        """
        words = text.lower().split()
        last = self._last_filter
        rows: list[Row]
        if last is not None and last[1] is state and _narrows(last[0], words):
            rows = last[2]
        elif state in self._state_rows:
            rows = self._state_rows[state]
        else:
            admitted = state.states
            rows = self.rows if state is StateFilter.ALL else [
                row for row in self.rows if row.state in admitted
            ]
            self._state_rows[state] = rows
        for word in words:
            rows = [row for row in rows if word in row.haystack]
        self._last_filter = (words, state, rows)
        return rows


def _narrows(before: list[str], after: list[str]) -> bool:
    """Whether every row matching all the words `after` matches all those `before` too."""
    return all(any(old in new for new in after) for old in before)


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
    apps: Iterable[Application], review: Review, rules: Rules, only: str | None = None
) -> list[TimelineItem]:
    """Events, interviews and the follow-ups not done, oldest first."""
    tz = rules.tz
    items: list[TimelineItem] = []
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
                today = review.now.astimezone(tz).date()
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
    for row in review.rows:
        if only is not None and row.application.id != only:
            continue
        for follow_up in row.follow_ups:
            if follow_up.state is State.DONE:
                continue
            items.append(
                TimelineItem(
                    follow_up.due_at,
                    row.application,
                    "follow_up",
                    follow_up.kind.label,
                    follow_up.reason,
                    follow_up.state,
                    follow_up.interview_id,
                )
            )
    items.sort(key=lambda item: item.at)
    return items


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
