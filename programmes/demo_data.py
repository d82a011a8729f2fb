"""The programmes demo's data: the 2020/21 offer as programmes, the current cohorts and their
sessions, the cohort the demo participant completed, and the names and roles of the demo's
participants. `programmes/demo.py` reads it."""

from __future__ import annotations

import datetime as dt

from academy.models import PayBand, StaffGroup
from programmes.models import Audience, DeliveryMode, EntryRoute, Theme

V, F2F, BL = DeliveryMode.VIRTUAL, DeliveryMode.FACE_TO_FACE, DeliveryMode.BLENDED
CLS_SUMMARY = "Part of the Complete Leadership Series: a half-day virtual module for leaders at every level."

# code, title, summary, theme, audience, delivery, entry route, bands, staff groups, partner, note, quota
PROGRAMMES = [
    (
        "CLS1",
        "Leading compassionately through change",
        CLS_SUMMARY,
        Theme.LOOKING_AFTER,
        Audience.ALL_STAFF,
        V,
    ),
    ("CLS2", "Leading and developing great teams", CLS_SUMMARY, Theme.NEW_WAYS, Audience.ALL_STAFF, V),
    ("CLS3", "Influencing and negotiating skills", CLS_SUMMARY, Theme.GROWING, Audience.ALL_STAFF, V),
    ("CLS4", "Emotionally intelligent leadership", CLS_SUMMARY, Theme.LOOKING_AFTER, Audience.ALL_STAFF, V),
    ("CLS5", "Virtual leadership", CLS_SUMMARY, Theme.NEW_WAYS, Audience.ALL_STAFF, V),
    (
        "CLS6",
        "Using online platforms as a tool for change",
        CLS_SUMMARY,
        Theme.NEW_WAYS,
        Audience.ALL_STAFF,
        V,
    ),
    (
        "CLS7",
        "Trauma informed leadership, working through crisis",
        "Our most requested module: how trauma shows up in teams, and how leaders work through crisis with care.",
        Theme.LOOKING_AFTER,
        Audience.ALL_STAFF,
        V,
    ),
    (
        "CLS8",
        "Inclusive culturally sensitive appreciative leadership",
        CLS_SUMMARY,
        Theme.BELONGING,
        Audience.ALL_STAFF,
        V,
    ),
    (
        "RCLRT",
        "Relationships and connectivity – leading remote teams",
        "Keeping people connected, trusted and well when the team rarely meets in person.",
        Theme.NEW_WAYS,
        Audience.ALL_STAFF,
        V,
    ),
    (
        "MSP",
        "Mary Seacole programme",
        "The national six-month leadership programme for first-time leaders, delivered locally under licence.",
        Theme.GROWING,
        Audience.ASPIRING_LEADERS,
        BL,
        {"partner": "NHS Leadership Academy (national), under licence"},
    ),
    (
        "BAME-NM",
        "Developing Aspirant BAME Nursing and Midwifery Leaders",
        "Positive action development for Black, Asian and minority ethnic nurses and midwives aspiring to lead.",
        Theme.BELONGING,
        Audience.ASPIRING_LEADERS,
        BL,
        {
            "route": EntryRoute.APPLICATION,
            "bands": [PayBand.BAND_6, PayBand.BAND_7, PayBand.BAND_8A],
            "groups": [StaffGroup.NURSING_MIDWIFERY],
            "note": "Positive action: for BAME, NMC-registered nurses and midwives at bands 6 to 8a. Each system "
            "nominates 3 nurses and 3 midwives; one nurse and one midwife per system are shortlisted.",
            "quota": 1,
        },
    ),
    (
        "LFSC",
        "Leading for System Change",
        "For up to 40 leaders from one integrated care system, working together on a shared system challenge.",
        Theme.NEW_WAYS,
        Audience.SYSTEM_LEADERS,
        BL,
        {"route": EntryRoute.NOMINATION, "note": "Places are nominated by the integrated care system."},
    ),
    (
        "PC-TRI",
        "Triumvirate “Power of Three”",
        "For a practice team of three – a GP, a practice nurse and a practice manager – leading together.",
        Theme.NEW_WAYS,
        Audience.PRIMARY_CARE,
        V,
        {"note": "Book as a team of three from one practice."},
    ),
    (
        "PC-PCNCD",
        "PCN Clinical Director Coaching",
        "One-to-one and group coaching for primary care network clinical directors.",
        Theme.LOOKING_AFTER,
        Audience.PRIMARY_CARE,
        V,
    ),
    (
        "PC-5B",
        "Five Behaviours of a Cohesive Team",
        "Trust, conflict, commitment, accountability and results: a team development day for primary care teams.",
        Theme.NEW_WAYS,
        Audience.PRIMARY_CARE,
        F2F,
        {"partner": "Wiley Five Behaviors accredited facilitators"},
    ),
    (
        "PC-NGP",
        "Leadership Development for New GPs",
        "For GPs in their first five years: leading in practice, in the PCN and beyond.",
        Theme.GROWING,
        Audience.PRIMARY_CARE,
        BL,
        {"groups": [StaffGroup.MEDICAL_DENTAL]},
    ),
    (
        "PC-PM",
        "Practice Manager Leadership Programme",
        "Leadership and resilience for practice and business managers in general practice.",
        Theme.GROWING,
        Audience.PRIMARY_CARE,
        V,
    ),
    (
        "MC-COMP",
        "Compassionate leadership masterclass",
        "A 90-minute masterclass on compassionate leadership with a guest speaker and Q&A.",
        Theme.LOOKING_AFTER,
        Audience.ALL_STAFF,
        V,
    ),
    (
        "LE-BEL",
        "Listening event: belonging in the NHS",
        "An open listening event for staff networks and allies on race, inclusion and belonging.",
        Theme.BELONGING,
        Audience.ALL_STAFF,
        V,
    ),
]

# code, cohort name, system slug or None, capacity, [(date, start, end, title)], status
CURRENT_COHORTS = [
    (
        "CLS7",
        "CLS7 December 2026",
        None,
        12,
        [(dt.date(2026, 12, 3), "09:30", "12:30", "Trauma informed leadership")],
    ),
    (
        "CLS7",
        "CLS7 January 2027",
        None,
        40,
        [(dt.date(2027, 1, 14), "13:30", "16:30", "Trauma informed leadership")],
    ),
    (
        "CLS1",
        "CLS1 January 2027",
        None,
        40,
        [(dt.date(2027, 1, 20), "09:30", "12:30", "Leading through change")],
    ),
    (
        "CLS2",
        "CLS2 December 2026",
        None,
        35,
        [
            (dt.date(2026, 12, 9), "09:30", "12:30", "Great teams, part 1"),
            (dt.date(2026, 12, 16), "09:30", "12:30", "Great teams, part 2"),
        ],
    ),
    (
        "CLS3",
        "CLS3 February 2027",
        None,
        40,
        [(dt.date(2027, 2, 4), "13:30", "16:30", "Influencing and negotiating")],
    ),
    (
        "CLS4",
        "CLS4 February 2027",
        None,
        40,
        [(dt.date(2027, 2, 11), "09:30", "12:30", "Emotional intelligence")],
    ),
    ("CLS5", "CLS5 January 2027", None, 40, [(dt.date(2027, 1, 27), "09:30", "12:00", "Virtual leadership")]),
    (
        "CLS6",
        "CLS6 March 2027",
        None,
        40,
        [(dt.date(2027, 3, 3), "13:30", "16:00", "Online platforms for change")],
    ),
    (
        "CLS8",
        "CLS8 February 2027",
        None,
        40,
        [(dt.date(2027, 2, 24), "09:30", "12:30", "Inclusive leadership")],
    ),
    (
        "RCLRT",
        "Leading remote teams – December 2026",
        None,
        30,
        [(dt.date(2026, 12, 10), "10:00", "12:00", "Leading remote teams")],
    ),
    (
        "MSP",
        "Mary Seacole – Spring 2027 (East Midlands)",
        None,
        30,
        [
            (
                dt.date(2027, 2, 2) + dt.timedelta(weeks=3 * n),
                "09:30",
                "16:00",
                f"Mary Seacole workshop {n + 1}",
            )
            for n in range(6)
        ],
    ),
    (
        "BAME-NM",
        "Aspirant BAME Nursing and Midwifery Leaders 2027",
        None,
        22,
        [
            (dt.date(2027, 3, 9), "09:30", "16:00", "Launch day"),
            (dt.date(2027, 4, 13), "09:30", "16:00", "Module 2"),
        ],
    ),
    (
        "LFSC",
        "Leading for System Change – Coventry and Warwickshire",
        "coventry-warwickshire",
        40,
        [
            (dt.date(2027, 1, 19), "09:30", "16:30", "System challenge launch"),
            (dt.date(2027, 2, 16), "09:30", "16:30", "Working across boundaries"),
        ],
    ),
    (
        "PC-TRI",
        "Power of Three – January 2027",
        None,
        30,
        [(dt.date(2027, 1, 12), "13:00", "17:00", "Power of Three")],
    ),
    (
        "PC-PCNCD",
        "PCN Clinical Director Coaching – 2027",
        None,
        16,
        [
            (dt.date(2027, 1, 25), "12:30", "14:00", "Group coaching 1"),
            (dt.date(2027, 3, 1), "12:30", "14:00", "Group coaching 2"),
        ],
    ),
    (
        "PC-5B",
        "Five Behaviours – Leicester, February 2027",
        "llr",
        24,
        [(dt.date(2027, 2, 18), "09:00", "16:30", "Five Behaviours team day")],
    ),
    (
        "PC-NGP",
        "New GPs – Spring 2027",
        None,
        20,
        [(dt.date(2027, 3, 16), "13:00", "17:00", "Leading in practice")],
    ),
    (
        "PC-PM",
        "Practice managers – January 2027",
        None,
        25,
        [(dt.date(2027, 1, 21), "09:30", "12:30", "Leading the practice")],
    ),
    (
        "MC-COMP",
        "Compassionate leadership masterclass – December 2026",
        None,
        200,
        [(dt.date(2026, 12, 2), "12:30", "14:00", "Masterclass with Q&A")],
    ),
    (
        "LE-BEL",
        "Listening event – January 2027",
        None,
        150,
        [(dt.date(2027, 1, 28), "12:00", "13:30", "Listening event")],
    ),
]
# A recent cohort the demo participant completed: past sessions, attendance and a certificate.
COMPLETED_COHORT = (
    "CLS4",
    "CLS4 October 2026",
    [
        (dt.date(2026, 10, 7), "09:30", "12:30", "Emotional intelligence"),
        (dt.date(2026, 10, 14), "09:30", "12:30", "Emotional intelligence 2"),
    ],
)

FIRST_NAMES = [
    "Amara",
    "Ben",
    "Chloe",
    "Daniel",
    "Ellie",
    "Farah",
    "George",
    "Hannah",
    "Imran",
    "Jess",
    "Kwame",
    "Laura",
    "Mohammed",
    "Niamh",
    "Oliver",
    "Precious",
    "Rajesh",
    "Sophie",
    "Tom",
    "Uzma",
    "Victoria",
    "Wei",
    "Yasmin",
    "Zoe",
]
FAMILY_NAMES = [
    "Adeyemi",
    "Brown",
    "Chauhan",
    "Davies",
    "Evans",
    "Fernandes",
    "Green",
    "Hussain",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Mensah",
    "Nowak",
    "Okafor",
    "Patel",
    "Quinn",
    "Robinson",
    "Singh",
    "Taylor",
    "Uddin",
    "Walker",
    "Xu",
    "Young",
]
PROFILES = [
    (StaffGroup.NURSING_MIDWIFERY, PayBand.BAND_6, "Nurse"),
    (StaffGroup.NURSING_MIDWIFERY, PayBand.BAND_7, "Midwife"),
    (StaffGroup.ADMINISTRATIVE_CLERICAL, PayBand.BAND_5, ""),
    (StaffGroup.MEDICAL_DENTAL, PayBand.MEDICAL, ""),
    (StaffGroup.ALLIED_HEALTH_PROFESSIONALS, PayBand.BAND_7, ""),
    (StaffGroup.NURSING_MIDWIFERY, PayBand.BAND_8A, "Nurse"),
]
