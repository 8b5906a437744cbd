"""The command-line tests' fixtures: a runner on temp files, and one with the sample."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import SAMPLE, Runner


@pytest.fixture
def cli(tmp_path: Path) -> Runner:
    return Runner(tmp_path)


@pytest.fixture
def loaded(cli: Runner) -> Runner:
    done = cli.run("import", str(cli.write_json("sample.json", SAMPLE)))
    assert done.returncode == 0, done.stderr
    return cli
