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
    model: type[models.Model],
    targets: list[tuple[Any, str]],
    data: dict[str, Any] | None = None,
    *,
    region: Region | None = None,
) -> int:
    """One entry per target (its primary key and how it reads), written with one statement per
    10,000: a large import is audited row by row without a query per row. Returns the count."""
    import json

    from django.utils import timezone

    from academy.bulk import insert_columns, repeat

    if not targets:
        return 0
    user = actor if getattr(actor, "is_authenticated", False) else None
    count = len(targets)
    insert_columns(
        AuditEntry,
        {
            "created_at": repeat(timezone.now(), count),
            "actor": repeat(user.pk if user else None, count),
            "actor_email": repeat(user.email if user else "", count),
            "action": repeat(action, count),
            "target_type": repeat(ContentType.objects.get_for_model(model).pk, count),
            "target_id": [str(pk) for pk, _ in targets],
            "target_repr": [label[:300] for _, label in targets],
            "region": repeat(region.pk if region else None, count),
            "data": repeat(json.dumps(data or {}, cls=DjangoJSONEncoder), count),
        },
    )
    return count


def _region_of(target: models.Model) -> Region | None:
    """Most records carry their region directly; people carry it on their profile."""
    region_id = getattr(target, "region_id", None)
    if region_id:
        return Region(pk=region_id)
    return None
