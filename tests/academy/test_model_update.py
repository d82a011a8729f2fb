"""The shared writes: an insert is validated and audited; an edit saves only what differs, with one
audit entry naming it; a status moves once, from the status it must be in."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from academy.models import AuditEntry
from academy.services import model_create, model_update, status_move
from coaching.models import RequestStatus
from programmes.models import Programme
from tests.factories import CoachingRequestFactory, CohortFactory, ProgrammeFactory

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


def test_a_new_row_is_validated_before_it_is_saved_and_audited():
    programme = ProgrammeFactory()
    with pytest.raises(ValidationError):
        model_create(instance=Programme(title="", code="X"), actor=None, action="programme.create")
    assert not AuditEntry.objects.filter(action="programme.create").exists()
    cohort = model_create(
        instance=CohortFactory.build(programme=programme, region=programme.region),
        actor=None,
        action="cohort.create",
        data={"capacity": 12},
        target=programme,
    )
    assert cohort.pk is not None
    entry = AuditEntry.objects.get(action="cohort.create")
    assert (entry.target_id, entry.data) == (str(programme.pk), {"capacity": 12})


def test_a_status_moves_only_from_its_source_and_once():
    coaching_request = CoachingRequestFactory(status=RequestStatus.OPEN)
    moved = {"instance": coaching_request, "source": RequestStatus.OPEN, "target": RequestStatus.WITHDRAWN}
    status_move(**moved, refusal="No longer open.", actor=None, action="coaching_request.withdraw")
    coaching_request.refresh_from_db()
    assert coaching_request.status == RequestStatus.WITHDRAWN
    with pytest.raises(ValidationError, match="No longer open."):
        status_move(**moved, refusal="No longer open.", actor=None, action="coaching_request.withdraw")
    assert AuditEntry.objects.filter(action="coaching_request.withdraw").count() == 1
