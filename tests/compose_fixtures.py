"""Shared data for the compose tests: one application with one interview, fixed times."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from followup_tui.domain.model import Application, Contact, Interview, Rules

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
    """The fixture as an interchange file, for `followup-tui import`."""
    return {
        "format": "followup-tui",
        "version": 1,
        "applications": [
            {
                "id": APPLICATION.id,
                "company": APPLICATION.company,
                "role": APPLICATION.role,
                "link": "",
                "notes": "",
                "contacts": [
                    {
                        "name": "Priya Shah",
                        "title": "Manager",
                        "email": "priya@example.org",
                        "phone": "+61 2 5550 1234",
                    }
                ],
                "interviews": [
                    {
                        "id": INTERVIEW.id,
                        "starts_at": INTERVIEW.starts_at,
                        "duration_minutes": 60,
                        "format": "video",
                        "round": "First round",
                        "interviewers": list(INTERVIEW.interviewers),
                        "topics": list(INTERVIEW.topics),
                        "fit_points": list(INTERVIEW.fit_points),
                        "decision_by": INTERVIEW.decision_by,
                        "notes": "",
                    }
                ],
                "events": [],
            }
        ],
    }


def write_interchange(path: Path) -> Path:
    path.write_text(json.dumps(interchange_document(), ensure_ascii=False), encoding="utf-8")
    return path
