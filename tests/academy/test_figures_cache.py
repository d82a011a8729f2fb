"""The figures cache: figures worked out once while the data stays the same, again after a change, kept
compressed under a key that names the format."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from academy import audit
from academy.figures_cache import PREPARED, cached_figures, data_version, scope_key
from academy.scope import Scope
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scope(region):
    cache.clear()
    return Scope(region, dt.date(2020, 4, 1), dt.date(2021, 3, 31))


def counted(figures: dict):
    """A compute function that counts its calls."""
    calls = []

    def compute() -> dict:
        calls.append(1)
        return figures

    return compute, calls


def test_figures_are_worked_out_once_until_the_data_changes(scope):
    figures = {"markup": "<table>" + "<tr><td>5</td></tr>" * 500 + "</table>", "count": 5}
    compute, calls = counted(figures)
    assert cached_figures("test", scope, compute) == figures
    assert cached_figures("test", scope, compute) == figures
    assert len(calls) == 1
    audit.record(None, "test.change", region=scope.region)  # any audited change gives a new version
    assert cached_figures("test", scope, compute) == figures
    assert len(calls) == 2


def test_a_read_recorded_in_the_audit_log_leaves_the_figures_kept(scope, region):
    compute, calls = counted({"count": 5})
    cached_figures("test", scope, compute)
    person = PersonFactory(region=region)
    cached_figures("test", scope, compute)
    assert len(calls) == 2  # a new person: a new version
    entry = audit.audit_read(None, person, ["ethnic_category"], purpose="A talent lead's review.")
    assert entry is not None and entry.action == audit.READ
    cached_figures("test", scope, compute)
    assert len(calls) == 2  # the read changed nothing
    audit.record(None, "test.change", person, region=region)
    cached_figures("test", scope, compute)
    assert len(calls) == 3


def test_what_is_kept_is_compressed_under_a_key_naming_the_format(scope):
    figures = {"markup": "<tr><td>5</td></tr>" * 5000}
    cached_figures("test", scope, lambda: figures)
    key = f"{scope_key('test', scope)}:{data_version()}"
    assert key.startswith("figures:zlib:test:")
    kept = cache.get(key)
    assert isinstance(kept, bytes) and len(kept) < len(figures["markup"]) // 20


@pytest.mark.django_db(transaction=True)  # it closes the connection, which a test's transaction forbids
def test_the_version_is_prepared_once_a_connection_and_one_statement_a_call(django_assert_num_queries):
    connection.close()  # a new connection: it prepares the statement on its first call
    with CaptureQueriesContext(connection) as first:
        version = data_version()
    with CaptureQueriesContext(connection) as then:
        assert data_version() == version
    assert len(first) == 1 and first[0]["sql"].startswith(f"PREPARE {PREPARED} AS SELECT ")
    assert [q["sql"] for q in then] == [f"EXECUTE {PREPARED}"]
    with transaction.atomic():
        PersonFactory()
        changed = data_version()
        assert changed != version  # it reads the data as it is now, the transaction's own rows too
        transaction.set_rollback(True)
    assert data_version() == version  # the statement outlives the rolled-back transaction
    connection.close()
    with django_assert_num_queries(1):
        assert data_version() == version  # prepared again on the new connection


def test_figures_naming_their_apps_are_kept_through_changes_to_other_apps(scope, region):
    from tests.factories import CoachProfileFactory, CPDEventFactory
    from tests.talent.conftest import add_member

    coach = CoachProfileFactory(person__region=region)
    talent, talent_calls = counted({"count": 5})
    portal, portal_calls = counted({"count": 5})

    def both():
        cached_figures("talent", scope, talent, app_labels=("academy", "talent"))
        cached_figures("portal", scope, portal)

    both()
    both()
    assert len(talent_calls) == len(portal_calls) == 1
    # Coaching's new rows and audited changes leave the talent figures kept; the whole portal's are
    # worked out again.
    event = CPDEventFactory(region=region)
    audit.record(None, "cpd.create", event, region=region)
    both()
    audit.record(None, "coach.update", coach, region=region)  # an update: an entry, no new row
    both()
    assert len(talent_calls) == 1 and len(portal_calls) == 3
    # A talent change, an academy change and a change to no record in particular each give a new version.
    member = add_member(PersonFactory(region=region), region=region)
    both()
    assert len(talent_calls) == 2
    audit.record(None, "talent.readiness", member, region=region)
    both()
    assert len(talent_calls) == 3
    audit.record(None, "person.update", member.person, region=region)
    both()
    assert len(talent_calls) == 4
    audit.record(None, "region.settings", region=region)
    both()
    assert len(talent_calls) == 5
    # A read of the member's record changes nothing, for either.
    audit.audit_read(None, member.person, ["ethnic_category"], purpose="A talent lead's review.")
    both()
    assert len(talent_calls) == 5 and len(portal_calls) == 7
