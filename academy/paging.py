"""A page of a list and its total in one statement.

Django's paginator counts the list (`SELECT COUNT(*)`) and then reads the page: two round trips on
every list page. `page_with_total` reads the page with the total as an uncorrelated scalar subquery
over the list's narrow form (its primary keys, unordered: PostgreSQL flattens it and evaluates it
once, without the page's display subqueries), so a page costs one statement. Past the last page it
falls back to the paginator, which shows the last page as `get_page` always has."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

TOTAL = "paging_total"


def page_with_total(queryset: QuerySet, number, per_page: int) -> Page:
    """`Paginator(queryset, per_page).get_page(number)`, in one query while the page has rows."""
    paginator = Paginator(queryset, per_page)
    try:
        wanted = max(int(number), 1)
    except (TypeError, ValueError):
        wanted = 1
    narrow = queryset.order_by().values("pk")
    sql, params = narrow.query.get_compiler(queryset.db).as_sql()
    bottom = (wanted - 1) * per_page
    rows = list(
        queryset.annotate(**{TOTAL: RawSQL(f"SELECT COUNT(*) FROM ({sql}) AS counted", params)})[
            bottom : bottom + per_page
        ]
    )
    if not rows:
        return paginator.get_page(number)
    paginator.count = getattr(rows[0], TOTAL)  # cached_property: what count() would have read
    return Page(rows, wanted, paginator)
