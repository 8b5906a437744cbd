"""The demo's Inbox is made by the real engine from realistic mail, relative to now."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from followup_tui.interchange.demo import populate, populate_mail
from followup_tui.interchange.mail import suggestions
from followup_tui.storage.store import Store
from tests.support.mail_corpus import SYDNEY


def test_the_demo_mail_suggests_a_reply_an_away_reply_and_an_invitation(tmp_path: Path) -> None:
    now = datetime(2026, 11, 25, 9, 0, tzinfo=SYDNEY)
    with Store(tmp_path / "demo.db") as store:
        populate(store, now, SYDNEY)
        populate_mail(store, now, SYDNEY)
        found = [s for _, s in suggestions(store.conn)]
        assert [(s.type, s.application) for s in found] == [
            ("reply_received", "harbour-city-planner"),
            ("out_of_office", "copperleaf-pm"),
            ("invitation", "lumen-data-engineer"),
        ]
        away = found[1]
        assert away.until is not None and date.fromisoformat(away.until) > now.date()
        # the newsletter matched nothing: not a trace of it
        assert all("jobsweekly" not in s.sender for s in found)
        stored = store.conn.execute("SELECT count(*) FROM mail_suggestions").fetchone()[0]
        assert stored == 3
