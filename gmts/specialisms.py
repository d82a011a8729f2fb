"""The scheme's five specialisms as the national scheme defines them, with their length and a starting
competency framework; the GMTS manager edits each framework in the portal afterwards."""

from __future__ import annotations

COMMON = (
    "Leading self: self-awareness and resilience",
    "Leading others: engaging and developing a team",
    "Delivering a service improvement project",
    "Stakeholder engagement across the system",
    "Equality, diversity and inclusion in practice",
)

SPECIALISMS: tuple[dict, ...] = (
    {
        "name": "General Management",
        "slug": "general-management",
        "length_months": 24,
        "has_principal_placement": False,
        "competencies": [
            *COMMON,
            "Operational management of a service",
            "Performance and quality management",
            "Managing a budget",
        ],
    },
    {
        "name": "Finance",
        "slug": "finance",
        "length_months": 30,
        "has_principal_placement": True,
        "competencies": [
            *COMMON,
            "Financial planning and budget setting",
            "Financial accounting and year-end",
            "Costing and commercial finance",
            "Professional accountancy qualification progress",
        ],
    },
    {
        "name": "Human Resources",
        "slug": "human-resources",
        "length_months": 24,
        "has_principal_placement": False,
        "competencies": [
            *COMMON,
            "Employee relations casework",
            "Workforce planning",
            "Organisational development",
        ],
    },
    {
        "name": "Health Informatics",
        "slug": "health-informatics",
        "length_months": 24,
        "has_principal_placement": False,
        "competencies": [
            *COMMON,
            "Information governance",
            "Delivering a digital change",
            "Data analysis and reporting",
        ],
    },
    {
        "name": "Policy and Strategy",
        "slug": "policy-and-strategy",
        "length_months": 24,
        "has_principal_placement": False,
        "competencies": [
            *COMMON,
            "Developing a strategy with partners",
            "Policy analysis and briefing",
            "Board and committee papers",
        ],
    },
)
