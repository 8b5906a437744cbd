"""Fuzzing the forms: generated input is saved whole or refused at a field, never a crash.

Each example drives the real app (Pilot) on a fresh database: fill the
new-application form with generated text, press save, and check that either
the form closed and exactly what was typed is stored, or the form is still
open showing the faults and nothing was written.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from textual.widgets import Input, TextArea

from followup_tui.domain.model import Rules
from followup_tui.settings.clock import Clock
from followup_tui.settings.config import Config
from followup_tui.storage.store import Store
from followup_tui.tui.screens.forms import InterviewForm
from tests.support.app import APP_NOW, APP_TZ

#: Text a person might type or paste, hostile bits included.
TYPED = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
) | st.sampled_from(["[b]x[/b]", "[@click=app.quit]", "\x1b[2J", "\u202eevil", "  ", "Zoë"])
WHEN = st.sampled_from(
    ["", "tomorrow 3pm", "fri 10am", "2026-11-20 10:00", "31 feb", "9999-12-31 10:00",
     "yesterday", "in 2 days", "not a date", "25:61", "2026-11-20T10:00+11:00"]
) | TYPED
NUMBER = st.sampled_from(["", "30", "0", "1441", "99999999999999999999"]) | st.text("0123456789",
                                                                                  max_size=6)


async def _fill_and_save(db: Path, values: dict[str, str], lines: dict[str, str]) -> bool:
    from followup_tui.tui import make_app

    with Store(db) as store:
        app = make_app(store, Clock(APP_TZ, APP_NOW), Rules(APP_TZ), Config(),
                       daily_backup=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("a")  # empty database: the new-application form
            form = app.screen
            assert isinstance(form, InterviewForm)
            for name, value in values.items():
                form.query_one(f"#{name}", Input).value = value
            for name, value in lines.items():
                form.query_one(f"#{name}", TextArea).text = value
            await pilot.pause()
            form.action_save()
            await pilot.pause()
            still_open = app.screen is form
            if still_open:
                assert form.faults, "the form stayed open without saying why"
        return not still_open


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    company=TYPED, role=TYPED, starts=WHEN, duration=NUMBER, decision=WHEN,
    interviewers=TYPED, contacts=TYPED, topics=TYPED,
)
def test_the_new_application_form_saves_whole_or_refuses_at_a_field(
    company: str, role: str, starts: str, duration: str, decision: str, interviewers: str,
    contacts: str, topics: str,
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "f.db"
        values = {"company": company, "role": role, "starts": starts, "duration": duration,
                  "decision_by": decision, "interviewers": interviewers}
        saved = asyncio.run(_fill_and_save(db, values, {"contacts": contacts, "topics": topics}))
        event("saved" if saved else "refused")
        with Store(db) as store:
            apps = store.load_all()
            assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        if not saved:
            assert apps == []  # refused: nothing written
            return
        (app,) = apps
        assert (app.company, app.role) == (company.strip(), role.strip())
        if app.interviews:
            assert app.interviews[0].topics == tuple(
                line.strip() for line in topics.splitlines() if line.strip()
            )
