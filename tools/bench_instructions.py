"""Count the work of a launch, not its time: instructions until the first frame.

`python -m tools.bench_instructions [--size 10000]` runs the real app and
a bare Textual app (one `Static`) on a pseudo-terminal under valgrind's
cachegrind, each stopped the moment its first frame showing data is written,
and prints the instructions each executed and their ratio. Unlike a stopwatch on
a shared machine, the count is the same from one run to the next (to a few
hundred thousand of a billion), so a change of a few milliseconds shows: the
launch work of this app was found and cut this way. Needs valgrind
(`apt-get install valgrind`); the wall-clock figures are bench_tty's.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

#: The exit status of a launch stopped at its first frame (any other is a failure).
AT_FIRST_FRAME = 77

#: The launcher of either program: exit at the first frame that shows a marker.
_LAUNCHER = """
import os, sys
from textual.drivers import linux_driver

write = linux_driver.LinuxDriver.write
MARKERS = {markers!r}

def stop_at_first_frame(self, data):
    write(self, data)
    if any(marker in data for marker in MARKERS):
        os._exit({status})

linux_driver.LinuxDriver.write = stop_at_first_frame
{body}
"""

_APP = """
sys.argv = ["followup-tui", *sys.argv[1:]]
from followup_tui.cli.main import main
main()
"""


def instructions(argv: list[str], env: dict[str, str], workdir: Path) -> int:
    """Instructions `argv` executes (on a pty, under cachegrind) until it exits."""
    from tools.bench_tty import Terminal

    log = workdir / "cachegrind.log"
    term = Terminal(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no",
         "--cachegrind-out-file=/dev/null", f"--log-file={log}", *argv],
        env,
    )
    try:
        deadline = time.monotonic() + 180
        while term.process.poll() is None and time.monotonic() < deadline:
            term.pump(0.05)
        status = term.process.poll()
    finally:
        term.close()
    if status != AT_FIRST_FRAME:
        what = "never showed its first frame" if status is None else f"exited with {status}"
        raise SystemExit(f"{' '.join(argv)} {what}:\n{term.text()}")
    found = re.search(r"I\s+refs:\s+([\d,]+)", log.read_text())
    if found is None:
        raise SystemExit(f"valgrind printed no count:\n{log.read_text()[-2000:]}")
    return int(found.group(1).replace(",", ""))


def measure(size: int, workdir: Path) -> list[str]:
    from tools.bench import COMPANIES, bytecode_env, generate
    from tools.bench_tty import BARE_STATIC

    env = {
        **bytecode_env(),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "TZ": "UTC",
        "PYTHONHASHSEED": "0",  # the same hashing, so the same work, every run
        "FOLLOWUP_TUI_CONFIG_DIR": str(workdir / "config"),
        "TEXTUAL_ANIMATIONS": "none",
    }
    env.pop("NO_COLOR", None)
    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    doc, db = workdir / "apps.json", workdir / "apps.db"
    doc.write_text(json.dumps(generate(size, now)))
    cli = [sys.executable, "-m", "followup_tui.cli.main", "--db", str(db), "--now", now.isoformat()]
    for step in (["import", str(doc)], ["due"]):  # `due` leaves the follow-up cache warm
        subprocess.run([*cli, *step], env=env, check=True, capture_output=True)
    bare, app = workdir / "bare.py", workdir / "app.py"
    for launcher, markers, body in ((bare, ["READY"], BARE_STATIC), (app, COMPANIES, _APP)):
        launcher.write_text(_LAUNCHER.format(
            markers=list(markers), status=AT_FIRST_FRAME, body=textwrap.dedent(body)
        ))
    bare_count = instructions([sys.executable, str(bare)], env, workdir)
    app_count = instructions(
        [sys.executable, str(app), "--db", str(db), "--now", now.isoformat()], env, workdir
    )
    return [
        f"bare Textual app to its first frame: {bare_count / 1e6:,.1f} M instructions",
        f"{size:>7} applications, to the first frame with data: {app_count / 1e6:,.1f} M "
        f"instructions = {app_count / bare_count:.3f}x bare",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="applications (default 10000)")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="followup-instructions-") as tmp:
        for line in measure(args.size, Path(tmp)):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
