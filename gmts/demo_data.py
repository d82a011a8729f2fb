"""The scheme's demo data, as data: the Midlands intakes of the 2020/21 Year in Review (90 trainees
supported, 14 new in March 2021, all placed), the hosts they were placed with, the next intake still
being placed, and the voices the review quoted. Read by `gmts/demo.py`."""

from __future__ import annotations

# (year, season, trainees by specialism slug). 40 + 36 + 14 = 90 supported in 2020/21.
INTAKES_2020_21 = (
    (
        2019,
        "september",
        {
            "general-management": 22,
            "finance": 8,
            "human-resources": 5,
            "health-informatics": 3,
            "policy-and-strategy": 2,
        },
    ),
    (
        2020,
        "march",
        {
            "general-management": 20,
            "finance": 7,
            "human-resources": 4,
            "health-informatics": 3,
            "policy-and-strategy": 2,
        },
    ),
    (2021, "march", {"general-management": 8, "finance": 3, "human-resources": 2, "health-informatics": 1}),
)
# The next intake, still being placed when the demo is loaded: trainees by specialism, and how many of
# them the hosts have confirmed (the rest are flagged on the dashboard).
NEXT_INTAKE = {"general-management": 6, "finance": 3, "human-resources": 2}
NEXT_INTAKE_CONFIRMED = 8

# Host organisations, by name as academy's demo creates them, in the order trainees are shared out.
HOSTS = (
    "University Hospitals of Derby and Burton NHS Foundation Trust",
    "University Hospitals Birmingham NHS Foundation Trust",
    "Nottingham University Hospitals NHS Trust",
    "University Hospitals of Leicester NHS Trust",
    "Derbyshire Healthcare NHS Foundation Trust",
    "The Royal Wolverhampton NHS Trust",
    "Wye Valley NHS Trust",
    "University Hospitals Coventry and Warwickshire NHS Trust",
    "Leicestershire Partnership NHS Trust",
    "Herefordshire and Worcestershire Health and Care NHS Trust",
    "United Lincolnshire Hospitals NHS Trust",
    "The Shrewsbury and Telford Hospital NHS Trust",
    "University Hospitals of North Midlands NHS Trust",
    "Northamptonshire Healthcare NHS Foundation Trust",
    "Birmingham and Solihull Mental Health NHS Foundation Trust",
    "NHS England – Midlands",
)

# Placement blocks in months from the intake's start: (kind, first month, months). Finance has a
# principal placement and runs 30 months.
PLAN = {
    "default": (("first", 0, 12), ("flexi", 12, 6), ("final", 18, 6)),
    "finance": (("first", 0, 12), ("principal", 12, 12), ("final", 24, 6)),
}

GIVEN_NAMES = (
    "Aasiya",
    "Abi",
    "Alastair",
    "Amira",
    "Ben",
    "Chloe",
    "Daniel",
    "Diana",
    "Eleanor",
    "Frank",
    "Grace",
    "Hamza",
    "Imogen",
    "Jay",
    "Kiran",
    "Laura",
    "Mohammed",
    "Naomi",
    "Oliver",
    "Priya",
    "Rhys",
    "Sophie",
    "Tom",
    "Usha",
    "Victoria",
    "Will",
    "Yasmin",
    "Zain",
    "Harriet",
    "Joel",
)
FAMILY_NAMES = (
    "Ahmed",
    "Bennett",
    "Clarke",
    "Dhillon",
    "Evans",
    "Fazal",
    "Ferguson",
    "Green",
    "Hinsley",
    "Iqbal",
    "Johnson",
    "Khan",
    "Lewis",
    "Morgan",
    "Nolan",
    "Owen",
    "Patel",
    "Quinn",
    "Roberts",
    "Singh",
    "Taylor",
    "Upton",
    "Vaughan",
    "Walker",
    "Young",
)

# Quotes from the 2020/21 review, chosen for it by the lead: (role, name, attribution, text).
QUOTES = (
    (
        "placement_manager",
        "Mel Bolton",
        "General Manager – Medical Specialties, Wye Valley NHS Trust",
        "We have been very fortunate to have a trainee placed with us who is both highly motivated and "
        "highly capable. Jay has been instrumental in setting up new services in response to the COVID-19 "
        "crisis and has blazed the trail for future trainee placement.",
    ),
    (
        "placement_manager",
        "Catherine Blaabjerg",
        "Business Intelligence Manager, Derbyshire Healthcare NHS Foundation Trust",
        "From the start we looked at Alastair's competency requirements and made a plan on how to ensure "
        "that we could focus on these and proactively support him in his aspirations for his placement.",
    ),
    (
        "programme_manager",
        "Ali Roberts",
        "Associate Director – ICS Development, Herefordshire and Worcestershire",
        "I really enjoy being a placement manager as my role is to both support and challenge, to get the "
        "most of the time and experience that the trainees experience over the life of the scheme.",
    ),
    (
        "trainee",
        "Sophie Hinsley",
        "GMTS Intake March 2020, General Management",
        "In just a few months, we established a seven-day service for managing COVID-19 positive cases for "
        "inpatients, outpatients, and staff members.",
    ),
    (
        "trainee",
        "Aasiya Fazal",
        "GMTS Intake September 2019, General Management",
        "It has been a positive experience being able to contribute to a COVID-19 effort which will "
        "directly influence our ability as a society to return back to normal.",
    ),
)
QUOTES_GIVEN_ON = (2021, 2, 15)

# Ratings trainees gave their placements, cycled: (mid-point, end).
RATINGS = ((4, 5), (5, 5), (3, 4), (4, 4), (5, 4), (2, 3), (4, 5))
FEEDBACK_COMMENT = "Varied work and a placement manager who made time for me."
SIGN_OFF_NOTE = "Led a piece of work showing this competency; agreed at the placement review."
