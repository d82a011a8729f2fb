"""The demo data's tests. Loading the whole demo takes most of a minute, so it is loaded once for all
of them, in one worker (each module marks itself `xdist_group("demo")`), and rolled back after them;
each test runs inside it and is rolled back on its own."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from academy.models import Region


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker) -> Region:
    """The demo, loaded as `make run` loads it; the Midlands, its region."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--quiet-accounts", stdout=io.StringIO())
        yield Region.objects.get(slug="midlands")
        transaction.set_rollback(True)
