"""Builders for the mail tests: a Maildir and an mbox on disk, a database file, a scan."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from followup_tui.domain.model import Application
from followup_tui.interchange.mail import MaildirSource, ScanResult, create_mail_tables, scan
from tests.support.mail_corpus import APPLICATIONS, ME, RULES


def open_db(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    with conn:
        create_mail_tables(conn)
    return conn


def make_maildir(root: Path, messages: Sequence[bytes], *, seen: bool = False) -> Path:
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    add_to_maildir(root, messages, seen=seen)
    return root


def add_to_maildir(root: Path, messages: Sequence[bytes], *, seen: bool = False) -> list[Path]:
    paths = []
    for raw in messages:
        name = hashlib.sha1(raw).hexdigest() + ".host"
        path = root / "cur" / f"{name}:2,S" if seen else root / "new" / name
        path.write_bytes(raw)
        paths.append(path)
    return paths


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of a folder, by relative name, with its bytes."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def scan_maildir(
    conn: sqlite3.Connection, root: Path, applications: Sequence[Application] = APPLICATIONS,
    **options: object,
) -> ScanResult:
    return scan(conn, [MaildirSource(root)], applications, [ME], RULES, **options)  # type: ignore[arg-type]


def suggestion_rows(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
    return conn.execute(
        "SELECT message_id, application, interview, type, at, until, state "
        "FROM mail_suggestions ORDER BY id"
    ).fetchall()


def touch_old(path: Path) -> None:
    os.utime(path, (0, 0))
