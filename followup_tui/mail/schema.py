"""The mail scanner's tables: what was read, where each source stopped, what it suggests.

A function of a connection, not a migration of its own, so the store can run it
as one step of its versioned migrations.
"""

from __future__ import annotations

import sqlite3

MAIL_DDL = """
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


def create_mail_tables(connection: sqlite3.Connection) -> None:
    """Create the mail tables if missing (idempotent; no commit of its own).

    Run inside the caller's transaction: each statement goes through `execute`
    because `executescript` would commit first.
    """
    for statement in MAIL_DDL.split(";"):
        lines = [line for line in statement.splitlines() if not line.strip().startswith("--")]
        sql = "\n".join(lines).strip()
        if sql:
            connection.execute(sql)
