"""The benchmarks run (on a small size); their figures are printed, never asserted."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from followup_tui.interchange.document import read_document
from tools import bench, bench_tty


def test_generated_data_is_a_valid_varied_document() -> None:
    from zoneinfo import ZoneInfo

    doc = bench.generate(300, datetime(2026, 11, 25, 9, tzinfo=UTC))
    apps = read_document(json.loads(json.dumps(doc)), ZoneInfo("UTC"))
    assert len(apps) == 300
    types = {event.type.value for app in apps for event in app.events}
    assert {"thank_you_sent", "on_hold", "rejected", "note"} <= types


def test_cli_benchmark_runs_on_a_small_size(capsys) -> None:
    assert bench.main(["--sizes", "200", "--runs", "1"]) == 0
    out = capsys.readouterr().out
    assert "200 applications: import" in out and "due" in out


def test_pty_benchmark_runs_on_a_small_size(tmp_path) -> None:
    lines = bench_tty.measure([50], runs=1, keys=3, workdir=tmp_path)
    assert lines[0].startswith("baseline launch")
    assert "50 applications: launch" in lines[-1] and "peak RSS" in lines[-1]


def test_instruction_count_runs_on_a_small_size(tmp_path) -> None:
    import shutil

    import pytest

    from tools import bench_instructions

    if shutil.which("valgrind") is None:
        pytest.skip("valgrind is not installed (the benchmark says so and exits 2)")
    bare, app = bench_instructions.measure(50, tmp_path)
    assert bare.startswith("bare Textual app to its first frame:")
    assert "50 applications, to the first frame with data:" in app and "x bare" in app


def test_instruction_count_needs_valgrind(monkeypatch, capsys) -> None:
    import shutil

    from tools import bench_instructions

    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert bench_instructions.main(["--size", "10"]) == 2
    assert "valgrind" in capsys.readouterr().err


def test_instruction_count_refuses_a_launch_that_failed(tmp_path) -> None:
    import shutil
    import sys

    import pytest

    from tools import bench_instructions

    if shutil.which("valgrind") is None:
        pytest.skip("valgrind is not installed")
    with pytest.raises(SystemExit, match="exited with 3"):
        bench_instructions.instructions(
            [sys.executable, "-c", "raise SystemExit(3)"], {}, tmp_path
        )
