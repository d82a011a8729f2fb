"""Forms of the talent app: plain forms whose cleaned data the views pass to a service."""

from __future__ import annotations

import re

from django import forms

from academy.forms import DateField, Form
from academy.models import Organisation
from talent.models import (
    CentreLevel,
    CompetencyDomain,
    ExitReason,
    MovementKind,
    MovementTerms,
    OpportunityKind,
    ProfessionalGroup,
    Readiness,
    SeniorWorkforce,
    ServiceType,
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


# --- Development Assessment Centres, talent boards (the talent lead's pages) ---------------------------


def people_by_emails(raw: str, region) -> list:
    """The people of `region` named by email (one a line, or separated by commas or semicolons);
    every unknown address is named in the refusal."""
    from django.db.models.functions import Lower

    from academy.models import Person

    emails = list(dict.fromkeys(e.strip().lower() for e in re.split(r"[\s,;]+", raw or "") if e.strip()))
    if len(emails) > 50:
        raise forms.ValidationError("Give at most 50 email addresses.")
    found = {
        p.email_lower: p
        for p in Person.objects.annotate(email_lower=Lower("user__email")).filter(
            email_lower__in=emails, region=region
        )
    }
    unknown = [e for e in emails if e not in found]
    if unknown:
        raise forms.ValidationError(
            f"No one in the region has the address {', '.join(e[:80] for e in unknown[:5])}: "
            "check it, or ask them to sign in to Academy first."
        )
    return [found[e] for e in emails]


class CentreForm(Form):
    title = forms.CharField(
        label="Title", max_length=200, help_text="For example, Aspiring-Executive DAC, spring 2021"
    )
    level = forms.ChoiceField(label="Level", choices=CentreLevel.choices, widget=forms.RadioSelect)
    held_on = DateField(label="Date of the centre", help_text="For example, 12 5 2021")
    venue = forms.CharField(label="Venue", max_length=200, required=False)
    places = forms.IntegerField(label="Places", min_value=1, max_value=200, initial=12)
    assessors = forms.CharField(
        label="Assessors' email addresses",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="One a line. Each must have signed in to Academy in this region.",
    )

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region

    def clean_assessors(self):
        return people_by_emails(self.cleaned_data.get("assessors", ""), self.region)


class NominateForm(Form):
    email = forms.EmailField(label="Email address of the person nominated", max_length=254)

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region

    def clean_email(self):
        return people_by_emails(self.cleaned_data["email"], self.region)[0]


SCORES = (("1", "1: not yet shown"), ("2", "2: partly shown"), ("3", "3: shown"), ("4", "4: strongly shown"))


class RatingForm(Form):
    assessor = forms.ModelChoiceField(label="Assessor", queryset=None, empty_label=None)
    exercise = forms.CharField(
        label="Exercise", max_length=120, help_text="For example, Board meeting simulation"
    )
    domain = forms.ChoiceField(
        label="Leadership Competency Framework domain",
        choices=CompetencyDomain.choices,
        widget=forms.RadioSelect,
    )
    score = forms.TypedChoiceField(label="Score", choices=SCORES, coerce=int, widget=forms.RadioSelect)
    notes = text_area("Evidence seen", required=False, rows=3)

    def __init__(self, *args, assessors=(), **kwargs):
        from academy.models import Person

        super().__init__(*args, **kwargs)
        self.fields["assessor"].queryset = Person.objects.filter(pk__in=[a.pk for a in assessors])


NOT_PLACED = "none"


class OutcomeForm(Form):
    outcome = forms.ChoiceField(
        label="The panel's outcome",
        choices=((NOT_PLACED, "Assessed, not placed in the pool"), *Readiness.choices),
        widget=forms.RadioSelect,
        help_text=READINESS_HINT,
    )
    notes = text_area("What the panel based its outcome on")
    professional_group = forms.ChoiceField(
        label="Professional group (to place someone new in the pool)",
        choices=(("", "Choose"), *ProfessionalGroup.choices),
        required=False,
    )
    service_type = forms.ChoiceField(
        label="Service type (to place someone new in the pool)",
        choices=(("", "Choose"), *ServiceType.choices),
        required=False,
    )

    def clean_outcome(self):
        outcome = self.cleaned_data.get("outcome", "")
        return "" if outcome == NOT_PLACED else outcome


class CriticalRoleForm(Form):
    organisation = forms.ModelChoiceField(label="Organisation", queryset=None)
    target_role = forms.ModelChoiceField(label="Board role", queryset=None)
    incumbent_leaving_on = DateField(
        label="When the present holder is expected to leave (if known)", required=False
    )

    def __init__(self, *args, region=None, roles=None, **kwargs):
        from academy.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            region=region, system__isnull=False
        ).order_by("name")
        self.fields["target_role"].queryset = roles


class SlateAddForm(Form):
    email = forms.EmailField(label="Email address of the pool member", max_length=254)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        member = self.members.filter(person__user__email__iexact=email).select_related("person").first()
        if member is None:
            raise forms.ValidationError(
                f"No one still in the region's talent pool has the address {email[:80]}."
            )
        return member


class WorkforceForm(Form):
    system = forms.ModelChoiceField(label="System", queryset=None)
    as_of = DateField(label="Date of the figures")
    white = forms.IntegerField(label="White", min_value=0, max_value=100_000)
    minority_ethnic = forms.IntegerField(label="Minority ethnic", min_value=0, max_value=100_000)
    ethnicity_not_stated = forms.IntegerField(label="Ethnicity not stated", min_value=0, max_value=100_000)
    female = forms.IntegerField(label="Female", min_value=0, max_value=100_000)
    male = forms.IntegerField(label="Male", min_value=0, max_value=100_000)
    gender_other = forms.IntegerField(label="Other or not stated", min_value=0, max_value=100_000)

    def __init__(self, *args, systems=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = systems

    def clean(self):
        data = super().clean()
        if problem := SeniorWorkforce.counts_disagree(data):
            raise forms.ValidationError(problem)
        return data


class SeatForm(Form):
    email = forms.EmailField(label="Email address of the board member", max_length=254)
    system = forms.ModelChoiceField(label="System whose talent board they sit on", queryset=None)

    def __init__(self, *args, region=None, systems=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.fields["system"].queryset = systems

    def clean_email(self):
        return people_by_emails(self.cleaned_data["email"], self.region)[0]
