"""Reads of the core model, scoped to the user who asks."""

from __future__ import annotations

from django.db.models import QuerySet

from academy.models import AuditEntry
from academy.permissions import require_region


def audit_entries_for(user) -> QuerySet[AuditEntry]:
    """Staff read the audit log of their own region only."""
    region = require_region(user)
    return AuditEntry.objects.filter(region=region).select_related("target_type")
