"""One small world of two regions for the access tests: a persona of every role, each owning records
another persona must not see. Built once per test module (see `world` in test_access.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils import timezone

from academy import audit
from academy.models import ImportRun, ImportRunStatus, Person, Role
from coaching.models import ReflectiveNote, SupervisionAttendee
from programmes.models import Application, Certificate, EnrolmentStatus, EntryRoute
from reporting.models import Edition, ReportRun, ReportRunStatus
from talent import services as talent_services
from talent.models import BoardSeat, TargetRole
from tests.conftest import make_person
from tests.factories import (
    CoachingRelationshipFactory,
    CoachingRequestFactory,
    CoachProfileFactory,
    CohortFactory,
    CPDEventFactory,
    EnrolmentFactory,
    OrganisationFactory,
    ProgrammeFactory,
    QualificationFactory,
    RegionFactory,
    SessionFactory,
    SupervisionSessionFactory,
    SystemFactory,
)

PDF = b"%PDF-1.4\n%%EOF\n"

# Who is who: (persona, roles, region key, given name, family name). Names are distinctive, so a page
# that shows someone can be caught by searching its body for their name or email.
PERSONAS = (
    ("participant", (), "a", "Ada", "Quillfeather"),
    ("other_participant", (), "a", "Bram", "Ostrowski"),
    ("coach", (Role.COACH,), "a", "Cass", "Vandermeer"),
    ("other_coach", (Role.COACH,), "a", "Dov", "Ellingham"),
    ("supervisor", (Role.COACH, Role.SUPERVISOR), "a", "Esme", "Tarrant"),
    ("staff", (Role.PROGRAMME_STAFF,), "a", "Fen", "Harcourt"),
    ("other_staff", (Role.PROGRAMME_STAFF,), "b", "Gus", "Pemberton"),
    ("lead", (Role.LEAD,), "a", "Hal", "Winterbourne"),
    ("other_lead", (Role.LEAD,), "b", "Ivo", "Castellan"),
    ("talent_lead", (Role.TALENT_LEAD,), "a", "Jude", "Ravensworth"),
    ("gmts_manager", (Role.GMTS_MANAGER,), "a", "Kit", "Abernethy"),
    ("board_member", (Role.TALENT_BOARD,), "a", "Lev", "Marchbanks"),
)


@dataclass
class World:
    people: dict[str, Person]
    outsider: Person  # a participant of region B, known to no persona of region A
    records: dict[str, object] = field(default_factory=dict)
    regions: dict[str, object] = field(default_factory=dict)
    organisations: dict[str, object] = field(default_factory=dict)

    def identities(self, *names: str) -> list[str]:
        """The full names and emails of the named people ("outsider" for the region B participant)."""
        found = []
        for name in names:
            person = self.outsider if name == "outsider" else self.people[name]
            found += [person.full_name, person.user.email]
        return found


def build_world() -> World:
    now = timezone.now()
    regions = {"a": RegionFactory(), "b": RegionFactory(name="North West", slug="north-west")}
    organisations = {
        key: OrganisationFactory(system=SystemFactory(sub_region__region=region))
        for key, region in regions.items()
    }
    people = {}
    for name, roles, region_key, given, family in PERSONAS:
        person = make_person(
            *roles, organisation=organisations[region_key], email=f"{given}.{family}@nhs.net".lower()
        )
        Person.objects.filter(pk=person.pk).update(given_name=given, family_name=family)
        person.refresh_from_db()
        people[name] = person
    # Region B's staff and lead were granted region B but chose an organisation of region A on their
    # profile: they must still see nothing of region A (ADR 0003).
    for name in ("other_staff", "other_lead"):
        Person.objects.filter(pk=people[name].pk).update(organisation=organisations["a"], region=regions["a"])
    outsider = make_person(organisation=organisations["b"], email="zora.blackwood@nhs.net")
    Person.objects.filter(pk=outsider.pk).update(given_name="Zora", family_name="Blackwood")
    outsider.refresh_from_db()
    world = World(people=people, outsider=outsider, regions=regions, organisations=organisations)
    r = world.records

    # Programmes: an open cohort in each region; Ada is enrolled in A's, Zora in B's.
    r["programme"] = ProgrammeFactory(region=regions["a"], slug="leading-through-change")
    r["cohort"] = CohortFactory(programme=r["programme"], places_taken=2)
    r["session"] = SessionFactory(cohort=r["cohort"])
    r["enrolment"] = EnrolmentFactory(cohort=r["cohort"], person=people["participant"])
    r["waiting"] = EnrolmentFactory(
        cohort=r["cohort"],
        person=people["other_participant"],
        status=EnrolmentStatus.WAITLISTED,
        waitlist_position=1,
    )
    finished = CohortFactory(
        programme=r["programme"],
        starts_on=now.date() - dt.timedelta(days=60),
        ends_on=now.date() - dt.timedelta(days=30),
    )
    r["completed"] = EnrolmentFactory(
        cohort=finished, person=people["participant"], status=EnrolmentStatus.COMPLETED
    )
    r["certificate"] = Certificate.objects.create(enrolment=r["completed"], code="ACCESSTEST1")
    applied = CohortFactory(
        programme=ProgrammeFactory(region=regions["a"], entry_route=EntryRoute.APPLICATION)
    )
    r["application_cohort"] = applied
    r["application"] = Application.objects.create(
        enrolment=EnrolmentFactory(
            cohort=applied, person=people["participant"], status=EnrolmentStatus.APPLIED
        )
    )
    r["cohort_b"] = CohortFactory(programme=ProgrammeFactory(region=regions["b"]), places_taken=1)
    r["enrolment_b"] = EnrolmentFactory(cohort=r["cohort_b"], person=outsider)
    r["session_b"] = SessionFactory(cohort=r["cohort_b"])

    # Coaching: Cass coaches Ada; Dov is another coach; Esme runs a group with Cass in it.
    for name in ("coach", "other_coach", "supervisor"):
        r[f"{name}_profile"] = CoachProfileFactory(person=people[name])
    r["qualification"] = QualificationFactory(
        profile=r["coach_profile"], certificate_content_type="application/pdf"
    )
    r["qualification"].certificate.save("cert.pdf", ContentFile(PDF), save=True)
    r["profile_b"] = CoachProfileFactory(person=make_person(Role.COACH, organisation=organisations["b"]))
    r["qualification_b"] = QualificationFactory(
        profile=r["profile_b"], certificate_content_type="application/pdf"
    )
    r["qualification_b"].certificate.save("cert-b.pdf", ContentFile(PDF), save=True)
    r["applicant_profile"] = CoachProfileFactory(person=people["other_participant"], status="applied")
    r["note"] = ReflectiveNote.objects.create(
        profile=r["coach_profile"], title="After the rota talk", body="Private"
    )
    r["relationship"] = CoachingRelationshipFactory(coach=r["coach_profile"], coachee=people["participant"])
    r["request"] = CoachingRequestFactory(requester=people["participant"])
    r["request_b"] = CoachingRequestFactory(requester=outsider)
    r["cpd_event"] = CPDEventFactory(region=regions["a"])
    r["cpd_event_b"] = CPDEventFactory(region=regions["b"], title="North West webinar")
    r["supervision"] = SupervisionSessionFactory(supervisor=people["supervisor"])
    r["attendee"] = SupervisionAttendee.objects.create(
        session=r["supervision"], profile=r["coach_profile"], seat=1
    )

    # GMTS: Lorcan, a trainee of region A starting in the next intake; Cass is his programme manager
    # and Dov the placement manager of his proposed placement, on a bid still awaiting assurance.
    from gmts.models import BidStatus, PlacementStatus
    from tests.gmts.factories import HostBidFactory, PlacementFactory, TraineeFactory, intake_starting

    start = dt.date(now.year + 1, 3, 1)
    intake = intake_starting(regions["a"], start)
    lorcan = make_person(organisation=organisations["a"], email="lorcan.fitzwilliam@nhs.net")
    Person.objects.filter(pk=lorcan.pk).update(given_name="Lorcan", family_name="Fitzwilliam")
    r["trainee"] = TraineeFactory(person=lorcan, intake=intake, programme_manager=people["coach"])
    r["bid"] = HostBidFactory(
        intake=intake,
        lead_organisation=organisations["a"],
        programme_manager=people["coach"],
        placement_manager=people["other_coach"],
        status=BidStatus.SUBMITTED,
        places_approved=0,
        decision_reason="",
    )
    r["placement"] = PlacementFactory(
        trainee=r["trainee"],
        bid=r["bid"],
        host=organisations["a"],
        starts_on=start,
        status=PlacementStatus.PROPOSED,
        placement_manager=people["other_coach"],
    )
    r["specialism"] = r["trainee"].specialism
    from gmts.models import SchemeQuote, VoiceRole

    r["quote"] = SchemeQuote.objects.create(
        region=regions["a"],
        role=VoiceRole.TRAINEE,
        name="Lorcan Fitzwilliam",
        attribution="GMTS trainee",
        text="A year I will not forget.",
        given_on=dt.date(now.year, 1, 15),
    )

    # Talent: Ada is in region A's pool and lets her system's board see her record; Lev sits on that
    # board; Zora is in region B's pool; Ada expressed interest in region A's secondment.
    system_a = organisations["a"].system
    BoardSeat.objects.create(user=people["board_member"].user, system=system_a)
    for key, person, side, group, readiness in (
        ("pool_member", people["participant"], "a", "nursing", "ready_soon"),
        ("pool_member_b", outsider, "b", "finance", "ready_now"),
    ):
        r[key] = talent_services.member_add(
            person=person,
            region=regions[side],
            professional_group=group,
            service_type="acute",
            entry_route="aspire_together",
            readiness=readiness,
            evidence="Aspire Together",
            actor=None,
        )
    r["pool_member"].board_consent = True
    r["pool_member"].save(update_fields=["board_consent"])
    for key, side, role, kind in (
        ("opportunity", "a", "Director of Operations", "secondment"),
        ("opportunity_b", "b", "Director of Finance", "stretch"),
    ):
        r[key] = talent_services.opportunity_create(
            region=regions[side],
            role=role,
            host=organisations[side],
            kind=kind,
            starts_on=now.date() + dt.timedelta(days=60),
            ends_on=now.date() + dt.timedelta(days=200),
            closes_on=now.date() + dt.timedelta(days=30),
            actor=None,
        )
    r["interest"] = talent_services.interest_express(
        opportunity=r["opportunity"], member=r["pool_member"], statement="Keen", actor=None
    )
    # Region A's assessment centre: Cass assesses; Ada was booked, rated and assessed (her feedback
    # report is hers alone). A critical role of system A names Ada as a successor.
    r["centre"] = talent_services.centre_create(
        region=regions["a"],
        title="Leadership DAC",
        level="leadership",
        held_on=now.date() + dt.timedelta(days=20),
        places=5,
        assessors=[people["coach"]],
        actor=None,
    )
    r["booking"] = talent_services.booking_book(
        booking=talent_services.booking_nominate(
            centre=r["centre"], person=people["participant"], actor=None
        ),
        actor=None,
    )
    talent_services.rating_record(
        booking=r["booking"],
        assessor=people["coach"],
        exercise="Board paper",
        domain="strategy",
        score=3,
        actor=None,
    )
    talent_services.panel_outcome_record(booking=r["booking"], outcome="", notes="Next year.", actor=None)
    r["critical_role"] = talent_services.critical_role_create(
        organisation=organisations["a"],
        target_role=TargetRole.objects.get(name="Chief executive"),
        actor=None,
    )
    r["slate_entry"] = talent_services.slate_add(
        critical_role=r["critical_role"], member=r["pool_member"], actor=None
    )

    # Reporting: an edition with a finished PDF in each region.
    for key in ("a", "b"):
        edition = Edition.objects.create(
            title=f"Year in Review {key}",
            period_start=dt.date(2020, 4, 1),
            period_end=dt.date(2021, 3, 31),
            region=regions[key],
        )
        run = ReportRun.objects.create(edition=edition, status=ReportRunStatus.SUCCEEDED, progress=100)
        run.file.save(f"review-{key}.pdf", ContentFile(PDF), save=True)
        r[f"edition_{key}"] = edition
        r[f"run_{key}"] = run

    # An enrolment file Fen (staff, region A) imported: its progress page is hers alone.
    r["import_run"] = ImportRun.objects.create(
        kind="enrolments",
        service="programmes.services.enrolments_import_commit",
        target_id=r["cohort"].pk,
        created_by=people["staff"].user,
        filename="cohort.csv",
        status=ImportRunStatus.SUCCEEDED,
        progress=100,
        outcome="2 people have been enrolled.",
        done_url="/",
    )

    # The audit log of region B names its participant.
    audit.record(outsider.user, "person.update_profile", outsider, region=regions["b"])
    return world
