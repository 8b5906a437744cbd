"""The Inbox (SPEC §6, key 3): mail suggestions accepted, dismissed, undone, read inertly,
and a scan in a worker thread, driven with Pilot on a real database and Maildir."""

from __future__ import annotations

import threading
from pathlib import Path

from followup_tui.domain.model import Application, Contact, EventType, Interview
from followup_tui.interchange.mail import MaildirSource, scan, suggestions
from followup_tui.settings.config import Config
from followup_tui.storage.store import Store
from followup_tui.tui.screens.inbox import InboxScreen, MessageScreen, SuggestionList
from tests.support import mail_corpus as corpus
from tests.support.app import APP_TZ, screen_text
from tests.support.mail import make_maildir

SIZE = (120, 40)
PRIYA = "Priya Shah <priya@acme.example>"
ACME = Application(
    "acme-planner", "Acme Shire Council", "Senior Planner",
    contacts=(Contact("Priya Shah", "Manager", "priya@acme.example"),),
    interviews=(Interview("acme-planner-1", "2026-11-20T10:00:00+11:00", duration_minutes=60),),
)
REPLY = corpus.message(PRIYA, corpus.ME, "Re: Thank you",
                       "Hi Alex,\n\nThanks, we will be in touch after the panel.\n",
                       at="2026-11-23T10:00:00+11:00", message_id="<reply@acme.example>")
HOSTILE_SUBJECT = "[@click=app.quit]\x1b]52;c;SGVsbG8=\x07"
HOSTILE = corpus.message(PRIYA, corpus.ME, HOSTILE_SUBJECT,
                         "[bold]not bold[/bold]\x1b[31m and a \x07 bell\n",
                         at="2026-11-24T10:00:00+11:00", message_id="<hostile@acme.example>")
INVITE = corpus.message(PRIYA, corpus.ME, "Invitation: Second round", "Please join us.",
                        at="2026-11-24T12:00:00+11:00", message_id="<invite@acme.example>",
                        calendar=corpus.ICS)
ME_CONFIG = Config(me=(corpus.ME,))


def suggest(store: Store, folder: Path, messages: list[bytes]) -> None:
    """A scan of a Maildir holding `messages`, as `mail scan` makes one."""
    from followup_tui.domain.model import Rules

    maildir = make_maildir(folder, messages)
    scan(store.conn, [MaildirSource(maildir)], store.load_all(), [corpus.ME], Rules(APP_TZ),
         since=None)


def events_of(store: Store) -> list[tuple[str, str | None, str | None]]:
    app = store.load_application("acme-planner")
    assert app is not None
    return [(str(e.type), e.source, e.message_id) for e in app.events]


def pending(store: Store) -> list[str]:
    return [s.message_id for _, s in suggestions(store.conn)]


async def test_accept_then_undo_then_dismiss(make_app, app_store: Store, tmp_path: Path) -> None:
    app_store.import_applications([ACME])
    suggest(app_store, tmp_path / "INBOX", [REPLY, HOSTILE])
    app = make_app(config=ME_CONFIG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "2 in inbox" in screen_text(app)  # the header, on the Review
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)
        text = screen_text(app)
        assert "Reply received" in text and "Acme Shire Council — Senior Planner" in text
        assert "we will be in touch after the panel" in text  # the message's first lines
        await pilot.press("y")  # the reply, the older message, is first
        await pilot.pause()
        assert events_of(app_store) == [("reply_received", "mail", "<reply@acme.example>")]
        assert pending(app_store) == ["<hostile@acme.example>"]
        assert "1 in inbox" in screen_text(app)
        await pilot.press("u")
        await pilot.pause()
        assert events_of(app_store) == []
        assert pending(app_store) == ["<reply@acme.example>", "<hostile@acme.example>"]
        assert "2 in inbox" in screen_text(app)
        await pilot.press("j", "n")  # dismiss the second
        await pilot.pause()
        assert pending(app_store) == ["<reply@acme.example>"]
        assert events_of(app_store) == []
        await pilot.press("u")
        await pilot.pause()
        assert len(pending(app_store)) == 2


async def test_enter_shows_the_message_inertly(make_app, app_store: Store, tmp_path: Path) -> None:
    app_store.import_applications([ACME])
    suggest(app_store, tmp_path / "INBOX", [HOSTILE])
    app = make_app(config=ME_CONFIG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        # the subject is in the row, shown as it is, its escape made visible
        assert "[@click=app.quit]" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MessageScreen)
        text = screen_text(app)
        assert "[@click=app.quit]\\x1b]52;c;SGVsbG8=\\x07" in text
        assert "[bold]not bold[/bold]\\x1b[31m and a \\x07 bell" in text
        await pilot.click("#message-head")  # a click where the "link" is does nothing
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, InboxScreen)
        assert pending(app_store) == ["<hostile@acme.example>"]


async def test_an_invitation_shows_its_interview_before_it_is_saved(
    make_app, app_store: Store, tmp_path: Path
) -> None:
    app_store.import_applications([ACME])
    suggest(app_store, tmp_path / "INBOX", [INVITE])
    app = make_app(config=ME_CONFIG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, MessageScreen)  # shown first, nothing saved yet
        text = screen_text(app)
        assert "Accepting saves:" in text and "Second round" in text
        stored = app_store.load_application("acme-planner")
        assert stored is not None and len(stored.interviews) == 1
        await pilot.press("y")
        await pilot.pause()
        stored = app_store.load_application("acme-planner")
        assert stored is not None
        assert [i.uid for i in stored.interviews] == [None, "second-round@acme.example"]
        assert pending(app_store) == []
        await pilot.press("u")
        await pilot.pause()
        stored = app_store.load_application("acme-planner")
        assert stored is not None and len(stored.interviews) == 1
        assert pending(app_store) == ["<invite@acme.example>"]


async def test_scan_runs_in_a_worker_with_progress(
    make_app, app_store: Store, tmp_path: Path, monkeypatch
) -> None:
    app_store.import_applications([ACME])
    maildir = make_maildir(tmp_path / "INBOX", [REPLY, corpus.NEWSLETTER, INVITE])
    config = Config(me=(corpus.ME,), mail=(("maildir", (str(maildir),)),))
    # the scan waits at its first message until the test has seen the progress line
    import followup_tui.interchange.mail.scanning as scanning

    release = threading.Event()
    real_matcher = scanning.Matcher

    class SlowMatcher(real_matcher):  # type: ignore[misc, valid-type]
        def may_match(self, head: bytes) -> bool:
            release.wait(10)
            return super().may_match(head)

    monkeypatch.setattr(scanning, "Matcher", SlowMatcher)
    app = make_app(config=config)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        assert "Nothing waiting in the Inbox" in screen_text(app)
        await pilot.press("r")
        await pilot.pause(0.3)
        # the Maildir is listed before it is read: the total is known from the start
        assert "Reading mail… 1 of 3" in screen_text(app), screen_text(app)
        await pilot.press("1")  # the keys still work while the thread reads
        await pilot.pause()
        assert not isinstance(app.screen, InboxScreen)
        await pilot.press("3")
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert "Reply received" in text and "Invitation" in text
        assert "news@gmail.com" not in text
        assert "2 in inbox" in text
        assert app.screen.query_one(SuggestionList).option_count == 2


async def test_a_scan_that_fails_is_a_notice_not_a_crash(
    make_app, app_store: Store, tmp_path: Path
) -> None:
    config = Config(me=(corpus.ME,), mail=(("maildir", (str(tmp_path / "missing"),)),))
    app = make_app(config=config)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("3", "r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        notices = [str(n.message) for n in app._notifications]
        assert any("is not a Maildir" in n for n in notices)
        assert "Reading mail" not in screen_text(app)


async def test_no_mail_configured_says_how(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("3", "r")
        await pilot.pause()
        notices = [str(n.message) for n in app._notifications]
        assert any("No mail to read" in n and "[mail]" in n for n in notices)
        assert "in inbox" not in screen_text(app)  # no count when none waits


def test_accepted_events_name_their_type() -> None:
    # every suggestion type but an invitation is an event type the store knows
    from followup_tui.interchange.mail.classification import SUGGESTION_TYPES

    assert {t for t in SUGGESTION_TYPES if t != "invitation"} <= {str(t) for t in EventType}


async def test_a_scan_by_another_program_shows_in_the_header(
    make_app, app_store: Store, tmp_path: Path, no_poll
) -> None:
    app_store.import_applications([ACME])
    app = make_app(config=ME_CONFIG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "in inbox" not in screen_text(app)
        # `followup-tui mail scan` in another terminal: its own connection
        with Store(app_store.path) as other:
            suggest(other, tmp_path / "INBOX", [REPLY])
        app.poll_data_version()
        await pilot.pause()
        assert "1 in inbox" in screen_text(app)
