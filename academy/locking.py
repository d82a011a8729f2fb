"""Row locks, one way for every app.

A change that reads a count and then writes (places on a cohort, a coach's places, the seats of a
group supervision) first locks the rows it depends on with `lock_rows` / `lock_row`, inside the
transaction that makes the change. Concurrent changes then queue behind each other and each sees what
the previous one left.

Deadlocks are avoided by always taking locks in the same order: within one call rows are locked in
primary-key order, and across calls a change locks the holder of the capacity first (the cohort; the
coach's profile; the group supervision session), then the rows it is about to change (an enrolment; a
request, then a relationship).

Only the model's own rows are locked (`FOR NO KEY UPDATE OF`), never the rows joined by
`select_related`. NO KEY UPDATE queues changes behind each other exactly as FOR UPDATE does (it
conflicts with itself), but not behind a transaction that merely inserts rows pointing at the locked
one: PostgreSQL's foreign-key check takes FOR KEY SHARE on the row referred to, which FOR UPDATE waits
for until that transaction commits. With FOR UPDATE, a 50,000-row enrolment import held every
enrolment on its cohort for the seconds from its foreign-key checks to its COMMIT (bench/imports.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.db import models, transaction

M = TypeVar("M", bound=models.Model)


class LockOutsideTransaction(RuntimeError):
    """A row lock taken outside a transaction is released at once, so it protects nothing."""


def lock_rows(model: type[M], pks: Iterable[int], *, related: Iterable[str] = ()) -> list[M]:
    """Lock the rows of `model` with these primary keys (in primary-key order) and return them."""
    if not transaction.get_connection().in_atomic_block:
        raise LockOutsideTransaction(
            f"Locking {model.__name__} rows needs a transaction (transaction.atomic)."
        )
    return list(
        model._default_manager.select_for_update(of=("self",), no_key=True)
        .select_related(*related)
        .filter(pk__in=sorted(set(pks)))
        .order_by("pk")
    )


def lock_row(model: type[M], pk: int | M, *, related: Iterable[str] = ()) -> M:
    """Lock one row (given by primary key or instance) and return it fresh from the database."""
    key = pk.pk if isinstance(pk, models.Model) else pk
    rows = lock_rows(model, [key], related=related)
    if not rows:
        raise model.DoesNotExist(f"No {model.__name__} with id {key}.")
    return rows[0]
