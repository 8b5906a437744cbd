"""A virtual list: renders only the rows on screen, so 100,000 rows open as fast as 10.

Textual's DataTable and OptionList measure every row before the first paint;
this widget knows only a row count and asks its subclass to draw the rows that
are visible (the Line API). Moving the cursor repaints two lines.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from followup_tui.tui.widgets.badges import foreground, readable


class RowList(ScrollView, can_focus=True):
    """A cursor over `count` rows drawn on demand by `render_row`."""

    BINDINGS = [
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
    ]

    COMPONENT_CLASSES = {"row-list--cursor"}

    cursor: reactive[int] = reactive(0, always_update=False, init=False)

    class Highlighted(Message):
        """The cursor moved to `index`."""

        def __init__(self, row_list: RowList, index: int) -> None:
            super().__init__()
            self.row_list = row_list
            self.index = index

        @property
        def control(self) -> RowList:
            return self.row_list

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.count = 0
        self._strips: LRUCache[tuple[int, bool, int], Strip] = LRUCache(512)
        #: The widget's own style, worked out once per drawing (Textual walks every
        #: ancestor to compute it: the larger part of drawing a row).
        self._base: Style | None = None
        self._foregrounds: dict[str, Style] = {}

    # --- what subclasses provide -------------------------------------------------

    def render_row(self, index: int, width: int, selected: bool) -> Text:
        raise NotImplementedError

    def row_segments(self, index: int, width: int, selected: bool) -> list[Segment]:
        """The row as segments about `width` cells wide (the list crops and pads them).

        From `render_row` by default; a list drawn often (the interviews on the first
        frame) makes its segments itself, skipping Rich's Text machinery.
        """
        text = self.render_row(index, width, selected)
        text.no_wrap = True
        text.overflow = "ellipsis"
        text.truncate(width, overflow="ellipsis", pad=True)
        return list(text.render(self.app.console))

    # --- data -------------------------------------------------------------------

    def set_count(self, count: int, cursor: int | None = None) -> None:
        """New rows: forget drawn lines, keep the cursor in range."""
        self.count = count
        self._forget()
        self.virtual_size = Size(self.scrollable_content_region.width, count)
        target = self.cursor if cursor is None else cursor
        target = max(0, min(target, count - 1))
        if target != self.cursor:
            self.cursor = target
        else:
            self._show_cursor()
            self.post_message(self.Highlighted(self, target))
        self.refresh()

    def _forget(self) -> None:
        """Drawn rows are drawn again (new rows, size, focus or styles)."""
        self._strips.clear()
        self._base = None
        self._foregrounds.clear()

    def component_foreground(self, component: str) -> Style:
        """`badges.foreground` of a component class, worked out once per drawing."""
        style = self._foregrounds.get(component)
        if style is None:
            style = self._foregrounds[component] = foreground(self, component)
        return style

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._forget()

    def on_resize(self, event: events.Resize) -> None:
        self._forget()
        self.virtual_size = Size(self.scrollable_content_region.width, self.count)
        self._show_cursor()

    # --- drawing -------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        base = self._base
        if base is None:
            base = self._base = self.rich_style
        if index >= self.count:
            return Strip.blank(width, base)
        selected = index == self.cursor
        cache_key = (index, selected, width)
        strip = self._strips.get(cache_key)
        if strip is None:
            style: Style = base
            if selected and self.has_focus:
                style = readable(base + self.get_component_rich_style("row-list--cursor"))
            elif selected:
                style = readable(
                    base + self.get_component_rich_style("row-list--cursor", partial=True)
                )
            segments = Segment.apply_style(self.row_segments(index, width, selected), style)
            strip = Strip(segments).crop_extend(0, width, base)
            self._strips[cache_key] = strip
        return strip.crop(scroll_x, scroll_x + width).apply_offsets(scroll_x, index)

    def _refresh_row(self, index: int) -> None:
        y = index - self.scroll_offset.y
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def on_focus(self) -> None:
        self._forget()
        self.refresh()

    def on_blur(self) -> None:
        self._forget()
        self.refresh()

    # --- cursor ---------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self._show_cursor()
        self.post_message(self.Highlighted(self, new))

    def _show_cursor(self) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False)

    def move_to(self, index: int) -> None:
        if self.count:
            self.cursor = max(0, min(index, self.count - 1))

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_page_down(self) -> None:
        self.move_to(self.cursor + max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        self.move_to(self.cursor - max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(self.count - 1)

    def on_click(self, event: events.Click) -> None:
        index = event.y + int(self.scroll_offset.y)
        if 0 <= index < self.count:
            self.cursor = index
