"""The database's schema, every table of it, and the migrations that build it.

The store (followup_tui.storage.store) runs MIGRATIONS[n] to take a file at
schema version n to n + 1, inside one transaction, after a backup. The follow-up
cache's tables live here too: it is derived data, but its triggers are part of
the data tables' definition.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

#: Written to `PRAGMA application_id` so another program's SQLite file is recognised.
APPLICATION_ID = 0x46555449  # "FUTI"
SCHEMA_VERSION = 8


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Statement by statement inside the caller's transaction (`executescript`
    would commit it); `complete_statement` knows a trigger's body is one."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""


# --- version 1: the data ------------------------------------------------------------

SCHEMA_V1 = """
CREATE TABLE applications (
    id TEXT PRIMARY KEY,
    company TEXT NOT NULL,
    role TEXT NOT NULL,
    link TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT ''
);
CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT ''
);
CREATE TABLE interviews (
    id TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    starts_at TEXT NOT NULL,
    ends_at TEXT,
    duration_minutes INTEGER,
    format TEXT,
    round TEXT NOT NULL DEFAULT '',
    interviewers TEXT NOT NULL DEFAULT '[]',
    topics TEXT NOT NULL DEFAULT '[]',
    fit_points TEXT NOT NULL DEFAULT '[]',
    decision_by TEXT,
    notes TEXT NOT NULL DEFAULT ''
);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    type TEXT NOT NULL,
    interview_id TEXT REFERENCES interviews(id) ON DELETE SET NULL,
    kind TEXT,
    until TEXT,
    text TEXT NOT NULL DEFAULT ''
);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT
);
CREATE INDEX contacts_application ON contacts(application_id);
CREATE INDEX interviews_application ON interviews(application_id);
CREATE INDEX events_application ON events(application_id);
CREATE INDEX events_interview ON events(interview_id);
"""


#: The tables whose changes make an application's cached follow-ups stale.
_DATA_TABLES = {"applications": "id", "interviews": "application_id", "events": "application_id"}

# --- version 2: the follow-up cache (see followup_tui.storage.cache) ---------------

CACHE_SCHEMA = """
CREATE TABLE followup_spans (
    application_id TEXT PRIMARY KEY REFERENCES applications(id) ON DELETE CASCADE,
    stamp TEXT NOT NULL,
    since TEXT,
    until TEXT,
    status TEXT NOT NULL,
    status_since TEXT
);
CREATE TABLE followup_rows (
    application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    interview_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    rank INTEGER NOT NULL,
    due_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (interview_id, kind)
);
CREATE INDEX followup_rows_urgency ON followup_rows(rank, due_at);
CREATE INDEX followup_rows_application ON followup_rows(application_id);
""" + "".join(
    f"""
CREATE TRIGGER {table}_insert_invalidates AFTER INSERT ON {table} BEGIN
    DELETE FROM followup_spans WHERE application_id = NEW.{column};
END;
CREATE TRIGGER {table}_update_invalidates AFTER UPDATE ON {table} BEGIN
    DELETE FROM followup_spans WHERE application_id IN (OLD.{column}, NEW.{column});
END;
CREATE TRIGGER {table}_delete_invalidates AFTER DELETE ON {table} BEGIN
    DELETE FROM followup_spans WHERE application_id = OLD.{column};
END;
"""
    for table, column in _DATA_TABLES.items()
)


# --- version 3 ----------------------------------------------------------------------

#: Schema 3: what lets the app and `due` tell in a few index lookups that nothing is
#: stale (`fresh`), and count the states without reading every row (`counts`).
CACHE_INDEXES = """
CREATE INDEX followup_spans_stamp ON followup_spans(stamp);
CREATE INDEX followup_spans_since ON followup_spans(since);
CREATE INDEX followup_spans_until ON followup_spans(until);
CREATE INDEX followup_rows_state ON followup_rows(state, application_id);
"""


# --- version 4 ----------------------------------------------------------------------

#: Schema 4: a number every change to the data moves and the cache's writes do not, so
#: an open app tells another program's change (read everything again) from its cache
#: refresh (`due` at a shell prompt: nothing to read). Row triggers, as SQLite has no
#: other kind: ~1 µs a row written, ~0.5 s of a 100,000-application import.
GENERATION = "CREATE TABLE data_generation (n INTEGER NOT NULL);\n" + "".join(
    f"""
CREATE TRIGGER {table}_{event.lower()}_counts AFTER {event} ON {table} BEGIN
    UPDATE data_generation SET n = n + 1;
END;
"""
    for table in ("applications", "contacts", "interviews", "events")
    for event in ("INSERT", "UPDATE", "DELETE")
)


def _add_data_generation(conn: sqlite3.Connection) -> None:
    run_script(conn, GENERATION)
    conn.execute("INSERT INTO data_generation (n) VALUES (0)")


# --- version 5 ----------------------------------------------------------------------

#: Schema 5: the optional fields of the interchange format's additions (SPEC §3.1):
#: where an event came from, the invitation an interview came from, whether it was
#: called off, and when the application was sent. The cache's and the generation's
#: triggers fire on an update of any column, so these invalidate it as the rest do.
SCHEMA_V5 = """
ALTER TABLE events ADD COLUMN source TEXT;
ALTER TABLE events ADD COLUMN message_id TEXT;
ALTER TABLE interviews ADD COLUMN uid TEXT;
ALTER TABLE interviews ADD COLUMN sequence INTEGER;
ALTER TABLE interviews ADD COLUMN cancelled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE applications ADD COLUMN applied_on TEXT;
"""


# --- version 6 ----------------------------------------------------------------------

#: Schema 6: what `notify` has told (followup_tui.integrations.notify), so a cron job
#: every 15 minutes tells each follow-up once as due and once as overdue.
SCHEMA_V6 = """
CREATE TABLE notified (
    interview TEXT NOT NULL,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    notified_at TEXT NOT NULL,
    PRIMARY KEY (interview, kind, state)
) WITHOUT ROWID;
"""


# --- version 7 ----------------------------------------------------------------------

#: Schema 7: the mail scanner's memory (followup_tui.interchange.mail): which Maildir
#: files it read, where each mbox or IMAP folder stopped, and the suggestions it made
#: from matched messages (SPEC §6). `IF NOT EXISTS`: the scanner can make them on a
#: bare connection too.
MAIL_TABLES = """
-- one row per Maildir file read (its name before the ":2," flags): a name, never content
CREATE TABLE IF NOT EXISTS mail_seen (
    source TEXT NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (source, key)
) WITHOUT ROWID;
-- where an mbox file or an IMAP folder was read up to
CREATE TABLE IF NOT EXISTS mail_cursor (
    source TEXT PRIMARY KEY,
    uidvalidity INTEGER,        -- IMAP: the folder's UIDVALIDITY when last_uid was read
    last_uid INTEGER,           -- IMAP: the highest UID read
    offset INTEGER,             -- mbox: the byte offset read up to
    fingerprint TEXT            -- mbox: a digest of the bytes before offset (rewritten file?),
                                -- Maildir: the mtimes of new/ and cur/ when last listed
);
-- matched messages only: unmatched mail is never stored
CREATE TABLE IF NOT EXISTS mail_suggestions (
    id INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    application TEXT NOT NULL,
    interview TEXT,
    type TEXT NOT NULL,
    at TEXT NOT NULL,
    until TEXT,
    sender TEXT NOT NULL,
    subject TEXT NOT NULL,
    reason TEXT NOT NULL,
    excerpt TEXT NOT NULL,
    body TEXT NOT NULL,
    calendar BLOB,
    state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'accepted', 'dismissed'))
);
CREATE INDEX IF NOT EXISTS mail_suggestions_state ON mail_suggestions (state);
"""


# --- version 8 ----------------------------------------------------------------------

#: Schema 8: what `stats` and `due`'s `ghosted` read (SPEC §9), kept beside the follow-up
#: cache: one row per application, its `insights.Standing` at the moment the cache
#: decided it, written in the same refresh with a copy of the span and stamp it holds
#: for (the span is cut where the standing may change too), so `stats` adds up one
#: table in a few scans, no join. Deleting an application's span (the data tables'
#: triggers do, on any change) deletes its row. Every span is dropped so each
#: application is decided again, its insights with it.
INSIGHT_ROWS = """
CREATE TABLE insight_rows (
    application_id TEXT PRIMARY KEY REFERENCES applications(id) ON DELETE CASCADE,
    stamp TEXT NOT NULL,                -- followup_spans' stamp, since and until
    since TEXT,
    until TEXT,
    company TEXT NOT NULL,
    role TEXT NOT NULL,
    status TEXT NOT NULL,
    stage INTEGER NOT NULL,             -- index into insights.FUNNEL_STAGES
    interviewed INTEGER NOT NULL,       -- 0 or 1
    days_to_response INTEGER,
    thank_yous_sent INTEGER NOT NULL,
    thank_yous_on_time INTEGER NOT NULL,
    ghosted_called TEXT,                -- local dates, both NULL when not ghosted
    ghosted_since TEXT,
    first_activity TEXT                 -- local date
);
CREATE INDEX insight_rows_ghosted ON insight_rows(ghosted_since)
    WHERE ghosted_since IS NOT NULL;
CREATE TRIGGER followup_spans_delete_drops_insights AFTER DELETE ON followup_spans BEGIN
    DELETE FROM insight_rows WHERE application_id = OLD.application_id;
END;
DELETE FROM followup_spans;
"""


#: MIGRATIONS[n] takes a database at schema version n to n + 1, inside the
#: caller's transaction.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    lambda conn: run_script(conn, SCHEMA_V1),
    lambda conn: run_script(conn, CACHE_SCHEMA),
    lambda conn: run_script(conn, CACHE_INDEXES),
    _add_data_generation,
    lambda conn: run_script(conn, SCHEMA_V5),
    lambda conn: run_script(conn, SCHEMA_V6),
    lambda conn: run_script(conn, MAIL_TABLES),
    lambda conn: run_script(conn, INSIGHT_ROWS),
]
