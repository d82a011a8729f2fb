from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.utils import timezone

from academy.bulk import array_literal, insert_columns, repeat
from academy.models import AuditEntry

pytestmark = pytest.mark.django_db

# Text PostgreSQL's array syntax gives a meaning to: quotes, backslashes, braces, commas, the word NULL,
# blanks and spaces at the ends, and letters outside ASCII.
AWKWARD = ['say "hi"', "back\\slash", "{braces}", "a,b", "NULL", "", "  padded  ", "Siân Ó Dónaill – ✓"]


def test_insert_columns_keeps_every_value_as_written():
    now = timezone.now()
    count = len(AWKWARD)
    inserted = insert_columns(
        AuditEntry,
        {
            "created_at": repeat(now, count),
            "actor": repeat(None, count),
            "actor_email": repeat("", count),
            "action": repeat("bulk.test", count),
            "target_id": [str(n) for n in range(count)],
            "target_repr": AWKWARD,
            "region": [None if n % 2 else n for n in range(count)],
            "data": repeat(json.dumps({"quote": '"', "slash": "\\"}), count),
        },
        returning=("target_id", "id"),
    )
    assert len(inserted) == count
    entries = {e.target_id: e for e in AuditEntry.objects.filter(action="bulk.test")}
    assert [entries[str(n)].target_repr for n in range(count)] == AWKWARD
    assert [entries[str(n)].region_id for n in range(count)] == [None if n % 2 else n for n in range(count)]
    assert {e.created_at for e in entries.values()} == {now}
    assert {e.actor_id for e in entries.values()} == {None}
    assert all(e.data == {"quote": '"', "slash": "\\"} for e in entries.values())


def test_insert_columns_in_batches(monkeypatch):
    monkeypatch.setattr("academy.bulk.BATCH", 3)
    inserted = insert_columns(
        AuditEntry,
        {
            "created_at": repeat(timezone.now(), 7),
            "actor_email": repeat("", 7),
            "action": repeat("bulk.batched", 7),
            "target_id": [str(n) for n in range(7)],
            "target_repr": repeat("", 7),
            "data": repeat("{}", 7),
        },
        returning=("target_id",),
    )
    assert sorted(int(t) for (t,) in inserted) == list(range(7))
    assert AuditEntry.objects.filter(action="bulk.batched").count() == 7


def test_insert_columns_refuses_columns_of_different_lengths():
    with pytest.raises(ValueError, match="different lengths"):
        insert_columns(AuditEntry, {"action": ["a", "b"], "target_id": ["1"]})


def test_array_literal_reads_back_as_the_values():
    day, moment = dt.date(2021, 3, 31), dt.datetime(2021, 3, 31, 9, 30, tzinfo=dt.UTC)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::boolean[], %s::date[], %s::timestamptz[], %s::integer[], %s::text[]",
            [
                array_literal([True, False, None]),
                array_literal([day, None]),
                array_literal([moment]),
                array_literal([1, -2, 3]),
                array_literal(AWKWARD),
            ],
        )
        assert cursor.fetchone() == ([True, False, None], [day, None], [moment], [1, -2, 3], AWKWARD)


def test_array_literal_refuses_what_has_no_text_form():
    with pytest.raises(TypeError, match="dict"):
        array_literal([{"a": 1}])


def test_array_literal_of_one_kind_or_mixed():
    moment = dt.datetime(2021, 3, 31, 9, 30, tzinfo=dt.UTC)
    assert array_literal(["a", 'b"c', "d\\e"]) == '{"a","b\\"c","d\\\\e"}'
    assert array_literal(["a", None]) == '{"a",NULL}'
    assert array_literal([moment, moment]) == '{"2021-03-31 09:30:00+00:00","2021-03-31 09:30:00+00:00"}'
    assert array_literal([1, None, 3]) == "{1,NULL,3}"
    assert array_literal([]) == "{}"


def test_insert_columns_with_every_value_the_same():
    now = timezone.now()
    inserted = insert_columns(
        AuditEntry,
        {
            "created_at": repeat(now, 3),
            "actor_email": repeat("", 3),
            "action": repeat("bulk.same", 3),
            "target_id": repeat("7", 3),
            "target_repr": repeat("", 3),
            "data": repeat("{}", 3),
        },
    )
    assert len(inserted) == 3
    assert (
        list(AuditEntry.objects.filter(action="bulk.same").values_list("target_id", flat=True)) == ["7"] * 3
    )
