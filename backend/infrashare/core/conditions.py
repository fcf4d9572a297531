"""Conditions written once, rendered twice: as a SQLAlchemy clause and as a Meilisearch filter.

A rule (who may see what) is a tree of ``Eq``, ``In``, ``Flag``, ``Within``, ``Any`` and
``All`` over named fields. ``.meili()`` renders it against the index's attributes (the names
are the index's); ``.sql(columns)`` renders it against the columns a query maps those names to.
A name maps to a plain column, to a ``Tree`` (a key into a table of materialised paths) or to a
``Related`` (rows of another table naming the value), so a rule reads the same on both sides.

Meilisearch has no literal for "nothing" or "everything": ``Any()`` is ``Nothing`` and
``All()`` is ``Everything``; a rule that is ``Nothing`` must not be sent to the index.
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any as AnyValue

from sqlalchemy import Boolean, ColumnElement, Select, and_, false, literal, not_, or_, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal

Value = str | int | float | bool | uuid.UUID
Expression = ColumnElement[AnyValue] | QueryableAttribute[AnyValue]
"""A column, a mapped attribute or a boolean expression."""


def quoted(value: Value) -> str:
    """A value as a Meilisearch filter literal: strings in double quotes, backslash-escaped."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, int | float):
        return repr(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


class StartsWith(ColumnElement[bool]):
    """``column`` begins with ``prefix``, in a form each database answers from a plain index on
    the column: ``GLOB 'prefix*'`` on SQLite (case-sensitive, so its B-tree serves it; its LIKE
    does not), ``LIKE 'prefix%'`` elsewhere (PostgreSQL needs a ``*_pattern_ops`` index unless the
    collation is C). ``prefix`` may not contain wildcards of either (paths are digits and ``/``)."""

    inherit_cache = True
    type = Boolean()
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("prefix", InternalTraversal.dp_string),
    ]

    def __init__(self, column: Expression, prefix: str) -> None:
        if any(char in prefix for char in "%_*?[\\"):
            raise ValueError(f"not a plain prefix: {prefix!r}")
        self.column = column
        self.prefix = prefix


@compiles(StartsWith)
def _starts_with(element: StartsWith, compiler: SQLCompiler, **kw: AnyValue) -> str:
    return compiler.process(element.column.like(literal(element.prefix + "%")), **kw)


@compiles(StartsWith, "sqlite")
def _starts_with_sqlite(element: StartsWith, compiler: SQLCompiler, **kw: AnyValue) -> str:
    return compiler.process(element.column.op("GLOB")(literal(element.prefix + "*")), **kw)


class SqlField(ABC):
    """What a field name stands for in SQL."""

    @abstractmethod
    def equals(self, value: Value) -> ColumnElement[bool]: ...

    def one_of(self, values: Sequence[Value]) -> ColumnElement[bool]:
        return or_(*(self.equals(value) for value in values))

    def below(self, paths: Sequence[str]) -> ColumnElement[bool]:
        raise TypeError(f"{type(self).__name__} is not a tree")

    def holds(self) -> ColumnElement[bool]:
        raise TypeError(f"{type(self).__name__} is not a flag")


@dataclass(frozen=True, eq=False)  # SQL expressions overload ==
class Plain(SqlField):
    """A column: equal to a value, one of some values (a boolean column as a flag)."""

    column: Expression

    def equals(self, value: Value) -> ColumnElement[bool]:
        return self.column == value

    def one_of(self, values: Sequence[Value]) -> ColumnElement[bool]:
        return self.column.in_(list(values))

    def holds(self) -> ColumnElement[bool]:
        return self.column.is_(true())


@dataclass(frozen=True, eq=False)  # SQL expressions overload ==
class Predicate(SqlField):
    """A boolean expression standing for a flag of the index (``published_at IS NOT NULL``
    for ``published = true``)."""

    clause: ColumnElement[bool]

    def equals(self, value: Value) -> ColumnElement[bool]:
        return self.clause if value is True else not_(self.clause)

    def holds(self) -> ColumnElement[bool]:
        return self.clause


@dataclass(frozen=True, eq=False)  # SQL expressions overload ==
class Tree(SqlField):
    """A key into a table of nodes with materialised paths (``/a/b/c/``): "below node X" is the
    keys whose node's path starts with X's path, one indexed predicate on the nodes' paths."""

    key: Expression
    node: Expression
    path: Expression

    def equals(self, value: Value) -> ColumnElement[bool]:
        return self.key == value

    def below(self, paths: Sequence[str]) -> ColumnElement[bool]:
        if not paths:
            return false()
        nodes = select(self.node).where(or_(*(StartsWith(self.path, path) for path in paths)))
        return self.key.in_(nodes)


@dataclass(frozen=True, eq=False)  # SQL expressions overload ==
class Related(SqlField):
    """``key`` is among the rows ``rows(value)`` selects (e.g. the assets an organisation holds
    units of): the index stores the values on the document, the database in another table."""

    key: Expression
    rows: Callable[[Value], Select[AnyValue]]

    def equals(self, value: Value) -> ColumnElement[bool]:
        return self.key.in_(self.rows(value))


Columns = Mapping[str, SqlField | Expression]


def _field(columns: Columns, name: str) -> SqlField:
    found = columns[name]
    return found if isinstance(found, SqlField) else Plain(found)


class Condition(ABC):
    @abstractmethod
    def sql(self, columns: Columns) -> ColumnElement[bool]: ...

    @abstractmethod
    def meili(self) -> str: ...

    @property
    def empty(self) -> bool:
        """True when nothing satisfies it (``Nothing``)."""
        return False


class Nothing(Condition):
    def sql(self, columns: Columns) -> ColumnElement[bool]:
        return false()

    def meili(self) -> str:
        raise ValueError("Meilisearch has no filter that matches nothing; do not search")

    @property
    def empty(self) -> bool:
        return True

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Nothing)

    def __hash__(self) -> int:
        return hash(Nothing)


class Everything(Condition):
    def sql(self, columns: Columns) -> ColumnElement[bool]:
        return true()

    def meili(self) -> str:
        return ""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Everything)

    def __hash__(self) -> int:
        return hash(Everything)


@dataclass(frozen=True)
class Eq(Condition):
    field: str
    value: Value

    def sql(self, columns: Columns) -> ColumnElement[bool]:
        return _field(columns, self.field).equals(self.value)

    def meili(self) -> str:
        return f"{self.field} = {quoted(self.value)}"


@dataclass(frozen=True)
class In(Condition):
    field: str
    values: tuple[Value, ...]

    def sql(self, columns: Columns) -> ColumnElement[bool]:
        return _field(columns, self.field).one_of(self.values) if self.values else false()

    def meili(self) -> str:
        return f"{self.field} IN [{', '.join(quoted(value) for value in self.values)}]"

    @property
    def empty(self) -> bool:
        return not self.values


@dataclass(frozen=True)
class Flag(Condition):
    """A boolean attribute that is true (in SQL: the field's boolean expression)."""

    field: str

    def sql(self, columns: Columns) -> ColumnElement[bool]:
        return _field(columns, self.field).holds()

    def meili(self) -> str:
        return f"{self.field} = true"


@dataclass(frozen=True)
class Within(Condition):
    """Inside one of some tree nodes (their own place included). The index lists each
    document's ancestors (itself first) in ``field``; SQL compares materialised paths."""

    field: str
    nodes: tuple[str, ...]
    paths: tuple[str, ...]

    def sql(self, columns: Columns) -> ColumnElement[bool]:
        return _field(columns, self.field).below(self.paths)

    def meili(self) -> str:
        return In(self.field, self.nodes).meili()

    @property
    def empty(self) -> bool:
        return not self.nodes


def any_of(*parts: Condition) -> Condition:
    """Satisfied by what satisfies one of ``parts`` (empty parts dropped)."""
    kept = tuple(part for part in parts if not part.empty)
    if any(isinstance(part, Everything) for part in kept):
        return Everything()
    if not kept:
        return Nothing()
    return kept[0] if len(kept) == 1 else AnyOf(kept)


def all_of(*parts: Condition) -> Condition:
    """Satisfied by what satisfies every one of ``parts``."""
    if any(part.empty for part in parts):
        return Nothing()
    kept = tuple(part for part in parts if not isinstance(part, Everything))
    if not kept:
        return Everything()
    return kept[0] if len(kept) == 1 else AllOf(kept)


@dataclass(frozen=True)
class AnyOf(Condition):
    parts: tuple[Condition, ...]

    def sql(self, columns: Columns) -> ColumnElement[bool]:
        return or_(*(part.sql(columns) for part in self.parts))

    def meili(self) -> str:
        return " OR ".join(f"({part.meili()})" for part in self.parts)


@dataclass(frozen=True)
class AllOf(Condition):
    parts: tuple[Condition, ...]

    def sql(self, columns: Columns) -> ColumnElement[bool]:
        return and_(*(part.sql(columns) for part in self.parts))

    def meili(self) -> str:
        return " AND ".join(f"({part.meili()})" for part in self.parts)
