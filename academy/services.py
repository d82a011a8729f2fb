"""Writes to the core model, and `model_create` and `model_update`, the insert and the edit every
app's services share. Each write is atomic, validated and audited."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from academy import audit
from academy.locking import lock_row
from academy.models import Organisation, Person, Region, RoleGrant

M = TypeVar("M", bound=models.Model)


def model_create(
    *,
    instance: M,
    actor,
    action: str,
    data: dict[str, Any] | None = None,
    target: models.Model | None = None,
    region: Region | None = None,
) -> M:
    """Insert the new, unsaved `instance`: `full_clean`, save, and write one audit entry `action` with
    `data` about `target` (the instance itself unless the change is better filed under its parent).
    Run it inside the caller's transaction, after the service has checked its own rules."""
    instance.full_clean()
    instance.save()
    audit.record(actor, action, instance if target is None else target, data, region=region)
    return instance


def status_move(*, instance: M, source: str, target: str, refusal: str, actor, action: str) -> M:
    """Move `instance` from status `source` to `target`, or refuse with `refusal` when it is no longer
    in `source`. The row is locked first and `instance` refreshed, so two people acting at once cannot
    both move it; one audit entry `action` records the move. Run it inside the caller's transaction."""
    lock_row(type(instance), instance)
    instance.refresh_from_db()
    if instance.status != source:
        raise ValidationError(refusal)
    instance.status = target
    instance.save(update_fields=["status"])
    audit.record(actor, action, instance)
    return instance


def model_update(
    *,
    instance: M,
    fields: Iterable[str],
    data: Mapping[str, Any],
    actor,
    action: str,
    region: Region | None = None,
    strict: bool = False,
    before_save: Callable[[M, list[str]], Iterable[str] | None] | None = None,
) -> tuple[M, list[str]]:
    """Edit `instance` with the values in `data` for the editable `fields` (others are ignored, or
    refused with TypeError when `strict`): set those that differ, call `before_save(instance, changed)`
    (which may refuse with ValidationError or return further fields it set), `full_clean`,
    `save(update_fields=...)` and write one audit entry `action` naming the fields that changed.
    Returns the instance and the fields that changed (empty, with nothing written, when none did).
    Run it inside the caller's transaction, after taking any lock the change needs."""
    editable = set(fields)
    if strict and set(data) - editable:
        raise TypeError(f"Not editable here: {', '.join(sorted(set(data) - editable))}")
    changed = [name for name, value in data.items() if name in editable and getattr(instance, name) != value]
    if not changed:
        return instance, []
    for name in changed:
        setattr(instance, name, data[name])
    if before_save is not None:
        changed += [name for name in before_save(instance, changed) or () if name not in changed]
    instance.full_clean()
    stamp = ["updated_at"] if any(f.name == "updated_at" for f in instance._meta.concrete_fields) else []
    instance.save(update_fields=[*changed, *stamp])
    audit.record(actor, action, instance, {"fields": sorted(changed)}, region=region)
    return instance, changed


PROFILE_FIELDS = (
    "given_name",
    "family_name",
    "job_title",
    "organisation",
    "staff_group",
    "pay_band",
    "gender",
    "ethnic_category",
    "disability",
)


@transaction.atomic
def person_create_for_user(*, user) -> Person:
    person, created = Person.objects.get_or_create(
        user=user, defaults={"given_name": user.first_name, "family_name": user.last_name}
    )
    if created:
        audit.record(user, "person.create", person)
    return person


@transaction.atomic
def person_update_profile(*, person: Person, actor, **changes) -> Person:
    """Update a profile. The person's region follows their organisation's: it decides what they may
    join as a participant, never what they may see as staff (that is their `RoleGrant`, ADR 0003).
    Equality answers are special-category data: the audit names the fields, never the values."""

    def follow_organisation(person: Person, changed: list[str]) -> list[str]:
        organisation: Organisation | None = changes.get("organisation")
        if organisation is not None and person.region_id != organisation.region_id:
            person.region_id = organisation.region_id
            return ["region"]
        return []

    model_update(
        instance=person,
        fields=PROFILE_FIELDS,
        data=changes,
        actor=actor,
        action="person.update_profile",
        strict=True,
        before_save=follow_organisation,
    )
    return person


@transaction.atomic
def role_grant(*, user, role: str, region: Region, actor) -> RoleGrant:
    """Grant `user` the `role` for `region`. Granting a role they already hold for that region changes
    nothing; holding it for another region is refused (revoke it first), as is a second region for a
    staff member (`RoleGrant.clean`)."""
    held = RoleGrant.objects.filter(user=user, role=role).select_related("region").first()
    if held is not None:
        if held.region_id != region.pk:
            raise ValidationError(f"{user} already holds {role} for {held.region}. Revoke it first.")
        return held
    grant = model_create(
        instance=RoleGrant(
            user=user,
            role=role,
            region=region,
            granted_by=actor if getattr(actor, "is_authenticated", False) else None,
        ),
        actor=actor,
        action="role.grant",
        data={"person": user.email, "role": role, "region": region.name},
        region=region,
    )
    user.__dict__.pop("_academy_grants", None)
    return grant


@transaction.atomic
def role_revoke(*, grant: RoleGrant, actor) -> None:
    """Take a granted role away; the audit entry keeps who held it, for which region, and who removed it."""
    audit.record(
        actor,
        "role.revoke",
        grant,
        {"person": grant.user.email, "role": grant.role, "region": grant.region.name},
        region=grant.region,
    )
    grant.delete()
