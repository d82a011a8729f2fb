"""Reads of the core model, scoped to the user who asks."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db.models import QuerySet

from academy.models import AuditEntry, System
from academy.permissions import require_region


def audit_entries_for(user) -> QuerySet[AuditEntry]:
    """Staff read the audit log of their own region only."""
    region = require_region(user)
    return AuditEntry.objects.filter(region=region).select_related("target_type")


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
