from __future__ import annotations

import django_filters
from django.contrib.contenttypes.models import ContentType

from academy.forms import DateField, Form
from academy.models import AuditEntry


class NHSDateFilter(django_filters.DateFilter):
    """A date filter entered in the NHS.UK date input (Day, Month, Year)."""

    field_class = DateField


class AuditEntryFilter(django_filters.FilterSet):
    person = django_filters.CharFilter(
        field_name="actor_email", lookup_expr="icontains", label="Person (email)"
    )
    action = django_filters.CharFilter(
        lookup_expr="istartswith",
        label="Action",
        help_text="The start of an action's code, for example enrolment or cohort.open",
    )
    target_type = django_filters.ModelChoiceFilter(
        queryset=ContentType.objects.filter(
            app_label__in=["academy", "programmes", "coaching", "talent", "gmts", "reporting"]
        ).order_by("model"),
        label="Kind of record",
        empty_label="Any",
    )
    target_id = django_filters.CharFilter(label="Record number")
    since = NHSDateFilter(field_name="created_at", lookup_expr="date__gte", label="From")
    until = NHSDateFilter(field_name="created_at", lookup_expr="date__lte", label="To")

    class Meta:
        form = Form  # bounded fields, NUL bytes refused (academy.forms)
        model = AuditEntry
        fields = ["person", "action", "target_type", "target_id", "since", "until"]
