"""The rules that decide places, at their boundaries: an exactly full cohort, the enrolment window's
opening and closing minute, the offer's expiry moment; and what each step leaves behind (the places
recount, waiting-list positions, the audit entry, the email) and returns."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from academy.models import AuditEntry
from programmes import services
from programmes.models import (
    Application,
    ApplicationDecision,
    Cohort,
    CohortStatus,
    Enrolment,
    EnrolmentStatus,
    EntryRoute,
)
from programmes.services import EnrolmentRefused
from programmes.services.places import (
    check_enrolment_window,
    eligibility_problems,
    enrolment_set_status,
    offer_free_places,
    refresh_places,
)
from tests.conftest import make_person
from tests.programmes.conftest import apply, enrol

pytestmark = pytest.mark.django_db


def audited(action, enrolment) -> AuditEntry:
    return AuditEntry.objects.get(action=action, target_id=str(enrolment.pk))


def places_taken(cohort) -> int:
    cohort.refresh_from_db()
    return cohort.places_taken


# --- the enrolment window --------------------------------------------------------------------------


def test_the_window_opens_at_its_minute_and_closes_at_its_own(cohort):
    opens = timezone.now().replace(microsecond=0) + timedelta(days=1)
    cohort.enrolment_opens_at, cohort.enrolment_closes_at = opens, opens + timedelta(days=7)
    cohort.save()
    with pytest.raises(EnrolmentRefused, match="opens on"):
        check_enrolment_window(cohort, now=opens - timedelta(microseconds=1))
    check_enrolment_window(cohort, now=opens)  # open at the very moment
    check_enrolment_window(cohort, now=opens + timedelta(days=7) - timedelta(microseconds=1))
    with pytest.raises(EnrolmentRefused, match="has closed"):
        check_enrolment_window(cohort, now=opens + timedelta(days=7))


def test_enrolling_at_the_opening_minute_takes_a_place(participant, cohort):
    opens = timezone.now().replace(microsecond=0) + timedelta(hours=1)
    cohort.enrolment_opens_at = opens
    cohort.save()
    with time_machine.travel(opens, tick=False):
        enrolment = enrol(participant, cohort)
    assert enrolment.status == EnrolmentStatus.ENROLLED


def test_a_cohort_not_open_refuses_whatever_its_window(cohort):
    cohort.status = CohortStatus.CLOSED
    cohort.save()
    with pytest.raises(EnrolmentRefused, match="not open"):
        check_enrolment_window(cohort)


# --- taking a place, the waiting list -----------------------------------------------------------------


def test_the_last_free_place_is_taken_and_the_next_person_waits(
    participant, cohort, person_in, django_capture_on_commit_callbacks
):
    enrol(person_in(), cohort)
    with django_capture_on_commit_callbacks(execute=True):
        last = enrol(participant, cohort)  # 1 of 2 taken: the last place
        waiting = enrol(person_in(), cohort)  # 2 of 2: full
    assert (last.status, last.waitlist_position) == (EnrolmentStatus.ENROLLED, None)
    assert (waiting.status, waiting.waitlist_position) == (EnrolmentStatus.WAITLISTED, 1)
    assert places_taken(cohort) == 2
    assert audited("enrolment.waitlisted", waiting).data == {"cohort": cohort.pk, "waitlist_position": 1}
    assert audited("enrolment.enrolled", last).actor == participant.user
    subjects = [m.subject for m in mail.outbox]
    assert any(s.startswith("You have a place") for s in subjects)
    assert any(s.startswith("You are on the waiting list") for s in subjects)


def test_reenrolling_on_a_full_cohort_joins_the_end_of_the_waiting_list(participant, cohort, person_in):
    mine = enrol(participant, cohort)
    enrol(person_in(), cohort)
    services.enrolment_cancel(enrolment=mine, actor=None)
    enrol(person_in(), cohort)  # takes the freed place
    ahead = enrol(person_in(), cohort)
    again = enrol(participant, cohort)
    assert again.pk == mine.pk
    assert (ahead.waitlist_position, again.waitlist_position) == (1, 2)
    assert again.status == EnrolmentStatus.WAITLISTED and again.offer_expires_at is None


# --- promotion from the waiting list ----------------------------------------------------------------


def test_promotion_recounts_places_closes_the_gap_and_is_audited(
    participant, cohort, person_in, staff, django_capture_on_commit_callbacks
):
    enrol(person_in(), cohort)
    enrol(person_in(), cohort)
    first = enrol(person_in(), cohort)
    chosen = enrol(participant, cohort)
    behind = enrol(person_in(), cohort)
    cohort.capacity = 3  # a place freed without offering it
    cohort.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.waitlist_promote(cohort=cohort, actor=staff.user, enrolment=chosen)
    assert promoted.pk == chosen.pk
    assert (promoted.status, promoted.waitlist_position) == (EnrolmentStatus.ENROLLED, None)
    assert places_taken(cohort) == 3
    first.refresh_from_db()
    behind.refresh_from_db()
    assert (first.waitlist_position, behind.waitlist_position) == (1, 2)  # 1 stays; 3 moves up to 2
    assert audited("enrolment.promote", chosen).data == {"from_position": 2}
    assert [m.to for m in mail.outbox] == [[participant.user.email]]
    with pytest.raises(EnrolmentRefused, match="no free places"):
        services.waitlist_promote(cohort=cohort, actor=staff.user)


def test_promotion_takes_the_first_in_line_by_default(participant, cohort, person_in, staff):
    enrol(person_in(), cohort)
    enrol(person_in(), cohort)
    first = enrol(participant, cohort)
    second = enrol(person_in(), cohort)
    cohort.capacity = 3
    cohort.save()
    assert services.waitlist_promote(cohort=cohort, actor=staff.user).pk == first.pk
    second.refresh_from_db()
    assert second.waitlist_position == 1


def test_promoting_with_nobody_waiting_is_refused(cohort, staff):
    with pytest.raises(EnrolmentRefused, match="Nobody is waiting"):
        services.waitlist_promote(cohort=cohort, actor=staff.user)


# --- offers and their expiry ------------------------------------------------------------------------


def test_an_offer_can_be_accepted_until_the_moment_it_expires(
    offer, participant, django_capture_on_commit_callbacks
):
    offered = offer["offered"]
    just_before = offered.offer_expires_at - timedelta(microseconds=1)
    with time_machine.travel(just_before, tick=False), django_capture_on_commit_callbacks(execute=True):
        accepted = services.offer_accept(enrolment=offered, actor=participant.user)
    assert (accepted.status, accepted.offer_expires_at) == (EnrolmentStatus.ENROLLED, None)
    assert audited("enrolment.offer_accept", offered).actor == participant.user
    assert mail.outbox[-1].subject.startswith("You have a place")


def test_an_offer_is_refused_at_the_moment_it_expires(offer, participant):
    offered = offer["offered"]
    with (
        time_machine.travel(offered.offer_expires_at, tick=False),
        pytest.raises(EnrolmentRefused, match="expired"),
    ):
        services.offer_accept(enrolment=offered, actor=participant.user)


def test_an_offer_lapses_at_its_moment_not_before_and_moves_on(
    offer, cohort, django_capture_on_commit_callbacks
):
    offered, waiting = offer["offered"], offer["waiting"]
    expires = offered.offer_expires_at
    with time_machine.travel(expires - timedelta(microseconds=1), tick=False):
        assert services.offer_expire(enrolment=offered) is False
        assert services.offers_expire_due() == 0
    offered.refresh_from_db()
    assert offered.status == EnrolmentStatus.OFFERED
    mail.outbox.clear()
    with time_machine.travel(expires, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert services.offers_expire_due() == 1
    offered.refresh_from_db()
    waiting.refresh_from_db()
    assert (offered.status, offered.offer_expires_at) == (EnrolmentStatus.CANCELLED, None)
    assert waiting.status == EnrolmentStatus.OFFERED and waiting.waitlist_position is None
    assert places_taken(cohort) == 2  # one enrolled, the new offer holding the other
    assert audited("enrolment.offer_expire", offered).actor is None
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[offered.person.user.email].startswith("Your offer of a place")
    assert "accept within 48 hours" in subjects[waiting.person.user.email]
    # Expired once: a second run finds nothing, and an expired offer is not due again.
    assert services.offer_expire(enrolment=offered) is False


def test_an_offer_with_no_expiry_never_lapses(offer):
    offered = offer["offered"]
    Enrolment.objects.filter(pk=offered.pk).update(offer_expires_at=None)
    assert services.offer_expire(enrolment=offered) is False
    offered.refresh_from_db()
    assert offered.status == EnrolmentStatus.OFFERED


# --- applications -----------------------------------------------------------------------------------


@pytest.fixture
def shortlisted(participant, cohort, application_route, staff, person_in):
    """Two applicants shortlisted on an application-route cohort of 2 places."""
    enrolments = []
    for person in (participant, person_in(), person_in()):
        application = apply(person, cohort)
        services.application_decide(
            application=application, decision=ApplicationDecision.SHORTLISTED, reviewer=staff.user
        )
        enrolments.append(application.enrolment)
    return enrolments


def test_offering_recounts_places_and_refuses_an_exactly_full_cohort(
    shortlisted, cohort, staff, django_capture_on_commit_callbacks
):
    first, second, third = shortlisted
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        offered = services.application_offer(enrolment=first, actor=staff.user)
    assert offered.pk == first.pk and offered.status == EnrolmentStatus.OFFERED
    assert timedelta(hours=47) < offered.offer_expires_at - timezone.now() <= timedelta(hours=48)
    assert places_taken(cohort) == 1
    assert audited("enrolment.offer", first).data == {
        "expires_at": DjangoJSONEncoder().default(offered.offer_expires_at)
    }
    assert "accept within 48 hours" in mail.outbox[0].subject
    services.application_offer(enrolment=second, actor=staff.user)  # the last place: 1 of 2 taken
    assert places_taken(cohort) == 2
    with pytest.raises(EnrolmentRefused, match="no free places"):
        services.application_offer(enrolment=third, actor=staff.user)  # exactly full
    third.refresh_from_db()
    assert third.status == EnrolmentStatus.SHORTLISTED


def test_reapplying_after_withdrawing_starts_a_fresh_application(
    participant, cohort, application_route, staff
):
    first = apply(participant, cohort, answers={"why": "First try"})
    withdrawn = services.enrolment_cancel(enrolment=first.enrolment, actor=participant.user)
    assert withdrawn.status == EnrolmentStatus.WITHDRAWN
    again = apply(participant, cohort, answers={"why": "Second try"}, profession="Nurse")
    assert again.enrolment.pk == first.enrolment.pk
    assert again.enrolment.status == EnrolmentStatus.APPLIED
    assert list(Application.objects.filter(enrolment=again.enrolment).values_list("answers", flat=True)) == [
        {"why": "Second try"}
    ]
    assert (
        AuditEntry.objects.filter(action="application.submit", target_id=str(again.enrolment.pk)).count() == 2
    )
    with pytest.raises(EnrolmentRefused, match="already on this cohort"):
        apply(participant, cohort)


# --- the shared steps, directly ---------------------------------------------------------------------


@pytest.mark.parametrize("status", [CohortStatus.CANCELLED, CohortStatus.COMPLETED, CohortStatus.DRAFT])
def test_a_place_freed_on_a_cohort_that_is_over_or_not_open_is_offered_to_nobody(
    participant, cohort, person_in, status
):
    enrol(person_in(), cohort)
    enrol(person_in(), cohort)
    waiting = enrol(participant, cohort)
    Cohort.objects.filter(pk=cohort.pk).update(status=status, capacity=3)
    cohort.refresh_from_db()
    offer_free_places(cohort, None)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.waitlist_position) == (EnrolmentStatus.WAITLISTED, 1)


def test_the_recount_writes_only_a_changed_count(participant, cohort):
    enrol(participant, cohort)
    cohort.refresh_from_db()
    stamp = cohort.updated_at
    refresh_places(cohort)
    cohort.refresh_from_db()
    assert (cohort.places_taken, cohort.updated_at) == (1, stamp)
    Cohort.objects.filter(pk=cohort.pk).update(places_taken=0)  # wrong, as after a bulk change
    cohort.refresh_from_db()
    refresh_places(cohort)
    cohort.refresh_from_db()
    assert cohort.places_taken == 1 and cohort.updated_at > stamp


def test_a_status_change_is_validated_before_it_is_saved(participant, cohort):
    enrolment = enrol(participant, cohort)
    with pytest.raises(ValidationError):
        enrolment_set_status(enrolment, "nonsense")
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED


def test_eligibility_names_a_missing_organisation_and_another_region(participant, cohort, other_region):
    participant.organisation = None
    assert eligibility_problems(person=participant, cohort=cohort) == [
        "Add your organisation to your profile so we can check that this cohort is open to you."
    ]
    stranger = make_person(region=other_region)
    assert eligibility_problems(person=stranger, cohort=cohort) == [
        f"This cohort is for staff working in the {cohort.region} region."
    ]


# --- staff adding someone, and the entry routes ------------------------------------------------------


def test_staff_add_someone_outside_the_window_but_never_to_a_cohort_that_is_over(participant, cohort, staff):
    cohort.status = CohortStatus.CLOSED  # closed to people enrolling themselves
    cohort.save()
    with pytest.raises(EnrolmentRefused, match="not open"):
        enrol(participant, cohort)
    added = services.enrolment_create(person=participant, cohort=cohort, actor=staff.user, by_staff=True)
    assert added.status == EnrolmentStatus.ENROLLED
    assert audited("enrolment.enrolled", added).actor == staff.user
    for status, word in ((CohortStatus.CANCELLED, "cancelled"), (CohortStatus.COMPLETED, "completed")):
        cohort.status = status
        cohort.save()
        with pytest.raises(EnrolmentRefused, match=f"This cohort is {word}"):
            services.enrolment_create(person=make_person(), cohort=cohort, actor=staff.user, by_staff=True)


def test_staff_adding_someone_skip_the_entry_route_and_eligibility(participant, cohort, staff, other_region):
    cohort.programme.entry_route = EntryRoute.NOMINATION
    cohort.programme.save()
    with pytest.raises(EnrolmentRefused, match="by nomination"):
        enrol(participant, cohort)
    stranger = make_person(region=other_region)
    added = services.enrolment_create(person=stranger, cohort=cohort, actor=staff.user, by_staff=True)
    assert added.status == EnrolmentStatus.ENROLLED


def test_cancelling_records_what_the_place_was(participant, cohort):
    enrolment = enrol(participant, cohort)
    cancelled = services.enrolment_cancel(enrolment=enrolment, actor=participant.user)
    assert cancelled.pk == enrolment.pk and cancelled.status == EnrolmentStatus.CANCELLED
    entry = audited("enrolment.cancel", enrolment)
    assert (entry.actor, entry.data) == (participant.user, {"from": "enrolled"})
    assert places_taken(cohort) == 0


def test_only_an_offer_can_be_accepted(participant, cohort):
    enrolment = enrol(participant, cohort)
    with pytest.raises(EnrolmentRefused, match="no place on offer"):
        services.offer_accept(enrolment=enrolment, actor=participant.user)


def test_accepting_an_offer_locks_the_cohort_before_the_enrolment(offer, participant):
    # The same order as every other change of places, so two changes at once queue rather than deadlock.
    with CaptureQueriesContext(connection) as queries:
        services.offer_accept(enrolment=offer["offered"], actor=participant.user)
    locks = [q["sql"] for q in queries.captured_queries if " FOR NO KEY UPDATE" in q["sql"]]
    assert [sql.split(" FROM ")[1].split()[0].strip('"') for sql in locks[:2]] == [
        Cohort._meta.db_table,
        Enrolment._meta.db_table,
    ]


def test_an_application_is_acknowledged_by_email(
    participant, application_route, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        apply(participant, application_route)
    assert [(m.to, m.subject.split(" for ")[0]) for m in mail.outbox] == [
        ([participant.user.email], "We have your application")
    ]


def test_applying_needs_the_window_open_and_an_eligible_applicant(
    participant, application_route, other_region
):
    with pytest.raises(EnrolmentRefused, match="is for staff working in"):
        apply(make_person(region=other_region), application_route)
    application_route.status = CohortStatus.CLOSED
    application_route.save()
    with pytest.raises(EnrolmentRefused, match="not open"):
        apply(participant, application_route)
    assert not Enrolment.objects.filter(cohort=application_route).exists()


def test_a_decision_is_audited_emailed_returned_and_final_once_offered(
    participant, application_route, staff, django_capture_on_commit_callbacks
):
    application = apply(participant, application_route)
    mail.outbox.clear()
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        decided = services.application_decide(
            application=application,
            decision=ApplicationDecision.SHORTLISTED,
            reviewer=staff.user,
            note="Strong",
        )
    assert decided.pk == application.pk and decided.decision == ApplicationDecision.SHORTLISTED
    locks = [q["sql"] for q in queries.captured_queries if " FOR NO KEY UPDATE" in q["sql"]]
    assert Cohort._meta.db_table in locks[0].split(" FROM ")[1].split()[0]  # the cohort first
    entry = audited("application.shortlisted", application.enrolment)
    assert (entry.actor, entry.data) == (staff.user, {"note": "Strong"})
    assert [m.subject.split(" for ")[0] for m in mail.outbox] == ["You have been shortlisted"]
    services.application_offer(enrolment=application.enrolment, actor=staff.user)
    with pytest.raises(EnrolmentRefused, match="can no longer be changed: place offered"):
        services.application_decide(
            application=application, decision=ApplicationDecision.DECLINED, reviewer=staff.user
        )
