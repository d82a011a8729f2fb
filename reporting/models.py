"""The Year in Review: editions (period, scope, narrative, quotes), the runs that render their PDF, and
the HCLM 360 counts imported from the national tool."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models

from academy.models import Region, SubRegion, System
from academy.scope import nhs_year_label, nhs_year_period, period_label  # noqa: F401 (re-exported)


def private_storage() -> FileSystemStorage:
    """Generated reports live under MEDIA_ROOT/reports and are only ever served by a view that checks
    who is asking (never by the static handler). Without a location, the storage follows MEDIA_ROOT
    (even when tests change it)."""
    return _private_storage


_private_storage = FileSystemStorage()


class Edition(models.Model):
    """One Year in Review: a period (an NHS year or a custom one) for a region or one system, with the
    narrative leads write in the portal and the participant quotes they pick."""

    title = models.CharField(max_length=200)
    period_start = models.DateField()
    period_end = models.DateField()
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="editions")
    system = models.ForeignKey(
        System,
        on_delete=models.PROTECT,
        related_name="editions",
        null=True,
        blank=True,
        help_text="Leave empty for the whole region.",
    )
    welcome = models.TextField(blank=True)
    executive_summary = models.TextField(blank=True)
    # {chapter key: introduction}: one entry per chapter in reporting.chapters.CHAPTERS, so a new
    # chapter (talent, GMTS) needs no migration.
    chapter_introductions = models.JSONField(default=dict, blank=True)
    looking_ahead = models.TextField(blank=True)
    quotes = models.ManyToManyField(
        "programmes.Feedback",
        related_name="+",
        blank=True,
        limit_choices_to={"consent_to_quote": True},
        help_text="Only feedback given with consent to quote can be published.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_start", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="edition_period_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": "The end of the period must be on or after its start."})
        if self.system_id and self.region_id and self.system.sub_region.region_id != self.region_id:
            raise ValidationError({"system": "Choose a system in this edition's region."})

    @property
    def period_label(self) -> str:
        return period_label(self.period_start, self.period_end)

    @property
    def scope_label(self) -> str:
        return self.system.name if self.system_id else self.region.name

    def introduction(self, chapter_key: str) -> str:
        return (self.chapter_introductions or {}).get(chapter_key, "")


class ReportRunStatus(models.TextChoices):
    PENDING = "pending", "Waiting to start"
    RUNNING = "running", "Being generated"
    SUCCEEDED = "succeeded", "Ready"
    FAILED = "failed", "Failed"


class ReportRun(models.Model):
    """One request to render an edition's PDF. Created by the view, filled in by the task; a retry
    reuses the row and overwrites its file, so a run never has two PDFs."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=20, choices=ReportRunStatus.choices, default=ReportRunStatus.PENDING)
    stage = models.CharField(max_length=100, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    file = models.FileField(storage=private_storage, upload_to="reports/", blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="reportrun_progress_pct"),
        ]
        indexes = [models.Index(fields=["edition", "-created_at"], name="reportrun_edition_idx")]

    def __str__(self) -> str:
        return f"{self.edition} run {self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (ReportRunStatus.SUCCEEDED, ReportRunStatus.FAILED)

    @property
    def filename(self) -> str:
        label = self.edition.title.lower().replace("/", "-")
        return re.sub(r"[^a-z0-9-]+", "-", label).strip("-") + ".pdf"


class Hclm360Import(models.Model):
    """One CSV upload of the national HCLM 360 tool's counts (all rows or none)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=200)
    row_count = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.row_count} rows)"


# The counts of the HCLM 360 table, in the source's order: (field, label).
HCLM_COUNTS = [
    ("created_360", "Total 360s created"),
    ("self_assessment_in_progress_360", "Total 360s with self assessment in progress"),
    ("self_assessment_completed_360", "Total 360s with self assessments completed"),
    ("submitted_for_facilitation_360", "Total 360s submitted for facilitation"),
    ("marked_complete_360", "Total 360s marked complete by facilitator"),
    ("self_assessments_created", "Self assessments created"),
    ("self_assessments_completed", "Self assessments completed"),
    ("facilitators_trained", "Facilitators trained this year"),
    ("facilitators_added", "Facilitators added to the register this year"),
    ("facilitators_on_register", "Facilitators on the register (overall)"),
]


class Hclm360Count(models.Model):
    """One calendar year's counts for one sub-region, or for the whole ("Overall", sub_region empty)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    sub_region = models.ForeignKey(
        SubRegion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.ForeignKey(Hclm360Import, on_delete=models.SET_NULL, null=True, related_name="counts")
    created_360 = models.PositiveIntegerField()
    self_assessment_in_progress_360 = models.PositiveIntegerField()
    self_assessment_completed_360 = models.PositiveIntegerField()
    submitted_for_facilitation_360 = models.PositiveIntegerField()
    marked_complete_360 = models.PositiveIntegerField()
    self_assessments_created = models.PositiveIntegerField()
    self_assessments_completed = models.PositiveIntegerField()
    facilitators_trained = models.PositiveIntegerField()
    facilitators_added = models.PositiveIntegerField()
    facilitators_on_register = models.PositiveIntegerField()

    class Meta:
        ordering = ["year", "sub_region__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "sub_region"],
                name="hclm360_year_subregion_unique",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"HCLM 360 {self.year} {self.sub_region or 'Overall'}"
