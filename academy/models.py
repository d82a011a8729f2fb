"""The ground every part of Academy stands on: geography, organisations, people, roles, audit."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class Role(models.TextChoices):
    """Roles are held through a `RoleGrant` (ADR 0003); everyone signed in is also a participant."""

    PROGRAMME_STAFF = "Programme staff", "Programme staff"
    COACH = "Coach", "Coach"
    SUPERVISOR = "Supervisor", "Supervisor"
    TALENT_LEAD = "Talent lead", "Talent lead"
    TALENT_BOARD = "Talent board member", "Talent board member"
    GMTS_MANAGER = "GMTS manager", "GMTS manager"
    LEAD = "Lead", "Lead"


# Roles that see other people's records: they must use MFA.
STAFF_ROLES = frozenset(
    {Role.PROGRAMME_STAFF, Role.SUPERVISOR, Role.TALENT_LEAD, Role.TALENT_BOARD, Role.GMTS_MANAGER, Role.LEAD}
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person's sign-in: the work email is the identity."""

    username = None
    email = models.EmailField("work email", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.email


ODS_CODE_HELP = "The code the NHS Organisation Data Service gives it, e.g. Y60, QHL, RRK or M85001."


def _ods_code_unique(model: str) -> models.UniqueConstraint:
    """An ODS code names one row; rows without one (local or demo bodies) are told apart by name."""
    return models.UniqueConstraint(
        fields=["ods_code"], condition=~models.Q(ods_code=""), name=f"{model}_ods_code_unique"
    )


class Region(models.Model):
    """An NHS England region, e.g. Midlands (formed 1 April 2020 from East and West Midlands)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    ods_code = models.CharField("ODS code", max_length=3, blank=True, help_text=ODS_CODE_HELP)

    class Meta:
        ordering = ["name"]
        constraints = [_ods_code_unique("region")]

    def __str__(self) -> str:
        return self.name


class SubRegion(models.Model):
    """The split reports use within a region, e.g. East Midlands / West Midlands."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="sub_regions")
    name = models.CharField(max_length=100)
    slug = models.SlugField()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "slug"], name="subregion_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class System(models.Model):
    """An integrated care system (earlier an STP), known by its place (e.g. "Derby and Derbyshire");
    its integrated care board, the employer, is an `Organisation` with the same ODS code (e.g. QJ2)."""

    sub_region = models.ForeignKey(SubRegion, on_delete=models.PROTECT, related_name="systems")
    name = models.CharField(max_length=150)
    slug = models.SlugField(unique=True)
    ods_code = models.CharField("ODS code", max_length=5, blank=True, help_text=ODS_CODE_HELP)

    class Meta:
        ordering = ["name"]
        constraints = [_ods_code_unique("system")]

    def __str__(self) -> str:
        return self.name


class OrganisationType(models.TextChoices):
    NHS_TRUST = "nhs_trust", "NHS trust"
    ACUTE_TRUST = "acute", "Acute trust"
    MENTAL_HEALTH_TRUST = "mental_health", "Mental health trust"
    COMMUNITY_TRUST = "community", "Community trust"
    AMBULANCE_TRUST = "ambulance", "Ambulance trust"
    GP_PRACTICE = "gp_practice", "GP practice"
    PCN = "pcn", "Primary care network"
    COMMISSIONER = "commissioner", "Commissioner (CCG / ICB)"
    LOCAL_AUTHORITY = "local_authority", "Local authority / social care"
    THIRD_SECTOR = "third_sector", "Third sector"
    REGIONAL_BODY = "regional_body", "Regional or national body"


class OrganisationQuerySet(models.QuerySet):
    def open(self, on: datetime.date | None = None) -> OrganisationQuerySet:
        """Organisations a person can work for on `on` (today): not yet closed."""
        on = on or timezone.localdate()
        return self.filter(models.Q(closed_on__isnull=True) | models.Q(closed_on__gt=on))


class Organisation(models.Model):
    """An employer within a system; regional and national bodies belong to no one system. Rows loaded
    from the NHS Organisation Data Service carry its code; a closed one stays for the history it has."""

    name = models.CharField(max_length=200)
    type = models.CharField(max_length=20, choices=OrganisationType.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="organisations")
    system = models.ForeignKey(
        System, on_delete=models.PROTECT, related_name="organisations", null=True, blank=True
    )
    ods_code = models.CharField("ODS code", max_length=10, blank=True, help_text=ODS_CODE_HELP)
    closed_on = models.DateField(null=True, blank=True, help_text="The day it closed, if it has.")

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            # ODS names repeat ("The Surgery"): only bodies without a code must be told apart by name.
            models.UniqueConstraint(
                fields=["region", "name"], condition=models.Q(ods_code=""), name="organisation_name_unique"
            ),
            _ods_code_unique("organisation"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """How a chooser shows it: the name, with the ODS code that tells apart two of the same name."""
        return f"{self.name} ({self.ods_code})" if self.ods_code else self.name


class StaffGroup(models.TextChoices):
    """ESR staff groups."""

    ADDITIONAL_PROF_SCIENTIFIC_TECHNICAL = "apst", "Additional Professional Scientific and Technical"
    ADDITIONAL_CLINICAL_SERVICES = "acs", "Additional Clinical Services"
    ADMINISTRATIVE_CLERICAL = "admin", "Administrative and Clerical"
    ALLIED_HEALTH_PROFESSIONALS = "ahp", "Allied Health Professionals"
    ESTATES_ANCILLARY = "estates", "Estates and Ancillary"
    HEALTHCARE_SCIENTISTS = "scientists", "Healthcare Scientists"
    MEDICAL_DENTAL = "medical", "Medical and Dental"
    NURSING_MIDWIFERY = "nursing", "Nursing and Midwifery Registered"
    STUDENTS = "students", "Students"


class PayBand(models.TextChoices):
    """Agenda for Change bands, VSM, medical grades and other."""

    BAND_2 = "2", "Band 2"
    BAND_3 = "3", "Band 3"
    BAND_4 = "4", "Band 4"
    BAND_5 = "5", "Band 5"
    BAND_6 = "6", "Band 6"
    BAND_7 = "7", "Band 7"
    BAND_8A = "8a", "Band 8a"
    BAND_8B = "8b", "Band 8b"
    BAND_8C = "8c", "Band 8c"
    BAND_8D = "8d", "Band 8d"
    BAND_9 = "9", "Band 9"
    VSM = "vsm", "Very senior manager (VSM)"
    MEDICAL = "medical", "Medical grade"
    OTHER = "other", "Other"


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NON_BINARY = "non_binary", "Non-binary or in another way"
    PREFER_NOT_TO_SAY = "prefer_not", "Prefer not to say"


class EthnicCategory(models.TextChoices):
    """NHS data dictionary ethnic category codes."""

    A = "A", "White – British"
    B = "B", "White – Irish"
    C = "C", "White – Any other White background"
    D = "D", "Mixed – White and Black Caribbean"
    E = "E", "Mixed – White and Black African"
    F = "F", "Mixed – White and Asian"
    G = "G", "Mixed – Any other mixed background"
    H = "H", "Asian or Asian British – Indian"
    J = "J", "Asian or Asian British – Pakistani"
    K = "K", "Asian or Asian British – Bangladeshi"
    L = "L", "Asian or Asian British – Any other Asian background"
    M = "M", "Black or Black British – Caribbean"
    N = "N", "Black or Black British – African"
    P = "P", "Black or Black British – Any other Black background"
    R = "R", "Other ethnic group – Chinese"
    S = "S", "Other ethnic group – Any other ethnic group"
    Z = "Z", "Not stated (prefer not to say)"

    @classmethod
    def white(cls) -> frozenset[str]:
        return frozenset({cls.A, cls.B, cls.C})

    @classmethod
    def minority_ethnic(cls) -> frozenset[str]:
        """Every stated category outside the White groups A–C, as NHS reporting counts it."""
        return frozenset(c for c in cls.values if c not in cls.white() and c != cls.Z)


class Disability(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    PREFER_NOT_TO_SAY = "prefer_not", "Prefer not to say"


class PersonQuerySet(models.QuerySet):
    def in_region(self, region: Region) -> PersonQuerySet:
        return self.filter(region=region)


class Person(models.Model):
    """The profile of everyone who signs in. Equality fields are optional and special-category data."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person")
    given_name = models.CharField("first name", max_length=100, blank=True)
    family_name = models.CharField("last name", max_length=100, blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="people", null=True, blank=True
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="people", null=True, blank=True)
    staff_group = models.CharField(max_length=20, choices=StaffGroup.choices, blank=True)
    pay_band = models.CharField(max_length=10, choices=PayBand.choices, blank=True)
    gender = models.CharField(max_length=20, choices=Gender.choices, blank=True)
    ethnic_category = models.CharField(max_length=1, choices=EthnicCategory.choices, blank=True)
    disability = models.CharField(max_length=20, choices=Disability.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when the person's data was erased on request or anonymised after the retention period.
    erased_at = models.DateTimeField(null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def system(self) -> System | None:
        return self.organisation.system if self.organisation_id else None

    @property
    def is_profile_complete(self) -> bool:
        return bool(self.given_name and self.family_name and self.organisation_id and self.staff_group)


class RoleGrant(models.Model):
    """A role an administrator granted a person for one region (ADR 0003). What a staff member may see
    follows from their grants alone, never from their profile, which they edit themselves. Granting and
    revoking go through `academy.services.role_grant` / `role_revoke`, so both are audited."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=20, choices=Role.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="role_grants")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__email", "role"]
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="rolegrant_user_role_unique")]

    def __str__(self) -> str:
        return f"{self.role} for {self.region} ({self.user})"

    def clean(self) -> None:
        """A staff member works for one region: their staff-type roles all share it, so the region
        whose records they see never depends on which of their roles a page asks for."""
        from django.core.exceptions import ValidationError

        if self.role not in STAFF_ROLES or not self.user_id or not self.region_id:
            return
        elsewhere = (
            RoleGrant.objects.filter(user_id=self.user_id, role__in=STAFF_ROLES)
            .exclude(region_id=self.region_id)
            .exclude(pk=self.pk)
            .select_related("region")
            .first()
        )
        if elsewhere is not None:
            raise ValidationError(
                {
                    "region": f"This person holds {elsewhere.role} for {elsewhere.region}. "
                    "Revoke it first: a staff member works for one region."
                }
            )


# The action of an audit entry that records a read (`academy.audit.audit_read`): it changes no data.
AUDIT_READ = "person.read_special"


class AuditEntry(models.Model):
    """One state change, written by `academy.audit.record`. The table is append-only (a trigger
    refuses UPDATE and DELETE), so the history cannot be rewritten from the application."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor_email = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.DO_NOTHING, null=True, blank=True, related_name="+", db_constraint=False
    )
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(max_length=300, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.DO_NOTHING, null=True, blank=True, related_name="+", db_constraint=False
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            # The newest change to each kind of record (academy.figures_cache): reads change
            # nothing, so they are left out.
            models.Index(
                fields=["target_type", "id"], name="audit_change_idx", condition=~models.Q(action=AUDIT_READ)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_email or 'system'} {self.action} {self.target_repr}"


class ImportRunStatus(models.TextChoices):
    CHECKED = "checked", "Checked, waiting to be imported"
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    SUCCEEDED = "succeeded", "Imported"
    FAILED = "failed", "Not imported"


class ImportRun(models.Model):
    """One uploaded file on its way in (`academy.imports`): kept from the preview to the commit, so the
    file imported is the file checked, and followed by the progress page while a large one is written
    in the background. Only the person who uploaded it may see or commit it."""

    kind = models.CharField(max_length=50)
    # The dotted path of the service that writes the file (`service(run=..., progress=...)`).
    service = models.CharField(max_length=200)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255, blank=True)
    content = models.BinaryField()
    row_count = models.PositiveIntegerField(default=0)
    # What the uploader chose on the form besides the file (e.g. an exception to the sign-up domains
    # and its reason), applied again when the file is written.
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=ImportRunStatus.choices, default=ImportRunStatus.CHECKED)
    stage = models.CharField(max_length=200, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    outcome = models.TextField(blank=True)
    errors = models.JSONField(default=list, blank=True)
    done_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="importrun_progress_pct")
        ]

    def __str__(self) -> str:
        return f"Import {self.pk} of {self.filename or self.kind}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportRunStatus.SUCCEEDED, ImportRunStatus.FAILED)


class FormSubmission(models.Model):
    """A create form's one-time token, claimed when the form is first sent (academy.once): sent again
    (a double click, or back and resubmit) it finds this row and goes to what the first one made."""

    token = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Form {self.token}"
