"""Input and TextArea that show control characters inertly while keeping them.

Textual 8.2.8 draws an Input's value and a TextArea's lines as they are: an ESC in an
imported topic reaches the terminal as ESC, so `ESC[2J` blanks the screen and an OSC 52
sequence writes the user's clipboard on every repaint. These subclasses draw each
control character and bidi override as one visible cell instead (`␛` for ESC, `␇` for
BEL, the other C0 controls as their control pictures, `␡` for DEL, `�` for C1 controls
and bidi overrides), one character for one character, so the cursor, selection and
scrolling, which count characters, still line up.

Only the drawing changes: `value` and `text` are the stored data, untouched unless the
user edits them, so opening a form and saving it loses nothing.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Input, TextArea

_REPLACEMENT = "\ufffd"
#: The bidirectional overrides, isolates and marks that `followup_tui.text` escapes.
_BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C]


def _table(*, keep: str) -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x20):
        table[code] = chr(0x2400 + code)  # the Control Pictures block: ␀ … ␟
    table[0x7F] = "\u2421"  # ␡
    for code in range(0x80, 0xA0):
        table[code] = _REPLACEMENT
    for code in _BIDI:
        table[code] = _REPLACEMENT
    for char in keep:
        table.pop(ord(char), None)
    return table


#: Everything shown: a single-line field has no use for a raw tab or newline either.
_SINGLE_LINE = _table(keep="")
#: A TextArea lays out tabs and newlines itself.
_MULTI_LINE = _table(keep="\t\n")


def visible_controls(text: str, *, multi_line: bool = False) -> str:
    """`text` with every control and bidi character replaced by one visible character."""
    if text.isprintable():
        return text
    return text.translate(_MULTI_LINE if multi_line else _SINGLE_LINE)


class InertInput(Input):
    """An Input whose value is drawn with control characters made visible."""

    @property
    def _value(self) -> Text:
        if self.password:
            return super()._value
        text = Text(visible_controls(self.value), no_wrap=True, overflow="ignore", end="")
        if self.highlighter is not None:
            text = self.highlighter(text)
        return text

    def _position_to_cell(self, position: int) -> int:
        return cell_len(visible_controls(self.value[:position]))

    def _cell_offset_to_index(self, offset: int) -> int:
        scroll_x, _ = self.scroll_offset
        offset += scroll_x
        cells = 0
        for index, char in enumerate(visible_controls(self.value)):
            width = cell_len(char)
            if cells <= offset < cells + width:
                return index
            cells += width
        return max(0, min(offset, len(self.value)))


class InertTextArea(TextArea):
    """A TextArea whose lines are drawn with control characters made visible."""

    def get_line(self, line_index: int) -> Text:
        line = self.document.get_line(line_index)
        return Text(visible_controls(line, multi_line=True), end="", no_wrap=True)
