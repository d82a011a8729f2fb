"""The programmes app's chapters of the Year in Review: reach and impact, then one chapter per People
Plan theme, with their CSV tables, charts, headline figures and dashboard context. Registered from
`ProgrammesConfig.ready()` (see academy/chapters.py); the figures come from `programmes/figures.py`."""

from __future__ import annotations

from academy.chapters import Chapter, Figure, Table, register
from academy.charts import Chart, breakdown_chart, theme_chart
from academy.scope import Scope
from academy.suppression import Breakdown, Cell, percent
from programmes.figures import programme_rows, reach_and_impact, theme_chapter
from programmes.models import Theme

REACH_ORDER = 100
THEME_ORDER = 110  # then one step of 10 per theme, in the People Plan's order


def theme_rows(scope: Scope) -> list[tuple[str, int, Cell]]:
    """(theme, interventions, published enrolments) for every theme, in the People Plan's order."""
    rows = []
    for theme in Theme:
        chapter = theme_chapter(scope, theme)
        rows.append((theme.label, chapter["interventions"], chapter["enrolments"]))
    return rows


def reach_charts(scope: Scope) -> dict[str, Chart]:
    """Every chart of the reach and impact chapter (and the dashboard), by key: drawn once per scope."""

    def draw(scope: Scope) -> dict[str, Chart]:
        reach = reach_and_impact(scope)
        return {
            "themes": theme_chart(theme_rows(scope)),
            "staff_groups": breakdown_chart("staff_groups", reach["staff_groups"]),
            "genders": breakdown_chart("genders", reach["genders"]),
            "ethnic_groups": breakdown_chart("ethnic_groups", reach["ethnic_groups"]),
            "systems": breakdown_chart("systems", reach["systems"], skip_zero=False),
        }

    return scope.shared("programmes.charts", draw)


def reach_chapter(scope: Scope) -> dict:
    return {**reach_and_impact(scope), "charts": reach_charts(scope), "scope": scope}


def headline_figures(scope: Scope) -> list[Figure]:
    headline = reach_and_impact(scope)["headline"]
    return [
        Figure(f"{headline.interventions:,}", "interventions delivered"),
        Figure(headline.enrolments.display, "enrolments"),
        Figure(percent(headline.attendance_rate), "attendance on the day"),
    ]


def dashboard(scope: Scope) -> dict:
    return {
        "reach": reach_and_impact(scope),
        "charts": reach_charts(scope),
        "programmes": programme_rows(scope),
    }


# --- CSV tables ------------------------------------------------------------------------------------


def headline_rows(scope: Scope) -> list[list[str]]:
    h = reach_and_impact(scope)["headline"]

    def pct(value):
        return "" if value is None else percent(value)

    return [
        ["Figure", "Value"],
        ["Interventions delivered", str(h.interventions)],
        ["Enrolments", h.enrolments.display],
        ["Individuals", h.individuals.display],
        ["Attendance rate", pct(h.attendance_rate)],
        ["Administrative and clerical (share of participants)", pct(h.administrative_share)],
        ["Medical and dental (share of participants)", pct(h.medical_share)],
        ["Nurses, midwives and AHPs (share of participants)", pct(h.nursing_ahp_share)],
        ["Female (share of participants)", pct(h.female_share)],
        ["Minority ethnic (share of those who stated their ethnicity)", pct(h.minority_ethnic_share)],
    ]


def themes_rows(scope: Scope) -> list[list]:
    return [
        ["Theme", "Interventions", "Enrolments"],
        *[
            [theme, interventions, enrolments.display]
            for theme, interventions, enrolments in theme_rows(scope)
        ],
    ]


def programmes_rows(scope: Scope) -> list[list]:
    rows = [["Code", "Programme", "Theme", "Interventions", "Enrolments", "Individuals", "Attendance rate"]]
    theme_labels = dict(Theme.choices)
    for row in programme_rows(scope):
        rate = "" if row.attendance_rate is None else percent(row.attendance_rate)
        rows.append(
            [
                row.code,
                row.title,
                theme_labels.get(row.theme, row.theme),
                row.interventions,
                row.enrolments.display,
                row.individuals.display,
                rate,
            ]
        )
    return rows


def breakdown_rows(key: str):
    def rows(scope: Scope) -> list[list[str]]:
        breakdown: Breakdown = reach_and_impact(scope)[key]
        return [["Group", "Count", "Share"], *breakdown.rows()]

    return rows


TABLES = (
    Table("headline", "Headline figures", headline_rows),
    Table("themes", "Interventions by People Plan theme", themes_rows),
    Table("programmes", "Programmes", programmes_rows),
    Table("staff-groups", "Participants by staff group", breakdown_rows("staff_groups")),
    Table("genders", "Participants by gender", breakdown_rows("genders")),
    Table("ethnic-groups", "Participants by ethnic group", breakdown_rows("ethnic_groups")),
    Table("minority-ethnic", "Minority ethnic participants", breakdown_rows("minority_ethnic")),
    Table("systems", "Participants by system", breakdown_rows("systems")),
    Table("sub-regions", "Participants by sub-region", breakdown_rows("sub_regions")),
)


def theme_figures(theme: Theme):
    def figures(scope: Scope) -> dict:
        return theme_chapter(scope, theme)

    figures.__name__ = f"theme_{theme.value}"
    return figures


def register_chapters() -> None:
    register(
        Chapter(
            "reach",
            "Reach and impact",
            "programmes/report/reach.html",
            figures=reach_chapter,
            order=REACH_ORDER,
            introduction=True,
            tables=TABLES,
            headline=headline_figures,
            dashboard=dashboard,
        )
    )
    for step, theme in enumerate(Theme):  # the People Plan's order
        register(
            Chapter(
                theme.value,
                theme.label,
                "programmes/report/theme.html",
                figures=theme_figures(theme),
                order=THEME_ORDER + 10 * step,
                introduction=True,
            )
        )
