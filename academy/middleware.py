"""Session lifetime and the MFA requirement for staff-type roles."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from academy.permissions import is_staff_type

SESSION_STARTED_KEY = "academy_session_started"
MFA_CONFIRMED_KEY = "academy_mfa_confirmed"


@dataclass(frozen=True)
class SessionTimeout:
    """What the page's timeout warning needs (jinja2/includes/session_timeout.html): seconds until the
    session ends if the person does nothing more, and how long before that to warn them."""

    expires_in: int
    warn_before: int


class SessionLifetimeMiddleware:
    """Sessions end after 12 hours in all, however active (idle expiry is SESSION_COOKIE_AGE). A signed-in
    request carries `request.session_timeout` for the warning the layout shows before either happens."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            started = request.session.setdefault(SESSION_STARTED_KEY, now)
            if now - started > settings.SESSION_ABSOLUTE_LIFETIME.total_seconds():
                logout(request)
                messages.info(request, "You were signed out because your session reached 12 hours.")
                return redirect(settings.LOGIN_URL)
            lifetime_left = settings.SESSION_ABSOLUTE_LIFETIME.total_seconds() - (now - started)
            request.session_timeout = SessionTimeout(
                expires_in=int(min(settings.SESSION_COOKIE_AGE, lifetime_left)),
                warn_before=int(settings.SESSION_TIMEOUT_WARNING.total_seconds()),
            )
        return self.get_response(request)


class StaffMFAMiddleware:
    """A staff-type user without an authenticator is sent to set one up before any other page."""

    # /session/: "Stay signed in" on the set-up pages themselves must not be sent to set-up.
    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/assets/", "/health/", "/session/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.session.get(MFA_CONFIRMED_KEY)
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and is_staff_type(user)
        ):
            from allauth.mfa.models import Authenticator

            if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                request.session[MFA_CONFIRMED_KEY] = True
            else:
                messages.warning(
                    request,
                    "Your role lets you see other people's records, so you must set up two-factor "
                    "authentication before you continue.",
                )
                return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
