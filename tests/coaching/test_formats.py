from __future__ import annotations

from decimal import Decimal

import pytest

from coaching.formats import hours, hours_number, minutes_as_hours


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("1.00"), "1 hour"),
        (Decimal("1.50"), "1.5 hours"),
        (2, "2 hours"),
        (Decimal("0.25"), "0.25 hours"),
    ],
)
def test_hours_read_as_people_write_them(value, text):
    assert hours(value) == text


def test_hours_number_and_minutes():
    assert hours_number(Decimal("2.00")) == "2"
    assert minutes_as_hours(150) == "2.5"
    assert minutes_as_hours(45) == "0.75"
    assert minutes_as_hours(None) == "0"


def test_the_filters_reach_the_jinja_environment():
    from django.template import engines

    env = engines["jinja2"].env
    assert env.from_string("{{ x | hours }}, {{ y | minutes_as_hours }}").render(x=Decimal("1.5"), y=90) == (
        "1.5 hours, 1.5"
    )
