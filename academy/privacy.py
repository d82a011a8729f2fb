"""Privacy rights (UK GDPR): what each app holds about a person, registered from its `ready()` as
navigation entries and chapters are, so academy never imports a domain app:

    from academy import privacy
    privacy.register(privacy.Area("programmes", "Programmes", export=..., erase=..., files=...))

An area's `export(person)` gives its tables ({"enrolments.csv": [row, ...]}, or ".json" for one
record); `files(person)` the files held ([(name in the archive, open file)]); `erase(person)` removes
or replaces the person's own words and identifiers, keeping what the published figures count (a
rating, a status, an attendance); `retain(today)` deletes what the area keeps only for a time. The
services in academy.services (`person_export`, `person_erase`, `retention_apply`) run every area."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder

Rows = list[Mapping[str, Any]]


@dataclass(frozen=True)
class Area:
    key: str  # the app's label: the archive's folder
    label: str
    export: Callable[[Any], Mapping[str, Any]]
    erase: Callable[[Any], Mapping[str, int]] | None = None
    files: Callable[[Any], Iterable[tuple[str, IO[bytes]]]] | None = None
    retain: Callable[[Any], Mapping[str, int]] | None = None


_areas: dict[str, Area] = {}


def register(area: Area) -> None:
    """Add an app's area; registering again is a no-op (`ready()` may run twice)."""
    _areas.setdefault(area.key, area)


def areas() -> list[Area]:
    return list(_areas.values())


def csv_text(rows: Rows) -> str:
    """Rows as CSV, the header from every key seen; formula-like cells are neutralised for Excel."""
    header: list[str] = []
    for row in rows:
        header += [key for key in row if key not in header]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        value = json.dumps(value, cls=DjangoJSONEncoder)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


README = """Everything the NHS Leadership Academy portal holds about you, on {date}.

Each folder is one part of the portal. A .csv file is a table (it opens in a spreadsheet); a .json
file is one record. The files folder holds the certificates you uploaded.

The privacy notice ({privacy_url}) says why we hold this, for how long and who sees it.
"""


def archive(tables: Mapping[str, Any], files: Iterable[tuple[str, IO[bytes]]], readme: str) -> bytes:
    """One zip: README.txt, each table as CSV (a list of rows) or JSON (a record), and the files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("README.txt", readme)
        for name, content in tables.items():
            if name.endswith(".csv"):
                zipped.writestr(name, csv_text(content))
            else:
                zipped.writestr(
                    name, json.dumps(content, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
                )
        for name, handle in files:
            with handle:
                zipped.writestr(name, handle.read())
    return buffer.getvalue()
