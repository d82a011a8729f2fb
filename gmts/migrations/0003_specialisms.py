"""The five specialisms of the scheme, so every portal starts with them (frameworks editable later)."""

from django.db import migrations


def add_specialisms(apps, schema_editor):
    from gmts.specialisms import SPECIALISMS

    Specialism = apps.get_model("gmts", "Specialism")
    for spec in SPECIALISMS:
        Specialism.objects.get_or_create(slug=spec["slug"], defaults=spec)


class Migration(migrations.Migration):
    dependencies = [("gmts", "0002_scheme")]
    operations = [migrations.RunPython(add_specialisms, migrations.RunPython.noop)]
