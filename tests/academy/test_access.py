"""Every URL of the portal, requested as every persona with other people's ids (issue 10, item 2).

One world of two regions (tests/academy/world.py) is built once; each app's patterns are walked in a
test of their own. Each URL pattern has a row in `ACCESS`: how to fill its ids from the world, who may
open it (GET answers 200) and who may change something by posting to it. For every pattern and every persona the test sends a GET and an empty POST
(each inside a savepoint rolled back afterwards, so the world stays the same for the next request) and
fails when:

- a persona not listed gets a 200, or a listed one does not (so the row cannot go stale);
- a POST by a persona not allowed to act writes any row (counted by PostgreSQL for the transaction);
- any response names a person the persona may not know (their full name or email in the body);
- any response is a server error.

A URL pattern with no row (and not excluded below with its reason) fails the test: a new page must say
who may open it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.academy.world import PERSONAS, World, build_world
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db

# Patterns outside the portal's own pages, by route prefix, with why they are not walked here.
EXCLUDED_PREFIXES = {
    "admin/": "Django admin: superusers only, its own permission checks; tested in test_scope.py",
    "accounts/": "allauth's sign-in, sign-up, MFA and password pages: no record ids, tested in test_accounts",
    "health/": "the load balancer's health check: no personal data, tested in test_health",
}

PERSONA_NAMES = frozenset(name for name, *_ in PERSONAS)
EVERYONE = PERSONA_NAMES | {"anonymous"}
SIGNED_IN = PERSONA_NAMES
COACHES = frozenset({"coach", "other_coach", "supervisor"})
# Bram has applied to the register: the coach's own pages are open to him before approval.
REGISTER_ENTRIES = COACHES | {"other_participant"}
STAFF = frozenset({"staff", "other_staff"})
LEADS = frozenset({"lead", "other_lead"})
GMTS = frozenset({"gmts_manager"})
LORCANS_MANAGERS = frozenset({"coach", "other_coach"})
REGION_A = frozenset(name for name, _, region, *_ in PERSONAS if region == "a")
# Region B's staff and lead chose an organisation of region A on their own profile (see world.py):
# as participants they belong there (they may enrol, and see the coaches offering places), as staff
# they see nothing of it.
PROFILE_IN_A = REGION_A | {"other_staff", "other_lead"}

# Whom each persona must never see named (full name or email) in any response.
UNKNOWN_TO = {
    "anonymous": ("participant", "other_participant", "coach", "other_coach", "outsider"),
    "participant": ("other_participant", "outsider", "other_staff", "other_lead"),
    "other_participant": ("participant", "outsider", "other_staff", "other_lead"),
    "coach": ("other_participant", "outsider", "other_staff", "other_lead"),
    "other_coach": ("participant", "other_participant", "outsider", "other_staff", "other_lead"),
    "supervisor": ("participant", "other_participant", "outsider", "other_staff", "other_lead"),
    "staff": ("outsider", "other_staff", "other_lead"),
    "lead": ("outsider", "other_staff", "other_lead"),
    # Ada is in region A's talent pool: its talent lead sees her, and so does her system's board (she agreed).
    "talent_lead": ("other_participant", "outsider", "other_staff", "other_lead"),
    "board_member": ("other_participant", "outsider", "other_staff", "other_lead"),
    "gmts_manager": ("participant", "other_participant", "outsider", "other_staff", "other_lead"),
    # Region A's coaches offer places to participants of region A, which these two are by profile.
    "other_staff": ("participant", "other_participant", "staff", "lead", "talent_lead", "gmts_manager"),
    "other_lead": ("participant", "other_participant", "staff", "lead", "talent_lead", "gmts_manager"),
}


@dataclass(frozen=True)
class Access:
    see: frozenset[str]  # who gets 200 on GET
    act: frozenset[str] | None = None  # who may change rows by POST (default: those who see it)
    kwargs: Callable[[World], dict] = lambda world: {}
    public_record: str = ""  # why a response may name its record's person to anyone

    def actors(self) -> frozenset[str]:
        return self.see if self.act is None else self.act


def pk(record: str) -> Callable[[World], dict]:
    return lambda world: {"pk": world.records[record].pk}


NOBODY = frozenset()

ACCESS: dict[str, Access] = {
    # academy
    "academy:home": Access(see=EVERYONE),
    "academy:profile": Access(see=SIGNED_IN),
    "academy:privacy": Access(see=EVERYONE, act=NOBODY),
    # One's own data as a zip, by POST only (its download is audited).
    "academy:profile_download": Access(see=NOBODY, act=SIGNED_IN),
    "academy:audit_log": Access(see=STAFF | LEADS),
    # Erasure on request: a lead finds and erases people of their own region (region A's participant).
    "academy:erasure_find": Access(see=LEADS, act=NOBODY),
    "academy:erasure_confirm": Access(
        see=frozenset({"lead"}), act=frozenset({"lead"}), kwargs=lambda w: {"pk": w.people["participant"].pk}
    ),
    # Until the person is erased the done page sends the lead back to the confirmation.
    "academy:erasure_done": Access(
        see=NOBODY, act=NOBODY, kwargs=lambda w: {"pk": w.people["participant"].pk}
    ),
    # The organisation chooser's suggestions (open organisations: reference data), signed in only.
    "academy:organisation_search": Access(see=SIGNED_IN, act=NOBODY),
    "academy:session_keep_alive": Access(see=NOBODY, act=NOBODY),
    # An import's progress page and its status: the uploader's alone.
    "academy:import_run": Access(see=frozenset({"staff"}), act=NOBODY, kwargs=pk("import_run")),
    "academy:import_run_status": Access(see=frozenset({"staff"}), act=NOBODY, kwargs=pk("import_run")),
    "academy:session_timed_out": Access(see=NOBODY, act=NOBODY),
    # programmes: participants
    "programmes:offer": Access(see=EVERYONE),
    "programmes:programme": Access(see=EVERYONE, kwargs=lambda w: {"slug": w.records["programme"].slug}),
    "programmes:my_learning": Access(see=SIGNED_IN),
    # Enrolling is for oneself: anyone of the cohort's region may enrol (Ada already is).
    "programmes:enrol": Access(see=NOBODY, act=PROFILE_IN_A - {"participant"}, kwargs=pk("cohort")),
    # The application form is the cohort's public page; applying is for oneself, in one's own region.
    "programmes:apply": Access(
        see=SIGNED_IN, act=PROFILE_IN_A - {"participant"}, kwargs=pk("application_cohort")
    ),
    "programmes:cancel": Access(see=frozenset({"participant"}), kwargs=pk("enrolment")),
    "programmes:accept_offer": Access(see=frozenset({"participant"}), kwargs=pk("enrolment")),
    "programmes:accept_invitation": Access(see=frozenset({"participant"}), kwargs=pk("enrolment")),
    "programmes:feedback": Access(see=frozenset({"participant"}), kwargs=pk("completed")),
    "programmes:certificate_pdf": Access(see=frozenset({"participant"}), act=NOBODY, kwargs=pk("completed")),
    # Bram is on the cohort's waiting list, so he may hold the date too.
    "programmes:session_calendar": Access(
        see=frozenset({"participant", "other_participant", "staff"}), act=NOBODY, kwargs=pk("session")
    ),
    "programmes:certificate_verify": Access(
        see=EVERYONE,
        act=NOBODY,
        kwargs=lambda w: {"code": w.records["certificate"].code},
        public_record="anyone holding a certificate's code may check whose it is",
    ),
    # programmes: staff (records of region A)
    "programmes:staff_programmes": Access(see=STAFF),
    "programmes:staff_programme_create": Access(see=STAFF),
    "programmes:staff_programme": Access(see=frozenset({"staff"}), kwargs=pk("programme")),
    "programmes:staff_programme_edit": Access(see=frozenset({"staff"}), kwargs=pk("programme")),
    "programmes:staff_cohort_create": Access(see=frozenset({"staff"}), kwargs=pk("programme")),
    "programmes:staff_cohort": Access(see=frozenset({"staff"}), kwargs=pk("cohort")),
    "programmes:staff_cohort_edit": Access(see=frozenset({"staff"}), kwargs=pk("cohort")),
    "programmes:staff_cohort_cancel": Access(see=frozenset({"staff"}), kwargs=pk("cohort")),
    "programmes:staff_cohort_status": Access(
        see=NOBODY,
        act=frozenset({"staff"}),
        kwargs=lambda w: {"pk": w.records["cohort"].pk, "action": "close"},
    ),
    "programmes:staff_cohort_add": Access(see=NOBODY, act=frozenset({"staff"}), kwargs=pk("cohort")),
    "programmes:staff_waitlist_promote": Access(
        see=NOBODY,
        act=frozenset({"staff"}),
        kwargs=lambda w: {"pk": w.records["cohort"].pk, "enrolment_pk": w.records["waiting"].pk},
    ),
    "programmes:staff_register_csv": Access(see=frozenset({"staff"}), act=NOBODY, kwargs=pk("cohort")),
    "programmes:staff_register_xlsx": Access(see=frozenset({"staff"}), act=NOBODY, kwargs=pk("cohort")),
    "programmes:staff_cohort_import": Access(see=frozenset({"staff"}), kwargs=pk("cohort")),
    # The enrolment import's template names its columns only.
    "programmes:staff_import_template": Access(see=STAFF, act=NOBODY, kwargs=lambda w: {"fmt": "xlsx"}),
    # A past year's files, into the staff member's own region (the region is theirs, not a parameter).
    "programmes:staff_history_import": Access(see=STAFF, kwargs=lambda w: {"kind": "cohorts"}),
    "programmes:staff_history_template": Access(
        see=STAFF, act=NOBODY, kwargs=lambda w: {"kind": "register", "fmt": "csv"}
    ),
    "programmes:staff_session_create": Access(see=frozenset({"staff"}), kwargs=pk("cohort")),
    "programmes:staff_applications": Access(see=frozenset({"staff"}), kwargs=pk("application_cohort")),
    "programmes:staff_session_edit": Access(see=frozenset({"staff"}), kwargs=pk("session")),
    "programmes:staff_session_cancel": Access(see=frozenset({"staff"}), kwargs=pk("session")),
    "programmes:staff_attendance": Access(see=frozenset({"staff"}), kwargs=pk("session")),
    "programmes:staff_application_decide": Access(
        see=NOBODY, act=frozenset({"staff"}), kwargs=pk("application")
    ),
    "programmes:staff_application_offer": Access(
        see=NOBODY,
        act=frozenset({"staff"}),
        kwargs=lambda w: {"enrolment_pk": w.records["application"].enrolment_id},
    ),
    # coaching: the coach's own pages
    "coaching:mine": Access(see=REGISTER_ENTRIES),
    "coaching:apply": Access(see=SIGNED_IN - REGISTER_ENTRIES),
    "coaching:profile_edit": Access(see=REGISTER_ENTRIES),
    "coaching:qualification_new": Access(see=REGISTER_ENTRIES),
    "coaching:certificate": Access(see=frozenset({"coach", "staff"}), act=NOBODY, kwargs=pk("qualification")),
    "coaching:supervision_log": Access(see=REGISTER_ENTRIES),
    "coaching:notes": Access(see=REGISTER_ENTRIES),
    "coaching:note_new": Access(see=REGISTER_ENTRIES),
    "coaching:note": Access(see=frozenset({"coach"}), act=NOBODY, kwargs=pk("note")),
    "coaching:cpd": Access(see=SIGNED_IN),
    "coaching:cpd_log": Access(see=REGISTER_ENTRIES),
    "coaching:cpd_event_new": Access(see=STAFF),
    "coaching:cpd_recording": Access(see=frozenset({"staff"}), kwargs=pk("cpd_event")),
    "coaching:cpd_attend": Access(see=NOBODY, act=COACHES | {"other_participant"}, kwargs=pk("cpd_event")),
    # coaching: participants and pairs (Cass coaches Ada)
    "coaching:directory": Access(see=SIGNED_IN),
    "coaching:request_new": Access(see=SIGNED_IN),
    "coaching:request_withdraw": Access(see=frozenset({"participant"}), kwargs=pk("request")),
    "coaching:relationship": Access(
        see=frozenset({"participant", "coach"}), act=NOBODY, kwargs=pk("relationship")
    ),
    "coaching:relationship_accept": Access(see=NOBODY, act=NOBODY, kwargs=pk("relationship")),
    "coaching:relationship_decline": Access(see=NOBODY, act=NOBODY, kwargs=pk("relationship")),
    "coaching:session_new": Access(see=frozenset({"participant", "coach"}), kwargs=pk("relationship")),
    "coaching:relationship_close": Access(see=frozenset({"participant", "coach"}), kwargs=pk("relationship")),
    # coaching: supervisors (Esme's group, with Cass in it)
    "coaching:supervision_sessions": Access(see=frozenset({"supervisor"})),
    "coaching:supervision_new": Access(see=frozenset({"supervisor"})),
    "coaching:supervision": Access(see=frozenset({"supervisor"}), kwargs=pk("supervision")),
    "coaching:supervision_confirm": Access(
        see=NOBODY, act=frozenset({"supervisor"}), kwargs=pk("supervision")
    ),
    "coaching:supervision_remove": Access(
        see=frozenset({"supervisor"}),
        kwargs=lambda w: {"pk": w.records["supervision"].pk, "attendee_pk": w.records["attendee"].pk},
    ),
    "coaching:supervision_cancel": Access(see=frozenset({"supervisor"}), kwargs=pk("supervision")),
    # coaching: programme staff
    "coaching:register": Access(see=STAFF, act=NOBODY),
    "coaching:applications": Access(see=STAFF, act=NOBODY),
    "coaching:coach": Access(see=frozenset({"staff"}), kwargs=pk("coach_profile")),
    "coaching:matching": Access(see=STAFF, act=NOBODY),
    "coaching:match_request": Access(see=frozenset({"staff"}), kwargs=pk("request")),
    # gmts: the GMTS manager of region A; Lorcan's managers (Cass his programme manager, Dov his
    # placement's manager); everyone may open their own scheme pages
    "gmts:dashboard": Access(see=GMTS),
    "gmts:trainees": Access(see=GMTS),
    "gmts:import": Access(see=GMTS),
    "gmts:placement_import": Access(see=GMTS),
    "gmts:import_template": Access(
        see=GMTS, act=NOBODY, kwargs=lambda w: {"kind": "placements", "fmt": "xlsx"}
    ),
    "gmts:trainee": Access(see=GMTS | LORCANS_MANAGERS, act=NOBODY, kwargs=pk("trainee")),
    "gmts:placement_create": Access(see=GMTS, kwargs=pk("trainee")),
    "gmts:trainee_status": Access(see=GMTS, kwargs=pk("trainee")),
    "gmts:bids": Access(see=GMTS, act=NOBODY),
    "gmts:bid_create": Access(see=GMTS),
    "gmts:bid_assure": Access(see=GMTS, kwargs=pk("bid")),
    "gmts:framework": Access(see=GMTS, kwargs=pk("specialism")),
    "gmts:placement_confirm": Access(see=GMTS | LORCANS_MANAGERS, kwargs=pk("placement")),
    "gmts:placement_notify": Access(see=GMTS | LORCANS_MANAGERS, kwargs=pk("placement")),
    "gmts:placement_withdraw": Access(see=GMTS, kwargs=pk("placement")),
    "gmts:sign_off": Access(see=GMTS | {"other_coach"}, kwargs=pk("placement")),
    "gmts:feedback": Access(
        see=NOBODY, act=NOBODY, kwargs=lambda w: {"pk": w.records["placement"].pk, "stage": "mid"}
    ),
    "gmts:trainee_create": Access(see=GMTS),
    "gmts:quotes": Access(see=GMTS, act=NOBODY),
    "gmts:quote_choose": Access(see=NOBODY, act=GMTS, kwargs=pk("quote")),
    "gmts:managed": Access(see=SIGNED_IN, act=NOBODY),
    "gmts:mine": Access(see=SIGNED_IN, act=NOBODY),
    # reporting: leads (region A's edition and run)
    "reporting:dashboard": Access(see=LEADS, act=NOBODY),
    "reporting:table_download": Access(see=LEADS, act=NOBODY, kwargs=lambda w: {"table": "ethnic-groups"}),
    "reporting:table_download_xlsx": Access(
        see=LEADS, act=NOBODY, kwargs=lambda w: {"table": "ethnic-groups"}
    ),
    "reporting:edition_list": Access(see=LEADS, act=NOBODY),
    "reporting:edition_create": Access(see=LEADS),
    "reporting:edition_detail": Access(see=frozenset({"lead"}), act=NOBODY, kwargs=pk("edition_a")),
    "reporting:edition_narrative": Access(see=frozenset({"lead"}), kwargs=pk("edition_a")),
    "reporting:edition_quotes": Access(see=frozenset({"lead"}), kwargs=pk("edition_a")),
    "reporting:edition_generate": Access(see=NOBODY, act=frozenset({"lead"}), kwargs=pk("edition_a")),
    "reporting:run_detail": Access(see=frozenset({"lead"}), act=NOBODY, kwargs=pk("run_a")),
    "reporting:run_status": Access(see=frozenset({"lead"}), act=NOBODY, kwargs=pk("run_a")),
    "reporting:run_download": Access(see=frozenset({"lead"}), act=NOBODY, kwargs=pk("run_a")),
    "reporting:run_retry": Access(see=NOBODY, act=frozenset({"lead"}), kwargs=pk("run_a")),
    "reporting:hclm_import": Access(see=LEADS),
    "reporting:hclm_import_template": Access(see=LEADS, act=NOBODY, kwargs=lambda w: {"fmt": "csv"}),
    # talent: Ada is in region A's pool (and shares her record with Lev's board); Zora is in region B's
    "talent:mine": Access(see=SIGNED_IN, act=NOBODY),
    "talent:conversation_new": Access(see=frozenset({"participant"})),
    "talent:consent": Access(see=frozenset({"participant"})),
    "talent:interest_new": Access(see=frozenset({"participant"}), kwargs=pk("opportunity")),
    "talent:dashboard": Access(see=frozenset({"talent_lead"}), act=NOBODY),
    "talent:table_download": Access(
        see=frozenset({"talent_lead"}), act=NOBODY, kwargs=lambda w: {"table": "talent-equity-funnel"}
    ),
    "talent:chart": Access(see=frozenset({"talent_lead"}), act=NOBODY, kwargs=lambda w: {"key": "system"}),
    "talent:pool": Access(see=frozenset({"talent_lead"}), act=NOBODY),
    "talent:import": Access(see=frozenset({"talent_lead"})),
    "talent:import_movements": Access(see=frozenset({"talent_lead"})),
    "talent:import_workforce": Access(see=frozenset({"talent_lead"})),
    "talent:import_template": Access(
        see=frozenset({"talent_lead"}), act=NOBODY, kwargs=lambda w: {"kind": "pool", "fmt": "xlsx"}
    ),
    # Reading another person's talent record writes its audit entry.
    "talent:member": Access(see=frozenset({"talent_lead", "board_member"}), kwargs=pk("pool_member")),
    "talent:readiness": Access(see=frozenset({"talent_lead"}), kwargs=pk("pool_member")),
    "talent:movement_new": Access(see=frozenset({"talent_lead"}), kwargs=pk("pool_member")),
    "talent:exit": Access(see=frozenset({"talent_lead"}), kwargs=pk("pool_member")),
    "talent:opportunities": Access(see=frozenset({"talent_lead"}), act=NOBODY),
    "talent:opportunity_new": Access(see=frozenset({"talent_lead"})),
    "talent:opportunity": Access(see=frozenset({"talent_lead"}), act=NOBODY, kwargs=pk("opportunity")),
    "talent:interest_move": Access(
        see=NOBODY,
        act=frozenset({"talent_lead"}),
        kwargs=lambda w: {"pk": w.records["interest"].pk, "move": "shortlist"},
    ),
    "talent:board": Access(see=frozenset({"board_member"}), act=NOBODY),
    # Assessment centres: Cass assesses region A's centre, where Ada was assessed (her report is hers).
    "talent:centres": Access(see=frozenset({"talent_lead"}), act=NOBODY),
    "talent:centre_new": Access(see=frozenset({"talent_lead"})),
    "talent:centre": Access(see=frozenset({"talent_lead"}), act=NOBODY, kwargs=pk("centre")),
    "talent:centre_nominate": Access(see=frozenset({"talent_lead"}), kwargs=pk("centre")),
    "talent:booking_book": Access(see=NOBODY, act=frozenset({"talent_lead"}), kwargs=pk("booking")),
    "talent:booking_outcome": Access(see=frozenset({"talent_lead"}), kwargs=pk("booking")),
    "talent:rating_new": Access(see=frozenset({"talent_lead", "coach"}), kwargs=pk("booking")),
    "talent:assessing": Access(see=SIGNED_IN, act=NOBODY),
    "talent:my_centres": Access(see=SIGNED_IN, act=NOBODY),
    "talent:feedback_report": Access(see=frozenset({"participant"}), act=NOBODY, kwargs=pk("booking")),
    # Talent boards: the region's talent lead keeps the critical roles, slates, figures and seats.
    "talent:boards": Access(see=frozenset({"talent_lead"}), act=NOBODY),
    "talent:critical_role_new": Access(see=frozenset({"talent_lead"})),
    "talent:critical_role": Access(see=frozenset({"talent_lead"}), kwargs=pk("critical_role")),
    "talent:slate_remove": Access(see=NOBODY, act=frozenset({"talent_lead"}), kwargs=pk("slate_entry")),
    "talent:workforce_new": Access(see=frozenset({"talent_lead"})),
    "talent:seat_new": Access(see=frozenset({"talent_lead"})),
}


def walk(resolvers, prefix: str = "", namespace: str = ""):
    """(route, URL name) of every pattern, following includes."""
    for entry in resolvers:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            yield route, f"{namespace}{entry.name}" if entry.name else f"(unnamed {route})"


def portal_patterns() -> list[tuple[str, str]]:
    return [
        (route, name)
        for route, name in walk(get_resolver().url_patterns)
        if not any(route.startswith(prefix) for prefix in EXCLUDED_PREFIXES)
    ]


def test_every_url_pattern_says_who_may_open_it():
    names = [name for _, name in portal_patterns()]
    assert len(names) > 60  # the walk found the apps' patterns, not only the top level
    unlisted = sorted(set(names) - set(ACCESS))
    assert not unlisted, f"Add these URL names to ACCESS in {__name__}: {unlisted}"
    stale = sorted(set(ACCESS) - set(names))
    assert not stale, f"ACCESS lists URL names that no longer exist: {stale}"


# Tables every request may write whatever the page: the session row (sign-in state, idle timeout) and
# the cache table (the certificate check's rate-limit counter; Redis in production).
BOOKKEEPING_TABLES = ("django_session", "academy_cache")


def rows_written() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables "
            "WHERE relname <> ALL(%s)",
            [list(BOOKKEEPING_TABLES)],
        )
        return cursor.fetchone()[0]


def request(client: Client, method: str, url: str):
    """One request in a savepoint that is rolled back, returning the response and the rows it wrote."""
    cookies = copy.deepcopy(client.cookies)  # signing out (the timed-out page) must not carry over
    with transaction.atomic():
        before = rows_written()
        response = getattr(client, method)(url)
        written = rows_written() - before
        transaction.set_rollback(True)
    client.cookies = cookies
    return response, written


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


# The apps whose pages are walked, one test each (so the walk is shared between the suite's processes).
APPS = ["academy", "coaching", "gmts", "programmes", "reporting", "talent"]


def app_of(name: str) -> str:
    return name.partition(":")[0]


def test_every_url_pattern_belongs_to_an_app_walked():
    assert {app_of(name) for _, name in portal_patterns()} == set(APPS)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for the module's tests and rolled back after them; its files (and any a
    request writes) in a folder of their own."""
    media = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media")))
    with media, django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.mark.parametrize("app", APPS)
def test_every_url_as_every_persona_shows_and_changes_only_what_it_may(world, app, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # a report run requested here must not render now
    clients = {
        "anonymous": Client(),
        **{name: signed_in_client(world.people[name]) for name in PERSONA_NAMES},
    }
    for client in clients.values():
        client.raise_request_exception = False  # a server error is one more problem to list
    unknown = {persona: world.identities(*names) for persona, names in UNKNOWN_TO.items()}
    problems = []
    for _route, name in portal_patterns():
        if app_of(name) != app:
            continue
        access = ACCESS[name]
        url = reverse(name, kwargs=access.kwargs(world))
        for persona, client in clients.items():
            for method in ("get", "post"):
                response, written = request(client, method, url)
                status = response.status_code
                where = f"{method.upper()} {url} ({name}) as {persona}: {status}"
                if status >= 500:
                    problems.append(f"{where}: server error")
                if method == "get" and (status == 200) != (persona in access.see):
                    expected = "200" if persona in access.see else "no 200"
                    problems.append(f"{where}, expected {expected}")
                if written and persona not in access.actors():
                    problems.append(f"{where}: wrote {written} rows")
                if not access.public_record:
                    shown = [who for who in unknown[persona] if who in body_of(response)]
                    if shown:
                        problems.append(f"{where}: shows {shown}")
    assert not problems, "\n".join(problems)
