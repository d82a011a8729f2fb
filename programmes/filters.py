"""The offer's search and filters. Programme-level filters narrow programmes directly; cohort-level
ones (system, dates, places) are combined into one EXISTS so they describe the same cohort."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Exists, F, OuterRef, Q

from academy.filters import NHSDateFilter
from academy.forms import Form
from academy.selectors import system_choices
from programmes.models import Audience, CohortStatus, DeliveryMode, Programme, Theme
from programmes.selectors import upcoming_cohorts


class OfferFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
    theme = django_filters.ChoiceFilter(
        choices=Theme.choices, empty_label="Any theme", label="People Plan theme"
    )
    audience = django_filters.ChoiceFilter(choices=Audience.choices, empty_label="Anyone", label="Audience")
    delivery_mode = django_filters.ChoiceFilter(
        choices=DeliveryMode.choices, empty_label="Any", label="How it is delivered"
    )
    system = django_filters.ChoiceFilter(
        # Reference data kept per process (academy.selectors.system_choices): no query per request.
        choices=lambda: [(str(choice.pk), choice.name) for choice in system_choices()],
        method="by_cohort",
        empty_label="Any system",
        label="Your system",
        help_text="Cohorts for this system and region-wide cohorts.",
    )
    starts_after = NHSDateFilter(
        method="by_cohort", label="Starting on or after", error_name="Earliest start date"
    )
    starts_before = NHSDateFilter(
        method="by_cohort", label="Starting on or before", error_name="Latest start date"
    )
    places_available = django_filters.BooleanFilter(
        method="by_cohort", label="Only with places available now", widget=forms.CheckboxInput
    )

    class Meta:
        form = Form  # bounded fields, NUL bytes refused (academy.forms)
        model = Programme
        fields = ["q", "theme", "audience", "delivery_mode"]

    def search(self, queryset, name, value):
        query = SearchQuery(value, search_type="websearch", config="english")
        return (
            queryset.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "title")
        )

    def by_cohort(self, queryset, name, value):
        return queryset  # applied together in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        conditions = Q()
        chosen = data.get("system")
        if system := next((s for s in system_choices() if chosen and str(s.pk) == chosen), None):
            conditions &= Q(system=system.pk) | Q(system__isnull=True, region=system.region_id)
        if data.get("starts_after"):
            conditions &= Q(starts_on__gte=data["starts_after"])
        if data.get("starts_before"):
            conditions &= Q(starts_on__lte=data["starts_before"])
        if data.get("places_available"):
            conditions &= Q(status=CohortStatus.OPEN, places_taken__lt=F("capacity"))
        if conditions:
            matching = upcoming_cohorts().filter(conditions, programme=OuterRef("pk"))
            queryset = queryset.filter(Exists(matching))
        return queryset
