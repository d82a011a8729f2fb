"""The two shapes most action pages share, built on `run_service`: a form that runs one service, and
an "are you sure?" page that runs one when it is confirmed. A view decides who may act and on what
(its selector) and hands the rest here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from academy.views import run_service


def form_page(
    request: HttpRequest,
    form_class: type[forms.BaseForm],
    *,
    template: str,
    context: dict[str, Any] | None = None,
    service: Callable[[Any], Any],
    success: str | Callable[[Any], str],
    then: str | Callable[[Any], str],
    **form_kwargs: Any,
) -> HttpResponse:
    """Show `form_class(**form_kwargs)` on `template` (with `context`); when it is posted and valid,
    run `service(form)` and redirect, or show the service's refusal on the form."""
    posted = request.method == "POST"
    form = form_class(request.POST if posted else None, **form_kwargs)
    if posted and form.is_valid():
        once = getattr(form, "once_token", None)  # a create form's one-time token (academy.once)
        done = run_service(request, lambda: service(form), form=form, success=success, then=then, once=once)
        if done:
            return done
    return render(request, template, {"form": form, **(context or {})})


def confirm_page(
    request: HttpRequest,
    *,
    template: str,
    context: dict[str, Any],
    service: Callable[[], Any],
    success: str | Callable[[Any], str],
    then: str | Callable[[Any], str],
) -> HttpResponse:
    """Ask on `template` whether to go ahead; when the answer is posted, run `service` and redirect
    to `then` (a refusal is flashed there)."""
    if request.method == "POST":
        return run_service(request, service, success=success, then=then)
    return render(request, template, context)
