"""Benchmark of `mail scan` on a big Maildir, beside `notmuch new` on the same files.

    python -m tools.bench_mail [--messages 50000] [--keep DIR]

Builds a Maildir of N messages of which 2% come from the contacts of 50
applications, a database holding those applications, then times as whole
processes: the first scan, a second scan with nothing new, and `notmuch new`
(first and second run) on the same Maildir, each with its peak memory.
Goals: first scan no slower than notmuch new, rescan within 0.3 s, peak under 150 MiB.
Wall and CPU time are both printed: on a shared machine wall time includes waiting.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

NOW = datetime.fromisoformat("2026-11-30T09:00:00+11:00")
ME = "alex@example.com"
APPLICATIONS = 50
MATCH_SHARE = 0.02

# Runs one command, then prints its wall time and the peak memory of it (its only child).
_MEASURE = r"""
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime,
                  "peak_mib": usage.ru_maxrss / 1024, "rc": done.returncode,
                  "stderr": done.stderr.decode(errors="replace")[-500:]}))
"""

_WORDS = (  # noqa: SIM905 - words read better as words
    "the quarterly planning review budget team meeting schedule project update customer "
    "delivery design proposal council housing strategy community consultation report draft "
    "weekend sale discount newsletter offer members exclusive shipping order tracking"
).split()
_EMPLOYER_BODIES = (
    "Hi Alex,\n\nThanks for coming in. We will be in touch next week.\n\nBest,\n{name}",
    "Dear Alex,\n\nUnfortunately we have decided not to move forward with your application.",
    "Dear Alex,\n\nWe are pleased to offer you the position. The letter is attached.",
    "I am out of the office and will be back on Monday 7 December.",
)


def _paragraphs(rng: random.Random, count: int) -> str:
    return "\n\n".join(
        " ".join(rng.choice(_WORDS) for _ in range(rng.randint(40, 90))) for _ in range(count)
    )


def _message(rng: random.Random, index: int, sender: str, subject: str, body: str,
             headers: str = "") -> bytes:
    at = NOW - timedelta(minutes=rng.randint(0, 50 * 24 * 60))
    text = (
        f"From: {sender}\nTo: Alex <{ME}>\nSubject: {subject}\n"
        f"Date: {format_datetime(at)}\nMessage-ID: <bench-{index}@mail.example>\n"
        f"MIME-Version: 1.0\n{headers}Content-Type: text/plain; charset=utf-8\n"
        f"Content-Transfer-Encoding: 8bit\n\n{body}\n"
    )
    return text.encode()


def build(root: Path, messages: int, seed: int = 7) -> tuple[Path, Path]:
    """The Maildir and an interchange file of the applications whose mail 2% of it is."""
    rng = random.Random(seed)
    maildir = root / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    apps = []
    for n in range(APPLICATIONS):
        domain = f"employer{n}.example"
        apps.append({
            "id": f"app-{n}", "company": f"Employer {n}", "role": "Planner",
            "contacts": [{"name": f"Contact {n}", "email": f"hiring{n}@{domain}"}],
            "interviews": [{"id": f"app-{n}-1", "starts_at": "2026-10-01T10:00:00+10:00",
                            "duration_minutes": 60}],
        })
    data = root / "applications.json"
    data.write_text(json.dumps({"format": "followup-tui", "version": 1, "applications": apps}))
    for index in range(messages):
        if rng.random() < MATCH_SHARE:
            n = rng.randrange(APPLICATIONS)
            kind = rng.randrange(len(_EMPLOYER_BODIES))
            headers = "Auto-Submitted: auto-replied\n" if kind == 3 else ""
            raw = _message(rng, index, f"Contact {n} <hiring{n}@employer{n}.example>",
                           "Re: Planner", _EMPLOYER_BODIES[kind].format(name=f"Contact {n}"),
                           headers)
        else:
            shop = rng.randrange(2000)
            raw = _message(rng, index, f"Shop {shop} <news@shop{shop}.example>",
                           f"Deals of the week {index}", _paragraphs(rng, rng.randint(2, 8)))
        name = f"{1_700_000_000 + index}.M{index}P1.bench"
        if index % 3:
            (maildir / "cur" / f"{name}:2,S").write_bytes(raw)
        else:
            (maildir / "new" / name).write_bytes(raw)
    return maildir, data


def measure(command: list[str], env: dict[str, str]) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], env=env,
                          capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    if result["rc"] != 0:
        raise SystemExit(f"{command[0]} failed: {result['stderr']}")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench_mail")
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--keep", type=Path, help="build in this folder and leave it there")
    args = parser.parse_args(argv)
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-mail-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        return _run(root, args.messages)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


def _run(root: Path, messages: int) -> int:
    home = root / "home"
    home.mkdir()
    env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_DATA_HOME=str(home / ".local/share"), TZ="Australia/Sydney")
    env.pop("FOLLOWUP_TUI_DB", None)
    # the user's own address, where a user writes it: config.toml (SPEC §6)
    config_dir = home / ".config" / "followup-tui"
    config_dir.mkdir(parents=True)
    (config_dir / "config.toml").write_text(f'me = ["{ME}"]\n', encoding="utf-8")
    env["FOLLOWUP_TUI_CONFIG_DIR"] = str(config_dir)
    print(f"building a Maildir of {messages:,} messages ({MATCH_SHARE:.0%} match)...", flush=True)
    maildir, data = build(root, messages)
    # a real Maildir's folders were not all written this very second (see SETTLE_NS)
    for sub in ("new", "cur"):
        os.utime(maildir / sub, (NOW.timestamp() - 3600, NOW.timestamp() - 3600))
    db = root / "followup.db"
    subprocess.run([sys.executable, "-m", "followup_tui.cli.main", "--db", str(db), "import",
                    str(data)], env=env, check=True, capture_output=True)
    scan = [sys.executable, "-m", "followup_tui.cli.main", "--db", str(db), "--now",
            NOW.isoformat(), "mail", "scan", "--maildir", str(maildir)]
    # the floor under any scan: starting Python and importing what a scan imports
    imports = ("import followup_tui.cli.main, followup_tui.settings.config, "
               "followup_tui.storage.store, followup_tui.interchange.mail.scanning")
    rows = [("python start and imports (baseline)", measure([sys.executable, "-c", imports], env))]
    rows.append(("mail scan, first", measure(scan, env)))
    rows.append(("mail scan, nothing new", measure(scan, env)))
    # the mail program marks one message read: a rename, so the folder is listed again
    # (and the names read before are loaded) though nothing is new
    flagged = next((maildir / "cur").iterdir())
    flagged.rename(flagged.with_name(flagged.name.replace(":2,S", ":2,RS")))
    rows.append(("mail scan, nothing new after a flag change", measure(scan, env)))
    notmuch = shutil.which("notmuch")
    if notmuch:
        config = home / ".notmuch-config"
        config.write_text(f"[database]\npath={maildir}\n[user]\nname=Alex\n"
                          f"primary_email={ME}\n[new]\ntags=unread;inbox;\n"
                          "[search]\nexclude_tags=\n[maildir]\nsynchronize_flags=false\n")
        env["NOTMUCH_CONFIG"] = str(config)
        rows.append(("notmuch new, first (baseline)", measure([notmuch, "new", "--quiet"], env)))
        rows.append(("notmuch new, nothing new (baseline)",
                     measure([notmuch, "new", "--quiet"], env)))
    else:
        print("notmuch is not installed: no baseline (apt-get install notmuch)")
    suggested = subprocess.run(
        [sys.executable, "-c", "import sqlite3, sys; print(sqlite3.connect(sys.argv[1])"
         ".execute('select count(*) from mail_suggestions').fetchone()[0])", str(db)],
        capture_output=True, text=True, check=True).stdout.strip()
    print(f"\n{messages:,} messages, {suggested} suggestions stored\n")
    print(f"{'':<52}{'wall s':>8}{'CPU s':>8}{'peak MiB':>10}")
    for name, result in rows:
        print(f"{name:<52}{result['seconds']:>8.2f}{result['cpu']:>8.2f}"
              f"{result['peak_mib']:>10.1f}")
    # the machine may be shared: CPU time is the steadier figure when wall time is not
    print(f"(load average at the end: {os.getloadavg()[0]:.1f})")
    print("\ngoals: first scan no slower than notmuch new; nothing new within 0.3 s; "
          "peak under 150 MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
