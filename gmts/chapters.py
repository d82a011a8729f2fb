"""The scheme's chapter of the Year in Review, "Graduate Management Training Scheme", with its CSV
tables, charts and dashboard context. Registered from `GmtsConfig.ready()` (see academy/chapters.py);
the figures come from `gmts/figures.py`."""

from __future__ import annotations

from academy.chapters import Chapter, Figure, Table, register
from academy.charts import Chart, breakdown_chart
from academy.scope import Scope
from academy.suppression import Breakdown
from gmts.figures import gmts_chapter

ORDER = 220


def charts(scope: Scope) -> dict[str, Chart]:
    def draw(scope: Scope) -> dict[str, Chart]:
        figures = gmts_chapter(scope)
        return {
            "by_system": breakdown_chart("gmts_by_system", figures["by_system"]),
            "by_type": breakdown_chart("gmts_by_type", figures["by_type"]),
        }

    return scope.shared("gmts.charts", draw)


def chapter_figures(scope: Scope) -> dict:
    return {**gmts_chapter(scope), "charts": charts(scope), "scope": scope}


def headline(scope: Scope) -> list[Figure]:
    return [Figure(f"{gmts_chapter(scope)['supported']:,}", "GMTS trainees supported")]


def figures_rows(scope: Scope) -> list[list]:
    figures = gmts_chapter(scope)
    rows = [["Figure", "Value"], ["Trainees supported in the period", figures["supported"]]]
    rows += [[f"New trainees, {label} intake", count] for label, count in figures["new_per_intake"]]
    if figures["confirmed"] is not None:
        rows.append(["Confirmed placements", figures["confirmed"].sentence])
    return rows


def breakdown_rows(key: str, heading: str):
    def rows(scope: Scope) -> list[list[str]]:
        breakdown: Breakdown = gmts_chapter(scope)[key]
        return [[heading, "Count", "Share"], *breakdown.rows()]

    return rows


def dashboard(scope: Scope) -> dict:
    return {"gmts": chapter_figures(scope)}


def register_chapters() -> None:
    register(
        Chapter(
            "gmts",
            "Graduate Management Training Scheme",
            "gmts/report/gmts.html",
            figures=chapter_figures,
            order=ORDER,
            introduction=True,
            tables=(
                Table("gmts", "Graduate Management Training Scheme", figures_rows),
                Table(
                    "gmts-by-system",
                    "Current GMTS trainees by STP area",
                    breakdown_rows("by_system", "System"),
                ),
                Table(
                    "gmts-by-type",
                    "Current GMTS trainees by organisation type",
                    breakdown_rows("by_type", "Organisation type"),
                ),
            ),
            headline=headline,
            dashboard=dashboard,
        )
    )
