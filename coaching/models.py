"""The coach and mentor register, supervision, CPD and coaching relationships."""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from academy.models import Person, Region
from academy.uploads import EXTENSIONS

# Every registered coach must have supervision at least once a year; group supervision holds at most 8.
SUPERVISION_INTERVAL_DAYS = 365
REMINDER_DAYS_BEFORE = 30
GROUP_SUPERVISION_MAX = 8


class PrivateStorage(FileSystemStorage):
    """Files under MEDIA_ROOT/private with no public URL: they are only ever streamed by a
    permission-checked view. The location is read from settings on each use, so tests can move it."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:
        return str(Path(settings.MEDIA_ROOT) / "private")

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())

    def url(self, name):
        raise ValueError("Private files have no URL; stream them through a permission-checked view.")


def certificate_storage() -> FileSystemStorage:
    return PrivateStorage()


def certificate_upload_to(instance: Qualification, filename: str) -> str:
    # The coach's file name is not kept on disk: it could collide, or leak who they are. The service
    # names the file by the type its content was found to be (academy.uploads.stored_name).
    suffix = EXTENSIONS.get(instance.certificate_content_type, "")
    return f"coaching/certificates/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class CoachKind(models.TextChoices):
    COACH = "coach", "Coach"
    MENTOR = "mentor", "Mentor"
    BOTH = "both", "Coach and mentor"


class ProfileStatus(models.TextChoices):
    APPLIED = "applied", "Applied"
    MORE_INFO_REQUESTED = "more_info", "More information requested"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    LAPSED = "lapsed", "Lapsed"


# The NHS tag colour for each register status (coaching/_status_tag.html uses the same).
STATUS_TAG_CLASSES = {
    ProfileStatus.APPROVED: "nhsuk-tag--green",
    ProfileStatus.LAPSED: "nhsuk-tag--red",
    ProfileStatus.DECLINED: "nhsuk-tag--grey",
    ProfileStatus.MORE_INFO_REQUESTED: "nhsuk-tag--orange",
    ProfileStatus.APPLIED: "nhsuk-tag--blue",
}


class Specialism(models.TextChoices):
    WELLBEING = "wellbeing", "Wellbeing and resilience"
    CAREER = "career", "Career development"
    TRANSITION = "transition", "Moving into a new role"
    TEAMS = "teams", "Leading teams"
    INCLUSION = "inclusion", "Inclusion and belonging"
    CLINICAL = "clinical", "Clinical leadership"
    SYSTEM = "system", "System leadership"
    CHANGE = "change", "Leading change"
    CONFIDENCE = "confidence", "Building confidence"
    EXECUTIVE = "executive", "Executive and board"


class Availability(models.TextChoices):
    NOW = "now", "Available now"
    SOON = "soon", "Available within 3 months"
    NONE = "none", "Not taking coachees"


class SupervisionFunction(models.TextChoices):
    NORMATIVE = "normative", "Normative (ethical and professional boundaries)"
    FORMATIVE = "formative", "Formative (growth)"
    RESTORATIVE = "restorative", "Restorative (looking after yourself)"


class SupervisionTheme(models.TextChoices):
    WELLBEING = "wellbeing", "Wellbeing"
    STRESS = "stress", "Managing stress"
    CONTRACTING = "contracting", "Contracting and boundary management"
    ETHICS = "ethics", "Ethical dilemmas"
    CONFIDENCE = "confidence", "Building confidence"
    IMPOSTER = "imposter", "Imposter syndrome"
    COVID = "covid", "Leading during COVID-19"
    OTHER = "other", "Other"


def _choices_array(choices, **kwargs) -> ArrayField:
    return ArrayField(models.CharField(max_length=20, choices=choices), default=list, blank=True, **kwargs)


def _labels(choices, values) -> list[str]:
    names = dict(choices.choices)
    return [names.get(v, v) for v in values]


def sort_name_for(person: Person) -> str:
    """The register's sort key; services.sort_names_recount computes the same in SQL."""
    return f"{person.family_name} {person.given_name}".strip().lower()


def supervision_due(last_supervised_on: datetime.date | None, approved_on: datetime.date | None):
    """The one compliance rule, used by the pages, the daily run and the Year in Review figures alike:
    supervision is due 12 months after the latest of the coach's last supervision and their approval.
    So a newly approved coach is compliant for their first year without supervision (they could not
    yet have had any through the academy), and a coach is compliant on a day when that due date is
    on or after it."""
    latest = max((d for d in (last_supervised_on, approved_on) if d is not None), default=None)
    return latest + datetime.timedelta(days=SUPERVISION_INTERVAL_DAYS) if latest else None


class CoachProfileQuerySet(models.QuerySet):
    def on_register(self) -> CoachProfileQuerySet:
        """Approved and still on the register: lapsed coaches remain on it, but are not compliant."""
        return self.filter(status__in=[ProfileStatus.APPROVED, ProfileStatus.LAPSED])

    def compliant(self, on: datetime.date | None = None) -> CoachProfileQuerySet:
        on = on or timezone.localdate()
        return self.filter(status=ProfileStatus.APPROVED, supervision_due_on__gte=on)


class CoachProfile(models.Model):
    """A person's place on the coach and mentor register."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="coach_profile")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="coach_profiles")
    kind = models.CharField(max_length=10, choices=CoachKind.choices)
    status = models.CharField(max_length=12, choices=ProfileStatus.choices, default=ProfileStatus.APPLIED)
    specialisms = _choices_array(Specialism.choices)
    capacity = models.PositiveSmallIntegerField(
        "coachees you can take at once", default=2, validators=[MaxValueValidator(20)]
    )
    availability = models.CharField(max_length=5, choices=Availability.choices, default=Availability.NOW)
    availability_notes = models.CharField(max_length=300, blank=True)
    experience = models.TextField("coaching or mentoring experience", blank=True)
    applied_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    # Compliance: the date of the latest supervision, and the date by which the next is due.
    last_supervised_on = models.DateField(null=True, blank=True)
    supervision_due_on = models.DateField(null=True, blank=True, db_index=True)
    reminder_sent_for = models.DateField(
        null=True, blank=True, help_text="The due date a reminder has already been emailed for."
    )
    # Offered and active relationships, kept by the services that offer, decline and close them (and
    # reconciled by the daily compliance run), so the register and directory filter on a column.
    places_taken = models.PositiveSmallIntegerField(default=0)
    # "family given" in lower case, for sorting the register and directory on this table's own index.
    # Set on applying and reconciled by the daily compliance run, so a renamed person is re-sorted by
    # the next day (pages always show the person's current name).
    sort_name = models.CharField(max_length=301, blank=True, default="", editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CoachProfileQuerySet.as_manager()

    class Meta:
        ordering = ["sort_name", "pk"]
        indexes = [
            models.Index(fields=["region", "status"], name="coachprofile_region_status"),
            # The register's pages (approved and lapsed coaches) in name order: read from the index alone.
            models.Index(
                fields=["region", "sort_name", "id"],
                condition=models.Q(status__in=["approved", "lapsed"]),
                name="coachprofile_region_name",
            ),
            # The directory and matching: approved coaches of one region in name order.
            models.Index(
                fields=["region", "sort_name", "id"],
                condition=models.Q(status="approved"),
                name="coachprofile_approved_name",
            ),
            models.Index(fields=["region", "kind"], name="coachprofile_region_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.person.full_name} ({self.get_kind_display()})"

    @property
    def specialism_labels(self) -> list[str]:
        return _labels(Specialism, self.specialisms)

    @property
    def status_label(self) -> str:
        return ProfileStatus(self.status).label

    @property
    def status_tag_class(self) -> str:
        return STATUS_TAG_CLASSES.get(self.status, "nhsuk-tag--blue")

    @property
    def kind_label(self) -> str:
        return CoachKind(self.kind).label

    def is_compliant(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return (
            self.status == ProfileStatus.APPROVED
            and self.supervision_due_on is not None
            and self.supervision_due_on >= on
        )


class QualificationKind(models.TextChoices):
    ILM3 = "ilm3", "ILM level 3"
    ILM5 = "ilm5", "ILM level 5"
    ILM7 = "ilm7", "ILM level 7"
    EMCC = "emcc", "EMCC accreditation"
    ICF = "icf", "ICF accreditation"
    OTHER = "other", "Other"

    @classmethod
    def recognised(cls) -> list[str]:
        return [cls.ILM3, cls.ILM5, cls.ILM7, cls.EMCC, cls.ICF]


class Qualification(models.Model):
    profile = models.ForeignKey(CoachProfile, on_delete=models.CASCADE, related_name="qualifications")
    kind = models.CharField(max_length=10, choices=QualificationKind.choices)
    title = models.CharField(max_length=200, blank=True, help_text="Needed for other qualifications.")
    awarded_on = models.DateField(null=True, blank=True)
    certificate = models.FileField(
        storage=certificate_storage, upload_to=certificate_upload_to, max_length=200, blank=True
    )
    certificate_content_type = models.CharField(max_length=50, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "awarded_on"]
        indexes = [models.Index(fields=["kind", "profile"], name="qualification_kind_profile")]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    @property
    def is_recognised(self) -> bool:
        return self.kind in QualificationKind.recognised()


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class SupervisionSession(models.Model):
    """Group supervision run by a supervisor for up to 8 coaches."""

    supervisor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="supervision_sessions_run")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="supervision_sessions")
    starts_at = models.DateTimeField(db_index=True)
    duration_hours = models.DecimalField(max_digits=4, decimal_places=2, default=2)
    joining_details = models.CharField(max_length=300, blank=True)
    themes = _choices_array(SupervisionTheme.choices)
    functions = _choices_array(SupervisionFunction.choices)
    status = models.CharField(max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        when = timezone.localtime(self.starts_at)
        return f"Group supervision {when:%d %b %Y %H:%M}"

    @property
    def theme_labels(self) -> list[str]:
        return _labels(SupervisionTheme, self.themes)

    @property
    def function_labels(self) -> list[str]:
        return [label.split(" (")[0] for label in _labels(SupervisionFunction, self.functions)]


class SupervisionAttendee(models.Model):
    """A coach's place in a group. `seat` runs 1..8 and is unique within the session, so even a race
    past the service's lock cannot put a ninth coach in a group."""

    session = models.ForeignKey(SupervisionSession, on_delete=models.CASCADE, related_name="attendees")
    profile = models.ForeignKey(CoachProfile, on_delete=models.CASCADE, related_name="group_places")
    seat = models.PositiveSmallIntegerField()
    attended = models.BooleanField(null=True, blank=True, help_text="Empty until the supervisor confirms.")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["seat"]
        constraints = [
            models.UniqueConstraint(fields=["session", "profile"], name="supervision_attendee_unique"),
            models.UniqueConstraint(fields=["session", "seat"], name="supervision_seat_unique"),
            models.CheckConstraint(
                condition=models.Q(seat__gte=1, seat__lte=GROUP_SUPERVISION_MAX),
                name="supervision_seat_at_most_8",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile} at {self.session}"


class SupervisionSource(models.TextChoices):
    GROUP = "group", "Academy group supervision"
    ELSEWHERE = "elsewhere", "Held elsewhere"


class SupervisionRecord(models.Model):
    """One supervision a coach has had: confirmed group attendance, or logged by the coach."""

    profile = models.ForeignKey(CoachProfile, on_delete=models.CASCADE, related_name="supervision_records")
    source = models.CharField(max_length=10, choices=SupervisionSource.choices)
    session = models.ForeignKey(
        SupervisionSession, on_delete=models.PROTECT, null=True, blank=True, related_name="records"
    )
    held_on = models.DateField()
    hours = models.DecimalField(
        max_digits=4, decimal_places=2, validators=[MinValueValidator(0.25), MaxValueValidator(24)]
    )
    supervisor_name = models.CharField(max_length=200)
    functions = _choices_array(SupervisionFunction.choices)
    themes = _choices_array(SupervisionTheme.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["profile", "-held_on"], name="supervision_profile_held")]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "session"],
                condition=models.Q(session__isnull=False),
                name="supervision_record_once_per_session",
            )
        ]

    def __str__(self) -> str:
        return f"Supervision on {self.held_on:%d %b %Y}"

    @property
    def function_labels(self) -> list[str]:
        return [label.split(" (")[0] for label in _labels(SupervisionFunction, self.functions)]


class ReflectiveNote(models.Model):
    """A coach's private reflection. Only its author can read it: no staff view exists."""

    profile = models.ForeignKey(CoachProfile, on_delete=models.CASCADE, related_name="reflective_notes")
    title = models.CharField(max_length=200)
    body = models.TextField()
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-written_at"]

    def __str__(self) -> str:
        return "Reflective note"


class CPDEvent(models.Model):
    """A CPD webinar; the recording link is added afterwards for those who could not attend."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="cpd_events")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField(db_index=True)
    duration_hours = models.DecimalField(max_digits=4, decimal_places=2, default=1)
    joining_url = models.URLField(blank=True)
    recording_url = models.URLField(blank=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = "CPD event"

    def __str__(self) -> str:
        return self.title


class CPDAttendance(models.Model):
    event = models.ForeignKey(CPDEvent, on_delete=models.CASCADE, related_name="attendances")
    profile = models.ForeignKey(CoachProfile, on_delete=models.CASCADE, related_name="cpd_attendances")
    watched_recording = models.BooleanField(default=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "profile"], name="cpd_attendance_unique")]
        verbose_name = "CPD attendance"

    def __str__(self) -> str:
        return f"{self.profile} at {self.event}"


class CPDLog(models.Model):
    """CPD the coach logs for themselves: reading, courses, conferences."""

    profile = models.ForeignKey(CoachProfile, on_delete=models.CASCADE, related_name="cpd_logs")
    done_on = models.DateField()
    hours = models.DecimalField(
        max_digits=5, decimal_places=2, validators=[MinValueValidator(0.25), MaxValueValidator(100)]
    )
    activity = models.CharField(max_length=200)
    learning = models.TextField("what you learnt", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-done_on", "-id"]
        verbose_name = "CPD log entry"
        verbose_name_plural = "CPD log entries"

    def __str__(self) -> str:
        return self.activity


class RelationshipType(models.TextChoices):
    COACHING = "coaching", "Coaching"
    MENTORING = "mentoring", "Mentoring"
    REVERSE = "reverse", "Reverse mentoring"
    RECIPROCAL = "reciprocal", "Reciprocal mentoring"

    @classmethod
    def kinds_for(cls, relationship_type: str) -> list[str]:
        """Which register kinds can take this type of relationship."""
        if relationship_type == cls.COACHING:
            return [CoachKind.COACH, CoachKind.BOTH]
        return [CoachKind.MENTOR, CoachKind.BOTH]


class RequestStatus(models.TextChoices):
    OPEN = "open", "Waiting for a match"
    OFFERED = "offered", "Coach offered"
    MATCHED = "matched", "Matched"
    WITHDRAWN = "withdrawn", "Withdrawn"


class CoachingRequest(models.Model):
    """A participant asks for a coach or mentor."""

    requester = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="coaching_requests")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="coaching_requests")
    relationship_type = models.CharField(max_length=12, choices=RelationshipType.choices)
    goals = models.TextField("what you want to work on")
    specialisms = _choices_array(Specialism.choices)
    preferences = models.TextField("anything else we should know", blank=True)
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_relationship_type_display()} request from {self.requester}"

    @property
    def specialism_labels(self) -> list[str]:
        return _labels(Specialism, self.specialisms)


class RelationshipStatus(models.TextChoices):
    OFFERED = "offered", "Offered"
    ACTIVE = "active", "Active"
    DECLINED = "declined", "Declined"
    CLOSED = "closed", "Closed"


class CoachingRelationship(models.Model):
    coach = models.ForeignKey(CoachProfile, on_delete=models.PROTECT, related_name="relationships")
    coachee = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="coaching_relationships")
    request = models.ForeignKey(
        CoachingRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="relationships"
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="coaching_relationships")
    relationship_type = models.CharField(max_length=12, choices=RelationshipType.choices)
    status = models.CharField(
        max_length=10, choices=RelationshipStatus.choices, default=RelationshipStatus.OFFERED
    )
    offered_at = models.DateTimeField(default=timezone.now)
    started_on = models.DateField(null=True, blank=True, db_index=True)
    closed_on = models.DateField(null=True, blank=True, db_index=True)
    closed_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    evaluation_rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    evaluation = models.TextField(blank=True)

    class Meta:
        ordering = ["-offered_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(started_on__isnull=True)
                | models.Q(closed_on__gte=models.F("started_on")),
                name="relationship_closes_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_relationship_type_display()}: {self.coach.person} with {self.coachee}"


class CoachingSessionLog(models.Model):
    """One session of a relationship. Staff see counts and hours; `notes` only the pair see."""

    relationship = models.ForeignKey(CoachingRelationship, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField()
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    notes = models.TextField(blank=True)
    logged_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Session on {self.held_on:%d %b %Y}"
