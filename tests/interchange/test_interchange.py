"""Reading the interchange format: every fault of meaning found, in document order, by path."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from followup_tui.domain.model import Application, Interview
from followup_tui.interchange.document import InterchangeError, parse_json, read_document
from followup_tui.storage.store import Store

FAULTY: dict[str, Any] = {
    "format": "followup-tui",
    "version": 1,
    "applications": [
        {
            "id": "a",
            "company": "A",
            "role": "R",
            "contacts": [{"name": "N"}, {"name": "M"}, {"name": "N"}],
            "interviews": [
                {
                    "id": "a-1",
                    "starts_at": "2026-02-30T10:00",
                    "ends_at": "2026-03-01T10:00",
                    "decision_by": "2026-13-01",
                },
                {"starts_at": "2026-03-02T10:00", "ends_at": "2026-03-02T09:00"},
                {
                    "id": "stored-elsewhere",
                    "starts_at": "1899-12-31T10:00",
                    "decision_by": "2201-01-01",
                },
                {"id": "b-1", "starts_at": "2026-03-02T10:00+11:00", "ends_at": "2026-03-02T09:00"},
            ],
            "events": [
                {"at": "2026-11-31T10:00", "type": "note", "kind": "call"},
                {"at": "2026-11-20T10:00", "type": "reply_received", "interview": "b-1"},
                {
                    "at": "2026-11-20T10:00",
                    "type": "call_made",
                    "interview": "c-1",
                    "until": "2026-11-31",
                },
                {
                    "at": "2026-11-20T10:00",
                    "type": "snoozed",
                    "kind": "call",
                    "until": "2026-12-01",
                    "interview": "mine-stored",
                },
            ],
        },
        {
            "id": "b",
            "company": "B",
            "role": "R",
            "interviews": [{"id": "a-1", "starts_at": "2026-03-02T10:00"}],
            "events": [{"at": "2026-11-20T10:00", "type": "thank_you_sent", "interview": "a-2"}],
        },
        {"company": "A", "role": "R"},
        {"id": "a", "company": "Again", "role": "R"},
        {"company": "Ä", "role": "R!"},
    ],
}

A0, I0 = "$.applications[0]", "$.applications[0].interviews"
FAULTS = [
    (f"{I0}[0].starts_at", "'2026-02-30T10:00' is not a real date and time"),
    (f"{I0}[0].decision_by", "'2026-13-01' is not a real date"),
    (f"{I0}[1].ends_at", "the interview ends before it starts"),
    (f"{I0}[2].starts_at", "'1899-12-31T10:00': the year must be 1900 to 2200"),
    (f"{I0}[2].decision_by", "'2201-01-01': the year must be 1900 to 2200"),
    (f"{I0}[2].id", "interview id 'stored-elsewhere' already belongs to application 'other'"),
    (f"{A0}.events[0].at", "'2026-11-31T10:00' is not a real date and time"),
    (f"{A0}.events[0].kind", "'kind' only goes with snoozed or skipped, not note"),
    (f"{A0}.events[2].until", "'2026-11-31' is not a real date and time"),
    (
        f"{A0}.events[2].interview",
        "names interview 'c-1', which this application does not have",
    ),
    (f"{A0}.events[2].until", "'until' only goes with snoozed or out_of_office"),
    (
        f"{A0}.contacts[2].name",
        "'N' is already contacts[0]; names identify interviewers, so give each contact its own",
    ),
    ("$.applications[1].interviews[0].id", "interview id 'a-1' is used twice"),
    (
        "$.applications[1].events[0].interview",
        "names interview 'a-2', which this application does not have "
        "(it belongs to application 'a')",
    ),
    ("$.applications[3].id", "application id 'a' is used twice (also at $.applications[0])"),
    ("$.applications[4].id", "application id 'a-r' is used twice (also at $.applications[2])"),
]


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "f.db") as opened:
        opened.import_applications(
            [
                Application(
                    "other", "O", "R", interviews=(Interview("stored-elsewhere", "2026-01-01"),)
                ),
                Application("a", "A", "R", interviews=(Interview("mine-stored", "2026-01-01"),)),
            ]
        )
        yield opened


def test_every_fault_of_meaning_is_listed_in_document_order(store: Store) -> None:
    with pytest.raises(InterchangeError) as raised:
        read_document(copy.deepcopy(FAULTY), ZoneInfo("UTC"), store)
    assert raised.value.faults == FAULTS


def test_an_end_without_an_offset_is_read_in_the_local_zone(store: Store) -> None:
    with pytest.raises(InterchangeError) as raised:
        read_document(copy.deepcopy(FAULTY), ZoneInfo("Australia/Sydney"), store)
    extra = (f"{I0}[3].ends_at", "the interview ends before it starts")
    assert raised.value.faults == [*FAULTS[:6], extra, *FAULTS[6:]]


def test_without_the_store_its_interviews_are_unknown() -> None:
    with pytest.raises(InterchangeError) as raised:
        read_document(copy.deepcopy(FAULTY), ZoneInfo("UTC"))
    faults = raised.value.faults
    assert (f"{I0}[2].id", FAULTS[5][1]) not in faults
    assert (
        f"{A0}.events[3].interview",
        "names interview 'mine-stored', which this application does not have",
    ) in faults


@pytest.mark.parametrize(
    "text",
    [b'["\\ud800"]', '["\\uD800"]', b'{"a": ["x", "\\uDfff"]}'],
    ids=["bytes", "str", "deep"],
)
def test_a_lone_surrogate_escape_is_refused_by_path(text: str | bytes) -> None:
    with pytest.raises(InterchangeError, match="lone surrogate"):
        parse_json(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (b'["\\ud83d\\ude00"]', ["\N{GRINNING FACE}"]),
        ('["\\\\ud800"]', ["\\ud800"]),  # an escaped backslash, then letters
    ],
)
def test_a_surrogate_pair_or_an_escaped_backslash_is_text(text: str | bytes, value: Any) -> None:
    assert parse_json(text) == value
