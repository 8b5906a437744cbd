"""Benchmark the command line on generated data: `python -m tools.bench`.

Generates N applications (default 10,000 and 100,000) in the interchange
format, then times `followup-tui import` and `followup-tui due` as whole
processes (what a user or cron waits for), best of a few runs. With
`task` (Taskwarrior) installed it also times `task next` over the same
number of tasks, as a same-run baseline. Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

COMPANIES = [
    "Acme Shire Council",
    "Globex",
    "Initech",
    "Umbrella Health",
    "Stark Industries",
    "Wayne Foundation",
    "Tyrell Labs",
    "Cyberdyne",
    "Soylent Foods",
    "Hooli",
    "Vandelay Imports",
    "Pied Piper",
    "Wonka Confectionery",
    "Oceanic Airlines",
    "Duff Brewing",
]
ROLES = [
    "Senior Planner",
    "Data Analyst",
    "Product Manager",
    "Backend Engineer",
    "UX Researcher",
    "Policy Officer",
    "Nurse Unit Manager",
    "Site Engineer",
    "Accountant",
    "Librarian",
]
PEOPLE = ["Priya Shah", "Tom Nguyen", "Zoë Ångström", "José Álvarez", "Aroha Ngata", "Sam Lee"]
TOPICS = [
    "the housing strategy",
    "community consultation",
    "the data platform migration",
    "on-call rotation",
    "stakeholder reporting",
    "the 2027 budget",
]


def generate(count: int, now: datetime, seed: int = 7, *, history: bool = True) -> dict[str, Any]:
    """An interchange document of `count` applications around `now`.

    With `history` (the default) it looks like years of use: most interviews
    are weeks or months old, their thank-yous sent and the employer long since
    in touch, and a few dozen are live. Without it every application is recent
    and most follow-ups are pending: the worst case for `due`'s output.
    """
    rng = random.Random(seed)
    apps = []
    for n in range(count):
        app_id = f"app-{n:06d}"
        interviews, events = [], []
        rounds = rng.choice((1, 1, 1, 2))
        # days since the first interview: up to two years of job hunting, a few live
        live = not history or rng.random() < 0.02
        age = rng.uniform(-5, 40) if live else rng.uniform(3, 730)
        start = now - timedelta(days=age)
        answered = history and age > 14 and rng.random() < 0.9
        for r in range(rounds):
            iv_start = (start + timedelta(days=7 * r)).replace(microsecond=0)
            iv_id = f"{app_id}-{r + 1}"
            interviews.append(
                {
                    "id": iv_id,
                    "starts_at": iv_start.isoformat(),
                    "duration_minutes": rng.choice((30, 45, 60, 90)),
                    "format": rng.choice(("phone", "video", "onsite")),
                    "round": ("First round", "Second round")[r],
                    "interviewers": [rng.choice(PEOPLE)],
                    "topics": rng.sample(TOPICS, 2),
                    "fit_points": ["five years of relevant work"],
                    **(
                        {"decision_by": (iv_start + timedelta(days=10)).date().isoformat()}
                        if rng.random() < 0.3
                        else {}
                    ),
                }
            )
            sent_share = 0.97 if history and age > 3 else 0.7
            if iv_start < now and rng.random() < sent_share:
                sent = iv_start + timedelta(hours=rng.uniform(2, 30))
                if sent < now:
                    events.append(
                        {"at": sent.isoformat(), "type": "thank_you_sent", "interview": iv_id}
                    )
        if answered:
            word = rng.choice(("reply_received", "rejected", "rejected", "offer", "withdrawn"))
            events.append({"at": (start + timedelta(days=12)).isoformat(), "type": word})
        roll = rng.random()
        if roll < 0.08:
            events.append({"at": (now - timedelta(days=2)).isoformat(), "type": "on_hold"})
        elif roll < 0.14:
            events.append({"at": (now - timedelta(days=1)).isoformat(), "type": "rejected"})
        elif roll < 0.2:
            events.append(
                {
                    "at": (now - timedelta(days=1)).isoformat(),
                    "type": "note",
                    "text": "Recruiter says the panel is still meeting",
                }
            )
        apps.append(
            {
                "id": app_id,
                "company": rng.choice(COMPANIES),
                "role": rng.choice(ROLES),
                "contacts": [
                    {"name": name, "email": f"{name.split()[0].lower()}@example.org"}
                    for name in {iv["interviewers"][0] for iv in interviews}
                ],
                "interviews": interviews,
                "events": events,
            }
        )
    return {"format": "followup-tui", "version": 1, "applications": apps}


def bytecode_env() -> dict[str, str]:
    """The environment to time programs in, with followup_tui compiled to bytecode
    as an installed copy is."""
    import compileall

    import followup_tui

    compileall.compile_dir(str(Path(followup_tui.__file__).parent), quiet=1)
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _time(cmd: list[str], env: dict[str, str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - t0)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.decode()[:500]}")
    return times


def _taskwarrior_baseline(count: int, workdir: Path, runs: int) -> float | None:
    task = shutil.which("task")
    if not task:
        return None
    data = workdir / "task"
    data.mkdir()
    rc = workdir / "taskrc"
    rc.write_text(f"data.location={data}\nconfirmation=off\nverbose=nothing\n")
    env = {**os.environ, "TASKRC": str(rc)}
    lines = "\n".join(
        json.dumps(
            {
                "description": f"Follow up {n}",
                "status": "pending",
                "uuid": f"00000000-0000-4000-8000-{n:012d}",
                "entry": "20261101T000000Z",
                "due": "20261201T000000Z",
            }
        )
        for n in range(count)
    )
    subprocess.run(
        [task, "import", "-"],
        input=lines.encode(),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    return min(_time([task, "next"], env, runs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default="10000,100000",
        help="comma-separated numbers of applications (default 10000,100000)",
    )
    parser.add_argument(
        "--runs", type=int, default=5, help="runs of `due` per size (best is shown)"
    )
    parser.add_argument(
        "--worst-case",
        action="store_true",
        help="every application recent, most follow-ups pending (instead of two years of use)",
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    # the command installed beside this Python (its own venv), else the one on PATH
    exe = shutil.which("followup-tui", path=str(Path(sys.executable).parent)) or ""
    exe = exe or shutil.which("followup-tui") or ""
    base = [exe] if exe else [sys.executable, "-m", "followup_tui.cli.main"]
    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    print(f"python {sys.version.split()[0]} on {os.cpu_count()} cores; best of {args.runs} runs; "
          f"{' '.join(base)}")
    with tempfile.TemporaryDirectory(prefix="followup-bench-") as tmp:
        workdir = Path(tmp)
        env = {
            **bytecode_env(),
            "FOLLOWUP_TUI_NOW": now.isoformat(),
            "TZ": "UTC",
            "FOLLOWUP_TUI_CONFIG_DIR": str(workdir / "config"),
        }
        for size in sizes:
            doc = workdir / f"apps-{size}.json"
            doc.write_text(json.dumps(generate(size, now, history=not args.worst_case)))
            db = workdir / f"apps-{size}.db"
            env["FOLLOWUP_TUI_DB"] = str(db)
            import_time = _time([*base, "import", str(doc)], env, 1)[0]
            due = _time([*base, "due"], env, args.runs)
            due_json = _time([*base, "due", "--all", "--json"], env, args.runs)
            print(
                f"{size:>7} applications: import {import_time:6.2f} s | due {min(due):.3f} s "
                f"(median {statistics.median(due):.3f}) | due --all --json {min(due_json):.3f} s"
            )
        baseline = _taskwarrior_baseline(10_000, workdir, args.runs)
        if baseline is None:
            print(
                "task (Taskwarrior) not installed: no same-run baseline "
                "(apt-get install taskwarrior to get one)"
            )
        else:
            print(f"  baseline: task next over 10000 tasks {baseline:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
