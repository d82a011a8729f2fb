"""The eight board roles every organisation has, shared by every region's pool."""

from django.db import migrations

BOARD_ROLES = (
    "Chief executive",
    "Director of finance",
    "Director of nursing",
    "Medical director",
    "Director of operations",
    "Director of people",
    "Director of strategy",
    "Director of digital",
)


def add_board_roles(apps, schema_editor):
    TargetRole = apps.get_model("talent", "TargetRole")
    for name in BOARD_ROLES:
        TargetRole.objects.get_or_create(name=name, region=None, defaults={"is_board_role": True})


class Migration(migrations.Migration):
    dependencies = [("talent", "0001_initial")]

    operations = [migrations.RunPython(add_board_roles, migrations.RunPython.noop)]
