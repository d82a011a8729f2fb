"""Import a past year from the academy's spreadsheets (programmes/services/history.py says the columns):
`manage.py import_history --region midlands --cohorts cohorts.csv --register register.csv
[--programmes programmes.csv] [--people people.csv]`. All or nothing; every bad line is named."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from academy.models import Region
from programmes.services.history import FILES, HistoryRefused, history_import


class Command(BaseCommand):
    help = "Import past programmes, cohorts with their sessions, people and registers with attendance."

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="The region's slug, e.g. midlands.")
        for name in FILES:
            parser.add_argument(f"--{name}", type=Path, required=name in ("cohorts", "register"))

    def handle(self, *args, **options):
        region = Region.objects.filter(slug=options["region"]).first()
        if region is None:
            raise CommandError(f"No region {options['region']!r}: load the reference data first (load_ods).")
        files = {name: options[name].read_bytes() for name in FILES if options[name]}
        try:
            report = history_import(region=region, files=files)
        except HistoryRefused as refusal:
            for problem in refusal.problems[:200]:
                self.stderr.write(problem)
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(report.summary())
