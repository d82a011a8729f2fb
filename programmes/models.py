"""Programmes (the offer), cohorts (one run of a programme), sessions, enrolments and what follows
from them: attendance, applications, feedback and certificates."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from academy.models import PayBand, Person, Region, StaffGroup, System


class Theme(models.TextChoices):
    """NHS People Plan themes, in the Year in Review's chapter order."""

    LOOKING_AFTER = "looking_after", "Looking after our people"
    BELONGING = "belonging", "Belonging in the NHS"
    NEW_WAYS = "new_ways", "New ways of working and delivering care"
    GROWING = "growing", "Growing for the future"


class Audience(models.TextChoices):
    ALL_STAFF = "all_staff", "All staff"
    PRIMARY_CARE = "primary_care", "Primary care"
    SENIOR_LEADERS = "senior_leaders", "Senior leaders"
    ASPIRING_LEADERS = "aspiring_leaders", "Aspiring leaders"
    CLINICAL = "clinical", "Clinical staff"
    COACHES = "coaches", "Coaches and mentors"
    SYSTEM_LEADERS = "system_leaders", "System leaders"


class DeliveryMode(models.TextChoices):
    VIRTUAL = "virtual", "Virtual"
    FACE_TO_FACE = "face_to_face", "Face to face"
    BLENDED = "blended", "Blended"


class EntryRoute(models.TextChoices):
    OPEN = "open", "Open enrolment"
    APPLICATION = "application", "Application and shortlisting"
    NOMINATION = "nomination", "Nomination"


class ProgrammeQuerySet(models.QuerySet):
    def published(self) -> ProgrammeQuerySet:
        return self.filter(is_published=True)


class Programme(models.Model):
    """An offer, e.g. CLS7 Trauma informed leadership. Empty eligibility lists mean everyone."""

    title = models.CharField(max_length=200)
    code = models.CharField(max_length=30, unique=True, help_text='A short code, for example "CLS7".')
    slug = models.SlugField(max_length=220, unique=True)
    summary = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    theme = models.CharField(max_length=20, choices=Theme.choices)
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.ALL_STAFF)
    delivery_mode = models.CharField(max_length=20, choices=DeliveryMode.choices)
    entry_route = models.CharField(max_length=20, choices=EntryRoute.choices, default=EntryRoute.OPEN)
    eligible_pay_bands = ArrayField(
        models.CharField(max_length=10, choices=PayBand.choices), default=list, blank=True
    )
    eligible_staff_groups = ArrayField(
        models.CharField(max_length=20, choices=StaffGroup.choices), default=list, blank=True
    )
    eligibility_note = models.CharField(
        max_length=300, blank=True, help_text="Targeted positive action or other conditions, in plain words."
    )
    completion_min_attendance = models.PositiveSmallIntegerField(
        "completion rule (minimum attendance, %)",
        default=70,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    delivery_partner = models.CharField(max_length=200, blank=True)
    shortlist_quota_per_system = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="For application-route programmes: how many of each profession each system may have "
        "shortlisted (for example 1 nurse and 1 midwife per system).",
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="programmes")
    is_published = models.BooleanField(default=True)
    # Kept by PostgreSQL itself (a stored generated column), so no write path can forget it.
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config="english")
        + SearchVector("code", weight="A", config="english")
        + SearchVector("summary", weight="B", config="english")
        + SearchVector("description", weight="C", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [GinIndex(fields=["search_vector"], name="programme_search_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(completion_min_attendance__lte=100), name="programme_completion_pct"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class CohortStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open for enrolment"
    CLOSED = "closed", "Enrolment closed"
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


# NHS.UK tag colours for each status, so a list reads at a glance (the label always says it in words).
COHORT_STATUS_TAGS = {
    CohortStatus.DRAFT: "nhsuk-tag--grey",
    CohortStatus.OPEN: "nhsuk-tag--green",
    CohortStatus.CLOSED: "nhsuk-tag--orange",
    CohortStatus.RUNNING: "nhsuk-tag--blue",
    CohortStatus.COMPLETED: "nhsuk-tag--white",
    CohortStatus.CANCELLED: "nhsuk-tag--red",
}


# Which status changes staff may make from which status: the services enforce these, and the cohort's
# page offers only the actions they allow.
COHORT_OPENS_FROM = (CohortStatus.DRAFT, CohortStatus.CLOSED)
COHORT_CLOSES_FROM = (CohortStatus.OPEN,)
COHORT_CANCELS_FROM = (CohortStatus.DRAFT, CohortStatus.OPEN, CohortStatus.CLOSED, CohortStatus.RUNNING)


class CohortQuerySet(models.QuerySet):
    def upcoming(self, today: dt.date | None = None) -> CohortQuerySet:
        """Cohorts still to run or running: open, closed or running, and not yet ended (by `today`,
        the UK's date unless given)."""
        return self.filter(
            status__in=[CohortStatus.OPEN, CohortStatus.CLOSED, CohortStatus.RUNNING],
        ).filter(models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=today or timezone.localdate()))


class Cohort(models.Model):
    """One run of a programme (an intervention). `system` empty means region-wide.
    `starts_on` / `ends_on` are kept in step with the sessions by the services."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="cohorts")
    system = models.ForeignKey(
        System, on_delete=models.PROTECT, related_name="cohorts", null=True, blank=True
    )
    capacity = models.PositiveIntegerField()
    enrolment_opens_at = models.DateTimeField(null=True, blank=True)
    enrolment_closes_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=CohortStatus.choices, default=CohortStatus.DRAFT)
    facilitators = models.CharField(max_length=300, blank=True)
    # Places held (enrolled, offered or completed), recounted by the services under the cohort's
    # row lock, so lists can show and filter "places left" without counting enrolments.
    places_taken = models.PositiveIntegerField(default=0, editable=False)
    starts_on = models.DateField(null=True, blank=True, db_index=True)
    ends_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "name"]
        indexes = [
            models.Index(fields=["programme", "status", "starts_on"], name="cohort_programme_status_idx"),
            models.Index(fields=["region", "status", "starts_on"], name="cohort_region_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(enrolment_closes_at__isnull=True)
                | models.Q(enrolment_opens_at__isnull=True)
                | models.Q(enrolment_closes_at__gt=models.F("enrolment_opens_at")),
                name="cohort_enrolment_window_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Its system is in its region, and it never has fewer places than it holds: checked on every
        create and edit (the services' `full_clean`, and the admin)."""
        if self.system_id and self.region_id and self.system.sub_region.region_id != self.region_id:
            raise ValidationError({"system": "Choose a system in this programme's region."})
        if self.capacity is not None and self.capacity < self.places_taken:
            raise ValidationError({"capacity": f"{self.places_taken} places are already taken or offered."})

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.places_taken, 0)

    @property
    def status_tag_class(self) -> str:
        return COHORT_STATUS_TAGS.get(self.status, "nhsuk-tag--grey")

    @property
    def can_open(self) -> bool:
        return self.status in COHORT_OPENS_FROM

    @property
    def can_close(self) -> bool:
        return self.status in COHORT_CLOSES_FROM

    @property
    def can_cancel(self) -> bool:
        return self.status in COHORT_CANCELS_FROM


class Session(models.Model):
    """One meeting of a cohort. `sequence` is the iCalendar SEQUENCE, raised on every change sent out."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    venue = models.CharField(max_length=300, blank=True)
    joining_url = models.URLField(blank=True)
    recording_url = models.URLField(blank=True)
    sequence = models.PositiveIntegerField(default=0)
    is_cancelled = models.BooleanField(default=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["cohort", "starts_at"], name="session_cohort_start_idx"),
            models.Index(fields=["starts_at"], name="session_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def register_open(self) -> bool:
        """Attendance is taken once a session has started, and never for a cancelled one."""
        return not self.is_cancelled and self.starts_at <= timezone.now()


class EnrolmentStatus(models.TextChoices):
    APPLIED = "applied", "Applied"
    SHORTLISTED = "shortlisted", "Shortlisted"
    DECLINED = "declined", "Not shortlisted"
    OFFERED = "offered", "Place offered"
    ENROLLED = "enrolled", "Enrolled"
    WAITLISTED = "waitlisted", "On the waiting list"
    CANCELLED = "cancelled", "Cancelled"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


ENROLMENT_STATUS_TAGS = {
    EnrolmentStatus.APPLIED: "nhsuk-tag--blue",
    EnrolmentStatus.SHORTLISTED: "nhsuk-tag--aqua-green",
    EnrolmentStatus.DECLINED: "nhsuk-tag--grey",
    EnrolmentStatus.OFFERED: "nhsuk-tag--orange",
    EnrolmentStatus.ENROLLED: "nhsuk-tag--green",
    EnrolmentStatus.WAITLISTED: "nhsuk-tag--yellow",
    EnrolmentStatus.CANCELLED: "nhsuk-tag--grey",
    EnrolmentStatus.COMPLETED: "nhsuk-tag--white",
    EnrolmentStatus.WITHDRAWN: "nhsuk-tag--grey",
}

# Statuses that hold one of the cohort's places.
PLACE_HOLDING = (EnrolmentStatus.ENROLLED, EnrolmentStatus.OFFERED, EnrolmentStatus.COMPLETED)
# Statuses that keep a person "in" a cohort (they cannot enrol again).
ACTIVE = (
    EnrolmentStatus.APPLIED,
    EnrolmentStatus.SHORTLISTED,
    EnrolmentStatus.OFFERED,
    EnrolmentStatus.ENROLLED,
    EnrolmentStatus.WAITLISTED,
    EnrolmentStatus.COMPLETED,
)


class Enrolment(models.Model):
    """A person on a cohort. One row per person and cohort: re-enrolling reuses the row."""

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrolments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(max_length=20, choices=EnrolmentStatus.choices)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    # Someone staff added by email or by import who was not already a person of the cohort's region:
    # staff see only the address they typed, and "Invited", until the person accepts (least knowledge).
    # A database default too, so the bulk writers that name their columns (bench, COPY) need not.
    invited_email = models.EmailField(max_length=254, blank=True, default="", db_default="")
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "person"], name="enrolment_cohort_person_unique"),
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True) | ~models.Q(invited_email=""),
                name="enrolment_accepted_only_when_invited",
            ),
            models.CheckConstraint(
                condition=models.Q(waitlist_position__isnull=True)
                | models.Q(status=EnrolmentStatus.WAITLISTED),
                name="enrolment_waitlist_position_only_when_waitlisted",
            ),
        ]
        indexes = [
            models.Index(fields=["cohort", "status"], name="enrolment_cohort_status_idx"),
            models.Index(fields=["person", "status"], name="enrolment_person_status_idx"),
            models.Index(
                fields=["offer_expires_at"],
                name="enrolment_offer_expiry_idx",
                condition=models.Q(status="offered"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff_label} on {self.cohort}"

    @property
    def status_tag_class(self) -> str:
        return ENROLMENT_STATUS_TAGS.get(self.status, "nhsuk-tag--grey")

    @property
    def awaits_acceptance(self) -> bool:
        """Invited by staff and not yet accepted: staff know only the address they typed."""
        return bool(self.invited_email) and self.accepted_at is None

    @property
    def staff_label(self) -> str:
        """How the person is named to staff: the typed address until they accept, then their name."""
        return self.invited_email if self.awaits_acceptance else self.person.full_name


class AttendanceStatus(models.TextChoices):
    ATTENDED = "attended", "Attended"
    ABSENT = "absent", "Absent"
    APOLOGIES = "apologies", "Apologies"


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(max_length=20, choices=AttendanceStatus.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="attendance_session_enrolment_unique"
            ),
        ]
        indexes = [models.Index(fields=["enrolment", "status"], name="attendance_enrolment_idx")]

    def __str__(self) -> str:
        return f"{self.enrolment} – {self.session}: {self.get_status_display()}"


class ApplicationDecision(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    SHORTLISTED = "shortlisted", "Shortlisted"
    DECLINED = "declined", "Not shortlisted"


class Application(models.Model):
    """The form an applicant fills in for an application-route programme, and the shortlisting."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="application")
    answers = models.JSONField(default=dict, blank=True)
    nominated_by_name = models.CharField(max_length=200, blank=True)
    nominated_by_email = models.EmailField(blank=True)
    profession = models.CharField(
        max_length=100, blank=True, help_text='For quotas, e.g. "Nurse", "Midwife".'
    )
    decision = models.CharField(
        max_length=20, choices=ApplicationDecision.choices, default=ApplicationDecision.PENDING
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Application: {self.enrolment}"


class Feedback(models.Model):
    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(blank=True)
    consent_to_quote = models.BooleanField(default=False)
    attribution = models.CharField(
        max_length=150, blank=True, help_text='How a quote is signed, e.g. "PCN Clinical Director".'
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"Feedback {self.rating}/5 on {self.enrolment}"


class Certificate(models.Model):
    """A certificate of attendance; `code` is the public verification reference."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="certificate")
    code = models.CharField(max_length=32, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Certificate {self.code}"
