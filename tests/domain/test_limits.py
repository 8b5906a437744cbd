"""domain.limits states the interchange schema's bounds once: check them against it."""

from __future__ import annotations

import json
from importlib import resources

from followup_tui.domain import limits


def _schema() -> dict:
    text = resources.files("followup_tui.interchange").joinpath(
        "data", "interchange.schema.json"
    ).read_text()
    return json.loads(text)


def test_text_limits_are_the_schemas() -> None:
    defs = _schema()["$defs"]
    assert defs["id"]["maxLength"] == limits.ID_MAX
    assert defs["shortText"]["maxLength"] == limits.SHORT_MAX
    assert defs["text"]["maxLength"] == limits.TEXT_MAX


def test_number_limits_are_the_schemas() -> None:
    interview = _schema()["$defs"]["interview"]["properties"]
    duration = interview["duration_minutes"]
    assert (duration["minimum"], duration["maximum"]) == (limits.DURATION_MIN,
                                                          limits.DURATION_MAX)
    assert interview["sequence"]["maximum"] == limits.SEQUENCE_MAX


def test_event_types_are_the_schemas() -> None:
    """The schema's event-type enum and the domain's EventType are one list."""
    from followup_tui.domain.model import EventType

    enum = _schema()["$defs"]["event"]["properties"]["type"]["enum"]
    assert enum == [member.value for member in EventType]
    assert all(member.label for member in EventType)
