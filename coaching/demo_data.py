"""The coaching demo's data: who is on the register and how, their supervision, the CPD webinars and
the coaching relationships. `coaching/demo.py` reads it. Days are either dates (the 2020/21 year of
the Year in Review) or a number of days before (negative: after) the day the demo is loaded."""

from __future__ import annotations

import datetime

from academy.models import StaffGroup
from coaching.models import QualificationKind, RelationshipStatus, RelationshipType, Specialism

MARKER_WEBINAR = "Coaching in a VUCA world"  # the first webinar: the demo is loaded once it exists

GIVEN = (
    "Amira", "Ben", "Chloe", "Dev", "Ellie", "Farah", "Gareth", "Hannah", "Imran", "Jess", "Kwame", "Laura",
    "Marcus", "Nadia", "Owen", "Parveen", "Rachel", "Sanjay", "Tola", "Uma", "Victor", "Wendy", "Yusuf", "Zoe",
)  # fmt: skip
FAMILY = (
    "Adeyemi", "Bennett", "Chauhan", "Davies", "Evans", "Fletcher", "Griffiths", "Hussain", "Iqbal", "Jones",
    "Khan", "Lewis", "Mensah", "Nolan", "Okafor", "Patel", "Quinn", "Robinson", "Singh", "Turner", "Walsh",
)  # fmt: skip
JOB_TITLES = (
    "Head of Nursing", "Organisational Development Practitioner", "Consultant Psychiatrist", "Practice Manager",
    "Deputy Director of Workforce", "Clinical Lead Physiotherapist", "Matron", "Service Manager",
)  # fmt: skip
STAFF_GROUPS = (
    StaffGroup.NURSING_MIDWIFERY,
    StaffGroup.ADMINISTRATIVE_CLERICAL,
    StaffGroup.MEDICAL_DENTAL,
    StaffGroup.ALLIED_HEALTH_PROFESSIONALS,
)
PAY_BANDS = ("7", "8a", "8b", "8c")

# (email prefix, how many, offset into the name and organisation lists)
COACHES = ("coach", 38, 0)
COACHEES = ("coachee", 24, 3)
# The register, by position: 0 is coach@nhs.net, 1 supervisor@nhs.net, then the 38 coaches above.
APPLYING = (2, 3, 4)
MORE_INFO_REQUESTED = 5  # asked for more information; has only an unrecognised course
LAPSED = (6, 7, 8, 9)
DUE_SOON = (10, 11, 12)  # supervision due within 30 days
NEW_IN_2020_21 = 22  # positions up to this one (not applying or lapsed) were approved in 2020/21
LAPSED_APPROVED_FROM = datetime.date(2019, 9, 1)
NEW_APPROVED_FROM = datetime.date(2020, 4, 20)
LONG_STANDING_APPROVED = datetime.date(2019, 2, 1)
AVAILABILITY_NOTES = ("Tuesday afternoons", "Early mornings", "Fridays", "")
EXPERIENCE = "Coaching colleagues across acute and community services since 2017."
MORE_INFO_NOTE = "Please upload your ILM certificate."
QUALIFICATIONS = (
    QualificationKind.ILM5,
    QualificationKind.ILM3,
    QualificationKind.ILM5,
    QualificationKind.ILM7,
    QualificationKind.EMCC,
)
CERTIFICATE_TITLE = "ILM Level 5 Certificate in Coaching and Mentoring"

# Group supervision: every six weeks in 2020/21, five held this year, two to come.
GROUPS_2020_21 = tuple(datetime.date(2020, 5, 12) + datetime.timedelta(days=42 * k) for k in range(8))
GROUPS_HELD_DAYS_AGO = (300, 230, 160, 90, 30)
GROUPS_TO_COME_IN_DAYS = (10, 52)
SUPERVISORS_ELSEWHERE = ("Dr Helen Marsh (EMCC)", "Tom Adeyemi", "Coaching Supervision Academy", "Gill Pryce")
EARLIER_SUPERVISION_FROM = datetime.date(2020, 6, 1)  # for half the register, in 2020/21

# (title, date or days before the demo's today, description)
WEBINARS = (
    (MARKER_WEBINAR, datetime.date(2020, 11, 18), "Working with volatility, uncertainty, complexity and ambiguity."),
    ("Trauma and coaching", datetime.date(2021, 1, 27), "Recognising trauma responses and staying within boundaries."),
    ("Coaching for wellbeing", datetime.date(2021, 3, 10), "Supporting coachees through exhaustion and burnout."),
    ("Contracting and boundaries in internal coaching", 200, ""),
    ("Coaching across difference", 60, "Race, culture and power in the coaching room."),
    ("Coaching in a VUCA world: revisited", -11, ""),
)  # fmt: skip
JOINING_URL = "https://teams.microsoft.com/l/meetup-join/academy-demo"
RECORDING_URL = "https://www.youtube.com/watch?v=academy-demo"
CPD_ACTIVITIES = ("Read 'Coaching for Performance'", "EMCC regional conference", "Team coaching course")
REFLECTIVE_NOTE = {
    "title": "Holding the silence",
    "body": "I noticed I filled the pause again today. Next time, count to ten.",
}

RELATIONSHIP_TYPES = (
    RelationshipType.COACHING,
    RelationshipType.MENTORING,
    RelationshipType.REVERSE,
    RelationshipType.RECIPROCAL,
)
RELATIONSHIPS_2020_21 = 16  # from 1 May 2020, one every 17 days; two in three closed after 150 days
RELATIONSHIPS_FROM = datetime.date(2020, 5, 1)
RELATIONSHIPS_THIS_YEAR = 10
EVALUATION = "It helped me find my voice in meetings."
SESSION_MINUTES = (60, 90, 45)
SESSION_NOTES = "Explored priorities and agreed a next step."
REQUESTS = (  # open requests from the last coachees
    ("Settle into my first band 8a role.", (Specialism.TRANSITION, Specialism.CAREER)),
    ("Prepare for a director interview.", (Specialism.CAREER, Specialism.CHANGE)),
    ("Lead a team through a merger.", (Specialism.CHANGE,)),
)
PARTICIPANT_REQUEST = {
    "relationship_type": RelationshipType.COACHING,
    "goals": "Build confidence leading my ward team through winter pressures.",
    "specialisms": [Specialism.CONFIDENCE, Specialism.WELLBEING, Specialism.TEAMS],
    "preferences": "Someone from outside nursing would be welcome.",
}
# The demo coach's own: (coachee position, type, offered days ago, started days ago or None, status)
DEMO_COACH_RELATIONSHIPS = (
    (1, RelationshipType.COACHING, 90, 85, RelationshipStatus.ACTIVE),
    (5, RelationshipType.REVERSE, 2, None, RelationshipStatus.OFFERED),
)
