"""Forms of the talent app: plain forms whose cleaned data the views pass to a service."""

from __future__ import annotations

from django import forms

from academy.forms import DateField
from academy.models import Organisation
from talent.models import (
    ExitReason,
    MovementKind,
    MovementTerms,
    OpportunityKind,
    Readiness,
)

READINESS_HINT = "Ready now: ready for an executive role. Ready soon: in 6 to 12 months. Not yet ready: in 18 to 24 months."


def text_area(label: str, *, rows: int = 5, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={"rows": rows}), required=required, help_text=help_text
    )


class ReadinessForm(forms.Form):
    readiness = forms.ChoiceField(
        label="Readiness", choices=Readiness.choices, widget=forms.RadioSelect, help_text=READINESS_HINT
    )
    evidence = text_area(
        "Evidence",
        help_text="What the decision is based on: an assessment, a panel, a talent review, 360 feedback.",
    )
    decided_on = DateField(label="Date of the decision", help_text="For example, 15 3 2021")


class ExitForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is this person leaving the pool?", choices=ExitReason.choices, widget=forms.RadioSelect
    )
    exited_on = DateField(label="Date they left", help_text="For example, 31 3 2021")


class MovementForm(forms.Form):
    role = forms.CharField(label="Role", max_length=200)
    organisation = forms.ModelChoiceField(label="Organisation", queryset=Organisation.objects.none())
    moved_on = DateField(label="Start date in the role", help_text="For example, 1 4 2021")
    kind = forms.ChoiceField(label="Kind of move", choices=MovementKind.choices, widget=forms.RadioSelect)
    terms = forms.ChoiceField(
        label="Interim or substantive", choices=MovementTerms.choices, widget=forms.RadioSelect
    )
    board_level = forms.BooleanField(label="This is a board-level (executive) role", required=False)

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(region=region).order_by("name")


class ConversationForm(forms.Form):
    aspirations = text_area("Your career aspirations", help_text="The roles you want next, and when.")
    own_readiness = forms.ChoiceField(
        label="Your own view of your readiness",
        choices=Readiness.choices,
        widget=forms.RadioSelect,
        help_text=READINESS_HINT,
    )
    development_needs = text_area("What you need to develop", required=False)
    share_with_lead = forms.BooleanField(
        label="The regional talent team may read this conversation", required=False
    )
    share_with_board = forms.BooleanField(
        label="My system's talent board may read this conversation", required=False
    )


class ConsentForm(forms.Form):
    board_consent = forms.BooleanField(
        label="My system's talent board may see my talent record",
        required=False,
        help_text="Board members see your name, role, readiness and any successor slates you are on.",
    )


class InterestForm(forms.Form):
    statement = text_area(
        "Why you are interested", help_text="What you would bring, and what you want to gain from it."
    )


class OpportunityForm(forms.Form):
    role = forms.CharField(label="Role", max_length=200)
    host = forms.ModelChoiceField(label="Host organisation", queryset=Organisation.objects.none())
    kind = forms.ChoiceField(label="Kind", choices=OpportunityKind.choices, widget=forms.RadioSelect)
    description = text_area("What the role involves", required=False)
    starts_on = DateField(label="Start date", help_text="For example, 1 6 2021")
    ends_on = DateField(label="End date", help_text="For example, 30 11 2021")
    closes_on = DateField(
        label="Closing date for expressions of interest", help_text="For example, 14 5 2021"
    )
    places = forms.IntegerField(label="Places", min_value=1, max_value=20, initial=1)

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = Organisation.objects.filter(region=region).order_by("name")


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=(("pool", "Pool members"), ("movements", "Career movements")),
        widget=forms.RadioSelect,
    )
    file = forms.FileField(label="CSV file", help_text="The first line names the columns.")
