"""The coaching app's chapter of the Year in Review, with its CSV tables and dashboard context.
Registered from `CoachingConfig.ready()` (see academy/chapters.py); the figures come from
`coaching/figures.py`."""

from __future__ import annotations

from academy.chapters import Chapter, Table, register
from academy.scope import Scope
from academy.suppression import Breakdown
from coaching.figures import coaching_chapter

ORDER = 200


def figures_rows(scope: Scope) -> list[list[str]]:
    figures = coaching_chapter(scope)["figures"]
    return [
        ["Figure", "Value"],
        *[[k.replace("_", " ").capitalize(), str(v)] for k, v in figures.items() if k != "by_system"],
    ]


def by_system_rows(key: str):
    def rows(scope: Scope) -> list[list[str]]:
        breakdown: Breakdown = coaching_chapter(scope)[key]
        return [["System", "Count", "Share"], *breakdown.rows()]

    return rows


def dashboard(scope: Scope) -> dict:
    return {"coaching": coaching_chapter(scope)}


def register_chapters() -> None:
    register(
        Chapter(
            "coaching",
            "Coaching and mentoring",
            "coaching/report/coaching.html",
            figures=coaching_chapter,
            order=ORDER,
            introduction=True,
            tables=(
                Table("coaching", "Coaching and mentoring", figures_rows),
                Table(
                    "coaches-by-system",
                    "Coaches on the register by system",
                    by_system_rows("coaches_by_system"),
                ),
                Table(
                    "mentors-by-system",
                    "Mentors on the register by system",
                    by_system_rows("mentors_by_system"),
                ),
            ),
            dashboard=dashboard,
        )
    )
