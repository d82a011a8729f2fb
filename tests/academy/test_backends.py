"""The sign-in backends load the signed-in user with their person and organisation in one query."""

from __future__ import annotations

import pytest
from django.conf import settings

from academy.backends import EmailBackend, ModelBackend
from tests.conftest import signed_in_client
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("backend", [ModelBackend, EmailBackend])
def test_the_user_comes_with_their_person_and_organisation(backend, django_assert_num_queries):
    person = PersonFactory()
    with django_assert_num_queries(1):
        user = backend().get_user(person.user.pk)
        assert user == person.user
        assert user.person == person and user.person.organisation == person.organisation


@pytest.mark.parametrize("backend", [ModelBackend, EmailBackend])
def test_no_user_for_an_inactive_account_an_unknown_id_or_junk(backend):
    person = PersonFactory(user__is_active=False)
    assert backend().get_user(person.user.pk) is None
    assert backend().get_user(person.user.pk + 1000) is None
    assert backend().get_user("junk") is None


def test_a_user_with_no_person_yet_gets_one_on_first_use():
    from academy.permissions import person_of

    user = ModelBackend().get_user(UserFactory().pk)
    person = person_of(user)
    assert person.pk and person.user == user and person_of(user) is person


def test_the_portal_signs_in_through_these_backends(participant):
    assert settings.AUTHENTICATION_BACKENDS == [
        "academy.backends.ModelBackend",
        "academy.backends.EmailBackend",
    ]
    assert signed_in_client(participant).get("/programmes/my-learning/").status_code == 200
