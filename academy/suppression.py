"""Small-number suppression: the one function every published count of people by an equality
characteristic or by a small area goes through (the PDF, the dashboard and the CSV exports alike).

The rules, as NHS statistical disclosure control usually applies them:

* a count of 1 to 7 is shown as ``*`` (primary suppression); 0 is shown, since it identifies no one;
* every other count is rounded to the nearest 5 (totals included, each rounded on its own, so the
  rounded cells need not add up to the rounded total);
* secondary suppression: in every line that adds up (a row with its total, a column with its total)
  no hidden value may be the only hidden one, or it could be worked out by subtraction from the
  total. When exactly one entry of a line is hidden, the next smallest visible entry of that line is
  hidden as well. In a one-way table (`suppress_counts`) one step makes the line safe; in a two-way
  table (`suppress_grid`, e.g. the talent pool by readiness and professional group) hiding a cell may
  expose a crossing line, so it repeats until every row and column is safe.

Shares (percentages) are worked out from the rounded values, never from the true counts, so that a
percentage cannot undo the rounding.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

SUPPRESSED = "*"
THRESHOLD = 7  # counts 1..THRESHOLD are hidden
ROUND_TO = 5
SUPPRESSION_NOTE = (  # printed under every suppressed table
    "To protect privacy, counts of 1 to 7 are shown as * and others are rounded to the nearest 5; "
    "further counts are hidden where a hidden one could be worked out from a total."
)


def round_count(count: int) -> int:
    """Round to the nearest 5 (a count never falls exactly between two multiples of 5)."""
    return int(ROUND_TO * round(count / ROUND_TO))


def is_primary(count: int) -> bool:
    return 1 <= count <= THRESHOLD


@dataclass(frozen=True)
class Cell:
    """One published count: `value` is the rounded count, or None when hidden."""

    key: Hashable
    label: str
    value: int | None
    share: float | None = None  # value / rounded total, 0..1; None when hidden or no total

    @property
    def suppressed(self) -> bool:
        return self.value is None

    @property
    def display(self) -> str:
        return SUPPRESSED if self.value is None else f"{self.value:,}"

    @property
    def share_display(self) -> str:
        if self.share is None:
            return SUPPRESSED if self.value is None else ""
        return f"{self.share:.0%}"


@dataclass(frozen=True)
class Breakdown:
    """A one-way table (e.g. participants by staff group) with its total, ready to publish."""

    title: str
    cells: list[Cell]
    total: Cell
    note: str = ""

    def rows(self) -> list[list[str]]:
        """Label, count, share: the table as strings, for CSV and the visually-hidden chart table."""
        return [[c.label, c.display, c.share_display] for c in [*self.cells, self.total]]


def _secondary(values: list[int], hidden: list[bool]) -> None:
    """Secondary suppression of one line (its cells, then its total): when exactly one entry is hidden,
    hide one more, so that it cannot be worked out by subtraction. Mutates `hidden`.

    The lone hidden entry is always a cell (a total of 1 to 7 is made of cells of 1 to 7 and zeros) and,
    the total being shown, at least one other cell is above zero: the smallest of those is hidden (a
    hidden zero would be no protection, since a zero is public knowledge). Two hidden entries are safe,
    so one step is enough."""
    if hidden.count(True) != 1:
        return
    visible = [i for i in range(len(values) - 1) if not hidden[i]]
    hidden[min(visible, key=lambda i: (values[i] == 0, values[i]))] = True


def suppress_grid(grid: Sequence[Sequence[int]]) -> list[list[int | None]]:
    """Suppress a two-way table of counts. `grid` holds only the inner cells (rows × columns); the result
    has one more row and one more column: the row totals, the column totals and the grand total, each
    rounded or hidden under the same rules. Hidden entries are None."""
    n_rows = len(grid)
    n_cols = len(grid[0]) if n_rows else 0
    matrix = [[*row, sum(row)] for row in grid]
    matrix.append([sum(grid[r][c] for r in range(n_rows)) for c in range(n_cols)] + [0])
    matrix[-1][-1] = sum(matrix[-1][:-1])
    hidden = [[is_primary(v) for v in row] for row in matrix]
    # Every row (cells then its total) and every column (cells then its total) must add up.
    lines = [[(r, c) for c in range(n_cols + 1)] for r in range(n_rows + 1)]
    lines += [[(r, c) for r in range(n_rows + 1)] for c in range(n_cols + 1)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if [hidden[r][c] for r, c in line].count(True) != 1:
                continue
            # Inner cells first (the last entry of a line is its total), non-zero and smallest first.
            inner = [pos for pos in line[:-1] if not hidden[pos[0]][pos[1]]]
            row, col = (
                min(inner, key=lambda p: (matrix[p[0]][p[1]] == 0, matrix[p[0]][p[1]])) if inner else line[-1]
            )
            hidden[row][col] = True
            changed = True
    return [
        [None if hidden[r][c] else round_count(matrix[r][c]) for c in range(n_cols + 1)]
        for r in range(n_rows + 1)
    ]


def suppress_counts(
    counts: Mapping[Hashable, int] | Sequence[tuple[Hashable, str, int]],
    *,
    title: str = "",
    total_label: str = "Total",
    note: str = "",
) -> Breakdown:
    """Suppress a one-way breakdown whose cells add up to its total.

    `counts` is either {label: count} or a sequence of (key, label, count) in display order. Every
    category must be present (including "not stated" ones), so that the total is the sum of the
    cells and the secondary rule can see every cell a reader could subtract."""
    if isinstance(counts, Mapping):
        items = [(label, str(label), count) for label, count in counts.items()]
    else:
        items = list(counts)
    values = [count for _, _, count in items]
    line = [*values, sum(values)]
    hidden = [is_primary(v) for v in line]
    _secondary(line, hidden)
    row = [None if h else round_count(v) for v, h in zip(line, hidden, strict=True)]
    total_value = row[-1]
    cells = [
        Cell(key, label, value, _share(value, total_value))
        for (key, label, _), value in zip(items, row[:-1], strict=True)
    ]
    total = Cell("total", total_label, total_value, 1.0 if total_value else None)
    return Breakdown(title=title, cells=cells, total=total, note=note)


def _share(value: int | None, total: int | None) -> float | None:
    if value is None or not total:
        return None
    return value / total


def percent(share: float | None) -> str:
    """0.7012 → "70%"; None (no data, or hidden) → "–": one way to show a share, page and PDF alike."""
    if share is None:
        return "–"
    return f"{share:.0%}"
