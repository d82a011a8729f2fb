"""The Development Assessment Centre pages: the talent lead sets up a centre, nominates and books
people (no more than its places), records the panel's outcome (which can place someone in the pool);
assessors rate exercises; each participant downloads their own feedback report (PDF) and nobody
else's. Another region's lead, a participant and an outsider get 403 or 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry
from talent import services
from talent.models import AssessmentCentre, BookingStatus, CentreBooking, ExerciseRating, PoolMember
from tests.conftest import make_person, signed_in_client
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessor(midlands):
    return make_person(organisation=midlands["south_trust"])


@pytest.fixture
def centre(midlands, talent_lead, assessor):
    return services.centre_create(
        region=midlands["region"],
        title="Aspiring-Executive DAC",
        level="aspiring_executive",
        held_on=timezone.localdate() + dt.timedelta(days=30),
        places=1,
        assessors=[assessor],
        actor=talent_lead.user,
    )


@pytest.fixture
def candidate(midlands):
    return make_person(organisation=midlands["north_trust"])


@pytest.fixture
def booked(centre, candidate, talent_lead):
    booking = services.booking_nominate(centre=centre, person=candidate, actor=talent_lead.user)
    return services.booking_book(booking=booking, actor=talent_lead.user)


def test_the_lead_sets_up_a_centre_with_assessors_by_email(lead_client, midlands, assessor):
    data = {
        "title": "Leadership DAC",
        "level": "leadership",
        "held_on_day": "12",
        "held_on_month": "5",
        "held_on_year": str(timezone.localdate().year + 1),
        "places": "8",
        "assessors": f"{assessor.user.email}\nnobody@nhs.net",
    }
    response = lead_client.post(reverse("talent:centre_new"), data)
    assert response.status_code == 200 and "nobody@nhs.net" in response.content.decode()
    assert not AssessmentCentre.objects.exists()
    data["assessors"] = assessor.user.email.upper()
    response = lead_client.post(reverse("talent:centre_new"), data)
    centre = AssessmentCentre.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("talent:centre", args=[centre.pk])
    assert list(centre.assessors.all()) == [assessor]
    assert AuditEntry.objects.filter(action="talent.centre.create").count() == 1


def test_nominating_and_booking_stop_at_the_places(lead_client, centre, candidate, midlands):
    response = lead_client.post(
        reverse("talent:centre_nominate", args=[centre.pk]), {"email": candidate.user.email}
    )
    assert response.status_code == 302
    second = make_person(organisation=midlands["north_trust"])
    lead_client.post(reverse("talent:centre_nominate", args=[centre.pk]), {"email": second.user.email})
    first, other = CentreBooking.objects.order_by("pk")
    assert lead_client.post(reverse("talent:booking_book", args=[first.pk])).status_code == 302
    response = lead_client.post(reverse("talent:booking_book", args=[other.pk]), follow=True)
    assert "All 1 places at this centre are taken." in response.content.decode()
    other.refresh_from_db()
    assert other.status == BookingStatus.NOMINATED
    page = lead_client.get(reverse("talent:centre", args=[centre.pk])).content.decode()
    assert candidate.full_name in page and "1 of 1 taken, 0 left" in page


def test_someone_outside_the_region_cannot_be_nominated(lead_client, centre, other_lead):
    response = lead_client.post(
        reverse("talent:centre_nominate", args=[centre.pk]), {"email": other_lead.user.email}
    )
    assert response.status_code == 200 and not CentreBooking.objects.exists()


def test_an_assessor_rates_as_themselves_and_the_lead_for_any_assessor(booked, assessor, lead_client):
    client = signed_in_client(assessor)
    assert booked.person.full_name in client.get(reverse("talent:assessing")).content.decode()
    url = reverse("talent:rating_new", args=[booked.pk])
    data = {"assessor": assessor.pk, "exercise": "Board simulation", "domain": "strategy", "score": "3"}
    assert client.post(url, data).status_code == 302
    # The same rating twice is refused on the form.
    response = client.post(url, data)
    assert response.status_code == 200 and "already rated" in response.content.decode()
    assert lead_client.post(url, {**data, "domain": "culture", "score": "4"}).status_code == 302
    assert ExerciseRating.objects.filter(booking=booked, assessor=assessor).count() == 2


def test_only_the_centres_assessors_and_lead_may_rate(booked, midlands, other_lead, candidate):
    url = reverse("talent:rating_new", args=[booked.pk])
    stranger = make_person(organisation=midlands["north_trust"])
    assert signed_in_client(stranger).get(url).status_code == 404
    assert signed_in_client(candidate).get(url).status_code == 404
    assert signed_in_client(other_lead).get(url).status_code == 404


def test_the_panel_outcome_places_the_person_in_the_pool(lead_client, booked, candidate):
    url = reverse("talent:booking_outcome", args=[booked.pk])
    response = lead_client.post(url, {"outcome": "ready_soon", "notes": "Strong on strategy."})
    assert response.status_code == 200 and "professional group" in response.content.decode()
    assert not PoolMember.objects.exists()
    response = lead_client.post(
        url,
        {
            "outcome": "ready_soon",
            "notes": "Strong on strategy.",
            "professional_group": "nursing",
            "service_type": "acute",
        },
    )
    assert response.status_code == 302
    member = PoolMember.objects.get(person=candidate)
    assert (member.readiness, member.entry_route) == ("ready_soon", "assessment_centre")
    booked.refresh_from_db()
    assert booked.status == BookingStatus.ATTENDED and booked.outcome == "ready_soon"


def test_assessed_without_joining_the_pool(lead_client, booked):
    response = lead_client.post(
        reverse("talent:booking_outcome", args=[booked.pk]), {"outcome": "none", "notes": "Not yet."}
    )
    assert response.status_code == 302 and not PoolMember.objects.exists()
    booked.refresh_from_db()
    assert booked.status == BookingStatus.ATTENDED and booked.outcome == ""


def test_each_participant_downloads_their_own_feedback_report(booked, assessor, candidate, talent_lead):
    services.rating_record(
        booking=booked,
        assessor=assessor,
        exercise="In-tray",
        domain="governance",
        score=2,
        notes="Clear",
        actor=assessor.user,
    )
    url = reverse("talent:feedback_report", args=[booked.pk])
    client = signed_in_client(candidate)
    assert client.get(url).status_code == 404  # not assessed yet
    assert "Not yet assessed" in client.get(reverse("talent:my_centres")).content.decode()
    services.panel_outcome_record(
        booking=booked, outcome="", notes="Come back next year.", actor=talent_lead.user
    )
    assert url in client.get(reverse("talent:my_centres")).content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    # Nobody else, not even the talent lead or the assessor, downloads it.
    for other in (talent_lead, assessor, PersonFactory()):
        assert signed_in_client(other).get(url).status_code == 404


def test_the_report_names_the_ratings_by_domain(booked, assessor, candidate, talent_lead):
    from talent import selectors

    services.rating_record(
        booking=booked,
        assessor=assessor,
        exercise="In-tray",
        domain="governance",
        score=2,
        actor=assessor.user,
    )
    services.rating_record(
        booking=booked, assessor=assessor, exercise="Panel", domain="governance", score=3, actor=assessor.user
    )
    services.panel_outcome_record(booking=booked, outcome="", notes="Next year.", actor=talent_lead.user)
    _, domains = selectors.own_feedback(candidate.user, booked.pk)
    governance = next(d for d in domains if d["name"].startswith("Providing robust governance"))
    assert governance["mean"] == 2.5 and len(domains) == 6
    assert all(d["mean"] is None for d in domains if d is not governance)


def test_the_centre_pages_are_the_talent_leads_of_the_region(centre, booked, other_lead, participant):
    for url in (
        reverse("talent:centres"),
        reverse("talent:centre_new"),
        reverse("talent:centre", args=[centre.pk]),
        reverse("talent:centre_nominate", args=[centre.pk]),
        reverse("talent:booking_outcome", args=[booked.pk]),
    ):
        assert signed_in_client(participant).get(url).status_code == 403, url
    for url in (
        reverse("talent:centre", args=[centre.pk]),
        reverse("talent:centre_nominate", args=[centre.pk]),
        reverse("talent:booking_outcome", args=[booked.pk]),
    ):
        assert signed_in_client(other_lead).get(url).status_code == 404, url
    assert (
        signed_in_client(other_lead).post(reverse("talent:booking_book", args=[booked.pk])).status_code == 404
    )


def test_the_centres_list_takes_a_fixed_number_of_queries(
    lead_client, midlands, talent_lead, django_assert_max_num_queries
):
    for number in range(15):
        services.centre_create(
            region=midlands["region"],
            title=f"DAC {number}",
            level="career",
            held_on=dt.date(2021, 1, 1) + dt.timedelta(days=number),
            places=10,
            actor=talent_lead.user,
        )
    # session, user, role grants (x2: decorator and region), centres with their counts, + page furniture
    with django_assert_max_num_queries(8):
        response = lead_client.get(reverse("talent:centres"))
    assert response.content.decode().count("DAC ") >= 15


def test_the_home_page_offers_centre_cards_only_to_assessors_and_those_nominated(
    centre, assessor, candidate, talent_lead, midlands
):
    assessing, mine = reverse("talent:assessing"), reverse("talent:my_centres")
    home = reverse("academy:home")
    bystander = make_person(organisation=midlands["north_trust"])
    page = signed_in_client(bystander).get(home).text
    assert assessing not in page and mine not in page
    page = signed_in_client(assessor).get(home).text
    assert assessing in page and mine not in page
    assert mine not in signed_in_client(candidate).get(home).text
    # Once nominated, the candidate is offered their centres (and their feedback reports after).
    services.booking_nominate(centre=centre, person=candidate, actor=talent_lead.user)
    page = signed_in_client(candidate).get(home).text
    assert mine in page and assessing not in page
