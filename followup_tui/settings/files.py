"""Files that hold personal data: created readable by their owner only, whatever the umask.

Every file followup-tui writes for the user (the database, backups, exports, drafts,
config.toml) is made through here, so "readable by you only" is kept in one place.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def private_dir(directory: Path) -> Path:
    """`directory`, with any missing parents, created owner-only (0700) whatever the umask;
    folders that were already there are left as they are."""
    missing: list[Path] = []
    probe = directory
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, PRIVATE_DIR)
        except FileExistsError:
            continue
        os.chmod(folder, PRIVATE_DIR)  # mkdir's mode is masked by the umask, never widened
    return directory


def create_private(path: Path) -> int:
    """A new owner-only file at `path`, open for writing (a descriptor); FileExistsError
    when something is there already (it is never replaced)."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE)
    os.fchmod(fd, PRIVATE_FILE)  # as above: the umask only ever narrows the mode
    return fd


def write_private(target: Path, data: bytes, *, durable: bool = False) -> None:
    """Replace `target` with `data` whole: an owner-only temporary beside it, then a rename,
    so a reader or a crash sees the old file or the new one, never half of either.

    `durable` waits for the disk (the data, then the folder's record of the rename): for a
    file a person wrote by hand and cannot make again, such as config.toml.
    """
    import tempfile  # only when a file is written

    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), PRIVATE_FILE)
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    if not durable:
        return
    try:  # the rename itself survives a crash once the folder is synced
        folder = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(folder)
    except OSError:
        pass
    finally:
        os.close(folder)
