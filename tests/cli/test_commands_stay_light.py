"""Every command starts without Textual: they serve shell prompts, cron and scripts."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from followup_tui.cli.commands import all_commands
from tests.support.cli import SAMPLE, Runner
from tests.support.mail import make_maildir
from tests.support.mail_corpus import message

#: A reply from the sample's contact, so the scan matches, parses and stores one.
REPLY = message("Priya Shah <priya@example.org>", "alex@example.com", "Re: Thank you",
                "Thanks Alex, we will be in touch.", at="2026-11-24T10:00:00+11:00")

#: Words that run each command for real on the sample database; a new command must
#: add its own here (the test below fails until it does).
RUNS: dict[str, list[str]] = {
    "due": ["due", "--all", "--json"],
    "import": ["import", "SAMPLE"],
    "export": ["export", "--format", "ics"],
    "draft": ["draft", "--interview", "acme-planner-1"],
    "check": ["check", "DRAFT", "--interview", "acme-planner-1"],
    "backup": ["backup", "BACKUP"],
    "restore": ["restore", "RESTORE"],
    "notify": ["notify", "--json"],
    "completion": ["completion", "bash"],
    "stats": ["stats", "--json"],
    "report": ["report", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "md"],
    "mail": ["mail", "scan", "--maildir", "MAILDIR", "--json"],
}


def test_every_registered_command_has_a_run_here() -> None:
    assert sorted(RUNS) == sorted(c.name for c in all_commands())


@pytest.mark.parametrize("name", sorted(RUNS))
def test_command_never_imports_textual(loaded: Runner, name: str) -> None:
    draft = loaded.tmp / "draft.txt"
    draft.write_text("Dear Priya,\n\nThank you.\n", encoding="utf-8")
    restore = loaded.tmp / "to-restore.db"
    source, copy = sqlite3.connect(loaded.db), sqlite3.connect(restore)
    source.backup(copy)
    source.close()  # restore refuses while another connection has the database open
    copy.close()
    files = {
        "RESTORE": str(restore),
        "SAMPLE": str(loaded.write_json("again.json", SAMPLE)),
        "DRAFT": str(draft),
        "BACKUP": str(loaded.tmp / "copy.db"),
        "MAILDIR": str(make_maildir(loaded.tmp / "Mail", [REPLY])),
    }
    words = [files.get(word, word) for word in RUNS[name]]
    code = (
        "import sys\n"
        "from followup_tui.cli.main import main\n"
        f"rc = main({['--db', str(loaded.db), '--now', '2026-11-25T09:00', *words]!r})\n"
        "bad = [m for m in ('textual', 'rich') if m in sys.modules]\n"
        "assert not bad, bad\n"
        "sys.exit(rc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=loaded.env, capture_output=True, text=True
    )
    assert done.returncode in (0, 1), done.stderr  # check exits 1 when a check fails
    assert "Traceback" not in done.stderr
