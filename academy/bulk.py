"""Inserting many rows in one statement each, for imports: `INSERT ... SELECT * FROM unnest(arrays)`.

Django's bulk_create builds a model instance per row and a placeholder per value; for 50,000 people
that is most of an import's time (bench/imports.py: the ORM wrote about 1,000 rows a second under load,
this several times more). Values go in as one array per column, so PostgreSQL does the per-row work.
Each array is sent as one text literal (`'{"a","b"}'::varchar[]`), not as the `ARRAY['a', 'b']` a
Python list becomes in psycopg2: the server parses the literal with the type's own input function,
where it builds an expression per element of the other (twice as fast for 10,000 enrolments,
bench/imports.py). A value the same in every row (`repeat`) is sent once. Used where a benchmark shows
it matters (docs/adr/0001), never for a handful of rows."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import connection, models

BATCH = 10_000

# Types whose text (`str`) is what PostgreSQL's input functions read: aware datetimes with their
# offset, ISO dates and times.
_AS_TEXT = (str, int, float, decimal.Decimal, dt.date, dt.time, uuid.UUID)


class Repeat(Sequence):
    """One value for `count` rows: sent once, not as an array."""

    def __init__(self, value: Any, count: int) -> None:
        self.value, self.count = value, count

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Repeat(self.value, len(range(*index.indices(self.count))))
        if not -self.count <= index < self.count:
            raise IndexError(index)
        return self.value


def repeat(value: Any, count: int) -> Repeat:
    return Repeat(value, count)


def insert_columns(
    model: type[models.Model],
    columns: dict[str, Sequence[Any]],
    *,
    returning: Sequence[str] = ("id",),
    skip_existing: bool = False,
) -> list[tuple]:
    """Insert one row per position of `columns` (field name → that column's values, all the same
    length), in batches; returns the `returning` columns of each inserted row (in no promised order:
    return a natural key alongside the id to match them up). With `skip_existing`, a row that would
    break a unique constraint is left out (`ON CONFLICT DO NOTHING`) and not returned: re-importing
    the same file adds nothing."""
    lengths = {len(values) for values in columns.values()}
    if len(lengths) > 1:
        raise ValueError(f"Columns of different lengths: {lengths}")
    count = lengths.pop() if lengths else 0
    if not count:
        return []
    # The columns that vary come first (unnest's), then the values the same in every row.
    varying = [name for name, values in columns.items() if not isinstance(values, Repeat)]
    if not varying:
        varying = list(columns)
    fixed = [name for name in columns if name not in varying]
    names = varying + fixed
    fields = {name: model._meta.get_field(name) for name in names}
    quote = connection.ops.quote_name
    target = ", ".join(quote(fields[name].column) for name in names)
    arrays = ", ".join(f"%s::{fields[name].db_type(connection)}[]" for name in varying)
    values = "".join(f", %s::{fields[name].db_type(connection)}" for name in fixed)
    back = ", ".join(quote(model._meta.get_field(name).column) for name in returning)
    conflict = " ON CONFLICT DO NOTHING" if skip_existing else ""
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({target}) "
        f"SELECT *{values} FROM unnest({arrays}){conflict} RETURNING {back}"
    )
    # The constants' placeholders come before the arrays' in the statement.
    constants = [columns[name][0] for name in fixed]
    inserted: list[tuple] = []
    with connection.cursor() as cursor:
        for start in range(0, count, BATCH):
            batch = [array_literal(columns[name][start : start + BATCH]) for name in varying]
            cursor.execute(sql, [*constants, *batch])
            inserted.extend(cursor.fetchall())
    return inserted


def array_literal(values: Sequence[Any]) -> str:
    """A PostgreSQL array literal of `values` ('{1,NULL,3}', '{"a","b \\"c\\""}'): whole numbers
    bare, everything else quoted (backslashes and double quotes escaped), None as NULL. A column of
    one kind is written with a few joins over the whole column, not a call per value (a year's
    register is a million of each)."""
    kinds = set(map(type, values))
    if kinds <= {int}:
        return "{" + ",".join(map(str, values)) + "}"
    if kinds <= {bool}:
        return "{" + ",".join(["t" if value else "f" for value in values]) + "}"
    kind = kinds.pop()
    if kinds or not issubclass(kind, _AS_TEXT):  # NULLs among them, or kinds mixed
        return "{" + ",".join(map(_element, values)) + "}"
    # Every value of one text-like kind: joined by NUL (which no value holds, as PostgreSQL stores
    # none), escaped at once, then the NULs become the quoted separators.
    joined = "\x00".join(values if kind is str else map(str, values))
    if joined.count("\x00") != len(values) - 1:
        return "{" + ",".join(map(_element, values)) + "}"
    if "\\" in joined or '"' in joined:
        joined = joined.replace("\\", "\\\\").replace('"', '\\"')
    return '{"' + joined.replace("\x00", '","') + '"}'


def _element(value: Any) -> str:
    if value is None:
        return "NULL"
    if value.__class__ is int:
        return str(value)
    if value.__class__ is bool:
        return "t" if value else "f"
    if not isinstance(value, _AS_TEXT):
        raise TypeError(f"Cannot send {type(value).__name__} in an array: pass it as text")
    text = str(value)
    if "\\" in text or '"' in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'
