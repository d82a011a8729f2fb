"""The error pages: NHS-styled, saying what happened and what to do next, in production and (for 403,
404 and 429) in development too; Django's debug 404 listing the URLs never reaches a signed-in person."""

from __future__ import annotations

import pytest
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.test import Client, override_settings
from django.urls import path
from django_ratelimit.exceptions import Ratelimited

from academy import errors
from academy.models import Role
from academy.urls import urlpatterns as portal_patterns
from tests.conftest import make_person, signed_in_client


def _raise(exception):
    def view(request):
        raise exception

    return view


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [
    *portal_patterns,
    path("test/bad-request/", _raise(BadRequest("bad"))),
    path("test/forbidden/", _raise(PermissionDenied())),
    path("test/not-found/", _raise(Http404())),
    path("test/limited/", _raise(Ratelimited())),
    path("test/boom/", _boom),
]
handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

LAYOUT = 'class="nhsuk-header'


def _assert_nhs_page(response, status: int, title: str, next_step: str):
    body = response.content.decode()
    assert response.status_code == status
    assert LAYOUT in body, "the page is drawn in the portal's layout"
    assert f"<h1>{title}</h1>" in body
    assert next_step in body
    assert "Traceback" not in body and "URLconf" not in body


@pytest.mark.parametrize(
    ("url", "status", "title", "next_step"),
    [
        ("/test/bad-request/", 400, "Sorry, there is a problem with your request", "Go back and try again."),
        ("/test/forbidden/", 403, "You do not have permission to see this page", "ask the academy team"),
        ("/test/not-found/", 404, "Page not found", "check it is correct"),
        ("/no-such-page/", 404, "Page not found", "check it is correct"),
        ("/test/limited/", 429, "Sorry, there have been too many attempts", "Wait a minute, then try again."),
    ],
)
@override_settings(DEBUG=False)
def test_each_error_has_its_nhs_page(url, status, title, next_step):
    response = Client().get(url)
    _assert_nhs_page(response, status, title, next_step)


@override_settings(DEBUG=False)
def test_a_server_error_shows_the_nhs_page_and_saves_nothing_said():
    client = Client(raise_request_exception=False)
    response = client.get("/test/boom/")
    _assert_nhs_page(response, 500, "Sorry, there is a problem with the service", "Try again later.")
    assert "a bug" not in response.content.decode()


def test_a_refused_form_csrf_has_its_nhs_page():
    person = make_person()
    client = Client(enforce_csrf_checks=True)
    client.force_login(person.user)
    response = client.post("/profile/", {"given_name": "Ann"})
    _assert_nhs_page(response, 403, "Sorry, your form could not be sent", "send the form again")


@pytest.mark.parametrize("role", [Role.TALENT_LEAD, Role.GMTS_MANAGER, Role.PROGRAMME_STAFF])
@override_settings(DEBUG=True, ACADEMY_DEBUG_404=False)
def test_in_development_people_get_the_nhs_404_not_the_url_list(role):
    client = signed_in_client(make_person(role))
    for url in ("/no-such-page/", "/test/not-found/"):
        response = client.get(url)
        _assert_nhs_page(response, 404, "Page not found", "check it is correct")


@override_settings(DEBUG=True)
def test_in_development_403_and_429_are_nhs_pages_too():
    client = Client()
    _assert_nhs_page(client.get("/test/forbidden/"), 403, "You do not have permission to see this page", "")
    limited = client.get("/test/limited/")
    _assert_nhs_page(limited, 429, "Sorry, there have been too many attempts", "")
    assert limited["Retry-After"] == "60"


@override_settings(DEBUG=True, ACADEMY_DEBUG_404=True)
def test_a_developer_may_ask_for_djangos_debug_404():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert LAYOUT not in response.content.decode()
