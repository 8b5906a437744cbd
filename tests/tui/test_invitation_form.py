"""The import form (`i`): an invitation previewed, saved, undone; choosing its application."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select, Static

from followup_tui.domain.model import Application, Contact
from followup_tui.settings.config import Config
from followup_tui.storage.store import Store
from followup_tui.tui.screens.invitation import InvitationForm
from followup_tui.tui.screens.main import ReviewScreen
from followup_tui.tui.widgets.detail import Detail
from followup_tui.tui.widgets.timeline import TimelineList
from tests.support import invitations as corpus
from tests.support.app import screen_text

SIZE = (120, 40)
ME = Config(me=(corpus.ME,))
NORDWERK = Application(
    "nordwerk-dev", "Nordwerk", "Developer",
    contacts=(Contact("Jonas Müller", email="jonas.mueller@nordwerk.example"),),
)
ACME = Application("acme-planner", "Acme Shire Council", "Senior Planner")


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


async def open_form(pilot) -> InvitationForm:
    await pilot.pause()
    await pilot.press("i")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, InvitationForm)
    return form


async def enter_path(pilot, form: InvitationForm, path: str) -> None:
    """Type a path and press enter, then wait for its reading to land."""
    field = form.query_one("#path", Input)
    field.focus()
    field.value = path
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def preview(form: InvitationForm) -> str:
    return str(form.query_one("#preview", Static).render())


def said_at(form: InvitationForm, name: str) -> str:
    return str(form.query_one(f"#{name}-error", Static).render())


async def test_the_preview_shows_before_anything_is_saved_then_save_and_undo(
    make_app, app_store: Store, tmp_path: Path
) -> None:
    app_store.import_applications([NORDWERK])
    path = write(tmp_path, "invite.ics", corpus.teams())
    app = make_app(config=ME)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        await enter_path(pilot, form, path)
        assert preview(form).splitlines() == [
            "1 interview added.",
            "  Nordwerk (Developer): add interview “Technical interview” on Fri 23 Oct 2026 "
            "19:00–19:45.",
        ]
        assert app_store.load_application("nordwerk-dev") == app_store.load_all()[0]
        assert app_store.load_application("nordwerk-dev").interviews == ()  # nothing saved yet
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        (interview,) = app_store.load_application("nordwerk-dev").interviews
        assert (interview.round, interview.uid, interview.format) == (
            "Technical interview", corpus.teams.__kwdefaults__["uid"], "video")
        assert interview.interviewers == ("Jonas Müller", "Lena Schmidt")
        assert any(n.message.startswith("Imported an invitation: 1 interview added")
                   for n in app._notifications)
        assert app.selected_row().interview.id == interview.id
        await pilot.press("u")
        await pilot.pause()
        assert app_store.load_application("nordwerk-dev") == NORDWERK


async def test_a_missing_file_or_not_a_calendar_is_said_at_the_field(
    make_app, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        await enter_path(pilot, form, str(tmp_path / "nowhere.ics"))
        assert said_at(form, "path") == f"There is no file at {tmp_path / 'nowhere.ics'}."
        await enter_path(pilot, form, write(tmp_path, "notes.ics", b"Dear Priya,\n"))
        assert said_at(form, "path").startswith("That is not a calendar file")
        # ~ is the home folder
        home = Path.home()
        await enter_path(pilot, form, "~/" + "surely-not-here-followup.ics")
        assert not (home / "surely-not-here-followup.ics").exists()
        assert said_at(form, "path") == f"There is no file at {home}/surely-not-here-followup.ics."
        await enter_path(pilot, form, str(tmp_path))
        assert said_at(form, "path") == f"{tmp_path} is a folder, not a file."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # nothing to save: the form stays
        assert "Not saved" in str(form.query_one("#form-summary", Static).render())


async def test_an_unmatched_invitation_names_its_organizer_and_offers_a_choice(
    make_app, app_store: Store, tmp_path: Path
) -> None:
    app_store.import_applications([ACME])
    path = write(tmp_path, "invite.ics", corpus.teams())
    app = make_app(config=ME)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        await enter_path(pilot, form, path)
        assert form.query_one("#choose").has_class("-shown")
        organizer = str(form.query_one("#organizer", Static).render())
        assert "Jonas Müller <jonas.mueller@nordwerk.example>" in organizer
        await pilot.press("ctrl+s")  # not yet: nothing chosen
        await pilot.pause()
        assert app.screen is form
        form.query_one("#application", Select).value = "acme-planner"
        await pilot.pause(0.5)  # the choice is read once the form settles
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert "Acme Shire Council (Senior Planner): add interview" in preview(form)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert len(app_store.load_application("acme-planner").interviews) == 1


async def test_a_new_application_from_company_and_role(make_app, app_store: Store,
                                                       tmp_path: Path) -> None:
    path = write(tmp_path, "invite.ics", corpus.teams())
    app = make_app(config=ME)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        await enter_path(pilot, form, path)
        form.query_one("#company", Input).value = "Nordwerk"
        await pilot.pause(0.5)
        assert said_at(form, "role") == "Give a role too, to make a new application."
        role = form.query_one("#role", Input)
        role.focus()
        role.value = "Developer"
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert preview(form).splitlines()[1] == "  New application: Nordwerk (Developer)."
        await pilot.press("ctrl+s")
        await pilot.pause()
        (saved,) = app_store.load_all()
        assert (saved.company, saved.role, len(saved.interviews)) == ("Nordwerk", "Developer", 1)
        await pilot.press("u")  # undo removes the application it made
        await pilot.pause()
        assert app_store.load_all() == []


async def test_a_reschedule_shows_in_the_timeline_and_a_cancellation_in_the_list(
    make_app, app_store: Store, tmp_path: Path
) -> None:
    app_store.import_applications([NORDWERK])
    app = make_app(config=ME)
    async with app.run_test(size=SIZE) as pilot:
        for name, data in (
            ("invite.ics", corpus.teams()),
            ("moved.ics", corpus.teams(sequence=1, start="20261023T140000",
                                       end="20261023T144500")),
        ):
            form = await open_form(pilot)
            await enter_path(pilot, form, write(tmp_path, name, data))
            await pilot.press("ctrl+s")
            await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert "● Note                     Nordwerk — Developer  Interview moved from Fri 23 " \
               "Oct 2026 19:00–19:45 to" in screen_text(app)
        (note,) = [line.item for line in app.screen.query_one(TimelineList).lines
                   if line.item is not None and line.item.title == "Note"]
        assert note.detail == ("Interview moved from Fri 23 Oct 2026 19:00–19:45 to Fri 23 Oct "
                               "2026 23:00–23:45 (invitation update)")
        await pilot.press("1")
        form = await open_form(pilot)
        await enter_path(pilot, form, write(tmp_path, "cancel.ics",
                                            corpus.teams(method="CANCEL", sequence=2)))
        assert "cancelled (on Fri 23 Oct 2026 23:00)" in preview(form)
        await pilot.press("ctrl+s")
        await pilot.pause()
        text = screen_text(app)
        assert "CANCELLED" in text
        detail = str(app.screen.query_one(Detail).query_one("#detail-body", Static).render())
        assert "Interview Cancelled (invitation cancelled on Wed 25 Nov 09:00)" in detail
        assert "Follow-ups: none, the interview was cancelled." in detail
        assert app.selected_row().follow_ups == ()


async def test_the_import_is_in_the_palette_and_the_help(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Import" in titles
        await pilot.press("question_mark")
        await pilot.pause()
        assert "Import a calendar invitation (.ics)" in screen_text(app)
