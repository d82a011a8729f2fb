"""A page of a list and its total in one statement.

Django's paginator counts the list (`SELECT COUNT(*)`) and then reads the page: two round trips on
every list page. `page_with_total` reads the page with the total as an uncorrelated scalar subquery
over the list's narrow form (its primary keys, unordered: PostgreSQL flattens it and evaluates it
once, without the page's display subqueries), so a page costs one statement. Past the last page it
falls back to the paginator, which shows the last page as `get_page` always has."""

from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from academy.prepared import Prepared

TOTAL = "paging_total"


def page_with_total(queryset: QuerySet, number, per_page: int) -> Page:
    """`Paginator(queryset, per_page).get_page(number)`, in one query while the page has rows."""
    wanted = _page_number(number)
    bottom = (wanted - 1) * per_page
    rows = list(_with_total(queryset)[bottom : bottom + per_page])
    return _page(rows, wanted, per_page, number, lambda: queryset)


class PreparedPages:
    """`page_with_total` for a list whose queryset is built from named values: the statement (the page
    and its total) is built and compiled once per process (ADR 0005), e.g.
    `PreparedPages(lambda region: Programme.objects.filter(region_id=region).order_by("code"), region=int)`
    and then `.page(request.GET.get("page"), 50, region=region.pk)`."""

    def __init__(self, build: Callable[..., QuerySet], **kinds: type) -> None:
        self._build = build
        self._prepared = Prepared(lambda **values: _with_total(build(**values)), **kinds)

    def page(self, number, per_page: int, **values) -> Page:
        wanted = _page_number(number)
        rows = self._prepared.objects(window=(per_page, (wanted - 1) * per_page), **values)
        return _page(rows, wanted, per_page, number, lambda: self._build(**values))


def _page_number(number) -> int:
    try:
        return max(int(number), 1)
    except (TypeError, ValueError):
        return 1


def _with_total(queryset: QuerySet) -> QuerySet:
    narrow = queryset.order_by().values("pk")
    sql, params = narrow.query.get_compiler(queryset.db).as_sql()
    return queryset.annotate(**{TOTAL: RawSQL(f"SELECT COUNT(*) FROM ({sql}) AS counted", params)})


def _page(rows: list, wanted: int, per_page: int, number, queryset: Callable[[], QuerySet]) -> Page:
    """The page read with its total; past the last page (or with no rows), the paginator's own page."""
    if not rows:
        return Paginator(queryset(), per_page).get_page(number)
    paginator = Paginator(rows, per_page)
    paginator.count = getattr(rows[0], TOTAL)  # cached_property: what count() would have read
    return Page(rows, wanted, paginator)
