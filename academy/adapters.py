"""Sign-up rules for django-allauth."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError


def email_domain_allowed(email: str) -> bool:
    domain = email.rsplit("@", 1)[-1].lower().strip()
    return any(
        domain == allowed or domain.endswith("." + allowed) for allowed in settings.ACADEMY_SIGNUP_DOMAINS
    )


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        if not email_domain_allowed(email):
            allowed = ", ".join(settings.ACADEMY_SIGNUP_DOMAINS)
            raise ValidationError(
                f"Use your NHS or care organisation email address to sign up. "
                f"Addresses ending in {allowed} are accepted."
            )
        return email

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            from academy.services import person_create_for_user

            person_create_for_user(user=user)
        return user
