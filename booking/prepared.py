"""Reads the ORM builds once per process, then runs again with other values.

Building and compiling a queryset is pure Python, and for the slot search's three reads (two of
them a UNION ALL) it cost 7.7 ms of CPU per search while the database answered the same SQL in
under 1 ms (measured 2026-11-30, `python -m tests.load.profile_pages`). A `PreparedRead` builds its
queryset once per database and shape with placeholders (`Param`) where the values go, keeps the SQL,
and from then on only puts the values in, runs the SQL through Django's cursor (so query counts and
logging see it as before) and converts the columns as the ORM would (SQLite's text dates and times).

    shifts = PreparedRead(lambda site_ids: WeeklyShift.objects.filter(site_id__in=site_ids)
                          .values_list("podiatrist_id", "start"))
    shifts.rows(site_ids=[1, 2])

A value is an int, a bool, a string, a date, a datetime, a list of one of those (the builder gets a
`ParamList` for `__in`, one placeholder per item: a list of another length builds again) or None
(passed to the builder as it is). Only the values may differ between runs: what the SQL looks like
must follow from the lists' lengths and which values are None, never from the values themselves.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    Expression,
    Field,
    Func,
    IntegerField,
    QuerySet,
)
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]  # not in the stubs

Value = int | bool | str | date | datetime | None
Values = Value | Sequence[Value]


class Param(Expression):
    """Where a value goes: compiles to one placeholder whose parameter is this object."""

    def __init__(self, name: str, output_field: Field[Any, Any]) -> None:
        super().__init__(output_field=output_field)
        self.name = name

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return "%s", [self]


class ParamList(Func):
    """A list's placeholders in parentheses, for `__in`: an expression, so that a foreign key's
    lookup passes it on as it is instead of reading each item as a number."""

    template = "(%(expressions)s)"
    arg_joiner = ", "


def _field_for(value: Value) -> Field[Any, Any]:
    if isinstance(value, bool):
        return BooleanField()
    if isinstance(value, int):
        return IntegerField()
    if isinstance(value, str):
        return CharField()
    if isinstance(value, datetime):  # before date: a datetime is a date too
        return DateTimeField()
    if isinstance(value, date):
        return DateField()
    raise TypeError(
        f"a prepared read takes ints, bools, strings, dates and datetimes, not {type(value).__name__}"
    )


def _shape(values: dict[str, Values]) -> tuple[Any, ...]:
    """What the SQL depends on: each list's length and item type, each value's type, each None."""
    shape: list[tuple[Any, ...]] = []
    for name, value in sorted(values.items()):
        if isinstance(value, list | tuple):
            shape.append((name, len(value), type(value[0]) if value else None))
        else:
            shape.append((name, type(value)))
    return tuple(shape)


def _placeholders(values: dict[str, Values]) -> dict[str, Any]:
    def one(name: str, value: Value) -> Any:
        return None if value is None else Param(name, _field_for(value))

    def many(name: str, value: Sequence[Value]) -> Any:
        if not value:
            return []  # an empty IN: the ORM makes the answer empty
        items = [one(f"{name}[{i}]", item) for i, item in enumerate(value)]
        return ParamList(*items, output_field=_field_for(value[0]))

    return {
        name: many(name, value) if isinstance(value, list | tuple) else one(name, cast(Value, value))
        for name, value in values.items()
    }


def _flat(values: dict[str, Values]) -> dict[str, Value]:
    flat: dict[str, Value] = {}
    for name, value in values.items():
        if isinstance(value, list | tuple):
            flat.update({f"{name}[{i}]": item for i, item in enumerate(value)})
        else:
            flat[name] = cast(Value, value)
    return flat


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]  # constants as compiled, a Param where a value goes
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]
    empty: bool = False  # the lists' lengths alone make the answer empty (an empty IN)
    model: Any = None  # for a read of whole rows (not values_list): the model and its columns
    attnames: tuple[str, ...] = ()
    fields_end: int = 0  # the model's columns are row[:fields_end]; select_related's follow
    populators: tuple[Any, ...] = ()  # Django's RelatedPopulators for select_related


class PreparedRead:
    """A read built by `build(**placeholders)`, compiled once per database and shape."""

    def __init__(self, build: Callable[..., QuerySet[Any]]) -> None:
        self._build = build
        # Two threads may both compile a new shape; the same SQL comes out, and a dict item is set
        # atomically, so no lock is needed.
        self._compiled: dict[tuple[Any, ...], _Compiled] = {}

    def instances(self, *, using: str = "default", **values: Values) -> list[Any]:
        """For a read of whole rows (`Model.objects.filter(...)`, with or without select_related, no
        annotations): the model instances, as iterating the queryset would give them."""
        compiled = self._whole_rows(using, values)
        return _instances(using, compiled, self._run(using, compiled, values))

    def _whole_rows(self, using: str, values: dict[str, Values]) -> _Compiled:
        compiled = self._prepared(using, values)
        if compiled.model is None:
            raise TypeError("instances() reads whole rows of one model: use rows() for values_list")
        return compiled

    def rows(self, *, using: str = "default", **values: Values) -> list[tuple[Any, ...]]:
        return self._run(using, self._prepared(using, values), values)

    def _prepared(self, using: str, values: dict[str, Values]) -> _Compiled:
        connection = connections[using]
        key = (using, connection.vendor, _shape(values))
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(using, values)
        return compiled

    def _run(self, using: str, compiled: _Compiled, values: dict[str, Values]) -> list[tuple[Any, ...]]:
        connection = connections[using]
        if compiled.empty:
            return []
        flat = _flat(values)
        params = [
            param.output_field.get_db_prep_value(flat[param.name], connection)
            if isinstance(param, Param)
            else param
            for param in compiled.params
        ]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if not compiled.converters:
            return [tuple(row) for row in rows]
        converted = []
        for row in rows:
            row = list(row)
            for position, converters, expression in compiled.converters:
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
            converted.append(tuple(row))
        return converted

    def _compile(self, using: str, values: dict[str, Values]) -> _Compiled:
        queryset = self._build(**_placeholders(values))
        compiler = queryset.query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return _Compiled(sql="", params=(), converters=(), empty=True)
        columns = [selected[0] for selected in compiler.select[: compiler.col_count]]
        converters = tuple(
            (position, tuple(found), expression)
            for position, (found, expression) in compiler.get_converters(columns).items()
        )
        model, attnames, end, populators = None, (), 0, ()
        info = compiler.klass_info
        if info and not compiler.annotation_col_map:
            # Whole rows, the model's own columns first, then those select_related adds, which
            # Django's own populators (as ModelIterable uses) turn into the related instances.
            model = info["model"]
            fields = info["select_fields"]
            end = fields[-1] + 1
            attnames = tuple(selected[0].target.attname for selected in compiler.select[fields[0] : end])
            populators = tuple(get_related_populators(info, compiler.select, using))
        return _Compiled(
            sql=sql,
            params=tuple(params),
            converters=converters,
            model=model,
            attnames=attnames,
            fields_end=end,
            populators=populators,
        )


def _instances(using: str, compiled: _Compiled, rows: list[tuple[Any, ...]]) -> list[Any]:
    from_db, attnames, end = compiled.model.from_db, compiled.attnames, compiled.fields_end
    if not compiled.populators:  # the row is the model's columns and nothing else
        return [from_db(using, attnames, row) for row in rows]
    found = []
    for row in rows:
        instance = from_db(using, attnames, row[:end])
        for populator in compiled.populators:
            populator.populate(row, instance)
        found.append(instance)
    return found


class KeptRead:
    """A short list staff rarely change (the active sites, types, podiatrists), read whole and kept
    in this process for `seconds`: nearly every patient page shows one of them, and reading it cost
    more CPU than the page's own work on the home page. Only the rows are kept; each call builds
    its own model instances, so nothing one request sets on an instance reaches another.

    A change made through the ORM (admin, shell, seed_demo) empties it at once in the process that
    made it, and again when that change commits (`forget`, called by booking.apps); other processes
    see the change within `seconds`, as `QuerySet.update()` (which sends no signal) does everywhere.
    """

    def __init__(self, read: PreparedRead, *, seconds: Callable[[], float]) -> None:
        self._read = read
        self._seconds = seconds  # read on each refresh, so a test's override_settings applies
        self._kept: dict[str, tuple[float, _Compiled, list[tuple[Any, ...]]]] = {}

    def instances(self, *, using: str = "default") -> list[Any]:
        now = time.monotonic()
        kept = self._kept.get(using)
        if kept is None or kept[0] <= now:
            compiled = self._read._whole_rows(using, {})
            rows = self._read._run(using, compiled, {})
            kept = (now + self._seconds(), compiled, rows)
            if kept[0] > now:
                self._kept[using] = kept
        return _instances(using, kept[1], kept[2])

    def forget(self) -> None:
        self._kept.clear()
