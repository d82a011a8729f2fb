"""The pool list's filters."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from academy.models import System
from talent.models import EntryRoute, PoolMember, ProfessionalGroup, Readiness, ServiceType, TargetRole

STATUS_CHOICES = (("active", "In the pool"), ("left", "Left the pool"), ("all", "Everyone"))


class PoolFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(method="filter_name", label="Name")
    readiness = django_filters.ChoiceFilter(choices=Readiness.choices, empty_label="Any", label="Readiness")
    professional_group = django_filters.ChoiceFilter(
        choices=ProfessionalGroup.choices, empty_label="Any", label="Professional group"
    )
    service_type = django_filters.ChoiceFilter(
        choices=ServiceType.choices, empty_label="Any", label="Service type"
    )
    system = django_filters.ModelChoiceFilter(
        queryset=System.objects.none(), empty_label="Any", label="System"
    )
    target_role = django_filters.ModelChoiceFilter(
        field_name="target_roles", queryset=TargetRole.objects.none(), empty_label="Any", label="Target role"
    )
    entry_route = django_filters.ChoiceFilter(
        choices=EntryRoute.choices, empty_label="Any", label="Entry route"
    )
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, method="filter_status", empty_label=None, label="Membership"
    )

    class Meta:
        model = PoolMember
        fields = [
            "name",
            "readiness",
            "professional_group",
            "service_type",
            "system",
            "target_role",
            "entry_route",
            "status",
        ]

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["system"].queryset = System.objects.filter(sub_region__region=region).order_by("name")
        self.filters["target_role"].queryset = TargetRole.objects.filter(
            Q(region__isnull=True) | Q(region=region)
        )

    @property
    def qs(self):
        queryset = super().qs
        if not (self.form.is_bound and self.form.is_valid() and self.form.cleaned_data.get("status")):
            queryset = queryset.active()
        return queryset

    def filter_name(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(person__given_name__icontains=word) | Q(person__family_name__icontains=word)
            )
        return queryset

    def filter_status(self, queryset, name, value):
        if value == "active":
            return queryset.active()
        if value == "left":
            return queryset.filter(exited_on__isnull=False)
        return queryset
