"""Read-mostly admin for support; programme staff work in the portal's own pages."""

from __future__ import annotations

from django.contrib import admin

from programmes.models import (
    Application,
    Attendance,
    Certificate,
    Cohort,
    Enrolment,
    Feedback,
    Programme,
    Session,
)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "theme", "entry_route", "is_published"]
    list_filter = ["theme", "entry_route", "delivery_mode", "is_published"]
    search_fields = ["code", "title"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "status", "starts_on", "capacity", "places_taken"]
    list_filter = ["status"]
    search_fields = ["name", "programme__code"]
    raw_id_fields = ["programme"]
    readonly_fields = ["places_taken"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "cohort", "starts_at", "is_cancelled"]
    raw_id_fields = ["cohort"]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["person", "cohort", "status", "waitlist_position"]
    list_filter = ["status"]
    raw_id_fields = ["cohort", "person"]
    search_fields = ["person__user__email", "cohort__name"]


for model in (Attendance, Application, Feedback, Certificate):
    admin.site.register(model, raw_id_fields=["enrolment"])
