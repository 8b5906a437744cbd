"""How commands read their input and write their output: UTF-8, colour only for people."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from followup_tui.cli.context import UsageError


def use_colour(stream: Any, choice: str = "auto") -> bool:
    """Whether to colour what goes to `stream`, as `--color` (`choice`) says.

    "always" colours even a pipe and overrides NO_COLOR (the user asked, on this
    command line); "never" never colours; "auto" colours a terminal only, and not
    when NO_COLOR is set to anything but the empty string (https://no-color.org).
    """
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
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
    # the file a link names is written, not the link replaced by a file
    path = Path(os.path.realpath(output))
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if os.path.exists(path) and not os.path.isfile(path):
        # a pipe, a terminal, /dev/null: written to as it is (never replaced by a file)
        try:
            with path.open("wb") as handle:
                handle.write(raw)
        except OSError as error:
            raise UsageError(f"{output}: cannot be written ({error.strerror}).") from error
        return
    from followup_tui.settings.files import write_private

    try:
        write_private(path, raw)
    except OSError as error:
        raise UsageError(f"{output}: cannot be written ({error.strerror}).") from error


def read_input(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(name).read_bytes()
    except OSError as error:
        raise UsageError(f"{name}: cannot be read ({error.strerror}).") from error


def emit_json(payload: Any) -> None:
    """A command's `--json` answer: indented, UTF-8, terminal-safe, on standard output."""
    import json

    emit(terminal_safe_json(json.dumps(payload, indent=2, ensure_ascii=False)))


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
