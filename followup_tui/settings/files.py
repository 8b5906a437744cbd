"""Files that hold personal data: created readable by their owner only, whatever the umask.

Every file followup-tui writes for the user (the database, backups, exports, drafts,
config.toml) goes through here, so the rule "readable by you only" lives once.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def private_dir(path: Path) -> Path:
    """`path` as a folder, created owner-only (with its missing parents) if it is not there."""
    path.mkdir(parents=True, mode=PRIVATE_DIR, exist_ok=True)
    return path


def create_private(path: Path) -> int:
    """A new owner-only file at `path`, opened for writing; FileExistsError if one is there."""
    return os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE)


def write_private(path: Path, data: bytes, *, durable: bool = False) -> None:
    """Replace `path` with `data` whole: written under a temporary name beside it, owner-only,
    then renamed over it, so a reader or a crash sees the old file or the new, never half.

    A symlink at `path` is followed: its target is replaced and the link kept. `durable`
    waits for the disk before the rename (for files that must survive a power cut).
    """
    target = Path(os.path.realpath(path))
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, PRIVATE_FILE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, PRIVATE_FILE)  # an existing stale temp file kept its old mode
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
