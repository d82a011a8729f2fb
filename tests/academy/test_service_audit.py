"""Every service that changes state leaves an audit entry.

The test finds every public function of every `<app>/services.py` and `<app>/services/` module, and
calls each through the table below (a recipe that builds what the call needs and makes it). It
compares the database before and after the call: a call that changed any row must have written at
least one audit entry, with a region. A new service missing from the table fails the test, so the
table (and the audit) cannot fall behind. Helpers that only ever run inside an audited service are
listed in `HELPERS` with the service that audits them.

A recipe is `lambda: (lambda record=make(): call(record))`: the outer call builds the records (its
default arguments are evaluated then, before the snapshot) and returns the call the test measures."""
# ruff: noqa: B008 - default arguments build each recipe's records before the snapshot, on purpose.

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from academy.models import AuditEntry, ImportRun, Person, Role, User
from tests import factories
from tests.academy import audit_recipes
from tests.conftest import make_person
from tests.files import PDF  # a real PDF: certificates are parsed

pytestmark = pytest.mark.django_db(transaction=False)

PROJECT_APPS = ("academy", "programmes", "coaching", "reporting", "talent", "gmts")

# Public functions of services modules that are not services: they run only inside the services
# named, under their transaction, and those write the audit entry (or they change nothing).
HELPERS = {
    "programmes.services.history.history_check": "checks a history file (the preview), writes nothing",
    "programmes.services.places.lock_cohort": "locks a row for the calling service",
    "programmes.services.places.refresh_places": "recount inside enrolment services",
    "programmes.services.places.close_waitlist_gap": "inside enrolment_cancel and waitlist_promote",
    "programmes.services.places.enrolment_set_status": "inside every enrolment service",
    "programmes.services.places.eligibility_problems": "reads only",
    "programmes.services.places.check_enrolment_window": "reads only",
    "programmes.services.places.existing_enrolment": "reads only",
    "programmes.services.places.refuse_if_active": "reads only",
    "programmes.services.places.place_or_waitlist": "inside enrolment_create (audited there)",
    "programmes.services.places.offer_free_places": "inside enrolment_cancel, cohort_update, cohort_open",
    "programmes.services.places.session_notify_holders": "queues emails for the calling service",
    "programmes.services.attendance.completion_met": "arithmetic",
    "programmes.services.attendance.feedback_allowed": "reads only",
    "coaching.services.relationships.relationship_lock": "locks rows for the calling service",
    "coaching.services.relationships.relationship_has_party": "reads only",
    "coaching.services.register.certificate_content_type": "reads the upload only",
    "coaching.services.supervision.supervision_dates_refresh": (
        "inside supervision_log and supervision_confirm_attendance; audits a return to the register"
    ),
    "reporting.services.report_html": "renders, writes nothing",
    "reporting.services.report_pdf": "renders, writes nothing",
    "academy.services.model_create": "the audited insert every service uses",
    "academy.services.model_update": "the audited edit every service uses",
    "academy.services.status_move": "the audited status change every service uses",
    **audit_recipes.HELPERS,
}

# Counts kept in step with the rows they count: putting one right records nothing new.
DERIVED = {
    "coaching.services.relationships.places_recount": "coach places_taken from relationships",
    "coaching.services.relationships.sort_names_recount": "coach sort_name from the person's name",
}


# Services that only read, and audit the read (a person's download of their own data).
AUDITED_READS = {"academy.services.person_export": "the download of everything held about a person"}

# Entries that may have no region: the record and the actor have none yet.
NO_REGION = {
    "academy.services.person_create_for_user": "a new sign-up has no organisation, so no region, yet",
}

# Services whose audit entries their own app's tests check, not yet walked here: each needs a recipe.
# A public service function in none of these tables fails the test.
NOT_YET_WALKED: set[str] = set()


class World:
    """What the recipes share: a region with its staff, a participant and a coach."""

    def __init__(self):
        self.staff = make_person(Role.PROGRAMME_STAFF)
        self.region = self.staff.region
        self.participant = make_person(organisation=self.staff.organisation)
        self.other = make_person(organisation=self.staff.organisation)
        self.actor = self.staff.user

    def cohort(self, **kwargs):
        cohort = factories.CohortFactory(programme__region=self.region, **kwargs)
        factories.SessionFactory(cohort=cohort)
        return cohort

    def enrolment(self, status="enrolled", person=None, **kwargs):
        cohort = kwargs.pop("cohort", None) or self.cohort()
        enrolment = factories.EnrolmentFactory(
            cohort=cohort, person=person or self.participant, status=status, **kwargs
        )
        from programmes.services.places import refresh_places

        refresh_places(cohort)
        return enrolment

    def application(self, status="applied"):
        from programmes.models import Application

        enrolment = self.enrolment(status=status)
        return Application.objects.create(enrolment=enrolment, answers={"why": "To lead well."})

    def coach(self, **kwargs):
        return factories.CoachProfileFactory(person=make_person(Role.COACH, region=self.region), **kwargs)

    def past_session_cohort(self):
        cohort = factories.CohortFactory(programme__region=self.region, status="running")
        past = timezone.now() - dt.timedelta(days=2)
        session = factories.SessionFactory(
            cohort=cohort, starts_at=past, ends_at=past + dt.timedelta(hours=2)
        )
        return cohort, session

    def edition(self):
        from reporting import services

        return services.edition_create(
            actor=self.actor,
            region=self.region,
            title="A Year in Review",
            period_start=dt.date(2020, 4, 1),
            period_end=dt.date(2021, 3, 31),
        )


HCLM = (
    "year,sub_region,created_360,self_assessment_in_progress_360,self_assessment_completed_360,"
    "submitted_for_facilitation_360,marked_complete_360,self_assessments_created,self_assessments_completed,"
    "facilitators_trained,facilitators_added,facilitators_on_register\n"
    "2019,Overall,9806,234,5559,5766,4793,11131,9620,317,264,314\n"
)


IMPORT = (
    "email,first_name,last_name,job_title,organisation,staff_group,pay_band\n"
    "new.person@nhs.net,New,Person,Nurse,,nursing,5\n"
)


def _programmes(w: World) -> dict[str, Callable[[], object]]:
    from programmes import services as s

    def history():
        from tests.programmes.test_history_import import PROGRAMMES

        files = {
            "programmes": PROGRAMMES,
            "cohorts": "Cohort,Programme,Session date\nCLS1 2022,CLS1,05/05/2022\n",
            "register": (
                "Cohort,Email,Session date,Attendance\n"
                f"CLS1 2022,{w.participant.user.email},05/05/2022,attended\n"
            ),
        }
        return lambda: s.history.history_import(
            region=w.region, files={name: text.encode() for name, text in files.items()}, actor=w.actor
        )

    def history_file():
        from tests.programmes.test_history_import import PROGRAMMES

        run = ImportRun.objects.create(
            kind="history-programmes",
            service="programmes.services.history.history_commit",
            target_id=w.region.pk,
            created_by=w.actor,
            filename="programmes.csv",
            content=PROGRAMMES.encode(),
        )
        return lambda: s.history.history_commit(run=run, progress=lambda percent, stage: None)

    def feedback():
        cohort, _ = w.past_session_cohort()
        enrolment = w.enrolment(cohort=cohort)
        return lambda: s.feedback_give(
            enrolment=enrolment,
            rating=5,
            comment="Good",
            consent_to_quote=True,
            attribution="",
            actor=w.actor,
        )

    def attendance():
        cohort, session = w.past_session_cohort()
        enrolment = w.enrolment(cohort=cohort)
        return lambda: s.attendance_mark(session=session, marks={enrolment.pk: "attended"}, actor=w.actor)

    def certificate():
        cohort, session = w.past_session_cohort()
        enrolment = w.enrolment(cohort=cohort)
        from programmes.models import Attendance

        Attendance.objects.create(session=session, enrolment=enrolment, status="attended")
        return lambda: s.certificate_issue(enrolment=enrolment, actor=w.actor)

    def offer_expire():
        enrolment = w.enrolment(status="offered", offer_expires_at=timezone.now() - dt.timedelta(hours=1))
        return lambda: s.offer_expire(enrolment=enrolment)

    def offers_expire_due():
        w.enrolment(status="offered", offer_expires_at=timezone.now() - dt.timedelta(hours=1))
        return lambda: s.offers_expire_due()

    def waitlist_promote():
        cohort = w.cohort(capacity=2)
        w.enrolment(cohort=cohort, status="waitlisted", waitlist_position=1)
        return lambda: s.waitlist_promote(cohort=cohort, actor=w.actor)

    def cohorts_mark_running():
        cohort = factories.CohortFactory(programme__region=w.region)
        factories.SessionFactory(cohort=cohort, starts_at=timezone.now() - dt.timedelta(minutes=5))
        return lambda: s.cohorts_mark_running()

    def session_reminded():
        session = factories.SessionFactory(cohort=w.cohort())
        w.enrolment(cohort=session.cohort)
        return lambda: s.session_mark_reminded(session_id=session.pk)

    def import_csv():
        cohort = w.cohort()
        text = (
            "email,first_name,last_name,job_title,organisation,staff_group,pay_band\n"
            f"new.person@nhs.net,New,Person,Nurse,{w.staff.organisation.name},nursing,5\n"
        )
        return lambda: s.enrolments_import_csv(cohort=cohort, text=text, actor=w.actor, commit=True)

    def import_write():
        from programmes import imports

        cohort = w.cohort()
        rows = imports.read(cohort=cohort, content=IMPORT.encode(), filename="people.csv").rows
        return lambda: s.enrolments_import_write(cohort=cohort, rows=rows, actor=w.actor)

    def import_commit():

        run = ImportRun.objects.create(
            kind="enrolments",
            service="programmes.services.enrolments_import_commit",
            target_id=w.cohort().pk,
            created_by=w.actor,
            filename="people.csv",
            content=IMPORT.encode(),
        )
        return lambda: s.enrolments_import_commit(run=run, progress=lambda percent, stage: None)

    return {
        "enrolment.enrolment_create": lambda: (
            lambda c=w.cohort(): s.enrolment_create(person=w.other, cohort=c, actor=w.other.user)
        ),
        "enrolment.enrolment_cancel": lambda: (
            lambda e=w.enrolment(): s.enrolment_cancel(enrolment=e, actor=w.participant.user)
        ),
        "enrolment.offer_accept": lambda: (
            lambda e=w.enrolment(status="offered", offer_expires_at=timezone.now() + dt.timedelta(hours=4)): (
                s.offer_accept(enrolment=e, actor=w.participant.user)
            )
        ),
        "enrolment.enrolment_add_by_email": lambda: (
            lambda c=w.cohort(): s.enrolment_add_by_email(
                cohort=c, email="someone.new@nhs.net", actor=w.actor
            )
        ),
        "enrolment.invitation_accept": lambda: (
            lambda e=w.enrolment(invited_email=w.participant.user.email): s.invitation_accept(
                enrolment=e, actor=w.participant.user
            )
        ),
        "enrolment.offer_expire": offer_expire,
        "enrolment.offers_expire_due": offers_expire_due,
        "enrolment.waitlist_promote": waitlist_promote,
        "enrolment.application_submit": lambda: (
            lambda c=w.cohort(programme__entry_route="application"): s.application_submit(
                person=w.other, cohort=c, answers={"why": "Growth"}, actor=w.other.user
            )
        ),
        "enrolment.application_decide": lambda: (
            lambda a=w.application(): s.application_decide(
                application=a, decision="shortlisted", reviewer=w.actor
            )
        ),
        "enrolment.application_offer": lambda: (
            lambda e=w.enrolment(status="shortlisted"): s.application_offer(enrolment=e, actor=w.actor)
        ),
        "attendance.attendance_mark": attendance,
        "attendance.certificate_issue": certificate,
        "attendance.feedback_give": feedback,
        "history.history_import": history,
        "history.history_commit": history_file,
        "cohorts.programme_create": lambda: (
            lambda: s.programme_create(
                region=w.region,
                actor=w.actor,
                title="Leading change",
                code="LC1",
                summary="Change.",
                theme="growing",
                delivery_mode="virtual",
            )
        ),
        "cohorts.programme_update": lambda: (
            lambda p=factories.ProgrammeFactory(region=w.region): s.programme_update(
                programme=p, actor=w.actor, title="New"
            )
        ),
        "cohorts.cohort_create": lambda: (
            lambda p=factories.ProgrammeFactory(region=w.region): s.cohort_create(
                programme=p, actor=w.actor, name="Spring", capacity=12
            )
        ),
        "cohorts.cohort_update": lambda: (
            lambda c=w.cohort(): s.cohort_update(cohort=c, actor=w.actor, capacity=30)
        ),
        "cohorts.cohort_open": lambda: (
            lambda c=w.cohort(status="draft"): s.cohort_open(cohort=c, actor=w.actor)
        ),
        "cohorts.cohort_close": lambda: lambda c=w.cohort(): s.cohort_close(cohort=c, actor=w.actor),
        "cohorts.cohort_cancel": lambda: (
            lambda e=w.enrolment(): s.cohort_cancel(cohort=e.cohort, actor=w.actor, reason="Trainer ill")
        ),
        "cohorts.cohorts_mark_running": cohorts_mark_running,
        "cohorts.session_create": lambda: (
            lambda c=w.cohort(): s.session_create(
                cohort=c,
                actor=w.actor,
                title="Day 2",
                starts_at=timezone.now() + dt.timedelta(days=20),
                ends_at=timezone.now() + dt.timedelta(days=20, hours=2),
                venue="Online",
            )
        ),
        "cohorts.session_update": lambda: (
            lambda x=factories.SessionFactory(cohort=w.cohort()): s.session_update(
                session=x, actor=w.actor, venue="Derby"
            )
        ),
        "cohorts.session_cancel": lambda: (
            lambda x=factories.SessionFactory(cohort=w.cohort()): s.session_cancel(session=x, actor=w.actor)
        ),
        "cohorts.session_mark_reminded": session_reminded,
        "imports.enrolments_import_csv": import_csv,
        "imports.enrolments_import": lambda: (
            lambda c=w.cohort(): s.enrolments_import(
                cohort=c, content=IMPORT.encode(), filename="people.csv", actor=w.actor, commit=True
            )
        ),
        "imports.enrolments_import_write": import_write,
        "imports.enrolments_import_commit": import_commit,
    }


def _coaching(w: World) -> dict[str, Callable[[], object]]:
    from coaching import services as s

    def apply():
        person = make_person(region=w.region)
        return lambda: s.coach_apply(
            person=person,
            kind="coach",
            specialisms=["wellbeing"],
            capacity=2,
            availability="now",
            qualification_kind="ilm5",
            certificate=SimpleUploadedFile("c.pdf", PDF, content_type="application/pdf"),
            actor=person.user,
        )

    def review():
        coach = w.coach(status="applied")
        factories.QualificationFactory(profile=coach)
        return lambda: s.coach_review(profile=coach, decision="approve", actor=w.actor)

    def confirm():
        supervisor = make_person(Role.SUPERVISOR, region=w.region)
        session = factories.SupervisionSessionFactory(
            supervisor=supervisor, starts_at=timezone.now() - dt.timedelta(hours=3)
        )
        coach = w.coach()
        from coaching.models import SupervisionAttendee

        SupervisionAttendee.objects.create(session=session, profile=coach, seat=1)
        return lambda: s.supervision_confirm_attendance(
            session=session,
            attended_profile_ids=[coach.pk],
            themes=[],
            functions=["normative"],
            actor=w.actor,
        )

    def remove_attendee():
        from coaching.models import SupervisionAttendee

        session = factories.SupervisionSessionFactory(supervisor=w.staff)
        attendee = SupervisionAttendee.objects.create(session=session, profile=w.coach(), seat=1)
        return lambda: s.supervision_remove_attendee(attendee=attendee, actor=w.actor)

    def compliance():
        w.coach(supervision_due_on=timezone.localdate() - dt.timedelta(days=1))
        return lambda: s.compliance_refresh()

    def offer():
        coach = w.coach()
        request = factories.CoachingRequestFactory(requester=make_person(region=w.region))
        return lambda: s.relationship_offer(coaching_request=request, coach=coach, actor=w.actor)

    def answer(verb):
        def recipe():
            relationship = factories.CoachingRelationshipFactory(
                coach=w.coach(), coachee=w.participant, status="offered"
            )
            call = getattr(s, f"relationship_{verb}")
            person = relationship.coach.person
            return lambda: call(relationship=relationship, coach_person=person, actor=person.user)

        return recipe

    def active():
        return factories.CoachingRelationshipFactory(coach=w.coach(), coachee=w.participant)

    def by_coach(service, **fields):
        """A coach's change to their own profile or record."""

        def recipe():
            coach = w.coach()
            return lambda: service(profile=coach, actor=coach.person.user, **fields)

        return recipe

    return {
        "register.coach_apply": apply,
        "register.coach_update": by_coach(
            s.coach_update, specialisms=["career"], capacity=3, availability="soon"
        ),
        "register.coach_review": review,
        "register.qualification_add": by_coach(s.qualification_add, kind="emcc"),
        "cpd.cpd_event_create": lambda: (
            lambda: s.cpd_event_create(
                region=w.region,
                title="Webinar",
                starts_at=timezone.now() + dt.timedelta(days=3),
                actor=w.actor,
            )
        ),
        "cpd.cpd_event_add_recording": lambda: (
            lambda e=factories.CPDEventFactory(region=w.region): s.cpd_event_add_recording(
                event=e, recording_url="https://example.nhs.uk/rec", actor=w.actor
            )
        ),
        "cpd.cpd_attend": lambda: (
            lambda e=factories.CPDEventFactory(region=w.region), c=w.coach(): s.cpd_attend(
                event=e, profile=c, actor=c.person.user
            )
        ),
        "cpd.cpd_log": by_coach(
            s.cpd_log, done_on=timezone.localdate(), hours=Decimal(1), activity="Reading"
        ),
        "relationships.coaching_request_create": lambda: (
            lambda: s.coaching_request_create(
                requester=w.other,
                relationship_type="coaching",
                goals="Grow",
                specialisms=[],
                actor=w.other.user,
            )
        ),
        "relationships.coaching_request_withdraw": lambda: (
            lambda r=factories.CoachingRequestFactory(requester=w.other): s.coaching_request_withdraw(
                coaching_request=r, actor=w.other.user
            )
        ),
        "relationships.relationship_offer": offer,
        "relationships.relationship_accept": answer("accept"),
        "relationships.relationship_decline": answer("decline"),
        "relationships.session_log": lambda: (
            lambda r=active(): s.session_log(
                relationship=r,
                person=w.participant,
                held_on=timezone.localdate(),
                duration_minutes=60,
                actor=w.participant.user,
            )
        ),
        "relationships.relationship_close": lambda: (
            lambda r=active(): s.relationship_close(
                relationship=r, person=w.participant, rating=4, actor=w.actor
            )
        ),
        "supervision.supervision_schedule": lambda: (
            lambda: s.supervision_schedule(
                supervisor=w.staff, starts_at=timezone.now() + dt.timedelta(days=5), actor=w.actor
            )
        ),
        "supervision.supervision_add_attendee": lambda: (
            lambda x=factories.SupervisionSessionFactory(supervisor=w.staff), c=w.coach(): (
                s.supervision_add_attendee(session=x, profile=c, actor=w.actor)
            )
        ),
        "supervision.supervision_remove_attendee": remove_attendee,
        "supervision.supervision_cancel": lambda: (
            lambda x=factories.SupervisionSessionFactory(supervisor=w.staff): s.supervision_cancel(
                session=x, actor=w.actor
            )
        ),
        "supervision.supervision_confirm_attendance": confirm,
        "supervision.supervision_log": by_coach(
            s.supervision_log,
            held_on=timezone.localdate(),
            hours=Decimal(2),
            supervisor_name="Sam",
            functions=["normative"],
            themes=[],
        ),
        "supervision.compliance_refresh": compliance,
        "supervision.reflective_note_write": by_coach(s.reflective_note_write, title="Week 1", body="Notes"),
    }


def _reporting(w: World) -> dict[str, Callable[[], object]]:
    from reporting import services as s
    from reporting.models import ReportRun

    def quotes():
        from programmes.models import Feedback

        edition = w.edition()
        feedback = Feedback.objects.create(enrolment=w.enrolment(), rating=5, consent_to_quote=True)
        return lambda: s.edition_set_quotes(edition=edition, actor=w.actor, feedback=[feedback])

    def run(**kwargs):
        return ReportRun.objects.create(edition=w.edition(), **kwargs)

    def render():
        claimed = run(status="running", started_at=timezone.now())
        return lambda: s.report_run_render(run_id=claimed.pk)

    return {
        "edition_create": lambda: lambda: w.edition(),
        "edition_update": lambda: (
            lambda e=w.edition(): s.edition_update(edition=e, actor=w.actor, welcome="Hello")
        ),
        "edition_set_quotes": quotes,
        "hclm360_import": lambda: (
            lambda: s.hclm360_import(actor=w.actor, region=w.region, upload=HCLM, filename="hclm.csv")
        ),
        "report_run_request": lambda: lambda e=w.edition(): s.report_run_request(edition=e, actor=w.actor),
        "report_run_retry": lambda: lambda r=run(status="failed"): s.report_run_retry(run=r, actor=w.actor),
        "report_run_claim": lambda: lambda r=run(): s.report_run_claim(run_id=r.pk),
        "report_run_render": render,
        "report_run_fail": lambda: (
            lambda r=run(status="running"): s.report_run_fail(
                run_id=r.pk, error="The worker stopped", will_retry=True
            )
        ),
    }


def _academy(w: World) -> dict[str, Callable[[], object]]:
    from academy import services as s
    from tests.factories import OrganisationFactory, UserFactory

    def inactive():
        person = make_person(region=w.region)
        old = timezone.now() - dt.timedelta(days=365 * 10)
        User.objects.filter(pk=person.user_id).update(date_joined=old, last_login=old)
        Person.objects.filter(pk=person.pk).update(updated_at=old)
        return lambda: s.retention_apply()

    return {
        "person_export": lambda: lambda: s.person_export(person=w.participant, actor=w.participant.user),
        "person_erase": lambda: lambda: s.person_erase(person=w.participant, actor=w.actor, reason="SAR-1"),
        "retention_apply": inactive,
        "person_create_for_user": lambda: lambda u=UserFactory(): s.person_create_for_user(user=u),
        "role_grant": lambda: (
            lambda u=make_person(region=w.region).user: s.role_grant(
                user=u, role=Role.PROGRAMME_STAFF, region=w.region, actor=w.actor
            )
        ),
        "role_revoke": lambda: (
            lambda g=s.role_grant(user=make_person(region=w.region).user, role=Role.LEAD, region=w.region, actor=w.actor): (
                s.role_revoke(grant=g, actor=w.actor)
            )
        ),
        "person_update_profile": lambda: (
            lambda o=OrganisationFactory(system=w.staff.organisation.system): s.person_update_profile(
                person=w.participant, actor=w.participant.user, organisation=o, disability="no"
            )
        ),
    }


RECIPES = {
    "programmes.services": _programmes,
    "coaching.services": _coaching,
    "reporting.services": _reporting,
    "academy.services": _academy,
    "talent.services": audit_recipes.talent,
    "gmts.services": audit_recipes.gmts,
}


def service_modules():
    for app in PROJECT_APPS:
        try:
            package = importlib.import_module(f"{app}.services")
        except ModuleNotFoundError:
            continue
        yield package
        for info in pkgutil.iter_modules(getattr(package, "__path__", [])):
            yield importlib.import_module(f"{package.__name__}.{info.name}")


def public_functions() -> list[str]:
    found = []
    for module in service_modules():
        for name, obj in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(obj) or obj.__module__ != module.__name__:
                continue
            found.append(f"{module.__name__}.{name}")
    return sorted(found)


def _recipe_key(qualified: str) -> tuple[str, str]:
    """("programmes.services", "enrolment.enrolment_create") for a function of a package's module."""
    app = qualified.split(".")[0]
    return f"{app}.services", qualified.removeprefix(f"{app}.services.")


def test_every_public_service_function_is_in_the_table():
    world = World()
    tables = {package: builder(world) for package, builder in RECIPES.items()}
    missing = []
    for qualified in _cases():
        package, key = _recipe_key(qualified)
        if key not in tables.get(package, {}):
            missing.append(qualified)
    assert not missing, f"Add these to the audit table in {__name__}: {missing}"


def fingerprint() -> dict[str, list[tuple]]:
    """Every row of every table of the project (and sign-in groups), but the audit log itself."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.app_label
        if label not in (*PROJECT_APPS, "auth") or model is AuditEntry:
            continue
        state[model._meta.label] = list(model.objects.order_by("pk").values_list())
    return state


def _cases():
    for qualified in public_functions():
        if qualified in HELPERS or qualified in DERIVED or qualified in NOT_YET_WALKED:
            continue
        yield qualified


@pytest.mark.parametrize("qualified", list(_cases()))
def test_a_service_that_changes_state_writes_an_audit_entry(qualified, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = World()
    package, key = _recipe_key(qualified)
    call = RECIPES[package](world)[key]()
    before, entries = fingerprint(), AuditEntry.objects.count()
    with transaction.atomic():
        call()
    after = fingerprint()
    changed = sorted(label for label in after if after[label] != before.get(label))
    assert changed or qualified in AUDITED_READS, (
        f"{qualified} changed nothing: its recipe does not exercise it"
    )
    new = AuditEntry.objects.order_by("id")[entries:]
    assert new, f"{qualified} changed {changed} without an audit entry"
    if qualified not in NO_REGION:
        assert all(entry.region_id for entry in new), [e.action for e in new if not e.region_id]
