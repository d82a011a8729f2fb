"""What every app's emails share: absolute links, plain-text messages from a template, and calendar
invitations attached the way mail clients act on them."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def absolute_url(path: str) -> str:
    """A link for an email: the portal's public address (SITE_URL) plus `path`."""
    return settings.SITE_URL + path


def invitation_url(user) -> str:
    """For someone added by staff who has never set a password: a link to set one (allauth's
    password-reset key, valid for PASSWORD_RESET_TIMEOUT), on the portal's public address. After it
    expires "Forgotten your password?" sends a new one to the same address."""
    from allauth.account.adapter import get_adapter
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    return get_adapter().get_reset_password_from_key_url(key)


def text_email(template: str, context: dict, *, subject: str, to: str) -> EmailMultiAlternatives:
    body = render_to_string(template, context)
    return EmailMultiAlternatives(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])


def attach_calendar(message: EmailMultiAlternatives, ics: bytes, method: str) -> None:
    """As a text/calendar alternative (what Outlook and Gmail act on) and as a file to open."""
    message.attach_alternative(ics.decode(), f"text/calendar; method={method}; charset=utf-8")
    message.attach("invitation.ics", ics, "application/ics")
