"""`me` and `[mail]` in config.toml: read by the config loader, faults named with their line."""

from __future__ import annotations

from pathlib import Path

import pytest

from followup_tui.interchange.mail import ImapSource, MaildirSource, MboxSource, settings_of
from followup_tui.settings.config import ConfigError, load_config

CONFIG = """name = "Alex"
me = ["Alex@Example.com", "alex@work.example"]

[mail]
maildir = ["~/Mail/INBOX", "~/Mail/Sent"]
mbox = "/var/mail/alex"

[mail.imap]
host = "imap.example.com"
port = 993
user = "alex@example.com"
password_command = "pass show mail"
folders = ["INBOX", "Sent"]

[holidays]
country = "AU"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_readme_example_loads_into_sources(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, CONFIG))
    assert config.me == ("alex@example.com", "alex@work.example")
    assert hash(config) == hash(load_config(write(tmp_path, CONFIG)))  # still a value
    settings = settings_of(config)
    assert [type(s) for s in settings.sources()] == [MaildirSource, MaildirSource, MboxSource,
                                                     ImapSource]
    assert settings.maildirs[0] == Path("~/Mail/INBOX").expanduser()
    assert settings.imap is not None
    assert (settings.imap.port, settings.imap.folders) == (993, ("INBOX", "Sent"))


def test_no_mail_settings_mean_no_sources(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, 'name = "Alex"\n'))
    assert settings_of(config).sources() == []
    assert config.me == ()


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('me = ["alex@example.com", "alex"]\n', 1, "'alex' is not an email address"),
        ('name = "A"\n[mail]\nmbox = [1]\n', 3, "[mail] mbox must be a list of mbox files"),
        ('[mail]\n[mail.imap]\nhost = "h"\nuser = "u"\npassword_command = "p"\nport = "993"\n',
         6, "[mail.imap] port must be a number"),
        ('[mail.imap]\nhost = "h"\nuser = "u"\npassword_command = "p"\ntls = "yes"\n', 5,
         "[mail.imap] tls must be one of ssl, starttls, none"),
        ('[mail.imap]\nhost = "h"\nuser = "u"\npassword_command = "p"\nfolders = 3\n', 5,
         "[mail.imap] folders must be a list"),
        ('me = ["a@b.example"]\n\n[mail.imap]\nuser = "u"\npassword_command = "p"\nhost = 3\n',
         6, "[mail.imap] host must be text"),
    ],
)
def test_faults_name_their_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert f"{path}, line {line}: " in str(caught.value)
    assert message in str(caught.value)
