"""Reads of the core model, scoped to the user who asks."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from academy.models import AuditEntry, Organisation
from academy.permissions import require_region


def audit_entries_for(user) -> QuerySet[AuditEntry]:
    """Staff read the audit log of their own region only."""
    region = require_region(user)
    return AuditEntry.objects.filter(region=region).select_related("target_type")


ORGANISATION_MATCHES = 20


def organisations_matching(
    text: str, organisations: QuerySet[Organisation] | None = None
) -> list[Organisation]:
    """Up to 20 of `organisations` (the open ones) whose name holds `text` or whose ODS code starts
    with it, an exact ODS code first: what the organisation chooser offers as a person types."""
    text = " ".join(text.split())[:100]
    if len(text) < 2:
        return []
    organisations = organisations if organisations is not None else Organisation.objects.open()
    matches = organisations.filter(Q(name__icontains=text) | Q(ods_code__istartswith=text))
    exact = list(organisations.filter(ods_code__iexact=text)[:1])
    rest = matches.exclude(pk__in=[o.pk for o in exact]).order_by("name", "ods_code")
    return exact + list(rest.only("id", "name", "ods_code")[: ORGANISATION_MATCHES - len(exact)])
