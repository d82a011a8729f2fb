"""Writes for the Graduate Management Training Scheme: intakes and frameworks, trainees, host bids and
their assurance, placements through their states, competency sign-off, feedback, reminders and the
quotes leads choose. Every function is keyword-only, atomic, validated and audited.

A bid's approved places never oversell and a trainee's placements never overlap: confirming (or
withdrawing) a placement first locks the bid's row (`academy.locking`), then the placement's, so
managers confirming at once queue behind each other and each sees the count the previous one left;
the dates are guarded by PostgreSQL's exclusion constraint (`gmts_placement_no_overlap`), whose
refusal under a race is turned into the same plain-English refusal as the form check's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from academy import audit
from academy.background import enqueue
from academy.imports import ImportRow, Preview
from academy.imports.writing import check_and_write, write_rows, write_run
from academy.locking import lock_row
from academy.models import ImportRun, Organisation, Person, Region, User
from academy.services import model_create, model_update, status_move
from gmts import imports
from gmts.models import (
    CONFIRMED_STATES,
    LEAVING,
    NEEDS_REASON,
    UNDER_WAY,
    BidStatus,
    CompetencySignOff,
    FeedbackStage,
    HostBid,
    Intake,
    Placement,
    PlacementFeedback,
    PlacementStatus,
    SchemeQuote,
    Specialism,
    Trainee,
    TraineeStatus,
)

PLACEMENT_EMAIL = "gmts.tasks.send_placement_email"
REMINDER_EMAIL = "gmts.tasks.send_reminder_email"
REMINDER_WEEKS = (2, 4, 8, 12)  # weeks before a start with no confirmed placement
OVERLAP = "The trainee already has a placement on some of these dates."


def _region(trainee: Trainee) -> Region:
    return Region(pk=trainee.intake.region_id)


# --- the scheme's shape ----------------------------------------------------------------------------


@transaction.atomic
def intake_create(*, region: Region, year: int, season: str, actor) -> Intake:
    if Intake.objects.filter(region=region, year=year, season=season).exists():
        raise ValidationError("That intake already exists.")
    return model_create(
        instance=Intake(region=region, year=year, season=season), actor=actor, action="gmts.intake.create"
    )


def _clean_competencies(competencies: Iterable[str]) -> list[str]:
    names, seen = [], set()
    for name in (c.strip() for c in competencies):
        if name and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names


@transaction.atomic
def specialism_set_competencies(*, specialism: Specialism, competencies: Iterable[str], actor) -> Specialism:
    """Replace the specialism's framework (blank and repeated lines dropped). Competencies already
    signed off stay on the trainees' records even if a name leaves the list."""
    names = _clean_competencies(competencies)
    if not names:
        raise ValidationError("A framework needs at least one competency.")
    model_update(
        instance=specialism,
        fields=["competencies"],
        data={"competencies": names},
        actor=actor,
        action="gmts.specialism.competencies",
    )
    return specialism


# --- trainees ---------------------------------------------------------------------------------------


@transaction.atomic
def trainee_create(
    *,
    person: Person,
    intake: Intake,
    specialism: Specialism,
    actor,
    programme_manager: Person | None = None,
    status: str = TraineeStatus.ACTIVE,
    status_reason: str = "",
) -> Trainee:
    if Trainee.objects.filter(person=person).exists():
        raise ValidationError(f"{person} is already on the scheme.")
    trainee = Trainee(
        person=person,
        intake=intake,
        specialism=specialism,
        programme_manager=programme_manager,
        status=status,
        status_reason=status_reason,
    )
    trainee.fill_ends_on()
    if status in LEAVING:
        trainee.left_on = min(timezone.localdate(), trainee.ends_on)
    return model_create(
        instance=trainee,
        actor=actor,
        action="gmts.trainee.create",
        data={"intake": intake.label, "specialism": specialism.name},
        region=_region(trainee),
    )


INVITATION_EMAIL = "gmts.tasks.send_invitation_email"


@transaction.atomic
def trainee_add(
    *,
    region: Region,
    email: str,
    intake: Intake,
    specialism: Specialism,
    actor,
    first_name: str = "",
    last_name: str = "",
    programme_manager: Person | None = None,
) -> Trainee:
    """Add one trainee to an intake of `region`: the person with this email, or someone new to Academy
    (with their name), who is created and sent an invitation to set a password once this commits."""
    if intake.region_id != region.pk:
        raise ValidationError({"intake": "Choose an intake of your region."})
    email = email.strip().lower()
    person = Person.objects.select_related("user").filter(user__email__iexact=email).first()
    invite = person is None
    if invite:
        first_name, last_name = first_name.strip(), last_name.strip()
        if not (first_name and last_name):
            raise ValidationError(
                {"first_name": f"No one on Academy has the email {email}: give their first and last name."}
            )
        user = User.objects.create_user(email=email, first_name=first_name, last_name=last_name)
        person = Person(
            user=user,
            given_name=first_name,
            family_name=last_name,
            job_title="Graduate Management Trainee",
            region=region,
        )
        person.full_clean(exclude=["user"])
        person.save()
        audit.record(actor, "person.create", person, {"scheme": "gmts", "invited": True}, region=region)
    trainee = trainee_create(
        person=person, intake=intake, specialism=specialism, programme_manager=programme_manager, actor=actor
    )
    if invite:
        enqueue(INVITATION_EMAIL, trainee.pk)
    return trainee


@transaction.atomic
def trainee_set_status(
    *, trainee: Trainee, status: str, reason: str = "", actor, on: dt.date | None = None
) -> Trainee:
    """Active, on a break, completed or withdrawn. A break or a withdrawal needs a reason; leaving the
    scheme records the day (`left_on`), and withdrawing also withdraws the placements not yet begun."""
    reason = reason.strip()
    if status in NEEDS_REASON and not reason:
        raise ValidationError({"reason": "Give the reason for the break or the withdrawal."})
    trainee = lock_row(Trainee, trainee, related=["intake"])
    left_on = (on or timezone.localdate()) if status in LEAVING else None
    model_update(
        instance=trainee,
        fields=["status", "status_reason", "left_on"],
        data={"status": status, "status_reason": reason, "left_on": left_on},
        actor=actor,
        action="gmts.trainee.status",
        region=_region(trainee),
    )
    if status == TraineeStatus.WITHDRAWN:
        for placement in trainee.placements.exclude(status__in=[*UNDER_WAY, PlacementStatus.WITHDRAWN]):
            placement_withdraw(placement=placement, reason="The trainee left the scheme.", actor=actor)
    return trainee


# --- host bids --------------------------------------------------------------------------------------


@transaction.atomic
def bid_submit(
    *,
    intake: Intake,
    lead_organisation: Organisation,
    kind: str,
    places_requested: int,
    programme_manager: Person,
    placement_manager: Person,
    funding_commitment: str,
    actor,
    partners: Iterable[Organisation] = (),
) -> HostBid:
    partners = [p for p in partners if p.pk != lead_organisation.pk]
    if lead_organisation.region_id != intake.region_id or any(
        p.region_id != intake.region_id for p in partners
    ):
        raise ValidationError("Host organisations must be in the intake's region.")
    bid = model_create(
        instance=HostBid(
            intake=intake,
            lead_organisation=lead_organisation,
            kind=kind,
            places_requested=places_requested,
            programme_manager=programme_manager,
            placement_manager=placement_manager,
            funding_commitment=funding_commitment,
        ),
        actor=actor,
        action="gmts.bid.submit",
        data={"places_requested": places_requested, "kind": kind},
        region=Region(pk=intake.region_id),
    )
    bid.partners.set(partners)
    return bid


@transaction.atomic
def bid_assure(
    *, bid: HostBid, approve: bool, reason: str, actor, places_approved: int | None = None
) -> HostBid:
    """The GMTS team's assurance: approve up to the places requested, or decline; with reasons either
    way. A bid is assured once."""
    bid = lock_row(HostBid, bid)
    if bid.status != BidStatus.SUBMITTED:
        raise ValidationError(f"This bid has already been assured ({bid.get_status_display().lower()}).")
    if not reason.strip():
        raise ValidationError({"reason": "Give the reasons for the decision."})
    places = (bid.places_requested if places_approved is None else places_approved) if approve else 0
    if approve and not 1 <= places <= bid.places_requested:
        raise ValidationError(
            {"places_approved": f"Approve between 1 and the {bid.places_requested} places requested."}
        )
    bid.status = BidStatus.APPROVED if approve else BidStatus.DECLINED
    bid.places_approved = places
    bid.decision_reason = reason.strip()
    bid.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    bid.decided_at = timezone.now()
    bid.full_clean()
    bid.save(
        update_fields=[
            "status",
            "places_approved",
            "decision_reason",
            "decided_by",
            "decided_at",
            "updated_at",
        ]
    )
    audit.record(
        actor,
        f"gmts.bid.{bid.status}",
        bid,
        {"places_approved": places},
        region=Region(pk=bid.intake.region_id),
    )
    return bid


def _recount(bid: HostBid) -> None:
    """Places held on the bid: its placements the host has confirmed. Called under the bid's lock."""
    taken = bid.placements.filter(status__in=CONFIRMED_STATES).count()
    if taken != bid.places_taken:
        bid.places_taken = taken
        bid.save(update_fields=["places_taken", "updated_at"])


# --- placements -------------------------------------------------------------------------------------


@transaction.atomic
def placement_propose(
    *,
    trainee: Trainee,
    kind: str,
    starts_on: dt.date,
    ends_on: dt.date,
    actor,
    bid: HostBid | None = None,
    host: Organisation | None = None,
    placement_manager: Person | None = None,
    status: str = PlacementStatus.PROPOSED,
) -> Placement:
    """Propose a placement for a trainee, on an approved bid of their intake (the host is the bid's
    lead or a partner; the manager the bid's, unless named) or, for a record brought from elsewhere,
    at a named host. The dates must not overlap the trainee's other placements."""
    held = bid is not None and status in CONFIRMED_STATES  # a confirmed record takes a place at once
    if held:
        bid = lock_row(HostBid, bid)  # the bid first, as placement_confirm does
        _recount(bid)
        if bid.places_taken >= bid.places_approved:
            raise ValidationError("All the places this bid approved are taken.")
    trainee = lock_row(Trainee, trainee, related=["intake", "specialism"])
    if trainee.status in LEAVING:
        raise ValidationError(f"{trainee} has left the scheme.")
    if bid is not None:
        if bid.status != BidStatus.APPROVED:
            raise ValidationError("Placements can only be made on an approved bid.")
        if bid.intake.region_id != trainee.intake.region_id:
            raise ValidationError("That bid is for another region.")
        hosts = {bid.lead_organisation_id, *bid.partners.values_list("pk", flat=True)}
        host = host or bid.lead_organisation
        if host.pk not in hosts:
            raise ValidationError(
                {"host": "The host must be the bid's lead organisation or one of its partners."}
            )
        placement_manager = placement_manager or bid.placement_manager
    if host is None:
        raise ValidationError({"host": "Name the host organisation."})
    if kind == "principal" and not trainee.specialism.has_principal_placement:
        raise ValidationError({"kind": f"{trainee.specialism} has no principal placement."})
    placement = Placement(
        trainee=trainee,
        bid=bid,
        host=host,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        placement_manager=placement_manager,
        status=status,
    )
    try:
        with transaction.atomic():
            model_create(
                instance=placement,
                actor=actor,
                action="gmts.placement.propose",
                data={"host": host.name, "starts_on": starts_on, "ends_on": ends_on, "kind": kind},
                region=_region(trainee),
            )
    except IntegrityError as exc:  # the exclusion constraint, when another write won the race
        raise ValidationError(OVERLAP) from exc
    if held:
        _recount(bid)
    return placement


@transaction.atomic
def placement_confirm(*, placement: Placement, actor) -> Placement:
    """The host confirms: the placement takes one of the bid's approved places (refused when none is
    left) and the trainee's programme manager is told."""
    if placement.bid_id:
        bid = lock_row(HostBid, placement.bid_id)
        _recount(bid)
        if bid.places_taken >= bid.places_approved:
            raise ValidationError(
                f"All {bid.places_approved} places approved on {bid.lead_organisation}'s bid are confirmed."
            )
    placement = status_move(
        instance=placement,
        source=PlacementStatus.PROPOSED,
        target=PlacementStatus.CONFIRMED,
        refusal="Only a proposed placement can be confirmed.",
        actor=actor,
        action="gmts.placement.confirm",
    )
    placement.confirmed_by = actor if getattr(actor, "is_authenticated", False) else None
    placement.confirmed_at = timezone.now()
    placement.save(update_fields=["confirmed_by", "confirmed_at", "updated_at"])
    if placement.bid_id:
        _recount(bid)
    enqueue(PLACEMENT_EMAIL, placement.pk, "confirmed")
    return placement


@transaction.atomic
def placement_notify_trainee(*, placement: Placement, actor) -> Placement:
    placement = status_move(
        instance=placement,
        source=PlacementStatus.CONFIRMED,
        target=PlacementStatus.NOTIFIED,
        refusal="Only a confirmed placement can be sent to the trainee.",
        actor=actor,
        action="gmts.placement.notify",
    )
    enqueue(PLACEMENT_EMAIL, placement.pk, "notified")
    return placement


@transaction.atomic
def placement_withdraw(*, placement: Placement, reason: str, actor) -> Placement:
    """Withdraw a placement not yet completed, freeing its place on the bid and its dates."""
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for withdrawing the placement."})
    bid = lock_row(HostBid, placement.bid_id) if placement.bid_id else None
    placement = lock_row(Placement, placement)
    if placement.status in (PlacementStatus.COMPLETED, PlacementStatus.WITHDRAWN):
        raise ValidationError(f"This placement is {placement.get_status_display().lower()}.")
    placement.status = PlacementStatus.WITHDRAWN
    placement.status_reason = reason.strip()
    placement.save(update_fields=["status", "status_reason", "updated_at"])
    audit.record(actor, "gmts.placement.withdraw", placement, {"reason": placement.status_reason})
    if bid is not None:
        _recount(bid)
    return placement


@transaction.atomic
def placements_move_on(*, today: dt.date | None = None) -> tuple[int, int]:
    """The daily step: confirmed or notified placements whose start has come are started; started
    ones whose end has passed are completed. Returns (started, completed). Each is one conditional
    UPDATE, so a second run the same day changes nothing."""
    today = today or timezone.localdate()
    due = Placement.objects.filter(
        status__in=(PlacementStatus.CONFIRMED, PlacementStatus.NOTIFIED), starts_on__lte=today
    )
    started = dict(due.values_list("pk", "trainee__intake__region_id"))
    due.filter(pk__in=started).update(status=PlacementStatus.STARTED, updated_at=timezone.now())
    ended = Placement.objects.filter(status=PlacementStatus.STARTED, ends_on__lt=today)
    completed = dict(ended.values_list("pk", "trainee__intake__region_id"))
    ended.filter(pk__in=completed).update(status=PlacementStatus.COMPLETED, updated_at=timezone.now())
    # One entry per region, so each region's audit log shows its own placements moving on.
    for region_id in sorted({*started.values(), *completed.values()}):
        audit.record(
            None,
            "gmts.placements.move_on",
            None,
            {
                "started": [pk for pk, region in started.items() if region == region_id],
                "completed": [pk for pk, region in completed.items() if region == region_id],
            },
            region=Region(pk=region_id),
        )
    return len(started), len(completed)


# --- competencies and feedback ----------------------------------------------------------------------


@transaction.atomic
def competency_sign_off(
    *, placement: Placement, competency: str, note: str, actor, evidence=None
) -> CompetencySignOff:
    """The placement manager signs off one competency of the trainee's framework, once, during a
    placement that has started."""
    placement = lock_row(Placement, placement, related=["trainee__specialism", "trainee__intake"])
    trainee = placement.trainee
    if placement.status not in UNDER_WAY or placement.starts_on > timezone.localdate():
        raise ValidationError("Competencies can only be signed off once the placement has started.")
    if competency not in trainee.specialism.competencies:
        raise ValidationError(
            {"competency": f"That is not a competency of the {trainee.specialism} framework."}
        )
    if not note.strip():
        raise ValidationError({"note": "Say what the trainee did to show the competency."})
    if trainee.sign_offs.filter(competency=competency).exists():
        raise ValidationError({"competency": "That competency is already signed off."})
    return model_create(
        instance=CompetencySignOff(
            trainee=trainee,
            placement=placement,
            competency=competency,
            note=note.strip(),
            evidence=evidence or "",
            signed_off_by=actor if getattr(actor, "is_authenticated", False) else None,
        ),
        actor=actor,
        action="gmts.competency.sign_off",
        data={"competency": competency},
        region=_region(trainee),
    )


@transaction.atomic
def feedback_give(
    *, placement: Placement, stage: str, rating: int, actor, comment: str = ""
) -> PlacementFeedback:
    placement = lock_row(Placement, placement, related=["trainee__intake"])
    if not placement.feedback_open(stage):
        raise ValidationError(f"{FeedbackStage(stage).label} feedback on this placement is not open yet.")
    if placement.feedback.filter(stage=stage).exists():
        raise ValidationError(f"You have already given {FeedbackStage(stage).label.lower()} feedback.")
    return model_create(
        instance=PlacementFeedback(placement=placement, stage=stage, rating=rating, comment=comment.strip()),
        actor=actor,
        action="gmts.feedback.give",
        target=placement,
        data={"stage": stage},  # the rating is not in the audit: feedback is only read in aggregate
        region=_region(placement.trainee),
    )


# --- reminders --------------------------------------------------------------------------------------


def reminder_threshold(weeks_left: float) -> int | None:
    """The reminder due `weeks_left` weeks before a start: the smallest of 2, 4, 8, 12 not below it."""
    for weeks in REMINDER_WEEKS:
        if weeks_left <= weeks:
            return weeks
    return None


def reminder_claim(*, trainee_id: int, start: dt.date, weeks: int) -> bool:
    """Claim the `weeks` reminder for this start: one conditional UPDATE, true only for the first
    claim, so a second or overlapping run sends nothing."""
    claimed = (
        Trainee.objects.filter(pk=trainee_id)
        .filter(
            Q(reminder_start__isnull=True)
            | ~Q(reminder_start=start)
            | Q(reminder_weeks__isnull=True)
            | Q(reminder_weeks__gt=weeks)
        )
        .update(reminder_start=start, reminder_weeks=weeks)
    )
    return bool(claimed)


@transaction.atomic
def reminders_send_due(*, today: dt.date | None = None) -> int:
    """Every active trainee whose next start (their intake's, or the day after their current placement
    ends) is 12 weeks away or less with no confirmed placement: the programme manager is emailed at 12,
    8, 4 and 2 weeks, each threshold claimed once."""
    today = today or timezone.localdate()
    due = (
        Trainee.objects.filter(status=TraineeStatus.ACTIVE, programme_manager__isnull=False)
        .with_placement_outlook(today)
        .filter(
            next_start__isnull=False,
            next_start_confirmed=False,
            next_start__lte=today + dt.timedelta(weeks=12),
        )
        .select_related("person", "intake")
    )
    sent = 0
    for trainee in due:
        start = trainee.next_start
        weeks = reminder_threshold(max((start - today).days, 0) / 7)
        if weeks and reminder_claim(trainee_id=trainee.pk, start=start, weeks=weeks):
            audit.record(
                None,
                "gmts.reminder.claim",
                trainee,
                {"start": start, "weeks": weeks},
                region=_region(trainee),
            )
            enqueue(REMINDER_EMAIL, trainee.pk, weeks)
            sent += 1
    return sent


# --- quotes -----------------------------------------------------------------------------------------


@transaction.atomic
def quote_choose(*, quote: SchemeQuote, chosen: bool, actor) -> SchemeQuote:
    """A lead chooses (or drops) a quote for the Year in Review."""
    model_update(
        instance=quote,
        fields=["chosen_at", "chosen_by"],
        data={
            "chosen_at": timezone.now() if chosen else None,
            "chosen_by": actor if chosen and getattr(actor, "is_authenticated", False) else None,
        },
        actor=actor,
        action="gmts.quote.choose" if chosen else "gmts.quote.drop",
    )
    return quote


# --- imports ----------------------------------------------------------------------------------------


def trainees_import(
    *, region: Region, content: bytes, actor, filename: str = "", commit: bool = False
) -> Preview:
    """Check a file of trainees against the region (the preview); with `commit`, add every trainee in
    a clean file (people new to Academy are created), or none: the preview then names every row the
    services refused."""
    return check_and_write(
        imports.read_trainees,
        trainees_import_write,
        region=region,
        content=content,
        actor=actor,
        filename=filename,
        commit=commit,
    )


def trainees_import_write(*, region: Region, rows: list[ImportRow], actor) -> list[Trainee]:
    """Add every trainee in the checked rows, or none (`RowsRefused` names every row refused)."""

    def write(row: ImportRow) -> Trainee:
        return trainee_create(
            person=row["person"] or _person_from_import(row, region, actor),
            intake=row["intake"],
            specialism=row["specialism"],
            programme_manager=row["programme_manager"],
            status=row["status"],
            status_reason=row["status_reason"],
            actor=actor,
        )

    return write_rows(rows, write, actor=actor, region=region, action="gmts.trainees.import", noun="trainees")


def trainees_import_commit(*, run: ImportRun, progress: Callable[[int, str], None]) -> str:
    """Write an uploaded file of trainees kept by `academy.imports.pages` (its target is the region)."""
    preview = write_run(
        run, progress, read=imports.read_trainees, write=trainees_import_write, doing="Adding"
    )
    return f"{preview.counted()} {'has' if preview.count == 1 else 'have'} been added to the scheme."


def placements_import(
    *, region: Region, content: bytes, actor, filename: str = "", commit: bool = False
) -> Preview:
    """Check a file of placements against the region (the preview); with `commit`, record every
    placement in a clean file (at the named host, in the named status), or none."""
    return check_and_write(
        imports.read_placements,
        placements_import_write,
        region=region,
        content=content,
        actor=actor,
        filename=filename,
        commit=commit,
    )


def placements_import_write(*, region: Region, rows: list[ImportRow], actor) -> list[Placement]:
    """Record every placement in the checked rows, or none (`RowsRefused` names every row refused)."""

    def write(row: ImportRow) -> Placement:
        return placement_propose(
            trainee=row["trainee"],
            host=row["host_organisation"],
            kind=row["kind"],
            starts_on=row["start"],
            ends_on=row["end"],
            placement_manager=row["placement_manager"],
            status=row["status"],
            actor=actor,
        )

    return write_rows(
        rows, write, actor=actor, region=region, action="gmts.placements.import", noun="placements"
    )


def placements_import_commit(*, run: ImportRun, progress: Callable[[int, str], None]) -> str:
    """Write an uploaded file of placements kept by `academy.imports.pages` (its target is the region)."""
    preview = write_run(
        run, progress, read=imports.read_placements, write=placements_import_write, doing="Recording"
    )
    return f"{preview.counted()} {'has' if preview.count == 1 else 'have'} been recorded."


def _person_from_import(row: ImportRow, region: Region, actor) -> Person:
    user = User.objects.create_user(
        email=row["email"], first_name=row["first_name"], last_name=row["last_name"]
    )
    person = Person(
        user=user,
        given_name=row["first_name"],
        family_name=row["last_name"],
        job_title="Graduate Management Trainee",
        region=region,
        gender=row["gender"],
        ethnic_category=row["ethnic_category"],
    )
    person.full_clean(exclude=["user"])
    person.save()
    audit.record(actor, "person.create_from_import", person, {"scheme": "gmts"}, region=region)
    return person
