"""The follow-up cache: states computed once, kept until they can change.

Deciding every follow-up of 10,000 applications takes Python a few hundred
milliseconds; `due` is run from shell prompts and cron and should take about
as long as Taskwarrior's `task next`. So the computed follow-ups are kept in
two tables of the database:

- `followup_rows`: one row per follow-up (state, `due_at`, reason);
- `followup_spans`: per application, the span `[since, until)` of time in
  which its follow-ups cannot change (`rules.validity`), and a stamp of the
  rules they were computed with;
- `insight_rows`: per application, what `stats` adds up and whether it is
  ghosted (`insights.Standing`), decided in the same pass; the span is cut
  where that may change too (`insights.insight_points`).

Triggers on the data tables delete an application's span whenever anything
of it changes, whichever process writes; rows of an application without a span
are stale and every read leaves them out (the next refresh replaces them). An
application is recomputed when it has no span, its stamp differs (another
config, another version of the rules), or `now` is outside its span.
Everything else is read as it is.

The cache is derived data: deleting it loses nothing.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from followup_tui.domain.model import (
    OPEN_STATES,
    Application,
    FollowUp,
    Kind,
    Rules,
    State,
    Status,
)
from followup_tui.domain.rules import StatusInfo, application_status, follow_ups, validity
from followup_tui.domain.urgency import urgency, urgency_sql

#: Applications decided per write transaction when the cache is refreshed.
REFRESH_BATCH = 2000

if TYPE_CHECKING:
    from followup_tui.domain.insights import Facts, Stats
    from followup_tui.storage.store import Store

class DueItem(NamedTuple):
    """One follow-up as `due`, `export` and the app's lists read it."""

    application: str
    company: str
    role: str
    interview: str
    kind: Kind
    state: State
    due_at: datetime  # UTC
    reason: str
    #: Whether the application is ghosted at the moment read (SPEC §9: a label).
    ghosted: bool = False


def stamp(rules: Rules, fingerprint: str) -> str:
    """What the cached rows depend on besides the data: the code that decides and
    stores them, the settings, and the holiday calendar's version."""
    import followup_tui.domain.model as model_module
    import followup_tui.domain.rules as rules_module

    # a checksum, not a cryptographic hash: it only has to notice that the code changed
    # (and zlib is loaded already, where hashlib costs ~3 ms of OpenSSL at start-up)
    digest = 0
    # insights.py by its path: `due` imports it only when something is stale (~5 ms)
    insights_file = Path(rules_module.__file__).with_name("insights.py")
    for module_file in (model_module.__file__, rules_module.__file__, insights_file, __file__):
        digest = zlib.crc32(Path(module_file).read_bytes(), digest)
    holidays_version = ""
    if fingerprint.strip("/"):  # a calendar is configured, so the package is loaded
        import holidays

        holidays_version = str(getattr(holidays, "__version__", ""))
    settings = (rules.tz, rules.thank_you_window_hours, rules.call_after_business_days,
                rules.ghosted_after_business_days)
    return "|".join(map(str, (f"{digest:08x}", *settings, fingerprint, holidays_version)))


def _key(moment: datetime) -> str:
    """A UTC time as fixed-width text, so SQLite compares it in time order."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def _from_key(key: str) -> datetime:
    return datetime.fromisoformat(key).replace(tzinfo=UTC)


#: The applications without a span (a change deleted it): looked for only when the
#: counts say some are missing.
_MISSING = """
SELECT a.id FROM applications a
WHERE (SELECT count(*) FROM applications) <> (SELECT count(*) FROM followup_spans)
  AND NOT EXISTS (SELECT 1 FROM followup_spans s WHERE s.application_id = a.id)
"""


def _not_holding(*moments: str, union: str = " UNION ") -> str:
    """The spans that do not hold at these moments (named parameters) or have another
    stamp than :stamp: index ranges, joined by `union`."""
    ranges = ["stamp < :stamp", "stamp > :stamp"]
    for moment in moments:
        ranges += [f"since > :{moment}", f"until <= :{moment}"]
    return union.join(
        f"SELECT application_id FROM followup_spans WHERE {where}" for where in ranges
    ) + union + _MISSING


#: The applications whose cached follow-ups do not hold at :now with :stamp. Index
#: ranges, not a scan of every application.
_STALE = _not_holding("now")
#: The same, possibly twice over, and read no further than a LIMIT asks: UNION sorts
#: every stale application first (when all are stale, ~20 ms a batch at 30,000).
_STALE_ANY = _not_holding("now", union=" UNION ALL ")


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _span(
    app: Application, the_facts: Facts, now: datetime, rules: Rules
) -> tuple[datetime | None, datetime | None]:
    """The follow-ups' span (`rules.validity`) cut where the insights may change."""
    from followup_tui.domain.insights import insight_points

    since, until = validity(app, now, rules)
    utc_now = now.astimezone(UTC)
    for point in insight_points(the_facts, rules):
        if point <= utc_now:
            since = point if since is None or point > since else since
        elif until is None or point < until:
            until = point
    return since, until


def _rows_for(
    apps: Iterable[Application], now: datetime, rules: Rules, mark: str
) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]], list[tuple[object, ...]]]:
    from followup_tui.domain.insights import facts, standing

    spans: list[tuple[object, ...]] = []
    rows: list[tuple[object, ...]] = []
    insights: list[tuple[object, ...]] = []
    for app in apps:
        the_facts = facts(app, rules)
        since, until = _span(app, the_facts, now, rules)
        status = application_status(app, now, rules)
        spans.append(
            (
                app.id,
                mark,
                since and _key(since),
                until and _key(until),
                status.status.value,
                status.since and _key(status.since),
            )
        )
        one = standing(the_facts, now, rules)
        insights.append(
            (
                app.id, mark, since and _key(since), until and _key(until), app.company,
                app.role, one.status.value, one.stage, int(one.interviewed),
                one.days_to_response, one.thank_yous_sent, one.thank_yous_on_time,
                _day(one.ghosted_called), _day(one.ghosted_since), _day(one.first_activity),
            )
        )
        for f in follow_ups(app, now, rules):
            rows.append(
                (
                    app.id,
                    f.interview_id,
                    f.kind.value,
                    f.state.value,
                    f.state.rank,
                    _key(f.due_at),
                    f.reason,
                )
            )
    return spans, rows, insights


# Nothing is stale when every application has a span (spans belong to applications,
# one each), every span has this stamp, and `now` is inside every span: counts from
# covering indexes and four index lookups; _STALE then says which are not.
_FRESH = """
SELECT (SELECT count(*) FROM applications) = (SELECT count(*) FROM followup_spans)
   AND NOT EXISTS (SELECT 1 FROM followup_spans WHERE stamp < :stamp OR stamp > :stamp)
   AND coalesce((SELECT max(since) FROM followup_spans) <= :now, 1)
   AND coalesce((SELECT min(until) FROM followup_spans) > :now, 1)
"""


def fresh(store: Store, now: datetime, mark: str) -> bool:
    """Whether every application's cached follow-ups hold at `now` with these rules."""
    args = {"stamp": mark, "now": _key(now)}
    return bool(store.conn.execute(_FRESH, args).fetchone()[0])


def count_stale(store: Store, now: datetime, mark: str, limit: int) -> int:
    """How many applications `refresh` would decide again at `now` (counted up to `limit`)."""
    if fresh(store, now, mark):
        return 0
    args = {"stamp": mark, "now": _key(now), "limit": limit}
    query = f"SELECT count(*) FROM ({_STALE} LIMIT :limit)"
    return int(store.conn.execute(query, args).fetchone()[0])


def refresh(store: Store, now: datetime, rules: Rules, mark: str) -> int:
    """Recompute what is stale at `now`; returns how many applications were recomputed.

    Reading, computing and writing happen in one write transaction, so a change
    another process commits meanwhile cannot be overwritten by older results.
    """
    conn = store.conn
    if fresh(store, now, mark):
        return 0
    args = {"stamp": mark, "now": _key(now), "batch": REFRESH_BATCH}
    done = 0
    # each batch leaves its applications fresh, so this ends; the bound is a safety net
    batches = store.count_applications() // REFRESH_BATCH + 2
    # Derived data need not wait for the disk: without the fsync of each commit
    # (~10 ms here) a power cut may lose the last refreshes, never the records, and
    # the cache stays consistent (the next refresh redoes what was lost).
    # (In WAL mode only: with a rollback journal NORMAL could corrupt the file on power
    # loss. SQLite refuses the change inside a transaction: then the caller's stands.)
    synchronous = conn.execute("PRAGMA synchronous").fetchone()[0]
    relaxed = (
        not conn.in_transaction
        and conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    )
    if relaxed:
        conn.execute("PRAGMA synchronous = NORMAL")
    try:
        # fresh at the start was asked above; after each batch below
        while batches:
            batches -= 1
            # in batches, each its own transaction, so a writer elsewhere never waits long
            with store.locked():
                found = conn.execute(_STALE_ANY + " LIMIT :batch", args)
                stale = list(dict.fromkeys(row[0] for row in found))
                apps = store.load_many(stale, details=False)
                spans, rows, insights = _rows_for(apps, now, rules, mark)
                conn.executemany(
                    "DELETE FROM followup_rows WHERE application_id = ?",
                    ((s[0],) for s in spans),
                )
                conn.executemany(
                    "INSERT OR REPLACE INTO followup_spans VALUES (?, ?, ?, ?, ?, ?)", spans
                )
                conn.executemany("INSERT INTO followup_rows VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
                conn.executemany(
                    "INSERT OR REPLACE INTO insight_rows VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    insights,
                )
            done += len(stale)
            if fresh(store, now, mark):
                break
    finally:
        if relaxed:
            conn.execute(f"PRAGMA synchronous = {int(synchronous)}")
    return done


@contextmanager
def snapshot(store: Store) -> Iterator[None]:
    """Every read inside sees the same committed state, whoever writes meanwhile."""
    conn = store.conn
    if conn.in_transaction:  # inside the caller's transaction already
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")


def moved_between(
    store: Store, then: datetime, now: datetime, mark: str
) -> tuple[list[str], dict[str, tuple[StatusInfo, list[FollowUp]]]]:
    """What a review built at `then` needs to stand at `now` (after `refresh` at `now`):
    the applications that may be decided differently at the two moments, and of those
    the cached decisions that hold at `now`.

    An application whose cached span holds at both moments is decided the same at both
    (the rest of the list stays as it is). Any other may differ: its span does not hold
    at `then` or at `now` (another program may have refreshed the cache at a third
    moment since), it has another stamp, or no span (changed since). Their decisions
    are given only where the span holds at `now`; the others the caller decides itself.
    Index ranges and one snapshot, not a scan.
    """
    import json

    args = {"then": _key(then), "now": _key(now), "stamp": mark}
    with snapshot(store):
        query = _not_holding("then", "now")
        moved = [row[0] for row in store.conn.execute(query, args)]
        decided = read_by_application(store, moved)
        for app_id, stamp, since, until in store.conn.execute(
            "SELECT application_id, stamp, since, until FROM followup_spans "
            "WHERE application_id IN (SELECT value FROM json_each(?))",
            (json.dumps(moved),),
        ):
            holds = stamp == mark and (since is None or since <= args["now"]) and (
                until is None or args["now"] < until
            )
            if not holds:
                decided.pop(app_id, None)
    return moved, decided


def read(store: Store, *, all_states: bool) -> tuple[list[DueItem], dict[State, int]]:
    """The cached follow-ups, urgent first (only overdue and due unless `all_states`)."""
    conn = store.conn
    limit = State.DONE.rank if all_states else State.DUE.rank
    items = [
        DueItem(
            app_id, company, role, interview, Kind(kind), State(state), _from_key(due_at), reason,
            bool(ghost),
        )
        for app_id, company, role, interview, kind, state, due_at, reason, ghost in conn.execute(
            "SELECT r.application_id, a.company, a.role, r.interview_id, r.kind, r.state, "
            "r.due_at, r.reason, i.ghosted_since IS NOT NULL FROM followup_rows r "
            "JOIN applications a ON a.id = r.application_id JOIN followup_spans s "
            "ON s.application_id = r.application_id "
            "LEFT JOIN insight_rows i ON i.application_id = r.application_id WHERE r.rank <= ? "
            f"ORDER BY {urgency_sql('r')}, a.rowid, r.interview_id, r.kind",
            (limit,),
        )
    ]
    return items, counts(store)


def most_urgent_rows(store: Store, count: int) -> tuple[list[str], list[str]]:
    """The first `count` interviews of the app's list that have a follow-up not done,
    and their applications, in list order.

    An interview's place in the list is that of its most urgent follow-up (state,
    then `due_at`, then the interview's id), so the interviews in the order they
    first appear among the follow-ups, sorted that way, are the list's order.
    """
    interviews: dict[str, None] = {}
    applications: dict[str, None] = {}
    rows = store.conn.execute(
        "SELECT application_id, interview_id FROM followup_rows "
        "JOIN followup_spans USING (application_id) WHERE rank < ? "
        f"ORDER BY {urgency_sql()}, interview_id",
        (State.DONE.rank,),
    )
    for app_id, interview_id in rows:
        if interview_id in interviews:
            continue
        if len(interviews) == count:
            break
        interviews[interview_id] = None
        applications.setdefault(app_id)
    rows.close()
    return list(applications), list(interviews)


def counts(store: Store) -> dict[State, int]:
    """How many follow-ups are in each state that is not done (`OPEN_STATES`)."""
    result = dict.fromkeys(OPEN_STATES, 0)
    marks = ", ".join("?" * len(OPEN_STATES))
    # Read from the covering index on (state, application_id) alone. Rows without a span
    # are stale; there are none when every application has a span, and only then is the
    # look-up of each row's span (30,000 at 100,000 applications) skipped.
    for state, count in store.conn.execute(
        f"SELECT state, count(*) FROM followup_rows WHERE state IN ({marks}) AND ("
        "(SELECT count(*) FROM applications) = (SELECT count(*) FROM followup_spans) "
        "OR application_id IN (SELECT application_id FROM followup_spans)) GROUP BY state",
        [state.value for state in OPEN_STATES],
    ):
        result[State(state)] = count
    return result


def read_by_application(
    store: Store, ids: list[str] | None = None, *, holding: tuple[datetime, str] | None = None
) -> dict[str, tuple[StatusInfo, list[FollowUp]]]:
    """Cached applications' status and follow-ups (as `follow_ups` would give them).

    The app builds its lists from this after `refresh`, instead of deciding
    every follow-up again. `ids` limits it to those applications; `holding`
    (a moment and a stamp) to those whose cached follow-ups hold then.
    """
    conn = store.conn
    match, args = "", tuple[str, ...]()
    if ids is not None:
        import json

        match = "WHERE application_id IN (SELECT value FROM json_each(?))"
        args = (json.dumps(ids),)
    spans_match = match
    if holding is not None:
        at, mark = holding
        spans_match = (f"{match} AND " if match else "WHERE ") + (
            "stamp = ? AND coalesce(since <= ?, 1) AND coalesce(? < until, 1)"
        )
        args_spans: tuple[str, ...] = (*args, mark, _key(at), _key(at))
    else:
        args_spans = args
    result: dict[str, tuple[StatusInfo, list[FollowUp]]] = {}
    statuses = {member.value: member for member in Status}
    for app_id, status, since in conn.execute(
        f"SELECT application_id, status, status_since FROM followup_spans {spans_match}",
        args_spans,
    ):
        info = StatusInfo(statuses[status], _from_key(since) if since else None)
        result[app_id] = (info, [])
    kinds = {member.value: member for member in Kind}
    states = {member.value: member for member in State}
    # one object per distinct id and moment: SQLite returns new ones for every row, and
    # the app holds these for as long as it runs (each interview has two follow-ups)
    shared: dict[str, str] = {}
    moments: dict[str, datetime] = {}
    for app_id, interview, kind, state, due_at, reason in conn.execute(
        "SELECT application_id, interview_id, kind, state, due_at, reason FROM followup_rows "
        f"{match} ORDER BY rowid",
        args,
    ):
        if app_id not in result:
            continue  # changed since the refresh: decided afresh by the caller
        moment = moments.get(due_at)
        if moment is None:
            moment = moments[due_at] = _from_key(due_at)
        result[app_id][1].append(
            FollowUp(shared.setdefault(app_id, app_id), shared.setdefault(interview, interview),
                     kinds[kind], states[state], moment, reason)
        )
    return result


def compute(
    apps: list[Application], now: datetime, rules: Rules, *, all_states: bool
) -> tuple[list[DueItem], dict[State, int]]:
    """The same answer as `refresh` + `read`, computed in memory (when the file is read-only)."""
    from followup_tui.domain.insights import ghosted

    order = {app.id: n for n, app in enumerate(apps)}
    items, counts = [], dict.fromkeys(OPEN_STATES, 0)
    for app in apps:
        ghost: bool | None = None
        for f in follow_ups(app, now, rules):
            if f.state in counts:
                counts[f.state] += 1
            if all_states or f.state.needs_action:
                if ghost is None:
                    ghost = ghosted(app, now, rules).ghosted
                items.append(
                    DueItem(
                        app.id,
                        app.company,
                        app.role,
                        f.interview_id,
                        f.kind,
                        f.state,
                        f.due_at.astimezone(UTC),
                        f.reason,
                        ghost,
                    )
                )
    # `read`'s order: the urgency order, then the order the applications were stored in
    items.sort(key=lambda i: (*urgency(i.state, i.due_at), order[i.application], i.interview,
                              i.kind.value))
    return items, counts


#: The insight rows that hold at :now with :stamp (their span and stamp are copies of
#: the application's `followup_spans` row, deleted with it).
_INSIGHTS_HOLD = (
    "stamp = :stamp AND coalesce(since <= :now, 1) AND coalesce(:now < until, 1)"
)
#: `stats --since`: the application's first activity on or after :since.
_COUNTS_SINCE = "(:since IS NULL OR first_activity >= :since)"


def insight_stats(
    store: Store, now: datetime, rules: Rules, mark: str, since: date | None = None
) -> Stats:
    """`insights.stats` of every stored application at `now`, through the cache.

    The applications that went stale are decided again (`refresh`); the rest are
    added up in SQL from their `insight_rows`, a few scans of one table. One that
    another process changed between the refresh and the read is decided here.
    """
    from followup_tui.domain.insights import Tally, counts_since, facts, standing

    refresh(store, now, rules, mark)
    conn = store.conn
    args = {"stamp": mark, "now": _key(now), "since": since and since.isoformat()}
    tally = Tally(now, rules)
    statuses = {member.value: member for member in Status}
    held = 0
    with snapshot(store):
        for status, counted, count, *sums in conn.execute(
            f"SELECT status, {_COUNTS_SINCE}, count(*), sum(stage >= 1), sum(stage >= 2), "
            "sum(stage >= 3), sum(stage >= 4), sum(interviewed), sum(thank_yous_sent), "
            f"sum(thank_yous_on_time) FROM insight_rows WHERE {_INSIGHTS_HOLD} "
            f"GROUP BY status, {_COUNTS_SINCE}",
            args,
        ):
            held += count
            if not counted:
                continue
            tally.count += count
            tally.by_status[statuses[status]] += count
            tally.reached[0] += count
            for stage in range(1, len(tally.reached)):
                tally.reached[stage] += sums[stage - 1]
            interviewed, sent, on_time = sums[len(tally.reached) - 1:]
            tally.interviewed += interviewed
            tally.sent += sent
            tally.on_time += on_time
        for company, days, count in conn.execute(
            "SELECT company, days_to_response, count(*) FROM insight_rows "
            f"WHERE days_to_response IS NOT NULL AND {_INSIGHTS_HOLD} AND {_COUNTS_SINCE} "
            "GROUP BY company, days_to_response",
            args,
        ):
            tally.days.setdefault(company, []).extend([days] * count)
        day = date.fromisoformat
        for app_id, company, role, called, ghost_since in conn.execute(
            "SELECT application_id, company, role, ghosted_called, ghosted_since "
            f"FROM insight_rows WHERE ghosted_since IS NOT NULL AND {_INSIGHTS_HOLD} "
            f"AND {_COUNTS_SINCE}",
            args,
        ):
            tally.add_ghost(app_id, company, role, day(called), day(ghost_since))
        if held != store.count_applications():
            missing = [
                row[0] for row in conn.execute(
                    "SELECT id FROM applications WHERE id NOT IN (SELECT application_id "
                    f"FROM insight_rows WHERE {_INSIGHTS_HOLD})",
                    args,
                )
            ]
            for app in store.load_many(missing, details=False):
                one = standing(facts(app, rules), now, rules)
                if counts_since(one, since):
                    tally.add(one)
    return tally.result(since)
