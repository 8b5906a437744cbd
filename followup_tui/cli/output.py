"""How commands read their input and write their output: UTF-8, colour only for people."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from followup_tui.cli.context import UsageError


def use_colour(stream: Any) -> bool:
    """Colour for a terminal, never for a pipe or file, never under NO_COLOR."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def painter(colour: bool) -> Any:
    """`paint(code, text)`: `text` in the SGR colour `code`, or as it is without colour."""

    def paint(code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if colour else text

    return paint


def emit(data: str | bytes) -> None:
    """To standard output as UTF-8, whatever the locale says (exports are UTF-8 files)."""
    sys.stdout.flush()
    sys.stdout.buffer.write(data.encode("utf-8") if isinstance(data, str) else data)
    sys.stdout.buffer.flush()


def write_output(data: str | bytes, output: str | None) -> None:
    """To standard output, or to a new owner-only file written whole (no half files)."""
    if output is None or output == "-":
        emit(data)
        return
    path = Path(output)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
        os.replace(tmp, path)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise UsageError(f"{output}: cannot be written ({error.strerror}).") from error


def read_input(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(name).read_bytes()
    except OSError as error:
        raise UsageError(f"{name}: cannot be read ({error.strerror}).") from error


def terminal_safe_json(text: str) -> str:
    """JSON for a terminal: C1 controls and bidi overrides escaped (see text.json_safe)."""
    from followup_tui.text import json_safe

    return json_safe(text) + "\n"


def terminal_text(data: str | bytes) -> str:
    """An export shown on a terminal: its controls visible as escapes, lines as lines.

    To a file or a pipe the data stays faithful; only a person's terminal gets this.
    """
    from followup_tui.text import printable

    text = data.decode("utf-8") if isinstance(data, bytes) else data
    return printable(text.replace("\r\n", "\n"))
