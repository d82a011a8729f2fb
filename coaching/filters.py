"""The staff register's filters."""

from __future__ import annotations

import datetime

import django_filters
from django.db.models import F, QuerySet
from django.utils import timezone

from academy.forms import Form
from academy.models import System
from coaching.models import (
    REMINDER_DAYS_BEFORE,
    CoachKind,
    CoachProfile,
    ProfileStatus,
    Qualification,
    QualificationKind,
)

COMPLIANCE_CHOICES = (
    ("compliant", "Compliant"),
    ("due_soon", f"Supervision due within {REMINDER_DAYS_BEFORE} days"),
    ("not_compliant", "Not compliant (lapsed or overdue)"),
)
CAPACITY_CHOICES = (("free", "Has a free place"), ("full", "Full"))


class RegisterFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(method="filter_name", label="Name")
    status = django_filters.ChoiceFilter(
        choices=ProfileStatus.choices, empty_label="On the register (approved or lapsed)", label="Status"
    )
    kind = django_filters.ChoiceFilter(choices=CoachKind.choices, empty_label="Any", label="Coach or mentor")
    system = django_filters.ModelChoiceFilter(
        field_name="person__organisation__system",
        queryset=System.objects.none(),
        empty_label="Any",
        label="System",
    )
    qualification = django_filters.ChoiceFilter(
        choices=QualificationKind.choices,
        method="filter_qualification",
        empty_label="Any",
        label="Qualification",
    )
    compliance = django_filters.ChoiceFilter(
        choices=COMPLIANCE_CHOICES, method="filter_compliance", empty_label="Any", label="Supervision"
    )
    capacity = django_filters.ChoiceFilter(
        choices=CAPACITY_CHOICES, method="filter_capacity", empty_label="Any", label="Places"
    )

    class Meta:
        form = Form  # bounded fields, NUL bytes refused (academy.forms)
        model = CoachProfile
        fields = ["name", "status", "kind", "system", "qualification", "compliance", "capacity"]

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["system"].queryset = System.objects.filter(sub_region__region=region).order_by("name")

    @property
    def qs(self) -> QuerySet[CoachProfile]:
        queryset = super().qs
        # Without a status filter the register lists who is on it, lapsed included.
        if not (self.form.is_bound and self.form.is_valid() and self.form.cleaned_data.get("status")):
            queryset = queryset.on_register()
        return queryset

    def filter_name(self, queryset, name, value):
        # sort_name holds "family given" in lower case, so names are matched without joining person.
        for word in value.split():
            queryset = queryset.filter(sort_name__contains=word.lower())
        return queryset

    def filter_qualification(self, queryset, name, value):
        return queryset.filter(pk__in=Qualification.objects.filter(kind=value).values("profile_id"))

    def filter_compliance(self, queryset, name, value):
        today = timezone.localdate()
        if value == "compliant":
            return queryset.compliant(today)
        if value == "due_soon":
            soon = today + datetime.timedelta(days=REMINDER_DAYS_BEFORE)
            return queryset.compliant(today).filter(supervision_due_on__lte=soon)
        return queryset.exclude(status=ProfileStatus.APPROVED, supervision_due_on__gte=today)

    def filter_capacity(self, queryset, name, value):
        if value == "free":
            return queryset.filter(capacity__gt=F("places_taken"))
        return queryset.filter(capacity__lte=F("places_taken"))
