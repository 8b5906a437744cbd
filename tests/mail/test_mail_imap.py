"""IMAP scans against a real server on 127.0.0.1 (pymap): TLS and STARTTLS, read-only,
incremental by UIDVALIDITY/UID, and clear errors that record nothing."""

from __future__ import annotations

import shlex
import ssl
from pathlib import Path

import pytest
from imapclient import IMAPClient

from followup_tui.interchange.mail import (
    ImapSettings,
    ImapSource,
    MailError,
    run_password_command,
    scan,
)
from tests.support import mail_corpus as corpus
from tests.support.imap_server import PASSWORD, USER, Proxy, make_certificate, pymap_server
from tests.support.mail import open_db, suggestion_rows
from tests.support.mail_corpus import APPLICATIONS, ME, PRIYA, RULES, message

SEEDED = [corpus.OUTLOOK_EN, corpus.NEWSLETTER, corpus.INVITATION,
          message(PRIYA, ME, "Decision", corpus.REJECTIONS[1]), corpus.OTHER_RECRUITER]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def server(certificate):
    with pymap_server(*certificate) as port:
        yield port


@pytest.fixture
def db(tmp_path):
    conn = open_db(tmp_path / "followup.db")
    yield conn
    conn.close()


def admin(port: int, cert: Path) -> IMAPClient:
    """The test's own connection, to put mail on the server and look at flags."""
    client = IMAPClient("127.0.0.1", port=port, ssl=False)
    client.starttls(ssl.create_default_context(cafile=str(cert)))
    client.login(USER, PASSWORD)
    return client


def seed(port: int, cert: Path, messages=SEEDED, folder: str = "INBOX") -> None:
    with admin(port, cert) as client:
        for index, raw in enumerate(messages):
            # half of them already read in the user's mail program
            client.append(folder, raw, flags=(b"\\Seen",) if index % 2 else ())


def flags(port: int, cert: Path, folder: str = "INBOX") -> dict[int, tuple[bytes, ...]]:
    with admin(port, cert) as client:
        client.select_folder(folder, readonly=True)
        return {uid: tuple(sorted(data[b"FLAGS"]))
                for uid, data in client.fetch(client.search(["ALL"]), ["FLAGS"]).items()}


def settings(port: int, cert: Path, **changes) -> ImapSettings:
    values = dict(host="127.0.0.1", port=port, user=USER, tls="starttls", ca_file=str(cert),
                  password_command=f"printf '%s\\n' {shlex.quote(PASSWORD)}", timeout=10)
    values.update(changes)
    return ImapSettings(**values)


def imap_scan(db, imap: ImapSettings):
    return scan(db, [ImapSource(imap)], APPLICATIONS, [ME], RULES)


def test_starttls_scan_suggests_matched_mail_and_changes_no_flag(server, certificate, db):
    cert = certificate[0]
    seed(server, cert)
    before = flags(server, cert)
    result = imap_scan(db, settings(server, cert))
    s = result.summary
    assert (s.read, s.matched, s.suggested) == (5, 3, 3)
    assert sorted(x.type for x in result.suggestions) == ["invitation", "out_of_office", "rejected"]
    assert flags(server, cert) == before
    assert before and any(b"\\Seen" not in f for f in before.values())


def test_implicit_tls_scan(server, certificate, db):
    cert, key = certificate
    seed(server, cert)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    proxy = Proxy(server, tls=context)
    try:
        result = imap_scan(db, settings(proxy.port, cert, tls="ssl"))
    finally:
        proxy.close()
    assert result.summary.suggested == 3


def test_a_certificate_not_trusted_is_refused(server, certificate, db):
    seed(server, certificate[0])
    with pytest.raises(MailError, match="cannot connect to IMAP server 127.0.0.1"):
        imap_scan(db, settings(server, None))
    assert suggestion_rows(db) == []


def test_a_wrong_password_is_a_clear_error_and_records_nothing(server, certificate, db):
    seed(server, certificate[0])
    with pytest.raises(MailError, match="refused the login for alex"):
        imap_scan(db, settings(server, certificate[0], password_command="echo wrong"))
    assert db.execute("SELECT count(*) FROM mail_cursor").fetchone()[0] == 0


def test_a_failing_password_command_is_a_clear_error():
    with pytest.raises(MailError, match=r"password_command failed \(exit status 3\)"):
        run_password_command("exit 3")
    with pytest.raises(MailError, match="printed nothing"):
        run_password_command("true")
    assert run_password_command("printf 'pw with spaces\\nsecond line'") == "pw with spaces"


def test_a_second_scan_reads_only_new_uids(server, certificate, db):
    cert = certificate[0]
    seed(server, cert)
    imap = settings(server, cert)
    imap_scan(db, imap)
    assert imap_scan(db, imap).summary.read == 0
    seed(server, cert, [corpus.GMAIL_ES])
    again = imap_scan(db, imap).summary
    assert (again.read, again.suggested) == (1, 1)


def test_a_new_uidvalidity_rescans_the_folder_without_duplicates(server, certificate, db):
    cert = certificate[0]
    with admin(server, cert) as client:
        client.create_folder("Jobs")
    seed(server, cert, folder="Jobs")
    imap = settings(server, cert, folders=("Jobs",))
    first = imap_scan(db, imap).summary
    (old_validity,) = db.execute("SELECT uidvalidity FROM mail_cursor").fetchone()
    # the folder is recreated: every UID now means another message
    with admin(server, cert) as client:
        client.delete_folder("Jobs")
        client.create_folder("Jobs")
    seed(server, cert, [corpus.OUTLOOK_DE, *SEEDED], folder="Jobs")
    again = imap_scan(db, imap).summary
    (new_validity,) = db.execute("SELECT uidvalidity FROM mail_cursor").fetchone()
    assert new_validity != old_validity
    assert (first.suggested, again.read, again.suggested, again.already) == (3, 6, 1, 3)
    assert len(suggestion_rows(db)) == 4


def test_a_connection_lost_mid_fetch_is_a_clear_error_and_records_nothing(
        server, certificate, db):
    cert = certificate[0]
    seed(server, cert)
    proxy = Proxy(server, cut_on=b"BODY.PEEK[]<", cut_after=120)
    try:
        with pytest.raises(MailError, match="was lost during the scan.*nothing was recorded"):
            imap_scan(db, settings(proxy.port, cert, tls="none"))
    finally:
        proxy.close()
    assert proxy.cuts == 1
    assert db.execute("SELECT count(*) FROM mail_cursor").fetchone()[0] == 0
    assert suggestion_rows(db) == []
    # and the next scan, whole, finds everything
    assert imap_scan(db, settings(server, cert)).summary.suggested == 3


def test_tls_none_only_for_a_loopback_host():
    with pytest.raises(MailError, match="only for a loopback host"):
        ImapSource(ImapSettings(host="imap.example.com", user="u", password_command="true",
                                tls="none"))
    ImapSource(ImapSettings(host="::1", user="u", password_command="true", tls="none"))


def test_a_missing_folder_is_a_clear_error(server, certificate, db):
    with pytest.raises(MailError, match="cannot open the IMAP folder 'Nope'"):
        imap_scan(db, settings(server, certificate[0], folders=("Nope",)))


def test_a_first_scan_asks_the_server_only_for_mail_since(server, certificate, db):
    cert = certificate[0]
    old = message(PRIYA, ME, "Re: ages ago", "Hello", at="2026-08-01T09:00:00+10:00")
    with admin(server, cert) as client:
        client.append("INBOX", old, msg_time=corpus.when("2026-08-01T09:00:00+10:00"))
        client.append("INBOX", corpus.OUTLOOK_EN, msg_time=corpus.when("2026-11-25T09:30:00+11:00"))
    result = scan(db, [ImapSource(settings(server, cert))], APPLICATIONS, [ME], RULES,
                  since=corpus.when("2026-10-01T00:00:00+10:00"))
    assert (result.summary.read, result.summary.suggested) == (1, 1)
