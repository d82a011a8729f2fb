"""Demo data for talent management: a Midlands pool of about 320 aspirant directors across the 11
systems in all three readiness groups, with their readiness histories, career movements in 2020/21
and in the weeks before it is loaded, an Aspiring-Executive assessment centre, Executive Talent
Scheme opportunities (filled ones in 2020/21 and open ones now), critical roles with successor
slates, senior workforce figures, and two accounts: a pool member (aspirant@nhs.net) and a talent
board member (board@nhs.net). The data is in `talent/demo_data.py`. Deterministic and idempotent: a
second run finds the member account and stops. Development only."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from allauth.mfa.models import Authenticator
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from academy.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from academy.models import Organisation, Person, Region, Role, System, User
from academy.services import role_grant
from talent import demo_data as data
from talent.models import (
    AssessmentCentre,
    BoardSeat,
    BookingStatus,
    CareerMovement,
    CentreBooking,
    CompetencyDomain,
    CriticalRole,
    EntryRoute,
    ExerciseRating,
    ExitReason,
    Interest,
    InterestStatus,
    MovementKind,
    MovementTerms,
    Opportunity,
    PoolMember,
    Readiness,
    ReadinessChange,
    SeniorWorkforce,
    SlateEntry,
    TargetRole,
)

DAY = datetime.timedelta(days=1)
ORDER = [Readiness.NOT_YET_READY, Readiness.READY_SOON, Readiness.READY_NOW]


@dataclass
class Demo:
    region: Region
    today: datetime.date
    rng: random.Random
    organisations: list[Organisation]
    members: list[PoolMember] = field(default_factory=list)


def pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def load(stdout=None) -> None:
    if User.objects.filter(email=data.MEMBER_ACCOUNT[0]).exists():
        if stdout:
            stdout.write("  talent pool already loaded")
        return
    region = Region.objects.get(slug="midlands")
    organisations = list(
        Organisation.objects.filter(region=region, system__isnull=False)
        .select_related("system")
        .order_by("pk")
    )
    demo = Demo(region, timezone.localdate(), random.Random(data.SEED), organisations)  # noqa: S311 (demo data)
    people = make_people(demo, data.MEMBERS + data.BOOKED_NOT_POOLED)
    make_pool(demo, people[: data.MEMBERS])
    make_movements(demo)
    make_centre(demo, pooled=people[: data.MEMBERS], others=people[data.MEMBERS :])
    make_opportunities(demo)
    make_slates(demo)
    make_workforce(demo)
    make_accounts(demo)
    make_centre_screens(demo)
    make_recent_movements(demo)
    if stdout:
        stdout.write(f"  talent pool: {len(demo.members)} members")


def make_people(demo: Demo, count: int) -> list[Person]:
    """People with their equality answers; one password hash for all (they never sign in)."""
    rng, password = demo.rng, make_password(None)
    users, people = [], []
    for n in range(count):
        given, family = rng.choice(data.GIVEN_NAMES), rng.choice(data.FAMILY_NAMES)
        users.append(User(email=f"{given}.{family}.{n}@talent.nhs.net".lower(), password=password))
    User.objects.bulk_create(users)
    for user in users:
        organisation = rng.choice(demo.organisations)
        given, family = user.email.split("@")[0].split(".")[:2]
        people.append(
            Person(
                user=user,
                given_name=given.title(),
                family_name=family.title(),
                organisation=organisation,
                region=demo.region,
                staff_group="admin",
                pay_band=rng.choice(data.BANDS),
                gender=pick(rng, data.GENDER_WEIGHTS),
                ethnic_category=pick(rng, data.ETHNIC_WEIGHTS),
                disability=pick(rng, data.DISABILITY_WEIGHTS),
            )
        )
    return Person.objects.bulk_create(people)


def make_pool(demo: Demo, people: list[Person]) -> None:
    """Each member joins between 2018 and 2021 and has one to three readiness decisions, moving up."""
    rng = demo.rng
    roles = {r.name: r for r in TargetRole.objects.filter(region__isnull=True)}
    changes, wanted = [], []
    span = (data.JOINED_TO - data.JOINED_FROM).days
    for person in people:
        group = pick(rng, data.PROFESSIONAL_GROUP_WEIGHTS)
        final = pick(rng, data.READINESS_WEIGHTS)
        steps = ORDER[max(0, ORDER.index(final) - rng.randint(0, 2)) : ORDER.index(final) + 1]
        joined = data.JOINED_FROM + rng.randint(0, span) * DAY
        days = sorted(joined + rng.randint(0, (data.YEAR_END - joined).days) * DAY for _ in steps[1:])
        dates = [joined, *days]
        history = list(zip(steps, dates, strict=True))
        current_role, target = data.CURRENT_ROLES[group]
        member = PoolMember(
            person=person,
            region=demo.region,
            system=person.organisation.system,
            organisation=person.organisation,
            professional_group=group,
            service_type=data.SERVICE_BY_ORGANISATION_TYPE[person.organisation.type],
            current_role=current_role,
            band=person.pay_band,
            entry_route=EntryRoute.ASPIRE_TOGETHER if rng.random() < 0.85 else EntryRoute.NOMINATION,  # noqa: PLR2004
            readiness=steps[-1],
            readiness_on=dates[-1],
            first_ready_now_on=next((d for r, d in history if r == Readiness.READY_NOW), None),
            joined_on=joined,
            board_consent=rng.random() < 0.7,  # noqa: PLR2004
        )
        demo.members.append(member)
        changes.append(history)
        wanted.append([roles[target], *([roles["Chief executive"]] if rng.random() < 0.1 else [])])  # noqa: PLR2004
    PoolMember.objects.bulk_create(demo.members)
    ReadinessChange.objects.bulk_create(
        ReadinessChange(member=m, readiness=r, decided_on=d, evidence=rng.choice(data.EVIDENCE))
        for m, history in zip(demo.members, changes, strict=True)
        for r, d in history
    )
    through = PoolMember.target_roles.through
    through.objects.bulk_create(
        through(poolmember=m, targetrole=r) for m, rs in zip(demo.members, wanted, strict=True) for r in rs
    )


def make_movements(demo: Demo) -> None:
    """Promotions and appointments in 2020/21; a substantive board appointment ends the membership."""
    rng, start = demo.rng, datetime.date(2020, 4, 1)
    ready = [m for m in demo.members if m.readiness == Readiness.READY_NOW]
    others = [m for m in demo.members if m.readiness != Readiness.READY_NOW]
    counts = data.MOVEMENTS_2020_21
    movements, appointed = [], []
    for n, member in enumerate(rng.sample(ready, counts["appointments"])):
        board = n < counts["board_level"]
        moved_on = max(member.readiness_on, start) + rng.randint(1, 60) * DAY
        moved_on = min(moved_on, data.YEAR_END)
        terms = MovementTerms.INTERIM if board and n % 5 == 4 else MovementTerms.SUBSTANTIVE  # noqa: PLR2004
        role = member.current_role.replace("Deputy ", "").replace(
            "Chief Operating Officer", "Chief Operating Officer"
        )
        movements.append(
            CareerMovement(
                member=member,
                role=role if board else f"Associate {role}",
                organisation=rng.choice(demo.organisations),
                moved_on=moved_on,
                kind=MovementKind.APPOINTMENT,
                terms=terms,
                board_level=board,
            )
        )
        if board and terms == MovementTerms.SUBSTANTIVE:
            appointed.append((member, moved_on))
    for member in rng.sample(others, counts["promotions"]):
        movements.append(
            CareerMovement(
                member=member,
                role=f"Senior {member.current_role}",
                organisation=member.organisation,
                moved_on=start + rng.randint(0, 364) * DAY,
                kind=MovementKind.PROMOTION,
            )
        )
    CareerMovement.objects.bulk_create(movements)
    for member, moved_on in appointed:
        member.exited_on, member.exit_reason = moved_on, ExitReason.APPOINTED
    PoolMember.objects.bulk_update([m for m, _ in appointed], ["exited_on", "exit_reason"])
    leavers = rng.sample([m for m in others if m.exited_on is None], 12)
    for member in leavers:
        member.exited_on = data.YEAR_END - rng.randint(0, 200) * DAY
        member.exited_on = max(member.exited_on, member.readiness_on)
        member.exit_reason = rng.choice([ExitReason.LEFT_NHS, ExitReason.WITHDREW])
    PoolMember.objects.bulk_update(leavers, ["exited_on", "exit_reason"])


def make_recent_movements(demo: Demo) -> None:
    """A few promotions and appointments in the weeks before the demo is loaded, by members still in
    the pool. Drawn with a generator of their own, so the 2020/21 story stays as it is."""
    rng = random.Random(f"{data.SEED}-recent")  # noqa: S311 (demo data)
    staying = [m for m in demo.members if m.exited_on is None]
    movements = []
    for member, (days_ago, kind) in zip(
        rng.sample(staying, len(data.RECENT_MOVEMENTS)), data.RECENT_MOVEMENTS, strict=True
    ):
        appointment = kind == MovementKind.APPOINTMENT
        movements.append(
            CareerMovement(
                member=member,
                role=f"Associate {member.current_role}" if appointment else f"Senior {member.current_role}",
                organisation=rng.choice(demo.organisations) if appointment else member.organisation,
                moved_on=demo.today - days_ago * DAY,
                kind=kind,
            )
        )
    CareerMovement.objects.bulk_create(movements)


def make_centre(demo: Demo, *, pooled: list[Person], others: list[Person]) -> None:
    """The February 2021 centre: nominees from outside the pool; most attended and were rated."""
    rng = demo.rng
    centre = AssessmentCentre.objects.create(region=demo.region, **data.CENTRE)
    assessors = rng.sample(pooled, 3)
    centre.assessors.set(assessors)
    bookings = CentreBooking.objects.bulk_create(
        CentreBooking(
            centre=centre,
            person=person,
            status=BookingStatus.ATTENDED if n < data.CENTRE["places"] - 4 else BookingStatus.WITHDRAWN,  # noqa: PLR2004
        )
        for n, person in enumerate(others)
    )
    ratings = [
        ExerciseRating(
            booking=b,
            assessor=rng.choice(assessors),
            exercise=exercise,
            domain=domain,
            score=rng.randint(1, 4),
        )
        for b in bookings
        if b.status == BookingStatus.ATTENDED
        for exercise in data.CENTRE_EXERCISES
        for domain in rng.sample(list(CompetencyDomain.values), 2)
    ]
    ExerciseRating.objects.bulk_create(ratings)


def when(value, today: datetime.date) -> datetime.date:
    return value if isinstance(value, datetime.date) else today + value * DAY


def make_opportunities(demo: Demo) -> None:
    rng = demo.rng
    hosts = {o.name: o for o in Organisation.objects.filter(region=demo.region)}
    active = [m for m in demo.members if m.exited_on is None]
    for role, host, kind, starts, ends, closes in data.OPPORTUNITIES:
        opportunity = Opportunity.objects.create(
            region=demo.region,
            role=role,
            host=hosts[host],
            kind=kind,
            starts_on=when(starts, demo.today),
            ends_on=when(ends, demo.today),
            closes_on=when(closes, demo.today),
            description="A board-level stretch with a named executive sponsor and a development plan.",
        )
        past = opportunity.closes_on < demo.today
        interests = Interest.objects.bulk_create(
            Interest(opportunity=opportunity, member=m, statement="I would bring operational leadership.")
            for m in rng.sample(active, 6 if past else 3)
        )
        if past:
            interests[0].status, interests[0].placed_on = InterestStatus.PLACED, data.PLACED_ON
            interests[1].status = InterestStatus.NOT_SELECTED
            interests[2].status = InterestStatus.NOT_SELECTED
            Interest.objects.bulk_update(interests[:3], ["status", "placed_on"])


def make_slates(demo: Demo) -> None:
    """Critical roles at each system's first two organisations, each with up to four successors."""
    rng = demo.rng
    roles = {r.name: r for r in TargetRole.objects.filter(region__isnull=True)}
    active = [m for m in demo.members if m.exited_on is None]
    critical, entries = [], []
    for system in System.objects.filter(sub_region__region=demo.region).order_by("name"):
        for organisation in [o for o in demo.organisations if o.system_id == system.pk][:2]:
            for name in data.CRITICAL_ROLES:
                critical.append(
                    CriticalRole(system=system, organisation=organisation, target_role=roles[name])
                )
    CriticalRole.objects.bulk_create(critical)
    for role in critical:
        candidates = [m for m in active if m.system_id == role.system_id]
        for member in rng.sample(candidates, min(len(candidates), rng.randint(0, 4))):
            entries.append(SlateEntry(critical_role=role, member=member))
    SlateEntry.objects.bulk_create(entries)


def make_workforce(demo: Demo) -> None:
    rng = demo.rng
    rows = []
    for system in System.objects.filter(sub_region__region=demo.region):
        total = rng.randint(300, 900)
        minority = int(total * rng.uniform(0.08, 0.22))
        unknown = int(total * 0.05)
        female = int(total * rng.uniform(0.5, 0.62))
        rows.append(
            SeniorWorkforce(
                system=system,
                as_of=data.YEAR_END,
                white=total - minority - unknown,
                minority_ethnic=minority,
                ethnicity_not_stated=unknown,
                female=female,
                male=total - female - 10,
                gender_other=10,
            )
        )
    SeniorWorkforce.objects.bulk_create(rows)


def _account(demo: Demo, account: tuple[str, str, str, str, str], **profile: str) -> Person:
    """A demo person who can sign in with the demo password: (email, given name, family name, job title,
    organisation's name) and the rest of their profile."""
    email, given, family, job, org_name = account
    user = User.objects.create_user(email=email, password=DEMO_PASSWORD, first_name=given, last_name=family)
    return Person.objects.create(
        user=user,
        given_name=given,
        family_name=family,
        job_title=job,
        organisation=Organisation.objects.get(region=demo.region, name=org_name),
        region=demo.region,
        **profile,
    )


def make_accounts(demo: Demo) -> None:
    """A pool member who can sign in (ready soon, sharing with their board) and a board member."""
    person = _account(
        demo,
        data.MEMBER_ACCOUNT,
        staff_group="nursing",
        pay_band="8d",
        gender="female",
        ethnic_category="N",
        disability="no",
    )
    member = PoolMember.objects.create(
        person=person,
        region=demo.region,
        system=person.organisation.system,
        organisation=person.organisation,
        professional_group="nursing",
        service_type="acute",
        current_role=person.job_title,
        band="8d",
        entry_route=EntryRoute.ASPIRE_TOGETHER,
        readiness=Readiness.READY_SOON,
        readiness_on=datetime.date(2020, 11, 2),
        joined_on=datetime.date(2019, 10, 1),
        board_consent=True,
    )
    member.target_roles.set(TargetRole.objects.filter(name="Director of nursing", region__isnull=True))
    ReadinessChange.objects.bulk_create(
        [
            ReadinessChange(
                member=member,
                readiness=Readiness.NOT_YET_READY,
                decided_on=datetime.date(2019, 10, 1),
                evidence=data.EVIDENCE[0],
            ),
            ReadinessChange(
                member=member,
                readiness=Readiness.READY_SOON,
                decided_on=datetime.date(2020, 11, 2),
                evidence=data.EVIDENCE[1],
            ),
        ]
    )
    user = _account(demo, data.BOARD_ACCOUNT, staff_group="admin").user
    role_grant(user=user, role=Role.TALENT_BOARD, region=demo.region, actor=None)
    BoardSeat.objects.create(user=user, system=System.objects.get(slug=data.BOARD_SYSTEM))
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        from allauth.mfa.totp.internal.auth import TOTP

        TOTP.activate(user, DEMO_TOTP_SECRET)
    from allauth.account.models import EmailAddress

    for address in (data.MEMBER_ACCOUNT[0], data.BOARD_ACCOUNT[0]):
        account = User.objects.get(email=address)
        EmailAddress.objects.get_or_create(
            user=account, email=address, defaults={"verified": True, "primary": True}
        )


def make_centre_screens(demo: Demo) -> None:
    """An upcoming centre with nominations, places and the talent lead among its assessors; and the
    demo member's own assessment at the February centre, so her feedback report has content. Its own
    random numbers, so the pool above stays as pinned."""
    rng = random.Random(data.SEED + 1)  # noqa: S311 (demo data)
    spec = dict(data.UPCOMING_CENTRE)
    days = spec.pop("days_ahead")
    lead = Person.objects.filter(user__email="talent@nhs.net").first()
    active = [m for m in demo.members if m.exited_on is None]
    centre = AssessmentCentre.objects.create(
        region=demo.region, held_on=demo.today + datetime.timedelta(days=days), **spec
    )
    assessors = [m.person for m in rng.sample(active, 2)]
    centre.assessors.set([*assessors, *([lead] if lead else [])])
    nominees = rng.sample([m for m in active if m.person not in assessors], data.UPCOMING_NOMINEES)
    CentreBooking.objects.bulk_create(
        CentreBooking(
            centre=centre,
            person=m.person,
            status=BookingStatus.BOOKED if n < data.UPCOMING_BOOKED else BookingStatus.NOMINATED,
        )
        for n, m in enumerate(nominees)
    )
    february = AssessmentCentre.objects.get(region=demo.region, title=data.CENTRE["title"])
    outcome, notes = data.MEMBER_CENTRE_OUTCOME
    booking = CentreBooking.objects.create(
        centre=february,
        person=Person.objects.get(user__email=data.MEMBER_ACCOUNT[0]),
        status=BookingStatus.ATTENDED,
        outcome=outcome,
        outcome_notes=notes,
    )
    raters = list(february.assessors.all())
    ExerciseRating.objects.bulk_create(
        ExerciseRating(
            booking=booking,
            assessor=raters[n % len(raters)],
            exercise=exercise,
            domain=domain,
            score=score,
            notes=text,
        )
        for n, (exercise, domain, score, text) in enumerate(data.MEMBER_CENTRE_RATINGS)
    )
