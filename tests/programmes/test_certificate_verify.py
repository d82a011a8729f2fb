"""The public certificate check: kept out of search engines, limited per address, and safe whatever
reference is typed."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from programmes.models import Certificate
from tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def certificate():
    return Certificate.objects.create(enrolment=EnrolmentFactory(), code="A1B2C3D4E5F60718")


def test_the_page_is_noindex_by_header_and_meta(certificate):
    response = Client().get(reverse("programmes:certificate_verify", args=[certificate.code]))
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_an_unknown_reference_is_a_noindex_404():
    response = Client().get(reverse("programmes:certificate_verify", args=["0000000000000000"]))
    assert response.status_code == 404
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize("code", ["%00", "A1B2%00C3", "x" * 40, "%C3%9F", "'; select 1 --", "..%2F..%2F"])
def test_odd_references_answer_404_not_500(code):
    response = Client(raise_request_exception=False).get(f"/programmes/certificates/{code}/")
    assert response.status_code == 404


@override_settings(CERTIFICATE_VERIFY_RATE="5/m")
def test_it_is_rate_limited_by_address(certificate):
    url = reverse("programmes:certificate_verify", args=[certificate.code])
    here, elsewhere = Client(REMOTE_ADDR="203.0.113.5"), Client(REMOTE_ADDR="203.0.113.9")
    answers = [here.get(url).status_code for _ in range(5)]
    assert answers == [200] * 5
    limited = here.get(url)
    assert limited.status_code == 429
    assert "Sorry, there have been too many attempts" in limited.content.decode()
    assert limited["Retry-After"] == "60"
    # Guessing references counts too, and another address is not held back.
    assert here.get(reverse("programmes:certificate_verify", args=["FFFF"])).status_code == 429
    assert elsewhere.get(url).status_code == 200
