"""Scanning a Maildir and an mbox: new mail only, read-only, once, and never half-recorded."""

from __future__ import annotations

import os
import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from followup_tui.interchange.mail import MaildirSource, MailError, MboxSource, default_since, scan
from tests.support import mail_corpus as corpus
from tests.support.mail import (
    add_to_maildir,
    make_maildir,
    open_db,
    scan_maildir,
    snapshot,
    suggestion_rows,
)
from tests.support.mail_corpus import APPLICATIONS, ME, PRIYA, RULES, message, when

MIXED = [
    corpus.OUTLOOK_EN, corpus.INVITATION, corpus.NEWSLETTER, corpus.OTHER_RECRUITER,
    corpus.LOOKALIKE, message(PRIYA, ME, "Decision", corpus.REJECTIONS[0]),
]


@pytest.fixture
def db(tmp_path: Path):
    conn = open_db(tmp_path / "followup.db")
    yield conn
    conn.close()


def test_first_scan_suggests_matched_mail_and_stores_nothing_of_the_rest(tmp_path, db) -> None:
    maildir = make_maildir(tmp_path / "INBOX", MIXED)
    result = scan_maildir(db, maildir)
    s = result.summary
    assert (s.read, s.matched, s.suggested, s.already) == (6, 3, 3, 0)
    assert sorted(x.type for x in result.suggestions) == ["invitation", "out_of_office", "rejected"]
    assert [row[-1] for row in suggestion_rows(db)] == ["pending"] * 3
    db.commit()
    stored = (tmp_path / "followup.db").read_bytes()
    for secret in (b"Top jobs this week", b"news@gmail.com", b"kim.recruiter", b"free cruise",
                   b"offers@acme.example.net"):
        assert secret not in stored
    assert db.execute("SELECT count(*) FROM mail_seen").fetchone()[0] == 6


def test_second_scan_with_nothing_new_opens_no_old_file(tmp_path, db) -> None:
    maildir = make_maildir(tmp_path / "INBOX", MIXED)
    scan_maildir(db, maildir)
    # an old file replaced by a folder cannot be opened: reading it would be counted
    old = next((maildir / "new").iterdir())
    old.unlink()
    old.mkdir()
    again = scan_maildir(db, maildir).summary
    assert (again.read, again.matched, again.suggested, dict(again.skipped)) == (0, 0, 0, {})


def test_only_new_files_are_read_and_flag_renames_are_not_new(tmp_path, db) -> None:
    maildir = make_maildir(tmp_path / "INBOX", MIXED[:2])
    scan_maildir(db, maildir)
    # the mail program marks a message read: new/NAME becomes cur/NAME:2,S
    for path in list((maildir / "new").iterdir()):
        path.rename(maildir / "cur" / f"{path.name}:2,S")
    add_to_maildir(maildir, [corpus.GMAIL_ES])
    result = scan_maildir(db, maildir)
    assert (result.summary.read, [x.type for x in result.suggestions]) == (1, ["out_of_office"])


def test_no_message_is_suggested_twice_pending_accepted_or_dismissed(tmp_path, db) -> None:
    inbox = make_maildir(tmp_path / "INBOX", [corpus.OUTLOOK_EN, corpus.GMAIL_ES])
    scan_maildir(db, inbox)
    db.execute("UPDATE mail_suggestions SET state = 'dismissed' WHERE type = 'out_of_office' "
               "AND until = '2026-12-07' AND sender = 'priya@acme.example' AND id = 1")
    db.execute("UPDATE mail_suggestions SET state = 'accepted' WHERE id = 2")
    db.commit()
    # the same messages again: copied into another folder, and a second copy in the first
    copy = make_maildir(tmp_path / "Archive", [corpus.OUTLOOK_EN, corpus.GMAIL_ES])
    (inbox / "new" / "another-copy.host").write_bytes(corpus.OUTLOOK_EN)
    result = scan(db, [MaildirSource(inbox), MaildirSource(copy)], APPLICATIONS, [ME], RULES)
    assert (result.summary.matched, result.summary.suggested, result.summary.already) == (3, 0, 3)
    assert [row[-1] for row in suggestion_rows(db)] == ["dismissed", "accepted"]


def test_a_message_without_message_id_is_still_suggested_once(tmp_path, db) -> None:
    raw = corpus.raw_message(
        "From: priya@acme.example\nTo: alex@example.com\nSubject: Re: hi\n"
        "Date: Wed, 25 Nov 2026 09:30:00 +1100", b"Thanks, speak soon.")
    maildir = make_maildir(tmp_path / "INBOX", [raw])
    assert scan_maildir(db, maildir).summary.suggested == 1
    (maildir / "cur" / "copy.host:2,S").write_bytes(raw)
    assert scan_maildir(db, maildir).summary.already == 1


def test_a_scan_leaves_the_maildir_byte_for_byte_and_name_for_name(tmp_path, db) -> None:
    maildir = make_maildir(tmp_path / "INBOX", MIXED)
    add_to_maildir(maildir, [corpus.OUTLOOK_FR, corpus.BIG_ATTACHMENT], seen=True)
    before = snapshot(maildir)
    scan_maildir(db, maildir)
    assert snapshot(maildir) == before


def test_bad_mail_is_read_or_skipped_with_a_count_never_a_crash(tmp_path, db) -> None:
    maildir = make_maildir(tmp_path / "INBOX", [
        corpus.MALFORMED_HEADERS, corpus.UNKNOWN_CHARSET, corpus.ENCODED_WORDS,
        corpus.HTML_ONLY_OFFER, corpus.BIG_ATTACHMENT, corpus.QP_SOFT_BREAKS,
        b"\x00\xff garbage with no headers at all \xfe", b"",
    ])
    result = scan_maildir(db, maildir)
    s = result.summary
    assert s.read == 8
    # the malformed one has no usable Date: the file's time stands in for it
    assert s.matched == 6 and s.suggested == 6
    kinds = sorted(x.type for x in result.suggestions)
    assert kinds == ["offer", "offer", "rejected", "reply_received", "reply_received",
                     "reply_received"]
    big = next(x for x in result.suggestions if x.subject == "Our brochure")
    assert len(big.body) < 1000  # the 20 MB attachment was never decoded into the text


def test_since_leaves_out_older_mail_and_a_first_scan_defaults_to_60_days(tmp_path, db) -> None:
    now = when("2026-11-30T09:00:00+11:00")
    assert default_since(db, now) == now - timedelta(days=60)
    old = message(PRIYA, ME, "Re: ages ago", "Hello", at="2026-08-01T09:00:00+10:00")
    maildir = make_maildir(tmp_path / "INBOX", [old, corpus.OUTLOOK_EN])
    result = scan_maildir(db, maildir, since=default_since(db, now))
    assert result.summary.suggested == 1
    assert dict(result.summary.skipped) == {"older than --since": 1}
    assert default_since(db, now) is None  # no longer a first scan


def test_a_file_deleted_mid_scan_is_counted_and_read_under_its_new_name(tmp_path, db) -> None:
    maildir = make_maildir(tmp_path / "INBOX", [corpus.OUTLOOK_EN, corpus.GMAIL_ES])
    victim = sorted((maildir / "new").iterdir())[0]

    class MovedMidScan(MaildirSource):
        """The mail program moves one file between the listing and the read."""

        def _open(self, path, key, wanted, tally):
            if path == str(victim):
                victim.rename(maildir / "cur" / f"{victim.name}:2,S")
            return super()._open(path, key, wanted, tally)

    result = scan(db, [MovedMidScan(maildir)], APPLICATIONS, [ME], RULES)
    assert dict(result.summary.skipped) == {"vanished during the scan": 1}
    assert result.summary.suggested == 1
    again = scan_maildir(db, maildir)
    assert (again.summary.read, again.summary.suggested) == (1, 1)


def test_a_failing_source_records_nothing_of_the_scan(tmp_path, db) -> None:
    inbox = make_maildir(tmp_path / "INBOX", MIXED)
    with pytest.raises(MailError, match="is not a Maildir"):
        scan(db, [MaildirSource(inbox), MaildirSource(tmp_path / "missing")],
             APPLICATIONS, [ME], RULES)
    assert db.execute("SELECT count(*) FROM mail_seen").fetchone()[0] == 0
    assert suggestion_rows(db) == []
    assert scan_maildir(db, inbox).summary.suggested == 3


# --- mbox ------------------------------------------------------------------------------


def mbox_entry(raw: bytes) -> bytes:
    body = raw.replace(b"\r\n", b"\n")
    return b"From MAILER-DAEMON Wed Nov 25 09:30:00 2026\n" + body.rstrip(b"\n") + b"\n\n"


def test_mbox_is_read_on_from_its_last_offset(tmp_path, db) -> None:
    path = tmp_path / "Sent.mbox"
    path.write_bytes(mbox_entry(corpus.OUTLOOK_EN) + mbox_entry(corpus.NEWSLETTER))
    first = scan(db, [MboxSource(path)], APPLICATIONS, [ME], RULES).summary
    assert (first.read, first.suggested) == (2, 1)
    with path.open("ab") as file:
        file.write(mbox_entry(corpus.GMAIL_ES))
    second = scan(db, [MboxSource(path)], APPLICATIONS, [ME], RULES).summary
    assert (second.read, second.suggested) == (1, 1)
    third = scan(db, [MboxSource(path)], APPLICATIONS, [ME], RULES).summary
    assert (third.read, third.suggested) == (0, 0)


def test_a_truncated_mbox_message_is_skipped_then_read_once_complete(tmp_path, db) -> None:
    path = tmp_path / "INBOX.mbox"
    whole = mbox_entry(corpus.GMAIL_ES)
    path.write_bytes(mbox_entry(corpus.OUTLOOK_EN) + whole[: len(whole) // 2].rstrip(b"\n"))
    first = scan(db, [MboxSource(path)], APPLICATIONS, [ME], RULES).summary
    assert (first.suggested, dict(first.skipped)) == (
        1, {"incomplete message at the end of an mbox": 1})
    path.write_bytes(mbox_entry(corpus.OUTLOOK_EN) + whole)
    second = scan(db, [MboxSource(path)], APPLICATIONS, [ME], RULES).summary
    assert (second.read, second.suggested) == (1, 1)


def test_a_rewritten_mbox_is_read_again_without_duplicates(tmp_path, db) -> None:
    path = tmp_path / "INBOX.mbox"
    path.write_bytes(mbox_entry(corpus.NEWSLETTER) + mbox_entry(corpus.OUTLOOK_EN))
    scan(db, [MboxSource(path)], APPLICATIONS, [ME], RULES)
    # the mail program expunged the newsletter and compacted the file
    path.write_bytes(mbox_entry(corpus.OUTLOOK_EN) + mbox_entry(corpus.OUTLOOK_DE))
    again = scan(db, [MboxSource(path)], APPLICATIONS, [ME], RULES).summary
    assert (again.read, again.suggested, again.already) == (2, 1, 1)


def test_an_mbox_scan_leaves_the_file_unchanged(tmp_path, db) -> None:
    path = tmp_path / "INBOX.mbox"
    path.write_bytes(mbox_entry(corpus.OUTLOOK_EN) + mbox_entry(corpus.INVITATION))
    before = path.read_bytes()
    scan(db, [MboxSource(path)], APPLICATIONS, [ME], RULES)
    assert path.read_bytes() == before


def test_a_missing_mbox_is_a_clear_error(tmp_path, db) -> None:
    with pytest.raises(MailError, match="cannot read the mbox"):
        scan(db, [MboxSource(tmp_path / "nope")], APPLICATIONS, [ME], RULES)


def test_the_tables_can_be_created_twice(tmp_path) -> None:
    conn = open_db(tmp_path / "x.db")
    from followup_tui.interchange.mail import create_mail_tables
    with conn:
        create_mail_tables(conn)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"mail_seen", "mail_cursor", "mail_suggestions"} <= names
    shutil.rmtree(tmp_path, ignore_errors=True)


def settle(maildir: Path) -> None:
    """Give new/ and cur/ a modification time well in the past, as an old Maildir has."""
    for sub in ("new", "cur"):
        os.utime(maildir / sub, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))


def test_an_unchanged_maildir_is_not_even_listed(tmp_path, db) -> None:
    maildir = make_maildir(tmp_path / "INBOX", MIXED)
    settle(maildir)
    assert scan_maildir(db, maildir).summary.read == 6
    # a file slipped in with the folder's time put back: only a listing would find it,
    # so not finding it shows the listing was skipped
    add_to_maildir(maildir, [corpus.GMAIL_ES])
    settle(maildir)
    assert scan_maildir(db, maildir).summary.read == 0
    # an ordinary delivery changes the folder's time: listed again, and only it is read
    os.utime(maildir / "new")
    assert (tmp_path / "INBOX" / "new").stat().st_mtime_ns > 1_600_000_000_000_000_000
    again = scan_maildir(db, maildir).summary
    assert (again.read, again.suggested) == (1, 1)


def test_a_folder_changed_just_now_is_not_trusted_by_its_time(tmp_path, db) -> None:
    maildir = make_maildir(tmp_path / "INBOX", MIXED)  # written this instant
    scan_maildir(db, maildir)
    assert db.execute("SELECT count(*) FROM mail_cursor").fetchone()[0] == 0
    add_to_maildir(maildir, [corpus.GMAIL_ES])
    assert scan_maildir(db, maildir).summary.read == 1


def test_pending_suggestions_are_listed_settled_once_and_never_made_again(tmp_path, db) -> None:
    from followup_tui.interchange.mail import settle, suggestion_json, suggestions

    maildir = make_maildir(tmp_path / "INBOX", MIXED)
    scan_maildir(db, maildir)
    pending = suggestions(db)
    assert len(pending) == 3
    assert [s.at for _, s in pending] == sorted(s.at for _, s in pending)
    first_id, first = pending[0]
    shown = suggestion_json(first_id, first)
    assert set(shown) == {"id", "message_id", "application", "interview", "type", "at",
                          "until", "from", "subject", "reason"}
    settle(db, [first_id], "accepted")
    with pytest.raises(MailError, match=f"no pending suggestion with id {first_id}"):
        settle(db, [first_id], "dismissed")
    assert len(settle(db, None, "dismissed")) == len(pending) - 1
    db.commit()
    assert suggestions(db) == []
    assert [i for i, _ in suggestions(db, "accepted")] == [first_id]
    # the same mail delivered again is never suggested again
    (maildir / "new" / "redelivered.host").write_bytes(MIXED[0])
    assert scan_maildir(db, maildir).summary.already == 1


def test_of_several_mails_sent_after_an_interview_the_earliest_is_its_thank_you(
        tmp_path, db) -> None:
    later = message(ME, PRIYA, "One more thing", "Also...", at="2026-11-21T09:00:00+11:00")
    earlier = message(ME, PRIYA, "Thank you", "Thank you for today.",
                      at="2026-11-20T13:00:00+11:00")
    # two folders, read in this order: the later mail is certainly read first
    first = make_maildir(tmp_path / "Sent", [later], seen=True)
    second = make_maildir(tmp_path / "Archive", [earlier], seen=True)
    result = scan(db, [MaildirSource(first), MaildirSource(second)], APPLICATIONS, [ME], RULES)
    assert [(s.type, s.at) for s in result.suggestions] == [
        ("thank_you_sent", "2026-11-20T13:00:00+11:00")]
    assert dict(result.summary.skipped) == {"sent by you, not a thank-you": 1}
