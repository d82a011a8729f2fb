from __future__ import annotations

from django.contrib import admin

from talent.models import (
    AssessmentCentre,
    BoardSeat,
    CareerMovement,
    CentreBooking,
    CriticalRole,
    ExerciseRating,
    Interest,
    Opportunity,
    PoolMember,
    ReadinessChange,
    SeniorWorkforce,
    SlateEntry,
    TargetRole,
)


class ReadinessChangeInline(admin.TabularInline):
    model = ReadinessChange
    extra = 0
    can_delete = False
    readonly_fields = ("readiness", "decided_on", "decided_by", "evidence")


@admin.register(PoolMember)
class PoolMemberAdmin(admin.ModelAdmin):
    list_display = ("person", "region", "system", "professional_group", "readiness", "joined_on", "exited_on")
    list_filter = ("region", "readiness", "professional_group", "service_type", "entry_route")
    search_fields = ("person__given_name", "person__family_name", "person__user__email")
    raw_id_fields = ("person", "organisation")
    readonly_fields = ("readiness", "readiness_on", "first_ready_now_on")
    inlines = [ReadinessChangeInline]


@admin.register(TargetRole)
class TargetRoleAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "is_board_role")


class CentreBookingInline(admin.TabularInline):
    model = CentreBooking
    extra = 0
    raw_id_fields = ("person",)


@admin.register(AssessmentCentre)
class AssessmentCentreAdmin(admin.ModelAdmin):
    list_display = ("title", "level", "held_on", "places", "region")
    list_filter = ("level", "region")
    raw_id_fields = ("assessors",)
    inlines = [CentreBookingInline]


@admin.register(ExerciseRating)
class ExerciseRatingAdmin(admin.ModelAdmin):
    list_display = ("booking", "assessor", "exercise", "domain", "score")
    raw_id_fields = ("booking", "assessor")


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ("role", "host", "kind", "closes_on", "places")
    list_filter = ("kind", "region")
    raw_id_fields = ("host",)


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ("opportunity", "member", "status")
    raw_id_fields = ("opportunity", "member")


@admin.register(CareerMovement)
class CareerMovementAdmin(admin.ModelAdmin):
    list_display = ("member", "role", "organisation", "moved_on", "kind", "terms", "board_level")
    raw_id_fields = ("member", "organisation")


@admin.register(BoardSeat)
class BoardSeatAdmin(admin.ModelAdmin):
    list_display = ("user", "system", "granted_by", "granted_at")
    raw_id_fields = ("user",)


class SlateEntryInline(admin.TabularInline):
    model = SlateEntry
    extra = 0
    raw_id_fields = ("member",)


@admin.register(CriticalRole)
class CriticalRoleAdmin(admin.ModelAdmin):
    list_display = ("target_role", "organisation", "system")
    raw_id_fields = ("organisation",)
    inlines = [SlateEntryInline]


@admin.register(SeniorWorkforce)
class SeniorWorkforceAdmin(admin.ModelAdmin):
    list_display = ("system", "as_of", "white", "minority_ethnic", "female", "male")
