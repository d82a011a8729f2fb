"""Persona fixtures (as in style.md): each is a signed-in client or a Person, ready to use."""

from __future__ import annotations

import factory.random
import pytest
from allauth.mfa.models import Authenticator
from django.template.backends.jinja2 import Template as JinjaTemplate
from django.test import Client
from django.test.signals import template_rendered

from academy.middleware import MFA_CONFIRMED_KEY
from academy.models import Role
from academy.selectors import systems_changed
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    RegionFactory,
    RoleGrantFactory,
    SystemFactory,
    UserFactory,
)

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database's tables are left out of autovacuum. A test's rows are rolled back, so a table
    the suite has written to is mostly dead rows; analysed then, it is recorded as pages with no live rows,
    and the planner, taking every later test's thousands of rows for one, joins them by nested loops
    (seen: a reporting test that takes under two seconds on its own taking three minutes). Never analysed, a table is
    sized from its pages, as PostgreSQL sizes a new one."""
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            """
            DO $$
            DECLARE name text;
            BEGIN
                FOR name IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                            WHERE n.nspname = current_schema() AND c.relkind = 'r'
                LOOP
                    EXECUTE format('ALTER TABLE %I SET (autovacuum_enabled = false)', name);
                END LOOP;
            END $$
            """
        )


def make_person(
    *roles: str, region=None, organisation=None, email: str | None = None, mfa: bool | None = None
):
    """A person with `roles`, granted for the region of their organisation (as an administrator would
    grant them). Staff-type roles get a TOTP authenticator unless `mfa=False`."""
    user = UserFactory(email=email) if email else UserFactory()
    if organisation is None:
        system = SystemFactory(sub_region__region=region or RegionFactory())
        organisation = OrganisationFactory(system=system)
    person = PersonFactory(user=user, organisation=organisation, region=organisation.region)
    for role in roles:
        RoleGrantFactory(user=user, role=role, region=organisation.region)
    needs_mfa = any(r != Role.COACH for r in roles) if mfa is None else mfa
    if needs_mfa:
        from allauth.mfa.totp.internal.auth import TOTP

        TOTP.activate(user, TOTP_SECRET)
    return person


def signed_in_client(person) -> Client:
    client = Client()
    client.force_login(person.user)
    if Authenticator.objects.filter(user=person.user).exists():
        session = client.session
        session[MFA_CONFIRMED_KEY] = True
        session.save()
    return client


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """The suite runs in two processes (`make test`: pytest-xdist, `--dist loadgroup`). The browser
    journeys and the tests that start a real Celery worker run one at a time in one of them: the
    workers share one broker queue, and two browsers at once on two cores make the journeys' waits
    flaky."""
    for item in items:
        if item.get_closest_marker("browser") or item.get_closest_marker("worker"):
            item.add_marker(pytest.mark.xdist_group("one_at_a_time"))


@pytest.fixture(autouse=True)
def _repeatable_fake_data(request):
    """Each test gets the same made-up names on every run, so a test that passes keeps passing."""
    factory.random.reseed_random(request.node.nodeid)


@pytest.fixture
def private_media(settings, tmp_path):
    """Uploads and generated files in the test's own folder (`pytest.mark.usefixtures("private_media")`)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _fresh_reference_data():
    """A test's rolled-back systems leave no trace in the per-process copy the offer filter reads."""
    systems_changed()
    yield
    systems_changed()


@pytest.fixture(autouse=True)
def jinja_pages_report_their_context(monkeypatch):
    """The test client learns a page's context from the `template_rendered` signal, which Django sends
    for its own engine only: send it for Jinja2 pages too, so `response.context` is the view's context
    (the query-count guards check the page drew the rows they counted)."""
    render = JinjaTemplate.render

    def render_and_report(self, context=None, request=None):
        template_rendered.send(sender=self, template=self, context=dict(context or {}))
        return render(self, context, request)

    monkeypatch.setattr(JinjaTemplate, "render", render_and_report)


@pytest.fixture
def region(db):
    return RegionFactory()


@pytest.fixture
def other_region(db):
    return RegionFactory(name="North West", slug="north-west")


def persona(*roles: str):
    """A fixture giving a new person with `roles`; it takes the name it is assigned to."""

    @pytest.fixture
    def new_person(db):
        return make_person(*roles)

    return new_person


def client_of(persona_name: str):
    """A fixture giving a client signed in as the person of the fixture `persona_name`."""

    @pytest.fixture
    def client(request):
        return signed_in_client(request.getfixturevalue(persona_name))

    return client


participant = persona()
other_participant = persona()
programme_staff = persona(Role.PROGRAMME_STAFF)
coach = persona(Role.COACH)
supervisor = persona(Role.COACH, Role.SUPERVISOR)
talent_lead = persona(Role.TALENT_LEAD)
gmts_manager = persona(Role.GMTS_MANAGER)
lead = persona(Role.LEAD)

participant_client = client_of("participant")
staff_client = client_of("programme_staff")
coach_client = client_of("coach")
lead_client = client_of("lead")


@pytest.fixture
def anonymous_client():
    return Client()


@pytest.fixture
def eager_retries():
    """Eagerly, a retry runs at once inside apply(); a task that finally fails must not be re-raised
    to the test (as a worker would log it and carry on)."""
    from academy.celery import app

    before = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = before
