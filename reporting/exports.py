"""CSV downloads of every table in the report, with the same suppression as the PDF and dashboard:
they are built from the same published (suppressed) figures, never from raw counts. Each chapter
brings its own tables (`academy.chapters.Table`); this module only writes them out."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from academy import chapters
from academy.downloads import csv_text
from reporting.chapters import Report


class _Tables(Mapping):
    """key → (title, rows(report)) for every registered chapter's tables, read from the registry
    when asked (apps register their chapters in `ready()`, after this module may be imported)."""

    def __getitem__(self, key: str) -> tuple[str, Callable[[Report], list[list]]]:
        _, table = chapters.tables()[key]
        return table.title, lambda report: table.rows(report.scope)

    def __iter__(self) -> Iterator[str]:
        return iter(chapters.tables())

    def __len__(self) -> int:
        return len(chapters.tables())


# The dashboard links to each; the download view looks the key up here.
TABLES: Mapping[str, tuple[str, Callable[[Report], list[list]]]] = _Tables()


def table_rows(key: str, report: Report) -> list[list]:
    _, build = TABLES[key]
    return build(report)


def table_csv(key: str, report: Report) -> str:
    """The table as CSV text by the portal's one CSV writer: UTF-8 with a byte-order mark, formula cells
    neutralised (labels come from the database)."""
    return csv_text(table_rows(key, report))
