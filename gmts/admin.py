"""Read-mostly admin for support; the GMTS team works in the portal's own pages. Feedback is not
listed here: it is only ever shown as a host's aggregate."""

from __future__ import annotations

from django.contrib import admin

from gmts.models import CompetencySignOff, HostBid, Intake, Placement, SchemeQuote, Specialism, Trainee


@admin.register(Intake)
class IntakeAdmin(admin.ModelAdmin):
    list_display = ["label", "region", "starts_on"]
    list_filter = ["region", "season"]


@admin.register(Specialism)
class SpecialismAdmin(admin.ModelAdmin):
    list_display = ["name", "length_months", "has_principal_placement"]


@admin.register(Trainee)
class TraineeAdmin(admin.ModelAdmin):
    list_display = ["person", "intake", "specialism", "status", "programme_manager"]
    list_filter = ["status", "specialism", "intake"]
    search_fields = ["person__family_name", "person__user__email"]
    raw_id_fields = ["person", "programme_manager"]
    readonly_fields = ["ends_on", "reminder_start", "reminder_weeks"]


@admin.register(HostBid)
class HostBidAdmin(admin.ModelAdmin):
    list_display = ["lead_organisation", "intake", "kind", "status", "places_approved", "places_taken"]
    list_filter = ["status", "kind", "intake"]
    raw_id_fields = ["programme_manager", "placement_manager", "lead_organisation", "partners"]
    readonly_fields = ["places_taken", "decided_by", "decided_at"]


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["trainee", "host", "kind", "starts_on", "ends_on", "status"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["trainee", "bid", "host", "placement_manager"]
    readonly_fields = ["confirmed_by", "confirmed_at"]


@admin.register(CompetencySignOff)
class CompetencySignOffAdmin(admin.ModelAdmin):
    list_display = ["trainee", "competency", "signed_off_at"]
    raw_id_fields = ["trainee", "placement"]


@admin.register(SchemeQuote)
class SchemeQuoteAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "given_on", "chosen_at"]
    list_filter = ["role", "region"]
