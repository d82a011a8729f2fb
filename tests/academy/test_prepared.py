"""Prepared queries (academy/prepared.py): built and compiled once, then run with each call's values, they
return what the ORM returns for the queryset built with those values, for every value and every call."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.test.utils import CaptureQueriesContext

from academy.models import Person, RoleGrant
from academy.prepared import Prepared, execute_prepared
from programmes.models import Cohort, Enrolment, EnrolmentStatus
from tests.factories import CohortFactory, EnrolmentFactory, PersonFactory, RoleGrantFactory, SystemFactory

pytestmark = pytest.mark.django_db


def cohorts_from(*, programme: int, today: dt.date, person: int):
    """A value used twice (the person, in two subqueries), a date and an id, with joins and annotations."""
    mine = Enrolment.objects.filter(cohort=OuterRef("pk"), person_id=person)
    return (
        Cohort.objects.filter(programme_id=programme)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .order_by("starts_on", "pk")
        .values(
            "pk",
            "name",
            system_name=F("system__name"),
            my_status=Subquery(mine.values("status")[:1]),
            my_places=Subquery(mine.values("person").annotate(n=Count("pk")).values("n")[:1]),
        )
    )


@pytest.fixture
def world():
    first = CohortFactory(name="Spring", system=SystemFactory())
    programme = first.programme
    later = CohortFactory(
        programme=programme, name="Autumn", starts_on=first.starts_on + dt.timedelta(days=90)
    )
    ended = CohortFactory(programme=programme, name="Last year", ends_on=dt.date(2020, 3, 31))
    ada, bo = PersonFactory(), PersonFactory()
    EnrolmentFactory(cohort=first, person=ada, status=EnrolmentStatus.ENROLLED)
    EnrolmentFactory(cohort=later, person=bo, status=EnrolmentStatus.WAITLISTED)
    return {"programme": programme, "ada": ada, "bo": bo, "cohorts": (first, later, ended)}


def test_rows_are_the_querysets_rows_for_every_call(world):
    prepared = Prepared(cohorts_from, programme=int, today=dt.date, person=int)
    calls = [
        {"programme": world["programme"].pk, "today": dt.date(2019, 1, 1), "person": world["ada"].pk},
        {"programme": world["programme"].pk, "today": dt.date(2019, 1, 1), "person": world["bo"].pk},
        {"programme": world["programme"].pk, "today": dt.date(2024, 1, 1), "person": world["bo"].pk},
        {"programme": world["programme"].pk + 1000, "today": dt.date(2019, 1, 1), "person": 0},
    ]
    for values in calls:
        assert prepared.rows(**values) == list(cohorts_from(**values))
    # Each person sees their own place: the value reached both subqueries.
    ada_rows = {row["name"]: row for row in prepared.rows(**calls[0])}
    assert ada_rows["Spring"]["my_status"] == EnrolmentStatus.ENROLLED
    assert ada_rows["Spring"]["my_places"] == 1
    assert ada_rows["Autumn"]["my_status"] is None
    assert "Last year" in ada_rows  # not yet ended by 2019
    assert "Last year" not in {row["name"] for row in prepared.rows(**calls[2])}


def test_the_query_is_compiled_once(world, monkeypatch):
    built = []

    def build(**values):
        built.append(values)
        return cohorts_from(**values)

    prepared = Prepared(build, programme=int, today=dt.date, person=int)
    for person in (world["ada"], world["bo"], world["ada"]):
        prepared.rows(programme=world["programme"].pk, today=dt.date(2019, 1, 1), person=person.pk)
    assert len(built) == 1
    assert world["ada"].pk not in built[0].values()  # built with stand-ins, never a caller's values


def test_objects_are_the_querysets_instances_with_their_related_rows(world):
    grant = RoleGrantFactory(user=world["ada"].user, role="programme_staff")
    prepared = Prepared(
        lambda user: RoleGrant.objects.filter(user_id=user).select_related("region").annotate(n=Count("pk")),
        user=int,
    )
    with CaptureQueriesContext(connection) as queries:
        grants = prepared.objects(user=world["ada"].user.pk)
        assert [g.region.name for g in grants] == [grant.region.name]  # no query for the region
    assert len(queries) == 1
    assert grants == list(RoleGrant.objects.filter(user_id=world["ada"].user.pk))
    assert grants[0].n == 1 and grants[0].role == "programme_staff"
    assert grants[0]._state.db == "default" and not grants[0]._state.adding
    assert prepared.objects(user=world["bo"].user.pk) == []

    people = Prepared(
        lambda user: Person.objects.select_related("organisation").filter(user_id=user), user=int
    )
    (ada,) = people.objects(user=world["ada"].user.pk)
    assert ada == world["ada"] and ada.organisation == world["ada"].organisation


def test_rows_keep_the_order_values_named_them_in(world):
    """Annotations named between fields in values() come back under their own names."""

    def build(programme):
        return (
            Cohort.objects.filter(programme_id=programme)
            .annotate(places=Count("enrolments"), system_label=F("system__name"))
            .values("pk", "places", "name", "system_label", "capacity")
            .order_by("pk")
        )

    prepared = Prepared(build, programme=int)
    rows = prepared.rows(programme=world["programme"].pk)
    assert rows == list(build(world["programme"].pk))
    assert [(row["name"], row["places"]) for row in rows] == [("Spring", 1), ("Autumn", 1), ("Last year", 0)]


def test_a_string_value_takes_its_place(world):
    prepared = Prepared(lambda name: Cohort.objects.filter(name=name).values("name"), name=str)
    assert prepared.rows(name="Autumn") == [{"name": "Autumn"}]
    assert prepared.rows(name="O'Brien's; DROP TABLE") == []


def test_a_value_the_query_does_not_use_is_refused():
    prepared = Prepared(
        lambda programme, today: Cohort.objects.filter(programme_id=programme).values("pk"),
        programme=int,
        today=dt.date,
    )
    with pytest.raises(ValueError, match="does not use today"):
        prepared.rows(programme=1, today=dt.date(2026, 1, 1))


def test_values_must_be_those_named():
    prepared = Prepared(
        lambda programme: Cohort.objects.filter(programme_id=programme).values("pk"), programme=int
    )
    with pytest.raises(TypeError, match="expected values for programme"):
        prepared.rows(cohort=1)
    with pytest.raises(TypeError, match="no stand-in for float"):
        Prepared(lambda share: Cohort.objects.filter(capacity__gte=share).values("pk"), share=float).rows(
            share=0.5
        )


def test_prepared_pages_are_the_paginators_pages(world):
    """Each page, its total and the page past the last are those Django's paginator gives."""
    from django.core.paginator import Paginator

    from academy.paging import PreparedPages, page_with_total

    programme = world["programme"]
    for n in range(4):
        CohortFactory(programme=programme, name=f"Extra {n}")

    def build(programme):
        return (
            Cohort.objects.filter(programme_id=programme)
            .annotate(places=Count("enrolments"))
            .order_by("name")
        )

    pages = PreparedPages(build, programme=int)
    for number in (1, 2, 3, "3", "junk", None, 99):
        expected = Paginator(build(programme.pk), 3).get_page(number)
        for page in (
            pages.page(number, 3, programme=programme.pk),
            page_with_total(build(programme.pk), number, 3),
        ):
            assert list(page.object_list) == list(expected.object_list), number
            assert (page.number, page.paginator.count, page.paginator.num_pages) == (
                expected.number,
                7,
                3,
            )
            assert [c.places for c in page.object_list] == [c.places for c in expected.object_list]
    assert pages.page("-1", 3, programme=programme.pk).number == 1  # below the first page: the first
    empty = pages.page(1, 3, programme=programme.pk + 1000)
    assert list(empty.object_list) == [] and empty.paginator.count == 0


def test_a_sliced_query_is_not_read_a_page_at_a_time(world):
    prepared = Prepared(lambda programme: Cohort.objects.filter(programme_id=programme)[:2], programme=int)
    assert len(prepared.objects(programme=world["programme"].pk)) == 2
    with pytest.raises(TypeError, match="a page at a time"):
        prepared.objects(programme=world["programme"].pk, window=(2, 0))


def test_each_connection_prepares_a_statement_once_then_executes_it(world):
    prepared = Prepared(lambda name: Cohort.objects.filter(name=name).values("name"), name=str)
    with CaptureQueriesContext(connection) as first:
        assert prepared.rows(name="Autumn") == [{"name": "Autumn"}]
    with CaptureQueriesContext(connection) as second:
        assert prepared.rows(name="Spring") == [{"name": "Spring"}]
    assert len(first) == len(second) == 1  # one round trip either way
    assert first[0]["sql"].startswith("PREPARE academy_query_") and "; EXECUTE " in first[0]["sql"]
    assert second[0]["sql"].startswith("EXECUTE academy_query_")


def test_execute_prepared_keeps_percent_signs_and_sends_untyped_values_as_they_are(db):
    with connection.cursor() as cursor:
        execute_prepared(cursor, "academy_test_percent", "SELECT %s || '%%'", ["50"])
        assert cursor.fetchone() == ("50%",)
        execute_prepared(cursor, "academy_test_percent", "SELECT %s || '%%'", ["75"])
        assert cursor.fetchone() == ("75%",)
    with CaptureQueriesContext(connection) as sent, connection.cursor() as cursor:
        execute_prepared(cursor, "academy_test_none", "SELECT %s::int IS NULL", [None])
        assert cursor.fetchone() == (True,)
    assert not sent[0]["sql"].startswith("PREPARE")


def test_a_statement_whose_first_run_failed_is_found_prepared_and_run_again(db):
    with connection.cursor() as cursor:
        with pytest.raises(DatabaseError), transaction.atomic():
            execute_prepared(cursor, "academy_test_divide", "SELECT 10 / %s", [0])
        execute_prepared(cursor, "academy_test_divide", "SELECT 10 / %s", [5])
        assert cursor.fetchone() == (2,)


def test_each_thread_keeps_to_its_own_connections_statements(db):
    """Threads (the development server's, a live server's) have their own connections: a statement one
    prepared is prepared again by the other, and neither prepares it twice."""

    def run(value):
        with connection.cursor() as cursor:  # the proxy: this thread's own connection
            execute_prepared(cursor, "academy_test_threads", "SELECT %s + 1", [value])
            return cursor.fetchone()[0]

    def in_another_thread():
        try:
            return run(10)
        finally:
            connection.close()

    assert run(1) == 2
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(in_another_thread).result() == 11
    assert run(2) == 3
