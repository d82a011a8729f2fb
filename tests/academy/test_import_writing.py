"""Writing a checked file (academy/imports/writing.py): every row or none, every refusal named by its
line, the import audited once; the preview names the rows refused while writing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from academy.imports import ImportRow, Preview
from academy.imports.writing import RowsRefused, check_and_write, write_rows
from academy.models import AuditEntry, Region
from tests.factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


def rows(*names: str) -> list[ImportRow]:
    return [ImportRow(line, {"name": name}) for line, name in enumerate(names, start=2)]


def write(row: ImportRow) -> Region:
    if row["name"].startswith("bad"):
        raise ValidationError(f"{row['name']} is refused")
    return RegionFactory(name=row["name"], slug=row["name"])


def test_every_row_is_written_and_the_import_audited_once():
    actor, region = UserFactory(), RegionFactory()
    written = write_rows(rows("a", "b"), write, actor=actor, region=region, action="x.import", noun="things")
    assert [r.name for r in written] == ["a", "b"]
    entry = AuditEntry.objects.get(action="x.import")
    assert (entry.data, entry.region_id) == ({"things": 2}, region.pk)


def test_a_refused_row_keeps_nothing_and_every_refusal_is_named():
    actor, region = UserFactory(), RegionFactory()
    before = Region.objects.count()
    with pytest.raises(RowsRefused) as refused:
        write_rows(
            rows("a", "bad1", "c", "bad2"), write, actor=actor, region=region, action="x.import", noun="n"
        )
    assert refused.value.refused == [(3, "bad1 is refused"), (5, "bad2 is refused")]  # the rows after one too
    assert refused.value.messages == [
        "Line 3: bad1 is refused",
        "Line 5: bad2 is refused",
        "Nothing has been imported.",
    ]
    assert Region.objects.count() == before and not AuditEntry.objects.filter(action="x.import").exists()


def test_the_preview_names_the_rows_refused_while_writing():
    actor, region = UserFactory(), RegionFactory()

    def read(*, region, content, filename):
        return Preview(spec=None, rows=rows(*content.decode().split(",")))

    def writer(*, region, rows, actor):
        return write_rows(rows, write, actor=actor, region=region, action="x.import", noun="n")

    clean = check_and_write(read, writer, region=region, content=b"a,b", actor=actor, commit=True)
    assert clean.ok and Region.objects.filter(name__in=["a", "b"]).count() == 2
    refused = check_and_write(read, writer, region=region, content=b"c,bad", actor=actor, commit=True)
    assert (refused.errors, refused.rows) == ([(3, "bad is refused")], [])
    assert not Region.objects.filter(name="c").exists()
    unwritten = check_and_write(read, writer, region=region, content=b"d", actor=actor)
    assert unwritten.ok and not Region.objects.filter(name="d").exists()
