"""The audit walk's recipes for the talent and GMTS services (see `test_service_audit`): each builds
what its call needs in the world's region and returns the call the test measures."""
# ruff: noqa: B008 - default arguments build each recipe's records before the snapshot, on purpose.

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from academy.models import ImportRun
from tests.conftest import make_person
from tests.factories import OrganisationFactory

TODAY = timezone.localdate


def one_row_run(*, kind: str, service: str, region, created_by, content: bytes) -> ImportRun:
    """A background import of a one-row file, as the upload page leaves it for the worker."""
    return ImportRun.objects.create(
        kind=kind,
        service=service,
        target_id=region.pk,
        created_by=created_by,
        filename="file.csv",
        content=content,
        row_count=1,
        done_url="/",
    )


def import_recipes(services, *, region, actor) -> Callable[..., dict[str, Callable[[], object]]]:
    """The recipes of the region's imports that `services` offers. An import `name` has three services:
    `<name>_import` checks a file and writes it at once, the worker's `<name>_import_commit` writes a
    one-row run of it, and `<name>_import_write` writes the rows its reader checked."""

    def recipes(name: str, spec, read, content) -> dict[str, Callable[[], object]]:
        """`content()` gives the file, after making any record its row needs."""
        upload, commit, write = (
            getattr(services, f"{name}_import{step}") for step in ("", "_commit", "_write")
        )

        def upload_recipe():
            file = content()
            return lambda: upload(region=region, content=file, actor=actor, commit=True)

        def commit_recipe():
            run = one_row_run(
                kind=spec.key,
                service=f"{services.__name__}.{commit.__name__}",
                region=region,
                created_by=actor,
                content=content(),
            )
            return lambda: commit(run=run, progress=lambda percent, stage: None)

        def write_recipe():
            preview = read(region=region, content=content())
            return lambda: write(region=region, rows=preview.rows, actor=actor)

        return {
            f"{service.__module__}.{service.__name__}".removeprefix(f"{services.__name__}."): recipe
            for service, recipe in ((upload, upload_recipe), (commit, commit_recipe), (write, write_recipe))
        }

    return recipes


def talent(w) -> dict[str, Callable[[], object]]:
    from talent import imports
    from talent import services as s
    from talent.models import (
        AssessmentCentre,
        BookingStatus,
        CentreBooking,
        CentreLevel,
        CompetencyDomain,
        CriticalRole,
        EntryRoute,
        ExitReason,
        Interest,
        InterestStatus,
        MovementKind,
        OpportunityKind,
        ProfessionalGroup,
        Readiness,
        ServiceType,
        SlateEntry,
        TargetRole,
    )

    trust = w.staff.organisation
    system = trust.system

    def member(person=None):
        return s.member_add(
            person=person or make_person(organisation=trust),
            region=w.region,
            professional_group=ProfessionalGroup.NURSING,
            service_type=ServiceType.ACUTE,
            entry_route=EntryRoute.ASPIRE_TOGETHER,
            readiness=Readiness.READY_SOON,
            evidence="Aspire Together assessment centre.",
            decided_on=dt.date(2020, 6, 1),
            actor=w.actor,
        )

    def target_role():
        return TargetRole.objects.create(region=w.region, name="Director of strategy")

    def critical_role():
        return CriticalRole.objects.create(system=system, organisation=trust, target_role=target_role())

    def centre(**kwargs):
        return AssessmentCentre.objects.create(
            region=w.region,
            title="Leadership DAC",
            level=CentreLevel.LEADERSHIP,
            held_on=TODAY() + dt.timedelta(days=30),
            places=4,
            **kwargs,
        )

    def booking(status=BookingStatus.NOMINATED):
        return CentreBooking.objects.create(
            centre=centre(), person=make_person(organisation=trust), status=status
        )

    def opportunity():
        return s.opportunity_create(
            region=w.region,
            role="Acting director",
            host=trust,
            kind=OpportunityKind.STRETCH,
            starts_on=TODAY() + dt.timedelta(days=60),
            ends_on=TODAY() + dt.timedelta(days=120),
            closes_on=TODAY() + dt.timedelta(days=30),
            actor=w.actor,
        )

    def rating():
        assessor = make_person(organisation=trust)
        booked = booking(BookingStatus.BOOKED)
        booked.centre.assessors.add(assessor)
        return lambda: s.rating_record(
            booking=booked,
            assessor=assessor,
            exercise="In-tray",
            domain=CompetencyDomain.STRATEGY,
            score=3,
            actor=assessor.user,
        )

    def person_from_import():
        content = (
            b"email,first_name,last_name,job_title,professional_group,service_type,readiness,readiness_date,"
            b"entry_route\ntom.jones@nhs.net,Tom,Jones,Deputy Director,nursing,acute,ready_now,15/01/2021,"
            b"aspire_together\n"
        )
        (row,) = imports.read_pool(region=w.region, content=content).rows
        return lambda: s.imports.person_create_from_import(row, w.region, w.actor)

    def interest(status=InterestStatus.EXPRESSED):
        return Interest.objects.create(
            opportunity=opportunity(), member=member(), statement="I want to grow.", status=status
        )

    pool_file = (
        b"email,first_name,last_name,professional_group,service_type,readiness,readiness_date,entry_route\n"
        b"new.member@nhs.net,New,Member,nursing,acute,ready_now,01/03/2021,nomination\n"
    )
    workforce_file = (
        "system,as_of,white,minority_ethnic,ethnicity_not_stated,female,male,gender_other\n"
        f"{system.name},31/03/2021,12,3,1,9,7,0\n"
    ).encode()

    def movements_file():
        moving = member()
        return (
            "email,role,organisation,date,kind\n"
            f"{moving.person.user.email},Deputy Director,{trust.name},01/03/2021,promotion\n"
        ).encode()

    imported = import_recipes(s, region=w.region, actor=w.actor)
    return {
        **imported("pool", imports.POOL, imports.read_pool, lambda: pool_file),
        **imported("movements", imports.MOVEMENTS, imports.read_movements, movements_file),
        **imported("workforce", imports.WORKFORCE, imports.read_workforce, lambda: workforce_file),
        "boards.board_seat_grant": lambda: (
            lambda u=make_person(organisation=trust).user: s.board_seat_grant(
                user=u, system=system, actor=w.actor
            )
        ),
        "boards.critical_role_create": lambda: (
            lambda r=target_role(): s.critical_role_create(organisation=trust, target_role=r, actor=w.actor)
        ),
        "boards.slate_add": lambda: (
            lambda r=critical_role(), m=member(): s.slate_add(critical_role=r, member=m, actor=w.actor)
        ),
        "boards.slate_remove": lambda: (
            lambda e=SlateEntry.objects.create(critical_role=critical_role(), member=member()): (
                s.slate_remove(entry=e, actor=w.actor)
            )
        ),
        "boards.senior_workforce_record": lambda: (
            lambda: s.senior_workforce_record(
                system=system, as_of=dt.date(2021, 3, 31), actor=w.actor, white=10, minority_ethnic=3
            )
        ),
        "centres.centre_create": lambda: (
            lambda: s.centre_create(
                region=w.region,
                title="Career DAC",
                level=CentreLevel.CAREER,
                held_on=TODAY() + dt.timedelta(days=40),
                places=6,
                actor=w.actor,
            )
        ),
        "centres.booking_nominate": lambda: (
            lambda c=centre(), p=make_person(organisation=trust): s.booking_nominate(
                centre=c, person=p, actor=w.actor
            )
        ),
        "centres.booking_book": lambda: lambda b=booking(): s.booking_book(booking=b, actor=w.actor),
        "centres.rating_record": rating,
        "centres.panel_outcome_record": lambda: (
            lambda b=booking(BookingStatus.BOOKED): s.panel_outcome_record(
                booking=b,
                outcome=Readiness.READY_NOW,
                notes="Strong on strategy.",
                professional_group=ProfessionalGroup.NURSING,
                service_type=ServiceType.ACUTE,
                actor=w.actor,
            )
        ),
        "imports.person_create_from_import": person_from_import,
        "offers.conversation_record": lambda: (
            lambda m=member(): s.conversation_record(
                member=m, aspirations="Director", own_readiness=Readiness.READY_SOON, actor=m.person.user
            )
        ),
        "offers.opportunity_create": lambda: opportunity,
        "offers.interest_express": lambda: (
            lambda o=opportunity(), m=member(): s.interest_express(
                opportunity=o, member=m, statement="I want to grow.", actor=m.person.user
            )
        ),
        "offers.interest_move": lambda: (
            lambda i=interest(): s.interest_move(interest=i, move="shortlist", actor=w.actor)
        ),
        "pool.member_add": lambda: lambda p=make_person(organisation=trust): member(p),
        "pool.readiness_change": lambda: (
            lambda m=member(): s.readiness_change(
                member=m, readiness=Readiness.READY_NOW, evidence="Acted up well.", actor=w.actor
            )
        ),
        "pool.member_exit": lambda: (
            lambda m=member(): s.member_exit(member=m, reason=ExitReason.WITHDREW, actor=w.actor)
        ),
        "pool.member_set_board_consent": lambda: (
            lambda m=member(): s.member_set_board_consent(member=m, board_consent=True, actor=m.person.user)
        ),
        "pool.target_role_add": lambda: (
            lambda: s.target_role_add(region=w.region, name="Director of estates", actor=w.actor)
        ),
        "pool.movement_record": lambda: (
            lambda m=member(), o=OrganisationFactory(system=system): s.movement_record(
                member=m,
                role="Director of Nursing",
                organisation=o,
                moved_on=dt.date(2021, 3, 1),
                kind=MovementKind.PROMOTION,
                actor=w.actor,
            )
        ),
    }


def gmts(w) -> dict[str, Callable[[], object]]:
    from gmts import imports
    from gmts import services as s
    from gmts.models import (
        BidStatus,
        FeedbackStage,
        Intake,
        PlacementStatus,
        SchemeQuote,
        TraineeStatus,
        VoiceRole,
    )
    from tests.gmts.factories import (
        HostBidFactory,
        IntakeFactory,
        PlacementFactory,
        TraineeFactory,
        specialism,
    )

    host = w.staff.organisation

    def intake():
        return IntakeFactory(region=w.region, year=2021, season="march")

    def trainee(**kwargs):
        return TraineeFactory(intake=intake(), person=make_person(organisation=host), **kwargs)

    def bid(status=BidStatus.APPROVED):
        return HostBidFactory(
            intake=intake(),
            lead_organisation=host,
            programme_manager=make_person(organisation=host),
            placement_manager=make_person(organisation=host),
            status=status,
            places_requested=2,
            places_approved=2 if status == BidStatus.APPROVED else 0,
            decision_reason="A good plan." if status == BidStatus.APPROVED else "",
        )

    def started(**kwargs):
        """A placement under way: it began 100 days ago and ends in 50 (its mid-point has passed)."""
        return PlacementFactory(
            trainee=trainee(),
            host=host,
            starts_on=TODAY() - dt.timedelta(days=100),
            ends_on=TODAY() + dt.timedelta(days=50),
            status=PlacementStatus.STARTED,
            **kwargs,
        )

    def proposed():
        on = bid()
        return PlacementFactory(trainee=trainee(), bid=on, host=host, status=PlacementStatus.PROPOSED)

    def sign_off():
        placement = started(placement_manager=make_person(organisation=host))
        competency = placement.trainee.specialism.competencies[0]
        return lambda: s.competency_sign_off(
            placement=placement,
            competency=competency,
            note="Led the mutual aid service.",
            actor=placement.placement_manager.user,
        )

    def reminders():
        upcoming = trainee(programme_manager=make_person(organisation=host))
        start = Intake.objects.get(pk=upcoming.intake_id).starts_on
        return lambda: s.reminders_send_due(today=start - dt.timedelta(weeks=3))

    def trainees_file() -> bytes:
        intake()
        specialism("finance")
        return (
            "email,first_name,last_name,intake,specialism,status,programme_manager_email,gender,ethnic_category\n"
            f"sam.ng@nhs.net,Sam,Ng,March 2021,Finance,active,{w.other.user.email},female,H\n"
        ).encode()

    def placements_file() -> bytes:
        joined = trainee()
        return (
            "trainee_email,host_organisation,kind,start,end,placement_manager_email,status\n"
            f"{joined.person.user.email},{host.name},first,2021-03-01,2021-08-31,,proposed\n"
        ).encode()

    def quote():
        return SchemeQuote.objects.create(
            region=w.region,
            role=VoiceRole.TRAINEE,
            name="Sam",
            attribution="GMTS Intake March 2021, Finance",
            text="It changed how I lead.",
            given_on=dt.date(2021, 6, 1),
        )

    imported = import_recipes(s, region=w.region, actor=w.actor)
    return {
        "intake_create": lambda: (
            lambda: s.intake_create(region=w.region, year=2030, season="september", actor=w.actor)
        ),
        "specialism_set_competencies": lambda: (
            lambda x=specialism("finance"): s.specialism_set_competencies(
                specialism=x, competencies=["Financial planning", "Audit"], actor=w.actor
            )
        ),
        "trainee_create": lambda: (
            lambda i=intake(), p=make_person(organisation=host): s.trainee_create(
                person=p, intake=i, specialism=specialism(), actor=w.actor
            )
        ),
        "trainee_set_status": lambda: (
            lambda t=trainee(): s.trainee_set_status(
                trainee=t, status=TraineeStatus.ON_BREAK, reason="Parental leave", actor=w.actor
            )
        ),
        "bid_submit": lambda: (
            lambda i=intake(), pm=make_person(organisation=host): s.bid_submit(
                intake=i,
                lead_organisation=host,
                kind="first",
                places_requested=2,
                programme_manager=pm,
                placement_manager=pm,
                funding_commitment="Salary and on-costs.",
                actor=pm.user,
            )
        ),
        "bid_assure": lambda: (
            lambda b=bid(BidStatus.SUBMITTED): s.bid_assure(
                bid=b, approve=True, places_approved=1, reason="A good plan.", actor=w.actor
            )
        ),
        "placement_propose": lambda: (
            lambda t=trainee(), b=bid(): s.placement_propose(
                trainee=t,
                bid=b,
                kind="first",
                starts_on=dt.date(2021, 3, 1),
                ends_on=dt.date(2021, 8, 31),
                actor=w.actor,
            )
        ),
        "placement_confirm": lambda: lambda p=proposed(): s.placement_confirm(placement=p, actor=w.actor),
        "placement_notify_trainee": lambda: (
            lambda p=PlacementFactory(trainee=trainee(), host=host, status=PlacementStatus.CONFIRMED): (
                s.placement_notify_trainee(placement=p, actor=w.actor)
            )
        ),
        "placement_withdraw": lambda: (
            lambda p=proposed(): s.placement_withdraw(placement=p, reason="Host withdrew.", actor=w.actor)
        ),
        "placements_move_on": lambda: (
            lambda p=PlacementFactory(trainee=trainee(), host=host, status=PlacementStatus.CONFIRMED): (
                s.placements_move_on(today=p.starts_on)
            )
        ),
        "competency_sign_off": sign_off,
        "feedback_give": lambda: (
            lambda p=started(): s.feedback_give(
                placement=p, stage=FeedbackStage.MIDPOINT, rating=4, actor=p.trainee.person.user
            )
        ),
        "reminders_send_due": reminders,
        "quote_choose": lambda: lambda q=quote(): s.quote_choose(quote=q, chosen=True, actor=w.actor),
        "trainee_add": lambda: (
            lambda i=intake(): s.trainee_add(
                region=w.region,
                email="nia.okafor@nhs.net",
                first_name="Nia",
                last_name="Okafor",
                intake=i,
                specialism=specialism(),
                actor=w.actor,
            )
        ),
        **imported("trainees", imports.TRAINEES, imports.read_trainees, trainees_file),
        **imported("placements", imports.PLACEMENTS, imports.read_placements, placements_file),
    }


# Talent's and GMTS's helpers: they run only inside the services named, which audit them.
HELPERS = {
    "talent.services.pool.active_membership": "reads only",
    "talent.services.pool.decision_record": "a row of the readiness history inside member_add and readiness_change",
    "talent.services.imports.fill_blank_answers": "fills a person's blank answers inside pool_import_write",
    "gmts.services.reminder_threshold": "arithmetic",
    "gmts.services.reminder_claim": "claims a reminder inside reminders_send_due (audited there)",
}
