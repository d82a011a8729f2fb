"""The talent app's chapter of the Year in Review, "Talent management": the pool by readiness and
the three readiness charts of the 2020/21 review, movements and appointments from the pool, the
Executive Talent Scheme's placements and the equity funnel. Registered from `TalentConfig.ready()`
(see academy/chapters.py); the figures come from `talent/figures.py`."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from django.utils.safestring import mark_safe

from academy.chapters import Chapter, Figure, Table, register
from academy.charts import Chart, stacked_chart, stacked_description
from academy.scope import Scope
from talent.figures import ReadinessTable, funnel_rows, talent_chapter

ORDER = 210


def readiness_chart(table: ReadinessTable) -> Chart:
    """The table's stacked chart, drawn. Drawing is the slowest part of serving a chart (the dashboard's
    three each at their address, `talent.views.chart`, and the PDF's), so each drawing is kept (per
    process, the last 64) by what it shows: the same published figures draw the same chart."""
    return _readiness_chart(
        table.key, table.title, tuple(table.row_labels), tuple(tuple(row) for row in table.grid)
    )


@lru_cache(maxsize=64)
def _readiness_chart(key: str, title: str, row_labels: tuple, grid: tuple) -> Chart:
    table = ReadinessTable(key, title, list(row_labels), [list(row) for row in grid])
    return stacked_chart(
        table.key,
        table.title,
        row_labels=table.row_labels,
        series=table.series(),
        table_headings=table.headings,
        table_rows=table.rows(),
    )


def readiness_chart_at(table: ReadinessTable, address: str) -> Chart:
    """The table's chart as a page shows it without drawing it: its title, text alternative and table,
    and `address`, the view that serves the drawing, with a digest of what it shows added as `v`, so
    that a browser keeps each drawing and asks again only when the published figures change."""
    description = stacked_description(table.title, table.row_labels, table.series())
    return Chart(
        table.key,
        table.title,
        description,
        mark_safe(""),  # noqa: S308 (nothing drawn)
        table.rows(),
        table.headings,
        address=f"{address}{'&' if '?' in address else '?'}v={chart_digest(table)}",
    )


def chart_digest(table: ReadinessTable) -> str:
    """What a readiness chart shows, in 16 characters."""
    return hashlib.blake2b(repr((table.row_labels, table.grid)).encode(), digest_size=8).hexdigest()


# The dashboard's three charts: the key of each in its address, and the table it draws.
CHART_TABLES = {
    "professional_group": "by_professional_group",
    "system": "by_system",
    "service_type": "by_service_type",
}


def talent_charts(scope: Scope) -> dict[str, Chart]:
    """The three readiness charts of the 2020/21 review (the pool by readiness is shown as figures)."""

    def draw(scope: Scope) -> dict[str, Chart]:
        pool = talent_chapter(scope)["pool"]
        return {key: readiness_chart(pool[table]) for key, table in CHART_TABLES.items()}

    return scope.shared("talent.charts", draw)


def chapter_context(scope: Scope) -> dict:
    return {**talent_chapter(scope), "charts": talent_charts(scope)}


def readiness_rows(key: str):
    def rows(scope: Scope) -> list[list[str]]:
        table: ReadinessTable = talent_chapter(scope)["pool"][key]
        return [list(table.headings), *table.rows()]

    return rows


def movement_rows(scope: Scope) -> list[list[str]]:
    movements = talent_chapter(scope)["movements"]
    return [
        ["Figure", "Value"],
        *[[key.replace("_", " ").capitalize(), cell.display] for key, cell in movements.items()],
    ]


def equity_rows(scope: Scope) -> list[list[str]]:
    return funnel_rows(talent_chapter(scope)["funnel"])


def headline(scope: Scope) -> list[Figure]:
    pool = talent_chapter(scope)["pool"]["by_readiness"]
    return [Figure(pool.total.display, "aspirant directors in the talent pool")]


def register_chapters() -> None:
    register(
        Chapter(
            "talent",
            "Talent management",
            "talent/report/talent.html",
            figures=chapter_context,
            order=ORDER,
            introduction=True,
            tables=(
                Table(
                    "talent-readiness-by-professional-group",
                    "Talent pool readiness by professional group",
                    readiness_rows("by_professional_group"),
                ),
                Table(
                    "talent-readiness-by-system", "Talent pool readiness by ICS", readiness_rows("by_system")
                ),
                Table(
                    "talent-readiness-by-service-type",
                    "Talent pool readiness by service type",
                    readiness_rows("by_service_type"),
                ),
                Table("talent-movements", "Career movements and placements", movement_rows),
                Table("talent-equity-funnel", "The talent pool's equity funnel", equity_rows),
            ),
            headline=headline,
            # No `dashboard`: the talent lead's own dashboard (talent:dashboard) shows these figures.
        )
    )
