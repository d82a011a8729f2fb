from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from academy import audit
from academy.models import AuditEntry, Organisation, Person, Region, SubRegion, System, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Name", {"fields": ("first_name", "last_name")}),
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
