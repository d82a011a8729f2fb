"""A past year imported from the academy's spreadsheets gives back that year's Year in Review figures."""

from __future__ import annotations

import pytest

from academy import ods
from academy.models import AuditEntry, Person, Region
from academy.scope import Scope
from programmes.models import Attendance, Cohort, Enrolment, Programme, Session
from programmes.selectors import reach_and_impact
from programmes.services.history import HistoryRefused, history_import
from tests.files import xlsx_bytes

pytestmark = pytest.mark.django_db

PROGRAMMES = """Code,Title,Theme,Delivery mode
CLS1,Compassionate leadership,Looking after our people,Virtual
MNG2,Mary Seacole,Growing for the future,face to face
"""
COHORTS = """Cohort,Programme,System,Session date,Start time,End time
CLS1 May 2021,CLS1,QJ2,04/05/2021,09:30,12:30
CLS1 May 2021,CLS1,QJ2,18/05/2021,09:30,12:30
CLS1 June 2021,cls1,Black Country,2021-06-08,13:00,16:00
MNG2 Autumn,MNG2,,12/10/2021,,
MNG2 Autumn,MNG2,,09/11/2021,,
OLD,MNG2,,15/03/2021,,
"""
PEOPLE = """Email,First name,Last name,Organisation,Staff group,Gender,Ethnic category
ann@nhs.net,Ann,Able,RTG,Nursing and Midwifery Registered,Female,A
bob@nhs.net,Bob,Baker,RNA,admin,M,H
cat@nhs.net,Cat,Cole,University Hospitals of Leicester NHS Trust,Medical and Dental,female,
dan@nhs.net,Dan,Dale,,Administrative and Clerical,,
"""
REGISTER = """Cohort,Email,Session date,Attendance,Outcome
CLS1 May 2021,ann@nhs.net,04/05/2021,Attended,
CLS1 May 2021,ann@nhs.net,18/05/2021,Present,
CLS1 May 2021,bob@nhs.net,04/05/2021,DNA,withdrawn
CLS1 May 2021,bob@nhs.net,18/05/2021,Apols,withdrawn
CLS1 June 2021,cat@nhs.net,08/06/2021,attended,
MNG2 Autumn,ann@nhs.net,12/10/2021,attended,
MNG2 Autumn,ann@nhs.net,09/11/2021,absent,
MNG2 Autumn,dan@nhs.net,12/10/2021,attended,
OLD,dan@nhs.net,15/03/2021,attended,
"""


# 24 more on the autumn cohort, enough for the equality shares to be published (groups of 8 or more):
# 16 women and 8 men; 8 each in nursing, medical and admin; ethnic categories A, H and not given.
CROWD = [
    (
        f"p{n}@nhs.net",
        "Female" if n < 16 else "Male",
        ("nursing", "medical", "admin")[n % 3],
        ("A", "H", "")[n // 8],
    )
    for n in range(24)
]
PEOPLE += "".join(f"{e},P,{n},RRK,{g},{s},{c}\n" for n, (e, s, g, c) in enumerate(CROWD))
REGISTER += "".join(f"MNG2 Autumn,{e},12/10/2021,attended,\n" for e, *_ in CROWD)


def files(**changes) -> dict[str, bytes]:
    texts = {"programmes": PROGRAMMES, "cohorts": COHORTS, "people": PEOPLE, "register": REGISTER} | changes
    return {name: text.encode("utf-8") for name, text in texts.items()}


@pytest.fixture
def region():
    ods.load_shipped()
    return Region.objects.get(slug="midlands")


def test_a_past_year_imported_from_files_gives_its_year_in_review_figures(region):
    report = history_import(region=region, files=files())
    assert (report.programmes, report.cohorts, report.sessions, report.people) == (2, 4, 6, 28)
    assert (report.enrolments, report.marks) == (30, 33)

    h = reach_and_impact(Scope.for_nhs_year("2021/22", region=region))["headline"]
    # 2021/22: three cohorts (OLD's one session was in March 2021, the year before).
    assert h.interventions == 3
    # 29 places (Ann twice, Bob withdrawn still counts, Cat, Dan, the 24): 28 people.
    assert (h.enrolments.value, h.individuals.value) == (29, 28)
    # Attended: Ann x3, Cat, Dan and the 24 = 29 of the 32 marks of the year.
    assert h.attendance_rate == pytest.approx(29 / 32)
    assert (h.first_session.date().isoformat(), h.last_session.date().isoformat()) == (
        "2021-05-04",
        "2021-11-09",
    )
    # The equality shares as published, from counts rounded to the nearest 5: women 18 -> 20 of 28 -> 30;
    # medical 9 -> 10, nursing 9 -> 10, admin 10 of 30; minority ethnic (H) 9 -> 10 of the 18 -> 20 stated.
    assert (h.female_share, h.medical_share, h.nursing_ahp_share, h.administrative_share) == pytest.approx(
        (2 / 3, 1 / 3, 1 / 3, 1 / 3)
    )
    assert h.minority_ethnic_share == pytest.approx(1 / 2)

    last_year = reach_and_impact(Scope.for_nhs_year("2020/21", region=region))["headline"]
    assert (last_year.interventions, last_year.enrolments.value) == (1, 1)

    ann = Person.objects.get(user__email="ann@nhs.net")
    assert (ann.organisation.ods_code, ann.staff_group, ann.gender, ann.ethnic_category) == (
        "RTG",
        "nursing",
        "female",
        "A",
    )
    assert not ann.user.is_active and not ann.user.has_usable_password()
    cohort = Cohort.objects.get(name="CLS1 May 2021")
    assert (cohort.system.ods_code, cohort.status, cohort.places_taken, cohort.capacity) == (
        "QJ2",
        "completed",
        1,
        2,
    )
    assert list(cohort.sessions.values_list("title", flat=True)) == ["Session 1", "Session 2"]
    entry = AuditEntry.objects.get(action="history.import")
    assert entry.data["marks"] == 33 and entry.region_id == region.pk


def test_every_bad_line_is_named_and_nothing_is_written(region):
    bad_register = (
        REGISTER + "CLS1 May 2021,eve@nhs.net,04/05/2021,attended,\nNOPE,ann@nhs.net,01/01/2022,attended,\n"
    )
    bad_register += "CLS1 May 2021,cat@nhs.net,05/05/2021,maybe,\n"
    bad_people = PEOPLE + "not-an-email,X,Y,,,,\nfay@nhs.net,Fay,Fox,Atlantis Trust,,,\n"
    with pytest.raises(HistoryRefused) as refused:
        history_import(
            region=region,
            files=files(register=bad_register, people=bad_people, cohorts=COHORTS + "X,ZZZ9,,31/02/2021,,\n"),
        )
    problems = refused.value.problems
    assert "cohorts line 8: session_date must be a date such as 31/03/2021 (got “31/02/2021”)." in problems
    assert "people line 30: email “not-an-email” is not an email address." in problems
    assert (
        "people line 31: organisation “Atlantis Trust” is not an organisation Academy knows (by ODS code or name)."
        in problems
    )
    assert "register line 35: The person eve@nhs.net is not in the people file nor on Academy." in problems
    assert "register line 36: The cohort “NOPE” is not in the cohorts file nor on Academy." in problems
    assert any(
        p.startswith("register line 37: attendance “maybe” is not attended, absent or apologies")
        for p in problems
    )
    assert (
        not Programme.objects.exists() and not Enrolment.objects.exists() and not Attendance.objects.exists()
    )
    assert not Person.objects.exists()


def test_someone_already_known_keeps_their_profile_and_a_known_programme_is_reused(region):
    history_import(region=region, files=files())
    register = "Cohort,Email,Session date,Attendance\nCLS1 2022,ann@nhs.net,05/05/2022,attended\n"
    cohorts = "Cohort,Programme,Session date\nCLS1 2022,CLS1,05/05/2022\n"
    report = history_import(region=region, files={"cohorts": cohorts.encode(), "register": register.encode()})
    assert (report.programmes, report.people, report.enrolments) == (0, 0, 1)
    assert Programme.objects.count() == 2 and Person.objects.filter(user__email="ann@nhs.net").count() == 1


def test_the_command_imports_files_or_names_the_problems(region, tmp_path):
    import io

    from django.core.management import CommandError, call_command

    paths = {}
    for name, content in files().items():
        paths[name] = tmp_path / f"{name}.csv"
        paths[name].write_bytes(content)
    args = [f"--{name}={path}" for name, path in paths.items()]
    out = io.StringIO()
    call_command("import_history", "--region=midlands", *args, stdout=out)
    assert "4 cohorts with 6 sessions" in out.getvalue()

    paths["register"].write_text(
        "Cohort,Email,Session date,Attendance\nNOPE,ann@nhs.net,01/01/2022,attended\n"
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem: nothing was imported"):
        call_command("import_history", "--region=midlands", *args, stdout=io.StringIO(), stderr=err)
    assert "register line 2: The cohort “NOPE” is not in the cohorts file nor on Academy." in err.getvalue()


def test_importing_the_same_files_again_adds_nothing(region):
    history_import(region=region, files=files())
    counts = (
        Cohort.objects.count(),
        Session.objects.count(),
        Enrolment.objects.count(),
        Attendance.objects.count(),
    )
    again = history_import(region=region, files=files())
    assert (again.programmes, again.cohorts, again.sessions, again.people, again.enrolments, again.marks) == (
        0, 0, 0, 0, 0, 0,
    )  # fmt: skip
    assert (
        Cohort.objects.count(), Session.objects.count(), Enrolment.objects.count(), Attendance.objects.count()
    ) == counts  # fmt: skip
    # A later file with one new session and its marks adds just those.
    cohorts = "Cohort,Programme,Session date\nCLS1 May 2021,CLS1,01/06/2021\n"
    register = "Cohort,Email,Session date,Attendance\nCLS1 May 2021,ann@nhs.net,01/06/2021,attended\n"
    more = history_import(region=region, files={"cohorts": cohorts.encode(), "register": register.encode()})
    assert (more.cohorts, more.sessions, more.enrolments, more.marks) == (0, 1, 0, 1)
    cohort = Cohort.objects.get(name="CLS1 May 2021")
    assert (cohort.places_taken, cohort.ends_on.isoformat()) == (1, "2021-06-01")
    assert AuditEntry.objects.filter(action="history.import").count() == 3


def test_a_workbook_register_is_read_like_a_csv(region):
    register = xlsx_bytes(*(line.split(",") for line in REGISTER.strip().splitlines()))
    report = history_import(region=region, files=files() | {"register": register})
    assert (report.enrolments, report.marks) == (30, 33)
