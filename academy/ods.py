"""Reference data from the NHS Organisation Data Service (ODS): regions, integrated care boards (our
systems), NHS trusts and GP practices, read from the headerless CSV files ODS publishes and written
idempotently: a row is found by its ODS code (or, once, by the name of a row loaded before codes were
kept), its name and parent follow the file, a close date closes it, and nothing is ever duplicated.

The files share one layout: 0 organisation code, 1 name, 2 national grouping (the NHS England region,
e.g. Y60), 3 high level health geography (the ICB, e.g. QHL), 4-8 address lines, 9 postcode, 10 open
date, 11 close date (both YYYYMMDD); the GP practice file `epraccur.csv` adds 12 status code (A, C, D,
P), 14 commissioner and 25 prescribing setting (4 is a GP practice; the rest are out-of-hours, walk-in,
prison and other services). The repository ships the 7 regions, the 42 ICBs and the Midlands' trusts in
this layout under `academy/reference/` (`manage.py load_ods` with no files loads them)."""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from academy import audit
from academy.models import Organisation, OrganisationType, Region, SubRegion, System

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


class Kind:
    """The files `load_ods` reads, by what they hold."""

    REGIONS = "regions"
    ICBS = "icbs"
    TRUSTS = "trusts"
    PRACTICES = "practices"
    ALL = (REGIONS, ICBS, TRUSTS, PRACTICES)


# ODS file names an academy downloads, and the kind each holds.
FILE_KINDS = {"etr": Kind.TRUSTS, "epraccur": Kind.PRACTICES}
GP_PRACTICE_SETTING = "4"


@dataclass(frozen=True)
class OdsRecord:
    line: int
    code: str
    name: str
    region_code: str
    icb_code: str
    postcode: str
    opened_on: datetime.date | None
    closed_on: datetime.date | None
    status: str = ""
    prescribing_setting: str = ""


class OdsFileError(ValueError):
    """The file is not in an ODS layout; the message says which line and why."""


def _date(value: str, line: int) -> datetime.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.datetime.strptime(value, "%Y%m%d").date()  # noqa: DTZ007 (a date, no time)
    except ValueError:
        raise OdsFileError(f"Line {line}: {value!r} is not a date as ODS writes them (YYYYMMDD).") from None


def read_ods(content: bytes) -> Iterator[OdsRecord]:
    """The records of one ODS file. ODS writes plain ASCII; a copy saved again by Excel may be UTF-8
    with a byte-order mark or Windows-1252, so those are read too."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    for line, cells in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) < 12:
            raise OdsFileError(
                f"Line {line} has {len(cells)} columns; an ODS file has at least 12 (code, name, national "
                "grouping, health geography, address, postcode, open and close dates) and no header line."
            )
        cell = [c.strip() for c in cells]
        if not cell[0] or not cell[1]:
            raise OdsFileError(f"Line {line} has no organisation code or name.")
        yield OdsRecord(
            line=line,
            code=cell[0].upper(),
            name=cell[1],
            region_code=cell[2].upper(),
            icb_code=cell[3].upper(),
            postcode=cell[9],
            opened_on=_date(cell[10], line),
            closed_on=_date(cell[11], line),
            status=cell[12] if len(cell) > 12 else "",
            prescribing_setting=cell[25] if len(cell) > 25 else "",
        )


# --- names --------------------------------------------------------------------------------------------

SMALL_WORDS = frozenset({"and", "of", "the", "for", "in", "on", "at", "upon", "with", "by", "to"})
UPPER_WORDS = frozenset({"nhs", "icb", "gp", "uk", "pcn", "cic", "ltd", "llp", "hiv", "ii", "iii"})


def _word(word: str, first: bool) -> str:
    lower = word.lower()
    if lower in UPPER_WORDS:
        return word.upper()
    if lower in SMALL_WORDS and not first:
        return lower
    # Women's, O'Brien: capitalise after an apostrophe only when what follows is not a lone "s".
    parts = lower.split("'")
    head = parts[0][:1].upper() + parts[0][1:]
    tail = [p if len(p) <= 1 else p[:1].upper() + p[1:] for p in parts[1:]]
    return "'".join([head, *tail])


def ods_name(raw: str) -> str:
    """ODS writes names in capitals; people read "The Royal Wolverhampton NHS Trust". Names already in
    mixed case are kept as written."""
    raw = " ".join(raw.split())
    if raw != raw.upper():
        return raw
    words = []
    for index, word in enumerate(raw.split(" ")):
        pieces = word.split("-")
        words.append("-".join(_word(p, index == 0 and n == 0) for n, p in enumerate(pieces)))
    return " ".join(words)


def region_name(raw: str) -> str:
    """ "MIDLANDS COMMISSIONING REGION" or "NHS ENGLAND MIDLANDS" -> "Midlands"."""
    name = ods_name(raw)
    name = re.sub(r"^NHS England[\s\-–]+", "", name)
    return re.sub(r"\s+(Commissioning\s+)?Region$", "", name, flags=re.IGNORECASE).strip()


def system_name(raw: str) -> str:
    """ "NHS DERBY AND DERBYSHIRE INTEGRATED CARE BOARD" -> "Derby and Derbyshire"."""
    name = re.sub(r"^NHS\s+", "", ods_name(raw))
    return re.sub(r"\s+(Integrated Care Board|ICB)$", "", name, flags=re.IGNORECASE).strip()


def trust_type(name: str) -> str:
    """etr.csv does not say what a trust does; its name usually does. Anything else is an NHS trust,
    which an administrator can refine (a later load keeps a type set by hand)."""
    lower = name.lower()
    if "ambulance" in lower:
        return OrganisationType.AMBULANCE_TRUST
    if "mental health" in lower:
        return OrganisationType.MENTAL_HEALTH_TRUST
    if "community" in lower:
        return OrganisationType.COMMUNITY_TRUST
    if "hospital" in lower:
        return OrganisationType.ACUTE_TRUST
    return OrganisationType.NHS_TRUST


# Bodies that serve a whole region belong to no one system, whatever ICB their headquarters sit in.
REGIONAL_TYPES = frozenset({OrganisationType.AMBULANCE_TRUST, OrganisationType.REGIONAL_BODY})


# --- loading ------------------------------------------------------------------------------------------


@dataclass
class LoadReport:
    kind: str
    created: int = 0
    updated: int = 0
    closed: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        counts = (
            f"{self.created} added, {self.updated} updated ({self.closed} closed), {self.unchanged} unchanged"
        )
        return f"{self.kind.capitalize()}: {counts}" + (
            f", {len(self.skipped)} skipped" if self.skipped else ""
        )

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


@dataclass(frozen=True)
class Placement:
    """Where an ICB's system sits that ODS does not say: its slug and the region's sub-region."""

    slug: str
    sub_region: str


def read_placements(content: bytes) -> dict[str, Placement]:
    """A CSV with the header `ods_code,slug,sub_region` (e.g. `QJ2,derby-derbyshire,East Midlands`)."""
    rows = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
    return {
        r["ods_code"].strip().upper(): Placement(r["slug"].strip(), r["sub_region"].strip()) for r in rows
    }


def read_types(content: bytes) -> dict[str, str]:
    """A CSV with the header `ods_code,type` (a value of `OrganisationType`, e.g. `RRK,acute`)."""
    rows = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
    types = {}
    for line, row in enumerate(rows, start=2):
        if row["type"].strip() not in OrganisationType.values:
            raise OdsFileError(
                f"Line {line}: {row['type']!r} is not one of {', '.join(OrganisationType.values)}."
            )
        types[row["ods_code"].strip().upper()] = row["type"].strip()
    return types


def reference_load(
    *,
    kind: str,
    records: Iterable[OdsRecord],
    actor=None,
    regions: Iterable[str] = (),
    placements: Mapping[str, Placement] | None = None,
    types: Mapping[str, str] | None = None,
    source: str = "",
) -> LoadReport:
    """Load one ODS file's records of `kind`, all or none, with one audit entry if anything changed.
    `regions` (ODS codes, e.g. Y60) keeps only the organisations of those regions."""
    if kind not in Kind.ALL:
        raise ValueError(f"kind must be one of {', '.join(Kind.ALL)}")
    report = LoadReport(kind=kind)
    wanted = {code.upper() for code in regions}
    records = [r for r in records if not wanted or r.region_code in wanted or kind == Kind.REGIONS]
    with transaction.atomic():
        if kind == Kind.REGIONS:
            _load_regions(records, report)
        elif kind == Kind.ICBS:
            _load_icbs(records, report, placements or {})
        else:
            _load_organisations(kind, records, report, types or {})
        if report.changed:
            audit.record(
                actor,
                "reference.load",
                data={
                    "kind": kind,
                    "source": source,
                    "created": report.created,
                    "updated": report.updated,
                    "closed": report.closed,
                },
            )
    return report


def _apply(instance, values: Mapping, report: LoadReport) -> bool:
    """Set the values that differ and save only those; count the row as updated, closed or unchanged."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if not changed:
        report.unchanged += 1
        return False
    if "closed_on" in changed and values["closed_on"] is not None:
        report.closed += 1
    for name in changed:
        setattr(instance, name, values[name])
    instance.save(update_fields=changed)
    report.updated += 1
    return True


def _unique_slug(model, base: str) -> str:
    slug, n = base or "unnamed", 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _load_regions(records: list[OdsRecord], report: LoadReport) -> None:
    for record in records:
        name = region_name(record.name)
        region = Region.objects.filter(ods_code=record.code).first()
        if region is None:
            region = Region.objects.filter(ods_code="", slug=slugify(name)).first()
        if region is None:
            if record.closed_on:
                report.skipped.append(
                    f"Line {record.line}: {record.code} {name} closed before it was loaded."
                )
                continue
            region = Region.objects.create(
                name=name, slug=_unique_slug(Region, slugify(name)), ods_code=record.code
            )
            report.created += 1
        else:
            _apply(region, {"name": name, "ods_code": record.code}, report)
        # NHS England's regional team is an employer too, with the region's own code.
        _organisation(
            code=record.code,
            name=f"NHS England – {name}",
            values={"region": region, "system": None, "closed_on": record.closed_on},
            new_type=OrganisationType.REGIONAL_BODY,
            report=None,
        )


def _load_icbs(records: list[OdsRecord], report: LoadReport, placements: Mapping[str, Placement]) -> None:
    regions = {r.ods_code: r for r in Region.objects.exclude(ods_code="")}
    for record in records:
        if " ICB - " in record.name.upper():
            report.skipped.append(f"Line {record.line}: {record.code} is a sub-ICB location, not an ICB.")
            continue
        region = regions.get(record.region_code)
        if region is None:
            report.skipped.append(
                f"Line {record.line}: {record.code}'s region {record.region_code or '(none)'} is not loaded: "
                "load the regions first."
            )
            continue
        name = system_name(record.name)
        placement = placements.get(record.code)
        system = System.objects.filter(ods_code=record.code).first()
        if system is None:
            system = System.objects.filter(ods_code="", sub_region__region=region, name=name).first()
        if system is None:
            base = placement.slug if placement else slugify(name)
            system = System.objects.create(
                name=name,
                slug=_unique_slug(System, base),
                ods_code=record.code,
                sub_region=_sub_region(region, placement),
            )
            report.created += 1
        else:
            values = {"name": name, "ods_code": record.code}
            if system.sub_region.region_id != region.pk:
                values["sub_region"] = _sub_region(region, placement)
            _apply(system, values, report)
        _organisation(
            code=record.code,
            name=ods_name(record.name),
            values={"region": region, "system": system, "closed_on": record.closed_on},
            new_type=OrganisationType.COMMISSIONER,
            report=None,
        )


def _sub_region(region: Region, placement: Placement | None) -> SubRegion:
    """The placement's sub-region; otherwise the region's only one; otherwise one named as the region
    (a region whose reports have no split is its own single sub-region)."""
    if placement is None:
        existing = list(region.sub_regions.all()[:2])
        if len(existing) == 1:
            return existing[0]
    name = placement.sub_region if placement else region.name
    sub_region, _ = SubRegion.objects.get_or_create(
        region=region, slug=slugify(name), defaults={"name": name}
    )
    return sub_region


def _organisation(*, code: str, name: str, values: dict, new_type: str, report: LoadReport | None) -> None:
    report = report or LoadReport(kind="")
    organisation = Organisation.objects.filter(ods_code=code).first()
    if organisation is None:
        organisation = Organisation.objects.filter(ods_code="", region=values["region"], name=name).first()
    if organisation is None:
        Organisation.objects.create(ods_code=code, name=name, type=new_type, **values)
        report.created += 1
    else:
        _apply(organisation, {"ods_code": code, "name": name, **values}, report)


def _load_organisations(
    kind: str, records: list[OdsRecord], report: LoadReport, types: Mapping[str, str]
) -> None:
    """Trusts and GP practices in bulk (a region has about a thousand practices, England seven
    thousand open and as many closed): the rows are read once and written in a few statements."""
    regions = {r.ods_code: r for r in Region.objects.exclude(ods_code="")}
    systems = {s.ods_code: s for s in System.objects.exclude(ods_code="")}
    by_code = {o.ods_code: o for o in Organisation.objects.exclude(ods_code="")}
    by_name = {(o.region_id, o.name): o for o in Organisation.objects.filter(ods_code="")}
    new: list[Organisation] = []
    changed: dict[int, Organisation] = {}
    fields: set[str] = set()
    for record in records:
        if kind == Kind.PRACTICES and record.prescribing_setting not in ("", GP_PRACTICE_SETTING):
            continue
        region = regions.get(record.region_code)
        if region is None:
            report.skipped.append(
                f"Line {record.line}: {record.code}'s region {record.region_code or '(none)'} is not loaded."
            )
            continue
        name = ods_name(record.name)
        closed_on = record.closed_on
        if closed_on is None and record.status == "C":
            closed_on = datetime.date.today()  # noqa: DTZ011 (closed with no date: closed as of this load)
        organisation = by_code.get(record.code) or by_name.pop((region.pk, name), None)
        guessed = types.get(record.code) or (
            trust_type(name) if kind == Kind.TRUSTS else OrganisationType.GP_PRACTICE
        )
        if organisation is None:
            organisation = Organisation(
                ods_code=record.code, name=name, type=guessed, region=region, closed_on=closed_on
            )
            organisation.system = None if guessed in REGIONAL_TYPES else systems.get(record.icb_code)
            by_code[record.code] = organisation
            new.append(organisation)
            report.created += 1
            continue
        if organisation.pk is None:  # a second line for a code already in this file
            continue
        values = {"ods_code": record.code, "name": name, "region_id": region.pk, "closed_on": closed_on}
        if record.code in types or organisation.type == OrganisationType.NHS_TRUST:
            values["type"] = guessed
        kept_type = values.get("type", organisation.type)
        system = None if kept_type in REGIONAL_TYPES else systems.get(record.icb_code)
        values["system_id"] = system.pk if system else None
        differing = [name for name, value in values.items() if getattr(organisation, name) != value]
        if not differing:
            report.unchanged += 1
            continue
        if "closed_on" in differing and closed_on is not None:
            report.closed += 1
        for name_ in differing:
            setattr(organisation, name_, values[name_])
        fields.update(differing)
        changed[organisation.pk] = organisation
        report.updated += 1
    Organisation.objects.bulk_create(new, batch_size=2000)
    if changed:
        update_fields = sorted(f.removesuffix("_id") for f in fields)
        Organisation.objects.bulk_update(changed.values(), update_fields, batch_size=2000)


def kind_for(path: Path) -> str | None:
    """The kind an ODS file's own name gives away (`etr.csv`, `epraccur.csv`)."""
    return FILE_KINDS.get(path.stem.lower())


def load_shipped(*, actor=None) -> list[LoadReport]:
    """The reference data the repository ships: the 7 NHS England regions, the 42 ICBs (their systems,
    placed in the Midlands' two sub-regions where they are Midlands ICBs) and the Midlands' trusts."""
    placements = read_placements((REFERENCE_DIR / "sub_regions.csv").read_bytes())
    types = read_types((REFERENCE_DIR / "organisation_types.csv").read_bytes())
    reports = []
    for kind, filename in (
        (Kind.REGIONS, "regions.csv"),
        (Kind.ICBS, "icbs.csv"),
        (Kind.TRUSTS, "midlands_trusts.csv"),
    ):
        records = list(read_ods((REFERENCE_DIR / filename).read_bytes()))
        reports.append(
            reference_load(
                kind=kind, records=records, actor=actor, placements=placements, types=types, source=filename
            )
        )
    return reports
