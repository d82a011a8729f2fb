from __future__ import annotations

import django_filters
from django.contrib.contenttypes.models import ContentType

from academy.forms import Form
from academy.models import AuditEntry


class AuditEntryFilter(django_filters.FilterSet):
    person = django_filters.CharFilter(
        field_name="actor_email", lookup_expr="icontains", label="Person (email)"
    )
    action = django_filters.CharFilter(lookup_expr="istartswith", label="Action")
    target_type = django_filters.ModelChoiceFilter(
        queryset=ContentType.objects.filter(
            app_label__in=["academy", "programmes", "coaching", "talent", "gmts", "reporting"]
        ).order_by("model"),
        label="Kind of record",
        empty_label="Any",
    )
    target_id = django_filters.CharFilter(label="Record number")

    class Meta:
        form = Form  # bounded fields, NUL bytes refused (academy.forms)
        model = AuditEntry
        fields = ["person", "action", "target_type", "target_id"]
