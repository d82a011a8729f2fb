"""The NHS.UK date input: the Day, Month, Year (and Time) boxes every form uses to ask for a date."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from academy.forms import DateField, DateTimeField
from programmes.forms import CohortForm, SessionForm
from tests.academy.test_jinja_bridge import render, squash, tag
from tests.factories import CohortFactory, SessionFactory, date_input

LONDON = timezone.get_current_timezone()


class HeldForm(forms.Form):
    held_on = DateField(label="Date of supervision")
    awarded_on = DateField(label="Date awarded", required=False)


class StartsForm(forms.Form):
    starts_at = DateTimeField(label="Starts", error_name="Start date")


def held(**parts: str) -> HeldForm:
    return HeldForm({f"held_on_{part}": value for part, value in parts.items()})


def starts(**parts: str) -> StartsForm:
    return StartsForm({f"starts_at_{part}": value for part, value in parts.items()})


def drawn(bound: forms.BoundField) -> str:
    """The field as a page draws it: the NHS.UK date input macro, through the bridge."""
    return squash(render("{{ field(bound) }}", bound=bound))


def summary(form: forms.Form) -> str:
    return squash(render("{{ error_summary(form) }}", form=form))


def typed(html: str, box_id: str) -> str | None:
    """What the box shows."""
    found = re.search(r'\bvalue="([^"]*)"', tag(html, box_id))
    return found[1] if found else None


def error_classes(html: str) -> dict[str, bool]:
    """For each box, whether it is drawn with the error class."""
    return {
        name.rsplit("_", 1)[1]: "nhsuk-input--error" in tag
        for tag in re.findall(r"<input[^>]*>", html)
        for name in re.findall(r'name="([^"]+)"', tag)
    }


# --- parsing -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("15", "3", "2027", dt.date(2027, 3, 15)),
        ("05", "03", "2027", dt.date(2027, 3, 5)),
        (" 1 ", " 12 ", " 2026 ", dt.date(2026, 12, 1)),
        ("29", "2", "2028", dt.date(2028, 2, 29)),
        ("9", "Sep", "2027", dt.date(2027, 9, 9)),
        ("9", "september", "2027", dt.date(2027, 9, 9)),
    ],
)
def test_a_date_is_read_from_its_three_boxes(day, month, year, expected):
    form = held(day=day, month=month, year=year)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["held_on"] == expected
    assert form.cleaned_data["awarded_on"] is None


def test_a_date_and_time_is_uk_time():
    summer = starts(day="1", month="7", year="2027", time="14:30")
    winter = starts(day="1", month="12", year="2027", time="9.05")
    assert summer.is_valid() and winter.is_valid()
    assert summer.cleaned_data["starts_at"] == dt.datetime(2027, 7, 1, 13, 30, tzinfo=dt.UTC)
    assert winter.cleaned_data["starts_at"] == dt.datetime(2027, 12, 1, 9, 5, tzinfo=dt.UTC)


# --- messages ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "message", "marked"),
    [
        ({}, "Enter the date of supervision", {"day", "month", "year"}),
        ({"day": "", "month": "", "year": ""}, "Enter the date of supervision", {"day", "month", "year"}),
        ({"month": "3", "year": "2027"}, "Date of supervision must include a day", {"day"}),
        ({"day": "15", "year": "2027"}, "Date of supervision must include a month", {"month"}),
        ({"day": "15", "month": "3"}, "Date of supervision must include a year", {"year"}),
        ({"year": "2027"}, "Date of supervision must include a day and month", {"day", "month"}),
        ({"day": "15"}, "Date of supervision must include a month and year", {"month", "year"}),
        ({"day": "31", "month": "2", "year": "2027"}, "Date of supervision must be a real date", {"day"}),
        ({"day": "15", "month": "13", "year": "2027"}, "Date of supervision must be a real date", {"month"}),
        ({"day": "0", "month": "3", "year": "2027"}, "Date of supervision must be a real date", {"day"}),
        ({"day": "15", "month": "3", "year": "0000"}, "Date of supervision must be a real date", {"year"}),
        ({"day": "x", "month": "3", "year": "2027"}, "Date of supervision must be a real date", {"day"}),
        (
            {"day": "15", "month": "Smarch", "year": "2027"},
            "Date of supervision must be a real date",
            {"month"},
        ),
        (
            {"day": "15", "month": "3", "year": "27"},
            "Date of supervision must include a year with 4 numbers, for example 2027",
            {"year"},
        ),
    ],
)
def test_each_wrong_date_gets_its_message_and_marks_the_wrong_boxes(parts, message, marked):
    form = held(**parts)
    assert not form.is_valid()
    assert form.errors["held_on"] == [message]
    boxes = error_classes(drawn(form["held_on"]))
    assert {part for part, wrong in boxes.items() if wrong and part in ("day", "month", "year")} == marked
    first_wrong = next(part for part in ("day", "month", "year") if part in marked)
    assert f'<a href="#id_held_on_{first_wrong}">{message}</a>' in summary(form)


def test_an_optional_date_left_empty_is_none_but_a_part_is_not_enough():
    form = HeldForm({**date_input("held_on", dt.date(2027, 3, 15)), "awarded_on_year": "2019"})
    assert not form.is_valid()
    assert form.errors["awarded_on"] == ["Date awarded must include a day and month"]


@pytest.mark.parametrize(
    ("parts", "message", "marked"),
    [
        ({}, "Enter the start date", {"day", "month", "year", "time"}),
        ({"time": "10:00"}, "Enter the start date", {"day", "month", "year"}),
        ({"day": "1", "year": "2027", "time": "10:00"}, "Start date must include a month", {"month"}),
        (
            {"day": "1", "month": "7", "year": "2027"},
            "Enter the time in the 24-hour clock, for example 14:30",
            {"time"},
        ),
        (
            {"day": "1", "month": "7", "year": "2027", "time": "2pm"},
            "Enter the time in the 24-hour clock, for example 14:30",
            {"time"},
        ),
        (
            {"day": "1", "month": "7", "year": "2027", "time": "24:00"},
            "Enter the time in the 24-hour clock, for example 14:30",
            {"time"},
        ),
        # The clocks go forward at 1am on 28 March 2027: 1:30 does not happen in the UK that night.
        (
            {"day": "28", "month": "3", "year": "2027", "time": "01:30"},
            "The clocks change at that time on that day: enter a time an hour earlier or later",
            {"time"},
        ),
    ],
)
def test_each_wrong_date_and_time_gets_its_message(parts, message, marked):
    form = starts(**parts)
    assert not form.is_valid()
    assert form.errors["starts_at"] == [message]
    boxes = error_classes(drawn(form["starts_at"]))
    assert {part for part, wrong in boxes.items() if wrong} == marked


def test_a_time_error_links_to_the_time_box():
    form = starts(day="1", month="7", year="2027", time="25:00")
    assert not form.is_valid()
    # The message does not name the date, so the summary does.
    assert (
        '<a href="#id_starts_at_time">Starts: Enter the time in the 24-hour clock, for example 14:30</a>'
        in summary(form)
    )


def test_an_error_the_form_adds_marks_every_box():
    form = held(day="15", month="3", year="2027")
    assert form.is_valid()
    form.add_error("held_on", "Supervision can only be logged once it has happened")
    boxes = error_classes(drawn(form["held_on"]))
    assert boxes == {"day": True, "month": True, "year": True}
    # The message does not name the date, so the summary does.
    assert '<a href="#id_held_on_day">Date of supervision: Supervision can only be logged' in summary(form)


# --- re-display and initial values -------------------------------------------------------------------


def test_what_was_typed_is_shown_again():
    form = held(day="31", month="Feb", year="2027")
    assert not form.is_valid()
    html = drawn(form["held_on"])
    assert typed(html, "id_held_on_day") == "31"
    assert typed(html, "id_held_on_month") == "Feb"
    assert typed(html, "id_held_on_year") == "2027"


def test_initial_values_fill_the_boxes_in_uk_time():
    summer = StartsForm(initial={"starts_at": dt.datetime(2027, 7, 1, 23, 30, tzinfo=dt.UTC)})
    html = drawn(summer["starts_at"])
    # 23:30 UTC on 1 July is 00:30 on 2 July in London.
    for part, value in (("day", "2"), ("month", "7"), ("year", "2027"), ("time", "00:30")):
        assert typed(html, f"id_starts_at_{part}") == value
    date_html = drawn(HeldForm(initial={"held_on": dt.date(2027, 3, 5)})["held_on"])
    assert typed(date_html, "id_held_on_day") == "5" and typed(date_html, "id_held_on_month") == "3"


@pytest.mark.django_db
def test_editing_a_session_and_a_cohort_fills_their_dates():
    session = SessionFactory(
        starts_at=dt.datetime(2027, 1, 12, 9, 30, tzinfo=LONDON),
        ends_at=dt.datetime(2027, 6, 12, 16, 0, tzinfo=LONDON),
    )
    form = SessionForm(instance=session)
    starts_html, ends_html = drawn(form["starts_at"]), drawn(form["ends_at"])
    assert (
        typed(starts_html, "id_starts_at_day") == "12" and typed(starts_html, "id_starts_at_time") == "09:30"
    )
    assert typed(ends_html, "id_ends_at_month") == "6" and typed(ends_html, "id_ends_at_time") == "16:00"

    cohort = CohortFactory(enrolment_opens_at=dt.datetime(2027, 4, 1, 8, 0, tzinfo=dt.UTC))
    html = drawn(CohortForm(instance=cohort, region=cohort.region)["enrolment_opens_at"])
    assert (
        typed(html, "id_enrolment_opens_at_day") == "1" and typed(html, "id_enrolment_opens_at_month") == "4"
    )
    assert typed(html, "id_enrolment_opens_at_time") == "09:00"  # British Summer Time


@pytest.mark.django_db
def test_an_unchanged_session_is_not_changed():
    session = SessionFactory(starts_at=dt.datetime(2027, 1, 12, 9, 30, tzinfo=LONDON))
    data = {
        "title": session.title,
        **date_input("starts_at", session.starts_at),
        **date_input("ends_at", session.ends_at),
        "joining_url": session.joining_url,
    }
    form = SessionForm(data, instance=session)
    assert form.is_valid(), form.errors
    assert "starts_at" not in form.changed_data and "ends_at" not in form.changed_data


@pytest.mark.django_db
def test_the_session_must_still_end_after_it_starts():
    start = dt.datetime(2027, 1, 12, 9, 30, tzinfo=LONDON)
    form = SessionForm(
        {
            "title": "Module 1",
            **date_input("starts_at", start),
            **date_input("ends_at", start - dt.timedelta(hours=1)),
            "venue": "Room 1",
        }
    )
    assert not form.is_valid()
    assert form.errors["ends_at"] == ["The session must end after it starts"]


@pytest.mark.django_db
def test_enrolment_must_still_close_after_it_opens(region):
    opens = dt.datetime(2027, 1, 12, 9, 30, tzinfo=LONDON)
    form = CohortForm(
        {
            "name": "Cohort",
            "capacity": "10",
            **date_input("enrolment_opens_at", opens),
            **date_input("enrolment_closes_at", opens),
        },
        region=region,
    )
    assert not form.is_valid()
    assert form.errors["enrolment_closes_at"] == ["Enrolment must close after it opens"]


# --- markup: the NHS.UK date input macro, drawn through the bridge ------------------------------------


def test_the_markup_is_the_nhs_date_input():
    html = drawn(HeldForm()["held_on"])
    assert '<fieldset class="nhsuk-fieldset" role="group" aria-describedby="id_held_on_helptext">' in html
    assert (
        '<legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Date of supervision</legend>'
        in html
    )
    assert '<div class="nhsuk-hint" id="id_held_on_helptext">For example, 15 3 2027</div>' in html
    assert '<div class="nhsuk-date-input" id="id_held_on">' in html
    assert html.count('<div class="nhsuk-date-input__item">') == 3
    assert "<label" in html and 'for="id_held_on"' not in html
    for part, label, width in (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4)):
        assert (
            f'<label class="nhsuk-label nhsuk-date-input__label" for="id_held_on_{part}">{label}</label>'
            in html
        )
        box = tag(html, f"id_held_on_{part}")
        assert 'type="text"' in box and 'inputmode="numeric"' in box and f'name="held_on_{part}"' in box
        assert f"nhsuk-input--width-{width}" in box and "nhsuk-date-input__input" in box
    assert "nhsuk-form-group--error" not in html and "nhsuk-input--error" not in html


def test_an_optional_date_says_so_and_keeps_its_own_hint():
    class OpensForm(forms.Form):
        opens = DateTimeField(
            label="Enrolment opens", required=False, help_text="Open it on the cohort page too."
        )

    html = drawn(OpensForm()["opens"])
    assert ">Enrolment opens (optional)</legend>" in html
    assert "Open it on the cohort page too. For example, 15 3 2027" in html


def test_the_time_box_follows_the_date_in_the_same_fieldset():
    html = drawn(StartsForm()["starts_at"])
    fieldset = html[html.index("<fieldset") : html.index("</fieldset>")]
    assert fieldset.index('id="id_starts_at_year"') < fieldset.index('id="id_starts_at_time"')
    assert '<label class="nhsuk-label" for="id_starts_at_time">Time</label>' in fieldset
    assert 'id="id_starts_at_time-hint">Use the 24-hour clock, for example 14:30</div>' in fieldset
    box = tag(fieldset, "id_starts_at_time")
    assert 'aria-describedby="id_starts_at_time-hint"' in box and "nhsuk-input--width-5" in box


def test_an_error_is_inside_the_form_group_and_described():
    form = held(day="15", year="2027")
    form.is_valid()
    html = drawn(form["held_on"])
    assert html.startswith('<div class="nhsuk-form-group nhsuk-form-group--error">')
    assert 'aria-describedby="id_held_on_helptext id_held_on_error"' in html
    # (The visually hidden "Error: " keeps its space on the page; squash() drops it before the tag.)
    assert (
        '<span class="nhsuk-error-message" id="id_held_on_error"><span class="nhsuk-u-visually-hidden">Error:</span>'
        "Date of supervision must include a month</span>"
    ) in html
    assert 'aria-invalid="true"' in tag(html, "id_held_on_month")
    assert "aria-invalid" not in tag(html, "id_held_on_day")


# --- the programme finder's date filters --------------------------------------------------------------


@pytest.mark.django_db
def test_the_programme_finder_explains_an_impossible_date(anonymous_client):
    response = anonymous_client.get(
        reverse("programmes:offer"),
        {"starts_after_day": "31", "starts_after_month": "2", "starts_after_year": "2027"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Earliest start date must be a real date" in body
    day_box = re.search(r'<input[^>]*\bname="starts_after_day"[^>]*>', body).group(0)
    assert 'value="31"' in day_box
