from __future__ import annotations

from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = "Coaching and mentoring"

    @property
    def jinja2_filters(self) -> dict:
        """Filters the coaching pages use, added to the Jinja2 environment (academy/jinja2.py)."""
        from coaching.formats import JINJA2_FILTERS

        return JINJA2_FILTERS

    def ready(self) -> None:
        from academy import demos, navigation
        from academy.models import Role
        from coaching.chapters import register_chapters

        register_chapters()
        from coaching import privacy

        privacy.register()
        demos.register("coaching", self.verbose_name, "coaching.demo", after=["programmes"])

        navigation.register(
            "Find a coach",
            "coaching:directory",
            "Ask for a coach or mentor, and see your coaching relationships.",
            roles={navigation.PARTICIPANT},
            order=40,
        )
        navigation.register(
            "Join the coach and mentor register",
            "coaching:apply",
            "Offer your skills as a coach or mentor to colleagues across the region.",
            roles={navigation.PARTICIPANT},
            in_header=False,
            order=45,
        )
        navigation.register(
            "My coaching",
            "coaching:mine",
            "Your register entry, supervision, CPD, reflective notes and coachees.",
            roles={Role.COACH},
            order=41,
        )
        navigation.register(
            "Group supervision",
            "coaching:supervision_sessions",
            "Schedule group supervision and confirm who attended.",
            roles={Role.SUPERVISOR},
            order=42,
        )
        navigation.register(
            "Coach register",
            "coaching:register",
            "Review applications, filter and export the coach and mentor register, and match coachees.",
            roles={Role.PROGRAMME_STAFF},
            order=43,
        )
