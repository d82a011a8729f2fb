from __future__ import annotations

from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = "Talent management"

    @property
    def jinja2_filters(self) -> dict:
        """Filters the talent pages use, added to the Jinja2 environment (academy/jinja2.py)."""
        from talent.formats import JINJA2_FILTERS

        return JINJA2_FILTERS

    def ready(self) -> None:
        from academy import demos, navigation
        from academy.models import Role
        from talent import selectors
        from talent.chapters import register_chapters

        register_chapters()
        demos.register("talent", self.verbose_name, "talent.demo", after=["programmes", "coaching"])

        navigation.register(
            "My talent record",
            "talent:mine",
            "Your talent pool record and readiness, career conversations and Executive Talent Scheme opportunities.",
            roles={navigation.PARTICIPANT},
            in_header=False,
            order=50,
        )
        navigation.register(
            "My assessment centres",
            "talent:my_centres",
            "Development Assessment Centres you are nominated for or booked on, and your feedback reports.",
            roles={navigation.PARTICIPANT},
            in_header=False,
            order=51,
            applies=selectors.has_centre_bookings,
        )
        navigation.register(
            "Centres I assess",
            "talent:assessing",
            "Assessors: the Development Assessment Centres you assess at, and the exercises to rate.",
            roles={navigation.PARTICIPANT},
            in_header=False,
            order=52,
            applies=selectors.is_assessor,
        )
        navigation.register(
            "Talent pool",
            "talent:dashboard",
            "The region's talent pool by readiness, slates, movements, the equity funnel and opportunities.",
            roles={Role.TALENT_LEAD},
            order=60,
        )
        navigation.register(
            "Talent board",
            "talent:board",
            "Your system's consenting pool members, critical roles and successor slates.",
            roles={Role.TALENT_BOARD},
            order=61,
        )
