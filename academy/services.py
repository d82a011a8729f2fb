"""Writes to the core model. Each is atomic, validated and audited."""

from __future__ import annotations

from django.db import transaction

from academy import audit
from academy.models import Organisation, Person, Region

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
    """Update a profile. The person's region follows their organisation's."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Not profile fields: {', '.join(sorted(unknown))}")
    changed = [name for name, value in changes.items() if getattr(person, name) != value]
    for name in changed:
        setattr(person, name, changes[name])
    organisation: Organisation | None = changes.get("organisation")
    if organisation is not None and person.region_id != organisation.region_id:
        person.region_id = organisation.region_id
        changed.append("region")
    if not changed:
        return person
    person.full_clean()
    person.save(update_fields=[*changed, "updated_at"])
    # Equality answers are special-category data: the audit names the fields, not the values.
    audit.record(actor, "person.update_profile", person, {"fields": sorted(changed)}, region=person.region)
    return person


@transaction.atomic
def person_set_region(*, person: Person, region: Region, actor) -> Person:
    person.region = region
    person.save(update_fields=["region", "updated_at"])
    audit.record(actor, "person.set_region", person, {"region": region.name}, region=region)
    return person
