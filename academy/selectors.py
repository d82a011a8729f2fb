"""Reads of the core model, scoped to the user who asks."""

from __future__ import annotations

from django.db.models import QuerySet

from academy.models import AuditEntry, Organisation, System
from academy.permissions import require_region


def audit_entries_for(user) -> QuerySet[AuditEntry]:
    """Staff read the audit log of their own region only."""
    region = require_region(user)
    return AuditEntry.objects.filter(region=region).select_related("target_type")


def organisations_for_choice() -> QuerySet[Organisation]:
    return Organisation.objects.select_related("system", "region").order_by("name")


def systems_in_region(region) -> QuerySet[System]:
    return System.objects.filter(sub_region__region=region).select_related("sub_region")
