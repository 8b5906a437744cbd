"""Call talking points name each person with their own title."""

from __future__ import annotations

from pathlib import Path

from followup_tui.domain.model import Contact, Kind
from followup_tui.drafting.templates import render_draft
from followup_tui.settings.config import Config
from tests.support.compose import APPLICATION, INTERVIEW, NOW, RULES


def test_each_person_is_named_with_their_own_title(tmp_path: Path) -> None:
    app = APPLICATION.replace(contacts=(
        Contact("Ann Wu", "Head of Data"), Contact("Bo Chen", "Engineer"),
    ))
    interview = INTERVIEW.replace(interviewers=("Ann Wu", "Bo Chen"))
    draft = render_draft(app.replace(interviews=(interview,)), interview, Kind.CALL, now=NOW,
                         rules=RULES, config=Config(), directory=tmp_path / "none")
    assert "Ann Wu (Head of Data) and Bo Chen (Engineer)" in draft.body
