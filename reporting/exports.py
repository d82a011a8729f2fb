"""CSV downloads of every table in the report, with the same suppression as the PDF and dashboard:
they are built from the same published (suppressed) breakdowns, never from raw counts."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from reporting import selectors
from reporting.chapters import Report
from reporting.suppression import Breakdown


def _breakdown(key: str) -> Callable[[Report], list[list[str]]]:
    def rows(report: Report) -> list[list[str]]:
        breakdown: Breakdown = report.reach[key]
        return [["Group", "Count", "Share"], *breakdown.rows()]

    return rows


def _headline(report: Report) -> list[list[str]]:
    h = report.reach["headline"]

    def pct(value):
        return "" if value is None else f"{value:.0%}"

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


def _themes(report: Report) -> list[list]:
    return [
        ["Theme", "Interventions", "Enrolments"],
        *[[theme, interventions, enrolments.display] for theme, interventions, enrolments in report.themes],
    ]


def _programmes(report: Report) -> list[list[str]]:
    rows = [["Code", "Programme", "Theme", "Interventions", "Enrolments", "Individuals", "Attendance rate"]]
    theme_labels = dict(selectors.Theme.choices)
    for row in selectors.programme_rows(report.scope):
        rate = "" if row.attendance_rate is None else f"{row.attendance_rate:.0%}"
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


def _hclm(report: Report) -> list[list[str]]:
    table = selectors.hclm_table(report.scope)
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


def _coaching(report: Report) -> list[list[str]]:
    figures = selectors.coaching_and_mentoring(report.scope)["figures"]
    return [
        ["Figure", "Value"],
        *[[k.replace("_", " ").capitalize(), str(v)] for k, v in figures.items() if k != "by_system"],
    ]


def _coaching_breakdown(key: str) -> Callable[[Report], list[list[str]]]:
    def rows(report: Report) -> list[list[str]]:
        breakdown: Breakdown = selectors.coaching_and_mentoring(report.scope)[key]
        return [["System", "Count", "Share"], *breakdown.rows()]

    return rows


# key: (title, builder). The dashboard links to each; the download view looks the key up here.
TABLES: dict[str, tuple[str, Callable[[Report], list[list]]]] = {
    "headline": ("Headline figures", _headline),
    "themes": ("Interventions by People Plan theme", _themes),
    "programmes": ("Programmes", _programmes),
    "staff-groups": ("Participants by staff group", _breakdown("staff_groups")),
    "genders": ("Participants by gender", _breakdown("genders")),
    "ethnic-groups": ("Participants by ethnic group", _breakdown("ethnic_groups")),
    "minority-ethnic": ("Minority ethnic participants", _breakdown("minority_ethnic")),
    "systems": ("Participants by system", _breakdown("systems")),
    "sub-regions": ("Participants by sub-region", _breakdown("sub_regions")),
    "coaching": ("Coaching and mentoring", _coaching),
    "coaches-by-system": ("Coaches on the register by system", _coaching_breakdown("coaches_by_system")),
    "mentors-by-system": ("Mentors on the register by system", _coaching_breakdown("mentors_by_system")),
    "hclm": ("HCLM 360", _hclm),
}


def table_csv(key: str, report: Report) -> str:
    _, build = TABLES[key]
    out = io.StringIO()
    writer = csv.writer(out)
    for row in build(report):
        # Neutralise spreadsheet formulas in text cells (labels come from the database).
        writer.writerow(
            [
                f"'{v}" if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") and not _is_number(v) else v
                for v in row
            ]
        )
    return out.getvalue()


def _is_number(value: str) -> bool:
    return value.rstrip("%").lstrip("+-").replace(",", "").replace(".", "", 1).isdigit()
