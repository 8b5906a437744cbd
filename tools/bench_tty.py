"""Measure the app as a person meets it: on a real pseudo-terminal.

`python -m tools.bench_tty` generates the data, launches the real app
on a pty (the standard `pty` machinery, `pyte` as the terminal emulator that
reads the screen), and prints each figure of the performance issue beside a
baseline measured in the same run:

- launch to the first screen showing data, vs a bare Textual app showing one
  `Static`;
- key to repaint when moving the selection (`j`), vs a bare `DataTable`;
- peak resident memory of the app.

The app and the baselines run as a user's installed copy would: from compiled
bytecode (`compileall` first, as `pip install` does; an editable install run
with PYTHONDONTWRITEBYTECODE would recompile followup_tui on every launch).
Launches of the app and of the bare app alternate, so both meet the same
machine; the best of each is compared.

The CLI figures (`due` vs `task next`, `import`) come from
`python -m tools.bench`. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import textwrap
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

COLUMNS, LINES = 120, 40

BARE_STATIC = """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("READY: a bare Textual app")

Bare().run()
"""

BARE_TABLE = """
from textual.app import App
from textual.widgets import DataTable

class Bare(App):
    def compose(self):
        yield DataTable()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("company", "role", "state")
        for n in range(200):
            table.add_row(f"Company {n}", f"Role {n}", "due")
        table.focus()

Bare().run()
"""


class Terminal:
    """A process on a pty of a fixed size, with a pyte screen fed from its output."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        import pyte

        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.ByteStream(self.screen)
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        self.master = master
        self.closed = False
        self.started = time.perf_counter()
        #: When the last bytes read arrived: pyte takes ~1 ms per kilobyte to parse
        #: them (a real terminal, a few microseconds), so times are taken before that.
        self.arrived = self.started
        self.process = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        os.set_blocking(master, False)

    def pump(self, timeout: float) -> bool:
        """Read what is there (waiting up to `timeout`); False when nothing came."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.master, 1 << 20)
        except OSError:
            return False
        if not data:
            return False
        self.arrived = time.perf_counter()
        self.stream.feed(data)
        return True

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, predicate: Callable[[str], bool], limit: float = 120.0) -> float:
        """Seconds from launch until the screen satisfies `predicate`."""
        deadline = time.perf_counter() + limit
        if predicate(self.text()):
            return self.arrived - self.started
        while time.perf_counter() < deadline:
            if self.pump(0.05) and predicate(self.text()):
                return self.arrived - self.started
            if self.process.poll() is not None:
                raise RuntimeError(f"the program exited early:\n{self.text()}")
        raise TimeoutError(f"the screen never showed what was expected:\n{self.text()}")

    def settle(self, quiet: float = 0.3) -> None:
        while self.pump(quiet):
            pass

    def key_to_repaint(self, key: bytes, quiet: float = 0.1) -> tuple[float, float]:
        """Seconds from sending `key` to its first repaint, and to the screen settling.

        Textual writes a frame with one write, so the first bytes after the key
        are the first frame that shows the key's effect; a pane that follows
        later (the detail pane waits for the cursor to rest) shows in the
        second figure.
        """
        self.settle(0.2)
        sent = time.perf_counter()
        os.write(self.master, key)
        if not self.pump(2.0):
            raise RuntimeError("the key caused no repaint")
        first = last = self.arrived
        while self.pump(quiet):
            last = self.arrived
        return first - sent, last - sent

    def peak_rss_mib(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        os.close(self.master)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _keys(term: Terminal, count: int) -> tuple[list[float], list[float]]:
    """First-repaint and settled times of `count` presses of the down arrow."""
    pairs = [term.key_to_repaint(b"\x1b[B") for _ in range(count)]
    return [first for first, _ in pairs], [settled for _, settled in pairs]


def _ms(values: list[float]) -> str:
    return (
        f"p50 {statistics.median(values) * 1000:.1f} ms, "
        f"p95 {_percentile(values, 0.95) * 1000:.1f} ms"
    )


def measure(sizes: list[int], runs: int, keys: int, workdir: Path) -> list[str]:
    """Every figure, as printable lines; no program it started outlives it."""
    started: list[Terminal] = []
    try:
        return _measure(sizes, runs, keys, workdir, started)
    finally:
        for term in started:
            term.close()


def _measure(
    sizes: list[int], runs: int, keys: int, workdir: Path, started: list[Terminal]
) -> list[str]:
    from tools.bench import COMPANIES, bytecode_env, generate

    env = {
        **bytecode_env(),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "TZ": "UTC",
        "FOLLOWUP_TUI_CONFIG_DIR": str(workdir / "config"),
        "TEXTUAL_ANIMATIONS": "none",
    }
    env.pop("NO_COLOR", None)
    python = sys.executable
    static_py = workdir / "bare_static.py"
    static_py.write_text(textwrap.dedent(BARE_STATIC))
    table_py = workdir / "bare_table.py"
    table_py.write_text(textwrap.dedent(BARE_TABLE))
    out: list[str] = []

    def launch(argv: list[str], predicate: Callable[[str], bool]) -> tuple[float, Terminal]:
        term = Terminal(argv, env)
        started.append(term)
        return term.wait_for(predicate), term

    bare_times: list[float] = []

    def launch_bare() -> None:
        seconds, term = launch([python, str(static_py)], lambda s: "READY" in s)
        bare_times.append(seconds)
        term.close()

    launch_bare()
    out.append(f"baseline launch (bare Textual app, one Static): {bare_times[0] * 1000:.0f} ms")

    _, term = launch([python, str(table_py)], lambda s: "Company 3" in s)
    table_keys, _ = _keys(term, keys)
    term.close()
    out.append(f"baseline key->repaint (bare DataTable, down x{keys}): {_ms(table_keys)}")

    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    for size in sizes:
        doc = workdir / f"apps-{size}.json"
        doc.write_text(json.dumps(generate(size, now)))
        db = workdir / f"apps-{size}.db"
        done = subprocess.run(
            [python, "-m", "followup_tui.cli.main", "--db", str(db), "import", str(doc)],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise SystemExit(done.stderr)
        argv = [python, "-m", "followup_tui.cli.main", "--db", str(db), "--now", now.isoformat()]

        def shows_data(screen: str) -> bool:
            return any(company in screen for company in COMPANIES)

        def everything_read(screen: str) -> bool:  # "showing N of M" replaces "reading…"
            return "showing " in screen

        times, loaded, rss = [], [], []
        bare_times.clear()
        term = None
        for n in range(runs):
            launch_bare()  # the baseline, on the same machine a moment before
            seconds, term = launch(argv, shows_data)
            times.append(seconds)
            if n < runs - 1:
                loaded.append(term.wait_for(everything_read) - seconds)
                term.settle(0.5)
                rss.append(term.peak_rss_mib())
                term.close()
        assert term is not None
        # the last launch: keys at once, while a large database is still read...
        early, _ = _keys(term, min(keys, 10))
        # ...and once every application is read
        term.wait_for(everything_read)
        app_keys, app_settled = _keys(term, keys)
        term.settle(0.5)
        rss.append(term.peak_rss_mib())
        term.close()
        read_in = f"{min(loaded):.1f} s" if loaded else "? (use --runs 2 or more)"
        launch_best, bare = min(times), min(bare_times)
        # each launch over the bare one just before it: both met the same machine
        paired = statistics.median(t / b for t, b in zip(times, bare_times, strict=True))
        out.append(
            f"{size:>7} applications: launch {launch_best * 1000:.0f} ms = "
            f"{launch_best / bare:.2f}x bare {bare * 1000:.0f} ms (best of {len(times)} each); "
            f"median of paired ratios {paired:.2f}x ("
            f"everything read {read_in} later) | "
            f"key->repaint {_ms(app_keys)}, while reading {_ms(early)} "
            f"(bare table p50 {statistics.median(table_keys) * 1000:.1f} ms; "
            f"detail pane settled {_ms(app_settled)}) | peak RSS {max(rss):.0f} MiB"
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the app on a pseudo-terminal.")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--runs", type=int, default=7, help="launches per size (best is shown)")
    parser.add_argument("--keys", type=int, default=40, help="key presses timed per size")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {COLUMNS}x{LINES} pty, "
        f"{datetime.now(UTC):%Y-%m-%d}"
    )
    with tempfile.TemporaryDirectory(prefix="followup-tty-") as tmp:
        for line in measure(sizes, args.runs, args.keys, Path(tmp)):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
