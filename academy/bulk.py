"""Inserting many rows in one statement each, for imports: `INSERT ... SELECT * FROM unnest(arrays)`.

Django's bulk_create builds a model instance per row and a placeholder per value; for 50,000 people
that is most of an import's time (bench/imports.py: the ORM wrote about 1,000 rows a second under load,
this several times more). Values go in as one typed array per column, so PostgreSQL does the per-row
work. Used where a benchmark shows it matters (docs/adr/0001), never for a handful of rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models

BATCH = 10_000


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
    names = list(columns)
    lengths = {len(values) for values in columns.values()}
    if len(lengths) > 1:
        raise ValueError(f"Columns of different lengths: {lengths}")
    count = lengths.pop() if lengths else 0
    if not count:
        return []
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    target = ", ".join(quote(field.column) for field in fields)
    arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
    back = ", ".join(quote(model._meta.get_field(name).column) for name in returning)
    conflict = " ON CONFLICT DO NOTHING" if skip_existing else ""
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({target}) SELECT * FROM unnest({arrays}){conflict} RETURNING {back}"
    inserted: list[tuple] = []
    with connection.cursor() as cursor:
        for start in range(0, count, BATCH):
            cursor.execute(sql, [list(columns[name][start : start + BATCH]) for name in names])
            inserted.extend(cursor.fetchall())
    return inserted


def repeat(value: Any, count: int) -> list[Any]:
    return [value] * count
