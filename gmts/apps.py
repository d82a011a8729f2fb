from __future__ import annotations

from django.apps import AppConfig


class GmtsConfig(AppConfig):
    name = "gmts"
    verbose_name = "Graduate Management Training Scheme"

    def ready(self) -> None:
        from academy import demos, navigation
        from academy.models import Role
        from gmts import selectors
        from gmts.chapters import register_chapters

        register_chapters()
        demos.register("gmts", self.verbose_name, "gmts.demo")

        navigation.register(
            "Graduate scheme",
            "gmts:dashboard",
            "Intakes, host bids and their assurance, trainees, placements and the confirmed-placements figure.",
            roles={Role.GMTS_MANAGER},
            order=60,
        )
        navigation.register(
            "My graduate scheme",
            "gmts:mine",
            "GMTS trainees: your placements, managers, competency sign-offs and placement feedback.",
            roles={navigation.PARTICIPANT},
            in_header=False,
            order=61,
            applies=selectors.is_trainee,
        )
        navigation.register(
            "GMTS trainees I manage",
            "gmts:managed",
            "Programme and placement managers: confirm placements and sign off competencies.",
            roles={navigation.PARTICIPANT},
            in_header=False,
            order=62,
            applies=selectors.is_trainee_manager,
        )
