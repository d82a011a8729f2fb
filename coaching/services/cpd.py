"""CPD events, attendance and self-logged hours."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from academy import audit
from academy.models import Region
from academy.services import model_create
from coaching.models import (
    CoachProfile,
    CPDAttendance,
    CPDEvent,
    CPDLog,
)


@transaction.atomic
def cpd_event_create(
    *,
    region: Region,
    title: str,
    starts_at: datetime.datetime,
    duration_hours: Decimal = Decimal(1),
    description: str = "",
    joining_url: str = "",
    actor,
) -> CPDEvent:
    return model_create(
        instance=CPDEvent(
            region=region,
            title=title,
            starts_at=starts_at,
            duration_hours=duration_hours,
            description=description,
            joining_url=joining_url,
        ),
        actor=actor,
        action="cpd.event_create",
        data={"starts_at": starts_at},
    )


@transaction.atomic
def cpd_event_add_recording(*, event: CPDEvent, recording_url: str, actor) -> CPDEvent:
    if event.starts_at > timezone.now():
        raise ValidationError("A recording can be added once the webinar has taken place.")
    event.recording_url = recording_url
    event.full_clean()
    event.save(update_fields=["recording_url"])
    audit.record(actor, "cpd.event_add_recording", event)
    return event


@transaction.atomic
def cpd_attend(
    *, event: CPDEvent, profile: CoachProfile, watched_recording: bool = False, actor
) -> CPDAttendance:
    """A coach records that they attended a webinar, or watched its recording."""
    if event.region_id != profile.region_id:
        raise ValidationError("This webinar is for another region.")
    if event.starts_at > timezone.now():
        raise ValidationError("You can record attendance once the webinar has started.")
    if watched_recording and not event.recording_url:
        raise ValidationError("This webinar has no recording yet.")
    if CPDAttendance.objects.filter(event=event, profile=profile).exists():
        raise ValidationError("You have already recorded this webinar.")
    attendance = CPDAttendance.objects.create(
        event=event, profile=profile, watched_recording=watched_recording
    )
    audit.record(actor, "cpd.attend", event, {"coach": profile.pk, "watched_recording": watched_recording})
    return attendance


@transaction.atomic
def cpd_log(
    *, profile: CoachProfile, done_on: datetime.date, hours: Decimal, activity: str, learning: str = "", actor
) -> CPDLog:
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": "CPD can only be logged once it has happened."})
    return model_create(
        instance=CPDLog(profile=profile, done_on=done_on, hours=hours, activity=activity, learning=learning),
        actor=actor,
        action="cpd.log",
        data={"hours": hours},
        region=profile.region,
    )
