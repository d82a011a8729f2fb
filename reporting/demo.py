"""Demo data for reporting: the 2020/21 edition of the Year in Review, with narrative from the source
document and quotes given with consent, and HCLM 360 counts for 2019 and 2020 (2020 as in the source;
2019 worked back from its % changes, so the change column shows the source's). The programme data it
reports on is the programmes demo's 2020/21 year (`programmes/demo_2020_21.py`). Idempotent."""

from __future__ import annotations

import datetime as dt

from academy.models import Region, User
from academy.scope import Scope
from programmes import selectors as programmes
from reporting import services
from reporting.models import HCLM_COUNTS, Edition

TITLE = "A Year in Review 2020/21"

NARRATIVE = {
    "welcome": (
        "I am delighted to share with you the first Annual Review from the new Leadership and Lifelong "
        "Learning Team in the Midlands.\n\n"
        "2020 was a tumultuous year for us all, dominated by a national pandemic that has brought tragedy "
        "and heartbreak to so many, and has called on our health and care leaders to work in ways where "
        "'above and beyond' has become the daily business as usual.\n\n"
        "A new team for the Midlands was formed from 1st April 2020 to replace the previous East and West "
        "Midlands Leadership Academies. Working through the pandemic inevitably placed limitations on all "
        "the work we hoped to achieve. However it did not prevent us making real progress on much of what "
        "we, and more importantly our NHS service partners, defined as essential business.\n\n"
        "Dr Clare Price-Dowd, Head of Leadership and Lifelong Learning (Midlands region)"
    ),
    "executive_summary": (
        "The COVID-19 pandemic has taught us possibly as much about leadership as it has about the virus "
        "itself. Being required to work in new ways has completely shifted the mental models of how "
        "effective development can be designed and delivered.\n\n"
        "The Midlands Leadership and Lifelong Learning Team and Midlands Talent Team have demonstrated that "
        "it is possible to engage in new, virtual ways and consistently deliver high quality interventions "
        "to leaders at all levels. The 'trauma informed leadership, working through crisis' master class "
        "was our most in demand activity.\n\n"
        "This was the first year of a new team and new operating model for Leadership and Lifelong "
        "Learning. Positive feedback from participants and delivery partners alike shows we have been able "
        "to respond to the needs of leaders."
    ),
    "looking_ahead": (
        "This review has shown the work carried out by the team over the past year in the midst of the "
        "global pandemic. We must now look to the future. The landscape is changing and the forthcoming "
        "year will again be one of change to Integrated Care System status across all 11 systems.\n\n"
        "Our most valuable team lesson this year has been about collaboration. We cannot achieve our "
        "ambitions alone. We remain committed to the values of the NHS Constitution and, through the "
        "development of excellence in leadership at all levels, will continue to support our leaders to "
        "be the best they can be."
    ),
    "chapter_introductions": {
        "reach": (
            "Between September 2020 and March 2021 every intervention was delivered virtually, as face to "
            "face contact was not possible under COVID-19 restrictions. Recordings were made available to "
            "those whose work pressures made attendance at the time difficult."
        ),
        "looking_after": (
            "How the team developed themselves, the wider team and their own competencies to better "
            "support leaders and systems — and how we helped leaders look after their people."
        ),
        "belonging": (
            "Our response to Black Lives Matter and our work in equality, diversity and inclusion: building "
            "networks, raising awareness and allyship."
        ),
        "new_ways": (
            "Our response to the identified needs of leaders: leadership development, coaching and "
            "mentoring, diagnostics and psychometrics, primary care support and systems leadership."
        ),
        "growing": (
            "Our approach to talent management, restoration and recovery, and the programmes that grow the "
            "leaders of the future."
        ),
        "coaching": (
            "The East and West Midlands coach and mentor registers were merged, every coach is offered "
            "group supervision, and 180+ new mentors were developed to address the deficit compared to "
            "coaches."
        ),
        "hclm": (
            "Demand for the HCLM 360 fell over the year; our facilitators remained committed to supporting "
            "NHS colleagues with feedback sessions, and two HCLM CPD sessions refreshed their knowledge."
        ),
        "voices": "What participants told us, quoted with their permission.",
    },
}

# HCLM 360, totals for 2020 as in the source (Overall / East Midlands / West Midlands), each with the
# source's % change on 2019 (None where the source leaves it blank: nothing the year before).
HCLM_2020 = {
    "Overall": [
        (6962, -0.29), (173, -0.26), (4225, -0.24), (3229, -0.44), (2733, -0.43),
        (11354, 0.02), (9812, 0.02), (73, -0.77), (87, -0.67), (1915, 5.10),
    ],
    "East Midlands": [
        (378, -0.19), (9, -0.47), (279, -0.19), (152, -0.56), (134, -0.53),
        (907, 0.16), (807, 0.17), (0, None), (0, None), (184, None),
    ],
    "West Midlands": [
        (545, -0.25), (22, -0.21), (401, -0.26), (355, -0.23), (299, -0.20),
        (1078, 0.10), (930, 0.09), (14, -0.22), (20, 0.54), (166, 8.22),
    ],
}  # fmt: skip


def hclm_2019(current: int, change: float | None) -> int:
    """The previous year's count that gives the source's change: current / (1 + change)."""
    return 0 if change is None else round(current / (1 + change))


def hclm_csv() -> str:
    header = ["year", "sub_region", *[name for name, _ in HCLM_COUNTS]]
    lines = [",".join(header)]
    for column, values in HCLM_2020.items():
        lines.append(",".join(["2019", column, *[str(hclm_2019(v, c)) for v, c in values]]))
        lines.append(",".join(["2020", column, *[str(v) for v, _ in values]]))
    return "\n".join(lines) + "\n"


def load(stdout=None) -> None:
    region = Region.objects.get(slug="midlands")
    if Edition.objects.filter(region=region, system=None, title=TITLE).exists():
        if stdout:
            stdout.write("  reporting demo data already loaded")
        return
    services.hclm360_import(actor=None, region=region, upload=hclm_csv(), filename="hclm-360-2019-2020.csv")
    _edition(region)
    if stdout:
        stdout.write(
            "  Year in Review 2020/21: an edition with its narrative and quotes, and HCLM 360 counts."
        )


def _edition(region: Region) -> None:
    lead = User.objects.filter(email="lead@nhs.net").first()
    edition = services.edition_create(
        actor=lead,
        region=region,
        title=TITLE,
        period_start=dt.date(2020, 4, 1),
        period_end=dt.date(2021, 3, 31),
        **NARRATIVE,
    )
    # The first four quotes given in the year, in the order they were given.
    quotes = list(programmes.quotable_feedback(Scope.for_edition(edition)).order_by("pk")[:4])
    services.edition_set_quotes(edition=edition, actor=lead, feedback=quotes)
