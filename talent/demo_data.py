"""The talent demo's data: who is in the Midlands pool, in what shares, and what happened to them.
Read by `talent/demo.py`, which lays it out with one seeded random stream."""

from __future__ import annotations

import datetime

from talent.models import CentreLevel, OpportunityKind, ProfessionalGroup, Readiness, ServiceType

SEED = 2021
MEMBERS = 320  # aspirant directors across the 11 systems, about 2021
BOOKED_NOT_POOLED = 30  # assessed at a centre but not (yet) in the pool: the funnel's first steps

# Readiness shares at the end of 2020/21 (the three groups of the review), then how readiness moved.
READINESS_WEIGHTS = {Readiness.READY_NOW: 27, Readiness.READY_SOON: 41, Readiness.NOT_YET_READY: 32}

PROFESSIONAL_GROUP_WEIGHTS = {
    ProfessionalGroup.NURSING: 24,
    ProfessionalGroup.OPERATIONS: 22,
    ProfessionalGroup.FINANCE: 12,
    ProfessionalGroup.MEDICAL: 8,
    ProfessionalGroup.PEOPLE: 10,
    ProfessionalGroup.STRATEGY: 9,
    ProfessionalGroup.AHP: 6,
    ProfessionalGroup.DIGITAL: 4,
    ProfessionalGroup.CORPORATE: 3,
    ProfessionalGroup.ESTATES: 2,
}

# The service type follows the member's organisation type.
SERVICE_BY_ORGANISATION_TYPE = {
    "acute": ServiceType.ACUTE,
    "mental_health": ServiceType.MENTAL_HEALTH,
    "community": ServiceType.COMMUNITY,
    "ambulance": ServiceType.AMBULANCE,
    "gp_practice": ServiceType.PRIMARY_CARE,
    "pcn": ServiceType.PRIMARY_CARE,
    "commissioner": ServiceType.COMMISSIONING,
    "local_authority": ServiceType.SOCIAL_CARE,
    "third_sector": ServiceType.SOCIAL_CARE,
    "regional_body": ServiceType.REGIONAL,
}

# The deputy roles members hold, and the board role each group aims at.
CURRENT_ROLES = {
    ProfessionalGroup.NURSING: ("Deputy Director of Nursing", "Director of nursing"),
    ProfessionalGroup.OPERATIONS: ("Deputy Chief Operating Officer", "Director of operations"),
    ProfessionalGroup.FINANCE: ("Deputy Director of Finance", "Director of finance"),
    ProfessionalGroup.MEDICAL: ("Deputy Medical Director", "Medical director"),
    ProfessionalGroup.PEOPLE: ("Deputy Director of People", "Director of people"),
    ProfessionalGroup.STRATEGY: ("Deputy Director of Strategy", "Director of strategy"),
    ProfessionalGroup.AHP: ("Head of Allied Health Professions", "Director of operations"),
    ProfessionalGroup.DIGITAL: ("Deputy Chief Information Officer", "Director of digital"),
    ProfessionalGroup.CORPORATE: ("Head of Corporate Affairs", "Director of strategy"),
    ProfessionalGroup.ESTATES: ("Associate Director of Estates", "Director of operations"),
}
BANDS = ("8c", "8d", "9")

# Equality answers, in shares that resemble the region's senior workforce.
ETHNIC_WEIGHTS = {"A": 62, "B": 2, "C": 4, "H": 8, "J": 4, "M": 3, "N": 4, "F": 2, "L": 2, "R": 1, "Z": 8}
GENDER_WEIGHTS = {"female": 61, "male": 36, "prefer_not": 3}
DISABILITY_WEIGHTS = {"no": 84, "yes": 6, "prefer_not": 10}

GIVEN_NAMES = (
    "Amina",
    "Ben",
    "Claire",
    "Daniel",
    "Ekow",
    "Fiona",
    "Gurpreet",
    "Hannah",
    "Imran",
    "Jess",
    "Kwame",
    "Laura",
    "Mohammed",
    "Niamh",
    "Olu",
    "Priya",
    "Rachel",
    "Sanjay",
    "Tom",
    "Uzma",
    "Victoria",
    "Wei",
    "Yasmin",
    "Zoe",
    "Andrew",
    "Bukola",
    "Chris",
    "Deepa",
    "Emma",
    "Farah",
    "Gareth",
    "Helen",
)
FAMILY_NAMES = (
    "Adeyemi",
    "Bailey",
    "Chauhan",
    "Davies",
    "Evans",
    "Fletcher",
    "Green",
    "Hussain",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Mensah",
    "Nolan",
    "Okafor",
    "Patel",
    "Quinn",
    "Roberts",
    "Singh",
    "Taylor",
    "Usman",
    "Walker",
    "Young",
    "Ahmed",
    "Brown",
    "Clarke",
    "Dhillon",
    "Edwards",
    "Francis",
    "Gill",
)

# Evidence the talent team writes for a readiness decision.
EVIDENCE = (
    "Aspire Together assessment: strong on strategy and partnership; needs board exposure.",
    "Talent review panel: six months acting up as director with positive feedback from the board.",
    "360 feedback and a stretch assignment on the system's elective recovery programme.",
    "Development Assessment Centre outcome; development plan agreed with their sponsor.",
    "Career conversation and line manager's evidence of leading the trust's winter plan.",
)

# The day the demo's 2020/21 story ends, and the range the pool joined over.
YEAR_END = datetime.date(2021, 3, 31)
JOINED_FROM = datetime.date(2018, 4, 1)
JOINED_TO = datetime.date(2021, 2, 28)

# Career movements in 2020/21: (promotions, appointments of which board level).
MOVEMENTS_2020_21 = {"promotions": 34, "appointments": 22, "board_level": 14}

# Recent career movements, below board level, so the lead's dashboard (which opens on the current NHS
# year) and its latest movements show this year's: (days before the demo is loaded, kind).
RECENT_MOVEMENTS = (
    (6, "appointment"),
    (19, "promotion"),
    (33, "promotion"),
    (52, "appointment"),
    (75, "promotion"),
    (96, "promotion"),
)

CENTRE = {
    "title": "Aspiring-Executive Development Assessment Centre",
    "level": CentreLevel.ASPIRING_EXECUTIVE,
    "held_on": datetime.date(2021, 2, 24),
    "venue": "Online (MS Teams)",
    "places": 24,
}
CENTRE_EXERCISES = ("Board paper", "Stakeholder role play", "Group discussion")

# Executive Talent Scheme opportunities: (role, host organisation, kind, start, end, closing date), each
# a date, or a number of days from today (the open ones). The 2020/21 ones were filled, as the scheme's
# relaunch placed members in the autumn.
OPPORTUNITIES = (
    (
        "Director of Operations (secondment)",
        "Northampton General Hospital NHS Trust",
        OpportunityKind.SECONDMENT,
        datetime.date(2021, 1, 4),
        datetime.date(2021, 6, 30),
        datetime.date(2020, 11, 20),
    ),
    (
        "Director of Strategy (stretch assignment)",
        "Sherwood Forest Hospitals NHS Foundation Trust",
        OpportunityKind.STRETCH,
        datetime.date(2021, 1, 11),
        datetime.date(2021, 4, 30),
        datetime.date(2020, 11, 27),
    ),
    (
        "Interim Director of People",
        "The Dudley Group NHS Foundation Trust",
        OpportunityKind.SECONDMENT,
        60,
        240,
        21,
    ),
    (
        "Director of Digital Transformation (stretch)",
        "Birmingham and Solihull Mental Health NHS Foundation Trust",
        OpportunityKind.STRETCH,
        45,
        135,
        14,
    ),
    (
        "Chief Nurse (secondment)",
        "United Lincolnshire Hospitals NHS Trust",
        OpportunityKind.SECONDMENT,
        90,
        360,
        30,
    ),
)
PLACED_ON = datetime.date(2020, 12, 14)

# Critical roles: the first two organisations of each system, these board roles.
CRITICAL_ROLES = ("Chief executive", "Director of finance", "Director of nursing", "Director of operations")

# The demo's own accounts: a pool member and a talent board member (Birmingham and Solihull).
MEMBER_ACCOUNT = (
    "aspirant@nhs.net",
    "Grace",
    "Okonjo",
    "Deputy Director of Nursing",
    "University Hospitals Birmingham NHS Foundation Trust",
)
BOARD_ACCOUNT = (
    "board@nhs.net",
    "Richard",
    "Hale",
    "Chief People Officer",
    "Birmingham and Solihull Mental Health NHS Foundation Trust",
)
BOARD_SYSTEM = "birmingham-solihull"

# The assessment centre screens: an upcoming Leadership centre (days from today), with nominations and
# places from the pool; the demo member's own feedback from the February centre (her report's PDF).
UPCOMING_CENTRE = {
    "title": "Leadership Development Assessment Centre",
    "level": CentreLevel.LEADERSHIP,
    "days_ahead": 42,
    "venue": "Birmingham, Academy teaching centre",
    "places": 16,
}
UPCOMING_NOMINEES, UPCOMING_BOOKED = 10, 6
MEMBER_CENTRE_OUTCOME = (
    "ready_soon",
    "A confident board paper and a compassionate role play; build experience of system partnership work.",
)
MEMBER_CENTRE_RATINGS = (
    ("Board paper", "strategy", 3, "Framed the options clearly and chose one with reasons."),
    ("Board paper", "governance", 3, "Named the risks and the assurance the board would need."),
    ("Stakeholder role play", "culture", 4, "Listened first; kept the relationship warm under pressure."),
    ("Stakeholder role play", "partnership", 2, "Could draw more on partners' own priorities."),
    ("Group discussion", "equality", 3, "Brought the workforce race equality data into the discussion."),
    ("Group discussion", "outcomes", 3, "Kept the group to the patient outcomes at stake."),
)
