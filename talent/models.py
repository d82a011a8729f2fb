"""The regional talent pool of aspirant directors: membership and readiness history, target roles,
Development Assessment Centres, career conversations, the Executive Talent Scheme, career movements,
and the systems' talent boards (critical roles, successor slates, senior workforce figures)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from academy.models import Organisation, PayBand, Person, Region, System


class Readiness(models.TextChoices):
    READY_NOW = "ready_now", "Ready now"
    READY_SOON = "ready_soon", "Ready soon"
    NOT_YET_READY = "not_yet_ready", "Not yet ready"


READINESS_HINTS = {
    Readiness.READY_NOW: "Ready for an executive role",
    Readiness.READY_SOON: "Ready in 6 to 12 months",
    Readiness.NOT_YET_READY: "Ready in 18 to 24 months",
}

READINESS_TAG_CLASSES = {
    Readiness.READY_NOW: "nhsuk-tag--green",
    Readiness.READY_SOON: "nhsuk-tag--blue",
    Readiness.NOT_YET_READY: "nhsuk-tag--grey",
}


class ProfessionalGroup(models.TextChoices):
    """The professional groups the 2020/21 review charts readiness by."""

    NURSING = "nursing", "Nursing and midwifery"
    MEDICAL = "medical", "Medical"
    AHP = "ahp", "Allied health professions"
    FINANCE = "finance", "Finance"
    OPERATIONS = "operations", "Operations and general management"
    PEOPLE = "people", "People (HR and OD)"
    STRATEGY = "strategy", "Strategy and transformation"
    DIGITAL = "digital", "Digital and informatics"
    CORPORATE = "corporate", "Corporate affairs and governance"
    ESTATES = "estates", "Estates and facilities"


class ServiceType(models.TextChoices):
    ACUTE = "acute", "Acute"
    MENTAL_HEALTH = "mental_health", "Mental health"
    COMMUNITY = "community", "Community"
    AMBULANCE = "ambulance", "Ambulance"
    PRIMARY_CARE = "primary_care", "Primary care"
    COMMISSIONING = "commissioning", "Commissioning"
    SOCIAL_CARE = "social_care", "Social care"
    REGIONAL = "regional", "Regional or national"


class EntryRoute(models.TextChoices):
    ASPIRE_TOGETHER = "aspire_together", "Aspire Together assessment"
    ASSESSMENT_CENTRE = "assessment_centre", "Development Assessment Centre"
    NOMINATION = "nomination", "Nomination"


class ExitReason(models.TextChoices):
    APPOINTED = "appointed", "Appointed"
    LEFT_NHS = "left_nhs", "Left the NHS"
    WITHDREW = "withdrew", "Withdrew"


# The board roles every organisation has; a region's talent lead may add others.
BOARD_ROLES = (
    "Chief executive",
    "Director of finance",
    "Director of nursing",
    "Medical director",
    "Director of operations",
    "Director of people",
    "Director of strategy",
    "Director of digital",
)


class TargetRole(models.Model):
    """A role pool members aim for. The board roles belong to no region; a lead adds their region's."""

    name = models.CharField(max_length=120)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    is_board_role = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_board_role", "name"]
        constraints = [
            models.UniqueConstraint(
                "name", condition=Q(region__isnull=True), name="targetrole_board_name_unique"
            ),
            models.UniqueConstraint(fields=["region", "name"], name="targetrole_region_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class PoolMemberQuerySet(models.QuerySet):
    def active(self) -> PoolMemberQuerySet:
        return self.filter(exited_on__isnull=True)

    def in_pool_on(self, day: datetime.date) -> PoolMemberQuerySet:
        """Members on `day`: joined by then and not yet left."""
        return self.filter(joined_on__lte=day).filter(Q(exited_on__isnull=True) | Q(exited_on__gt=day))


class PoolMember(models.Model):
    """One person's membership of a region's talent pool. Leaving ends it (with a reason), never deletes
    it, so the history stays; a person has at most one active membership."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="talent_memberships")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    system = models.ForeignKey(System, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    professional_group = models.CharField(max_length=20, choices=ProfessionalGroup.choices)
    service_type = models.CharField(max_length=20, choices=ServiceType.choices)
    current_role = models.CharField(max_length=200, blank=True)
    band = models.CharField(max_length=10, choices=PayBand.choices, blank=True)
    target_roles = models.ManyToManyField(TargetRole, blank=True, related_name="members")
    entry_route = models.CharField(max_length=20, choices=EntryRoute.choices)
    # The latest readiness decision, kept by the services with its history in ReadinessChange: no decision
    # may be dated before `readiness_on`, so these are always the history's latest (by date, then id), and
    # the figures read a member's readiness on a day from here when `readiness_on` is on or before it.
    readiness = models.CharField(max_length=20, choices=Readiness.choices)
    readiness_on = models.DateField()
    # The date of the first decision that judged the member ready now (None until one does), kept by the
    # same services: since no decision is dated before the latest, it never moves once set. The equity
    # funnel's "ready now by a day" reads it rather than every member's history.
    first_ready_now_on = models.DateField(null=True, blank=True)
    joined_on = models.DateField(default=timezone.localdate)
    exited_on = models.DateField(null=True, blank=True)
    exit_reason = models.CharField(max_length=20, choices=ExitReason.choices, blank=True)
    # The member's own choice: their system's talent board may see their record.
    board_consent = models.BooleanField("my system's talent board may see my record", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PoolMemberQuerySet.as_manager()

    class Meta:
        ordering = ["person__family_name", "person__given_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(exited_on__isnull=True), name="poolmember_one_active"
            ),
            models.CheckConstraint(
                condition=(Q(exited_on__isnull=True) & Q(exit_reason=""))
                | (Q(exited_on__isnull=False) & ~Q(exit_reason="")),
                name="poolmember_exit_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "readiness"], name="poolmember_region_readiness"),
            models.Index(fields=["system", "readiness"], name="poolmember_system_readiness"),
            # The memberships that ended, a few: the equity funnel's lists of people who left and came back.
            models.Index(
                fields=["region", "person"], condition=Q(exited_on__isnull=False), name="poolmember_ended"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} (talent pool)"

    @property
    def is_active(self) -> bool:
        return self.exited_on is None

    def clean(self) -> None:
        if self.exited_on and self.exited_on < self.joined_on:
            raise ValidationError({"exited_on": "A member cannot leave before they joined."})


class ReadinessChange(models.Model):
    """One readiness decision: who decided, when, on what evidence. Never edited."""

    member = models.ForeignKey(PoolMember, on_delete=models.CASCADE, related_name="readiness_changes")
    readiness = models.CharField(max_length=20, choices=Readiness.choices)
    decided_on = models.DateField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    evidence = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(evidence=""), name="readinesschange_has_evidence"),
        ]
        indexes = [
            models.Index(fields=["member", "-decided_on"], name="readiness_member_day"),
        ]

    def __str__(self) -> str:
        return f"{self.get_readiness_display()} on {self.decided_on}"


# --- Development Assessment Centres ------------------------------------------------------------------


class CentreLevel(models.TextChoices):
    CAREER = "career", "Career"
    LEADERSHIP = "leadership", "Leadership"
    ASPIRING_EXECUTIVE = "aspiring_executive", "Aspiring-Executive"


class CompetencyDomain(models.TextChoices):
    """The six domains of NHS England's Leadership Competency Framework for board members."""

    OUTCOMES = "outcomes", "Driving high quality and sustainable outcomes"
    STRATEGY = "strategy", "Setting strategy and delivering long-term transformation"
    EQUALITY = "equality", "Promoting equality and inclusion, and reducing health and workforce inequalities"
    GOVERNANCE = "governance", "Providing robust governance and assurance"
    CULTURE = "culture", "Creating a compassionate, just and positive culture"
    PARTNERSHIP = "partnership", "Building a trusted relationship with partners and communities"


class AssessmentCentre(models.Model):
    """A Development Assessment Centre: an event with places and assessors."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    level = models.CharField(max_length=20, choices=CentreLevel.choices)
    held_on = models.DateField()
    venue = models.CharField(max_length=200, blank=True)
    places = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(200)])
    assessors = models.ManyToManyField(Person, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%-d %B %Y})"


class BookingStatus(models.TextChoices):
    NOMINATED = "nominated", "Nominated"
    BOOKED = "booked", "Booked"
    ATTENDED = "attended", "Attended"
    WITHDRAWN = "withdrawn", "Withdrawn"


class CentreBooking(models.Model):
    """A person nominated to, and then booked on, a centre; the panel's outcome when assessed."""

    centre = models.ForeignKey(AssessmentCentre, on_delete=models.PROTECT, related_name="bookings")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=12, choices=BookingStatus.choices, default=BookingStatus.NOMINATED)
    outcome = models.CharField(max_length=20, choices=Readiness.choices, blank=True)
    outcome_notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person__family_name", "person__given_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "person"], name="centrebooking_once_per_centre"),
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.centre}"


class ExerciseRating(models.Model):
    """An assessor's rating of one exercise against one domain (1 weak to 4 strong)."""

    booking = models.ForeignKey(CentreBooking, on_delete=models.CASCADE, related_name="ratings")
    assessor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    exercise = models.CharField(max_length=120)
    domain = models.CharField(max_length=20, choices=CompetencyDomain.choices)
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["exercise", "domain"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "assessor", "exercise", "domain"], name="rating_once_per_domain"
            ),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=4), name="rating_score_1_to_4"),
        ]

    def __str__(self) -> str:
        return f"{self.exercise}: {self.get_domain_display()} {self.score}"


# --- Career conversations ----------------------------------------------------------------------------


class CareerConversation(models.Model):
    """A Scope for Growth career conversation, owned by the member: they decide who may read it."""

    member = models.ForeignKey(PoolMember, on_delete=models.CASCADE, related_name="conversations")
    held_on = models.DateField(default=timezone.localdate)
    aspirations = models.TextField()
    own_readiness = models.CharField(
        "your own view of your readiness", max_length=20, choices=Readiness.choices
    )
    development_needs = models.TextField(blank=True)
    share_with_lead = models.BooleanField("the talent team may read this", default=False)
    share_with_board = models.BooleanField("my system's talent board may read this", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Career conversation of {self.held_on}"


# --- The Executive Talent Scheme ---------------------------------------------------------------------


class OpportunityKind(models.TextChoices):
    STRETCH = "stretch", "Stretch assignment"
    SECONDMENT = "secondment", "Secondment"


class Opportunity(models.Model):
    """A host organisation's stretch assignment or secondment, open to pool members until it closes."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=200)
    host = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=OpportunityKind.choices)
    description = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    closes_on = models.DateField("closing date")
    places = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-closes_on", "pk"]
        verbose_name_plural = "opportunities"
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="opportunity_dates"),
        ]
        indexes = [models.Index(fields=["region", "-closes_on"], name="opportunity_region_closes")]

    def __str__(self) -> str:
        return f"{self.role}, {self.host}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The end date must be on or after the start date."})
        if self.closes_on and self.starts_on and self.closes_on > self.starts_on:
            raise ValidationError({"closes_on": "The closing date must be on or before the start date."})

    def is_open(self, on: datetime.date | None = None) -> bool:
        return (on or timezone.localdate()) <= self.closes_on


class InterestStatus(models.TextChoices):
    EXPRESSED = "expressed", "Interest expressed"
    SHORTLISTED = "shortlisted", "Shortlisted"
    PLACED = "placed", "Placed"
    NOT_SELECTED = "not_selected", "Not selected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Interest(models.Model):
    """A pool member's expression of interest in an opportunity, and where it got to."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="interests")
    member = models.ForeignKey(PoolMember, on_delete=models.CASCADE, related_name="interests")
    statement = models.TextField("why you are interested")
    status = models.CharField(max_length=12, choices=InterestStatus.choices, default=InterestStatus.EXPRESSED)
    created_at = models.DateTimeField(auto_now_add=True)
    placed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "member"], name="interest_once_per_opportunity"),
        ]

    def __str__(self) -> str:
        return f"Interest in {self.opportunity_id} ({self.get_status_display()})"


# --- Career movements --------------------------------------------------------------------------------


class MovementKind(models.TextChoices):
    APPOINTMENT = "appointment", "Appointment"
    PROMOTION = "promotion", "Promotion"


class MovementTerms(models.TextChoices):
    SUBSTANTIVE = "substantive", "Substantive"
    INTERIM = "interim", "Interim"


class CareerMovement(models.Model):
    """An appointment or promotion of a pool member, recorded by the talent lead or the member."""

    member = models.ForeignKey(PoolMember, on_delete=models.CASCADE, related_name="movements")
    role = models.CharField(max_length=200)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    moved_on = models.DateField()
    kind = models.CharField(max_length=12, choices=MovementKind.choices)
    terms = models.CharField(max_length=12, choices=MovementTerms.choices, default=MovementTerms.SUBSTANTIVE)
    board_level = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-moved_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "role", "organisation", "moved_on"], name="movement_once"
            ),
        ]
        indexes = [models.Index(fields=["moved_on"], name="movement_moved_on")]

    def __str__(self) -> str:
        return f"{self.role}, {self.organisation} ({self.moved_on})"


# --- Talent boards -----------------------------------------------------------------------------------


class BoardSeat(models.Model):
    """A grant: this user sits on this system's talent board and may see its consenting members and
    slates. Granted by the region's talent lead or an administrator, never chosen by the user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="talent_board_seats"
    )
    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="+")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "system"], name="boardseat_once")]

    def __str__(self) -> str:
        return f"{self.user} on {self.system}'s talent board"


class CriticalRole(models.Model):
    """A board role of one of a system's organisations that needs successors."""

    system = models.ForeignKey(System, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    target_role = models.ForeignKey(TargetRole, on_delete=models.PROTECT, related_name="+")
    incumbent_leaving_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "target_role__name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "target_role"], name="criticalrole_once"),
        ]

    def __str__(self) -> str:
        return f"{self.target_role}, {self.organisation}"


class SlateEntry(models.Model):
    """A pool member named as a successor for a critical role."""

    critical_role = models.ForeignKey(CriticalRole, on_delete=models.CASCADE, related_name="slate")
    member = models.ForeignKey(PoolMember, on_delete=models.CASCADE, related_name="slate_entries")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["critical_role", "member"], name="slate_once")]
        verbose_name_plural = "slate entries"

    def __str__(self) -> str:
        return f"Successor for {self.critical_role_id}"


class SeniorWorkforce(models.Model):
    """A system's senior workforce (band 8c to VSM) on a date, by ethnicity and gender, entered or
    imported by the talent lead, to set beside its slates' diversity."""

    system = models.ForeignKey(System, on_delete=models.PROTECT, related_name="+")
    as_of = models.DateField()
    white = models.PositiveIntegerField(default=0)
    minority_ethnic = models.PositiveIntegerField(default=0)
    ethnicity_not_stated = models.PositiveIntegerField(default=0)
    female = models.PositiveIntegerField(default=0)
    male = models.PositiveIntegerField(default=0)
    gender_other = models.PositiveIntegerField("other or not stated", default=0)

    class Meta:
        ordering = ["system__name", "-as_of"]
        constraints = [models.UniqueConstraint(fields=["system", "as_of"], name="seniorworkforce_once")]
        verbose_name_plural = "senior workforce figures"

    def __str__(self) -> str:
        return f"{self.system} senior workforce on {self.as_of}"

    @property
    def total(self) -> int:
        return self.white + self.minority_ethnic + self.ethnicity_not_stated

    ETHNICITY = ("white", "minority_ethnic", "ethnicity_not_stated")
    GENDER = ("female", "male", "gender_other")

    @classmethod
    def counts_disagree(cls, counts: dict) -> str:
        """Why these counts cannot be saved ("" when they can): the ethnicity and the gender counts are
        of the same senior staff, so they must add up to the same number."""
        ethnicity, gender = [counts.get(n) for n in cls.ETHNICITY], [counts.get(n) for n in cls.GENDER]
        if None in ethnicity or None in gender or sum(ethnicity) == sum(gender):
            return ""
        return (
            f"The ethnicity counts add up to {sum(ethnicity):,} but the gender counts to {sum(gender):,}: "
            "both count the same senior staff."
        )
