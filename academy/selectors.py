"""Reads of the core model, scoped to the user who asks."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from academy import privacy
from academy.models import AuditEntry, Organisation, Person, System
from academy.permissions import require_region


def audit_entries_for(user) -> QuerySet[AuditEntry]:
    """Staff read the audit log of their own region only."""
    region = require_region(user)
    return AuditEntry.objects.filter(region=region).select_related("target_type")


def person_for_erasure(user, pk: int) -> Person:
    """Someone of the lead's region; anyone else is a 404, so ids are not probed."""
    person = (
        Person.objects.select_related("user", "organisation")
        .filter(pk=pk, region=require_region(user))
        .first()
    )
    if person is None:
        raise Http404("No such person.")
    return person


def person_for_erasure_by_email(user, email: str) -> Person | None:
    """The person of the lead's region with this email; None for anyone else, and for nobody."""
    return Person.objects.filter(user__email__iexact=email.strip(), region=require_region(user)).first()


def erasure_held(person: Person) -> list[dict[str, Any]]:
    """What each part of the portal holds about the person, in words, for the confirmation page: each
    area's tables with their number of records."""
    held = []
    for area in privacy.areas():
        tables = area.export(person)
        counts = {
            name.rsplit(".", 1)[0].replace("_", " "): (len(rows) if isinstance(rows, list) else 1)
            for name, rows in tables.items()
            if rows
        }
        held.append({"label": area.label, "counts": counts})
    return held


def erasure_entry(person: Person) -> AuditEntry | None:
    """The audit entry of the person's erasure: its reference and what was removed."""
    return (
        AuditEntry.objects.filter(
            action="person.erase", target_id=str(person.pk), target_type__model="person"
        )
        .order_by("-id")
        .first()
    )


# --- Reference data ---------------------------------------------------------------------------------
# Systems change a few times a year (the ODS load, the admin), yet the offer page's filter lists them on
# every request. Each process keeps them for SYSTEMS_SECONDS; a save or delete of a system or sub-region
# clears this process's copy at once (academy/apps.py), and the others' within the minute.

SYSTEMS_SECONDS = 60
_systems: tuple[float, tuple[SystemChoice, ...]] | None = None


@dataclass(frozen=True)
class SystemChoice:
    pk: int
    name: str
    region_id: int


def system_choices() -> tuple[SystemChoice, ...]:
    """Every system by name, with its region: read at most once a minute per process."""
    global _systems
    now = time.monotonic()
    if _systems is None or now - _systems[0] > SYSTEMS_SECONDS:
        rows = System.objects.order_by("name").values_list("pk", "name", "sub_region__region_id")
        _systems = (now, tuple(SystemChoice(*row) for row in rows))
    return _systems[1]


def systems_changed(**kwargs) -> None:
    global _systems
    _systems = None


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
