from __future__ import annotations

from django.apps import AppConfig


class AcademyConfig(AppConfig):
    name = "academy"
    verbose_name = "Academy"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from academy import navigation
        from academy.models import Role, SubRegion, System
        from academy.selectors import systems_changed

        # Reference data kept per process (academy.selectors.system_choices) is read afresh after a change.
        for model in (System, SubRegion):
            post_save.connect(
                systems_changed, sender=model, dispatch_uid=f"systems_changed_save_{model.__name__}"
            )
            post_delete.connect(
                systems_changed, sender=model, dispatch_uid=f"systems_changed_delete_{model.__name__}"
            )

        navigation.register(
            "Your profile",
            "academy:profile",
            "Your organisation, staff group and pay band, and your account security.",
            roles=[navigation.PARTICIPANT],
            in_header=False,
            order=900,
        )
        navigation.register(
            "Audit log",
            "academy:audit_log",
            "Every change to records in your region: who did what, and when.",
            roles=[Role.PROGRAMME_STAFF, Role.LEAD],
            order=800,
        )
        navigation.register(
            "Erase a person's data",
            "academy:erasure_find",
            "When someone of your region asks for their data to be erased: find them, check and confirm.",
            roles=[Role.LEAD],
            in_header=False,
            order=810,
        )
