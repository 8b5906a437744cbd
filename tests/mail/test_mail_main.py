"""`python -m followup_tui.interchange.mail`: the stand-in scan command runs as a process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support import mail_corpus as corpus
from tests.support.mail import make_maildir

DATA = {
    "format": "followup-tui", "version": 1,
    "applications": [{
        "id": "acme-planner", "company": "Acme \x1b[31mShire", "role": "Senior Planner",
        "contacts": [{"name": "Priya Shah", "email": "priya@acme.example"}],
        "interviews": [{"id": "acme-planner-1", "starts_at": "2026-11-20T10:00:00+11:00"}],
    }],
}


def run(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
               TZ="Australia/Sydney")
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env)


def test_scan_as_a_process_then_nothing_new(tmp_path: Path) -> None:
    data = tmp_path / "apps.json"
    data.write_text(json.dumps(DATA))
    db = tmp_path / "followup.db"
    imported = run(["-m", "followup_tui.cli.main", "--db", str(db), "import", str(data)], tmp_path)
    assert imported.returncode == 0, imported.stderr
    maildir = make_maildir(tmp_path / "INBOX", [corpus.OUTLOOK_EN, corpus.NEWSLETTER])
    scan = ["-m", "followup_tui.interchange.mail", "--db", str(db), "--maildir", str(maildir),
            "--me", corpus.ME, "--now", "2026-11-30T09:00:00+11:00"]
    first = run(scan, tmp_path)
    assert first.returncode == 0, first.stderr
    counts = json.loads(first.stdout.splitlines()[0])
    assert (counts["read"], counts["suggested"]) == (2, 1)
    assert "\x1b" not in first.stdout  # the company name's escape is shown, not obeyed
    assert "out_of_office acme-planner" in first.stdout
    second = json.loads(run(scan, tmp_path).stdout.splitlines()[0])
    assert (second["read"], second["suggested"]) == (0, 0)


def test_a_source_that_cannot_be_read_exits_2_with_a_message(tmp_path: Path) -> None:
    done = run(["-m", "followup_tui.interchange.mail", "--db", str(tmp_path / "x.db"), "--maildir",
                str(tmp_path / "missing"), "--me", corpus.ME], tmp_path)
    assert done.returncode == 2
    assert "is not a Maildir" in done.stderr and "Traceback" not in done.stderr
