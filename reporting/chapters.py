"""The chapters of the Year in Review, in order. A chapter is ONE template plus ONE selector function:
to add one (talent pool readiness, GMTS), write `reporting/report/<key>.html` and a function that takes
the `Report` and returns the template's context, then `register(Chapter(...), after="...")`.

The PDF renders every chapter in this list; the edition form offers an introduction for each chapter
with `introduction=True`; the contents page lists those with `in_contents=True`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from programmes.models import Theme
from reporting import selectors
from reporting.charts import reach_charts
from reporting.models import Edition
from reporting.selectors import Scope
from reporting.suppression import Cell


@dataclass
class Report:
    """What every chapter selector receives: the edition (narrative, quotes) and its scope. Heavy
    figures are cached on the scope, so each is computed once per render."""

    edition: Edition | None
    scope: Scope

    @classmethod
    def for_edition(cls, edition: Edition) -> Report:
        return cls(edition, Scope.for_edition(edition))

    @classmethod
    def for_scope(cls, scope: Scope) -> Report:
        """Figures only (the dashboard, CSV downloads): no narrative."""
        return cls(None, scope)

    @cached_property
    def reach(self) -> dict:
        return selectors.reach_and_impact(self.scope)

    @cached_property
    def themes(self) -> list[tuple[str, int, Cell]]:
        rows = []
        for theme in Theme:
            chapter = selectors.theme_chapter(self.scope, theme)
            rows.append((theme.label, chapter["interventions"], chapter["enrolments"]))
        return rows

    @cached_property
    def charts(self) -> dict:
        return reach_charts(self.reach, self.themes)


@dataclass(frozen=True)
class Chapter:
    key: str
    title: str
    selector: Callable[[Report], dict]
    introduction: bool = False  # leads may write an introduction for it in the edition
    in_contents: bool = True

    @property
    def template(self) -> str:
        return f"reporting/report/{self.key}.html"


def _narrative(field: str) -> Callable[[Report], dict]:
    def selector(report: Report) -> dict:
        return {"text": getattr(report.edition, field)}

    return selector


def executive_summary(report: Report) -> dict:
    return {"text": report.edition.executive_summary, "headline": report.reach["headline"]}


def reach_and_impact(report: Report) -> dict:
    return {**report.reach, "charts": report.charts, "scope": report.scope}


def _theme(theme: Theme) -> Callable[[Report], dict]:
    def selector(report: Report) -> dict:
        return selectors.theme_chapter(report.scope, theme)

    selector.__name__ = f"theme_{theme.value}"
    return selector


def coaching(report: Report) -> dict:
    return selectors.coaching_and_mentoring(report.scope)


def hclm(report: Report) -> dict:
    return selectors.hclm_table(report.scope)


def voices(report: Report) -> dict:
    return {"quotes": selectors.approved_quotes(report.edition)}


CHAPTERS: list[Chapter] = [
    Chapter("welcome", "Welcome", _narrative("welcome")),
    Chapter("executive_summary", "Executive summary", executive_summary),
    Chapter("reach", "Reach and impact", reach_and_impact, introduction=True),
    *[
        Chapter(theme.value, theme.label, _theme(theme), introduction=True)
        for theme in Theme  # the People Plan's order
    ],
    Chapter("coaching", "Coaching and mentoring", coaching, introduction=True),
    Chapter("hclm", "Healthcare Leadership Model 360", hclm, introduction=True),
    Chapter("voices", "Stakeholder voices", voices, introduction=True),
    Chapter("looking_ahead", "Our achievements and looking ahead", _narrative("looking_ahead")),
]


def register(chapter: Chapter, *, after: str | None = None) -> None:
    """Add a chapter (e.g. from another app's `ready()`), after the chapter keyed `after` or at the end
    before "looking ahead". Registering the same key twice is a no-op."""
    if any(c.key == chapter.key for c in CHAPTERS):
        return
    keys = [c.key for c in CHAPTERS]
    position = keys.index(after) + 1 if after in keys else keys.index("looking_ahead")
    CHAPTERS.insert(position, chapter)


def with_introductions() -> list[Chapter]:
    return [c for c in CHAPTERS if c.introduction]
