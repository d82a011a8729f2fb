"""Demo data for the Graduate Management Training Scheme: the Midlands intakes of September 2019, March
2020 and March 2021 (90 trainees supported in 2020/21, 14 new in March 2021, all with confirmed
placements), their hosts' bids, placements, sign-offs and feedback, the quotes the 2020/21 review
chose, and the next intake still being placed. Written through the services, so every rule holds. The
data is in `gmts/demo_data.py`. Deterministic and idempotent: a second run finds the September 2019
intake and stops. Development only."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from dateutil.relativedelta import relativedelta
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from academy.demo import DEMO_PASSWORD
from academy.models import Organisation, Person, Region, StaffGroup, User
from gmts import demo_data as data
from gmts import services
from gmts.models import (
    UNDER_WAY,
    FeedbackStage,
    HostBid,
    Intake,
    Placement,
    PlacementStatus,
    SchemeQuote,
    Season,
    Specialism,
    Trainee,
    TraineeStatus,
)
from gmts.specialisms import SPECIALISMS


@dataclass
class Demo:
    region: Region
    actor: User
    today: dt.date
    hosts: list[Organisation]
    managers: dict[int, tuple[Person, Person]] = field(
        default_factory=dict
    )  # host id: (programme, placement)
    names: itertools.cycle = field(
        default_factory=lambda: itertools.cycle(itertools.product(data.FAMILY_NAMES, data.GIVEN_NAMES))
    )
    password: str = field(default_factory=lambda: make_password(DEMO_PASSWORD))
    people: int = 0


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def load(stdout=None) -> None:
    region = Region.objects.get(slug="midlands")
    if Intake.objects.filter(region=region, year=2019, season=Season.SEPTEMBER).exists():
        return
    for spec in SPECIALISMS:  # normally made by the migration; again here after a flushed database
        Specialism.objects.get_or_create(slug=spec["slug"], defaults=spec)
    demo = Demo(
        region=region,
        actor=User.objects.get(email="gmts@nhs.net"),
        today=timezone.localdate(),
        hosts=[Organisation.objects.get(region=region, name=name) for name in data.HOSTS],
    )
    _host_managers(demo)
    for year, season, by_specialism in data.INTAKES_2020_21:
        _past_intake(demo, year, season, by_specialism)
    _next_intake(demo)
    _quotes(demo)
    _say(stdout, f"  GMTS: {Trainee.objects.filter(intake__region=region).count()} trainees")


def _person(
    demo: Demo, email: str | None = None, given: str = "", family: str = "", organisation=None
) -> Person:
    if not given:
        family, given = next(demo.names)
    demo.people += 1
    signs_in = email is not None
    email = email or f"{given}.{family}.{demo.people}@gmts.nhs.net".lower().replace(" ", "")
    user, _ = User.objects.get_or_create(
        email=email, defaults={"password": demo.password, "first_name": given, "last_name": family}
    )
    if signs_in:  # the demo's GMTS sign-ins: their email is verified, as academy's demo accounts are
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    person, _ = Person.objects.get_or_create(
        user=user,
        defaults={
            "given_name": given,
            "family_name": family,
            "job_title": "Graduate Management Trainee" if organisation is None else "Manager",
            "organisation": organisation or demo.hosts[0],
            "region": demo.region,
            "staff_group": StaffGroup.ADMINISTRATIVE_CLERICAL,
        },
    )
    return person


def _host_managers(demo: Demo) -> None:
    """Each host's programme and placement manager; the first host's sign in as the demo accounts."""
    for n, host in enumerate(demo.hosts):
        if n == 0:
            programme = _person(demo, "programme.manager@nhs.net", "Ali", "Roberts", host)
            placement = _person(demo, "placement.manager@nhs.net", "Mel", "Bolton", host)
        else:
            programme, placement = _person(demo, organisation=host), _person(demo, organisation=host)
        demo.managers[host.pk] = (programme, placement)


def _plan(demo: Demo, intake: Intake, slug: str, n: int) -> list[tuple[str, Organisation, dt.date, dt.date]]:
    """The trainee's placements: (kind, host, start, end), at three different hosts."""
    blocks = data.PLAN.get(slug, data.PLAN["default"])
    plan = []
    for step, (kind, first_month, months) in enumerate(blocks):
        host = demo.hosts[(n + 5 * step) % len(demo.hosts)]
        start = intake.starts_on + relativedelta(months=first_month)
        plan.append((kind, host, start, start + relativedelta(months=months) - dt.timedelta(days=1)))
    return plan


def _status_on(demo: Demo, start: dt.date, end: dt.date) -> str:
    if end < demo.today:
        return PlacementStatus.COMPLETED
    return PlacementStatus.STARTED if start <= demo.today else PlacementStatus.NOTIFIED


def _bids(demo: Demo, intake: Intake, plans: list[list[tuple]]) -> dict[tuple[int, str], HostBid]:
    """One approved bid per host and kind, for exactly the places the intake's plan uses."""
    wanted = Counter((host.pk, kind) for plan in plans for kind, host, _, _ in plan)
    hosts = {h.pk: h for h in demo.hosts}
    bids = {}
    for (host_id, kind), places in sorted(wanted.items()):
        programme, placement = demo.managers[host_id]
        bid = services.bid_submit(
            intake=intake,
            lead_organisation=hosts[host_id],
            kind=kind,
            places_requested=places,
            programme_manager=programme,
            placement_manager=placement,
            funding_commitment="Salary and on-costs for each placement, and study leave.",
            actor=programme.user,
        )
        bids[(host_id, kind)] = services.bid_assure(
            bid=bid, approve=True, reason="Assured: a strong placement plan.", actor=demo.actor
        )
    return bids


def _past_intake(demo: Demo, year: int, season: str, by_specialism: dict[str, int]) -> None:
    intake = services.intake_create(region=demo.region, year=year, season=season, actor=demo.actor)
    intake.refresh_from_db()
    slugs = [slug for slug, count in by_specialism.items() for _ in range(count)]
    plans = [_plan(demo, intake, slug, demo.people + n) for n, slug in enumerate(slugs)]
    bids = _bids(demo, intake, plans)
    specialisms = {s.slug: s for s in Specialism.objects.all()}
    for n, (slug, plan) in enumerate(zip(slugs, plans, strict=True)):
        first_host = plan[0][1]
        trainee = services.trainee_create(
            person=_person(demo, organisation=None),
            intake=intake,
            specialism=specialisms[slug],
            programme_manager=demo.managers[first_host.pk][0],
            actor=demo.actor,
        )
        for kind, host, start, end in plan:
            placement = services.placement_propose(
                trainee=trainee,
                bid=bids[(host.pk, kind)],
                host=host,
                kind=kind,
                starts_on=start,
                ends_on=end,
                actor=demo.actor,
                status=_status_on(demo, start, end),
            )
            _sign_offs_and_feedback(demo, placement, n)
        if trainee.ends_on < demo.today:
            services.trainee_set_status(
                trainee=trainee, status=TraineeStatus.COMPLETED, actor=demo.actor, on=trainee.ends_on
            )


def _sign_offs_and_feedback(demo: Demo, placement: Placement, n: int) -> None:
    if placement.status not in UNDER_WAY:
        return
    trainee = placement.trainee
    framework = trainee.specialism.competencies
    done = trainee.sign_offs.count()
    manager = placement.placement_manager
    for competency in framework[done : done + 2]:
        services.competency_sign_off(
            placement=placement, competency=competency, note=data.SIGN_OFF_NOTE, actor=manager.user
        )
    ratings = data.RATINGS[n % len(data.RATINGS)]
    for stage, rating in zip(FeedbackStage, ratings, strict=True):
        if placement.feedback_open(stage, demo.today):
            services.feedback_give(
                placement=placement,
                stage=stage,
                rating=rating,
                comment=data.FEEDBACK_COMMENT,
                actor=trainee.person.user,
            )


def _next_start(today: dt.date) -> tuple[int, str]:
    """The first March or September intake at least four weeks away."""
    earliest = today + dt.timedelta(weeks=4)
    for year in (earliest.year, earliest.year + 1):
        for month, season in ((3, Season.MARCH), (9, Season.SEPTEMBER)):
            if dt.date(year, month, 1) >= earliest:
                return year, season
    raise AssertionError("unreachable")


def _next_intake(demo: Demo) -> None:
    """The next intake: most trainees placed and confirmed, three still without a confirmed placement
    (one proposed), and two bids waiting for assurance."""
    year, season = _next_start(demo.today)
    intake = services.intake_create(region=demo.region, year=year, season=season, actor=demo.actor)
    intake.refresh_from_db()
    slugs = [slug for slug, count in data.NEXT_INTAKE.items() for _ in range(count)]
    plans = [_plan(demo, intake, slug, n)[:1] for n, slug in enumerate(slugs)]
    bids = _bids(demo, intake, plans)
    specialisms = {s.slug: s for s in Specialism.objects.all()}
    for n, (slug, plan) in enumerate(zip(slugs, plans, strict=True)):
        kind, host, start, end = plan[0]
        email = "trainee@nhs.net" if n == 0 else None
        person = _person(demo, email, "Jay", "Whitfield") if email else _person(demo)
        trainee = services.trainee_create(
            person=person,
            intake=intake,
            specialism=specialisms[slug],
            programme_manager=demo.managers[host.pk][0],
            actor=demo.actor,
        )
        if n > NEXT_PROPOSED:
            continue
        placement = services.placement_propose(
            trainee=trainee,
            bid=bids[(host.pk, kind)],
            host=host,
            kind=kind,
            starts_on=start,
            ends_on=end,
            actor=demo.actor,
        )
        if n < data.NEXT_INTAKE_CONFIRMED:
            services.placement_confirm(placement=placement, actor=demo.managers[host.pk][0].user)
    for host in demo.hosts[-2:]:
        programme, placement_manager = demo.managers[host.pk]
        services.bid_submit(
            intake=intake,
            lead_organisation=host,
            partners=[demo.hosts[0]],
            kind="flexi",
            places_requested=2,
            programme_manager=programme,
            placement_manager=placement_manager,
            funding_commitment="Salary for two six-month flexi placements.",
            actor=programme.user,
        )


NEXT_PROPOSED = data.NEXT_INTAKE_CONFIRMED  # the trainee after the confirmed ones has a proposal only


def _quotes(demo: Demo) -> None:
    given_on = dt.date(*data.QUOTES_GIVEN_ON)
    lead = User.objects.filter(email="lead@nhs.net").first()
    for role, name, attribution, text in data.QUOTES:
        SchemeQuote.objects.get_or_create(
            region=demo.region,
            name=name,
            defaults={
                "role": role,
                "attribution": attribution,
                "text": text,
                "given_on": given_on,
                "chosen_by": lead,
                "chosen_at": timezone.now(),
            },
        )
