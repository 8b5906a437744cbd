"""Import and export: the interchange JSON (SPEC §3.1), CSV and iCalendar.

Import checks the document against the JSON Schema and then its meaning
(dates that exist, interviews that end after they start, events that name
known interviews, ids used once) and raises `InterchangeError` listing every
fault by JSON path. Nothing is written unless the whole document is good.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from datetime import datetime, tzinfo
from importlib import resources
from typing import Any

from followup_tui.domain.limits import (
    DURATION_MAX,
    DURATION_MIN,
    ID_MAX,
    SEQUENCE_MAX,
    SHORT_MAX,
    TEXT_MAX,
)
from followup_tui.domain.model import (
    EVENT_SOURCES,
    Application,
    Contact,
    Event,
    EventType,
    FollowUp,
    Interview,
    Kind,
    Rules,
    State,
)
from followup_tui.domain.rules import (
    follow_ups,
    parse_local_date,
    parse_moment,
)
from followup_tui.domain.urgency import urgency
from followup_tui.domain.when import FIRST_YEAR, LAST_YEAR  # dates outside are refused
from followup_tui.errors import UserError
from followup_tui.storage.store import Store, slug

FORMAT = "followup-tui"
VERSION = 1
MAX_REPORTED = 20


class InterchangeError(UserError):
    """The document cannot be imported; `faults` are (JSON path, message) pairs."""

    def __init__(self, faults: list[tuple[str, str]], heading: str = ""):
        self.faults = faults
        shown = faults[:MAX_REPORTED]
        lines = [heading] if heading else []
        lines += [f"{path}: {message}" for path, message in shown]
        if len(faults) > len(shown):
            lines.append(f"... and {len(faults) - len(shown)} more")
        super().__init__("\n".join(lines))


def load_schema() -> dict[str, Any]:
    schema = resources.files("followup_tui.interchange").joinpath("data", "interchange.schema.json")
    text = schema.read_text()
    result: dict[str, Any] = json.loads(text)
    return result


def _path(parts: Iterable[Any]) -> str:
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _lone_surrogate(node: Any, parts: list[Any]) -> list[Any] | None:
    """The path to the first string holding a lone surrogate (`"\\ud800"`), if any."""
    if isinstance(node, str):
        try:
            node.encode("utf-8")
        except UnicodeEncodeError:
            return parts
    elif isinstance(node, dict):
        for key, value in node.items():
            found = _lone_surrogate(key, parts) or _lone_surrogate(value, [*parts, key])
            if found is not None:
                return found
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found = _lone_surrogate(value, [*parts, index])
            if found is not None:
                return found
    return None


_SURROGATE_ESCAPE = re.compile(r"\\u[dD]")
_SURROGATE_ESCAPE_BYTES = re.compile(rb"\\u[dD]")


#: Nesting deeper than this is refused before anything walks the document (the
#: format itself nests five levels; the checks that follow recurse).
MAX_DEPTH = 32


def _deeper_than(document: Any, limit: int) -> bool:
    """Whether lists and objects nest more than `limit` levels (walked without recursion)."""
    stack = [(document, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Iterable[Any] = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def parse_json(text: str | bytes, source: str = "input") -> Any:
    try:
        document = json.loads(text)
    except UnicodeDecodeError as error:
        raise InterchangeError([("$", f"{source} is not UTF-8 text ({error.reason})")]) from error
    except json.JSONDecodeError as error:
        raise InterchangeError(
            [
                (
                    "$",
                    f"{source} is not valid JSON: {error.msg} at line {error.lineno}, "
                    f"column {error.colno}",
                )
            ]
        ) from error
    except RecursionError:
        raise InterchangeError(
            [("$", f"{source} is nested too deeply to be an interchange file")]
        ) from None
    except ValueError as error:  # Python's limit on an integer's digits (CVE-2020-10735)
        raise InterchangeError(
            [("$", f"{source} holds a number with thousands of digits, which no field takes")]
        ) from error
    if _deeper_than(document, MAX_DEPTH):
        raise InterchangeError(
            [("$", f"{source} is nested more than {MAX_DEPTH} levels deep, "
                   "which no interchange file is")]
        )
    # JSON can spell half a UTF-16 pair as an escape; no UTF-8 text (nor SQLite) can hold one.
    # Valid JSON writes the escape with a small u, so only the hex digit's case varies.
    if isinstance(text, bytes):
        escaped = _SURROGATE_ESCAPE_BYTES.search(text) is not None
    else:
        escaped = _SURROGATE_ESCAPE.search(text) is not None
    if escaped:
        found = _lone_surrogate(document, [])
        if found is not None:
            raise InterchangeError(
                [(_path(found), "holds a lone surrogate escape (\\ud800-\\udfff), not text")]
            )
    return document


def _siblings_to_all_of(node: Any) -> Any:
    """Rewrite `{"$ref": X, ...}` as `{"allOf": [{"$ref": X}], ...}`.

    In draft 2020-12 keywords beside `$ref` apply too; in draft 7, which the
    fast validator implements, they are ignored. `allOf` means the same in both.
    """
    if isinstance(node, list):
        return [_siblings_to_all_of(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _siblings_to_all_of(value) for key, value in node.items()}
    if "$ref" in node and len(node) > 1:
        ref = node.pop("$ref")
        node["allOf"] = [{"$ref": ref}, *node.get("allOf", [])]
    return node


_fast_validator: Any = None


def _fast_validate(document: Any) -> bool:
    """True when the document is valid; compiled once, about 30x faster than jsonschema."""
    global _fast_validator
    import fastjsonschema

    if _fast_validator is None:
        schema = _siblings_to_all_of(load_schema())
        # a relative $id makes fastjsonschema try to fetch references as URLs
        schema.pop("$id", None)
        schema.pop("$schema", None)
        _fast_validator = fastjsonschema.compile(schema)
    try:
        _fast_validator(document)
    except fastjsonschema.JsonSchemaValueException:
        return False
    return True


#: The schema's date-time and date patterns, as the validators read them but
#: stricter: ASCII digits only (Python's `\d` takes any Unicode digit) and no
#: trailing newline (which `$` lets through).
_DATE_TEXT = "[0-9]{4}-[0-9]{2}-[0-9]{2}"
_TIME_TEXT = r"[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?"
_is_datetime = re.compile(_DATE_TEXT + _TIME_TEXT).fullmatch
_is_date_or_datetime = re.compile(f"{_DATE_TEXT}(?:{_TIME_TEXT})?").fullmatch
_is_date = re.compile(_DATE_TEXT).fullmatch
_TOP_KEYS = frozenset({"format", "version", "applications"})
_ID, _SHORT, _TEXT = ID_MAX, SHORT_MAX, TEXT_MAX  # the schema's maxLengths (domain.limits)
#: Per object, the keys the schema knows and, for its plain text ones, (minLength, maxLength).
_APPLICATION_TEXT = {
    "id": (1, _ID),
    "company": (1, _SHORT),
    "role": (1, _SHORT),
    "link": (0, _SHORT),
    "notes": (0, _TEXT),
}
_CONTACT_TEXT = {
    "name": (1, _SHORT),
    "title": (0, _SHORT),
    "email": (0, _SHORT),
    "phone": (0, _SHORT),
}
_INTERVIEW_TEXT = {"id": (1, _ID), "round": (0, _SHORT), "notes": (0, _TEXT)}
_INTERVIEW_TEXT = {**_INTERVIEW_TEXT, "uid": (0, _SHORT)}
_INTERVIEW_KEYS = frozenset(
    {*_INTERVIEW_TEXT, "starts_at", "ends_at", "duration_minutes", "format", "decision_by"}
    | {"interviewers", "topics", "fit_points", "sequence", "cancelled"}
)
_INTERVIEW_FORMATS = frozenset({"phone", "video", "onsite", "other"})
_MAX_SEQUENCE = SEQUENCE_MAX  # the schema's bound on an invitation's SEQUENCE
_EVENT_KEYS = frozenset(
    {"at", "type", "interview", "kind", "until", "text", "source", "message_id"}
)
_EVENT_TYPE_NAMES = frozenset(member.value for member in EventType)
_KIND_NAMES = frozenset(member.value for member in Kind)
_SOURCE_NAMES = frozenset(EVENT_SOURCES)


def _plainly_valid(document: Any) -> bool:
    """True only when the document certainly meets the schema; False: ask the validators.

    The schema written out by hand for the documents people and programs
    write, several times faster than the compiled validator. It accepts
    nothing the schema refuses (the tests hold it to the reference validator)
    and leaves to the validators what it does not know for sure: a subclass
    of dict, `1.0` for 1, a digit that is not ASCII.
    """
    if (
        type(document) is not dict
        or document.keys() != _TOP_KEYS
        or type(document["format"]) is not str
        or document["format"] != FORMAT
        or type(document["version"]) is not int
        or document["version"] != VERSION
        or type(document["applications"]) is not list
    ):
        return False
    for app in document["applications"]:
        if type(app) is not dict or "company" not in app or "role" not in app:
            return False
        for key, value in app.items():
            limits = _APPLICATION_TEXT.get(key)
            if limits is not None:
                if type(value) is not str or not limits[0] <= len(value) <= limits[1]:
                    return False
            elif key == "applied_on":
                if type(value) is not str or not _is_date(value):
                    return False
            else:
                plain = _APPLICATION_LISTS.get(key)
                if plain is None or type(value) is not list or not all(map(plain, value)):
                    return False
    return True


def _plain_texts(value: Any, limits: dict[str, tuple[int, int]]) -> bool:
    """An object whose every key is in `limits`, each a string of those lengths."""
    if type(value) is not dict:
        return False
    for key, text in value.items():
        bounds = limits.get(key)
        if bounds is None or type(text) is not str or not bounds[0] <= len(text) <= bounds[1]:
            return False
    return True


def _plain_contact(contact: Any) -> bool:
    return _plain_texts(contact, _CONTACT_TEXT) and "name" in contact


def _plain_interview(interview: Any) -> bool:
    if type(interview) is not dict or not interview.keys() <= _INTERVIEW_KEYS:
        return False
    get = interview.get
    starts_at = get("starts_at")
    if type(starts_at) is not str or not _is_datetime(starts_at):
        return False
    for key, value in interview.items():
        if key == "starts_at":
            continue
        limits = _INTERVIEW_TEXT.get(key)
        if limits is not None:
            if type(value) is not str or not limits[0] <= len(value) <= limits[1]:
                return False
        elif key == "duration_minutes":
            if type(value) is not int or not DURATION_MIN <= value <= DURATION_MAX:
                return False
        elif key == "format":
            if type(value) is not str or value not in _INTERVIEW_FORMATS:
                return False
        elif key == "ends_at":
            if type(value) is not str or not _is_datetime(value):
                return False
        elif key == "decision_by":
            if type(value) is not str or not _is_date_or_datetime(value):
                return False
        elif key == "sequence":
            if type(value) is not int or not 0 <= value <= _MAX_SEQUENCE:
                return False
        elif key == "cancelled":
            if type(value) is not bool:
                return False
        else:  # interviewers, topics, fit_points: lists of short text
            if type(value) is not list:
                return False
            for item in value:
                if type(item) is not str or len(item) > _SHORT:
                    return False
    return True


def _plain_event(event: Any) -> bool:
    if type(event) is not dict:
        return False
    at, kind = event.get("at"), event.get("type")
    if (
        type(at) is not str
        or type(kind) is not str
        or kind not in _EVENT_TYPE_NAMES
        or not _is_datetime(at)
    ):
        return False
    if len(event) == 2:  # at and type only, as most are
        return kind != "snoozed" and kind != "skipped"
    if not event.keys() <= _EVENT_KEYS:
        return False
    for value in event.values():
        if type(value) is not str:  # every field of an event is a string
            return False
    if kind == "snoozed":
        if "kind" not in event or "until" not in event:
            return False
    elif kind == "skipped" and "kind" not in event:
        return False
    get = event.get
    interview, which, until, text = get("interview"), get("kind"), get("until"), get("text")
    source, message_id = get("source"), get("message_id")
    return (
        (interview is None or 1 <= len(interview) <= _ID)
        and (which is None or which in _KIND_NAMES)
        and (until is None or _is_date_or_datetime(until) is not None)
        and (text is None or len(text) <= _TEXT)
        and (source is None or source in _SOURCE_NAMES)
        and (message_id is None or len(message_id) <= _SHORT)
    )


#: The lists an application holds, each with the check of its items.
_APPLICATION_LISTS: dict[str, Callable[[Any], bool]] = {
    "contacts": _plain_contact,
    "interviews": _plain_interview,
    "events": _plain_event,
}


def _plain_message(error: Any) -> str:
    """jsonschema's message, said for a person where it would show a regex or a schema."""
    value = error.instance
    shown = (
        repr(value) if not isinstance(value, str) or len(value) < 80 else repr(value[:77] + "...")
    )
    if error.validator == "pattern":
        if "T " in error.validator_value:  # the date-time pattern
            return (
                f"{shown} is not a date-time; write it like 2026-11-24T14:00 "
                "(local time) or 2026-11-24T14:00+11:00"
            )
        return f"{shown} is not a date; write it like 2026-11-27"
    if error.validator == "anyOf" and isinstance(value, str):
        return f"{shown} is not a date (2026-11-27) or a date-time (2026-11-27T17:00)"
    if error.validator == "additionalProperties" and isinstance(value, dict):
        import difflib

        allowed = list(error.schema.get("properties", {}))
        unknown = [key for key in value if key not in allowed]
        hints = []
        for key in unknown:
            close = difflib.get_close_matches(key, allowed, n=1)
            hints.append(f"{key!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        return f"unknown key {', '.join(hints)}; the keys here are: {', '.join(allowed)}"
    if error.validator == "minLength" and value == "":
        return "must not be empty"
    if error.validator == "maxLength":
        return f"is longer than {error.validator_value} characters"
    return str(error.message)


def schema_faults(document: Any, limit: int = 200) -> list[tuple[str, str]]:
    """Every schema fault, each at its JSON path (the reference validator: exact but slow)."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(load_schema())
    faults = []
    for error in validator.iter_errors(document):
        message = _plain_message(error)
        if len(message) > 200:
            message = message[:200] + "…"
        faults.append((_path(error.absolute_path), message))
        if len(faults) >= limit:
            break
    faults.sort(key=lambda fault: fault[0])
    return faults


def _schema_survey(document: Any) -> tuple[list[tuple[str, str]], set[int] | None]:
    """The schema faults, and the applications they leave fit to read for meaning.

    The second value is None when no application can be read (the document's
    shape is wrong), else the indexes of those that passed the schema.
    A valid document is recognised by `_plainly_valid`, or else checked once by
    the fast validator. An invalid one is then examined by jsonschema, one
    application at a time, so the faults of a large file are listed in
    seconds, not minutes.
    """
    apps = document.get("applications") if isinstance(document, dict) else None
    if _plainly_valid(document) or _fast_validate(document):
        return [], set(range(len(apps))) if isinstance(apps, list) else None
    if not isinstance(apps, list):
        return schema_faults(document), None
    faults = schema_faults({**document, "applications": []})
    fit: set[int] = set()
    for index, app in enumerate(apps):
        single = {"format": FORMAT, "version": VERSION, "applications": [app]}
        if _fast_validate(single):
            fit.add(index)
            continue
        for path, message in schema_faults(single):
            faults.append(
                (path.replace("$.applications[0]", f"$.applications[{index}]", 1), message)
            )
        if len(faults) > MAX_REPORTED:
            break  # the applications after this one go unread: enough to show
    if not faults:  # the validators disagree: trust the reference one
        return schema_faults(document), None
    return faults, fit


def validate_schema(document: Any) -> None:
    """Raise InterchangeError with the schema faults, each at its JSON path."""
    faults, _ = _schema_survey(document)
    if faults:
        raise InterchangeError(faults)


def _in_document_order(faults: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Faults grouped by application, in file order (`[10]` after `[9]`); the sort is
    stable, so within an application each list keeps the order it was found in."""

    def application(fault: tuple[str, str]) -> int:
        found = re.match(r"\$\.applications\[(\d+)\]", fault[0])
        return int(found.group(1)) if found else -1

    return sorted(faults, key=application)


_EVENT_TYPES = {member.value: member for member in EventType}
_KINDS: dict[str | None, Kind | None] = {None: None, **{member.value: member for member in Kind}}
#: The event types that carry an `until`: a snooze's end, an automatic reply's return date.
_UNTIL_TYPES = frozenset({EventType.SNOOZED, EventType.OUT_OF_OFFICE})


def read_document(
    document: Any, tz: tzinfo, store: Store | None = None, *, schema_checked: bool = False
) -> list[Application]:
    """Check a parsed interchange document fully and return its applications.

    Unless `schema_checked`, the schema is checked here too, and its faults are
    raised together with the meaning faults of the applications that passed it,
    so a file's faults are all reported in one pass. `store`, when given, lets
    events name interviews already stored for the same application, and
    catches interview ids that belong to another one.
    Paths are spelled out only for faults: a good file of 100,000
    applications should not pay for a million strings it never shows.
    """
    schema: list[tuple[str, str]] = []
    fit: set[int] | None = None  # None: every application passed the schema
    if not schema_checked:
        schema, fit = _schema_survey(document)
        if schema and fit is None:
            raise InterchangeError(schema)
        if not schema:
            fit = None
    owners = store.interview_owners() if store is not None else {}
    faults: list[tuple[str, str]] = []
    apps: list[Application] = []
    seen_apps: dict[str, int] = {}  # application id -> index of its last use
    seen_interviews: dict[str, str] = {}  # interview id -> application id
    event_types, kinds = _EVENT_TYPES, _KINDS

    def moment(value: str, where: tuple[Any, ...]) -> datetime | None:
        try:
            parsed = parse_moment(value, tz)
        except ValueError:
            faults.append((_path(where), f"{value!r} is not a real date and time"))
            return None
        if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
            faults.append(
                (_path(where), f"{value!r}: the year must be {FIRST_YEAR} to {LAST_YEAR}")
            )
            return None
        return parsed

    def day(value: str, where: tuple[Any, ...]) -> None:
        try:
            parsed = parse_local_date(value, tz)
        except ValueError:
            faults.append((_path(where), f"{value!r} is not a real date"))
            return
        if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
            faults.append(
                (_path(where), f"{value!r}: the year must be {FIRST_YEAR} to {LAST_YEAR}")
            )

    for a_index, raw in enumerate(document["applications"]):
        if fit is not None and a_index not in fit:
            continue  # its schema faults are reported; its meaning cannot be read
        app_id = raw.get("id") or f"{slug(raw['company'])}-{slug(raw['role'])}"
        if app_id in seen_apps:
            also = _path(("applications", seen_apps[app_id]))
            faults.append(
                (
                    _path(("applications", a_index, "id")),
                    f"application id {app_id!r} is used twice (also at {also})",
                )
            )
        seen_apps[app_id] = a_index
        interviews: list[Interview] = []
        own: set[str] = set()
        for i_index, iv in enumerate(raw.get("interviews", ())):
            where = ("applications", a_index, "interviews", i_index)
            iv_id = iv.get("id") or f"{app_id}-{i_index + 1}"
            if iv_id in seen_interviews:
                faults.append((_path((*where, "id")), f"interview id {iv_id!r} is used twice"))
            seen_interviews[iv_id] = app_id
            own.add(iv_id)
            starts_at = iv["starts_at"]
            ends_at = iv.get("ends_at")
            start = moment(starts_at, (*where, "starts_at"))
            if ends_at is not None:
                end = moment(ends_at, (*where, "ends_at"))
                if start and end and end <= start:
                    faults.append(
                        (_path((*where, "ends_at")), "the interview ends before it starts")
                    )
            decision_by = iv.get("decision_by")
            if decision_by is not None:
                day(decision_by, (*where, "decision_by"))
            sequence = iv.get("sequence")
            if sequence is not None and type(sequence) is not int:
                # JSON Schema counts 3.0 as an integer; stored as 3, so it exports as 3
                if isinstance(sequence, float) and sequence.is_integer():
                    sequence = int(sequence)
                else:
                    faults.append(
                        (_path((*where, "sequence")), f"{sequence!r} is not a whole number")
                    )
                    sequence = None
            owner = owners.get(iv_id)
            if owner is not None and owner != app_id:
                faults.append(
                    (
                        _path((*where, "id")),
                        f"interview id {iv_id!r} already belongs to application {owner!r}",
                    )
                )
            interviews.append(
                Interview(
                    iv_id,
                    starts_at,
                    ends_at,
                    iv.get("duration_minutes"),
                    iv.get("format"),
                    iv.get("round", ""),
                    tuple(iv.get("interviewers", ())),
                    tuple(iv.get("topics", ())),
                    tuple(iv.get("fit_points", ())),
                    decision_by,
                    iv.get("notes", ""),
                    iv.get("uid"),
                    sequence,
                    iv.get("cancelled") is True,
                )
            )
        events: list[Event] = []
        for e_index, ev in enumerate(raw.get("events", ())):
            at, until, interview_id = ev["at"], ev.get("until"), ev.get("interview")
            moment(at, ("applications", a_index, "events", e_index, "at"))
            if until is not None:
                moment(until, ("applications", a_index, "events", e_index, "until"))
            event_type = event_types[ev["type"]]
            # an interview of this application, in the file or already stored
            if (
                interview_id is not None
                and interview_id not in own
                and owners.get(interview_id) != app_id
            ):
                elsewhere = seen_interviews.get(interview_id)
                hint = f" (it belongs to application {elsewhere!r})" if elsewhere else ""
                faults.append(
                    (
                        _path(("applications", a_index, "events", e_index, "interview")),
                        f"names interview {interview_id!r}, which this application does "
                        f"not have{hint}",
                    )
                )
            kind = ev.get("kind")
            if kind is not None and event_type not in (EventType.SNOOZED, EventType.SKIPPED):
                faults.append(
                    (
                        _path(("applications", a_index, "events", e_index, "kind")),
                        f"'kind' only goes with snoozed or skipped, not {event_type.value}",
                    )
                )
            if until is not None and event_type not in _UNTIL_TYPES:
                faults.append(
                    (
                        _path(("applications", a_index, "events", e_index, "until")),
                        "'until' only goes with snoozed or out_of_office",
                    )
                )
            events.append(
                Event(
                    at,
                    event_type,
                    interview_id,
                    kinds[kind],
                    until,
                    ev.get("text", ""),
                    source=ev.get("source"),
                    message_id=ev.get("message_id"),
                )
            )
        names: dict[str, int] = {}
        contacts: list[Contact] = []
        for c_index, contact in enumerate(raw.get("contacts", ())):
            name = contact["name"]
            if name in names:
                faults.append(
                    (
                        _path(("applications", a_index, "contacts", c_index, "name")),
                        f"{name!r} is already contacts[{names[name]}]"
                        "; names identify interviewers, so give each contact its own",
                    )
                )
            else:
                names[name] = c_index
            get = contact.get
            contacts.append(Contact(name, get("title", ""), get("email", ""), get("phone", "")))
        applied_on = raw.get("applied_on")
        if applied_on is not None:
            day(applied_on, ("applications", a_index, "applied_on"))
        apps.append(
            Application(
                app_id,
                raw["company"],
                raw["role"],
                raw.get("link", ""),
                raw.get("notes", ""),
                applied_on,
                tuple(contacts),
                tuple(interviews),
                tuple(events),
            )
        )
    if schema or faults:
        # every fault of the file in one report: the schema's and the meaning's
        raise InterchangeError(_in_document_order(schema + faults))
    return apps


# --- export -------------------------------------------------------------------


def _drop_empty(mapping: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in mapping.items() if value not in (None, "", [], ())}


def to_document(apps: Iterable[Application]) -> dict[str, Any]:
    """The interchange document for these applications (empty optional fields left out)."""
    out = []
    for app in apps:
        entry: dict[str, Any] = {"id": app.id, "company": app.company, "role": app.role}
        entry.update(
            _drop_empty({"link": app.link, "notes": app.notes, "applied_on": app.applied_on})
        )
        if app.contacts:
            entry["contacts"] = [
                {
                    "name": c.name,
                    **_drop_empty({"title": c.title, "email": c.email, "phone": c.phone}),
                }
                for c in app.contacts
            ]
        if app.interviews:
            entry["interviews"] = [
                {
                    "id": iv.id,
                    "starts_at": iv.starts_at,
                    **_drop_empty(
                        {
                            "ends_at": iv.ends_at,
                            "duration_minutes": iv.duration_minutes,
                            "format": iv.format,
                            "round": iv.round,
                            "interviewers": list(iv.interviewers),
                            "topics": list(iv.topics),
                            "fit_points": list(iv.fit_points),
                            "decision_by": iv.decision_by,
                            "notes": iv.notes,
                            "uid": iv.uid,
                            "sequence": iv.sequence,  # 0 is kept: only None is empty
                            "cancelled": True if iv.cancelled else None,
                        }
                    ),
                }
                for iv in app.interviews
            ]
        if app.events:
            entry["events"] = [
                {
                    "at": ev.at,
                    "type": ev.type.value,
                    **_drop_empty(
                        {
                            "interview": ev.interview,
                            "kind": ev.kind.value if ev.kind else None,
                            "until": ev.until,
                            "text": ev.text,
                            "source": ev.source,
                            "message_id": ev.message_id,
                        }
                    ),
                }
                for ev in app.events
            ]
        out.append(entry)
    return {"format": FORMAT, "version": VERSION, "applications": out}


def export_json(apps: Iterable[Application]) -> str:
    return json.dumps(to_document(apps), indent=2, ensure_ascii=False) + "\n"


#: Leading characters a spreadsheet would read as a formula or control.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\0", "＝", "＋", "－", "＠")


def spreadsheet_safe(value: str) -> str:
    """Prefix a quote so spreadsheets show the cell as text, never run it."""
    return "'" + value if value.startswith(_FORMULA_START) else value


CSV_COLUMNS = ("application", "company", "role", "interview", "kind", "state", "due_at", "reason")


def all_follow_ups(
    apps: Iterable[Application], now: datetime, rules: Rules
) -> list[tuple[Application, FollowUp]]:
    """Every follow-up of every application, urgent first (ties in stored order)."""
    pairs = [(app, f) for app in apps for f in follow_ups(app, now, rules)]
    pairs.sort(key=lambda pair: urgency(pair[1].state, pair[1].due_at))
    return pairs


def export_csv(apps: Iterable[Application], now: datetime, rules: Rules) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for app, f in all_follow_ups(apps, now, rules):
        row = (
            app.id,
            app.company,
            app.role,
            f.interview_id,
            f.kind.value,
            f.state.value,
            f.due_at.astimezone(rules.tz).isoformat(),
            f.reason,
        )
        writer.writerow([spreadsheet_safe(str(cell)) for cell in row])
    return buffer.getvalue()


def export_ics(apps: Iterable[Application], now: datetime, rules: Rules) -> bytes:
    """One VEVENT per follow-up that is not done; UIDs are stable across exports."""
    from datetime import timedelta

    from icalendar import Calendar
    from icalendar import Event as VEvent

    calendar = Calendar()
    calendar.add("prodid", "-//followup-tui//followup-tui//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    for app, f in all_follow_ups(apps, now, rules):
        if f.state is State.DONE:
            continue
        what = "Send thank-you" if f.kind is Kind.THANK_YOU else "Follow-up call"
        event = VEvent()
        event.add("uid", f"{f.interview_id}.{f.kind.value}@followup-tui")
        event.add("dtstamp", now)
        event.add("summary", f"{what}: {app.company} ({app.role})")
        event.add("description", f"{f.state.value.capitalize()}. {f.reason}")
        if f.kind is Kind.CALL:
            # a call is due on a day, not at midnight: an all-day event
            day = f.due_at.astimezone(rules.tz).date()
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
        else:
            event.add("dtstart", f.due_at.astimezone(rules.tz))
            event.add("duration", timedelta(minutes=15))
        event.add("categories", ["followup-tui", f.state.value])
        calendar.add_component(event)
    # RFC 5545: every TZID used needs its VTIMEZONE, or calendars read the times as floating
    calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data
