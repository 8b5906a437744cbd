"""Shared data for the compose tests: one application with one interview, fixed times."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from followup_tui.domain.model import Application, Contact, Interview, Rules
from tests.support.cli import SAMPLE

TZ = ZoneInfo("Australia/Sydney")
RULES = Rules(tz=TZ)
#: The morning after the interview: the thank-you is due.
NOW = datetime(2026, 11, 20, 16, 0, tzinfo=TZ)
#: Two days later: the thank-you is overdue.
LATE = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)

INTERVIEW = Interview(
    id="acme-planner-1",
    starts_at="2026-11-20T10:00:00+11:00",
    duration_minutes=60,
    format="video",
    round="First round",
    interviewers=("Priya Shah",),
    topics=("the new housing strategy", "community consultation"),
    fit_points=("five years running council consultations",),
    decision_by="2026-11-27",
)

APPLICATION = Application(
    id="acme-planner",
    company="Acme Shire Council",
    role="Senior Planner",
    contacts=(Contact("Priya Shah", "Manager", "priya@example.org", "+61 2 5550 1234"),),
    interviews=(INTERVIEW,),
)

GOOD_DRAFT = """Subject: Thank you — Senior Planner interview

Dear Priya,

Thank you for taking the time to talk with me today. I enjoyed our conversation
about the new housing strategy.

I remain very interested in the role, and my five years running council
consultations would help from day one.

Kind regards,
Sam
"""


def interchange_document() -> dict[str, object]:
    """The fixture as an interchange file, for `followup-tui import`: the sample's Acme
    application (tests.support.cli.SAMPLE) before anything was sent."""
    acme = copy.deepcopy(SAMPLE["applications"][0])
    assert acme["id"] == APPLICATION.id and acme["interviews"][0]["id"] == INTERVIEW.id
    acme["events"] = []
    return {"format": "followup-tui", "version": 1, "applications": [acme]}


def write_interchange(path: Path) -> Path:
    path.write_text(json.dumps(interchange_document(), ensure_ascii=False), encoding="utf-8")
    return path
