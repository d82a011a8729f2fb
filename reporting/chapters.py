"""The Year in Review as rendered: every chapter registered in `academy.chapters`, in order.

Each domain app registers its own chapters from its `AppConfig.ready()` (programmes: reach and impact
and the People Plan themes; coaching: coaching and mentoring); reporting registers only its own: the
narrative chapters written in the edition (welcome, executive summary, looking ahead), HCLM 360 and
stakeholder voices. Nothing here names another app's chapter: the PDF, the edition form, the dashboard
and the CSV downloads all go through the registry. See docs/adr/0001-year-in-review-chapters.md."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from academy.chapters import Chapter, Figure, Table, chapters, register, with_introductions
from academy.figures_cache import cached_figures
from academy.scope import Scope
from reporting.models import Edition
from reporting.selectors import approved_quotes, hclm_table

__all__ = ["Chapter", "Report", "chapters", "register", "register_chapters", "with_introductions"]


@dataclass
class Report:
    """One render: the edition (narrative, quotes; None for the dashboard and CSVs) and its scope.
    Figures several chapters share are cached on the scope, so each is computed once per render."""

    edition: Edition | None
    scope: Scope
    _data: dict = field(default_factory=dict, init=False, repr=False)

    @classmethod
    def for_edition(cls, edition: Edition) -> Report:
        return cls(edition, Scope.for_edition(edition))

    @classmethod
    def for_scope(cls, scope: Scope) -> Report:
        """Figures only (the dashboard, CSV downloads): no narrative."""
        return cls(None, scope)

    def data(self, chapter: Chapter) -> dict:
        """The chapter template's `data`: its figures for the scope, and for reporting's own chapters
        what the edition says."""
        if chapter.key not in self._data:
            data = chapter.figures(self.scope) if chapter.figures else {}
            from_edition = EDITION_CONTEXT.get(chapter.key)
            if from_edition and self.edition is not None:
                data = {**data, **from_edition(self)}
            self._data[chapter.key] = data
        return self._data[chapter.key]

    def headline(self) -> list[Figure]:
        """Every chapter's headline figures, in the document's order (the executive summary's)."""
        return [
            figure for chapter in chapters() if chapter.headline for figure in chapter.headline(self.scope)
        ]

    def dashboard(self) -> dict:
        """The lead's dashboard page context that every chapter contributes. A finished year's is kept
        in the cache until the data changes (academy/figures_cache.py): it is a score of queries over
        every enrolment, and a complete year's figures change only when someone records something."""

        def compute() -> dict:
            context: dict = {}
            for chapter in chapters():
                if chapter.dashboard:
                    context.update(chapter.dashboard(self.scope))
            return context

        return cached_figures("dashboard", self.scope, compute, now=timezone.now())


# --- Reporting's own chapters ----------------------------------------------------------------------


def _narrative(name: str) -> Callable[[Report], dict]:
    def from_edition(report: Report) -> dict:
        return {"text": getattr(report.edition, name)}

    return from_edition


def executive_summary(report: Report) -> dict:
    return {"text": report.edition.executive_summary, "headline": report.headline()}


def voices(report: Report) -> dict:
    return {"quotes": approved_quotes(report.edition)}


# What each of reporting's chapters reads from the edition (domain apps' chapters read only the scope).
EDITION_CONTEXT: dict[str, Callable[[Report], dict]] = {
    "welcome": _narrative("welcome"),
    "executive_summary": executive_summary,
    "voices": voices,
    "looking_ahead": _narrative("looking_ahead"),
}


def hclm_rows(scope: Scope) -> list[list[str]]:
    table = hclm_table(scope)
    header = ["Count"]
    for column in table["columns"]:
        header += [f"{column} {table['year']}", f"{column} % change"]
    rows = [header]
    for row in table["rows"]:
        line = [row["label"]]
        for cell in row["cells"]:
            line += ["" if cell.value is None else str(cell.value), cell.change_display]
        rows.append(line)
    return rows


def hclm_dashboard(scope: Scope) -> dict:
    return {"hclm": hclm_table(scope)}


def _template(key: str) -> str:
    return f"reporting/report/{key}.html"


def register_chapters() -> None:
    """From `ReportingConfig.ready()`: the chapters reporting itself owns."""
    for chapter in (
        Chapter("welcome", "Welcome", _template("welcome"), order=10),
        Chapter("executive_summary", "Executive summary", _template("executive_summary"), order=20),
        Chapter(
            "hclm",
            "Healthcare Leadership Model 360",
            _template("hclm"),
            figures=hclm_table,
            order=300,
            introduction=True,
            tables=(Table("hclm", "HCLM 360", hclm_rows),),
            dashboard=hclm_dashboard,
        ),
        Chapter("voices", "Stakeholder voices", _template("voices"), order=800, introduction=True),
        Chapter("looking_ahead", "Our achievements and looking ahead", _template("looking_ahead"), order=900),
    ):
        register(chapter)
