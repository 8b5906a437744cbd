"""Fuzzing the import: generated documents, valid and broken, are either imported and
round-trip, or refused with exit 2 and a message, the database unchanged; never a crash."""

from __future__ import annotations

import copy
import io
import itertools
import json
import sqlite3
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup_tui.cli import main as cli
from followup_tui.interchange.document import (
    _fast_validate,
    _plainly_valid,
    schema_faults,
    validate_schema,
)
from tests.support.cli import Runner

FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
NAME = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20)
MOMENT = st.builds(
    lambda d, h, m, off: f"2026-{d[0]:02d}-{d[1]:02d}T{h:02d}:{m:02d}:00{off}",
    st.tuples(st.integers(1, 12), st.integers(1, 28)),
    st.integers(0, 23),
    st.integers(0, 59),
    st.sampled_from(["+11:00", "Z", "-05:00", "", "+0530"]),
)
EVENT_TYPES = ["thank_you_sent", "call_made", "reply_received", "on_hold", "resumed", "offer"]
EVENT_TYPES += ["rejected", "withdrawn", "accepted", "note"]


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    apps = []
    ids = itertools.count()
    for a in range(draw(st.integers(0, 4))):
        app_id = f"a{a}"
        interviews = []
        for _ in range(draw(st.integers(0, 2))):
            interview: dict[str, Any] = {"id": f"{app_id}-i{next(ids)}", "starts_at": draw(MOMENT)}
            if draw(st.booleans()):
                interview["duration_minutes"] = draw(st.integers(1, 1440))
            if draw(st.booleans()):
                interview["topics"] = draw(st.lists(TEXT, max_size=3))
            if draw(st.booleans()):
                interview["decision_by"] = "2026-12-01"
            if draw(st.booleans()):  # from a calendar invitation (SPEC §7)
                interview["uid"] = draw(TEXT)
                interview["sequence"] = draw(st.integers(0, 2147483647))
            if draw(st.booleans()):
                interview["cancelled"] = draw(st.booleans())
            interviews.append(interview)
        events = []
        for _ in range(draw(st.integers(0, 3))):
            event: dict[str, Any] = {"at": draw(MOMENT)}
            kind = draw(st.sampled_from([*EVENT_TYPES, "snoozed", "skipped", "out_of_office"]))
            event["type"] = kind
            if kind in ("snoozed", "skipped"):
                event["kind"] = draw(st.sampled_from(["thank_you", "call"]))
            if kind == "snoozed" or (kind == "out_of_office" and draw(st.booleans())):
                event["until"] = draw(st.sampled_from(["2026-12-01", "2026-12-01T17:00+11:00"]))
            if draw(st.booleans()):
                event["source"] = draw(st.sampled_from(["app", "import", "mail", "calendar"]))
            if draw(st.booleans()):
                event["message_id"] = draw(TEXT)
            if interviews and draw(st.booleans()):
                event["interview"] = draw(st.sampled_from(interviews))["id"]
            if kind == "note":
                event["text"] = draw(TEXT)
            events.append(event)
        app: dict[str, Any] = {"id": app_id, "company": draw(NAME), "role": draw(NAME)}
        if draw(st.booleans()):
            app["notes"] = draw(TEXT)
        if draw(st.booleans()):
            app["applied_on"] = f"2026-{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}"
        if draw(st.booleans()):
            app["contacts"] = [{"name": draw(NAME), "email": draw(TEXT)}]
        if interviews:
            app["interviews"] = interviews
        if events:
            app["events"] = events
        apps.append(app)
    return {"format": "followup-tui", "version": 1, "applications": apps}


def _places(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _places(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _places(value, (*path, index))
    return out


BAD_VALUES = [None, 5, -1, 1.5, True, "", "x" * 600, [], {}, "2026-02-30T10:00", "nope", "ghost"]


@st.composite
def broken_documents(draw: st.DrawFn) -> Any:
    """A valid document with one or more things done wrong to it."""
    document = draw(documents())
    for _ in range(draw(st.integers(1, 3))):
        places = _places(document)
        path = draw(st.sampled_from(places))
        action = draw(st.sampled_from(["drop", "retype", "duplicate", "extra", "ghost"]))
        if not path:
            document = draw(st.sampled_from([[], "x", None, {"format": "followup-tui"}, document]))
            continue
        parent = document
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        if action == "drop" and isinstance(parent, dict):
            del parent[last]
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
        elif action == "extra" and isinstance(parent, dict):
            parent["unexpected"] = 1
        elif action == "ghost" and isinstance(parent, dict) and "type" in parent:
            parent["interview"] = "ghost-interview"
        else:
            parent[last] = draw(st.sampled_from(BAD_VALUES))
    return document


def _dump(db: Path) -> list[str]:
    if not db.exists():
        return []
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


class InProcess:
    """`followup_tui.cli.main.main` in this process, its output captured."""

    def __init__(self, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.tmp = tmp
        self.db = tmp / "data" / "f.db"
        self.db.parent.mkdir(exist_ok=True)
        (tmp / "config").mkdir(exist_ok=True)
        monkeypatch.setenv("FOLLOWUP_TUI_CONFIG_DIR", str(tmp / "config"))
        monkeypatch.setenv("TZ", "Australia/Sydney")
        monkeypatch.delenv("FOLLOWUP_TUI_NOW", raising=False)

    def run(self, *args: str, db: Path | None = None) -> tuple[int, str, str]:
        out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = cli.main(["--db", str(db or self.db), *args])
        out.flush()
        return code, out.buffer.getvalue().decode("utf-8"), err.getvalue()  # type: ignore[attr-defined]

    def import_document(self, document: Any, db: Path | None = None) -> tuple[int, str, str]:
        path = self.tmp / "in.json"
        path.write_text(json.dumps(document, ensure_ascii=False))
        return self.run("import", str(path), db=db)


@pytest.fixture
def proc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> InProcess:
    return InProcess(tmp_path, monkeypatch)


COUNTER = itertools.count()


def _check(proc: InProcess, document: Any) -> str:
    before = _dump(proc.db)
    code, _, err = proc.import_document(document)
    if code == 2:
        assert err.strip(), "refused without a message"
        assert _dump(proc.db) == before, "a refused import changed the database"
        return "refused"
    assert code == 0, err
    # what is stored exports, and that export imports into an empty database unchanged
    code, first, err = proc.run("export")
    assert code == 0, err
    fresh = proc.tmp / f"fresh{next(COUNTER)}.db"
    assert proc.import_document(json.loads(first), db=fresh)[0] == 0
    assert proc.run("export", db=fresh)[1] == first
    return "accepted"


@FUZZ
@given(document=documents())
def test_valid_documents_import_and_round_trip(proc: InProcess, document: dict[str, Any]) -> None:
    assert _plainly_valid(document) and _fast_validate(document) and not schema_faults(document)
    assert _check(proc, document) == "accepted"


@FUZZ
@given(document=broken_documents())
def test_broken_documents_are_refused_cleanly_or_accepted_whole(
    proc: InProcess, document: Any
) -> None:
    _check(proc, document)


@settings(max_examples=300, deadline=None)
@given(document=st.one_of(documents(), broken_documents()))
def test_fast_validator_agrees_with_the_reference(document: Any) -> None:
    assert _fast_validate(document) == (not schema_faults(document))


@settings(max_examples=300, deadline=None)
@given(document=st.one_of(documents(), broken_documents()))
def test_the_plain_check_accepts_only_what_the_schema_accepts(document: Any) -> None:
    if _plainly_valid(document):
        assert _fast_validate(document) and not schema_faults(document)


#: Every key the schema knows, each with a value it accepts.
FULL = {
    "format": "followup-tui",
    "version": 1,
    "applications": [
        {
            "id": "a",
            "company": "C",
            "role": "R",
            "link": "https://example.org",
            "notes": "n",
            "contacts": [{"name": "N", "title": "t", "email": "e", "phone": "p"}],
            "interviews": [
                {
                    "id": "a-1",
                    "starts_at": "2026-11-20T10:00",
                    "ends_at": "2026-11-20 11:00:00.5+11:00",
                    "duration_minutes": 60,
                    "format": "video",
                    "round": "r",
                    "interviewers": ["N"],
                    "topics": ["t", ""],
                    "fit_points": [],
                    "decision_by": "2026-11-27",
                    "notes": "",
                    "uid": "040000008200E00074C5B7101A82E008@example.org",
                    "sequence": 2,
                    "cancelled": False,
                }
            ],
            "events": [
                {
                    "at": "2026-11-20T15:30Z",
                    "type": "snoozed",
                    "interview": "a-1",
                    "kind": "call",
                    "until": "2026-12-01T09:00-0500",
                },
                {"at": "2026-11-21T10:00:00", "type": "skipped", "kind": "thank_you"},
                {"at": "2026-11-22T10:00+11:00", "type": "note", "text": "x"},
                {
                    "at": "2026-11-23T08:00+11:00",
                    "type": "out_of_office",
                    "until": "2026-11-27",
                    "source": "mail",
                    "message_id": "<ooo-1@example.org>",
                },
            ],
            "applied_on": "2026-11-01",
        }
    ],
}
#: Only what is required, and an event of every type.
BARE = {
    "format": "followup-tui",
    "version": 1,
    "applications": [
        {
            "company": "C",
            "role": "R",
            "contacts": [{"name": "N"}],
            "interviews": [{"starts_at": "2026-11-20 10:00"}],
            "events": [
                {"at": "2026-11-20T15:30:00.123Z", "type": kind, **extra}
                for kind, extra in [
                    *((kind, {}) for kind in [*EVENT_TYPES, "thank_you_sent"]),
                    ("snoozed", {"kind": "thank_you", "until": "2026-12-01"}),
                    ("skipped", {"kind": "call"}),
                    ("out_of_office", {}),
                ]
            ],
        }
    ],
}
#: Values the schema refuses somewhere, or accepts though the plain check leaves them to it.
ODD_VALUES = [
    *BAD_VALUES,
    0,
    1.0,
    60.0,
    1441,
    False,
    "x" * 201,
    "x" * 501,
    "x" * 20001,
    "2026-11-20",
    "2026-11-20T10:00\n",
    "2026-11-20T10",
    "٢٠٢٦-١١-٢٠",
    "2026-11-20T10:00+1100",
    "snoozed",
    "call",
    "video",
    ["x"],
    [{}],
]


def _mutations(document: Any) -> Any:
    """The document with one thing changed: each value replaced, each key dropped, a key added."""
    for path in _places(document):
        if not path:
            continue
        for action in ["drop", "extra", *range(len(ODD_VALUES))]:
            changed = copy.deepcopy(document)
            parent = changed
            for part in path[:-1]:
                parent = parent[part]
            if action == "drop":
                if not isinstance(parent, dict):
                    continue
                del parent[path[-1]]
            elif action == "extra":
                if not isinstance(parent, dict):
                    continue
                parent["unexpected"] = "x"
            else:
                parent[path[-1]] = ODD_VALUES[action]
            yield changed


@pytest.mark.parametrize("document", [FULL, BARE], ids=["full", "bare"])
def test_the_plain_check_holds_to_the_schema_at_every_key(document: Any) -> None:
    assert _plainly_valid(document) and not schema_faults(document)
    accepted = refused = 0
    for changed in _mutations(document):
        if _plainly_valid(changed):
            assert _fast_validate(changed) and not schema_faults(changed), changed
            accepted += 1
        else:  # left to the validators, which decide as they did before
            refused += 1
    assert accepted and refused


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.__setitem__("version", 1.0),
        lambda d: d["applications"][0]["interviews"][0].__setitem__("duration_minutes", 60.0),
    ],
)
def test_what_the_plain_check_leaves_to_the_validators_is_still_accepted(change) -> None:
    document = copy.deepcopy(FULL)
    change(document)
    assert not _plainly_valid(document)
    validate_schema(document)  # no fault


SUBPROCESS_CASES = [
    {"format": "followup-tui"},
    {"format": "followup-tui", "version": 1, "applications": [{"id": "a", "company": 5}]},
    {
        "format": "followup-tui",
        "version": 1,
        "applications": [
            {"id": "a", "company": "C", "role": "R"},
            {"id": "a", "company": "C", "role": "R"},
        ],
    },
    {
        "format": "followup-tui",
        "version": 1,
        "applications": [
            {
                "company": "C",
                "role": "R",
                "events": [{"at": "2026-02-30T10:00", "type": "note", "interview": "ghost"}],
            }
        ],
    },
]


@pytest.mark.parametrize("document", SUBPROCESS_CASES)
def test_a_few_broken_documents_through_the_installed_command(
    tmp_path: Path, document: Any
) -> None:
    """The same contract end to end, in real subprocesses: exit 2, a message, nothing written."""
    runner = Runner(tmp_path)
    assert runner.run("import", str(runner.write_json("ok.json", {**BASE}))).returncode == 0
    before = _dump(runner.db)
    done = runner.run("import", str(runner.write_json("b.json", document)))
    assert done.returncode == 2
    assert "nothing was imported" in done.stderr
    assert "Traceback" not in done.stderr
    assert _dump(runner.db) == before


BASE = {
    "format": "followup-tui",
    "version": 1,
    "applications": [{"id": "base", "company": "Base", "role": "R"}],
}
