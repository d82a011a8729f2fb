"""btree_gist lets the placements' exclusion constraint compare the trainee (an integer) with `=` in
the same GiST index as the dates' overlap."""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []
    operations = [BtreeGistExtension()]
