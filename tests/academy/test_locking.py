"""The lock helper refuses to run where its lock would protect nothing, and locks in a stable order."""

from __future__ import annotations

import pytest
from django.db import transaction

from academy.locking import LockOutsideTransaction, lock_row, lock_rows
from programmes.models import Cohort
from tests.factories import CohortFactory


@pytest.mark.django_db(transaction=True)
def test_locking_outside_a_transaction_is_refused():
    cohort = CohortFactory()
    with pytest.raises(LockOutsideTransaction):
        lock_row(Cohort, cohort)


@pytest.mark.django_db(transaction=True)
def test_locking_inside_a_transaction_returns_the_rows_in_key_order(django_assert_num_queries):
    cohorts = [CohortFactory() for _ in range(3)]
    with transaction.atomic(), django_assert_num_queries(1):  # SELECT ... FOR UPDATE OF
        locked = lock_rows(Cohort, [c.pk for c in reversed(cohorts)])
    assert [c.pk for c in locked] == sorted(c.pk for c in cohorts)


@pytest.mark.django_db(transaction=True)
def test_a_missing_row_raises_does_not_exist():
    with transaction.atomic(), pytest.raises(Cohort.DoesNotExist):
        lock_row(Cohort, 0)


@pytest.mark.django_db(transaction=True)
def test_lock_row_returns_the_row_fresh_by_key_or_instance(django_assert_num_queries):
    first, second = CohortFactory(capacity=5), CohortFactory()
    Cohort.objects.filter(pk=first.pk).update(capacity=9)  # changed since `first` was read
    with transaction.atomic():
        by_instance = lock_row(Cohort, first, related=["programme"])
        by_key = lock_row(Cohort, second.pk)
        with django_assert_num_queries(0):
            assert by_instance.programme.pk == first.programme_id  # joined, not read again
    assert (by_instance.pk, by_instance.capacity) == (first.pk, 9)
    assert by_key.pk == second.pk
