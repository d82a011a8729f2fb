"""The shared edit: only what differs is saved, and one audit entry names it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from academy.models import AuditEntry
from academy.services import model_update
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_nothing_changed_writes_nothing(django_assert_num_queries):
    programme = ProgrammeFactory()
    with django_assert_num_queries(0):
        _, changed = model_update(
            instance=programme,
            fields=["title"],
            data={"title": programme.title},
            actor=None,
            action="x.update",
        )
    assert changed == []


def test_changed_fields_are_saved_and_audited_once():
    programme = ProgrammeFactory(title="Old")
    _, changed = model_update(
        instance=programme,
        fields=["title", "summary"],
        data={"title": "New", "summary": programme.summary, "code": "IGNORED"},
        actor=None,
        action="programme.update",
    )
    assert changed == ["title"]
    programme.refresh_from_db()
    assert programme.title == "New" and programme.code != "IGNORED"
    assert AuditEntry.objects.get(action="programme.update").data == {"fields": ["title"]}


def test_strict_refuses_other_fields_and_a_refusal_saves_nothing():
    programme = ProgrammeFactory(title="Old")
    with pytest.raises(TypeError):
        model_update(
            instance=programme, fields=["title"], data={"code": "X"}, actor=None, action="x", strict=True
        )

    def refuse(instance, changed):
        raise ValidationError("No.")

    with pytest.raises(ValidationError):
        model_update(
            instance=programme,
            fields=["title"],
            data={"title": "New"},
            actor=None,
            action="x",
            before_save=refuse,
        )
    programme.refresh_from_db()
    assert programme.title == "Old" and not AuditEntry.objects.exists()
