"""Roles were Django groups and a staff member's region was their profile's. Each member of a role's
group is granted that role for the region their profile had at the time of this migration (people with
no region get no grant: they could see no regional records before either); the role groups are then
removed, as nothing reads them any more (ADR 0003)."""

from __future__ import annotations

from django.db import migrations

ROLES = ("Programme staff", "Coach", "Supervisor", "Talent lead", "GMTS manager", "Lead")


def grants_from_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Person = apps.get_model("academy", "Person")
    RoleGrant = apps.get_model("academy", "RoleGrant")
    regions = dict(Person.objects.filter(region__isnull=False).values_list("user_id", "region_id"))
    grants = []
    for group in Group.objects.filter(name__in=ROLES):
        for user_id in group.user_set.values_list("pk", flat=True):
            if user_id in regions:
                grants.append(RoleGrant(user_id=user_id, role=group.name, region_id=regions[user_id]))
    RoleGrant.objects.bulk_create(grants, ignore_conflicts=True)
    Group.objects.filter(name__in=ROLES).delete()


def groups_from_grants(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    RoleGrant = apps.get_model("academy", "RoleGrant")
    for grant in RoleGrant.objects.all():
        Group.objects.get_or_create(name=grant.role)[0].user_set.add(grant.user_id)


class Migration(migrations.Migration):
    dependencies = [
        ("academy", "0003_role_grant"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grants_from_groups, groups_from_grants)]
