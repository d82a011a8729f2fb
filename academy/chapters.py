"""The chapters of the Year in Review. Each app registers its own from its `AppConfig.ready()`, as it
registers its navigation entries, so that `academy` and `reporting` never import a domain app:

    from academy import chapters
    chapters.register(chapters.Chapter("talent", "Talent pool", "talent/report/talent.html",
                                       figures=talent_figures, order=210, introduction=True))

A chapter is one template (Django template engine, rendered into the PDF) plus one figures function
that takes the report's `academy.scope.Scope` (period, region, optional system) and returns the
template's context as `data`. Optional: CSV tables for the dashboard's downloads, the headline
figures it adds to the executive summary, and the context it adds to the dashboard page.

`reporting` renders every registered chapter in `order` for the PDF, offers an introduction for each
chapter with `introduction=True` on the edition form, lists those with `in_contents=True` on the
contents page, and offers every chapter's tables as CSV. Orders in use: welcome 10, executive
summary 20, reach and impact 100, the People Plan themes 110–140, coaching and mentoring 200,
HCLM 360 300, stakeholder voices 800, looking ahead 900 (talent and GMTS: 210 and 220).
See docs/adr/0001-year-in-review-chapters.md."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from academy.scope import Scope


@dataclass(frozen=True)
class Table:
    """One CSV download: its key in the URL, its title on the dashboard, and its rows (header first),
    built from the published (suppressed) figures, never from raw counts."""

    key: str
    title: str
    rows: Callable[[Scope], list[list]]


@dataclass(frozen=True)
class Figure:
    """A headline figure for the executive summary: its value as shown, and what it counts."""

    value: str
    label: str


@dataclass(frozen=True)
class Chapter:
    key: str
    title: str
    template: str
    figures: Callable[[Scope], dict] | None = None  # None: the chapter is narrative only
    order: int = 500
    introduction: bool = False  # leads may write an introduction for it in the edition
    in_contents: bool = True
    tables: tuple[Table, ...] = ()
    headline: Callable[[Scope], list[Figure]] | None = None  # shown in the executive summary
    dashboard: Callable[[Scope], dict] | None = None  # context the lead's dashboard page reads


_chapters: dict[str, Chapter] = {}


def register(chapter: Chapter) -> None:
    """Add a chapter; registering a key again is a no-op (`ready()` may run more than once)."""
    _chapters.setdefault(chapter.key, chapter)


def unregister(key: str) -> None:
    _chapters.pop(key, None)


def chapters() -> list[Chapter]:
    """Every registered chapter, in the document's order."""
    return sorted(_chapters.values(), key=lambda c: (c.order, c.key))


def with_introductions() -> list[Chapter]:
    return [c for c in chapters() if c.introduction]


def tables() -> dict[str, tuple[Chapter, Table]]:
    """Every chapter's CSV tables by key, in the document's order."""
    return {table.key: (chapter, table) for chapter in chapters() for table in chapter.tables}
