"""Querysets built and compiled once per process, run with each request's own values.

Building a queryset with subqueries and compiling it to SQL can cost the page more than the database
takes to run it: a programme's upcoming cohorts, each with its live sessions and the participant's own
place, take about 5 ms to build and compile and under 3 ms to run. A page that runs the same shape of
query on every request declares it once as a `Prepared`: a function that builds the queryset from named
values, and a stand-in for each value. On first use the queryset is built with the stand-ins and compiled
by the ORM; the SQL is kept with the places of the stand-ins among its parameters, and each call runs it
with the caller's values in those places. The ORM stays the one description of the query: the SQL is
still Django's, only made once.

`rows()` returns a `values()` queryset's rows as dicts; `objects()` returns a model queryset's instances,
with what it selects related and its annotations, as iterating the queryset would. Everything that
varies from one call to the next must be a named value: a date such as today, a person's id, a search
term. A value that the build function reads for itself (the clock, a setting) would be frozen into the
SQL, so each prepared query is tested against its queryset run by the ORM (`tests/academy/test_prepared.py`
and the apps' selector tests).

PostgreSQL, too, plans each statement it is sent, and for these (subqueries, several joins) planning
takes as long as running. So each database connection prepares the statement the first time it runs
it (`PREPARE`, with its parameters' types) and afterwards only executes it: `execute_prepared`, one
round trip either way.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import QuerySet
from django.db.models.query import get_related_populators

# Stand-ins no real value takes: ids below any sequence, dates in the first century, strings with a NUL
# (which PostgreSQL refuses, so a stand-in can never reach the database).
_INT_BASE = -7_000_000_000
_DAY_ONE = dt.date(1, 1, 1)
_MOMENT_ONE = dt.datetime(1, 1, 2, tzinfo=dt.UTC)


def _stand_in(kind: type, index: int) -> Any:
    if kind is int:
        return _INT_BASE - index
    if kind is dt.datetime:
        return _MOMENT_ONE + dt.timedelta(days=index)
    if kind is dt.date:
        return _DAY_ONE + dt.timedelta(days=index)
    if kind is str:
        return f"\x00stand-in {index}"
    raise TypeError(f"no stand-in for {kind.__name__}: use int, str, datetime.date or datetime.datetime")


# The PostgreSQL type of each kind of parameter a statement is prepared with; a statement with any
# other (None, a list) is sent as it is, planned each time.
_PG_TYPES = {
    bool: "boolean",
    int: "bigint",
    str: "text",
    float: "double precision",
    dt.date: "date",
    dt.datetime: "timestamptz",
}
_PLACEHOLDER = re.compile(r"%([s%])")
_UNKNOWN = object()  # a statement whose PREPARE may or may not have taken effect
_names = itertools.count(1)


def execute_prepared(cursor, name: str, sql: str, params: list | tuple = ()) -> None:
    """`cursor.execute(sql, params)` as the connection's prepared statement `name`: prepared (with
    the parameters' types) and executed in one round trip the first time on each connection, only
    executed afterwards. A prepared statement belongs to the connection and outlives a rolled back
    transaction; a new connection prepares it again."""
    types = [_PG_TYPES.get(type(param)) for param in params]
    if None in types:
        cursor.execute(sql, params)
        return
    numbers = itertools.count(1)
    numbered = _PLACEHOLDER.sub(lambda found: "%" if found[1] == "%" else f"${next(numbers)}", sql)
    arguments = f"({', '.join(['%s'] * len(params))})" if params else ""
    # This thread's own connection, from the cursor: never the `django.db.connection` proxy, which all share.
    connection = cursor.db
    raw = connection.connection
    prepared_on = connection.__dict__.setdefault("_academy_prepared_on", {})  # statement name: connection
    held = prepared_on.get(name)
    if held is _UNKNOWN:  # an earlier call failed: ask whether its PREPARE took effect
        cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = %s", [name])
        held = raw if cursor.fetchone() else None
    if held is raw:
        cursor.execute(f"EXECUTE {name}{arguments}", params or None)
        return
    typed = f"({', '.join(types)})" if types else ""
    if params:
        numbered = numbered.replace("%", "%%")  # the whole text goes through the driver's formatting
    try:
        cursor.execute(f"PREPARE {name}{typed} AS {numbered}; EXECUTE {name}{arguments}", params or None)
    except DatabaseError:
        prepared_on[name] = _UNKNOWN
        raise
    prepared_on[name] = raw


class Prepared:
    """`Prepared(build, person=int, today=dt.date)`: `rows(person=7, today=...)` runs `build`'s SQL with
    those values and returns what `build(person=7, today=...)` would: dicts from a `values()` queryset
    (`rows`), model instances from a model queryset (`objects`)."""

    def __init__(self, build: Callable[..., QuerySet], **kinds: type) -> None:
        self._build = build
        self._kinds = kinds
        self._compiled: dict[str, _Compiled] = {}  # by database alias
        self._name = f"academy_query_{next(_names)}"  # its prepared statement's, on each connection

    def _compile(self, using: str) -> _Compiled:
        stand_ins = {name: _stand_in(kind, index) for index, (name, kind) in enumerate(self._kinds.items())}
        compiler = self._build(**stand_ins).query.get_compiler(using)
        sql, params = compiler.as_sql()
        by_value = {value: name for name, value in stand_ins.items()}
        places = [by_value.get(param) if isinstance(param, (int, str, dt.date)) else None for param in params]
        missing = set(stand_ins) - set(places)
        if missing:
            raise ValueError(f"the query does not use {', '.join(sorted(missing))} as a parameter")
        query = compiler.query
        # A page's LIMIT can follow the SQL only when it ends with its ORDER BY.
        windowable = not (query.is_sliced or query.combinator or query.select_for_update)
        compiled = self._compiled[using] = _Compiled(compiler, sql, list(params), places, windowable)
        return compiled

    def _run(self, using: str, values: dict, window: tuple[int, int] | None = None) -> tuple[Any, list]:
        if set(values) != set(self._kinds):
            raise TypeError(f"expected values for {', '.join(self._kinds)}")
        compiled = self._compiled.get(using) or self._compile(using)
        sql = compiled.sql
        params = [
            param if place is None else values[place]
            for param, place in zip(compiled.params, compiled.places, strict=True)
        ]
        name = self._name
        if window is not None:
            if not compiled.windowable:
                raise TypeError("a sliced, combined or locking query cannot be read a page at a time")
            sql, name = f"{sql} LIMIT %s OFFSET %s", f"{name}_page"
            params += window
        with connections[using].cursor() as cursor:
            execute_prepared(cursor, name, sql, params)
            fetched = cursor.fetchall()
        return compiled.compiler, list(compiled.compiler.results_iter(results=[fetched]))

    def rows(self, *, using: str = DEFAULT_DB_ALIAS, **values: Any) -> list[dict]:
        compiler, rows = self._run(using, values)
        query = compiler.query
        # As Django's ValuesIterable names them: in the order values() was given, when it was.
        names = list(query.selected or ()) or [
            *query.extra_select,
            *query.values_select,
            *query.annotation_select,
        ]
        return [dict(zip(names, row, strict=True)) for row in rows]

    def objects(
        self, *, using: str = DEFAULT_DB_ALIAS, window: tuple[int, int] | None = None, **values: Any
    ) -> list:
        """Built as Django's ModelIterable builds them: the model's fields, each select_related instance
        through its populator, then the annotations. `window=(limit, offset)` reads one page of them."""
        compiler, rows = self._run(using, values, window)
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, using)
        model, annotations = klass_info["model"], compiler.annotation_col_map or {}
        objects = []
        for row in rows:
            instance = model.from_db(using, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, instance)
            for name, position in annotations.items():
                setattr(instance, name, row[position])
            objects.append(instance)
        return objects


@dataclass(frozen=True)
class _Compiled:
    compiler: Any  # the ORM's compiler, kept for its converters and the shape of its rows
    sql: str
    params: list
    places: list[str | None]  # for each parameter, the name of the value that takes its place
    windowable: bool
