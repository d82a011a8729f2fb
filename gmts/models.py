"""The Graduate Management Training Scheme: intakes, specialisms and their competency frameworks,
trainees, host organisations' bids, placements, competency sign-offs, placement feedback and the
quotes leads choose for the Year in Review."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateRangeField, RangeBoundary, RangeOperators
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Exists, F, Func, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from academy.models import Organisation, Person, Region


class Season(models.TextChoices):
    MARCH = "march", "March"
    SEPTEMBER = "september", "September"


SEASON_MONTH = {Season.MARCH: 3, Season.SEPTEMBER: 9}


class Intake(models.Model):
    """One start of the scheme in a region: the March or September intake of a year, e.g. "March 2021".
    Trainees of an intake start on `starts_on` (the first day of its month)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="gmts_intakes")
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    season = models.CharField(max_length=10, choices=Season.choices)
    # Kept by PostgreSQL itself (a stored generated column): the first day of the intake's month.
    starts_on = models.GeneratedField(
        expression=Func(
            "year",
            Case(When(season=Season.MARCH, then=Value(3)), default=Value(9)),
            Value(1),
            function="make_date",
        ),
        output_field=models.DateField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "season"], name="gmts_intake_unique"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{Season(self.season).label} {self.year}"


class Specialism(models.Model):
    """A route through the scheme (General Management, Finance, ...), its length and its competency
    framework: the list of competencies a trainee has signed off by the end. Finance has a principal
    placement and runs longer."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    length_months = models.PositiveSmallIntegerField(
        default=24, validators=[MinValueValidator(6), MaxValueValidator(48)]
    )
    has_principal_placement = models.BooleanField(default=False)
    competencies = ArrayField(models.CharField(max_length=200), default=list, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TraineeStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ON_BREAK = "on_break", "On a break"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


TRAINEE_STATUS_TAGS = {
    TraineeStatus.ACTIVE: "nhsuk-tag--green",
    TraineeStatus.ON_BREAK: "nhsuk-tag--yellow",
    TraineeStatus.COMPLETED: "nhsuk-tag--white",
    TraineeStatus.WITHDRAWN: "nhsuk-tag--grey",
}
# Statuses that end the time on the scheme (recorded in `left_on`), and those that need a reason.
LEAVING = (TraineeStatus.COMPLETED, TraineeStatus.WITHDRAWN)
NEEDS_REASON = (TraineeStatus.ON_BREAK, TraineeStatus.WITHDRAWN)


class TraineeQuerySet(models.QuerySet):
    def on_scheme(self) -> TraineeQuerySet:
        """Trainees still on the scheme: active or on a break."""
        return self.filter(status__in=(TraineeStatus.ACTIVE, TraineeStatus.ON_BREAK))

    def supported_between(self, start: dt.date, end: dt.date) -> TraineeQuerySet:
        """Trainees on the scheme at some time in [start, end]: started by its end, and neither left
        nor due to finish before its start."""
        return self.filter(intake__starts_on__lte=end).filter(
            Q(left_on__gte=start) | Q(left_on__isnull=True, ends_on__gte=start)
        )

    def with_placement_outlook(self, today: dt.date) -> TraineeQuerySet:
        """Annotate each trainee's current placement (`current_ends_on`, `current_host_id`), their next
        start (`next_start`: their intake's start if it is still to come, else the day after their
        current placement ends, unless that is the end of the scheme) and whether a confirmed placement
        runs on or after it (`next_start_confirmed`)."""

        confirmed = Placement.objects.filter(trainee=OuterRef("pk"), status__in=CONFIRMED_STATES)
        current = confirmed.filter(starts_on__lte=today, ends_on__gte=today).order_by("starts_on")
        return (
            self.annotate(
                current_ends_on=Subquery(current.values("ends_on")[:1]),
                current_host_id=Subquery(current.values("host_id")[:1]),
            )
            .annotate(
                next_start=Case(
                    When(intake__starts_on__gt=today, then=F("intake__starts_on")),
                    When(
                        current_ends_on__lt=F("ends_on"),
                        then=Cast(F("current_ends_on") + dt.timedelta(days=1), models.DateField()),
                    ),
                    default=None,
                    output_field=models.DateField(),
                )
            )
            .annotate(next_start_confirmed=Exists(confirmed.filter(ends_on__gte=OuterRef("next_start"))))
        )


class Trainee(models.Model):
    """A person on the scheme: their intake, specialism, status and programme manager. `ends_on` is
    when the scheme is due to end (the intake's start plus the specialism's length); `left_on` the day
    they completed or withdrew. The reminder fields record the last reminder claimed for a start with no
    confirmed placement, so each of 12, 8, 4 and 2 weeks is sent once."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="gmts_trainee")
    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="trainees")
    specialism = models.ForeignKey(Specialism, on_delete=models.PROTECT, related_name="trainees")
    status = models.CharField(max_length=20, choices=TraineeStatus.choices, default=TraineeStatus.ACTIVE)
    status_reason = models.CharField(max_length=300, blank=True)
    programme_manager = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="gmts_programme_trainees", null=True, blank=True
    )
    ends_on = models.DateField(editable=False)
    left_on = models.DateField(null=True, blank=True)
    reminder_start = models.DateField(null=True, blank=True, editable=False)
    reminder_weeks = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TraineeQuerySet.as_manager()

    class Meta:
        ordering = ["person__family_name", "person__given_name"]
        indexes = [
            models.Index(fields=["intake", "specialism", "status"], name="gmts_trainee_intake_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=NEEDS_REASON) | ~Q(status_reason=""),
                name="gmts_trainee_reason_when_break_or_withdrawn",
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)

    @property
    def status_tag_class(self) -> str:
        return TRAINEE_STATUS_TAGS.get(self.status, "nhsuk-tag--grey")

    def fill_ends_on(self) -> None:
        self.ends_on = (
            self.intake.starts_on + relativedelta(months=self.specialism.length_months) - dt.timedelta(days=1)
        )


class PlacementKind(models.TextChoices):
    FIRST = "first", "First placement"
    FLEXI = "flexi", "Flexi placement"
    FINAL = "final", "Final placement"
    PRINCIPAL = "principal", "Principal placement"


class BidStatus(models.TextChoices):
    SUBMITTED = "submitted", "Awaiting assurance"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


BID_STATUS_TAGS = {
    BidStatus.SUBMITTED: "nhsuk-tag--orange",
    BidStatus.APPROVED: "nhsuk-tag--green",
    BidStatus.DECLINED: "nhsuk-tag--grey",
}


class HostBid(models.Model):
    """An organisation's bid (with its partners) to host `places_requested` placements of one kind for
    an intake. The GMTS team assures it: approved (with `places_approved`, what placements draw on) or
    declined, with reasons. `places_taken` is recounted under the bid's row lock by the services."""

    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="bids")
    lead_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="gmts_bids")
    partners = models.ManyToManyField(Organisation, related_name="gmts_partner_bids", blank=True)
    kind = models.CharField(max_length=20, choices=PlacementKind.choices)
    places_requested = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    programme_manager = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    placement_manager = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    funding_commitment = models.TextField(help_text="What the organisation commits to fund (salary, costs).")
    status = models.CharField(max_length=20, choices=BidStatus.choices, default=BidStatus.SUBMITTED)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    places_approved = models.PositiveSmallIntegerField(default=0)
    places_taken = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["intake__starts_on", "lead_organisation__name"]
        indexes = [models.Index(fields=["status", "intake"], name="gmts_bid_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(places_taken__lte=models.F("places_approved")), name="gmts_bid_within_capacity"
            ),
            models.CheckConstraint(
                condition=Q(places_approved__lte=models.F("places_requested")),
                name="gmts_bid_approves_at_most_requested",
            ),
            models.CheckConstraint(
                condition=Q(status=BidStatus.SUBMITTED) | ~Q(decision_reason=""),
                name="gmts_bid_decision_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lead_organisation}: {self.get_kind_display().lower()}s for {self.intake}"

    @property
    def status_tag_class(self) -> str:
        return BID_STATUS_TAGS.get(self.status, "nhsuk-tag--grey")

    @property
    def places_left(self) -> int:
        return max(self.places_approved - self.places_taken, 0)


class PlacementStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    CONFIRMED = "confirmed", "Confirmed by the host"
    NOTIFIED = "notified", "Trainee notified"
    STARTED = "started", "Started"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


PLACEMENT_STATUS_TAGS = {
    PlacementStatus.PROPOSED: "nhsuk-tag--orange",
    PlacementStatus.CONFIRMED: "nhsuk-tag--blue",
    PlacementStatus.NOTIFIED: "nhsuk-tag--aqua-green",
    PlacementStatus.STARTED: "nhsuk-tag--green",
    PlacementStatus.COMPLETED: "nhsuk-tag--white",
    PlacementStatus.WITHDRAWN: "nhsuk-tag--grey",
}
# A placement the host has confirmed (and everything after): these hold a place on the bid and count
# as "a confirmed placement".
CONFIRMED_STATES = (
    PlacementStatus.CONFIRMED,
    PlacementStatus.NOTIFIED,
    PlacementStatus.STARTED,
    PlacementStatus.COMPLETED,
)
# A placement that has begun: competencies may be signed off and feedback given.
UNDER_WAY = (PlacementStatus.STARTED, PlacementStatus.COMPLETED)


class FeedbackStage(models.TextChoices):
    MIDPOINT = "mid", "Mid-point"
    END = "end", "End"


class DateRange(Func):
    """PostgreSQL's daterange(start, end, bounds), for the exclusion constraint."""

    function = "DATERANGE"
    output_field = DateRangeField()


class Placement(models.Model):
    """A trainee's time at a host organisation, from `starts_on` to `ends_on` (both included). A
    trainee never has two placements (other than withdrawn ones) whose dates overlap: PostgreSQL's
    exclusion constraint refuses it, whoever writes."""

    trainee = models.ForeignKey(Trainee, on_delete=models.PROTECT, related_name="placements")
    bid = models.ForeignKey(
        HostBid, on_delete=models.PROTECT, related_name="placements", null=True, blank=True
    )
    host = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="gmts_placements")
    kind = models.CharField(max_length=20, choices=PlacementKind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    placement_manager = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="gmts_managed_placements", null=True, blank=True
    )
    status = models.CharField(
        max_length=20, choices=PlacementStatus.choices, default=PlacementStatus.PROPOSED
    )
    status_reason = models.CharField(max_length=300, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_on"]
        indexes = [
            models.Index(fields=["trainee", "status", "starts_on"], name="gmts_placement_trainee_idx"),
            models.Index(fields=["host", "status"], name="gmts_placement_host_idx"),
            models.Index(fields=["placement_manager"], name="gmts_placement_manager_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="gmts_placement_dates"
            ),
            ExclusionConstraint(
                name="gmts_placement_no_overlap",
                expressions=[
                    (DateRange("starts_on", "ends_on", RangeBoundary(True, True)), RangeOperators.OVERLAPS),
                    ("trainee", RangeOperators.EQUAL),
                ],
                condition=~Q(status=PlacementStatus.WITHDRAWN),
                violation_error_message="The trainee already has a placement on some of these dates.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.host} for {self.trainee}"

    @property
    def status_tag_class(self) -> str:
        return PLACEMENT_STATUS_TAGS.get(self.status, "nhsuk-tag--grey")

    @property
    def is_confirmed(self) -> bool:
        return self.status in CONFIRMED_STATES

    @property
    def midpoint(self) -> dt.date:
        return self.starts_on + (self.ends_on - self.starts_on) / 2

    def feedback_open(self, stage: str, today: dt.date | None = None) -> bool:
        """Mid-point feedback opens at the placement's mid-point, end feedback four weeks before its
        end; both only once it has started."""
        today = today or timezone.localdate()
        if self.status not in UNDER_WAY:
            return False
        opens = self.midpoint if stage == FeedbackStage.MIDPOINT else self.ends_on - dt.timedelta(weeks=4)
        return today >= opens


def evidence_path(instance: CompetencySignOff, filename: str) -> str:
    return f"gmts/evidence/{instance.trainee_id}/{filename}"


class CompetencySignOff(models.Model):
    """A competency of the trainee's specialism signed off during a placement that has started."""

    trainee = models.ForeignKey(Trainee, on_delete=models.PROTECT, related_name="sign_offs")
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="sign_offs")
    competency = models.CharField(max_length=200)
    note = models.TextField()
    evidence = models.FileField(upload_to=evidence_path, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["signed_off_at"]
        constraints = [
            models.UniqueConstraint(fields=["trainee", "competency"], name="gmts_signoff_once"),
        ]

    def __str__(self) -> str:
        return f"{self.competency}: {self.trainee}"


class PlacementFeedback(models.Model):
    """A trainee's rating of a placement at its mid-point or end. Shown to the GMTS team only as a
    host's aggregate of at least three responses (`gmts.selectors.host_feedback`), never one by one."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="feedback")
    stage = models.CharField(max_length=10, choices=FeedbackStage.choices)
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["placement", "stage"], name="gmts_feedback_once_per_stage"),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="gmts_feedback_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} feedback on {self.placement_id}"


class VoiceRole(models.TextChoices):
    TRAINEE = "trainee", "Trainee"
    PROGRAMME_MANAGER = "programme_manager", "Programme manager"
    PLACEMENT_MANAGER = "placement_manager", "Placement manager"


class SchemeQuote(models.Model):
    """What a trainee or manager said about the scheme, given with consent to quote; a lead chooses
    which appear in the Year in Review (`chosen_at`), for the period in which it was given."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="gmts_quotes")
    role = models.CharField(max_length=20, choices=VoiceRole.choices)
    name = models.CharField(max_length=150)
    attribution = models.CharField(max_length=200, help_text='e.g. "GMTS Intake September 2019, Finance".')
    text = models.TextField()
    given_on = models.DateField()
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    chosen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["role", "given_on"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"
