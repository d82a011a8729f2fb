"""The Jinja2 pages and the bridge from Django form fields to the NHS.UK frontend's macros."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.template import engines
from django.template.loader import get_template
from django.urls import reverse

from academy.forms import DateField, DateTimeField
from academy.jinja2 import nhs_date, nhs_datetime, nhs_time


class EveryKindForm(forms.Form):
    name = forms.CharField(label="Full name", help_text="As on your payslip.", max_length=20)
    email = forms.EmailField(label="Email address", required=False)
    team = forms.CharField(label="Team", max_length=3, required=False)
    band = forms.ChoiceField(
        label="Pay band",
        choices=[("5", "Band 5"), ("6", "Band 6")],
        widget=forms.RadioSelect,
        help_text="Agenda for Change.",
    )
    themes = forms.MultipleChoiceField(
        label="Themes", choices=[("a", "Belonging"), ("b", "Growing")], widget=forms.CheckboxSelectMultiple
    )
    system = forms.ChoiceField(label="System", choices=[("", "Choose"), ("llr", "LLR")])
    agree = forms.BooleanField(label="I agree", help_text="You can change your mind later.")
    notes = forms.CharField(label="Notes", widget=forms.Textarea, help_text="Anything else.")
    certificate = forms.FileField(label="Certificate")
    held_on = DateField(label="Date of supervision")
    starts_at = DateTimeField(label="Starts")


def render(source: str, **context) -> str:
    return engines["jinja2"].from_string(source).render(context)


def squash(html: str) -> str:
    """The macros' markup without the whitespace they leave around tags, so a test can name a piece."""
    return re.sub(r"\s*([<>])\s*", r"\1", re.sub(r"\s+", " ", html))


def tag(html: str, id_: str) -> str:
    return re.search(rf'<(?:input|textarea|select)[^>]*id="{id_}"[^>]*>', html)[0]


def test_each_field_renders_its_component_with_django_ids():
    html = render("{{ form_fields(form) }}", form=EveryKindForm())
    assert 'class="nhsuk-input' in tag(html, "id_name") and 'maxlength="20"' in tag(html, "id_name")
    assert 'aria-describedby="id_name_helptext"' in tag(html, "id_name")
    assert 'id="id_name_helptext"' in html
    assert 'type="email"' in tag(html, "id_email") and "Email address (optional)" in html
    assert 'class="nhsuk-radios__input"' in tag(html, "id_band_0") and 'value="6"' in tag(html, "id_band_1")
    assert 'class="nhsuk-checkboxes__input"' in tag(html, "id_themes_0")
    assert 'class="nhsuk-select"' in tag(html, "id_system")
    assert 'class="nhsuk-checkboxes__input"' in tag(html, "id_agree") and 'name="agree"' in tag(
        html, "id_agree"
    )
    assert 'class="nhsuk-textarea"' in tag(html, "id_notes")
    assert 'type="file"' in tag(html, "id_certificate")
    # Both dates are the date input (its markup: tests/academy/test_date_input.py).
    assert html.count('class="nhsuk-date-input__item"') == 6
    assert 'name="starts_at_time"' in tag(html, "id_starts_at_time")


def test_errors_and_values_are_kept_on_redisplay():
    form = EveryKindForm(
        {
            "name": "Ada",
            "band": "6",
            "themes": ["b"],
            "system": "llr",
            "notes": "Some <notes>",
            "held_on_day": "31",
            "held_on_month": "2",
            "held_on_year": "2027",
            "starts_at_day": "1",
            "starts_at_month": "7",
            "starts_at_year": "2027",
            "starts_at_time": "25:00",
        }
    )
    assert not form.is_valid()
    html = render("{{ error_summary(form) }}{{ form_fields(form) }}", form=form)
    assert 'value="Ada"' in tag(html, "id_name")
    assert "checked" in tag(html, "id_band_1") and "checked" not in tag(html, "id_band_0")
    assert "checked" in tag(html, "id_themes_1")
    assert re.search(r'<option value="llr" selected', html)
    assert "Some &lt;notes&gt;</textarea>" in html
    # The summary links each error to its field (a date's boxes: tests/academy/test_date_input.py).
    assert 'href="#id_agree"' in html and 'href="#id_certificate"' in html
    assert "There is a problem" in html and "nhsuk-error-summary" in html


def test_every_described_by_id_is_on_the_page():
    """Hints and errors keep Django's ids, and every id an input or fieldset is described by is drawn."""
    form = EveryKindForm(
        {"team": "too long", "held_on_day": "31", "held_on_month": "2", "held_on_year": "2027"}
    )
    assert not form.is_valid()
    html = render("{{ error_summary(form) }}{{ form_fields(form) }}", form=form)
    described = [i for value in re.findall(r'aria-describedby="([^"]+)"', html) for i in value.split()]
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    assert {
        "id_name_helptext",
        "id_name_error",
        "id_team_error",
        "id_band_helptext",
        "id_agree_helptext",
        "id_agree_error",
        "id_notes_helptext",
        "id_held_on_helptext",
        "id_held_on_error",
        "id_starts_at_time-hint",
    } <= set(described)
    missing = sorted(set(described) - ids)
    assert not missing, f"aria-describedby names ids that are not on the page: {missing}"


def test_a_field_with_two_errors_has_one_error_element():
    class TwoErrors(forms.Form):
        code = forms.CharField(label="Code")

        def clean_code(self):
            raise forms.ValidationError(["Enter a code with 4 letters", "Enter a code in capitals"])

    form = TwoErrors({"code": "x"})
    assert not form.is_valid()
    html = render("{{ field(form.code) }}", form=form)
    assert html.count('id="id_code_error"') == 1
    assert "Enter a code with 4 letters<br>Enter a code in capitals" in html


def test_a_form_without_errors_has_no_summary():
    assert render("{{ error_summary(form) }}", form=EveryKindForm()).strip() == ""


def test_filters_speak_the_nhs_style_in_uk_time():
    summer = dt.datetime(2026, 10, 7, 13, 30, tzinfo=dt.UTC)  # 2:30pm in British Summer Time
    assert nhs_date(summer) == "7 October 2026"
    assert nhs_time(summer) == "2:30pm"
    assert nhs_time(dt.datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Europe/London"))) == "9am"
    assert nhs_time(dt.time(12, 0)) == "midday"
    assert nhs_datetime(summer) == "7 October 2026 at 2:30pm"
    assert render(
        "{{ 1234567 | intcomma }} place{{ 2 | pluralize }}, {{ 1 | pluralize('person', 'people') }}"
    ) == ("1,234,567 places, person")


@pytest.mark.django_db
def test_the_home_page_renders_through_jinja2_in_the_layout(participant_client):
    response = participant_client.get(reverse("academy:home"))
    assert response.status_code == 200
    for name in (
        "academy/home.html",
        "academy/landing.html",
        "academy/profile.html",
        "academy/audit_log.html",
    ):
        assert get_template(name).backend.name == "jinja2", name
    body = response.content.decode()
    assert "<title>Home &ndash; Academy &ndash; NHS</title>" in body
    assert 'class="nhsuk-skip-link"' in body and 'class="nhsuk-header' in body and "nhsuk-footer" in body
    assert "<script>" not in body and 'style="' not in body
    assert "Welcome" in body


@pytest.mark.django_db
def test_the_title_says_error_when_the_form_has_errors(participant_client):
    response = participant_client.post(reverse("academy:profile"), {"given_name": ""})
    body = response.content.decode()
    assert "<title>Error: Your profile &ndash; Academy &ndash; NHS</title>" in body
    assert 'href="#id_given_name"' in body


@pytest.mark.django_db
def test_the_audit_log_pages_with_the_macros_and_keeps_its_filter(staff_client, programme_staff):
    from academy import audit

    for number in range(51):
        audit.record(programme_staff.user, "cohort.open", programme_staff, {"number": number})
    body = staff_client.get(reverse("academy:audit_log"), {"action": "cohort.open"}).content.decode()
    assert 'class="nhsuk-table' in body and "<code>cohort.open</code>" in body
    assert "nhsuk-pagination" in body and "Page 2 of 2" in body
    assert "?action=cohort.open&amp;page=2" in body


def test_the_fast_indent_filter_gives_jinjas_output_exactly():
    """The environment's `indent` replaces Jinja's own for speed; it must not change a character."""
    import random

    from jinja2.filters import do_indent
    from markupsafe import Markup

    from academy.jinja2 import indent

    chunks = ["<a>", "&", "x", "\n", "\n\n", " ", "é", "\r\n", "'", '"', "\t"]
    generator = random.Random(1)
    for _ in range(2000):
        text = "".join(generator.choice(chunks) for _ in range(generator.randint(0, 12)))
        for value in (text, Markup(text)):
            for width in (0, 4, "<b>"):
                for first in (False, True):
                    for blank in (False, True):
                        expected = do_indent(value, width, first, blank)
                        got = indent(value, width, first, blank)
                        assert got == expected and type(got) is type(expected)
    assert engines["jinja2"].env.filters["indent"] is indent
