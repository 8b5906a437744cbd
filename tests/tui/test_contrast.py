"""Readable in every built-in theme: the text/background pairs of the badges, the
selected row and the compose checks meet WCAG AA (4.5:1), computed from the colours
Textual resolves for each theme."""

from __future__ import annotations

from rich.color import Color as RichColor
from rich.color import ColorType
from rich.style import Style
from textual.theme import BUILTIN_THEMES

from followup_tui.domain.model import State
from followup_tui.tui.widgets.badges import state_style

AA = 4.5
#: The ansi themes take their colours from the terminal's own palette: nothing to compute.
THEMES = [name for name in BUILTIN_THEMES if not name.startswith("ansi")]


def _luminance(color: RichColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = color.get_truecolor()
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(text: RichColor, background: RichColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((_luminance(text), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _pair(what: str, style: Style) -> tuple[str, RichColor, RichColor]:
    assert style.color is not None and style.bgcolor is not None, what
    assert style.color.type is not ColorType.DEFAULT, what
    return what, style.color, style.bgcolor


def test_contrast_is_computed_the_wcag_way() -> None:
    black, white = RichColor.parse("#000000"), RichColor.parse("#ffffff")
    assert round(contrast(black, white), 1) == 21.0
    assert round(contrast(RichColor.parse("#777777"), white), 2) == 4.48


async def test_badges_selected_row_and_checks_meet_aa_in_every_builtin_theme(make_app) -> None:
    from textual.widgets import Static

    from followup_tui.tui.widgets.interviews import InterviewList

    app = make_app(demo=True)
    failures: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("c")  # the compose screen, for its checks
        await pilot.pause(0.3)
        compose = app.screen
        check = compose.query(".check").first(Static)
        await pilot.press("escape")
        await pilot.pause(0.1)
        listing = app.screen.query_one(InterviewList)
        for theme in THEMES:
            app.theme = theme
            await pilot.pause()
            pairs = [_pair(f"badge {state.value if state else 'applied'}",
                           state_style(listing, state))
                     for state in (*State, None)]
            # every segment of the selected row, drawn as the list draws it
            index = listing.cursor
            for segment in listing.render_line(index - listing.scroll_offset.y):
                if segment.text.strip() and segment.style is not None:
                    pairs.append(_pair(f"selected row {segment.text.strip()!r}", segment.style))
            for mark in ("-ok", "-warn", "-fail"):
                check.set_classes(f"check {mark}")
                app.stylesheet.apply(check)  # its styles, without showing the screen
                _, _, background, color = check.colors
                pairs.append((f"check {mark}", color.rich_color, background.rich_color))
            for what, text, background in pairs:
                ratio = contrast(text, background)
                if ratio < AA:
                    failures.append(f"{theme}: {what} {ratio:.2f}")
    assert not failures, "\n".join(failures)
