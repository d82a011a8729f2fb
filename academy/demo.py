"""Demo data for the core model: the shipped reference data (7 regions, 42 ICBs, the Midlands' trusts),
the Midlands' local bodies and one account per role. Deterministic and idempotent: running it again
changes nothing. Development only."""

from __future__ import annotations

from academy import ods
from academy.models import (
    Organisation,
    Person,
    Region,
    Role,
    RoleGrant,
    StaffGroup,
    System,
    User,
)
from academy.models import (
    OrganisationType as T,
)

DEMO_PASSWORD = "Academy-demo-2026"
# One shared authenticator secret for the demo staff accounts, so a newcomer can add it to an app
# (or run `manage.py demo_code EMAIL`). Never used outside development.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPACADEMYDEMO23456"

# The region, its systems, NHS trusts and ICBs are the reference data the repository ships
# (`academy.ods.load_shipped`); the demo adds only the local bodies reference data does not hold:
# primary care networks, practices, councils' social care and charities, by system slug.
LOCAL_ORGANISATIONS: dict[str, list[tuple[str, str]]] = {
    "derby-derbyshire": [("Ashbourne Road Medical Practice", T.GP_PRACTICE)],
    "llr": [
        ("Leicester City Council Adult Social Care", T.LOCAL_AUTHORITY),
        ("Leicester City South Primary Care Network", T.PCN),
        ("Humberstone Gate Surgery", T.GP_PRACTICE),
    ],
    "lincolnshire": [("Boston Fens Primary Care Network", T.PCN)],
    "northamptonshire": [
        ("North Northamptonshire Council Adult Social Services", T.LOCAL_AUTHORITY),
        ("Nene Valley Carers Trust", T.THIRD_SECTOR),
    ],
    "nottingham-nottinghamshire": [
        ("Bulwell and Top Valley Primary Care Network", T.PCN),
        ("Trent Bridge Health Centre", T.GP_PRACTICE),
    ],
    "birmingham-solihull": [
        ("Birmingham City Council Adult Social Care", T.LOCAL_AUTHORITY),
        ("Sparkbrook Primary Care Network", T.PCN),
    ],
    "black-country": [("Tipton Green Medical Practice", T.GP_PRACTICE)],
    "coventry-warwickshire": [("Warwickshire Hospice Alliance", T.THIRD_SECTOR)],
    "herefordshire-worcestershire": [
        ("Herefordshire Council Adults and Communities", T.LOCAL_AUTHORITY),
        ("Malvern Hills Primary Care Network", T.PCN),
    ],
    "shropshire-telford-wrekin": [("Wellington Road Surgery", T.GP_PRACTICE)],
    "staffordshire-stoke": [
        ("Stoke-on-Trent City Council Adult Social Care", T.LOCAL_AUTHORITY),
        ("Leek Moorlands Primary Care Network", T.PCN),
    ],
}
REGIONAL_ORGANISATIONS = [("Health Education England – Midlands", T.REGIONAL_BODY)]
ACADEMY_ORGANISATION = "NHS England – Midlands"

# email, given, family, job title, organisation, staff group, roles
DEMO_ACCOUNTS = [
    (
        "participant@nhs.net",
        "Priya",
        "Sharma",
        "Ward Manager",
        "University Hospitals of Leicester NHS Trust",
        StaffGroup.NURSING_MIDWIFERY,
        [],
    ),
    (
        "staff@nhs.net",
        "Dawn",
        "Simmonds",
        "Leadership Development Coordinator",
        ACADEMY_ORGANISATION,
        StaffGroup.ADMINISTRATIVE_CLERICAL,
        [Role.PROGRAMME_STAFF],
    ),
    (
        "coach@nhs.net",
        "Becci",
        "Martin",
        "Organisational Development Lead",
        "The Dudley Group NHS Foundation Trust",
        StaffGroup.ADMINISTRATIVE_CLERICAL,
        [Role.COACH],
    ),
    (
        "supervisor@nhs.net",
        "Naomi",
        "Roots",
        "Coaching Supervisor",
        ACADEMY_ORGANISATION,
        StaffGroup.ADMINISTRATIVE_CLERICAL,
        [Role.COACH, Role.SUPERVISOR],
    ),
    (
        "talent@nhs.net",
        "Karen",
        "Carter",
        "Talent Management Lead",
        ACADEMY_ORGANISATION,
        StaffGroup.ADMINISTRATIVE_CLERICAL,
        [Role.TALENT_LEAD],
    ),
    (
        "gmts@nhs.net",
        "Lizzy",
        "Stillibrand",
        "GMTS Leadership Development Senior Manager",
        ACADEMY_ORGANISATION,
        StaffGroup.ADMINISTRATIVE_CLERICAL,
        [Role.GMTS_MANAGER],
    ),
    (
        "lead@nhs.net",
        "Clare",
        "Price-Dowd",
        "Head of Leadership and Lifelong Learning",
        ACADEMY_ORGANISATION,
        StaffGroup.ADMINISTRATIVE_CLERICAL,
        [Role.LEAD],
    ),
]


def load(stdout=None) -> list[str]:
    """Load the core demo data; returns the lines describing the demo sign-ins."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    ods.load_shipped()
    region = Region.objects.get(slug="midlands")
    systems = {s.slug: s for s in System.objects.filter(sub_region__region=region)}
    for slug, organisations in LOCAL_ORGANISATIONS.items():
        for org_name, org_type in organisations:
            Organisation.objects.get_or_create(
                region=region, name=org_name, defaults={"type": org_type, "system": systems[slug]}
            )
    for org_name, org_type in REGIONAL_ORGANISATIONS:
        Organisation.objects.get_or_create(region=region, name=org_name, defaults={"type": org_type})

    lines = []
    for email, given, family, job, org_name, staff_group, roles in DEMO_ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, first_name=given, last_name=family
            )
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        organisation = Organisation.objects.get(region=region, name=org_name)
        Person.objects.update_or_create(
            user=user,
            defaults={
                "given_name": given,
                "family_name": family,
                "job_title": job,
                "organisation": organisation,
                "region": region,
                "staff_group": staff_group,
            },
        )
        # Granted as an administrator would in the admin; the demo's history starts after the grants.
        for role in roles:
            RoleGrant.objects.get_or_create(user=user, role=role, defaults={"region": region})
        needs_mfa = any(r != Role.COACH for r in roles)
        if needs_mfa and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
        label = ", ".join(roles) or "Participant"
        lines.append(f"  {label:<22} {email:<22} {DEMO_PASSWORD}" + ("   (MFA)" if needs_mfa else ""))
    return lines
