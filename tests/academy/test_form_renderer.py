"""The NHS form renderer: every hint and error a field shows is the one its input is described by."""

from __future__ import annotations

import re

from django import forms

from academy.forms import DateField


class EveryKindForm(forms.Form):
    name = forms.CharField(label="Full name", help_text="As on your payslip.")
    team = forms.CharField(label="Team", max_length=3)
    band = forms.ChoiceField(
        label="Pay band",
        choices=[("5", "Band 5"), ("6", "Band 6")],
        widget=forms.RadioSelect,
        help_text="Agenda for Change.",
    )
    agree = forms.BooleanField(label="I agree", help_text="You can change your mind later.")
    notes = forms.CharField(label="Notes", widget=forms.Textarea, help_text="Anything else.")
    held_on = DateField(label="Date of supervision")


def test_every_described_by_id_is_on_the_page():
    form = EveryKindForm(
        {"team": "too long", "held_on_day": "31", "held_on_month": "2", "held_on_year": "2027"}
    )
    assert not form.is_valid()
    html = str(form)
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    described = [i for value in re.findall(r'aria-describedby="([^"]+)"', html) for i in value.split()]
    assert {"id_name_helptext", "id_name_error", "id_team_error", "id_notes_helptext"} <= set(described)
    missing = sorted(set(described) - ids)
    assert not missing, f"aria-describedby names ids that are not on the page: {missing}"


def test_a_field_with_two_errors_has_one_error_element():
    class TwoErrors(forms.Form):
        code = forms.CharField(label="Code")

        def clean_code(self):
            raise forms.ValidationError(["Enter a code with 4 letters", "Enter a code in capitals"])

    html = str(TwoErrors({"code": "x"}))
    assert html.count('id="id_code_error"') == 1
    assert "Enter a code with 4 letters<br>Enter a code in capitals" in html
