"""The HCLM 360 import, declared on the portal's import machinery (`academy.imports`): a year, "Overall"
or a sub-region of the lead's region, and each count of the national tool (0 to 2,147,483,647, written
"6,962" or "6962"). Reading only; `services.hclm360_import` writes."""

from __future__ import annotations

from academy.imports import CellError, Column, ImportRow, ImportSpec, Preview, choice_key, whole_number, year
from academy.models import Region, SubRegion
from reporting.models import HCLM_COUNTS

OVERALL = "Overall"

HCLM360 = ImportSpec(
    key="hclm-360",
    title="HCLM 360 counts",
    columns=(
        Column(
            "year",
            year(),
            required=True,
            help="The calendar year of the counts.",
            example="2020",
            blank_ok=False,
        ),
        Column(
            "sub_region",
            lambda value: value,  # bound to the region's sub-regions by `read`
            required=True,
            aliases=("sub-region", "area"),
            help='"Overall", or the name of one of your region\'s sub-regions.',
            example=OVERALL,
            blank=None,
        ),
        *(
            Column(
                name,
                whole_number(),
                required=True,
                aliases=(label,),
                help=label,
                example="120",
                blank_ok=False,
            )
            for name, label in HCLM_COUNTS
        ),
    ),
    noun=("row", "rows"),
    max_rows=1000,
    description="One row per calendar year and sub-region (or Overall). All rows are imported, or none; "
    "a year and sub-region already held is replaced.",
)


def sub_region_parser(region: Region):
    table: dict[str, SubRegion] = {}
    for sub_region in SubRegion.objects.filter(region=region):
        table[choice_key(sub_region.name)] = sub_region
        table.setdefault(choice_key(sub_region.slug), sub_region)

    def parse(value: str) -> SubRegion | None:
        if choice_key(value) == choice_key(OVERALL):
            return None
        try:
            return table[choice_key(value)]
        except KeyError:
            raise CellError(f"“{value[:80]}” is not Overall or a sub-region of {region.name}") from None

    return parse


def read(*, region: Region, content: bytes, filename: str = "") -> Preview:
    spec = HCLM360.with_parsers(sub_region=sub_region_parser(region))
    return spec.read(content, filename=filename, check=_one_row_per_year_and_area)


def _one_row_per_year_and_area(rows: list[ImportRow], preview: Preview) -> None:
    seen: dict[tuple, int] = {}
    for row in rows:
        if row.problems:
            continue
        sub_region = row["sub_region"]
        key = (row["year"], sub_region.pk if sub_region else None)
        if key in seen:
            row.refuse(f"{row['year']} {sub_region or OVERALL} is also on line {seen[key]}")
        else:
            seen[key] = row.line
