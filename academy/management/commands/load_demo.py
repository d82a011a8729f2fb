"""Load the demo data of every app: `academy.demo` first, then each app's registered loader
(`academy.demos`), each after the apps whose data it reads."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from academy import demo, demos


class Command(BaseCommand):
    help = (
        "Load realistic demo data (development only). Safe to run again: it changes nothing the second time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet-accounts", action="store_true", help="Do not print the demo sign-ins.")

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is for development only; DJANGO_ENV=production.")
        with transaction.atomic():
            lines = demo.load(self.stdout)
            _analyze("academy")
            for loader in demos.in_dependency_order():
                self.stdout.write(f"Loading demo data: {loader.label}")
                loader.load(self.stdout)
                _analyze(loader.app)
        if not options["quiet_accounts"]:
            self.stdout.write("Demo sign-ins (password for all shown):")
            for line in lines:
                self.stdout.write(line)
            self.stdout.write(
                f"  Accounts marked (MFA) ask for a code: add the secret {demo.DEMO_TOTP_SECRET} to an "
                "authenticator app, or run: .venv/bin/python manage.py demo_code EMAIL"
            )


def _analyze(app_label: str) -> None:
    """Thousands of rows were just bulk-created in the app's tables: refresh the planner's statistics
    of those tables (not the whole database's: that takes seconds), so the next loader's queries (and
    the first report) are not planned on tables last analysed while empty (nested loops for ever)."""
    quote = connection.ops.quote_name
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_app_config(app_label).get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )
    if tables:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(quote(table) for table in tables))
