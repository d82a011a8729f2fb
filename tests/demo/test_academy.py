from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command

from academy.models import Organisation, OrganisationType, Region, System, User

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]


def _row_counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.label != "academy.AuditEntry"
    }


def test_demo_loader_is_idempotent(demo):
    first = _row_counts()
    call_command("load_demo", "--quiet-accounts")
    assert _row_counts() == first
    # The shipped reference data: 7 regions, 42 ICBs (11 of them the Midlands'), the Midlands' trusts.
    assert Region.objects.exclude(ods_code="").count() == 7
    assert System.objects.exclude(ods_code="").count() == 42
    assert System.objects.filter(sub_region__region__slug="midlands").count() == 11
    assert Organisation.objects.filter(region__slug="midlands").count() >= 60
    # etr.csv gives no trust's type: the shipped trusts all have theirs, so the generic one is unused.
    used = set(Organisation.objects.values_list("type", flat=True))
    assert used == set(OrganisationType.values) - {OrganisationType.NHS_TRUST}
    # The demo reuses the reference rows: the participant's trust is the one with its ODS code.
    participant = User.objects.get(email="participant@nhs.net").person
    assert participant.organisation.ods_code == "RWE"
    assert User.objects.filter(
        email="lead@nhs.net", role_grants__role="Lead", role_grants__region__slug="midlands"
    ).exists()
