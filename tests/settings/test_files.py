"""settings.files: the one place personal files are made, owner-only whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from followup_tui.settings.files import create_private, private_dir, write_private


@pytest.fixture
def open_umask() -> Iterator[None]:
    before = os.umask(0)  # the worst case: nothing masked
    try:
        yield
    finally:
        os.umask(before)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_folders_made_are_owner_only_and_existing_ones_untouched(tmp_path, open_umask) -> None:
    tmp_path.chmod(0o755)
    made = private_dir(tmp_path / "a" / "b")
    assert made.is_dir()
    assert _mode(tmp_path / "a") == _mode(made) == 0o700
    assert _mode(tmp_path) == 0o755


def test_a_new_file_is_owner_only_and_never_replaces_one(tmp_path, open_umask) -> None:
    path = tmp_path / "new"
    os.close(create_private(path))
    assert _mode(path) == 0o600
    with pytest.raises(FileExistsError):
        create_private(path)


@pytest.mark.parametrize("durable", [False, True])
def test_a_replaced_file_is_whole_owner_only_and_follows_a_link(
    tmp_path, open_umask, durable: bool
) -> None:
    target = tmp_path / "real.toml"
    target.write_bytes(b"old")
    target.chmod(0o644)
    link = tmp_path / "link.toml"
    link.symlink_to(target)
    write_private(Path(os.path.realpath(link)), b"new", durable=durable)
    assert link.is_symlink() and target.read_bytes() == b"new"
    assert _mode(target) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.toml", "real.toml"]
