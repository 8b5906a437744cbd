"""Records: the domain's small value classes, declared like dataclasses, built cheaply.

    class Contact(Record):
        name: str
        title: str = ""

gives `__slots__`, an `__init__` taking the fields in order (defaults after),
equality and hashing over the fields, a repr, `replace(**changes)`, and
immutability (`Record, frozen=False` for a mutable one; `eq=False` keeps
identity equality).

Why not `@dataclass`: the records are built on every launch before the first
frame, and the dataclasses module compiles six or seven functions per class
(about 1 ms a class here; ten of them were a fifth of the app's start-up
beyond a bare Textual app). A record compiles one function, its `__init__`,
so instances are made as fast as a dataclass's; the other methods are shared.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from typing import Any, ClassVar, TypeVar, dataclass_transform

_R = TypeVar("_R", bound="Record")


def _init_function(name: str, fields: tuple[str, ...], defaults: dict[str, Any],
                   post_init: bool) -> Any:
    params = ", ".join(f"{field}=_default_{field}" if field in defaults else field
                       for field in fields)
    lines = [f"def __init__(self, {params}):" if fields else "def __init__(self):"]
    lines += [f"    _set(self, {field!r}, {field})" for field in fields]
    if post_init:
        lines.append("    self.__post_init__()")
    if len(lines) == 1:
        lines.append("    pass")
    scope: dict[str, Any] = {"_set": object.__setattr__}
    scope.update({f"_default_{field}": value for field, value in defaults.items()})
    exec("\n".join(lines), scope)  # noqa: S102 - our own field names, checked identifiers
    init = scope["__init__"]
    init.__qualname__ = f"{name}.__init__"
    return init


class _RecordType(type):
    def __new__(
        mcls, name: str, bases: tuple[type, ...], namespace: dict[str, Any],
        *, frozen: bool = True, eq: bool = True,
    ) -> _RecordType:
        annotations = namespace.get("__annotations__", {})
        inherited: tuple[str, ...] = ()
        for base in bases:
            inherited += getattr(base, "_fields", ())
        own = tuple(
            field for field, kind in annotations.items()
            if not str(kind).startswith(("ClassVar", "typing.ClassVar"))
        )
        fields = inherited + own
        defaults: dict[str, Any] = {}
        uncompared = set(namespace.get("_uncompared", ()))
        for base in bases:
            defaults.update(getattr(base, "_defaults", {}))
            uncompared |= getattr(base, "_uncompared", frozenset())
            if getattr(base, "_fields", ()) and getattr(base, "_frozen", True) != frozen:
                raise TypeError(f"{name}: a record and its base are both frozen or neither")
        for field in own:
            if not field.isidentifier():
                raise TypeError(f"{name}: {field!r} is not a field name")
            if field in namespace:
                value = namespace.pop(field)
                if isinstance(value, list | dict | set):
                    raise TypeError(f"{name}.{field}: a mutable default is shared; use a tuple")
                defaults[field] = value
            elif defaults:
                raise TypeError(f"{name}.{field}: a field without a default follows one with")
        namespace["__slots__"] = own
        namespace["__match_args__"] = fields
        namespace["_fields"] = fields
        namespace["_defaults"] = defaults
        namespace["_frozen"] = frozen
        namespace["_uncompared"] = frozenset(uncompared)
        namespace["_compared"] = tuple(f for f in fields if f not in uncompared)
        if not eq:
            namespace["__eq__"] = object.__eq__
            namespace["__hash__"] = object.__hash__
        if not frozen:
            namespace["__setattr__"] = object.__setattr__
            namespace["__delattr__"] = object.__delattr__
            if eq:
                namespace["__hash__"] = None  # equal by value and mutable: not hashable
        post_init = "__post_init__" in namespace or any(
            hasattr(base, "__post_init__") for base in bases
        )
        namespace["__init__"] = _init_function(name, fields, defaults, post_init)
        return super().__new__(mcls, name, bases, namespace)


@dataclass_transform(frozen_default=True, eq_default=True)
class Record(metaclass=_RecordType):
    """Base of a record; see the module's docstring."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[dict[str, Any]] = {}
    _frozen: ClassVar[bool] = True
    #: Fields left out of equality and hashing (a store's row id, say).
    _uncompared: ClassVar[frozenset[str]] = frozenset()
    _compared: ClassVar[tuple[str, ...]] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, field) for field in self._compared)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((self.__class__.__name__, *self._values()))

    def __repr__(self) -> str:
        fields = ", ".join(f"{field}={getattr(self, field)!r}" for field in self._fields)
        return f"{self.__class__.__qualname__}({fields})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __getstate__(self) -> tuple[Any, ...]:
        return tuple(getattr(self, field) for field in self._fields)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        for field, value in zip(self._fields, state, strict=True):
            object.__setattr__(self, field, value)

    def replace(self: _R, **changes: Any) -> _R:
        """A copy with `changes` made (the record itself is left as it is)."""
        unknown = set(changes) - set(self._fields)
        if unknown:
            raise TypeError(f"{self.__class__.__name__} has no field {sorted(unknown)[0]!r}")
        values = {field: changes.get(field, getattr(self, field)) for field in self._fields}
        return self.__class__(**values)
