"""The chapter's figures against a hand-counted year, and the chapter in the real PDF.

2020/21 in the Midlands (two systems, A = Derby and Derbyshire, B = Birmingham and Solihull):

* September 2017 intake, 1 trainee: due to finish in August 2019, so not supported in 2020/21.
* September 2019 intake, 10 trainees: 8 placed at an acute trust in A and 2 at a mental health trust
  in B on 31 March 2021.
* March 2020 intake, 5 trainees: one withdrew on 20 March 2020 (before the year); 4 at an acute
  trust in B.
* March 2021 intake, 3 trainees: 2 with confirmed placements at the acute trust in A; 1 with only a
  proposed placement in B.

Supported: 10 + 4 + 3 = 17. New: 3 in March 2021. Current on 31 March 2021: A 10, B 6, no placement 1;
acute 14, mental health 2, no placement 1. Published (counts of 1 to 7 hidden, the rest rounded to 5):
A 10, B *, no placement *, total 15; acute 15, mental health *, no placement *, total 15."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from academy.models import Organisation, OrganisationType
from academy.scope import Scope
from gmts import selectors
from gmts.models import PlacementKind, PlacementStatus, SchemeQuote, TraineeStatus, VoiceRole
from tests.factories import RegionFactory
from tests.gmts.factories import PlacementFactory, TraineeFactory, intake_starting
from tests.reporting import builders as b

pytestmark = pytest.mark.django_db


def org(system, kind=OrganisationType.ACUTE_TRUST, name=None):
    return Organisation.objects.create(
        name=name or f"{system.name} {kind} trust", type=kind, region=system.sub_region.region, system=system
    )


def placed(trainee, host, start, end, status=PlacementStatus.STARTED, kind=PlacementKind.FIRST):
    return PlacementFactory(
        trainee=trainee, host=host, starts_on=start, ends_on=end, status=status, kind=kind
    )


@pytest.fixture
def year():
    region = RegionFactory()
    a = b.system(region, sub_region="East Midlands", name="Derby and Derbyshire")
    b_system = b.system(region, sub_region="West Midlands", name="Birmingham and Solihull")
    a_acute, b_acute = org(a), org(b_system)
    b_mental = org(b_system, OrganisationType.MENTAL_HEALTH_TRUST)
    TraineeFactory(intake=intake_starting(region, dt.date(2017, 9, 1)))
    sep19 = intake_starting(region, dt.date(2019, 9, 1))
    for i in range(10):
        trainee = TraineeFactory(intake=sep19)
        placed(trainee, a_acute if i < 8 else b_mental, dt.date(2020, 9, 1), dt.date(2021, 8, 31))
    mar20 = intake_starting(region, dt.date(2020, 3, 1))
    for i in range(5):
        if i == 0:
            TraineeFactory(
                intake=mar20,
                status=TraineeStatus.WITHDRAWN,
                status_reason="Left",
                left_on=dt.date(2020, 3, 20),
            )
            continue
        placed(TraineeFactory(intake=mar20), b_acute, dt.date(2020, 9, 1), dt.date(2021, 8, 31))
    mar21 = intake_starting(region, dt.date(2021, 3, 1))
    for i in range(3):
        trainee = TraineeFactory(intake=mar21)
        if i < 2:
            placed(trainee, a_acute, dt.date(2021, 3, 1), dt.date(2021, 8, 31))
        else:
            placed(
                trainee, b_acute, dt.date(2021, 3, 1), dt.date(2021, 8, 31), status=PlacementStatus.PROPOSED
            )
    chosen = timezone.now()
    SchemeQuote.objects.create(
        region=region,
        role=VoiceRole.PLACEMENT_MANAGER,
        name="Mel Bolton",
        attribution="General Manager, Wye Valley NHS Trust",
        text="Jay has blazed the trail for future trainee placements.",
        given_on=dt.date(2021, 2, 1),
        chosen_at=chosen,
    )
    SchemeQuote.objects.create(
        region=region,
        role=VoiceRole.TRAINEE,
        name="Not chosen",
        attribution="x",
        text="Unchosen words.",
        given_on=dt.date(2021, 2, 1),
    )
    SchemeQuote.objects.create(
        region=region,
        role=VoiceRole.TRAINEE,
        name="Last year",
        attribution="x",
        text="Old words.",
        given_on=dt.date(2019, 2, 1),
        chosen_at=chosen,
    )
    return region, a


def test_the_chapters_figures(year, django_assert_max_num_queries):
    region, _ = year
    scope = Scope.for_nhs_year("2020/21", region=region)
    # supported, new per intake, hosts on the last day, current count, systems of the region, the last
    # intake and its confirmed count, quotes
    with django_assert_max_num_queries(8):
        figures = selectors.gmts_chapter(scope)
    assert figures["supported"] == 17
    assert figures["new_per_intake"] == [("March 2021", 3)]
    # Every system of the region is listed (the trainees' own employers' systems count 0 here).
    assert [(c.label, c.display) for c in figures["by_system"].cells if c.display != "0"] == [
        ("Birmingham and Solihull", "*"),
        ("Derby and Derbyshire", "10"),
        ("No placement that day", "*"),
    ]
    assert figures["by_system"].total.display == "15"
    assert [(c.label, c.display) for c in figures["by_type"].cells] == [
        ("Acute trust", "15"),
        ("Mental health trust", "*"),
        ("No placement that day", "*"),
    ]
    statement = figures["confirmed"]
    assert (statement.starting, statement.confirmed) == (3, 2)
    assert statement.sentence == (
        "2 of the 3 trainees starting in March 2021 have confirmed placements; 1 does not yet."
    )
    assert [q.name for q in figures["quotes"]] == ["Mel Bolton"]


def test_one_systems_figures(year):
    region, a = year
    figures = selectors.gmts_chapter(Scope.for_nhs_year("2020/21", region=region, system=a))
    assert figures["supported"] == 10
    assert figures["confirmed"].sentence == "All 2 trainees starting in March 2021 have confirmed placements."


def test_every_new_trainee_placed_is_stated_as_all(year):
    region, _ = year
    proposed = selectors.Placement.objects.get(status=PlacementStatus.PROPOSED)
    proposed.status = PlacementStatus.CONFIRMED
    proposed.save()
    figures = selectors.gmts_chapter(Scope.for_nhs_year("2020/21", region=region))
    assert figures["confirmed"].sentence == "All 3 trainees starting in March 2021 have confirmed placements."


def test_the_chapter_in_the_pdf(year):
    from reporting import services

    region, _ = year
    edition = b.edition(region, title="A Year in Review 2020/21")
    reader = PdfReader(io.BytesIO(services.report_pdf(edition=edition)))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Graduate Management Training Scheme" in text
    assert "the GMTS team supported 17 trainees" in text
    assert "The region welcomed 3 new trainees in March 2021." in text
    assert "2 of the 3 trainees starting in March 2021 have confirmed placements" in text
    assert "Current GMTS trainees by STP area" in text
    assert "Jay has blazed the trail for future trainee placements." in text
    assert "Unchosen words." not in text and "Old words." not in text
