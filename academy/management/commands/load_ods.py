"""Load NHS reference data: with no files, what the repository ships (the 7 NHS England regions, the 42
ICBs and the Midlands' trusts); with files, an academy's own downloads from the Organisation Data
Service (`etr.csv` trusts, `epraccur.csv` GP practices, the ICB and region files). Safe to run again:
names follow the files, closed organisations are closed, nothing is duplicated."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from academy import ods


class Command(BaseCommand):
    help = (
        "Load regions, ICBs and organisations from NHS ODS CSV files (or, with no files, the shipped "
        "reference data). Re-running updates names and closes organisations that closed."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path, help="ODS CSV files (etr.csv, epraccur.csv, ...)")
        parser.add_argument(
            "--kind",
            choices=ods.Kind.ALL,
            help="What the files hold; needed unless every file is named as ODS names it (etr, epraccur).",
        )
        parser.add_argument(
            "--region",
            action="append",
            default=[],
            metavar="CODE",
            help="Keep only the organisations of this NHS England region (e.g. Y60 for the Midlands); repeatable.",
        )
        parser.add_argument(
            "--sub-regions",
            type=Path,
            help="CSV `ods_code,slug,sub_region` placing new ICBs' systems in the region's sub-regions.",
        )
        parser.add_argument("--types", type=Path, help="CSV `ods_code,type` giving trusts' types.")

    def handle(self, *args, **options):
        if not options["files"]:
            for report in ods.load_shipped():
                self.stdout.write(report.summary())
            return
        placements = (
            ods.read_placements(options["sub_regions"].read_bytes()) if options["sub_regions"] else {}
        )
        try:
            types = ods.read_types(options["types"].read_bytes()) if options["types"] else {}
            jobs = [(path, options["kind"] or ods.kind_for(path)) for path in options["files"]]
            for path, kind in jobs:
                if kind is None:
                    raise CommandError(
                        f"{path.name}: say what it holds with --kind ({', '.join(ods.Kind.ALL)})."
                    )
            for path, kind in jobs:
                report = ods.reference_load(
                    kind=kind,
                    records=ods.read_ods(path.read_bytes()),
                    regions=options["region"],
                    placements=placements,
                    types=types,
                    source=path.name,
                )
                self.stdout.write(f"{path.name}: {report.summary()}")
                for line in report.skipped[:20]:
                    self.stdout.write(f"  {line}")
                if len(report.skipped) > 20:
                    self.stdout.write(f"  ... and {len(report.skipped) - 20} more skipped")
        except (ods.OdsFileError, OSError) as problem:
            raise CommandError(str(problem)) from problem
