"""The three-way merge a form's save makes over what changed since it was opened."""

from __future__ import annotations

from followup_tui.domain.merge import merge_fields


def test_untouched_fields_take_theirs_and_changed_ones_take_mine() -> None:
    base = {"company": "Acme", "link": "", "topics": ("a",)}
    mine = {"company": "Acme Ltd", "link": "", "topics": ("a",)}
    theirs = {"company": "Acme", "link": "https://x", "topics": ("a", "b")}
    merged, conflicts = merge_fields(base, mine, theirs)
    assert merged == {"company": "Acme Ltd", "link": "https://x", "topics": ("a", "b")}
    assert conflicts == {}


def test_both_changed_differently_is_a_conflict_with_both_values() -> None:
    merged, conflicts = merge_fields({"role": "PM"}, {"role": "Lead PM"}, {"role": "Senior PM"})
    assert conflicts == {"role": ("Lead PM", "Senior PM")}
    assert merged == {"role": "Lead PM"}


def test_both_changed_to_the_same_value_is_no_conflict() -> None:
    merged, conflicts = merge_fields({"role": "PM"}, {"role": "Lead"}, {"role": "Lead"})
    assert (merged, conflicts) == ({"role": "Lead"}, {})
