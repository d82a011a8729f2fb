from __future__ import annotations

from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Programmes"

    def ready(self) -> None:
        from academy import demos, navigation
        from academy.models import Role
        from programmes.chapters import register_chapters

        register_chapters()
        from programmes import privacy

        privacy.register()
        demos.register("programmes", self.verbose_name, "programmes.demo")

        navigation.register(
            "Find a programme",
            "programmes:offer",
            "Browse leadership programmes, masterclasses and events, and enrol or apply.",
            roles={navigation.PARTICIPANT},
            order=10,
        )
        navigation.register(
            "My learning",
            "programmes:my_learning",
            "Your upcoming sessions and joining links, applications, waiting lists and certificates.",
            roles={navigation.PARTICIPANT},
            order=11,
        )
        navigation.register(
            "Manage programmes",
            "programmes:staff_programmes",
            "Build programmes, cohorts and sessions; registers, waiting lists, attendance and shortlisting.",
            roles={Role.PROGRAMME_STAFF},
            order=20,
        )
