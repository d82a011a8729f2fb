from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from academy import audit, services
from academy.models import AuditEntry, Organisation, Person, Region, RoleGrant, SubRegion, System, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Name", {"fields": ("first_name", "last_name")}),
        # Portal roles are granted under "Role grants"; groups here give Django admin permissions only.
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SubRegion)
class SubRegionAdmin(admin.ModelAdmin):
    list_display = ["name", "region"]


@admin.register(System)
class SystemAdmin(admin.ModelAdmin):
    list_display = ["name", "sub_region"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "system", "region"]
    list_filter = ["type", "system"]
    search_fields = ["name"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "organisation", "staff_group"]
    search_fields = ["given_name", "family_name", "user__email"]
    list_select_related = ["organisation", "user"]
    raw_id_fields = ["user", "organisation"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The form shows the person's equality answers: the read is audited."""
        response = super().change_view(request, object_id, form_url, extra_context)
        person = Person.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if person is not None and response.status_code == 200:
            audit.audit_read(request.user, person, audit.SPECIAL_CATEGORY_FIELDS, purpose="Django admin")
        return response


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    """Where an administrator grants a role for a region (ADR 0003). A grant is never edited: revoke it
    and grant another, so every change of what someone may see is one audited grant or revocation."""

    list_display = ["user", "role", "region", "granted_by", "granted_at"]
    list_filter = ["role", "region"]
    search_fields = ["user__email", "user__person__given_name", "user__person__family_name"]
    list_select_related = ["user", "region", "granted_by"]
    autocomplete_fields = ["user"]
    fields = ["user", "role", "region"]

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        granted = services.role_grant(user=obj.user, role=obj.role, region=obj.region, actor=request.user)
        obj.pk = granted.pk

    def delete_model(self, request, obj):
        services.role_revoke(grant=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for grant in queryset.select_related("user", "region"):
            services.role_revoke(grant=grant, actor=request.user)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_email", "action", "target_repr"]
    list_filter = ["action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
