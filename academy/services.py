"""Writes to the core model, and `model_create` and `model_update`, the insert and the edit every
app's services share. Each write is atomic, validated and audited."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Replace

from academy import audit, privacy
from academy.locking import lock_row
from academy.models import AuditEntry, Organisation, Person, Region, RoleGrant

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


# --- Privacy rights: download, erasure, retention ---------------------------------------------------

ERASED_NAME = ("Erased", "person")


def _profile_export(person: Person) -> dict:
    user = person.user
    return {
        "email": user.email,
        "first name": person.given_name,
        "last name": person.family_name,
        "job title": person.job_title,
        "organisation": str(person.organisation or ""),
        "region": str(person.region or ""),
        "staff group": person.get_staff_group_display(),
        "pay band": person.get_pay_band_display(),
        "gender": person.get_gender_display(),
        "ethnic category": person.get_ethnic_category_display(),
        "disability": person.get_disability_display(),
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "account created": user.date_joined,
        "last signed in": user.last_login,
        "profile last changed": person.updated_at,
    }


def _audit_export(person: Person) -> list[dict]:
    from django.contrib.contenttypes.models import ContentType

    about = AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(Person), target_id=str(person.pk)
    )
    entries = (AuditEntry.objects.filter(actor=person.user) | about).order_by("created_at", "id")
    return [
        {
            "when": entry.created_at,
            "by": entry.actor_email or "the portal",
            "what": audit.action_in_words(entry.action),
            "record": entry.target_repr,
            "details": audit.describe(entry),
        }
        for entry in entries.select_related("target_type")
    ]


@transaction.atomic
def person_export(*, person: Person, actor) -> bytes:
    """Everything held about `person`, as one zip: README.txt, a folder per area of the portal (a CSV
    per table, a JSON per record) and the files they uploaded. The download is audited."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import timezone

    tables: dict[str, object] = {
        "academy/profile.json": _profile_export(person),
        "academy/activity.csv": _audit_export(person),
    }
    files = []
    for area in privacy.areas():
        for name, content in area.export(person).items():
            tables[f"{area.key}/{name}"] = content
        if area.files is not None:
            files += [(f"files/{area.key}/{name}", handle) for name, handle in area.files(person)]
    readme = privacy.README.format(
        date=f"{timezone.localdate():%-d %B %Y}", privacy_url=settings.SITE_URL + reverse("academy:privacy")
    )
    content = privacy.archive(tables, files, readme)
    audit.record(actor, "person.export", person, {"files": len(files)}, region=person.region)
    return content


def _erase(person: Person, actor, action: str, data: dict[str, Any]) -> dict[str, Any]:
    """Remove or replace what identifies the person, in every area; keep what the published figures
    count (organisation, region, staff group, pay band and the equality answers, now of nobody
    named). Inside the caller's transaction; the person's row is locked."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from django.db import connection
    from django.utils import timezone

    person = lock_row(Person, person)
    if person.erased_at is not None:
        raise ValidationError("This person's data has already been erased.")
    user = person.user
    old_name, old_email = person.full_name, user.email
    removed = {area.key: dict(area.erase(person)) for area in privacy.areas() if area.erase is not None}
    person.given_name, person.family_name = ERASED_NAME
    person.job_title = ""
    person.erased_at = timezone.now()
    person.save(update_fields=["given_name", "family_name", "job_title", "erased_at", "updated_at"])
    user.email = f"erased-{user.pk}@erased.invalid"
    user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["email", "first_name", "last_name", "is_active", "password"])
    user.groups.clear()
    removed["academy"] = {
        "email addresses": EmailAddress.objects.filter(user=user).delete()[0],
        "authenticators": Authenticator.objects.filter(user=user).delete()[0],
    }
    # The audit log keeps every entry, but no longer the person's name or email.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL academy.erasure = 'on'")
        AuditEntry.objects.filter(actor_email=old_email).update(actor_email=user.email)
        # An invited person is named in the log by the address staff typed until they accept.
        AuditEntry.objects.filter(target_repr__icontains=old_email).update(
            target_repr=Replace("target_repr", Value(old_email.lower()), Value(user.email))
        )
        if old_name:
            AuditEntry.objects.filter(target_repr__contains=old_name).update(
                target_repr=Replace("target_repr", Value(old_name), Value(" ".join(ERASED_NAME)))
            )
        cursor.execute("SET LOCAL academy.erasure = 'off'")
    audit.record(actor, action, person, {**data, "removed": removed}, region=person.region)
    return removed


@transaction.atomic
def person_erase(*, person: Person, actor, reason: str) -> dict[str, Any]:
    """Erase a person on their request (UK GDPR article 17): they can no longer sign in, their name,
    email and own words are gone from every area and from the audit log, and the published figures
    and counts are unchanged. `reason` is the request's reference, kept in the audit entry."""
    if not reason.strip():
        raise ValidationError("Give the request's reference, for the audit log.")
    if getattr(actor, "pk", None) == person.user_id:
        raise ValidationError("A request to erase your own data is handled by another member of staff.")
    return _erase(person, actor, "person.erase", {"reason": reason.strip()[:200]})


def retention_apply(*, now=None) -> dict[str, int]:
    """The daily retention job (Celery beat): anonymise everyone with no activity (no sign-in and
    no change audited) for `RETENTION_INACTIVE_YEARS`, each in its own transaction; then let each
    area delete what it keeps only for a time (coaching: lapsed coaches' certificate files)."""
    import datetime as dt

    from django.conf import settings
    from django.db.models import Exists, OuterRef, Q
    from django.utils import timezone

    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=round(365.25 * settings.RETENTION_INACTIVE_YEARS))
    recent = AuditEntry.objects.filter(actor_id=OuterRef("user_id"), created_at__gte=cutoff)
    inactive = (
        Person.objects.filter(erased_at__isnull=True, user__is_superuser=False, updated_at__lt=cutoff)
        .filter(user__date_joined__lt=cutoff)
        .filter(Q(user__last_login__isnull=True) | Q(user__last_login__lt=cutoff))
        .exclude(Exists(recent))
    )
    counts = {"anonymised": 0}
    for pk in list(inactive.values_list("pk", flat=True)):
        with transaction.atomic():
            _erase(
                Person.objects.get(pk=pk),
                None,
                "person.anonymise_inactive",
                {"inactive_years": settings.RETENTION_INACTIVE_YEARS},
            )
            counts["anonymised"] += 1
    for area in privacy.areas():
        if area.retain is not None:
            for name, value in area.retain(now).items():
                counts[f"{area.key} {name}"] = value
    return counts
