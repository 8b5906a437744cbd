"""Hostile data: markup stays literal, terminal control never reaches the terminal raw,
and long, empty and astral strings round-trip unchanged."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from followup_tui.text import printable
from tests.support.cli import Runner
from tests.support.reliability import NOW

MARKUP = [
    "[b]x[/b]",
    "[@click=app.quit]quit[/]",
    "[link=http://x]y[/link]",
    "[red on black]",
    "\\[b]",
]
CONTROL = [
    "\x1b[2J",
    "\x07",
    "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\",
    "\u202eevil\u202c",
    "\u2066isolate\u2069",
    "\x9b31m",  # an 8-bit CSI
    "\x00nul",
    "\r\x1b[Kover",
    "\x08\x7f",
    "\u061c\u200e\u200f",
]
UNICODE = [
    "Zoë Ångström",
    "漢字かなカナ한국어",
    "e\u0301 a\u0308 \u0915\u094d\u0937",  # combining marks
    "\ufffd\ufffe\uffff\uffef",  # U+FFFF and its neighbours
    "\U00010000\U0001f600\U0001f469\u200d\U0001f4bb\U0001f1e6\U0001f1fa",  # astral, ZWJ, flags
    "\U00020000\U0002a6d6\U00030000",  # CJK extension planes
    "\U000e0041\U000f0000\U0010fffd",  # tags and private use, the last planes
    "\u2028line\u2029para",
]
HOSTILE = MARKUP + CONTROL + UNICODE
LONG = "长" * 10_000 + "x" * 9_999 + "\U0001f600"  # 20,000 code points, the schema's limit

#: what may never reach a terminal raw from a text-output command
RAW_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]"
)


def hostile_document() -> dict[str, Any]:
    apps = []
    for n, text in enumerate(HOSTILE):
        apps.append(
            {
                "id": f"h{n}",
                "company": f"{text} Co",
                "role": f"Role {text}",
                "link": text,
                "notes": LONG if n == 0 else text,
                "contacts": [{"name": text or "x", "title": text, "email": text, "phone": text}],
                "interviews": [
                    {
                        "id": f"h{n}-1",
                        "starts_at": "2026-11-20T10:00:00+11:00",
                        "round": text,
                        "interviewers": [text],
                        "topics": [text, LONG[:500]],
                        "fit_points": [text],
                        "notes": LONG,
                    }
                ],
                "events": [{"at": "2026-11-21T10:00:00+11:00", "type": "note", "text": text}],
            }
        )
    apps.append(  # empty strings wherever the schema allows them
        {
            "id": "empty",
            "company": "E",
            "role": "R",
            "link": "",
            "notes": "",
            "contacts": [{"name": "N", "title": "", "email": "", "phone": ""}],
            "interviews": [
                {
                    "id": "empty-1",
                    "starts_at": "2026-11-22T10:00:00+11:00",
                    "round": "",
                    "interviewers": [""],
                    "topics": [""],
                    "fit_points": [],
                    "notes": "",
                }
            ],
            "events": [{"at": "2026-11-22T12:00:00+11:00", "type": "note", "text": ""}],
        }
    )
    return {"format": "followup-tui", "version": 1, "applications": apps}


def _without_empty(node: Any) -> Any:
    """The document as export writes it: empty optional fields left out."""
    if isinstance(node, dict):
        return {
            k: _without_empty(v)
            for k, v in node.items()
            if v not in ("", [], None) or k in ("name", "company", "role")
        }
    if isinstance(node, list):
        return [_without_empty(v) for v in node]
    return node


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Runner:
    cli = Runner(tmp_path_factory.mktemp("hostile"))
    done = cli.run("import", str(cli.write_json("hostile.json", hostile_document())))
    assert done.returncode == 0, done.stderr
    return cli


def test_due_text_shows_markup_literally_and_no_control_characters(hostile: Runner) -> None:
    done = hostile.run("due", "--all", "--now", NOW)
    assert done.returncode == 0, done.stderr
    assert not RAW_CONTROL.findall(done.stdout.replace("\n", ""))
    for text in MARKUP + UNICODE:
        assert printable(f"{text} Co", single_line=True) in done.stdout
    for text in CONTROL:
        assert printable(f"{text} Co", single_line=True) in done.stdout  # as visible escapes
    assert "\\x1b[2J" in done.stdout and "\\u202e" in done.stdout


def test_due_json_carries_the_exact_values_and_escapes_terminal_control(hostile: Runner) -> None:
    done = hostile.run("due", "--all", "--json", "--now", NOW)
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout and "\x00" not in done.stdout
    companies = {row["company"] for row in json.loads(done.stdout)}
    assert companies >= {f"{text} Co" for text in HOSTILE}


def test_json_export_round_trips_everything_byte_for_byte(hostile: Runner, tmp_path: Path) -> None:
    first = hostile.run("export")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == _without_empty(hostile_document())
    again = Runner(tmp_path)
    assert (
        again.run("import", str(again.write_json("x.json", json.loads(first.stdout)))).returncode
        == 0
    )
    second = again.run("export")
    assert second.stdout == first.stdout


def test_csv_and_ics_exports_carry_the_values(hostile: Runner) -> None:
    done = hostile.run("export", "--format", "csv", "--now", NOW)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout, newline="")))
    from followup_tui.interchange.document import spreadsheet_safe

    # every value arrives, as text a spreadsheet will not run (quoted when it would);
    # a leading CR is left out: the text-mode pipe of the test turns it into LF
    assert {row["company"] for row in rows} >= {
        spreadsheet_safe(f"{text} Co") for text in HOSTILE if not text.startswith("\r")
    }
    ics = hostile.run("export", "--format", "ics", "--now", NOW)
    assert ics.returncode == 0, ics.stderr
    from icalendar import Calendar

    calendar = Calendar.from_ical(ics.stdout)
    summaries = " ".join(str(event["summary"]) for event in calendar.walk("VEVENT"))
    for text in MARKUP + UNICODE:
        assert f"{text} Co" in summaries


def test_a_lone_surrogate_is_refused_without_a_traceback(tmp_path: Path) -> None:
    cli = Runner(tmp_path)
    path = tmp_path / "s.json"
    for body in ('"\\ud800"', '"a\\uDFFF"', '"\\ud83d x"'):
        path.write_text(
            '{"format": "followup-tui", "version": 1, "applications": '
            f'[{{"id": "a", "company": "C", "role": "R", "notes": {body}}}]}}'
        )
        done = cli.run("import", str(path))
        assert done.returncode == 2, done.stderr
        assert "$.applications[0].notes" in done.stderr and "surrogate" in done.stderr
        assert "Traceback" not in done.stderr
    # a proper pair is an astral character, and welcome
    path.write_text(
        '{"format": "followup-tui", "version": 1, "applications": '
        '[{"id": "a", "company": "C", "role": "R", "notes": "\\ud83d\\ude00"}]}'
    )
    assert cli.run("import", str(path)).returncode == 0
    assert json.loads(cli.run("export").stdout)["applications"][0]["notes"] == "\U0001f600"


def test_printable_leaves_nothing_a_terminal_would_act_on() -> None:
    for text in HOSTILE + [LONG, "".join(chr(c) for c in range(0x20))]:
        shown = printable(text)
        assert not RAW_CONTROL.findall(shown.replace("\n", "").replace("\t", ""))


def test_every_unsafe_character_is_escaped_even_on_the_fast_path() -> None:
    """printable() returns text that str.isprintable() passes untouched: no character
    it must escape may be one that isprintable() calls printable."""
    from followup_tui import text as text_module

    unsafe = re.compile(text_module._UNSAFE_CHARACTERS)
    for code in range(0x110000):
        character = chr(code)
        if unsafe.match(character):
            assert printable(character) != character, hex(code)
            assert printable(f"ok{character}ok") != f"ok{character}ok", hex(code)
