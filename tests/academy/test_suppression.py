"""Small-number suppression: primary (1–7 hidden), rounding to 5 and secondary suppression."""

from __future__ import annotations

import itertools

import pytest

from academy.suppression import SUPPRESSED, percent, round_count, suppress_counts, suppress_grid


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, 0), (8, 10), (12, 10), (13, 15), (17, 15), (18, 20), (1523, 1525), (4116, 4115)],
)
def test_counts_round_to_the_nearest_five(count, expected):
    assert round_count(count) == expected


def test_counts_of_one_to_seven_are_hidden_and_zero_is_shown():
    table = suppress_counts({"A": 1, "B": 7, "C": 0, "D": 8, "E": 40})
    shown = {c.label: c.display for c in table.cells}
    assert shown == {"A": SUPPRESSED, "B": SUPPRESSED, "C": "0", "D": "10", "E": "40"}
    assert table.total.display == "55"  # 56 rounded


def test_a_total_would_reveal_the_only_hidden_cell_so_the_next_smallest_is_hidden_too():
    # Female 40, Male 5, total 45: hiding only Male lets anyone compute 45 - 40 = 5.
    table = suppress_counts({"Female": 40, "Male": 5, "Non-binary": 0})
    shown = {c.label: c.display for c in table.cells}
    assert shown["Male"] == SUPPRESSED
    assert shown["Female"] == SUPPRESSED  # secondary: the next smallest non-zero cell
    assert shown["Non-binary"] == "0"
    assert table.total.display == "45"


def test_secondary_suppression_picks_the_smallest_visible_cell():
    table = suppress_counts({"A": 3, "B": 9, "C": 100, "D": 250})
    shown = {c.label: c.display for c in table.cells}
    assert shown == {"A": SUPPRESSED, "B": SUPPRESSED, "C": "100", "D": "250"}


def test_the_partner_may_be_the_last_cell_but_never_the_total():
    table = suppress_counts({"A": 3, "B": 100, "C": 20})
    assert [c.display for c in table.cells] == [SUPPRESSED, "100", SUPPRESSED]
    assert table.total.display == "125"


def test_two_hidden_cells_need_no_secondary_suppression():
    table = suppress_counts({"A": 3, "B": 4, "C": 100})
    assert [c.display for c in table.cells] == [SUPPRESSED, SUPPRESSED, "100"]
    assert table.total.display == "105"


def test_a_small_total_is_hidden_and_its_cells_with_it():
    table = suppress_counts({"A": 2, "B": 0, "C": 3})
    assert table.total.display == SUPPRESSED
    assert [c.display for c in table.cells] == [SUPPRESSED, "0", SUPPRESSED]


def test_a_single_cell_below_a_small_total_hides_the_rest():
    # One cell of 6 and one of 0 with a total of 6: the total is hidden too (primary).
    table = suppress_counts({"A": 6, "B": 0})
    assert table.total.suppressed and table.cells[0].suppressed


def test_shares_come_from_rounded_values_and_are_hidden_with_their_cell():
    table = suppress_counts({"Female": 3252, "Male": 859, "Prefer not to say": 5})
    by_label = {c.label: c for c in table.cells}
    assert by_label["Female"].share_display == "79%"
    assert by_label["Prefer not to say"].share is None
    assert by_label["Prefer not to say"].share_display == SUPPRESSED
    # Male is the next smallest: hidden so that Prefer not to say cannot be worked out.
    assert by_label["Male"].suppressed


def test_rows_give_label_count_and_share_including_the_total():
    table = suppress_counts([("a", "Admin", 20), ("m", "Medical", 30)], title="Staff group")
    assert table.rows() == [["Admin", "20", "40%"], ["Medical", "30", "60%"], ["Total", "50", "100%"]]


def _line_is_safe(values):
    hidden = [v is None for v in values]
    return sum(hidden) != 1


@pytest.mark.parametrize(("small", "shown"), [(7, SUPPRESSED), (8, "10"), (1, SUPPRESSED), (0, "0")])
def test_seven_is_the_largest_count_hidden_even_as_the_only_small_cell(small, shown):
    table = suppress_counts({"A": small, "B": 20, "C": 30})
    assert table.cells[0].display == shown
    # A hidden 7 or 1 alone would be 50 + it - 50: the next smallest (B) goes with it; 8 and 0 hide nothing.
    assert table.cells[1].suppressed is (shown == SUPPRESSED)
    assert table.cells[2].display == "30"


def test_the_partner_of_a_hidden_cell_is_never_a_zero():
    table = suppress_counts({"A": 5, "B": 0, "C": 40, "D": 90})
    assert [c.display for c in table.cells] == [SUPPRESSED, "0", SUPPRESSED, "90"]
    assert table.total.display == "135"


def test_a_single_small_cell_is_its_own_small_total():
    table = suppress_counts({"A": 4, "B": 0})
    assert table.cells[0].suppressed and table.total.suppressed and table.cells[1].display == "0"


def test_a_hidden_total_and_a_zero_total_have_no_share():
    hidden = suppress_counts({"A": 3, "B": 2})
    assert hidden.total.share is None and hidden.total.share_display == SUPPRESSED
    empty = suppress_counts({"A": 0, "B": 0})
    assert empty.total.value == 0 and empty.total.share is None and empty.total.share_display == ""
    assert [c.share for c in empty.cells] == [None, None]
    assert suppress_counts({"A": 20, "B": 0}).total.share == 1.0
    assert suppress_counts({"A": 20, "B": 0}).cells[1].share_display == "0%"


def test_the_note_title_and_total_label_travel_with_the_table():
    table = suppress_counts([("k", "Kind", 9)], title="By kind", total_label="All", note="Counts rounded.")
    assert (table.title, table.total.label, table.note) == ("By kind", "All", "Counts rounded.")
    assert table.cells[0].key == "k"
    empty = suppress_counts([], title="By kind", total_label="All", note="Counts rounded.")
    assert (empty.cells, empty.total.display, empty.total.label, empty.note) == (
        [],
        "0",
        "All",
        "Counts rounded.",
    )


def test_large_counts_are_shown_with_thousands_separators():
    table = suppress_counts({"A": 12_344, "B": 10})
    assert [c.display for c in table.cells] == ["12,345", "10"]
    assert table.total.display == "12,355"


@pytest.mark.parametrize("values", list(itertools.product([0, 2, 8, 30], repeat=3)))
def test_no_one_way_table_ever_has_a_single_hidden_entry(values):
    table = suppress_counts(dict(zip("ABC", values, strict=True)))
    entries = [c.value for c in table.cells] + [table.total.value]
    assert _line_is_safe(entries)
    for cell, raw in zip(table.cells, values, strict=True):
        if 1 <= raw <= 7:
            assert cell.suppressed
        if cell.value is not None:
            assert cell.value % 5 == 0


def test_percent_shows_a_share_or_a_dash():
    assert (percent(0.7012), percent(0.0), percent(None)) == ("70%", "0%", "–")


def test_a_grid_leaves_no_row_or_column_with_exactly_one_hidden_entry():
    grid = [
        [50, 3, 40],
        [30, 25, 60],
        [45, 35, 2],
    ]
    published = suppress_grid(grid)
    assert published[0][1] is None and published[2][2] is None
    for row in published:
        assert _line_is_safe(row)
    for col in zip(*published, strict=True):
        assert _line_is_safe(col)


def test_a_grid_cascades_secondary_suppression_across_crossing_lines():
    # Hiding [0][1] in row 0 needs a partner in row 0; that partner then needs one in its column.
    grid = [[4, 10, 50], [20, 20, 20]]
    published = suppress_grid(grid)
    assert published[0][0] is None and published[0][1] is None
    assert published[1][0] is None and published[1][1] is None  # partners in columns 0 and 1
    for row in published:
        assert _line_is_safe(row)
    for col in zip(*published, strict=True):
        assert _line_is_safe(col)


def test_a_grid_publishes_every_row_total_column_total_and_the_grand_total():
    assert suppress_grid([[10, 20], [30, 42]]) == [[10, 20, 30], [30, 40, 70], [40, 60, 100]]


def test_a_small_column_total_needs_a_partner_in_the_row_of_column_totals():
    # Column 0 adds up to 3: its total is hidden, and so must be another entry of the totals row.
    assert suppress_grid([[3, 20], [0, 30]]) == [[None, None, 25], [0, 30, 30], [None, None, 55]]


def test_a_small_row_total_needs_a_partner_in_the_column_of_row_totals():
    assert suppress_grid([[3, 0], [20, 30]]) == [[None, 0, None], [None, 30, None], [25, 30, 55]]


def test_a_grid_of_one_row_has_a_totals_row_like_any_other():
    assert suppress_grid([[3, 20]]) == [[None, None, 25], [None, None, 25]]


def test_an_empty_grid_is_a_zero_grand_total():
    assert suppress_grid([]) == [[0]]
