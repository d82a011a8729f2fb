from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command

from academy.models import Organisation, OrganisationType, System, User

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.label != "academy.AuditEntry"
    }


def test_demo_loader_is_idempotent():
    call_command("load_demo", "--quiet-accounts")
    first = _row_counts()
    call_command("load_demo", "--quiet-accounts")
    assert _row_counts() == first
    assert System.objects.count() == 11
    assert Organisation.objects.count() >= 60
    assert set(Organisation.objects.values_list("type", flat=True)) == set(OrganisationType.values)
    assert User.objects.filter(
        email="lead@nhs.net", role_grants__role="Lead", role_grants__region__slug="midlands"
    ).exists()
