from __future__ import annotations

import pytest
from django.template.backends.jinja2 import Template as JinjaTemplate
from django.test.signals import template_rendered

from academy.models import Role
from tests.conftest import make_person, signed_in_client
from tests.factories import CohortFactory, SessionFactory


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
def cohort(participant):
    """An open cohort of 2 places in the participant's region, with two upcoming sessions."""
    cohort = CohortFactory(programme__region=participant.region, capacity=2)
    SessionFactory(cohort=cohort)
    SessionFactory(cohort=cohort)
    return cohort


@pytest.fixture
def staff(participant):
    """Programme staff in the participant's region."""
    return make_person(Role.PROGRAMME_STAFF, region=participant.region)


@pytest.fixture
def region_staff_client(staff):
    return signed_in_client(staff)


@pytest.fixture
def person_in(participant):
    """Make more participants in the participant's region (and system)."""

    def make(**kwargs):
        person = make_person(organisation=participant.organisation)
        for name, value in kwargs.items():
            setattr(person, name, value)
        if kwargs:
            person.save()
        return person

    return make
