"""Showing user data safely: as typed, never as markup or terminal control."""

from __future__ import annotations

import re
from functools import cache

# C0 and C1 controls (tab and newline kept), DEL, and the bidirectional
# overrides/isolates that can make text read differently from what it is.
_UNSAFE_CHARACTERS = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]"


@cache
def _unsafe() -> re.Pattern[str]:
    # compiled when first needed (~0.6 ms): most text never needs it (see printable)
    return re.compile(_UNSAFE_CHARACTERS)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, single_line: bool = False) -> str:
    """`text` with control characters and bidi overrides shown as visible escapes."""
    if text.isprintable():
        # no control or format character (the bidi marks are format characters), no
        # tab or newline: nothing to escape or join
        return text
    text = _unsafe().sub(_escape, text)
    if single_line:
        text = text.replace("\n", " ").replace("\t", " ")
    return text


#: Characters of no width that terminals disagree about (some draw a cell, some none,
#: some drop them): zero-width spaces and joiners, the word joiner, the BOM, the soft hyphen.
_ZERO_WIDTH = re.compile("[\u00ad\u200b-\u200d\u2060-\u2064\ufeff]")


def for_cells(text: str) -> str:
    """`text` without the zero-width characters terminals disagree about, so its
    measured width is the width drawn and columns after it line up."""
    return text if text.isascii() else _ZERO_WIDTH.sub("", text)


def json_safe(json_text: str) -> str:
    """JSON text with the same characters escaped as `\\uXXXX`: still the same JSON,
    but nothing a terminal acts on (`json.dumps` escapes only C0 controls itself)."""
    return _unsafe().sub(lambda match: f"\\u{ord(match.group()):04x}", json_text)
