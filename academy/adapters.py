"""Sign-up rules and email links for django-allauth."""

from __future__ import annotations

from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from academy.emails import absolute_url


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

    # Emails link to the portal's public address (SITE_URL), never to the host a request came in on
    # (allauth builds its links from the request, which behind a proxy or in tests is not the public one).

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return absolute_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_url(path.replace("UID-KEY", quote(key)))

    def send_account_already_exists_mail(self, email: str) -> None:
        self.send_mail("account/email/account_already_exists", email, {})

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        context = {
            **context,
            "signup_url": absolute_url(reverse("account_signup")),
            "password_reset_url": context.get("password_reset_url")
            or absolute_url(reverse("account_reset_password")),
        }
        super().send_mail(template_prefix, email, context)
