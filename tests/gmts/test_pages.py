"""The scheme's pages: who may open each (allowed and forbidden personas, 404 outside the scope), what
they show, the actions they run, and query-count guards on data large enough to show an N+1."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from academy.models import Role
from gmts.models import BidStatus, CompetencySignOff, PlacementFeedback, PlacementStatus
from tests.conftest import make_person, signed_in_client
from tests.factories import OrganisationFactory, RegionFactory, SystemFactory
from tests.gmts.factories import PlacementFactory, TraineeFactory, intake_starting

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere():
    """A GMTS manager of another region, and a trainee there."""
    region = RegionFactory(name="North West", slug="north-west")
    org = OrganisationFactory(system=SystemFactory(sub_region__region=region))
    manager = make_person(Role.GMTS_MANAGER, organisation=org)
    trainee = TraineeFactory(
        intake=intake_starting(region, dt.date(2021, 3, 1)), person=make_person(organisation=org)
    )
    return manager, trainee


# --- access -----------------------------------------------------------------------------------------


GMTS_PAGES = ["gmts:dashboard", "gmts:trainees", "gmts:bids"]


@pytest.mark.parametrize("name", GMTS_PAGES)
def test_gmts_pages_open_for_the_gmts_manager_only(name, manager_client, participant_client, staff_client):
    assert manager_client.get(reverse(name)).status_code == 200
    assert participant_client.get(reverse(name)).status_code == 403
    assert staff_client.get(reverse(name)).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(anonymous_client):
    for name in [*GMTS_PAGES, "gmts:mine", "gmts:managed"]:
        assert anonymous_client.get(reverse(name)).status_code == 302


def test_a_trainee_sees_only_their_own_record(trainees, participant_client):
    own = signed_in_client(trainees[0].person)
    page = own.get(reverse("gmts:mine"))
    assert page.status_code == 200
    assert page.context["trainee"] == trainees[0]
    assert trainees[0].programme_manager.full_name in page.text
    # Another trainee's record is not found, nor is it for anyone unrelated.
    assert own.get(reverse("gmts:trainee", args=[trainees[1].pk])).status_code == 404
    assert participant_client.get(reverse("gmts:trainee", args=[trainees[0].pk])).status_code == 404
    assert (
        "not on the NHS Graduate Management Training Scheme"
        in participant_client.get(reverse("gmts:mine")).text
    )


def test_managers_see_their_own_trainees_only(trainees, programme_manager, placement_manager, start):
    other = TraineeFactory(intake=trainees[0].intake)
    PlacementFactory(trainee=trainees[1], starts_on=start, placement_manager=placement_manager)
    pm, plm = signed_in_client(programme_manager), signed_in_client(placement_manager)
    assert pm.get(reverse("gmts:trainee", args=[trainees[0].pk])).status_code == 200
    assert plm.get(reverse("gmts:trainee", args=[trainees[1].pk])).status_code == 200
    assert plm.get(reverse("gmts:trainee", args=[trainees[0].pk])).status_code == 404
    assert pm.get(reverse("gmts:trainee", args=[other.pk])).status_code == 404
    page = plm.get(reverse("gmts:managed"))
    assert trainees[1].person.full_name in page.text
    assert trainees[0].person.full_name not in page.text


def test_a_gmts_manager_of_another_region_gets_404(trainees, bid, elsewhere):
    manager, their_trainee = elsewhere
    client = signed_in_client(manager)
    assert client.get(reverse("gmts:trainee", args=[trainees[0].pk])).status_code == 404
    assert client.get(reverse("gmts:bid_assure", args=[bid.pk])).status_code == 404
    assert client.get(reverse("gmts:placement_create", args=[trainees[0].pk])).status_code == 404
    assert client.get(reverse("gmts:trainee", args=[their_trainee.pk])).status_code == 200
    assert trainees[0].person.full_name not in client.get(reverse("gmts:trainees")).text


# --- actions ----------------------------------------------------------------------------------------


def test_assuring_a_bid_from_the_page(bid, manager_client):
    bid.status, bid.places_approved, bid.decision_reason = BidStatus.SUBMITTED, 0, ""
    bid.save()
    refused = manager_client.post(
        reverse("gmts:bid_assure", args=[bid.pk]), {"decision": "approve", "reason": ""}
    )
    assert refused.status_code == 200
    assert "Give the reasons for the decision" in refused.text
    done = manager_client.post(
        reverse("gmts:bid_assure", args=[bid.pk]),
        {"decision": "approve", "places_approved": "2", "reason": "Good"},
    )
    assert done.status_code == 302
    bid.refresh_from_db()
    assert (bid.status, bid.places_approved) == (BidStatus.APPROVED, 2)


def test_placing_and_confirming_from_the_pages(trainees, bid, start, manager_client, programme_manager):
    trainee = trainees[0]
    url = reverse("gmts:placement_create", args=[trainee.pk])
    end = start + dt.timedelta(days=180)
    data = {"bid": bid.pk, "kind": "first"}
    data |= {
        f"starts_on_{k}": v
        for k, v in zip(("day", "month", "year"), (start.day, start.month, start.year), strict=True)
    }
    data |= {
        f"ends_on_{k}": v
        for k, v in zip(("day", "month", "year"), (end.day, end.month, end.year), strict=True)
    }
    assert manager_client.post(url, data).status_code == 302
    placement = trainee.placements.get()
    assert placement.status == PlacementStatus.PROPOSED
    # Overlapping dates are refused on the form.
    again = manager_client.post(url, data)
    assert "already has a placement" in again.text
    # The host's programme manager confirms.
    host = signed_in_client(programme_manager)
    assert placement.pk in [p.pk for p in host.get(reverse("gmts:managed")).context["to_confirm"]]
    assert host.post(reverse("gmts:placement_confirm", args=[placement.pk])).status_code == 302
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.CONFIRMED


def test_an_unrelated_person_cannot_confirm(trainees, bid, start, participant_client):
    placement = PlacementFactory(
        trainee=trainees[0],
        bid=bid,
        host=bid.lead_organisation,
        starts_on=start,
        status=PlacementStatus.PROPOSED,
    )
    assert participant_client.post(reverse("gmts:placement_confirm", args=[placement.pk])).status_code == 404
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.PROPOSED


def test_the_placement_manager_signs_off_with_evidence(
    trainees, start, placement_manager, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    placement = PlacementFactory(
        trainee=trainees[0],
        starts_on=start,
        placement_manager=placement_manager,
        status=PlacementStatus.STARTED,
    )
    competency = trainees[0].specialism.competencies[1]
    with time_machine.travel(start + dt.timedelta(days=30)):
        client = signed_in_client(placement_manager)
        response = client.post(
            reverse("gmts:sign_off", args=[placement.pk]),
            {
                "competency": competency,
                "note": "Ran the team's huddles",
                "evidence": SimpleUploadedFile("plan.pdf", b"%PDF-1.4"),
            },
        )
    assert response.status_code == 302
    sign_off = CompetencySignOff.objects.get()
    assert sign_off.competency == competency
    assert sign_off.evidence.name.endswith(".pdf")
    # The trainee's programme manager confirms placements but does not sign off competencies.
    assert (
        signed_in_client(trainees[0].programme_manager)
        .get(reverse("gmts:sign_off", args=[placement.pk]))
        .status_code
        == 404
    )


def test_the_trainee_gives_feedback_once_it_opens(trainees, start):
    placement = PlacementFactory(trainee=trainees[0], starts_on=start, status=PlacementStatus.STARTED)
    url = reverse("gmts:feedback", args=[placement.pk, "mid"])
    with time_machine.travel(placement.midpoint):
        client = signed_in_client(trainees[0].person)
        assert "Give mid-point feedback" in client.get(reverse("gmts:mine")).text
        assert client.post(url, {"rating": "4"}).status_code == 302
    assert PlacementFeedback.objects.get().rating == 4
    # Another person's placement is not theirs to rate.
    assert signed_in_client(trainees[1].person).get(url).status_code == 404


# --- what the dashboard shows -----------------------------------------------------------------------


def test_hosts_feedback_is_shown_only_from_three_responses(trainees, start, manager_client, host):
    other_host = OrganisationFactory(name="Small Host NHS Trust")
    for i, trainee in enumerate(trainees):
        p = PlacementFactory(trainee=trainee, starts_on=start, host=host, status=PlacementStatus.STARTED)
        PlacementFeedback.objects.create(placement=p, stage="mid", rating=3 + (i % 2))
    lonely = PlacementFactory(
        trainee=TraineeFactory(intake=trainees[0].intake),
        starts_on=start,
        host=other_host,
        status=PlacementStatus.STARTED,
    )
    PlacementFeedback.objects.create(placement=lonely, stage="mid", rating=1)
    page = manager_client.get(reverse("gmts:dashboard"))
    assert [f.host for f in page.context["feedback"]] == [host.name]
    assert page.context["feedback"][0].responses == 3
    assert "Small Host NHS Trust" not in page.text
    assert "1 host with fewer than three responses is not shown" in page.text


def test_the_dashboard_counts_down_and_names_who_lacks_a_placement(trainees, bid, start, manager):
    PlacementFactory(trainee=trainees[0], bid=bid, host=bid.lead_organisation, starts_on=start)
    with time_machine.travel(start - dt.timedelta(weeks=4)):
        page = signed_in_client(manager).get(reverse("gmts:dashboard"))
    row = next(r for r in page.context["starts"] if r.intake == trainees[0].intake)
    assert (row.starting, row.confirmed) == (3, 1)
    assert {t.pk for t in row.lacking} == {trainees[1].pk, trainees[2].pk}
    assert trainees[1].person.full_name in page.text
    assert {t.pk for t in page.context["at_risk"]} == {trainees[1].pk, trainees[2].pk}


def test_trainee_list_filters_and_downloads(trainees, manager_client):
    page = manager_client.get(reverse("gmts:trainees"), {"q": trainees[0].person.family_name})
    assert trainees[0] in page.context["page"].object_list
    csv_response = manager_client.get(reverse("gmts:trainees"), {"format": "csv"})
    body = b"".join(csv_response.streaming_content).decode()
    assert body.splitlines()[0].startswith("Email,First name")
    assert len(body.strip().splitlines()) == 1 + len(trainees)


# --- query guards -----------------------------------------------------------------------------------


@pytest.fixture
def many(intake, bid, start, programme_manager, host):
    """60 trainees with placements and sign-offs: enough to show a query per row."""
    rows = []
    for i in range(60):
        trainee = TraineeFactory(
            intake=intake, programme_manager=programme_manager, person=make_person(organisation=host)
        )
        PlacementFactory(
            trainee=trainee,
            host=host,
            starts_on=start,
            status=PlacementStatus.CONFIRMED if i % 2 else PlacementStatus.PROPOSED,
        )
        rows.append(trainee)
    return rows


def test_dashboard_queries_are_fixed(many, manager_client, django_assert_max_num_queries):
    # session, user, groups, person (+ MFA check) ~5; region; supported, new per intake, current by host,
    # confirmed statement, quotes, systems (chart); upcoming intakes (2), confirmed placements,
    # at risk, bids, feedback; the data's version and the cache.
    cache.clear()
    with django_assert_max_num_queries(28):
        page = manager_client.get(reverse("gmts:dashboard"))
    assert sum(r.starting for r in page.context["starts"]) >= 60
    # Again, the data unchanged: the period's figures and charts are read from the cache (the data's
    # version and the look-up) instead of the seven figures' queries and the cache's write.
    with django_assert_max_num_queries(15):
        again = manager_client.get(reverse("gmts:dashboard"))
    assert again.context["figures"]["supported"] == page.context["figures"]["supported"]
    # A trainee added in the year: a new version of the data, so the figures are worked out afresh.
    TraineeFactory(intake=many[0].intake)
    after = manager_client.get(reverse("gmts:dashboard"))
    assert after.context["figures"]["supported"] == page.context["figures"]["supported"] + 1


def test_trainee_list_queries_are_fixed(many, manager_client, django_assert_max_num_queries):
    # session, user, groups, person (+ MFA) ~5; intakes for the filter, count, the page's ids, the
    # page's rows with their outlook, session save ~2.
    with django_assert_max_num_queries(13):
        page = manager_client.get(reverse("gmts:trainees"))
    assert len(page.context["page"].object_list) == 50


def test_managed_page_queries_are_fixed(many, programme_manager, django_assert_max_num_queries):
    client = signed_in_client(programme_manager)
    # session, user, groups, person; trainees; placements to confirm.
    with django_assert_max_num_queries(10):
        page = client.get(reverse("gmts:managed"))
    assert page.context["page"].paginator.count == 60
    assert len(page.context["trainee_rows"]) == 50  # 50 a page


def test_bids_page_queries_are_fixed(
    intake, host, programme_manager, manager_client, django_assert_max_num_queries
):
    from tests.factories import OrganisationFactory
    from tests.gmts.factories import HostBidFactory

    for n in range(60):
        bid = HostBidFactory(intake=intake, lead_organisation=host, programme_manager=programme_manager)
        bid.partners.add(OrganisationFactory(name=f"Partner {n}"))
    # session, user, role grants, person (+ MFA) ~5; region; count, the page's bids, their partners.
    with django_assert_max_num_queries(10):
        page = manager_client.get(reverse("gmts:bids"))
    assert len(page.context["rows"]) == 50
    assert "Partner" in page.text


def test_a_trainees_record_queries_are_fixed(many, manager_client, django_assert_max_num_queries):
    trainee = many[0]
    for _ in range(4):
        last = trainee.placements.order_by("-ends_on").first()
        PlacementFactory(trainee=trainee, host=last.host, starts_on=last.ends_on + dt.timedelta(days=1))
    # session, user, role grants, person (+ MFA) ~5; the trainee; placements; sign-offs; role check.
    with django_assert_max_num_queries(11):
        page = manager_client.get(reverse("gmts:trainee", args=[trainee.pk]))
    assert len(page.context["placement_rows"]) == 5
    own = signed_in_client(trainee.person)
    # session, user, role grants, person (+ MFA) ~5; the trainee; placements; sign-offs; feedback given.
    with django_assert_max_num_queries(12):
        page = own.get(reverse("gmts:mine"))
    assert len(page.context["placement_rows"]) == 5


def test_recording_a_bid(manager_client, intake, host, programme_manager, placement_manager):
    data = {
        "intake": intake.pk,
        "lead_organisation": host.pk,
        "kind": "first",
        "places_requested": "2",
        "programme_manager_email": programme_manager.user.email,
        "placement_manager_email": "nobody@nhs.net",
        "funding_commitment": "Salary",
    }
    refused = manager_client.post(reverse("gmts:bid_create"), data)
    assert "No one in the portal has the email nobody@nhs.net" in refused.text
    data["placement_manager_email"] = placement_manager.user.email
    assert manager_client.post(reverse("gmts:bid_create"), data).status_code == 302
    assert host.gmts_bids.get().status == BidStatus.SUBMITTED


def test_changing_a_trainees_status_needs_a_reason_for_a_break(manager_client, trainees):
    url = reverse("gmts:trainee_status", args=[trainees[0].pk])
    assert "Give the reason" in manager_client.post(url, {"status": "on_break", "reason": ""}).text
    assert manager_client.post(url, {"status": "on_break", "reason": "Parental leave"}).status_code == 302
    trainees[0].refresh_from_db()
    assert (trainees[0].status, trainees[0].status_reason) == ("on_break", "Parental leave")


def test_sending_and_withdrawing_from_the_trainee_page(
    trainees, bid, start, manager_client, programme_manager
):
    placement = PlacementFactory(trainee=trainees[0], bid=bid, host=bid.lead_organisation, starts_on=start)
    host_client = signed_in_client(programme_manager)
    page = host_client.get(reverse("gmts:trainee", args=[trainees[0].pk]))
    assert page.context["actions"][placement.pk] == ["notify"]
    assert host_client.post(reverse("gmts:placement_notify", args=[placement.pk])).status_code == 302
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.NOTIFIED
    # Only the GMTS manager withdraws.
    assert host_client.get(reverse("gmts:placement_withdraw", args=[placement.pk])).status_code == 403
    url = reverse("gmts:placement_withdraw", args=[placement.pk])
    assert manager_client.post(url, {"reason": "Host restructure"}).status_code == 302
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.WITHDRAWN
