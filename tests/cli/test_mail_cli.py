"""`followup-tui mail scan|list|accept|dismiss` as a user runs them: the installed
command, a real database file, a Maildir on disk, config.toml, a real IMAP server."""

from __future__ import annotations

import json
import os
import shlex
import stat
from pathlib import Path

import pytest

from tests.support import mail_corpus as corpus
from tests.support.cli import Runner
from tests.support.mail import make_maildir

PRIYA = "Priya Shah <priya@example.org>"  # the sample's contact
NOW = "2026-11-27T09:00"
#: Her reply after the thank-you (sent Fri 20 Nov 15:30): any word from the employer
#: resolves the call (SPEC §2.1).
REPLY = corpus.message(PRIYA, corpus.ME, "Re: Thank you",
                       "Hi Alex,\n\nThanks - we will be in touch once the panel has met.\n",
                       at="2026-11-26T10:00:00+11:00", message_id="<reply-1@example.org>")
AWAY = corpus.message(PRIYA, corpus.ME, "Automatic reply: Thank you",
                      "I am out of the office and back on Monday 7 December.",
                      at="2026-11-21T10:00:00+11:00", headers={"Auto-Submitted": "auto-replied"},
                      message_id="<away-1@example.org>")
HOSTILE = corpus.message(PRIYA, corpus.ME, "[@click=app.quit]\x1b]52;c;SGVsbG8=\x07 hi",
                         "Quick question.", at="2026-11-25T11:00:00+11:00",
                         message_id="<hostile@example.org>")
INVITE = corpus.message(
    PRIYA, corpus.ME, "Invitation: Second round", "Please join us.",
    at="2026-11-26T12:00:00+11:00", message_id="<invite@example.org>",
    calendar=corpus.ICS.replace("acme.example", "example.org"),
)
JSON_KEYS = ["id", "message_id", "application", "interview", "type", "at", "until", "from",
             "subject", "reason"]


def configure(cli: Runner, text: str) -> Path:
    path = cli.tmp / "config" / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def mailbox(loaded: Runner) -> Path:
    """The sample database, and a Maildir named in config.toml as SPEC §6 writes it."""
    maildir = make_maildir(loaded.tmp / "Mail" / "INBOX", [REPLY, AWAY, corpus.NEWSLETTER])
    configure(loaded, f'me = ["{corpus.ME}"]\n\n[mail]\nmaildir = ["{maildir}"]\n')
    return maildir


def acme(cli: Runner) -> dict:
    """The sample's Acme application as `export` writes it."""
    exported = json.loads(cli.run("export").stdout)
    return next(a for a in exported["applications"] if a["id"] == "acme-planner")


def mail(cli: Runner, *words: str):
    return cli.run("--now", NOW, "mail", *words)


def test_a_new_user_scans_accepts_the_reply_and_sees_the_call_settled(
    loaded: Runner, mailbox: Path
) -> None:
    scanned = mail(loaded, "scan")
    assert scanned.returncode == 0, scanned.stderr
    assert "Read 3 new messages: 2 matched an application, 2 suggestions stored." in scanned.stdout
    assert "reply received · Acme Shire Council — Senior Planner" in scanned.stdout
    assert "news@gmail.com" not in scanned.stdout  # unmatched mail is never shown
    listed = json.loads(mail(loaded, "list", "--json").stdout)
    reply = next(s for s in listed if s["type"] == "reply_received")
    accepted = mail(loaded, "accept", str(reply["id"]))
    assert accepted.returncode == 0, accepted.stderr
    assert f"Accepted #{reply['id']}: reply received" in accepted.stdout
    due = loaded.run("--now", "2026-12-02T09:00", "due", "--all", "--json")
    call = next(f for f in json.loads(due.stdout) if f["kind"] == "call")
    assert call["state"] == "done"
    assert "reply" in call["reason"].lower()
    # the event says where it came from
    events = acme(loaded)["events"]
    from_mail = [e for e in events if e.get("source") == "mail"]
    assert [(e["type"], e["message_id"]) for e in from_mail] == [
        ("reply_received", "<reply-1@example.org>")]
    # accepted: never pending, never suggested again
    assert [s["type"] for s in json.loads(mail(loaded, "list", "--json").stdout)] == [
        "out_of_office"]
    again = mail(loaded, "scan", "--since", "2026-01-01")
    assert "Read 0 new messages" in again.stdout


def test_json_shapes_are_those_of_the_spec(loaded: Runner, mailbox: Path) -> None:
    scanned = mail(loaded, "scan", "--json")
    assert scanned.returncode == 0, scanned.stderr
    found = json.loads(scanned.stdout)
    assert [list(s) for s in found] == [JSON_KEYS, JSON_KEYS]
    away = next(s for s in found if s["type"] == "out_of_office")
    assert away["until"] == "2026-12-07"
    assert away["interview"] == "acme-planner-1"
    assert away["from"] == "priya@example.org"
    assert "Read 3 new messages" in scanned.stderr  # the summary stays off the JSON
    assert json.loads(mail(loaded, "list", "--json").stdout) == found
    dismissed = json.loads(mail(loaded, "dismiss", "--all", "--json").stdout)
    assert [s["id"] for s in dismissed] == [s["id"] for s in found]
    assert json.loads(mail(loaded, "list", "--json").stdout) == []


def test_an_accepted_away_reply_holds_the_call_until_after_the_return(
    loaded: Runner, mailbox: Path
) -> None:
    found = json.loads(mail(loaded, "scan", "--json").stdout)
    away = next(s for s in found if s["type"] == "out_of_office")
    assert mail(loaded, "accept", str(away["id"])).returncode == 0
    events = acme(loaded)["events"]
    assert [e.get("until") for e in events if e["type"] == "out_of_office"] == ["2026-12-07"]
    due = json.loads(loaded.run("--now", "2026-12-02T09:00", "due", "--all", "--json").stdout)
    call = next(f for f in due if f["kind"] == "call")
    assert call["state"] == "suppressed"
    assert "away until" in call["reason"]


def test_dismissed_mail_is_never_suggested_again(loaded: Runner, mailbox: Path) -> None:
    mail(loaded, "scan")
    assert mail(loaded, "dismiss", "--all").returncode == 0
    # the same messages again, under new file names (copied by a mail program)
    other = make_maildir(loaded.tmp / "Mail" / "Copy", [REPLY + b"\n", AWAY + b"\n"])
    rescanned = mail(loaded, "scan", "--maildir", str(other), "--json")
    assert json.loads(rescanned.stdout) == []
    assert "2 suggested before" in rescanned.stderr


def test_accept_all_adds_every_event_and_runs_the_on_event_hook(
    loaded: Runner, mailbox: Path
) -> None:
    hooks = loaded.tmp / "config" / "hooks"
    hooks.mkdir()
    heard = loaded.tmp / "heard.jsonl"
    hook = hooks / "on-event"
    hook.write_text(f"#!/bin/sh\ncat >> {shlex.quote(str(heard))}\n")
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    mail(loaded, "scan")
    accepted = mail(loaded, "accept", "--all", "--json")
    assert accepted.returncode == 0, accepted.stderr
    assert sorted(s["type"] for s in json.loads(accepted.stdout)) == [
        "out_of_office", "reply_received"]
    payloads = [json.loads(line) for line in heard.read_text().splitlines()]
    assert sorted((p["type"], p["source"]) for p in payloads) == [
        ("out_of_office", "mail"), ("reply_received", "mail")]
    assert mail(loaded, "accept", "--all").stdout == "No pending suggestions.\n"


def test_accepting_an_invitation_adds_its_interview(loaded: Runner, mailbox: Path) -> None:
    invites = make_maildir(loaded.tmp / "Mail" / "Invites", [INVITE])
    found = json.loads(mail(loaded, "scan", "--maildir", str(invites), "--json").stdout)
    assert [s["type"] for s in found] == ["invitation"]
    accepted = mail(loaded, "accept", str(found[0]["id"]))
    assert accepted.returncode == 0, accepted.stderr
    assert "Second round" in accepted.stdout  # the plan's own description of the change
    interviews = acme(loaded)["interviews"]
    assert [i.get("uid") for i in interviews] == [None, "second-round@example.org"]
    assert interviews[1]["starts_at"].startswith("2026-12-03T11:00")


def test_subjects_are_shown_inert(loaded: Runner, mailbox: Path) -> None:
    hostile = make_maildir(loaded.tmp / "Mail" / "Hostile", [HOSTILE])
    scanned = mail(loaded, "scan", "--maildir", str(hostile))
    assert scanned.returncode == 0, scanned.stderr
    assert "\x1b" not in scanned.stdout and "\x07" not in scanned.stdout
    assert "[@click=app.quit]" in scanned.stdout


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (["accept"], "give suggestion ids (see mail list) or --all, not neither"),
        (["accept", "1", "--all"], "not both"),
        (["accept", "99"], "no pending suggestion with id 99"),
        (["dismiss", "x"], "'x' is not a suggestion id"),
        (["scan", "--since", "last tuesday"], "is not a date"),
        (["scan", "--maildir", "/no/such/folder"], "is not a Maildir"),
    ],
)
def test_bad_words_exit_2_naming_the_fault(
    loaded: Runner, mailbox: Path, words: list[str], message: str
) -> None:
    done = mail(loaded, *words)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_no_source_anywhere_says_how_to_name_one(loaded: Runner) -> None:
    done = mail(loaded, "scan")
    assert done.returncode == 2
    assert "no mail to read: give --maildir DIR" in done.stderr


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[mail]\nmaildir = 3\n", "line 2: [mail] maildir must be a list of Maildir folders"),
        ('me = "alex"\n', "line 1: 'me' must be a list of your own email addresses"),
        ('[mail]\nmaildirs = ["x"]\n', "line 2: [mail] maildirs is not a mail setting"),
        ('\n[mail.imap]\nhost = "h"\nuser = "u"\npassword = "hunter2"\n',
         "line 5: [mail.imap] password is not read: no password is ever stored"),
        ('[mail.imap]\nhost = "h"\nuser = "u"\n',
         "line 1: [mail.imap] needs password_command"),
        ('[mail.imap]\nhost = "imap.example.com"\nuser = "u"\npassword_command = "p"\n'
         'tls = "none"\n', "only for a loopback host"),
    ],
)
def test_bad_mail_config_exits_2_with_its_line(loaded: Runner, toml: str, message: str) -> None:
    configure(loaded, toml)
    done = mail(loaded, "scan")
    assert done.returncode == 2
    assert message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    from tests.support.imap_server import make_certificate

    return make_certificate(tmp_path_factory.mktemp("tls"))


def imap_config(port: int, cert: Path, password: str) -> str:
    return (
        f'me = ["{corpus.ME}"]\n[mail.imap]\nhost = "127.0.0.1"\nport = {port}\n'
        f'user = "alex"\ntls = "starttls"\nca_file = "{cert}"\n'
        f"password_command = {json.dumps('printf %s ' + shlex.quote(password))}\n"
    )


def test_imap_scan_and_a_wrong_password(loaded: Runner, certificate) -> None:
    import ssl

    from imapclient import IMAPClient

    from tests.support.imap_server import PASSWORD, USER, pymap_server

    with pymap_server(*certificate) as port:
        with IMAPClient("127.0.0.1", port=port, ssl=False) as client:
            client.starttls(ssl.create_default_context(cafile=str(certificate[0])))
            client.login(USER, PASSWORD)
            client.append("INBOX", REPLY)
        configure(loaded, imap_config(port, certificate[0], "wrong horse"))
        refused = mail(loaded, "scan")
        assert refused.returncode == 2
        assert "Traceback" not in refused.stderr and "wrong horse" not in refused.stderr
        assert refused.stderr.startswith("followup-tui: error:")
        configure(loaded, imap_config(port, certificate[0], PASSWORD))
        scanned = mail(loaded, "scan", "--json")
        assert scanned.returncode == 0, scanned.stderr
        assert [s["type"] for s in json.loads(scanned.stdout)] == ["reply_received"]


def test_the_stand_in_module_is_gone() -> None:
    import followup_tui.interchange.mail as package

    assert not (Path(package.__file__).parent / "__main__.py").exists()
    assert os.path.basename(package.__file__) == "__init__.py"


def test_a_rescheduled_invitation_from_mail_leaves_its_note_in_the_timeline(
    loaded: Runner, mailbox: Path
) -> None:
    """As an imported .ics does: the interview moves and the timeline says so."""
    moved_ics = corpus.ICS.replace("acme.example", "example.org").replace(
        "SUMMARY:Second round", "SEQUENCE:1\r\nSUMMARY:Second round").replace(
        "20261203T000000Z", "20261204T000000Z").replace("20261203T010000Z", "20261204T010000Z")
    moved = corpus.message(
        PRIYA, corpus.ME, "Updated invitation: Second round", "A new time, sorry.",
        at="2026-11-26T15:00:00+11:00", message_id="<moved@example.org>", calendar=moved_ics,
    )
    invites = make_maildir(loaded.tmp / "Mail" / "Invites", [INVITE])
    first = json.loads(mail(loaded, "scan", "--maildir", str(invites), "--json").stdout)
    assert mail(loaded, "accept", str(first[0]["id"])).returncode == 0
    again = make_maildir(loaded.tmp / "Mail" / "Moved", [moved])
    second = json.loads(mail(loaded, "scan", "--maildir", str(again), "--json").stdout)
    done = mail(loaded, "accept", str(second[0]["id"]))
    assert done.returncode == 0, done.stderr
    interview = acme(loaded)["interviews"][1]
    assert interview["starts_at"].startswith("2026-12-04T11:00")
    notes = [e["text"] for e in acme(loaded)["events"] if e["type"] == "note"]
    assert any(text.startswith("Interview moved from") for text in notes), notes
