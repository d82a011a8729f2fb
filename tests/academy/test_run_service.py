"""The end of an action view: a refusal is shown where the person is, success moves them on."""

from __future__ import annotations

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from academy.views import run_service


def a_request():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def refuse():
    raise ValidationError({"name": "That name is taken."})


class NameForm(forms.Form):
    name = forms.CharField()


def test_success_shows_the_message_worked_out_from_the_result_and_redirects():
    request = a_request()
    response = run_service(
        request, lambda: 7, success=lambda n: f"Saved {n}.", then=lambda n: f"/things/{n}/"
    )
    assert response.status_code == 302 and response.url == "/things/7/"
    assert [str(m) for m in get_messages(request)] == ["Saved 7."]


def test_a_refusal_lands_on_the_form_and_the_page_re_renders():
    request = a_request()
    form = NameForm({"name": "x"})
    assert form.is_valid()
    assert run_service(request, refuse, form=form, success="Saved.", then="/done/") is None
    assert form.errors == {"name": ["That name is taken."]}
    assert list(get_messages(request)) == []


def test_without_a_form_a_refusal_is_flashed_and_goes_where_it_is_told():
    request = a_request()
    response = run_service(request, refuse, success="Saved.", then="/done/", refused="/back/")
    assert response.url == "/back/"
    assert [str(m) for m in get_messages(request)] == ["That name is taken."]
