"""Every key of the app, as data: the bindings, the help panel and the palette read this.

One table keeps the three in step: a key added here is bound, documented and
searchable in ctrl+p at once.
"""

from __future__ import annotations

from typing import NamedTuple

from textual.binding import Binding


class Command(NamedTuple):
    """A key: its binding, its line in the help panel, its command in the palette.

    (NamedTuples, like the app's other small records: a frozen dataclass costs
    about a millisecond of start-up to build.)
    """

    key: str  # Textual key names, comma separated
    action: str
    title: str  # short, for the footer
    help: str  # one sentence, for the help panel and the palette
    where: str = "app"  # "app", "review", "timeline" or "insights"
    footer: bool = True
    display: str = ""  # how the help panel shows the key, when not `key`

    @property
    def keys_label(self) -> str:
        return self.display or self.key.replace(",", " ")

    def binding(self) -> Binding:
        return Binding(
            self.key, self.action, self.title, show=self.footer, key_display=None,
            tooltip=self.help, id=f"{self.where}.{self.key.split(',')[0]}",
        )


COMMANDS: tuple[Command, ...] = (
    Command("1", "show_review", "Review", "Show the review: every interview, most urgent first."),
    Command("2", "show_timeline", "Timeline", "Show the timeline of events and follow-ups."),
    Command("4", "show_insights", "Insights",
            "Show the insights: funnel, response times, ghosted, activity per week."),
    # help and quit early, so the footer shows them even at 80 columns
    Command("question_mark", "help", "Help", "Show every key.", display="?"),
    Command("q", "quit", "Quit", "Quit followup-tui."),
    Command("s", "mark_done", "Done",
            "Mark the selected follow-up done (thank-you sent / call made)."),
    Command("c", "compose", "Compose", "Write the selected follow-up in the compose screen."),
    Command("z", "snooze", "Snooze", "Snooze the selected follow-up until a date."),
    Command("x", "skip", "Skip", "Skip the selected follow-up.", footer=False),
    Command("h", "hold", "Hold", "Put the selected application on hold, or resume it.",
            footer=False),
    Command("l", "log_event", "Log", "Log an event (reply, call, offer, note…).", footer=False),
    Command("a", "add", "Add", "Add an application or an interview."),
    Command("e,enter", "edit", "Edit", "Edit the selected application and interview.",
            footer=False, display="enter e"),
    Command("d", "delete_interview", "Delete", "Delete the selected interview (u undoes it).",
            footer=False),
    Command("D", "delete_application", "Delete app",
            "Delete the selected application and everything in it (u undoes it).", footer=False),
    Command("u", "undo", "Undo", "Undo the last change."),
    Command("left_square_bracket", "travel(-1)", "Day back", "Preview: move now a day back.",
            footer=False, display="["),
    Command("right_square_bracket", "travel(1)", "Day on", "Preview: move now a day forward.",
            footer=False, display="]"),
    Command("equals_sign", "travel_home", "Today", "Leave the preview: back to the starting now.",
            footer=False, display="="),
    Command("slash", "filter", "Filter", "Filter the interviews by text.", where="review",
            display="/"),
    Command("f", "cycle_state", "State", "Cycle the state filter (open, needs action, each "
            "state, all).", where="review"),
    Command("escape", "clear_filter", "Clear", "Clear the filters.", where="review",
            footer=False),
    Command("t", "toggle_scope", "All/one", "Timeline of all applications or the selected one.",
            where="timeline"),
    Command("n", "jump_now", "Now", "Move the timeline cursor to now.", where="timeline"),
)

#: Keys handled by widgets, listed in the help panel for completeness.
MOVEMENT = (
    ("j k ↑ ↓", "Move the cursor"),
    ("pgup pgdn", "Move a page"),
    ("g G home end", "First / last"),
    ("tab", "Next field or pane"),
    ("ctrl+s", "Save a form"),
    ("escape", "Close a form or panel without saving"),
    ("ctrl+p", "Command palette: every command by name"),
    ("ctrl+p theme", "Change the theme (remembered for next time)"),
    ("i n", "In the add menu: an interview / a new application"),
)


def bindings(where: str) -> list[Binding]:
    return [command.binding() for command in COMMANDS if command.where == where]
