"""Charts drawn on the server as SVG by pygal: the same object is placed in the dashboard and in the PDF.

Each chart carries a title and a text alternative: the SVG gets <title> and <desc> (and is labelled
by them), and templates put a visually-hidden table of the same published (suppressed) figures
beside it. Charts only ever draw published values: a hidden (*) count is left out and named in the
description, so a chart cannot reveal what the table hides."""

from __future__ import annotations

import base64
import re
import uuid
from dataclasses import dataclass, field

import pygal
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

from academy.suppression import Breakdown, Cell

NHS_BLUE = "#005eb8"
NHS_DARK_BLUE = "#003087"
NHS_PALETTE = (NHS_BLUE, "#41b6e6", NHS_DARK_BLUE, "#768692", "#009639", "#ffb81c", "#7c2855", "#330072")

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#212b32",
    foreground_strong="#212b32",
    foreground_subtle="#d8dde0",
    colors=NHS_PALETTE,
    font_family="Arial, Helvetica, sans-serif",
    title_font_size=0,  # the title is the heading beside the chart and the SVG's <title>
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=13,
    legend_font_size=13,
    opacity="1",
    opacity_hover=".85",
    guide_stroke_color="#d8dde0",
    major_guide_stroke_color="#d8dde0",
)


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    description: str
    svg: SafeString
    table_rows: list[list[str]] = field(default_factory=list)
    table_headings: tuple[str, ...] = ("Group", "Count", "Share")
    # The address of a chart served by a view of its own (drawn when the browser asks for it, and kept
    # there), for a page that shows it without drawing it; `svg` is then empty.
    address: str = ""

    @property
    def src(self) -> str:
        """The image's address on a page: its own, or the drawing itself as a data URI."""
        return self.address or self.data_uri

    @property
    def data_uri(self) -> str:
        """The SVG as an image address for pages: inside an <img> its own <style> applies and its
        script never runs, so the page's Content-Security-Policy needs no inline style or script."""
        return "data:image/svg+xml;base64," + base64.b64encode(str(self.svg).encode()).decode()


def _finish(svg: str, *, title: str, description: str) -> SafeString:
    """Give the SVG its text alternative and drop what changes from run to run (ids, date comments)."""
    chart_id = f"chart-{uuid.uuid5(uuid.NAMESPACE_URL, title).hex[:12]}"
    svg = re.sub(r"chart-[0-9a-f-]{36}", chart_id, svg)
    svg = re.sub(r"<!--.*?-->", "", svg)
    svg = svg.replace(
        'class="pygal-chart"',
        f'class="pygal-chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc"',
        1,
    )
    head_end = svg.index(">") + 1
    alternative = f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
    return mark_safe(svg[:head_end] + alternative + svg[head_end:])  # noqa: S308 (pygal output, escaped text)


def _ticks(maximum: int) -> list[int]:
    """Whole-number axis ticks (people are not counted in fractions): about five, at a round step."""
    step = 1
    for candidate in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000):
        step = candidate
        if maximum / candidate <= 6:
            break
    return list(range(0, max(maximum, 1) + step, step))


def _render(chart: pygal.graph.graph.Graph) -> str:
    return chart.render(is_unicode=True, disable_xml_declaration=True)


def _horizontal_bar(height: int, *, stacked: bool = False) -> pygal.HorizontalBar:
    """Every chart of the report: one bar per group, no legend (a stacked chart has one, below it),
    numbers in the table beside it."""
    return (pygal.HorizontalStackedBar if stacked else pygal.HorizontalBar)(
        style=STYLE,
        width=760,
        height=height,
        show_legend=stacked,
        legend_at_bottom=True,
        print_values=False,  # the table beside each chart gives the numbers
        value_formatter=lambda v: f"{v:,.0f}",
        js=[],
        margin=10,
        spacing=6,
        truncate_label=-1,
        show_y_guides=False,
        explicit_size=True,
    )


def _describe(breakdown: Breakdown, shown: list, hidden: list) -> str:
    parts = [f"{c.label}: {c.display} ({c.share_display})" for c in shown]
    text = f"{breakdown.title}. " + "; ".join(parts) + f". Total: {breakdown.total.display}."
    if hidden:
        text += " Hidden to protect privacy: " + ", ".join(c.label for c in hidden) + "."
    return text


def breakdown_chart(key: str, breakdown: Breakdown, *, skip_zero: bool = True, height: int = 0) -> Chart:
    """A horizontal bar chart of a published breakdown, largest first."""
    shown = [c for c in breakdown.cells if c.value is not None and (c.value or not skip_zero)]
    hidden = [c for c in breakdown.cells if c.value is None]
    shown.sort(key=lambda c: c.value or 0)
    chart = _horizontal_bar(height or max(160, 60 + 34 * len(shown)))
    chart.x_labels = [c.label for c in shown]
    chart.y_labels = _ticks(max([c.value or 0 for c in shown], default=0))
    chart.add(breakdown.title, [c.value for c in shown])
    svg = _finish(
        _render(chart), title=breakdown.title, description=_describe(breakdown, shown[::-1], hidden)
    )
    return Chart(key, breakdown.title, _describe(breakdown, shown[::-1], hidden), svg, breakdown.rows())


def theme_chart(rows: list[tuple[str, int, Cell]]) -> Chart:
    """Interventions and enrolments by People Plan theme: rows of (theme, interventions, enrolments)."""
    title = "Interventions delivered by People Plan theme"
    chart = _horizontal_bar(60 + 40 * len(rows))
    rows = rows[::-1]  # pygal draws the first label at the bottom: keep the People Plan's order top-down
    chart.x_labels = [theme for theme, _, _ in rows]
    chart.y_labels = _ticks(max([n for _, n, _ in rows], default=0))
    chart.add("Interventions delivered", [n for _, n, _ in rows])
    rows = rows[::-1]
    description = f"{title}. " + "; ".join(f"{theme}: {n:,} interventions" for theme, n, _ in rows) + "."
    table = [[theme, f"{n:,}", e.display] for theme, n, e in rows]  # e: a published Cell
    return Chart(
        "themes",
        title,
        description,
        _finish(_render(chart), title=title, description=description),
        table,
        ("Theme", "Interventions", "Enrolments"),
    )


def stacked_description(title: str, row_labels: list[str], series: list[tuple[str, list[int | None]]]) -> str:
    """A stacked chart's text alternative: every row's values by series, and which are hidden."""
    hidden = [
        f"{row_labels[i]} ({name})" for name, values in series for i, v in enumerate(values) if v is None
    ]
    parts = [
        f"{label}: "
        + ", ".join(f"{name} {values[i] if values[i] is not None else '*'}" for name, values in series)
        for i, label in enumerate(row_labels)
    ]
    description = f"{title}. " + "; ".join(parts) + "."
    if hidden:
        description += " Hidden to protect privacy: " + ", ".join(hidden) + "."
    return description


def stacked_chart(
    key: str,
    title: str,
    *,
    row_labels: list[str],
    series: list[tuple[str, list[int | None]]],
    table_headings: tuple[str, ...],
    table_rows: list[list[str]],
) -> Chart:
    """One stacked bar per row (e.g. a professional group), one colour per series (e.g. readiness),
    with a legend; hidden (None) values are drawn as nothing and named in the description."""
    chart = _horizontal_bar(max(200, 110 + 34 * len(row_labels)), stacked=True)
    labels = row_labels[::-1]  # pygal draws the first label at the bottom
    chart.x_labels = labels
    totals = [sum(values[i] or 0 for _, values in series) for i in range(len(row_labels))]
    chart.y_labels = _ticks(max(totals, default=0))
    for name, values in series:
        chart.add(name, values[::-1])
    description = stacked_description(title, row_labels, series)
    svg = _finish(_render(chart), title=title, description=description)
    return Chart(key, title, description, svg, table_rows, table_headings)
