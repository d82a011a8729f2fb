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
