"""Talent boards: seats granted to board members, critical roles, successor slates, and the systems'
senior workforce figures."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from academy import audit
from academy.models import Organisation, Role, System
from academy.services import model_create, role_grant
from talent.models import BoardSeat, CriticalRole, PoolMember, SeniorWorkforce, SlateEntry, TargetRole


@transaction.atomic
def board_seat_grant(*, user, system: System, actor) -> BoardSeat:
    """Give a user a seat on a system's talent board (the grant is what scopes what they see), and the
    talent board role for the system's region if they do not hold it yet (refused if they hold it for
    another region)."""
    if BoardSeat.objects.filter(user=user, system=system).exists():
        raise ValidationError(f"{user.email} already sits on {system}'s talent board.")
    region = system.sub_region.region
    role_grant(user=user, role=Role.TALENT_BOARD, region=region, actor=actor)
    return model_create(
        instance=BoardSeat(
            user=user, system=system, granted_by=actor if getattr(actor, "is_authenticated", False) else None
        ),
        actor=actor,
        action="talent.board_seat.grant",
        data={"system": system.name},
        region=region,
    )


@transaction.atomic
def critical_role_create(
    *,
    organisation: Organisation,
    target_role: TargetRole,
    actor,
    incumbent_leaving_on: datetime.date | None = None,
) -> CriticalRole:
    if organisation.system_id is None:
        raise ValidationError({"organisation": "A critical role belongs to an organisation of a system."})
    if CriticalRole.objects.filter(organisation=organisation, target_role=target_role).exists():
        raise ValidationError(f"{target_role} at {organisation} is already a critical role.")
    return model_create(
        instance=CriticalRole(
            system_id=organisation.system_id,
            organisation=organisation,
            target_role=target_role,
            incumbent_leaving_on=incumbent_leaving_on,
        ),
        actor=actor,
        action="talent.critical_role.create",
        region=organisation.region,
    )


@transaction.atomic
def slate_add(*, critical_role: CriticalRole, member: PoolMember, actor) -> SlateEntry:
    """Name a pool member as a successor: an active member of the same region."""
    if not member.is_active:
        raise ValidationError("Only a member still in the pool can be named as a successor.")
    if member.region_id != critical_role.organisation.region_id:
        raise ValidationError("The successor must be in this region's talent pool.")
    if SlateEntry.objects.filter(critical_role=critical_role, member=member).exists():
        raise ValidationError(f"{member.person.full_name} is already on this slate.")
    return model_create(
        instance=SlateEntry(critical_role=critical_role, member=member),
        actor=actor,
        action="talent.slate.add",
        target=critical_role,
        data={"member": member.pk},
        region=critical_role.organisation.region,
    )


@transaction.atomic
def slate_remove(*, entry: SlateEntry, actor) -> None:
    role = entry.critical_role
    member_pk = entry.member_id
    entry.delete()
    audit.record(actor, "talent.slate.remove", role, {"member": member_pk}, region=role.organisation.region)


@transaction.atomic
def senior_workforce_record(*, system: System, as_of: datetime.date, actor, **counts: int) -> SeniorWorkforce:
    """Enter (or replace) a system's senior workforce figures on a date."""
    figures, created = SeniorWorkforce.objects.get_or_create(system=system, as_of=as_of, defaults=counts)
    if not created:
        for name, value in counts.items():
            setattr(figures, name, value)
        figures.full_clean()
        figures.save(update_fields=list(counts))
    audit.record(
        actor,
        "talent.senior_workforce.record",
        figures,
        {"as_of": as_of, **counts},
        region=system.sub_region.region,
    )
    return figures
