"""factory_boy factories for every app's models. Each app keeps its factories in its own section."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from academy.models import (
    Organisation,
    OrganisationType,
    Person,
    Region,
    Role,
    RoleGrant,
    StaffGroup,
    SubRegion,
    System,
    User,
)

TEST_PASSWORD = "correct-horse-battery-staple"


def date_input(name: str, value: dt.date | dt.datetime) -> dict[str, str]:
    """What the NHS date input posts for `value`: Day, Month and Year boxes, and Time for a datetime
    (shown in UK time), e.g. {"held_on_day": "5", "held_on_month": "3", "held_on_year": "2027"}."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    data = {f"{name}_day": str(value.day), f"{name}_month": str(value.month), f"{name}_year": str(value.year)}
    if isinstance(value, dt.datetime):
        data[f"{name}_time"] = f"{value:%H:%M}"
    return data


# --- academy -----------------------------------------------------------------------------------------


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    name = "Midlands"
    slug = "midlands"


class SubRegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubRegion
        django_get_or_create = ("region", "slug")

    region = factory.SubFactory(RegionFactory)
    name = "West Midlands"
    slug = "west-midlands"


class SystemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = System

    sub_region = factory.SubFactory(SubRegionFactory)
    name = factory.Sequence(lambda n: f"System {n}")
    slug = factory.Sequence(lambda n: f"system-{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n} NHS Trust")
    type = OrganisationType.ACUTE_TRUST
    system = factory.SubFactory(SystemFactory)
    region = factory.LazyAttribute(lambda o: o.system.sub_region.region if o.system else RegionFactory())


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@nhs.net")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def saved(self, create, extracted, **kwargs):
        if create:
            self.save()


class RoleGrantFactory(factory.django.DjangoModelFactory):
    """A role granted for a region; `make_person(*roles)` in conftest grants a persona's roles."""

    class Meta:
        model = RoleGrant

    user = factory.SubFactory(UserFactory)
    role = Role.PROGRAMME_STAFF
    region = factory.SubFactory(RegionFactory)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    user = factory.SubFactory(UserFactory)
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    job_title = "Ward Manager"
    organisation = factory.SubFactory(OrganisationFactory)
    region = factory.LazyAttribute(lambda p: p.organisation.region if p.organisation else RegionFactory())
    staff_group = StaffGroup.NURSING_MIDWIFERY
    pay_band = "6"


# --- programmes --------------------------------------------------------------------------------------

import datetime as _dt  # noqa: E402

from django.utils import timezone as _tz  # noqa: E402

from programmes.models import (  # noqa: E402
    Cohort,
    CohortStatus,
    DeliveryMode,
    Enrolment,
    EnrolmentStatus,
    Programme,
    Session,
    Theme,
)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    title = factory.Sequence(lambda n: f"Leading compassionately through change {n}")
    code = factory.Sequence(lambda n: f"P{n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    summary = "Practical tools for leading people through change."
    theme = Theme.LOOKING_AFTER
    delivery_mode = DeliveryMode.VIRTUAL
    region = factory.SubFactory(RegionFactory)


class CohortFactory(factory.django.DjangoModelFactory):
    """An open cohort starting in a fortnight; add sessions with SessionFactory(cohort=...)."""

    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    region = factory.LazyAttribute(lambda c: c.programme.region)
    capacity = 20
    status = CohortStatus.OPEN
    starts_on = factory.LazyFunction(lambda: _tz.localdate() + _dt.timedelta(days=14))
    ends_on = factory.LazyFunction(lambda: _tz.localdate() + _dt.timedelta(days=14))


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    cohort = factory.SubFactory(CohortFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    starts_at = factory.LazyFunction(lambda: _tz.now() + _dt.timedelta(days=14))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + _dt.timedelta(hours=2))
    joining_url = "https://teams.example.nhs.uk/meet/123"


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """Rows made directly (not through services): remember to set the cohort's places_taken when a
    test depends on it, or use programmes.services."""

    class Meta:
        model = Enrolment

    cohort = factory.SubFactory(CohortFactory)
    person = factory.SubFactory(PersonFactory)
    status = EnrolmentStatus.ENROLLED


# --- coaching ----------------------------------------------------------------------------------------


class CoachProfileFactory(factory.django.DjangoModelFactory):
    """An approved, compliant coach unless told otherwise."""

    class Meta:
        model = "coaching.CoachProfile"

    person = factory.SubFactory(PersonFactory)
    region = factory.LazyAttribute(lambda p: p.person.region)
    sort_name = factory.LazyAttribute(
        lambda p: f"{p.person.family_name} {p.person.given_name}".strip().lower()
    )
    kind = "coach"
    status = "approved"
    specialisms = factory.LazyFunction(lambda: ["wellbeing"])
    capacity = 2
    availability = "now"
    approved_at = factory.LazyFunction(lambda: _now(days=-400))
    last_supervised_on = factory.LazyFunction(lambda: _today(days=-60))
    supervision_due_on = factory.LazyAttribute(
        lambda p: _plus_days(p.last_supervised_on, 365) if p.last_supervised_on else None
    )


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "coaching.Qualification"

    profile = factory.SubFactory(CoachProfileFactory)
    kind = "ilm5"


class SupervisionSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "coaching.SupervisionSession"

    supervisor = factory.SubFactory(PersonFactory)
    region = factory.LazyAttribute(lambda s: s.supervisor.region)
    starts_at = factory.LazyFunction(lambda: _now(days=14))
    status = "scheduled"


class SupervisionRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "coaching.SupervisionRecord"

    profile = factory.SubFactory(CoachProfileFactory)
    source = "elsewhere"
    held_on = factory.LazyFunction(lambda: _today(days=-60))
    hours = 2
    supervisor_name = "Sam Supervisor"
    functions = factory.LazyFunction(lambda: ["normative"])


class CPDEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "coaching.CPDEvent"

    region = factory.SubFactory(RegionFactory)
    title = "Coaching in a VUCA world"
    starts_at = factory.LazyFunction(lambda: _now(days=-7))


class CoachingRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "coaching.CoachingRequest"

    requester = factory.SubFactory(PersonFactory)
    region = factory.LazyAttribute(lambda r: r.requester.region)
    relationship_type = "coaching"
    goals = "Find my feet as a new ward manager."
    specialisms = factory.LazyFunction(lambda: ["wellbeing"])


class CoachingRelationshipFactory(factory.django.DjangoModelFactory):
    """An active relationship unless told otherwise."""

    class Meta:
        model = "coaching.CoachingRelationship"
        skip_postgeneration_save = True

    coach = factory.SubFactory(CoachProfileFactory)
    coachee = factory.SubFactory(PersonFactory)
    region = factory.LazyAttribute(lambda r: r.coach.region)
    relationship_type = "coaching"
    status = "active"
    started_on = factory.LazyFunction(lambda: _today(days=-30))

    @factory.post_generation
    def places(obj, create, extracted, **kwargs):
        # The coach's places_taken is kept by the services; a factory-made relationship counts too.
        if create:
            from coaching.services import places_recount

            places_recount(profile_ids=[obj.coach_id])


class CoachingSessionLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "coaching.CoachingSessionLog"

    relationship = factory.SubFactory(CoachingRelationshipFactory)
    held_on = factory.LazyFunction(lambda: _today(days=-7))
    duration_minutes = 60
    notes = "Talked about the rota and how to say no."
    logged_by = factory.LazyAttribute(lambda s: s.relationship.coach.person)


def _now(*, days: int = 0):
    import datetime

    from django.utils import timezone

    return timezone.now() + datetime.timedelta(days=days)


def _today(*, days: int = 0):
    import datetime

    from django.utils import timezone

    return timezone.localdate() + datetime.timedelta(days=days)


def _plus_days(day, days: int):
    import datetime

    return day + datetime.timedelta(days=days)
