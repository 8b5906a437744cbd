"""How a follow-up state looks: one word, one colour, the same everywhere."""

from __future__ import annotations

from functools import lru_cache

from rich.color import Color, ColorType
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from followup_tui.domain.model import State

#: Component classes a widget declares to colour states from the theme (followup.tcss).
STATE_CLASSES = {f"state--{state.value}" for state in State} | {"state--none"}

BADGE_WIDTH = 12


def foreground(widget: Widget, component: str) -> Style:
    """A component class's text style without its background.

    Component styles carry the widget's background; dropping it lets the
    cursor row's background show through text painted with them.
    """
    style = widget.get_component_rich_style(component)
    return Style(color=style.color, bold=style.bold, italic=style.italic, dim=style.dim)


def _luminance(color: Color) -> float:
    """WCAG relative luminance."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = color.get_truecolor()
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


_BLACK, _WHITE = Color.from_rgb(0, 0, 0), Color.from_rgb(255, 255, 255)


@lru_cache(maxsize=256)
def _readable_on(background: Color) -> Color:
    """Black or white, whichever contrasts more with `background` by WCAG's measure:
    on any colour that is at least 4.58:1 (AA). Textual's `auto` weighs brightness
    instead, and leaves some themes' reds and blues under 4.5:1."""
    light = _luminance(background)
    return _BLACK if (light + 0.05) / 0.05 >= 1.05 / (light + 0.05) else _WHITE


def readable(style: Style) -> Style:
    """`style` with its text black or white, readable on its own background."""
    background = style.bgcolor
    if background is None or background.type is ColorType.DEFAULT:
        return style
    return style + Style(color=_readable_on(background))


def state_style(widget: Widget, state: State | None) -> Style:
    name = f"state--{state.value}" if state else "state--none"
    return readable(widget.get_component_rich_style(name))


def badge_text(state: State | None, label: str | None = None) -> str:
    """' OVERDUE    ': the state's word, a fixed width so columns line up."""
    word = label if label is not None else (state.value.upper() if state else "APPLIED")
    return f" {word:<{BADGE_WIDTH - 2}} "[:BADGE_WIDTH]


def badge(widget: Widget, state: State | None, label: str | None = None) -> Text:
    """The badge in the state's colours (a span: what is appended after is not coloured)."""
    text = Text()
    text.append(badge_text(state, label), style=state_style(widget, state))
    return text
