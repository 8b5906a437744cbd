"""Privacy: everything written is readable by its owner only, and nothing goes on the network."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from tests.reliability.test_reliability_fuzz import InProcess
from tests.support.cli import SAMPLE


@pytest.fixture
def proc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    old = os.umask(0o022)  # the usual umask: files would be world-readable by default
    try:
        yield InProcess(tmp_path, monkeypatch)
    finally:
        os.umask(old)


def test_database_sidecars_backups_and_exports_are_owner_only(proc: InProcess) -> None:
    from followup_tui.storage.store import Store

    path = proc.tmp / "sample.json"
    path.write_text(json.dumps(SAMPLE))
    assert proc.run("import", str(path))[0] == 0
    with Store(proc.db) as store:  # held open, so -wal and -shm exist
        store.set_setting("k", "v")
        written = [proc.db, Path(f"{proc.db}-wal"), Path(f"{proc.db}-shm")]
        written.append(store.backup())
        written.append(store.daily_backup() or store.backup(reason="again"))
        modes = {p.name: oct(p.stat().st_mode & 0o777) for p in written}
    for fmt in ("json", "csv", "ics"):
        out = proc.tmp / f"out.{fmt}"
        assert proc.run("export", "--format", fmt, "-o", str(out))[0] == 0
        written.append(out)
    copy = proc.tmp / "copy.db"
    assert proc.run("backup", str(copy))[0] == 0
    written.append(copy)
    modes |= {p.name: oct(p.stat().st_mode & 0o777) for p in written[5:]}
    assert set(modes.values()) == {"0o600"}, modes
    assert oct(store.backup_dir.stat().st_mode & 0o777) == "0o700"


def test_no_command_opens_a_network_socket(
    proc: InProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[tuple[object, ...]] = []

    def refuse(*args: object, **kwargs: object) -> None:
        opened.append(args)
        raise OSError("the network is not for followup-tui")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    path = proc.tmp / "sample.json"
    path.write_text(json.dumps(SAMPLE))
    now = ["--now", "2026-11-25T09:00:00+11:00"]
    for args in (
        ["import", str(path)],
        ["due", *now],
        ["due", "--json", "--all", *now],
        ["export"],
        ["export", "--format", "csv", *now],
        ["export", "--format", "ics", *now],
        ["backup", str(proc.tmp / "b.db")],
        ["draft", "--interview", "acme-planner-1", *now],
    ):
        code, _, err = proc.run(*args)
        assert code == 0, (args, err)
    assert opened == []
