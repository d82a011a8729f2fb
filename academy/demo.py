"""Demo data for the core model: the Midlands, its 11 systems, their organisations and one account per
role. Deterministic and idempotent: running it again changes nothing. Development only."""

from __future__ import annotations

from academy.models import (
    Organisation,
    Person,
    Region,
    Role,
    RoleGrant,
    StaffGroup,
    SubRegion,
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

SYSTEMS = {
    "East Midlands": [
        ("derby-derbyshire", "Derby and Derbyshire"),
        ("llr", "Leicester, Leicestershire and Rutland"),
        ("lincolnshire", "Lincolnshire"),
        ("northamptonshire", "Northamptonshire"),
        ("nottingham-nottinghamshire", "Nottingham and Nottinghamshire"),
    ],
    "West Midlands": [
        ("birmingham-solihull", "Birmingham and Solihull"),
        ("black-country", "The Black Country"),
        ("coventry-warwickshire", "Coventry and Warwickshire"),
        ("herefordshire-worcestershire", "Herefordshire and Worcestershire"),
        ("shropshire-telford-wrekin", "Shropshire, Telford and Wrekin"),
        ("staffordshire-stoke", "Staffordshire and Stoke-on-Trent"),
    ],
}

ORGANISATIONS: dict[str, list[tuple[str, str]]] = {
    "derby-derbyshire": [
        ("University Hospitals of Derby and Burton NHS Foundation Trust", T.ACUTE_TRUST),
        ("Chesterfield Royal Hospital NHS Foundation Trust", T.ACUTE_TRUST),
        ("Derbyshire Healthcare NHS Foundation Trust", T.MENTAL_HEALTH_TRUST),
        ("Derbyshire Community Health Services NHS Foundation Trust", T.COMMUNITY_TRUST),
        ("Derby and Derbyshire Integrated Care Board", T.COMMISSIONER),
        ("Ashbourne Road Medical Practice", T.GP_PRACTICE),
    ],
    "llr": [
        ("University Hospitals of Leicester NHS Trust", T.ACUTE_TRUST),
        ("Leicestershire Partnership NHS Trust", T.MENTAL_HEALTH_TRUST),
        ("Leicester City Council Adult Social Care", T.LOCAL_AUTHORITY),
        ("Leicester City South Primary Care Network", T.PCN),
        ("Humberstone Gate Surgery", T.GP_PRACTICE),
    ],
    "lincolnshire": [
        ("United Lincolnshire Hospitals NHS Trust", T.ACUTE_TRUST),
        ("Lincolnshire Partnership NHS Foundation Trust", T.MENTAL_HEALTH_TRUST),
        ("Lincolnshire Community Health Services NHS Trust", T.COMMUNITY_TRUST),
        ("Lincolnshire Integrated Care Board", T.COMMISSIONER),
        ("Boston Fens Primary Care Network", T.PCN),
    ],
    "northamptonshire": [
        ("Northampton General Hospital NHS Trust", T.ACUTE_TRUST),
        ("Kettering General Hospital NHS Foundation Trust", T.ACUTE_TRUST),
        ("Northamptonshire Healthcare NHS Foundation Trust", T.MENTAL_HEALTH_TRUST),
        ("North Northamptonshire Council Adult Social Services", T.LOCAL_AUTHORITY),
        ("Nene Valley Carers Trust", T.THIRD_SECTOR),
    ],
    "nottingham-nottinghamshire": [
        ("Nottingham University Hospitals NHS Trust", T.ACUTE_TRUST),
        ("Sherwood Forest Hospitals NHS Foundation Trust", T.ACUTE_TRUST),
        ("Nottinghamshire Healthcare NHS Foundation Trust", T.MENTAL_HEALTH_TRUST),
        ("Nottingham and Nottinghamshire Integrated Care Board", T.COMMISSIONER),
        ("Bulwell and Top Valley Primary Care Network", T.PCN),
        ("Trent Bridge Health Centre", T.GP_PRACTICE),
    ],
    "birmingham-solihull": [
        ("University Hospitals Birmingham NHS Foundation Trust", T.ACUTE_TRUST),
        ("Birmingham Women's and Children's NHS Foundation Trust", T.ACUTE_TRUST),
        ("Birmingham and Solihull Mental Health NHS Foundation Trust", T.MENTAL_HEALTH_TRUST),
        ("Birmingham Community Healthcare NHS Foundation Trust", T.COMMUNITY_TRUST),
        ("Birmingham and Solihull Integrated Care Board", T.COMMISSIONER),
        ("Birmingham City Council Adult Social Care", T.LOCAL_AUTHORITY),
        ("Sparkbrook Primary Care Network", T.PCN),
    ],
    "black-country": [
        ("The Royal Wolverhampton NHS Trust", T.ACUTE_TRUST),
        ("The Dudley Group NHS Foundation Trust", T.ACUTE_TRUST),
        ("Walsall Healthcare NHS Trust", T.ACUTE_TRUST),
        ("Black Country Healthcare NHS Foundation Trust", T.MENTAL_HEALTH_TRUST),
        ("Black Country Integrated Care Board", T.COMMISSIONER),
        ("Tipton Green Medical Practice", T.GP_PRACTICE),
    ],
    "coventry-warwickshire": [
        ("University Hospitals Coventry and Warwickshire NHS Trust", T.ACUTE_TRUST),
        ("South Warwickshire University NHS Foundation Trust", T.ACUTE_TRUST),
        ("Coventry and Warwickshire Partnership NHS Trust", T.MENTAL_HEALTH_TRUST),
        ("Coventry and Warwickshire Integrated Care Board", T.COMMISSIONER),
        ("Warwickshire Hospice Alliance", T.THIRD_SECTOR),
    ],
    "herefordshire-worcestershire": [
        ("Worcestershire Acute Hospitals NHS Trust", T.ACUTE_TRUST),
        ("Wye Valley NHS Trust", T.ACUTE_TRUST),
        ("Herefordshire and Worcestershire Health and Care NHS Trust", T.COMMUNITY_TRUST),
        ("Herefordshire Council Adults and Communities", T.LOCAL_AUTHORITY),
        ("Malvern Hills Primary Care Network", T.PCN),
    ],
    "shropshire-telford-wrekin": [
        ("The Shrewsbury and Telford Hospital NHS Trust", T.ACUTE_TRUST),
        ("Shropshire Community Health NHS Trust", T.COMMUNITY_TRUST),
        ("Midlands Partnership University NHS Foundation Trust (Shropshire)", T.MENTAL_HEALTH_TRUST),
        ("Shropshire, Telford and Wrekin Integrated Care Board", T.COMMISSIONER),
        ("Wellington Road Surgery", T.GP_PRACTICE),
    ],
    "staffordshire-stoke": [
        ("University Hospitals of North Midlands NHS Trust", T.ACUTE_TRUST),
        ("Midlands Partnership University NHS Foundation Trust", T.MENTAL_HEALTH_TRUST),
        ("North Staffordshire Combined Healthcare NHS Trust", T.MENTAL_HEALTH_TRUST),
        ("Staffordshire and Stoke-on-Trent Integrated Care Board", T.COMMISSIONER),
        ("Stoke-on-Trent City Council Adult Social Care", T.LOCAL_AUTHORITY),
        ("Leek Moorlands Primary Care Network", T.PCN),
    ],
}
REGIONAL_ORGANISATIONS = [
    ("West Midlands Ambulance Service University NHS Foundation Trust", T.AMBULANCE_TRUST),
    ("East Midlands Ambulance Service NHS Trust", T.AMBULANCE_TRUST),
    ("NHS England – Midlands", T.REGIONAL_BODY),
    ("Health Education England – Midlands", T.REGIONAL_BODY),
]
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

    region, _ = Region.objects.get_or_create(slug="midlands", defaults={"name": "Midlands"})
    for sub_name, systems in SYSTEMS.items():
        sub, _ = SubRegion.objects.get_or_create(
            region=region, slug=sub_name.lower().replace(" ", "-"), defaults={"name": sub_name}
        )
        for slug, name in systems:
            system, _ = System.objects.get_or_create(slug=slug, defaults={"name": name, "sub_region": sub})
            for org_name, org_type in ORGANISATIONS[slug]:
                Organisation.objects.get_or_create(
                    region=region, name=org_name, defaults={"type": org_type, "system": system}
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
