"""Damaged mail never stops a scan: every message is read or skipped, and counted."""

from __future__ import annotations

import random
from pathlib import Path

from tests.support import mail_corpus as corpus
from tests.support.mail import make_maildir, open_db, scan_maildir

SEEDS = [
    corpus.OUTLOOK_EN, corpus.OUTLOOK_FR, corpus.OUTLOOK_DE, corpus.GMAIL_ES, corpus.INVITATION,
    corpus.HTML_ONLY_OFFER, corpus.UNKNOWN_CHARSET, corpus.ENCODED_WORDS, corpus.QP_SOFT_BREAKS,
    corpus.THREAD_QUOTING_REJECTION, corpus.MALFORMED_HEADERS,
]


def damage(raw: bytes, rng: random.Random) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.randint(1, 12)):
        action = rng.randrange(4)
        at = rng.randrange(len(data) + 1)
        if action == 0 and data:  # flip a byte
            data[min(at, len(data) - 1)] = rng.randrange(256)
        elif action == 1:  # cut
            del data[at:]
        elif action == 2:  # insert noise, often the bytes that mean something in mail
            data[at:at] = rng.choice([b"\r\n", b"\n\n", b"=?", b"?=", b"--", b"\x00", b"=\n",
                                      b"Content-Type: multipart/mixed; boundary=x\n",
                                      bytes(rng.randrange(256) for _ in range(8))])
        else:  # duplicate a slice
            data[at:at] = data[at : at + rng.randint(1, 200)]
    return bytes(data)


def test_damaged_messages_are_each_read_or_skipped(tmp_path: Path) -> None:
    rng = random.Random(20261130)
    messages = {damage(rng.choice(SEEDS), rng) for _ in range(300)}
    maildir = make_maildir(tmp_path / "INBOX", sorted(messages))
    conn = open_db(tmp_path / "followup.db")
    result = scan_maildir(conn, maildir)
    s = result.summary
    assert s.read == len(messages)
    assert s.matched >= s.suggested + s.already and s.suggested > 0
    stored = conn.execute("SELECT count(*) FROM mail_suggestions").fetchone()[0]
    assert stored == s.suggested
    assert conn.execute("SELECT count(*) FROM mail_seen").fetchone()[0] == len(messages)
