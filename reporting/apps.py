from __future__ import annotations

from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Reporting"

    def ready(self) -> None:
        from academy import demos, navigation
        from academy.models import Role
        from reporting.chapters import register_chapters

        register_chapters()
        from reporting import privacy

        privacy.register()
        demos.register("reporting", self.verbose_name, "reporting.demo", after=["programmes"])

        navigation.register(
            "Dashboard",
            "reporting:dashboard",
            "Reach and impact, coaching and HCLM 360 figures for your region, by year and system, with CSV downloads.",
            roles=[Role.LEAD],
            order=80,
        )
        navigation.register(
            "Year in Review",
            "reporting:edition_list",
            "Write an edition's narrative, pick quotes and generate the Year in Review PDF.",
            roles=[Role.LEAD],
            order=81,
        )
