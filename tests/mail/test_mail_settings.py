"""`[mail]` of config.toml: read as SPEC §6 writes it, refused with a clear message otherwise."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from followup_tui.interchange.mail import (
    ImapSource,
    MaildirSource,
    MailError,
    MboxSource,
    mail_settings,
)

CONFIG = """
me = ["Alex@Example.com"]
[mail]
maildir = ["~/Mail/INBOX", "~/Mail/Sent"]
mbox = ["/var/mail/alex"]
[mail.imap]
host = "imap.example.com"
user = "alex@example.com"
password_command = "pass show mail"
"""


def test_the_spec_example_reads_with_its_defaults() -> None:
    settings = mail_settings(tomllib.loads(CONFIG))
    assert settings.me == ("alex@example.com",)
    assert settings.maildirs == (Path("~/Mail/INBOX").expanduser(), Path("~/Mail/Sent").expanduser())
    assert settings.imap is not None
    assert (settings.imap.folders, settings.imap.tls, settings.imap.port) == (("INBOX",), "ssl", None)
    kinds = [type(s) for s in settings.sources()]
    assert kinds == [MaildirSource, MaildirSource, MboxSource, ImapSource]


def test_no_mail_section_means_no_sources() -> None:
    assert mail_settings({}).sources() == []


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[mail]\nmaildir = "x"\nmaildirs = ["y"]', r"\[mail\] has unknown keys: maildirs"),
        ("[mail]\nmbox = [1]", r"\[mail\] mbox must be a list of non-empty strings"),
        ('[mail.imap]\nhost = "h"\nuser = "u"\npassword = "hunter2"', "no password is ever stored"),
        ('[mail.imap]\nhost = "h"\nuser = "u"', r"\[mail.imap\] password_command is required"),
        ('[mail.imap]\nhost = "h"\nuser = "u"\npassword_command = "p"\ntls = "yes"',
         "tls must be one of ssl, starttls, none"),
        ('[mail.imap]\nhost = "h"\nuser = "u"\npassword_command = "p"\nport = 0', "port must be"),
        ('[mail.imap]\nhost = "imap.example.com"\nuser = "u"\npassword_command = "p"\n'
         'tls = "none"', "only for a loopback host"),
        ('me = ["alex"]', "'alex', which is not an email address"),
    ],
)
def test_bad_settings_are_refused_naming_the_fault(toml: str, message: str) -> None:
    with pytest.raises(MailError, match=message):
        mail_settings(tomllib.loads(toml)).sources()
