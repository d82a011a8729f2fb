"""The audit log: every state change in Academy is recorded here, explicitly, by the service that
makes it (never by a signal), in the same transaction as the change."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from academy.models import AuditEntry, Region


def record(
    actor: Any,
    action: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
    *,
    region: Region | None = None,
) -> AuditEntry:
    """Append one entry. `actor` is a user (or None for the system, e.g. a scheduled job);
    `action` is a dotted verb such as "enrolment.cancel"; `data` holds what changed."""
    import json

    user = actor if getattr(actor, "is_authenticated", False) else None
    if region is None and target is not None:
        region = _region_of(target)
    return AuditEntry.objects.create(
        actor=user,
        actor_email=user.email if user else "",
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:300] if target is not None else "",
        region=region,
        data=json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder)),
    )


def _region_of(target: models.Model) -> Region | None:
    """Most records carry their region directly; people carry it on their profile."""
    region_id = getattr(target, "region_id", None)
    if region_id:
        return Region(pk=region_id)
    return None
