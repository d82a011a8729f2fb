"""The GMTS manager's quotes page (choosing the chapter's quotes) and adding one trainee; the home page
offers the GMTS cards only to trainees and their managers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from academy.models import AuditEntry, Person, Role
from academy.scope import Scope
from gmts.figures import quotes as chosen_quotes
from gmts.models import SchemeQuote, Trainee, VoiceRole
from tests.conftest import make_person, signed_in_client
from tests.factories import OrganisationFactory, RegionFactory, SystemFactory
from tests.gmts.factories import PlacementFactory, TraineeFactory, intake_starting, specialism

pytestmark = pytest.mark.django_db


def quote(region, name="Mel Bolton", given_on=dt.date(2020, 10, 1), **extra) -> SchemeQuote:
    return SchemeQuote.objects.create(
        region=region,
        role=extra.pop("role", VoiceRole.TRAINEE),
        name=name,
        attribution="GMTS Intake September 2019, Finance",
        text="The scheme gave me a network across the Midlands.",
        given_on=given_on,
        **extra,
    )


@pytest.fixture
def other_region_manager():
    region = RegionFactory(name="North West", slug="north-west")
    org = OrganisationFactory(system=SystemFactory(sub_region__region=region))
    return make_person(Role.GMTS_MANAGER, organisation=org), region


# --- quotes -----------------------------------------------------------------------------------------


def test_choosing_a_quote_puts_it_in_the_chapter_and_taking_it_out_removes_it(midlands, manager_client):
    said = quote(midlands)
    scope = Scope.for_nhs_year("2020/21", region=midlands)
    page = manager_client.get(reverse("gmts:quotes"))
    assert "The scheme gave me a network across the Midlands." in page.text
    assert "Choose for the review" in page.text
    url = reverse("gmts:quote_choose", args=[said.pk])
    assert manager_client.post(url, {"chosen": "yes"}).status_code == 302
    assert [q.pk for q in chosen_quotes(scope)] == [said.pk]
    assert AuditEntry.objects.filter(action="gmts.quote.choose").count() == 1
    assert "Take out of the review" in manager_client.get(reverse("gmts:quotes")).text
    assert manager_client.post(url, {"chosen": "no"}).status_code == 302
    assert chosen_quotes(scope) == []
    assert AuditEntry.objects.filter(action="gmts.quote.drop").count() == 1


def test_quotes_of_another_region_are_not_found(midlands, manager_client, other_region_manager):
    other, region = other_region_manager
    theirs = quote(region, name="Someone Else")
    assert "Someone Else" not in manager_client.get(reverse("gmts:quotes")).text
    response = manager_client.post(reverse("gmts:quote_choose", args=[theirs.pk]), {"chosen": "yes"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.chosen_at is None


def test_only_the_gmts_manager_chooses(midlands, participant_client, manager_client):
    said = quote(midlands)
    assert participant_client.get(reverse("gmts:quotes")).status_code == 403
    assert (
        participant_client.post(reverse("gmts:quote_choose", args=[said.pk]), {"chosen": "yes"}).status_code
        == 403
    )
    assert manager_client.get(reverse("gmts:quote_choose", args=[said.pk])).status_code == 405


def test_the_quotes_page_queries_are_fixed(midlands, manager_client, django_assert_max_num_queries):
    for n in range(60):
        quote(
            midlands, name=f"Trainee {n}", chosen_at=dt.datetime(2021, 1, 1, tzinfo=dt.UTC) if n % 2 else None
        )
    # session, user, role grants, person (+ MFA) ~5; region; count, the page's quotes; session save.
    with django_assert_max_num_queries(10):
        page = manager_client.get(reverse("gmts:quotes"))
    assert len(page.context["rows"]) == 50


# --- adding a trainee -------------------------------------------------------------------------------


def test_adding_someone_on_academy_by_email(manager_client, intake, programme_manager, host):
    person = make_person(organisation=host)
    data = {
        "email": person.user.email.upper(),
        "intake": intake.pk,
        "specialism": specialism("finance").pk,
        "programme_manager_email": programme_manager.user.email,
    }
    response = manager_client.post(reverse("gmts:trainee_create"), data)
    trainee = Trainee.objects.get(person=person)
    assert response.status_code == 302 and response.url == reverse("gmts:trainee", args=[trainee.pk])
    assert (trainee.intake, trainee.programme_manager) == (intake, programme_manager)
    assert AuditEntry.objects.filter(action="gmts.trainee.create").count() == 1
    assert mail.outbox == []  # someone with an account is not invited
    again = manager_client.post(reverse("gmts:trainee_create"), data)
    assert "already on the scheme" in again.text


def test_adding_someone_new_invites_them(manager_client, intake, django_capture_on_commit_callbacks):
    data = {"email": "new.trainee@nhs.net", "intake": intake.pk, "specialism": specialism().pk}
    refused = manager_client.post(reverse("gmts:trainee_create"), data)
    assert "give their first and last name" in refused.text
    assert not Person.objects.filter(user__email="new.trainee@nhs.net").exists()
    data |= {"first_name": "Nia", "last_name": "Okafor", "programme_manager_email": "nobody@nhs.net"}
    refused = manager_client.post(reverse("gmts:trainee_create"), data)
    assert "No one in the portal has the email nobody@nhs.net" in refused.text
    data["programme_manager_email"] = ""
    with django_capture_on_commit_callbacks(execute=True):
        assert manager_client.post(reverse("gmts:trainee_create"), data).status_code == 302
    trainee = Trainee.objects.get(person__user__email="new.trainee@nhs.net")
    assert trainee.person.full_name == "Nia Okafor"
    assert AuditEntry.objects.filter(action="person.create").count() == 1
    assert [m.to for m in mail.outbox] == [["new.trainee@nhs.net"]]
    assert "Set a password" in mail.outbox[0].body


def test_only_intakes_of_ones_region_are_offered(manager_client, other_region_manager):
    _, region = other_region_manager
    theirs = intake_starting(region, dt.date(2031, 3, 1))
    data = {
        "email": "x.y@nhs.net",
        "first_name": "X",
        "last_name": "Y",
        "intake": theirs.pk,
        "specialism": specialism().pk,
    }
    page = manager_client.post(reverse("gmts:trainee_create"), data)
    assert page.status_code == 200
    assert not Trainee.objects.exists()


# --- the home page's cards ------------------------------------------------------------------------------


def test_the_home_page_offers_gmts_cards_only_to_trainees_and_their_managers(
    trainees, participant_client, placement_manager, host
):
    mine, managed = reverse("gmts:mine"), reverse("gmts:managed")
    home = reverse("academy:home")
    participant = participant_client.get(home).text
    assert mine not in participant and managed not in participant
    trainee = signed_in_client(trainees[0].person).get(home).text
    assert mine in trainee and managed not in trainee
    programme_manager = signed_in_client(trainees[0].programme_manager).get(home).text
    assert managed in programme_manager and mine not in programme_manager
    PlacementFactory(trainee=trainees[1], host=host, placement_manager=placement_manager)
    assert managed in signed_in_client(placement_manager).get(home).text
    # A new trainee is offered their page once they are on the scheme.
    newcomer = make_person(organisation=host)
    assert mine not in signed_in_client(newcomer).get(home).text
    TraineeFactory(intake=trainees[0].intake, person=newcomer)
    assert mine in signed_in_client(newcomer).get(home).text
