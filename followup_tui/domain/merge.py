"""Three-way merge of one record's fields: what a form saves over what changed meanwhile.

A form remembers the record it was opened with (the base). When it is saved,
the record as stored now (theirs: another program's import, another window)
and the form's values (mine) are merged field by field: a field the user left
alone takes theirs, a field only the user changed takes the user's, and a field
both changed to different values is a conflict for the user to settle.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple


class Merge(NamedTuple):
    """The merged fields, and the conflicts by field name: (mine, theirs)."""

    fields: dict[str, Any]
    conflicts: dict[str, tuple[Any, Any]]


def merge_fields(
    base: Mapping[str, Any], mine: Mapping[str, Any], theirs: Mapping[str, Any]
) -> Merge:
    """Merge each field of `mine` (every name must be in `base` and `theirs`)."""
    merged: dict[str, Any] = {}
    conflicts: dict[str, tuple[Any, Any]] = {}
    for name, value in mine.items():
        old, now = base[name], theirs[name]
        if value == old:
            merged[name] = now  # not changed here: whatever is stored now
        elif now in (old, value):
            merged[name] = value  # changed here only (or to the same value)
        else:
            merged[name] = value
            conflicts[name] = (value, now)
    return Merge(merged, conflicts)


def fields_of(record: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """The named fields of a record, by name."""
    return {name: getattr(record, name) for name in names}
