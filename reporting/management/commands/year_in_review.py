"""`python manage.py year_in_review 2020/21 --out review.pdf [--system SLUG] [--region SLUG]`: the same
PDF a lead generates in the portal, from the command line. Uses the edition for that year and scope if
one exists (its narrative and quotes); otherwise the figures with no narrative."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from academy.models import Region, System
from reporting.models import Edition, nhs_year_period
from reporting.services import report_pdf


class Command(BaseCommand):
    help = "Render the Year in Review PDF for an NHS year (e.g. 2020/21)."

    def add_arguments(self, parser):
        parser.add_argument("year", help='An NHS year such as "2020/21" (1 April to 31 March).')
        parser.add_argument("--out", default="review.pdf", help="Where to write the PDF.")
        parser.add_argument(
            "--system", help="A system's slug, for that system only (default: the whole region)."
        )
        parser.add_argument("--region", help="A region's slug (default: the only region, if there is one).")

    def handle(self, *args, **options):
        try:
            start, end = nhs_year_period(options["year"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        region = self._region(options["region"])
        system = None
        if options["system"]:
            system = System.objects.filter(slug=options["system"], sub_region__region=region).first()
            if system is None:
                raise CommandError(f"No system {options['system']!r} in {region.name}.")
        edition = (
            Edition.objects.filter(region=region, system=system, period_start=start, period_end=end)
            .order_by("-updated_at")
            .first()
        )
        if edition is None:
            edition = Edition(
                title=f"A Year in Review {options['year']}",
                period_start=start,
                period_end=end,
                region=region,
                system=system,
            )
            self.stderr.write(
                f"No edition for {options['year']} ({system or region}): figures only, no narrative."
            )
        pdf = report_pdf(edition=edition)
        out = Path(options["out"])
        out.write_bytes(pdf)
        self.stdout.write(f"Wrote {out} ({len(pdf):,} bytes): {edition.title}, {edition.scope_label}.")

    def _region(self, slug: str | None) -> Region:
        if slug:
            region = Region.objects.filter(slug=slug).first()
            if region is None:
                raise CommandError(f"No region {slug!r}.")
            return region
        regions = list(Region.objects.all()[:2])
        if len(regions) != 1:
            raise CommandError("Say which region with --region SLUG.")
        return regions[0]
