"""The columns every import about people shares (enrolments, talent pools, GMTS trainees, registers),
with the words people write for each choice: "Band 4", "band4", "AfC band 4" and "4" are one pay band;
staff groups as ESR writes them ("Add Prof Scientific and Technic", "Nursing & Midwifery Registered").

Organisation and system columns are declared here but read per region: the service binds them with
`spec.with_parsers(organisation=organisation_parser(region), system=system_parser(region))`.

`people_insert` writes the people an import brings who are new to Academy, account and profile, with one
insert per table however many there are."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection

from academy.bulk import array_literal, insert_columns, repeat
from academy.imports.columns import CellError, Column, choice, choice_key, email, lookup, text
from academy.models import (
    Disability,
    EthnicCategory,
    Gender,
    Organisation,
    PayBand,
    Person,
    Region,
    StaffGroup,
    System,
    User,
)

STAFF_GROUP_ALIASES = {
    # ESR's own abbreviations, as they appear in ESR reports and exports.
    "Add Prof Scientific and Technic": StaffGroup.ADDITIONAL_PROF_SCIENTIFIC_TECHNICAL,
    "Additional Professional Scientific & Technical": StaffGroup.ADDITIONAL_PROF_SCIENTIFIC_TECHNICAL,
    "APST": StaffGroup.ADDITIONAL_PROF_SCIENTIFIC_TECHNICAL,
    "Additional Clinical Services": StaffGroup.ADDITIONAL_CLINICAL_SERVICES,
    "Admin and Clerical": StaffGroup.ADMINISTRATIVE_CLERICAL,
    "Admin & Clerical": StaffGroup.ADMINISTRATIVE_CLERICAL,
    "Administrative and Clerical": StaffGroup.ADMINISTRATIVE_CLERICAL,
    "AHP": StaffGroup.ALLIED_HEALTH_PROFESSIONALS,
    "Allied Health Professional": StaffGroup.ALLIED_HEALTH_PROFESSIONALS,
    "Estates & Ancillary": StaffGroup.ESTATES_ANCILLARY,
    "Healthcare Scientist": StaffGroup.HEALTHCARE_SCIENTISTS,
    "Medical & Dental": StaffGroup.MEDICAL_DENTAL,
    "Nursing & Midwifery Registered": StaffGroup.NURSING_MIDWIFERY,
    "Nursing and Midwifery": StaffGroup.NURSING_MIDWIFERY,
    "Nursing & Midwifery": StaffGroup.NURSING_MIDWIFERY,
    "Student": StaffGroup.STUDENTS,
}


def _pay_band_aliases() -> dict[str, str]:
    aliases: dict[str, str] = {"Very senior manager": PayBand.VSM, "Medical and dental": PayBand.MEDICAL}
    for band in PayBand:
        if band.label.startswith("Band "):
            aliases[f"AfC {band.label}"] = band.value
            aliases[f"Agenda for Change {band.label}"] = band.value
    return aliases


def _ethnicity_aliases() -> dict[str, str]:
    """The category after its group ("Indian", "Caribbean") where that alone is unambiguous."""
    tails: dict[str, list[str]] = {}
    for category in EthnicCategory:
        tail = str(category.label).split("–", 1)[-1].strip()
        tails.setdefault(choice_key(tail), []).append(category.value)
    aliases = {key: values[0] for key, values in tails.items() if len(values) == 1}
    aliases |= {"Not stated": EthnicCategory.Z, "Prefer not to say": EthnicCategory.Z}
    return aliases


staff_group = choice(StaffGroup.choices, noun="an ESR staff group", aliases=STAFF_GROUP_ALIASES)
pay_band = choice(
    PayBand.choices, noun="a pay band (Band 2 to Band 9, VSM, Medical or Other)", aliases=_pay_band_aliases()
)
gender = choice(
    Gender.choices,
    noun="a gender (Female, Male, Non-binary or Prefer not to say)",
    aliases={
        "F": Gender.FEMALE,
        "M": Gender.MALE,
        "Woman": Gender.FEMALE,
        "Man": Gender.MALE,
        "Non binary": Gender.NON_BINARY,
        "Prefer not to say": Gender.PREFER_NOT_TO_SAY,
    },
)
ethnicity = choice(
    EthnicCategory.choices,
    noun="an NHS ethnic category (a letter A to Z or its name)",
    aliases=_ethnicity_aliases(),
)
disability = choice(
    Disability.choices,
    noun="Yes, No or Prefer not to say",
    aliases={"Y": Disability.YES, "N": Disability.NO, "Prefer not to say": Disability.PREFER_NOT_TO_SAY},
)


def organisation_parser(region: Region):
    """An organisation of `region`, by name."""
    table = {
        choice_key(o.name): o
        for o in Organisation.objects.filter(region=region).only("id", "name", "region_id", "system_id")
    }
    return lookup(table, noun=f"an organisation in {region}")


def system_parser(region: Region):
    """A system (ICS/ICB) of `region`, by name or by its short name (slug)."""
    table: dict[str, System] = {}
    for system in System.objects.filter(sub_region__region=region):
        table[choice_key(system.name)] = system
        table.setdefault(choice_key(system.slug), system)
    return lookup(table, noun=f"a system in {region}")


def unbound(value: str):
    raise CellError("cannot be read here")  # replaced by `with_parsers` before a file is read


EMAIL = Column(
    "email",
    email(),
    required=True,
    aliases=("email address", "work email", "e-mail"),
    help="The person's work email address: how people are matched.",
    example="ada.obi@nhs.net",
    blank_ok=False,
)
FIRST_NAME = Column(
    "first_name",
    text(100),
    aliases=("first name", "given name", "forename"),
    help="Required for someone new to Academy.",
    example="Ada",
)
LAST_NAME = Column(
    "last_name",
    text(100),
    aliases=("last name", "family name", "surname"),
    help="Required for someone new to Academy.",
    example="Obi",
)
JOB_TITLE = Column(
    "job_title",
    text(200),
    aliases=("job title", "role", "position title"),
    help="Their job title.",
    example="Ward manager",
)
ORGANISATION = Column(
    "organisation",
    unbound,
    aliases=("organisation name", "employer", "trust"),
    help="Their employer, by its name as Academy lists it.",
    example="Nottingham University Hospitals NHS Trust",
    blank=None,
)
SYSTEM = Column(
    "system",
    unbound,
    aliases=("ics", "icb", "integrated care system"),
    help="Their integrated care system; when an organisation is given too, it must be in this system.",
    example="Nottingham and Nottinghamshire",
    blank=None,
)
STAFF_GROUP = Column(
    "staff_group",
    staff_group,
    aliases=("staff group", "esr staff group"),
    help="The ESR staff group, as ESR writes it or in full.",
    example="Nursing and Midwifery Registered",
)
PAY_BAND = Column(
    "pay_band",
    pay_band,
    aliases=("pay band", "band", "afc band", "grade"),
    help='Band 2 to Band 9 ("Band 4", "band4" or "4"), VSM, Medical or Other.',
    example="Band 6",
)
GENDER = Column(
    "gender",
    gender,
    aliases=("sex",),
    help="Optional: Female, Male, Non-binary or Prefer not to say.",
    example="Female",
)
ETHNICITY = Column(
    "ethnicity",
    ethnicity,
    aliases=("ethnic category", "ethnic group", "ethnic origin"),
    help="Optional: the NHS ethnic category, by letter (A to Z) or name.",
    example="White – British",
)
DISABILITY = Column(
    "disability",
    disability,
    aliases=("disabled",),
    help="Optional: Yes, No or Prefer not to say.",
    example="No",
)

PERSON_COLUMNS = (
    EMAIL,
    FIRST_NAME,
    LAST_NAME,
    JOB_TITLE,
    ORGANISATION,
    SYSTEM,
    STAFF_GROUP,
    PAY_BAND,
    GENDER,
    ETHNICITY,
    DISABILITY,
)


def check_organisation_in_system(row) -> None:
    """A row's organisation must belong to its system when both are given."""
    organisation, system = row.get("organisation"), row.get("system")
    if organisation is not None and system is not None and organisation.system_id != system.pk:
        row.refuse(f"{organisation} is not in {system}")


def people_insert(
    people: Sequence[Mapping[str, Any]], *, region_id: int, now: dt.datetime, can_sign_in: bool
) -> dict[str, int]:
    """Person ids by email for `people` (checked rows: email, first_name, last_name, organisation,
    staff_group, pay_band, gender, ethnicity, disability, and job_title where the file has it), none of
    them on Academy yet. Each gets a profile, in the region `region_id` unless their organisation says otherwise, and an
    account: one that already exists without a profile (made in the admin, say) is used, not duplicated.
    New accounts have an unusable password, as make_password(None) makes it without its cost per row. With
    `can_sign_in` they are active and their address verified, the only way in being the password link
    emailed to it; otherwise they cannot sign in until the person is invited."""
    users = users_by_email([person["email"] for person in people])
    missing = [person for person in people if person["email"] not in users]
    count = len(missing)
    users |= dict(
        insert_columns(
            User,
            {
                "email": [person["email"] for person in missing],
                "first_name": [person["first_name"] for person in missing],
                "last_name": [person["last_name"] for person in missing],
                "password": [UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30) for _ in range(count)],
                "is_superuser": repeat(False, count),
                "is_staff": repeat(False, count),
                "is_active": repeat(can_sign_in, count),
                "date_joined": repeat(now, count),
            },
            returning=("email", "id"),
        )
    )
    if can_sign_in:
        insert_columns(
            EmailAddress,
            {
                "user": [users[person["email"]] for person in missing],
                "email": [person["email"] for person in missing],
                "verified": repeat(True, count),
                "primary": repeat(True, count),
            },
        )
    count = len(people)
    organisations = [person.get("organisation") for person in people]
    created = insert_columns(
        Person,
        {
            "user": [users[person["email"]] for person in people],
            "given_name": [person["first_name"] for person in people],
            "family_name": [person["last_name"] for person in people],
            "job_title": [person.get("job_title") or "" for person in people],
            "organisation": [o.pk if o else None for o in organisations],
            "region": [o.region_id if o else region_id for o in organisations],
            "staff_group": [person["staff_group"] for person in people],
            "pay_band": [person["pay_band"] for person in people],
            "gender": [person["gender"] for person in people],
            "ethnic_category": [person["ethnicity"] for person in people],
            "disability": [person["disability"] for person in people],
            "created_at": repeat(now, count),
            "updated_at": repeat(now, count),
        },
        returning=("id", "user"),
    )
    email_of_user = {pk: email for email, pk in users.items()}
    return {email_of_user[user_id]: pk for pk, user_id in created}


def users_by_email(emails: list[str]) -> dict[str, int]:
    """Accounts by (lower-case) email, in one query with the emails as one array."""
    if not emails:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT lower(email), id FROM "{User._meta.db_table}" WHERE lower(email) = ANY(%s::text[])',  # noqa: S608 - table name from the model
            [array_literal(emails)],
        )
        return dict(cursor.fetchall())
