"""Pool membership, readiness decisions, leaving the pool and career movements."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from academy import audit
from academy.locking import lock_row
from academy.models import Organisation, Person, Region, System
from academy.services import model_create, model_update
from talent.models import (
    CareerMovement,
    ExitReason,
    MovementKind,
    MovementTerms,
    PoolMember,
    Readiness,
    ReadinessChange,
    TargetRole,
)


class MembershipRefused(ValidationError):
    pass


def active_membership(person: Person) -> PoolMember | None:
    return PoolMember.objects.active().filter(person=person).first()


@transaction.atomic
def member_add(
    *,
    person: Person,
    region: Region,
    professional_group: str,
    service_type: str,
    entry_route: str,
    readiness: str,
    evidence: str,
    actor,
    decided_on: datetime.date | None = None,
    organisation: Organisation | None = None,
    system: System | None = None,
    current_role: str = "",
    band: str = "",
    target_roles: Iterable[TargetRole] = (),
    joined_on: datetime.date | None = None,
) -> PoolMember:
    """Add a person to the region's pool at a readiness, with the evidence for it. A person already in
    a pool is refused (the database refuses it too, should two additions race)."""
    lock_row(Person, person)
    if active_membership(person) is not None:
        raise MembershipRefused(f"{person.full_name or person.email} is already in the talent pool.")
    decided_on = decided_on or timezone.localdate()
    organisation = organisation or person.organisation
    member = PoolMember(
        person=person,
        region=region,
        organisation=organisation,
        system=system or (organisation.system if organisation else None),
        professional_group=professional_group,
        service_type=service_type,
        entry_route=entry_route,
        current_role=current_role or person.job_title,
        band=band or person.pay_band,
        readiness=readiness,
        readiness_on=decided_on,
        first_ready_now_on=decided_on if readiness == Readiness.READY_NOW else None,
        joined_on=joined_on or decided_on,
    )
    model_create(instance=member, actor=actor, action="talent.member.add", data={"readiness": readiness})
    member.target_roles.set(list(target_roles))
    decision_record(member=member, readiness=readiness, decided_on=decided_on, evidence=evidence, actor=actor)
    return member


def decision_record(
    *, member: PoolMember, readiness: str, decided_on: datetime.date, evidence: str, actor
) -> ReadinessChange:
    """One row of the readiness history (inside the caller's transaction)."""
    if not (evidence or "").strip():
        raise ValidationError({"evidence": "Say what the readiness decision is based on."})
    change = ReadinessChange(
        member=member,
        readiness=readiness,
        decided_on=decided_on,
        decided_by=actor if getattr(actor, "is_authenticated", False) else None,
        evidence=evidence.strip(),
    )
    change.full_clean()
    change.save()
    return change


@transaction.atomic
def readiness_change(
    *, member: PoolMember, readiness: str, evidence: str, actor, decided_on: datetime.date | None = None
) -> ReadinessChange:
    """Record a new readiness decision with its evidence. Refused without evidence, for a member who
    has left the pool, for a date in the future or before the latest decision."""
    member = lock_row(PoolMember, member)
    if not member.is_active:
        raise ValidationError("This person has left the talent pool; their readiness can no longer change.")
    if readiness not in Readiness.values:
        raise ValidationError({"readiness": "Choose a readiness."})
    decided_on = decided_on or timezone.localdate()
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": "A readiness decision cannot be dated in the future."})
    if decided_on < member.readiness_on:
        raise ValidationError(
            {
                "decided_on": f"The latest decision is dated {member.readiness_on:%-d %B %Y}; date this one later."
            }
        )
    change = decision_record(
        member=member, readiness=readiness, decided_on=decided_on, evidence=evidence, actor=actor
    )
    before = member.readiness
    member.readiness, member.readiness_on = readiness, decided_on
    if readiness == Readiness.READY_NOW and member.first_ready_now_on is None:
        member.first_ready_now_on = decided_on
    member.save(update_fields=["readiness", "readiness_on", "first_ready_now_on", "updated_at"])
    audit.record(actor, "talent.readiness.change", member, {"from": before, "to": readiness})
    return change


@transaction.atomic
def member_exit(
    *, member: PoolMember, reason: str, actor, exited_on: datetime.date | None = None
) -> PoolMember:
    """End a membership with a reason; its history stays."""
    member = lock_row(PoolMember, member)
    if not member.is_active:
        raise ValidationError("This person has already left the talent pool.")
    if reason not in ExitReason.values:
        raise ValidationError({"reason": "Choose why the person is leaving the pool."})
    member.exited_on = exited_on or timezone.localdate()
    member.exit_reason = reason
    member.full_clean()
    member.save(update_fields=["exited_on", "exit_reason", "updated_at"])
    audit.record(actor, "talent.member.exit", member, {"reason": reason})
    return member


@transaction.atomic
def member_set_board_consent(*, member: PoolMember, board_consent: bool, actor) -> PoolMember:
    """The member's own choice whether their system's talent board may see their record."""
    member, _ = model_update(
        instance=member,
        fields=["board_consent"],
        data={"board_consent": board_consent},
        actor=actor,
        action="talent.member.board_consent",
    )
    return member


@transaction.atomic
def target_role_add(*, region: Region, name: str, actor) -> TargetRole:
    """A role the region's lead adds to the board roles members may aim for."""
    name = name.strip()
    if TargetRole.objects.filter(name__iexact=name, region__isnull=True).exists() or (
        TargetRole.objects.filter(name__iexact=name, region=region).exists()
    ):
        raise ValidationError({"name": f"“{name}” is already a target role."})
    return model_create(
        instance=TargetRole(name=name, region=region),
        actor=actor,
        action="talent.target_role.add",
        region=region,
    )


@transaction.atomic
def movement_record(
    *,
    member: PoolMember,
    role: str,
    organisation: Organisation,
    moved_on: datetime.date,
    kind: str,
    actor,
    terms: str = MovementTerms.SUBSTANTIVE,
    board_level: bool = False,
) -> CareerMovement:
    """Record an appointment or promotion. A substantive board-level appointment means the member
    was appointed from the pool: their membership ends with the reason "appointed"."""
    member = lock_row(PoolMember, member)
    if moved_on > timezone.localdate() + datetime.timedelta(days=366):
        raise ValidationError({"moved_on": "A movement more than a year ahead cannot be recorded yet."})
    if CareerMovement.objects.filter(
        member=member, role=role, organisation=organisation, moved_on=moved_on
    ).exists():
        raise ValidationError("This movement is already recorded.")
    movement = model_create(
        instance=CareerMovement(
            member=member,
            role=role,
            organisation=organisation,
            moved_on=moved_on,
            kind=kind,
            terms=terms,
            board_level=board_level,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        ),
        actor=actor,
        action="talent.movement.record",
        target=member,
        data={"kind": kind, "board_level": board_level},
    )
    appointed = kind == MovementKind.APPOINTMENT and board_level and terms == MovementTerms.SUBSTANTIVE
    if appointed and member.is_active and moved_on <= timezone.localdate():
        member_exit(
            member=member, reason=ExitReason.APPOINTED, actor=actor, exited_on=max(moved_on, member.joined_on)
        )
    return movement
