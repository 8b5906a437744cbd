"""Helpers for the reliability tests: generated data, database checks, tiny filesystems."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tools.bench import generate

GENERATED_NOW = datetime(2026, 11, 25, tzinfo=UTC)
NOW = "2026-11-25T09:00:00+11:00"


def write_generated(path: Path, count: int, *, prefix: str = "app", seed: int = 7) -> Path:
    """`count` generated applications (ids start with `prefix`) as an interchange file."""
    document = generate(count, GENERATED_NOW, seed=seed)
    if prefix != "app":
        for app in document["applications"]:
            old = app["id"]
            app["id"] = prefix + old[3:]
            for interview in app["interviews"]:
                interview["id"] = prefix + interview["id"][3:]
            for event in app["events"]:
                if "interview" in event:
                    event["interview"] = prefix + event["interview"][3:]
    path.write_text(json.dumps(document, ensure_ascii=False))
    return path


def integrity(db: Path) -> str:
    """`PRAGMA integrity_check` on a fresh connection (which also recovers a hot WAL)."""
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def count(db: Path, table: str = "applications", where: str = "", *args: Any) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table} {where}", args).fetchone()[0])
    finally:
        conn.close()


def python_child(code: str, *args: str) -> subprocess.Popen[str]:
    """A Python child process running `code` (with `sys.argv[1:] == args`), stdout piped."""
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here ({done.stderr.strip() or 'mount failed'})")


def _umount(target: Path) -> None:
    subprocess.run(["umount", str(target)], capture_output=True)


@contextmanager
def tiny_filesystem(where: Path, size: str = "200k") -> Iterator[Path]:
    """A tmpfs of `size` mounted on `where` (skips the test when mounting is not permitted)."""
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root")
    _mount("-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where))
    try:
        yield where
    finally:
        _umount(where)


def remount_read_only(where: Path) -> None:
    _mount("-o", "remount,ro", str(where))


@contextmanager
def read_only_file(path: Path) -> Iterator[Path]:
    """`path` bind-mounted read-only over itself: even root cannot write it."""
    if os.geteuid() != 0:
        pytest.skip("a read-only bind mount needs root")
    _mount("--bind", str(path), str(path))
    try:
        _mount("-o", "remount,ro,bind", str(path))
        yield path
    finally:
        _umount(path)


def snapshot(path: Path) -> dict[str, bytes]:
    """Every file in `path`'s directory that belongs to the database, by name."""
    return {p.name: p.read_bytes() for p in path.parent.glob(path.name + "*") if p.is_file()}
