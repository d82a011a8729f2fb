"""Privacy rights: the download of everything held, the erasure on request (figures unchanged), the
retention schedule and the privacy notice."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy import audit, chapters
from academy.models import AuditEntry, Person, Role, User
from academy.scope import Scope
from academy.services import person_erase, person_update_profile, retention_apply
from tests.conftest import make_person
from tests.factories import CoachProfileFactory, EnrolmentFactory, QualificationFactory
from tests.reporting.test_pdf import year  # noqa: F401 - the Year in Review fixture

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def coach_with_certificate(person, **kwargs):
    profile = CoachProfileFactory(person=person, experience="Ten years coaching nurses.", **kwargs)
    qualification = QualificationFactory(profile=profile)
    qualification.certificate.save("mine.pdf", ContentFile(PDF))
    return profile, qualification


def unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as zipped:
        return {name: zipped.read(name) for name in zipped.namelist()}


def rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode())))


# --- The download ----------------------------------------------------------------------------------


def test_a_person_downloads_everything_held_about_them_as_one_zip(participant_client, participant):
    enrolment = EnrolmentFactory(person=participant, cohort__programme__region=participant.region)
    coach_with_certificate(participant)
    person_update_profile(person=participant, actor=participant.user, ethnic_category="H")
    response = participant_client.post(reverse("academy:profile_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="my-academy-data.zip"'
    assert response["Cache-Control"] == "private, no-store"
    files = unzip(response.content)
    assert "README.txt" in files
    profile = json.loads(files["academy/profile.json"])
    assert profile["email"] == participant.user.email
    assert profile["ethnic category"] == "Asian or Asian British – Indian"
    assert rows(files["programmes/enrolments.csv"])[0]["cohort"] == enrolment.cohort.name
    register = json.loads(files["coaching/register_entry.json"])
    assert register["experience"] == "Ten years coaching nurses."
    certificate = [name for name in files if name.startswith("files/coaching/")]
    assert len(certificate) == 1 and files[certificate[0]] == PDF
    assert any(row["what"] == "Profile changed" for row in rows(files["academy/activity.csv"]))
    entry = AuditEntry.objects.get(action="person.export")
    assert entry.actor_id == participant.user_id and entry.region_id == participant.region_id


def test_the_download_is_a_post_for_the_signed_in_person_only(participant_client, anonymous_client):
    assert participant_client.get(reverse("academy:profile_download")).status_code == 405
    response = anonymous_client.post(reverse("academy:profile_download"))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not AuditEntry.objects.filter(action="person.export").exists()


def test_cells_that_look_like_formulas_are_neutralised_in_the_download(participant_client, participant):
    person_update_profile(person=participant, actor=participant.user, job_title="=HYPERLINK(1)")
    EnrolmentFactory(
        person=participant, cohort__name="@SUM(A1)", cohort__programme__region=participant.region
    )
    files = unzip(participant_client.post(reverse("academy:profile_download")).content)
    assert rows(files["programmes/enrolments.csv"])[0]["cohort"] == "'@SUM(A1)"


# --- The erasure -----------------------------------------------------------------------------------


def figures(edition) -> dict:
    """Every chapter's figures and headline for the edition, computed afresh (but the charts: their
    SVG carries a new element id each time it is drawn, and they are drawn from these figures)."""
    scope = Scope.for_edition(edition)
    found = {}
    for chapter in chapters.chapters():
        if chapter.figures:
            found[chapter.key] = {
                name: value
                for name, value in chapter.figures(Scope.for_edition(edition)).items()
                if name != "charts"
            }
        if chapter.headline:
            found[f"{chapter.key} headline"] = chapter.headline(scope)
    return found


def test_erasure_removes_the_person_and_leaves_the_year_in_reviews_figures_unchanged(year):  # noqa: F811
    from programmes.models import Enrolment

    lead = make_person(Role.LEAD, region=year.region)
    before = figures(year)
    enrolment = Enrolment.objects.filter(cohort__region=year.region, feedback__isnull=True).first()
    person = enrolment.person
    name, email = person.full_name, person.user.email
    audit.record(person.user, "enrolment.test", enrolment)
    removed = person_erase(person=person, actor=lead.user, reason="SAR-2025-014")
    assert figures(year) == before
    person.refresh_from_db()
    assert person.full_name == "Erased person" and person.job_title == "" and person.erased_at
    user = User.objects.get(pk=person.user_id)
    assert not user.is_active and not user.has_usable_password() and user.email.endswith("@erased.invalid")
    # The audit log keeps its entries but neither the name nor the email.
    assert not AuditEntry.objects.filter(actor_email=email).exists()
    assert not AuditEntry.objects.filter(target_repr__contains=name).exists()
    entry = AuditEntry.objects.get(action="person.erase")
    assert entry.actor_id == lead.user_id and entry.region_id == year.region_id
    assert entry.data["reason"] == "SAR-2025-014"
    assert entry.data["removed"] == removed
    assert "Erased" in audit.describe(entry) or "SAR-2025-014" in audit.describe(entry)


def test_an_erased_persons_words_go_and_their_quote_is_withdrawn(year):  # noqa: F811
    from programmes.models import Feedback

    quoted = year.quotes.get()
    person = quoted.enrolment.person
    person_erase(person=person, actor=make_person(Role.LEAD, region=year.region).user, reason="REF-1")
    quoted.refresh_from_db()
    assert quoted.comment == "" and quoted.attribution == "" and quoted.rating  # the rating still counts
    assert not year.quotes.exists()
    assert Feedback.objects.filter(pk=quoted.pk).exists()


def test_an_erased_coachs_files_and_notes_go(participant, programme_staff):
    from coaching.models import ReflectiveNote

    profile, qualification = coach_with_certificate(participant)
    ReflectiveNote.objects.create(profile=profile, title="After a hard week", body="Private")
    path = qualification.certificate.path
    person_erase(person=participant, actor=programme_staff.user, reason="REF-2")
    profile.refresh_from_db()
    qualification.refresh_from_db()
    assert not qualification.certificate and profile.experience == ""
    assert not ReflectiveNote.objects.filter(profile=profile).exists()
    import os

    assert not os.path.exists(path)


def test_an_erasure_is_refused_without_a_reference_twice_or_by_oneself(participant, programme_staff):
    with pytest.raises(ValidationError, match="reference"):
        person_erase(person=participant, actor=programme_staff.user, reason=" ")
    with pytest.raises(ValidationError, match="another member of staff"):
        person_erase(person=programme_staff, actor=programme_staff.user, reason="REF")
    person_erase(person=participant, actor=programme_staff.user, reason="REF")
    with pytest.raises(ValidationError, match="already been erased"):
        person_erase(person=participant, actor=programme_staff.user, reason="REF")
    assert AuditEntry.objects.filter(action="person.erase").count() == 1


def test_the_erasure_command_erases_and_reports(participant, programme_staff):
    out = io.StringIO()
    email = participant.user.email
    call_command(
        "erase_person", email, "--by", programme_staff.user.email, "--reference", "SAR-9", stdout=out
    )
    assert f"Erased person {participant.pk} ({email})." in out.getvalue()
    assert Person.objects.get(pk=participant.pk).erased_at is not None
    with pytest.raises(CommandError, match="Nobody has the email address"):
        call_command("erase_person", "nobody@nhs.net", "--by", programme_staff.user.email, "--reference", "X")


def test_an_erased_person_cannot_sign_in(participant, programme_staff):
    from tests.conftest import signed_in_client

    client = signed_in_client(participant)
    person_erase(person=participant, actor=programme_staff.user, reason="REF")
    assert client.get(reverse("academy:profile")).status_code == 302


def test_the_audit_log_outside_an_erasure_stays_append_only(participant):
    from django.db import InternalError, connection, transaction

    entry = audit.record(participant.user, "person.test", participant)
    with pytest.raises(InternalError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL academy.erasure = 'on'")
        AuditEntry.objects.filter(pk=entry.pk).update(action="rewritten")
    with pytest.raises(InternalError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(target_repr="rewritten")


# --- Retention -------------------------------------------------------------------------------------


def age(person, years: float) -> None:
    """Make `person` last active `years` ago: account, profile and audited activity."""
    moment = timezone.now() - dt.timedelta(days=round(365.25 * years))
    User.objects.filter(pk=person.user_id).update(date_joined=moment, last_login=moment)
    Person.objects.filter(pk=person.pk).update(updated_at=moment)


def test_retention_anonymises_people_inactive_for_the_period_and_no_one_else(settings, region):
    settings.RETENTION_INACTIVE_YEARS = 6
    old = make_person(region=region)
    recent = make_person(region=region)
    busy = make_person(region=region)
    age(old, 6.1)
    age(recent, 5.9)
    age(busy, 7)
    audit.record(busy.user, "enrolment.test", busy)  # activity within the period
    assert retention_apply()["anonymised"] == 1
    assert Person.objects.get(pk=old.pk).erased_at is not None
    assert Person.objects.get(pk=recent.pk).erased_at is None
    assert Person.objects.get(pk=busy.pk).erased_at is None
    entry = AuditEntry.objects.get(action="person.anonymise_inactive")
    assert entry.actor is None and entry.region_id == region.id and entry.data["inactive_years"] == 6
    assert retention_apply()["anonymised"] == 0  # already done


def test_retention_deletes_lapsed_coaches_certificate_files_after_their_period(settings, region):
    settings.RETENTION_LAPSED_COACH_CERTIFICATE_YEARS = 2
    today = timezone.localdate()
    long_lapsed, old_file = coach_with_certificate(
        make_person(region=region), status="lapsed", supervision_due_on=today - dt.timedelta(days=800)
    )
    lately_lapsed, new_file = coach_with_certificate(
        make_person(region=region), status="lapsed", supervision_due_on=today - dt.timedelta(days=600)
    )
    approved, kept = coach_with_certificate(make_person(region=region))
    counts = retention_apply()
    assert counts["coaching certificate files deleted"] == 1
    old_file.refresh_from_db()
    new_file.refresh_from_db()
    kept.refresh_from_db()
    assert not old_file.certificate and old_file.kind  # the qualification stays listed
    assert new_file.certificate and kept.certificate
    entry = AuditEntry.objects.get(action="coach.certificates_delete")
    assert entry.target_id == str(long_lapsed.pk) and entry.region_id == region.id
    assert entry.target_type == ContentType.objects.get_for_model(long_lapsed)


def test_beat_runs_the_retention_schedule_daily(settings):
    from academy.tasks import apply_retention

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "academy.tasks.apply_retention" in scheduled
    old = make_person()
    age(old, settings.RETENTION_INACTIVE_YEARS + 1)
    assert apply_retention.delay().get()["anonymised"] == 1


# --- The notice --------------------------------------------------------------------------------------


def test_the_privacy_notice_says_what_why_how_long_and_who_and_is_in_the_footer(settings):
    settings.RETENTION_INACTIVE_YEARS = 7
    page = Client().get(reverse("academy:privacy"))
    body = page.content.decode()
    assert page.status_code == 200
    for heading in ("What we hold", "Why we hold it", "How long we keep it", "Who sees it", "Your rights"):
        assert f"<h2>{heading}</h2>" in body
    assert "for 7 years" in body
    assert f'href="{reverse("academy:privacy")}"' in Client().get(reverse("academy:home")).content.decode()
