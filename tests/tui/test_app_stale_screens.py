"""No change is lost to a stale screen: a second writer (another Store on the same file,
the CLI's import in a subprocess) changes the record between the form's opening and its
save, or between a row's drawing and the key pressed on it."""

from __future__ import annotations

import json
import subprocess

from textual.widgets import Input, OptionList

from followup_tui.domain.model import Contact, Event, EventType
from followup_tui.storage.store import Store
from followup_tui.tui.screens.forms import InterviewForm
from followup_tui.tui.screens.main import ReviewScreen
from tests.support.cli import command

SIZE = (120, 40)


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def open_edit(app, pilot):
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(app.screen, InterviewForm)
    return app.screen


async def test_a_form_saved_unchanged_keeps_what_another_program_wrote_meanwhile(
    make_app, app_store: Store
) -> None:
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        row = app.selected_row()
        app_id, iv_id = row.application.id, row.interview.id
        # what the app's form does not show must survive its save too
        app_store.save_interview(app_id, row.interview.replace(uid="uid-1@cal", sequence=3))
        app_store.save_application(
            app_store.load_application(app_id).replace(applied_on="2026-11-01")
        )
        await pilot.pause()
        await open_edit(app, pilot)
        with Store(app_store.path) as other:  # another program, while the form is open
            stored = other.load_application(app_id)
            other.save_application(stored.replace(link="https://elsewhere.example/job"))
            other.save_contacts(app_id, (*stored.contacts, Contact("New Person")))
            iv = stored.interview(iv_id)
            other.save_interview(app_id, iv.replace(topics=(*iv.topics, "from the import")))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        saved = app_store.load_application(app_id)
        assert saved.link == "https://elsewhere.example/job"
        assert "New Person" in [c.name for c in saved.contacts]
        interview = saved.interview(iv_id)
        assert "from the import" in interview.topics
        assert (interview.uid, interview.sequence) == ("uid-1@cal", 3)
        assert saved.applied_on == "2026-11-01"


async def test_the_users_fields_and_the_other_programs_fields_are_both_kept(
    make_app, app_store: Store, tmp_path
) -> None:
    """The other writer is the CLI's import, in a subprocess."""
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        row = app.selected_row()
        app_id, iv_id = row.application.id, row.interview.id
        form = await open_edit(app, pilot)
        form.query_one("#role", Input).value = "Principal Planner"  # mine
        exported = subprocess.run([*command(), "--db", str(app_store.path), "export"],
                                  capture_output=True, text=True, check=True).stdout
        document = json.loads(exported)
        for application in document["applications"]:
            if application["id"] == app_id:
                application["link"] = "https://imported.example/job"  # theirs
                for interview in application["interviews"]:
                    if interview["id"] == iv_id:
                        interview["topics"] = ["imported topic"]
        file = tmp_path / "changed.json"
        file.write_text(json.dumps(document))
        done = subprocess.run([*command(), "--db", str(app_store.path), "import", str(file)],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = app_store.load_application(app_id)
        assert saved.role == "Principal Planner"
        assert saved.link == "https://imported.example/job"
        assert saved.interview(iv_id).topics == ("imported topic",)


async def test_a_field_both_changed_is_shown_with_both_values_to_choose(
    make_app, app_store: Store
) -> None:
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app_id = app.selected_row().application.id
        form = await open_edit(app, pilot)
        form.query_one("#role", Input).value = "Mine Role"
        form.query_one("#link", Input).value = "https://mine.example"
        with Store(app_store.path) as other:
            other.save_application(other.load_application(app_id).replace(role="Their Role"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        # nothing written: theirs stands until the user chooses
        assert app_store.load_application(app_id).role == "Their Role"
        assert app_store.load_application(app_id).link != "https://mine.example"
        assert any("changed role" in n for n in notices(app)), notices(app)
        again = app.screen
        assert isinstance(again, InterviewForm)
        choice = again.query_one("#role-choice", OptionList)
        labels = [str(choice.get_option_at_index(i).prompt) for i in range(choice.option_count)]
        assert labels == ["Keep yours: Mine Role", "Take theirs: Their Role"]
        assert again.query_one("#role", Input).value == "Mine Role"
        assert again.query_one("#link", Input).value == "https://mine.example"
        choice.focus()
        choice.highlighted = 1
        await pilot.press("enter")
        await pilot.pause()
        assert again.query_one("#role", Input).value == "Their Role"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        saved = app_store.load_application(app_id)
        assert (saved.role, saved.link) == ("Their Role", "https://mine.example")


async def test_a_form_over_a_deleted_interview_says_so_and_can_add_it_back(
    make_app, app_store: Store
) -> None:
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        row = app.selected_row()
        app_id, iv_id = row.application.id, row.interview.id
        form = await open_edit(app, pilot)
        form.query_one("#round", Input).value = "Final round"
        with Store(app_store.path) as other:
            other.delete_interview(iv_id)
            other.save_application(other.load_application(app_id).replace(
                link="https://theirs.example", notes="their notes"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app_store.load_application(app_id).interview(iv_id) is None
        assert any("deleted by another program" in n for n in notices(app))
        assert isinstance(app.screen, InterviewForm)
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = app_store.load_application(app_id)
        assert saved.interview(iv_id).round == "Final round"
        # what the other program changed meanwhile survives the second save too
        assert (saved.link, saved.notes) == ("https://theirs.example", "their notes")


async def test_a_key_on_a_row_changed_elsewhere_says_so_instead_of_acting(
    make_app, app_store: Store, no_poll
) -> None:
    """The thank-you was marked sent by another program after the row was drawn: `s`,
    `x` and compose's "mark sent" say so and record nothing; `d` on an interview deleted
    elsewhere says so too."""
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        row = app.selected_row()
        app_id, iv_id = row.application.id, row.interview.id
        kind = row.pending.kind
        done_type = EventType.THANK_YOU_SENT if kind.value == "thank_you" else EventType.CALL_MADE
        with Store(app_store.path) as other:
            other.add_event(app_id, Event("2026-11-25T08:00+11:00", done_type, iv_id))
        count = len(app_store.load_application(app_id).events)
        app.selected_key = iv_id  # the screen still shows it pending (no poll ran)
        assert app.selected_row().pending.kind is kind
        await pilot.press("s", "enter")
        await pilot.pause()
        assert len(app_store.load_application(app_id).events) == count
        assert any("already done" in n for n in notices(app)), notices(app)
        # the app read it again: the row now shows what is stored
        assert app.selected_row().pending is None or app.selected_row().pending.kind != kind
        app.log_done(app_id, iv_id, kind)  # compose's "mark sent" on the stale screen
        await pilot.pause()
        assert len(app_store.load_application(app_id).events) == count
        assert not app.undo_stack
        with Store(app_store.path) as other:
            other.delete_interview(iv_id)
        app.selected_key = iv_id
        await pilot.press("d")
        await pilot.pause()
        assert any("interview was deleted by another program" in n for n in notices(app))


async def test_a_new_application_never_overwrites_one_added_elsewhere_with_its_id(
    make_app, app_store: Store, monkeypatch
) -> None:
    """Its id is chosen before the write's lock is taken; another program adding the
    same id in between must not be overwritten."""
    from followup_tui.domain.model import Application

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        form.query_one("#company", Input).value = "Acme"
        form.query_one("#role", Input).value = "Planner"
        real = app_store.new_application_id

        def chosen_then_taken(company: str, role: str) -> str:
            found = real(company, role)
            with Store(app_store.path) as other:  # another program, just before the lock
                other.save_application(Application(found, "Theirs", "Their role"))
            return found

        monkeypatch.setattr(app_store, "new_application_id", chosen_then_taken)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app_store.load_application("acme-planner").company == "Theirs"
        assert isinstance(app.screen, InterviewForm)  # open again, nothing lost
        assert app.screen.query_one("#company", Input).value == "Acme"
        monkeypatch.setattr(app_store, "new_application_id", real)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        companies = sorted(a.company for a in app_store.load_all())
        assert companies == ["Acme", "Theirs"]
