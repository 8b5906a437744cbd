"""One scan: read new mail from every source, match, classify, store suggestions.

Everything read is recorded, and every suggestion stored, in one transaction
at the end: a scan that fails (a lost connection, an unreadable folder) records
nothing and can simply be run again.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from followup_tui.domain.model import Application, Rules
from followup_tui.interchange.mail.matching import Matcher

if TYPE_CHECKING:
    from followup_tui.interchange.mail.classification import Suggestion
    from followup_tui.interchange.mail.matching import Match
    from followup_tui.interchange.mail.message import MailFacts
    from followup_tui.interchange.mail.sources import Source

THANK_YOU_SENT = "thank_you_sent"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

#: A first scan reads this far back unless told otherwise.
DEFAULT_SINCE = timedelta(days=60)


@dataclass(slots=True)
class ScanSummary:
    """What a scan did, in counts only: unmatched mail leaves no other trace."""

    read: int = 0  # new messages looked at
    expected: int = 0  # new messages the sources know of so far (a progress total)
    matched: int = 0  # of those, about an application
    suggested: int = 0  # suggestions stored
    already: int = 0  # matched, but suggested before (by Message-ID)
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> count

    def skip(self, reason: str) -> None:
        self.skipped[reason] += 1


@dataclass(slots=True)
class ScanResult:
    summary: ScanSummary
    suggestions: list[Suggestion]  # the new ones, with their row ids in `ids`
    ids: list[int]


def default_since(db: sqlite3.Connection, now: datetime) -> datetime | None:
    """60 days before now for a first scan (nothing read yet), else None."""
    seen = db.execute(
        "SELECT EXISTS (SELECT 1 FROM mail_seen) OR EXISTS (SELECT 1 FROM mail_cursor)"
    ).fetchone()[0]
    return None if seen else now - DEFAULT_SINCE


def scan(
    db: sqlite3.Connection,
    sources: Iterable[Source],
    applications: Sequence[Application],
    me: Iterable[str],
    rules: Rules,
    *,
    since: datetime | None = None,
    summary: ScanSummary | None = None,
) -> ScanResult:
    """Read the new mail of `sources` and store what matched messages suggest.

    `since` leaves out messages dated before it (see `default_since`). Raises
    MailError (a UserError) when a source cannot be read; then nothing is recorded.
    The tables must exist (`create_mail_tables`). `summary`, when given, is counted
    into as the scan goes: another thread may read `read` of `expected` for progress.
    """
    summary = ScanSummary() if summary is None else summary
    matcher = Matcher(applications, me, rules.tz)
    sources = list(sources)
    thanked = {
        interview
        for (interview,) in db.execute(
            "SELECT interview FROM mail_suggestions WHERE type = ? AND state != 'dismissed' "
            "AND interview IS NOT NULL",
            (THANK_YOU_SENT,),
        )
    }
    found: list[Suggestion] = []
    # mail the user sent waits for the end: of several sent after one interview, the
    # earliest is its thank-you, whatever order the files were listed in
    sent: list[tuple[MailFacts, Match, str]] = []
    for source in sources:
        for mail in source.read(db, matcher.may_match, summary, since):
            # loaded for the first message that may match, not for a scan of nothing new
            from followup_tui.interchange.mail.classification import classify  # noqa: PLC0415
            from followup_tui.interchange.mail.message import parse_message  # noqa: PLC0415

            try:
                facts = parse_message(mail.raw, mail.fallback_date)
            except Exception:  # noqa: BLE001 - bad mail is normal mail
                summary.skip("could not be parsed")
                continue
            if facts.date is None:
                summary.skip("no usable date")
                continue
            if since is not None and facts.date < since:
                summary.skip("older than --since")
                continue
            match = matcher.match(facts.sender, facts.recipients, facts.date)
            if match is None:
                continue  # a look-alike header (a name in a Subject, a Cc): not matched
            summary.matched += 1
            if matcher.is_me(facts.sender):
                sent.append((facts, match, source.name))
                continue
            suggestion = classify(facts, match, from_me=False, rules=rules)
            assert suggestion is not None  # received mail always suggests something
            found.append(_with_source(suggestion, source.name))
    for facts, match, name in sorted(sent, key=lambda item: item[0].date or _EPOCH):
        from followup_tui.interchange.mail.classification import classify  # noqa: PLC0415

        suggestion = classify(facts, match, from_me=True, rules=rules,
                              thank_you_suggested=thanked)
        if suggestion is None:
            summary.skip("sent by you, not a thank-you")
            continue
        if suggestion.interview:
            thanked.add(suggestion.interview)
        found.append(_with_source(suggestion, name))
    return _commit(db, sources, found, summary)


def _with_source(suggestion: Suggestion, source: str) -> Suggestion:
    from dataclasses import replace  # noqa: PLC0415

    return replace(suggestion, source=source)


def _commit(
    db: sqlite3.Connection, sources: list[Source], found: list[Suggestion], summary: ScanSummary
) -> ScanResult:
    began = not db.in_transaction
    if began:
        db.execute("BEGIN IMMEDIATE")
    try:
        for source in sources:
            source.record(db)
        stored: list[Suggestion] = []
        ids: list[int] = []
        for s in found:
            cursor = db.execute(
                "INSERT OR IGNORE INTO mail_suggestions (message_id, source, application, "
                "interview, type, at, until, sender, subject, reason, excerpt, body, calendar) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (s.message_id, s.source, s.application, s.interview, s.type, s.at, s.until,
                 s.sender, s.subject, s.reason, s.excerpt, s.body, s.calendar),
            )
            if cursor.rowcount:
                stored.append(s)
                ids.append(int(cursor.lastrowid or 0))
            else:
                summary.already += 1  # pending, accepted or dismissed: never again
        if began:
            db.commit()
    except BaseException:
        if began:
            db.rollback()
        raise
    summary.suggested = len(stored)
    return ScanResult(summary, stored, ids)
