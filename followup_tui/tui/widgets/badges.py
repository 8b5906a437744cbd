"""How a follow-up state looks: one word, one colour, the same everywhere."""

from __future__ import annotations

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


def state_style(widget: Widget, state: State | None) -> Style:
    name = f"state--{state.value}" if state else "state--none"
    return widget.get_component_rich_style(name)


def badge_text(state: State | None, label: str | None = None) -> str:
    """' OVERDUE    ': the state's word, a fixed width so columns line up."""
    word = label if label is not None else (state.value.upper() if state else "APPLIED")
    return f" {word:<{BADGE_WIDTH - 2}} "[:BADGE_WIDTH]


def badge(widget: Widget, state: State | None, label: str | None = None) -> Text:
    """The badge in the state's colours (a span: what is appended after is not coloured)."""
    text = Text()
    text.append(badge_text(state, label), style=state_style(widget, state))
    return text
