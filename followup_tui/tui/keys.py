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
    where: str = "app"  # "app", "review", "timeline", "inbox", "insights", or a screen's
    footer: bool = True
    display: str = ""  # how the help panel shows the key, when not `key`
    priority: bool = False  # before the focused widget's own keys (ctrl+s in a text field)

    @property
    def keys_label(self) -> str:
        return self.display or self.key.replace(",", " ")

    def binding(self) -> Binding:
        return Binding(
            self.key, self.action, self.title, show=self.footer, key_display=None,
            priority=self.priority, tooltip=self.help,
            id=f"{self.where}.{self.action}" if self.where == "compose"
            else f"{self.where}.{self.key.split(',')[0]}",
        )


COMMANDS: tuple[Command, ...] = (
    Command("1", "show_review", "Review", "Show the review: every interview, most urgent first."),
    Command("2", "show_timeline", "Timeline", "Show the timeline of events and follow-ups."),
    # help and quit early, so the footer shows them even at 80 columns
    Command("question_mark", "help", "Help", "Show every key.", display="?"),
    Command("q", "quit", "Quit", "Quit followup-tui."),
    # 3 and 4 are named in the help panel and the palette, not the footer: with them it
    # outgrows 80 columns (the header counts what waits in the Inbox)
    Command("3", "show_inbox", "Inbox",
            "Show the Inbox: what your mail suggests, to accept or dismiss.", footer=False),
    Command("4", "show_insights", "Insights",
            "Show the insights: funnel, response times, ghosted, activity per week.",
            footer=False),
    Command("s", "mark_done", "Done",
            "Mark the selected follow-up done (thank-you sent / call made)."),
    Command("c", "compose", "Compose", "Write the selected follow-up in the compose screen."),
    Command("z", "snooze", "Snooze", "Snooze the selected follow-up until a date."),
    Command("x", "skip", "Skip", "Skip the selected follow-up.", footer=False),
    Command("h", "hold", "Hold", "Put the selected application on hold, or resume it.",
            footer=False),
    Command("l", "log_event", "Log", "Log an event (reply, call, offer, note…).", footer=False),
    Command("a", "add", "Add", "Add an application or an interview."),
    Command("i", "import_invitation", "Import", "Import a calendar invitation (.ics): preview, "
            "then save (u undoes it).", footer=False),
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
    # the filter keys are named on the filter line, so the footer fits at 80 columns
    Command("slash", "filter", "Filter", "Filter the interviews by text.", where="review",
            display="/", footer=False),
    Command("f", "cycle_state", "State", "Cycle the state filter (open, needs action, each "
            "state, all).", where="review", footer=False),
    Command("escape", "clear_filter", "Clear", "Clear the filters.", where="review",
            footer=False),
    Command("ctrl+d,shift+down", "scroll_detail(1)", "Detail down",
            "Scroll the detail pane down (or tab to it, then the arrows).",
            where="review", footer=False, display="ctrl+d shift+↓"),
    Command("ctrl+u,shift+up", "scroll_detail(-1)", "Detail up",
            "Scroll the detail pane up half a pane.", where="review", footer=False,
            display="ctrl+u shift+↑"),
    Command("t", "own_timeline", "Its timeline",
            "Show the timeline of the selected application only.", where="review",
            footer=False),
    Command("e,enter", "edit_item", "Correct",
            "Correct or delete the selected event (u undoes it).", where="timeline", footer=False,
            display="enter e"),
    # named on the scope line, so the footer fits at 80 columns
    Command("t", "toggle_scope", "All/one", "Timeline of all applications or the selected one.",
            where="timeline", footer=False),
    Command("n", "jump_now", "Now", "Move the timeline cursor to now.", where="timeline",
            footer=False),
    Command("y", "accept", "Accept",
            "Accept the suggestion: it becomes an event (an invitation: shown first).",
            where="inbox"),
    Command("n", "dismiss", "Dismiss", "Dismiss the suggestion: it is never suggested again.",
            where="inbox"),
    Command("enter", "read", "Read",
            "Read the message (an invitation: the interview it would save).", where="inbox"),
    Command("r", "scan_mail", "Scan mail", "Read new mail now (read-only) for suggestions.",
            where="inbox"),
)

#: The keys of compose, the forms, the add menu and the help panel (their screens bind these).
SCREEN_COMMANDS: tuple[Command, ...] = (
    Command("ctrl+t", "copy", "Copy",
            "Send the body to the terminal's clipboard (OSC 52).",
            where="compose", priority=True),
    Command("ctrl+o", "editor", "Editor", "Edit the body in $EDITOR.", where="compose",
            priority=True),
    Command("ctrl+l", "mailto", "Mail app",
            "Open the draft in your mail app (a mailto: link).",
            where="compose", priority=True),
    Command("ctrl+s", "save_eml", "Save .eml",
            "Save the draft as an .eml file your mail client can open.", where="compose",
            priority=True),
    Command("ctrl+r", "mark_sent", "Mark sent", "Record the thank-you as sent and go back.",
            where="compose", priority=True),
    Command("ctrl+r", "mark_called", "Mark called", "Record the call as made and go back.",
            where="compose", priority=True),
    Command("escape", "leave", "Back", "Go back; the draft is kept for next time.",
            where="compose", priority=True),
    Command("ctrl+s", "save", "Save", "Save the form (when every field is valid).",
            where="form", priority=True),
    Command("escape", "cancel", "Cancel", "Close the form without saving.", where="form"),
    Command("ctrl+d", "delete", "Delete", "Delete the event being corrected (u undoes it).",
            where="form", footer=False),
    Command("i", "choose('interview')", "Interview",
            "An interview for the selected application.", where="add"),
    Command("n", "choose('application')", "New application", "A new application.",
            where="add"),
    Command("escape", "dismiss_none", "Cancel", "Close the menu.", where="add"),
    Command("escape,question_mark,q", "close", "Close", "Close this panel.", where="help",
            display="escape ? q"),
    Command("j,down", "scroll(1)", "Down", "Scroll down.", where="help", footer=False,
            display="j ↓"),
    Command("k,up", "scroll(-1)", "Up", "Scroll up.", where="help", footer=False,
            display="k ↑"),
)
COMMANDS = COMMANDS + SCREEN_COMMANDS

#: The help panel's sections, in order: every `where` of COMMANDS has one.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("app", "Everywhere"),
    ("review", "Review"),
    ("timeline", "Timeline"),
    ("inbox", "Inbox"),
    ("compose", "Compose"),
    ("form", "Forms"),
    ("add", "The add menu (a)"),
    ("help", "This panel"),
)

#: Keys handled by widgets, listed in the help panel for completeness.
MOVEMENT = (
    ("j k ↑ ↓", "Move the cursor"),
    ("pgup pgdn", "Move a page"),
    ("g G home end", "First / last"),
    ("tab", "Next field or pane"),
    ("ctrl+p", "Command palette: every command by name"),
    ("ctrl+p theme", "Change the theme (remembered for next time)"),
)


def bindings(where: str) -> list[Binding]:
    return [command.binding() for command in COMMANDS if command.where == where]
