"""Running the installed `followup-tui` command in a subprocess, on temp files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

SAMPLE: dict[str, Any] = {
    "format": "followup-tui",
    "version": 1,
    "applications": [
        {
            "id": "acme-planner",
            "company": "Acme Shire Council",
            "role": "Senior Planner",
            "link": "https://example.org/jobs/123",
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
                    "id": "acme-planner-1",
                    "starts_at": "2026-11-20T10:00:00+11:00",
                    "duration_minutes": 60,
                    "format": "video",
                    "round": "First round",
                    "interviewers": ["Priya Shah"],
                    "topics": ["the new housing strategy", "community consultation"],
                    "fit_points": ["five years running council consultations"],
                    "decision_by": "2026-11-27",
                }
            ],
            "events": [
                {
                    "at": "2026-11-20T15:30:00+11:00",
                    "type": "thank_you_sent",
                    "interview": "acme-planner-1",
                },
                {
                    "at": "2026-11-24T09:00:00+11:00",
                    "type": "snoozed",
                    "interview": "acme-planner-1",
                    "kind": "call",
                    "until": "2026-12-01",
                },
                {
                    "at": "2026-11-25T12:00:00+11:00",
                    "type": "note",
                    "text": "Recruiter says panel is still meeting",
                },
            ],
        },
        {
            "id": "globex-analyst",
            "company": "Globex",
            "role": "Data Analyst",
            "interviews": [{"id": "globex-1", "starts_at": "2026-11-24T14:00:00+11:00"}],
        },
    ],
}


def command() -> list[str]:
    exe = shutil.which("followup-tui", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "followup_tui.cli.main"]


class Runner:
    """Runs the command with its own database, config dir and time zone."""

    def __init__(self, tmp: Path, tz: str = "Australia/Sydney") -> None:
        self.tmp = tmp
        self.db = tmp / "data" / "followup.db"
        self.db.parent.mkdir(exist_ok=True)
        (tmp / "config").mkdir(exist_ok=True)
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("FOLLOWUP_TUI")},
            "FOLLOWUP_TUI_DB": str(self.db),
            "FOLLOWUP_TUI_CONFIG_DIR": str(tmp / "config"),
            "TZ": tz,
        }
        self.env.pop("NO_COLOR", None)

    def run(
        self, *args: str, stdin: bytes | None = None, **env: str
    ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [*command(), *args],
            input=stdin.decode() if stdin is not None else None,
            capture_output=True,
            text=True,
            env={**self.env, **env},
            timeout=120,
        )
        return done

    def write_json(self, name: str, document: Any) -> Path:
        path = self.tmp / name
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False))
        return path
