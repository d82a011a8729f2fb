"""The organisation chooser: the server finds organisations by name or ODS code as a person types
(the page no longer holds every organisation of the country), and without JavaScript the typed name
or code is matched when the profile is saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from academy.forms import ProfileForm
from academy.models import Organisation, Person, StaffGroup
from tests.conftest import make_person, signed_in_client
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

SEARCH = "academy:organisation_search"


@pytest.fixture
def trusts():
    return {
        "rwe": OrganisationFactory(name="University Hospitals of Leicester NHS Trust", ods_code="RWE"),
        "rt5": OrganisationFactory(name="Leicestershire Partnership NHS Trust", ods_code="RT5"),
        "rna": OrganisationFactory(name="The Dudley Group NHS Foundation Trust", ods_code="RNA"),
        "closed": OrganisationFactory(
            name="Leicester Closed Hospital", ods_code="RZZ", closed_on=dt.date(2020, 3, 31)
        ),
    }


def labels(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return [found["label"] for found in response.json()["results"]]


def test_search_finds_open_organisations_by_part_of_a_name_or_an_ods_code(trusts):
    client = signed_in_client(make_person())
    assert labels(client.get(reverse(SEARCH), {"q": "leicester"})) == [
        "Leicestershire Partnership NHS Trust (RT5)",
        "University Hospitals of Leicester NHS Trust (RWE)",
    ]
    assert labels(client.get(reverse(SEARCH), {"q": "rna"})) == [
        "The Dudley Group NHS Foundation Trust (RNA)"
    ]
    assert labels(client.get(reverse(SEARCH), {"q": "r"})) == []  # two characters at least
    assert labels(client.get(reverse(SEARCH), {"q": "RZZ"})) == []  # closed


def test_search_answers_at_most_twenty_in_two_queries_whatever_the_region_holds(
    django_assert_max_num_queries,
):
    region = OrganisationFactory().region
    Organisation.objects.bulk_create(
        Organisation(name=f"Surgery {n:03}", ods_code=f"M{n:05}", type="gp_practice", region=region)
        for n in range(300)
    )
    client = signed_in_client(make_person())
    client.get(reverse(SEARCH), {"q": "warm"})  # the session and the person are cached after this
    # The session (read, saved), the user, their role grants, the exact ODS code, the matches; the rest
    # is the rate limit's counter in the tests' database cache (two counts, reads, an insert or update).
    with django_assert_max_num_queries(20):
        found = labels(client.get(reverse(SEARCH), {"q": "surgery"}))
    assert len(found) == 20 and found[0] == "Surgery 000 (M00000)"


def test_search_is_for_people_signed_in_and_refuses_bad_input_in_words(client, trusts):
    response = client.get(reverse(SEARCH), {"q": "leic"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    signed_in = signed_in_client(make_person())
    # A NUL character (which PostgreSQL refuses in text) is dropped, not a server error.
    assert len(labels(signed_in.get(reverse(SEARCH), {"q": "le\x00ic"}))) == 2
    assert labels(signed_in.get(reverse(SEARCH), {"q": "x" * 5000})) == []
    assert signed_in.post(reverse(SEARCH), {"q": "leic"}).status_code == 405


def test_search_is_rate_limited(settings, trusts):
    settings.ORGANISATION_SEARCH_RATE = "3/m"
    cache.clear()
    client = signed_in_client(make_person())
    statuses = [client.get(reverse(SEARCH), {"q": "leic"}).status_code for _ in range(5)]
    cache.clear()
    assert statuses == [200, 200, 200, 429, 429]


def test_the_profile_page_holds_a_text_box_not_every_organisation(trusts):
    person = make_person()
    for n in range(50):
        OrganisationFactory(name=f"Embedded Trust {n}")
    page = signed_in_client(person).get(reverse("academy:profile")).content.decode()
    assert "Embedded Trust" not in page and "<select" not in page.split('id="id_organisation"')[0][-300:]
    assert f'data-organisation-search="{reverse(SEARCH)}"' in page
    assert f'value="{person.organisation.label}"' in page


@pytest.mark.parametrize(
    ("typed", "chosen"),
    [
        ("University Hospitals of Leicester NHS Trust (RWE)", "rwe"),  # as the chooser shows it
        ("rwe", "rwe"),  # the ODS code
        ("  the dudley group nhs foundation trust ", "rna"),  # the whole name
        ("Partnership", "rt5"),  # a part only one has
    ],
)
def test_without_javascript_the_typed_name_or_code_is_matched(trusts, typed, chosen):
    form = ProfileForm(data=profile_data(typed), instance=Person())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["organisation"] == trusts[chosen]


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("Leicester", "2 organisations match “Leicester”: type the whole name or the ODS code of yours"),
        ("Nowhere", "No organisation matches “Nowhere”"),
        ("RZZ", "No organisation matches “RZZ”"),  # closed
        ("Le\x00icester", "must not contain hidden characters"),
    ],
)
def test_without_javascript_no_match_or_several_are_said_in_words(trusts, typed, says):
    form = ProfileForm(data=profile_data(typed), instance=Person())
    assert not form.is_valid()
    assert says in form.errors["organisation"][0]


def profile_data(organisation: str) -> dict:
    return {
        "given_name": "Sam",
        "family_name": "Jones",
        "job_title": "Ward Manager",
        "organisation": organisation,
        "staff_group": StaffGroup.ADMINISTRATIVE_CLERICAL,
    }
