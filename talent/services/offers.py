"""What the pool offers its members: career conversations and the Executive Talent Scheme's
stretch assignments and secondments (interest, shortlisting, placement)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from academy.locking import lock_row
from academy.models import Organisation, Region
from academy.services import model_create, status_move
from talent.models import CareerConversation, Interest, InterestStatus, Opportunity, PoolMember


@transaction.atomic
def conversation_record(
    *,
    member: PoolMember,
    aspirations: str,
    own_readiness: str,
    actor,
    development_needs: str = "",
    share_with_lead: bool = False,
    share_with_board: bool = False,
) -> CareerConversation:
    """The member records their own career conversation and chooses who may read it."""
    if not member.is_active:
        raise ValidationError("You are no longer in the talent pool.")
    return model_create(
        instance=CareerConversation(
            member=member,
            aspirations=aspirations,
            own_readiness=own_readiness,
            development_needs=development_needs,
            share_with_lead=share_with_lead,
            share_with_board=share_with_board,
        ),
        actor=actor,
        action="talent.conversation.record",
        target=member,
        data={"share_with_lead": share_with_lead, "share_with_board": share_with_board},
    )


@transaction.atomic
def opportunity_create(
    *,
    region: Region,
    role: str,
    host: Organisation,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    closes_on: datetime.date,
    actor,
    description: str = "",
    places: int = 1,
) -> Opportunity:
    """Post a stretch assignment or secondment hosted by one of the region's organisations."""
    if host.region_id != region.pk:
        raise ValidationError({"host": "The host must be an organisation in your region."})
    if closes_on < timezone.localdate():
        raise ValidationError({"closes_on": "The closing date has already passed."})
    return model_create(
        instance=Opportunity(
            region=region,
            role=role,
            host=host,
            kind=kind,
            starts_on=starts_on,
            ends_on=ends_on,
            closes_on=closes_on,
            description=description,
            places=places,
        ),
        actor=actor,
        action="talent.opportunity.create",
    )


@transaction.atomic
def interest_express(*, opportunity: Opportunity, member: PoolMember, statement: str, actor) -> Interest:
    """A member's interest: only before the closing date, only once, only for their region's."""
    if not member.is_active or member.region_id != opportunity.region_id:
        raise ValidationError("Only members of this region's talent pool can express interest.")
    if not opportunity.is_open():
        raise ValidationError(f"This opportunity closed on {opportunity.closes_on:%-d %B %Y}.")
    if Interest.objects.filter(opportunity=opportunity, member=member).exists():
        raise ValidationError("You have already expressed interest in this opportunity.")
    if not statement.strip():
        raise ValidationError({"statement": "Say why you are interested."})
    return model_create(
        instance=Interest(opportunity=opportunity, member=member, statement=statement.strip()),
        actor=actor,
        action="talent.interest.express",
        region=opportunity.region,
    )


# The moves the talent lead makes with an interest: where it may come from, and where it goes.
INTEREST_MOVES = {
    "shortlist": (InterestStatus.EXPRESSED, InterestStatus.SHORTLISTED),
    "place": (InterestStatus.SHORTLISTED, InterestStatus.PLACED),
    "decline": (InterestStatus.SHORTLISTED, InterestStatus.NOT_SELECTED),
}


@transaction.atomic
def interest_move(*, interest: Interest, move: str, actor) -> Interest:
    """Shortlist an interest, place a shortlisted member (within the opportunity's places, which are
    locked first), or record that they were not selected."""
    source, target = INTEREST_MOVES[move]
    opportunity = lock_row(Opportunity, interest.opportunity_id)
    if move == "place":
        placed = Interest.objects.filter(opportunity=opportunity, status=InterestStatus.PLACED).count()
        if placed >= opportunity.places:
            raise ValidationError(f"All {opportunity.places} places on this opportunity are filled.")
    interest = status_move(
        instance=interest,
        source=source,
        target=target,
        refusal=f"Only an interest that is {source.label.lower()} can be moved on this way.",
        actor=actor,
        action=f"talent.interest.{move}",
    )
    if move == "place":
        interest.placed_on = timezone.localdate()
        interest.save(update_fields=["placed_on"])
    return interest
