"""What every app's emails share: absolute links, plain-text messages from a template, and calendar
invitations attached the way mail clients act on them."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def absolute_url(path: str) -> str:
    """A link for an email: the portal's public address (SITE_URL) plus `path`."""
    return settings.SITE_URL + path


def text_email(template: str, context: dict, *, subject: str, to: str) -> EmailMultiAlternatives:
    body = render_to_string(template, context)
    return EmailMultiAlternatives(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])


def attach_calendar(message: EmailMultiAlternatives, ics: bytes, method: str) -> None:
    """As a text/calendar alternative (what Outlook and Gmail act on) and as a file to open."""
    message.attach_alternative(ics.decode(), f"text/calendar; method={method}; charset=utf-8")
    message.attach("invitation.ics", ics, "application/ics")
