from __future__ import annotations

import re
from html import unescape

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from academy.models import Person, User

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "new.starter@nhs.net",
    "password1": "a-long-Passphrase-2026",
    "password2": "a-long-Passphrase-2026",
}


def test_sign_up_then_verify_then_sign_in(client):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="new.starter@nhs.net")
    assert Person.objects.filter(user=user).exists()
    # Mandatory verification: not signed in until the link is opened.
    assert client.get(reverse("academy:profile")).status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[0].body).group(0)
    path = link.removeprefix(settings.SITE_URL)
    response = client.post(path)
    assert response.status_code == 302
    client.logout()

    response = client.post(
        reverse("account_login"), {"login": SIGNUP["email"], "password": SIGNUP["password1"]}
    )
    assert response.status_code == 302
    assert client.get(reverse("academy:profile")).status_code == 200


def test_unverified_user_cannot_sign_in(client):
    client.post(reverse("account_signup"), SIGNUP)
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": SIGNUP["email"], "password": SIGNUP["password1"]}
    )
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")


def test_sign_up_from_disallowed_domain_is_refused_with_a_clear_message(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": "someone@gmail.com"})
    assert response.status_code == 200
    assert "Use your NHS or care organisation email address" in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not User.objects.filter(email="someone@gmail.com").exists()


def test_subdomain_of_allowed_domain_is_accepted(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": "a.person@uhl-tr.nhs.uk"})
    assert response.status_code == 302
    assert User.objects.filter(email="a.person@uhl-tr.nhs.uk").exists()


def test_password_reset_sends_a_link(client, participant):
    response = client.post(reverse("account_reset_password"), {"email": participant.user.email})
    assert response.status_code == 302
    assert "password" in mail.outbox[0].subject.lower()


def test_admin_sign_in_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_repeated_failed_sign_ins_are_rate_limited(client, participant):
    from django.core.cache import cache

    cache.clear()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": participant.user.email, "password": "wrong-password"})
    response = client.post(
        reverse("account_login"), {"login": participant.user.email, "password": "wrong-password"}
    )
    assert "Too many failed login attempts" in response.content.decode()
    # Even the right password is refused while the limit holds.
    from tests.factories import TEST_PASSWORD

    response = client.post(
        reverse("account_login"), {"login": participant.user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code != 302


# --- allauth's emails: plain words, links to the public address --------------------------------------


def _links(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


def _assert_plain(message) -> None:
    assert not message.subject.startswith("[")
    assert "Hello from" not in message.body
    assert "testserver" not in message.body
    assert _links(message.body)
    assert all(link.startswith(settings.SITE_URL + "/accounts/") for link in _links(message.body))


@pytest.fixture
def public_address(settings):
    settings.SITE_URL = "https://academy.example.nhs.uk"
    return settings.SITE_URL


def test_verification_email_says_what_to_do_and_links_to_the_public_address(client, public_address):
    client.post(reverse("account_signup"), SIGNUP)
    message = mail.outbox[0]
    assert message.subject == "Confirm your email address for Academy"
    _assert_plain(message)
    assert re.search(rf"{re.escape(public_address)}/accounts/confirm-email/\S+/", message.body)


def test_password_reset_email_links_to_the_public_address(client, participant, public_address):
    client.post(reverse("account_reset_password"), {"email": participant.user.email})
    message = mail.outbox[0]
    assert message.subject == "Reset your password for Academy"
    _assert_plain(message)
    assert re.search(rf"{re.escape(public_address)}/accounts/password/reset/key/\S+/", message.body)


def test_password_reset_for_an_unknown_address_offers_sign_up_at_the_public_address(client, public_address):
    client.post(reverse("account_reset_password"), {"email": "nobody@nhs.net"})
    message = mail.outbox[0]
    assert message.subject == "Reset your password for Academy"
    _assert_plain(message)
    assert f"{public_address}/accounts/signup/" in message.body


def test_signing_up_again_with_a_known_address_emails_a_reset_link(client, participant, public_address):
    client.post(reverse("account_signup"), {**SIGNUP, "email": participant.user.email})
    message = mail.outbox[0]
    assert message.subject == "You already have an Academy account"
    _assert_plain(message)
    assert f"{public_address}/accounts/password/reset/" in message.body


# --- the sign-in pages: the portal's layout, each with its own title -------------------------------


def _title_and_h1(response) -> tuple[str, str]:
    html = response.content.decode()
    title = unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip())
    h1 = re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)).strip()
    return title, h1


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("account_login", "Sign in"),
        ("account_signup", "Create an account"),
        ("account_email_verification_sent", "Check your email"),
        ("account_reset_password", "Reset your password"),
        ("account_reset_password_done", "Check your email"),
        ("account_reset_password_from_key_done", "Your password has been reset"),
    ],
)
def test_sign_in_pages_are_portal_pages_titled_by_their_heading(client, name, heading):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert _title_and_h1(response) == (f"{heading} – Academy – NHS", heading)
    assert 'class="nhsuk-header' in response.content.decode()


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("account_logout", "Sign out"),
        ("account_change_password", "Change your password"),
        ("account_email", "Your email addresses"),
        ("mfa_index", "Two-factor authentication"),
    ],
)
def test_signed_in_account_pages_are_titled_by_their_heading(participant, name, heading):
    from tests.conftest import signed_in_client

    response = signed_in_client(participant).get(reverse(name))
    assert response.status_code == 200
    assert _title_and_h1(response) == (f"{heading} – Academy – NHS", heading)


def test_a_sign_in_with_errors_is_titled_error_and_summarised(client, participant):
    response = client.post(reverse("account_login"), {"login": participant.user.email, "password": "wrong"})
    title, h1 = _title_and_h1(response)
    assert (title, h1) == ("Error: Sign in – Academy – NHS", "Sign in")
    assert "There is a problem" in response.content.decode()


def test_an_expired_confirmation_link_says_so(client):
    response = client.get(reverse("account_confirm_email", args=["not-a-key"]))
    assert _title_and_h1(response) == (
        "Confirm your email address – Academy – NHS",
        "Confirm your email address",
    )
    assert "This link has expired" in response.content.decode()


def test_the_two_factor_step_asks_for_the_6_digit_code(client, programme_staff):
    from allauth.account.models import EmailAddress

    from tests.factories import TEST_PASSWORD

    user = programme_staff.user
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    assert response.url == reverse("mfa_authenticate")
    response = client.get(reverse("mfa_authenticate"))
    assert _title_and_h1(response) == ("Enter the 6-digit code – Academy – NHS", "Enter the 6-digit code")


def test_a_used_reset_link_says_so_and_offers_a_new_one(client):
    response = client.get(reverse("account_reset_password_from_key", kwargs={"uidb36": "x", "key": "y"}))
    assert _title_and_h1(response) == (
        "Your reset link has expired – Academy – NHS",
        "Your reset link has expired",
    )
    assert reverse("account_reset_password") in response.content.decode()


def test_a_reset_link_asks_for_a_new_password(client, participant):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(
        user=participant.user, email=participant.user.email, verified=True, primary=True
    )
    client.post(reverse("account_reset_password"), {"email": participant.user.email})
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", mail.outbox[0].body).group(0)
    response = client.get(link.removeprefix(settings.SITE_URL), follow=True)
    assert _title_and_h1(response) == ("Create a new password – Academy – NHS", "Create a new password")
    assert "Confirm your new password" in response.content.decode()


def test_the_sign_in_page_links_to_password_reset_from_the_password_hint(client):
    html = client.get(reverse("account_login")).content.decode()
    assert f'<a href="{reverse("account_reset_password")}">Forgotten your password?</a>' in html
    assert "&lt;a href" not in html
