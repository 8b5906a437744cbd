"""Records (domain/record.py) behave as the frozen dataclasses they replace."""

from __future__ import annotations

import pickle
from dataclasses import FrozenInstanceError
from typing import ClassVar

import pytest

from followup_tui.domain.model import Event, EventType, FollowUp, Kind, State
from followup_tui.domain.record import Record


class Point(Record):
    x: int
    y: int = 0
    label: str = ""

    _uncompared: ClassVar[frozenset[str]] = frozenset({"label"})


class Counter(Record, frozen=False):
    value: int = 0


class Identity(Record, eq=False):
    name: str


def test_fields_in_order_with_defaults() -> None:
    assert Point(1) == Point(x=1, y=0)
    assert (Point(1, 2).x, Point(1, 2).y, Point(1, 2).label) == (1, 2, "")
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point(1, z=3)  # type: ignore[call-arg]


def test_equality_and_hash_skip_uncompared_fields() -> None:
    assert Point(1, 2, "a") == Point(1, 2, "b")
    assert hash(Point(1, 2, "a")) == hash(Point(1, 2, "b"))
    assert Point(1, 2) != Point(2, 1)
    assert Point(1) != (1, 0, "")
    assert len({Point(1), Point(1, 0, "x"), Point(2)}) == 2


def test_frozen_unless_asked() -> None:
    point = Point(1)
    with pytest.raises(FrozenInstanceError):
        point.x = 2  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del point.x  # type: ignore[misc]
    with pytest.raises(AttributeError):
        point.z = 1  # type: ignore[attr-defined]  # slots: no stray attributes
    counter = Counter()
    counter.value += 1
    assert counter == Counter(1)
    with pytest.raises(TypeError):
        hash(counter)  # equal by value and mutable: unhashable, as a dataclass


def test_eq_false_keeps_identity() -> None:
    one = Identity("a")
    assert one == one
    assert one != Identity("a")
    assert len({one, Identity("a")}) == 2


def test_replace_copies_with_changes_and_refuses_unknown_fields() -> None:
    point = Point(1, 2, "a")
    assert point.replace(y=5) == Point(1, 5, "a")
    assert point.replace(y=5).label == "a"
    assert point == Point(1, 2)
    with pytest.raises(TypeError, match="no field 'z'"):
        point.replace(z=1)


def test_repr_names_every_field() -> None:
    assert repr(Point(1, 2, "a")) == "Point(x=1, y=2, label='a')"


def test_pickles() -> None:
    event = Event("2026-11-25T09:00", EventType.NOTE, text="hi", id=7)
    again = pickle.loads(pickle.dumps(event))
    assert again == event and again.id == 7


def test_a_bad_declaration_is_refused() -> None:
    with pytest.raises(TypeError, match="mutable default"):

        class Bad(Record):
            items: list[int] = []  # noqa: RUF012

    with pytest.raises(TypeError, match="without a default follows"):

        class Order(Record):
            a: int = 0
            b: int  # type: ignore[misc]


def test_domain_records_keep_their_dataclass_semantics() -> None:
    stored = Event("2026-11-25T09:00", EventType.THANK_YOU_SENT, id=3)
    assert stored == Event("2026-11-25T09:00", EventType.THANK_YOU_SENT)  # id not compared
    follow_up = FollowUp("app", "iv", Kind.THANK_YOU, State.DUE, None, why="a")  # type: ignore[arg-type]
    assert follow_up == FollowUp("app", "iv", Kind.THANK_YOU, State.DUE, None, why="b")  # type: ignore[arg-type]


def test_a_subrecord_keeps_its_bases_rules() -> None:
    class Labelled(Point):
        note: str = ""

    assert Labelled(1, 2, "a", "n") == Labelled(1, 2, "b", "n")  # label still not compared
    assert Labelled(1, 2, "a", "n") != Labelled(1, 2, "a", "m")
    with pytest.raises(TypeError, match="both frozen or neither"):

        class Loose(Point, frozen=False):
            extra: int = 0


def test_rules_are_read_only_and_copy() -> None:
    import copy
    from zoneinfo import ZoneInfo

    from followup_tui.domain.model import Rules

    rules = Rules(ZoneInfo("Australia/Sydney"), 36, 4, frozenset())
    for again in (pickle.loads(pickle.dumps(rules)), copy.copy(rules), copy.deepcopy(rules)):
        assert (again.tz, again.thank_you_window, again.call_after_business_days) == (
            rules.tz, rules.thank_you_window, 4
        )
    with pytest.raises(AttributeError):
        rules.tz = ZoneInfo("UTC")  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del rules.tz
