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


def record_many(
    actor: Any,
    action: str,
    targets: list[models.Model],
    data: dict[str, Any] | None = None,
    *,
    region: Region | None = None,
) -> int:
    """One entry per target, written in batches: a large import is audited row by row without a
    query per row. Returns the number of entries."""
    import json

    if not targets:
        return 0
    user = actor if getattr(actor, "is_authenticated", False) else None
    content_type = ContentType.objects.get_for_model(targets[0])
    payload = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))
    AuditEntry.objects.bulk_create(
        (
            AuditEntry(
                actor=user,
                actor_email=user.email if user else "",
                action=action,
                target_type=content_type,
                target_id=str(target.pk),
                target_repr=str(target)[:300],
                region=region or _region_of(target),
                data=payload,
            )
            for target in targets
        ),
        batch_size=2000,
    )
    return len(targets)


def _region_of(target: models.Model) -> Region | None:
    """Most records carry their region directly; people carry it on their profile."""
    region_id = getattr(target, "region_id", None)
    if region_id:
        return Region(pk=region_id)
    return None
