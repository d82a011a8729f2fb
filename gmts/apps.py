from __future__ import annotations

from django.apps import AppConfig


class GmtsConfig(AppConfig):
    name = "gmts"
    verbose_name = "Graduate Management Training Scheme"
