"""tools/bench_stats runs on a small size; its figures are printed, never asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_stats_benchmark_runs_on_a_small_size() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tools.bench_stats", "--count", "200", "--runs", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "200 applications" in done.stdout
    assert "due (due_items" in done.stdout and "x due" in done.stdout
    assert "figures: 200 applications" in done.stdout
