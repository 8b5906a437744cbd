"""Input and TextArea that show control characters inertly while keeping them.

Textual 8.2.8 draws an Input's value and a TextArea's lines as they are: an ESC in an
imported topic reaches the terminal as ESC, so `ESC[2J` blanks the screen and an OSC 52
sequence writes the user's clipboard on every repaint. These subclasses draw each
control character and bidi override as one visible cell instead (`␛` for ESC, `␇` for
BEL, the other C0 controls as their control pictures, `␡` for DEL, `�` for C1 controls
and bidi overrides), one character for one character, so the cursor, selection and
scrolling, which count characters, still line up.

Only the drawing changes: `value` and `text` are the stored data, untouched unless the
user edits them, so opening a form and saving it loses nothing. (A TextArea would
also turn a \r, form feed or U+2028 inside a line into a line break, as
str.splitlines does; InertTextArea keeps those characters.)
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

#: What Python's str.splitlines (and so Textual's Document) breaks a line at, besides
#: \n. InertTextArea holds each as a stand-in, a Unicode noncharacter (U+FDD0…, set
#: aside for a program's internal use), so a \r in a topic stays a \r, not a new line.
_LINE_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_STAND_INS = "".join(chr(0xFDD0 + n) for n in range(len(_LINE_BREAKS)))
_HIDE = str.maketrans(_LINE_BREAKS, _STAND_INS)
_REVEAL = str.maketrans(_STAND_INS, _LINE_BREAKS)
for _stand_in, _shown in zip(_STAND_INS, "\u240d\u240b\u240c\u241c\u241d\u241e\ufffd\u2424\u00b6",
                            strict=True):
    _MULTI_LINE[ord(_stand_in)] = _shown  # drawn as the character it stands for


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
    """A TextArea whose lines are drawn with control characters made visible, and
    whose `text` keeps every character it was given (a \r or U+2028 too)."""

    _held = False  # whether the document holds line breaks as stand-ins

    def _set_document(self, text: str, language: str | None) -> None:
        document = getattr(self, "document", None)  # none before the first call
        if document is not None and text == document.text:
            # Textual reloads its own document's text (a language set): already held
            super()._set_document(text, language)
            return
        # text that already has a stand-in (never in real data) is taken as it is
        self._held = not any(char in text for char in _STAND_INS)
        super()._set_document(text.translate(_HIDE) if self._held else text, language)

    @property
    def text(self) -> str:
        """The whole text, every character as it was loaded or typed."""
        text = self.document.text
        return text.translate(_REVEAL) if self._held else text

    @text.setter
    def text(self, value: str) -> None:
        self.load_text(value)

    def get_text_range(self, start: tuple[int, int], end: tuple[int, int]) -> str:
        text = super().get_text_range(start, end)
        return text.translate(_REVEAL) if self._held else text

    def get_line(self, line_index: int) -> Text:
        line = self.document.get_line(line_index)
        return Text(visible_controls(line, multi_line=True), end="", no_wrap=True)
