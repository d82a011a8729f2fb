"""The error pages: 400, 403, 404, 429, 500 and a refused form (CSRF), each in the NHS.UK layout and
saying what happened and what to do next. `urls.py` names them as Django's handlers; the CSRF one is
`CSRF_FAILURE_VIEW`; `ErrorPagesMiddleware` keeps Django's debug 404 (which lists every URL) away from
people in development unless `ACADEMY_DEBUG_404` is set."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django_ratelimit.exceptions import Ratelimited

logger = logging.getLogger(__name__)

# What each page says: its title, what happened, and what to do next (NHS.UK's error page pattern).
PAGES: dict[int, dict[str, str | list[str]]] = {
    400: {
        "title": "Sorry, there is a problem with your request",
        "happened": ["The page could not understand what your browser sent."],
        "next": ["Go back and try again.", "If you followed a link, type the address of the page instead."],
    },
    403: {
        "title": "You do not have permission to see this page",
        "happened": ["Your account cannot use this page."],
        "next": [
            "If you think you should be able to, ask the academy team to check your role.",
            "Go to the home page to see what you can do.",
        ],
    },
    404: {
        "title": "Page not found",
        "happened": [
            "If you typed the web address, check it is correct.",
            "If you pasted the web address, check you copied the entire address.",
        ],
        "next": ["If the web address is correct, the page may have moved or you may not be able to see it."],
    },
    429: {
        "title": "Sorry, there have been too many attempts",
        "happened": ["This page has been asked for too many times from your connection in a short time."],
        "next": ["Wait a minute, then try again."],
    },
    500: {
        "title": "Sorry, there is a problem with the service",
        "happened": ["Something went wrong on our side. Nothing you entered has been saved."],
        "next": ["Try again later.", "If it keeps happening, contact the academy team."],
    },
    "csrf": {
        "title": "Sorry, your form could not be sent",
        "happened": [
            "The form had been open too long, or you were signed out or in again in another tab, "
            "so for your security it was not accepted. Nothing has been saved."
        ],
        "next": ["Go back, reload the page and send the form again."],
    },
}


def error_page(request: HttpRequest | None, status: int, *, kind: int | str | None = None) -> HttpResponse:
    """The NHS-styled page for `status` (with the words of `kind`, by default the status)."""
    context = {"error": PAGES[kind or status], "status": status}
    if request is None:
        # 500: drawn without the request's context processors, which may need the database.
        body = render_to_string("errors/error.html", {**context, "user": AnonymousUser()})
        response = HttpResponse(body, status=status)
    else:
        response = render(request, "errors/error.html", context, status=status)
    response.nhs_error_page = True
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, Ratelimited):
        return too_many_requests(request, exception)
    return error_page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(None, 500)


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    response = error_page(request, 429)
    response["Retry-After"] = "60"
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    logger.warning("Form refused (CSRF): %s", reason)
    return error_page(request, 403, kind="csrf")


class ErrorPagesMiddleware:
    """With DEBUG on, Django answers a 404 with its own page listing every URL of the portal; people
    using a development or review site get the NHS 404 instead, unless `ACADEMY_DEBUG_404` is set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and not settings.ACADEMY_DEBUG_404
            and response.status_code == 404
            and not getattr(response, "nhs_error_page", False)
        ):
            return page_not_found(request, Http404())
        return response
