"""Forms for the scheme's pages: they validate input only and hand cleaned data to the services."""

from __future__ import annotations

from django import forms

from academy.forms import DateField, rating_field
from academy.models import Organisation, Person
from gmts.models import FeedbackStage, HostBid, Intake, PlacementKind, Specialism, TraineeStatus


class TraineeFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Name or email")
    intake = forms.ModelChoiceField(queryset=Intake.objects.none(), required=False, empty_label="Any intake")
    specialism = forms.ModelChoiceField(
        queryset=Specialism.objects.all(), required=False, empty_label="Any specialism"
    )
    status = forms.ChoiceField(choices=[("", "Any status"), *TraineeStatus.choices], required=False)
    at_risk = forms.BooleanField(
        required=False, label="Only trainees whose next start has no confirmed placement"
    )

    def __init__(self, *args, intakes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intake"].queryset = intakes if intakes is not None else Intake.objects.none()


class AssureForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        label="Your decision",
        error_messages={"required": "Choose whether to approve or decline the bid"},
    )
    places_approved = forms.IntegerField(
        required=False,
        min_value=1,
        label="Places approved",
        help_text="Leave empty to approve every place requested.",
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Reasons for the decision",
        error_messages={"required": "Give the reasons for the decision"},
    )


class PlacementForm(forms.Form):
    """A GMTS manager places a trainee on an approved bid of their intake."""

    bid = forms.ModelChoiceField(
        queryset=HostBid.objects.none(),
        label="Host bid",
        empty_label="Choose a bid",
        error_messages={"required": "Choose the bid the placement draws on"},
    )
    kind = forms.ChoiceField(choices=PlacementKind.choices, label="Kind of placement")
    starts_on = DateField(label="Start date")
    ends_on = DateField(label="End date")

    def __init__(self, *args, bids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bid"].queryset = bids if bids is not None else HostBid.objects.none()
        self.fields["bid"].label_from_instance = lambda bid: (
            f"{bid.lead_organisation} – {bid.get_kind_display().lower()}s, {bid.places_left} of "
            f"{bid.places_approved} places left"
        )

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] <= data["starts_on"]:
            self.add_error("ends_on", "The end date must be after the start date")
        return data


class SignOffForm(forms.Form):
    competency = forms.ChoiceField(
        label="Competency", error_messages={"required": "Choose the competency you are signing off"}
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        label="What did the trainee do to show it?",
        error_messages={"required": "Say what the trainee did to show the competency"},
    )
    evidence = forms.FileField(
        required=False, label="Evidence (optional)", help_text="A document, up to 10MB."
    )

    def __init__(self, *args, competencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].choices = [("", "Choose a competency"), *[(c, c) for c in competencies]]

    def clean_evidence(self):
        evidence = self.cleaned_data.get("evidence")
        if evidence and evidence.size > 10 * 1024 * 1024:
            raise forms.ValidationError("The evidence must be smaller than 10MB")
        return evidence


class FeedbackForm(forms.Form):
    rating = rating_field("How would you rate this placement?")
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Anything you would like the GMTS team to know (optional)",
        help_text="The team sees ratings only as a host's average over at least three responses.",
    )


class FrameworkForm(forms.Form):
    competencies = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 12}),
        label="Competencies",
        help_text="One competency a line.",
        error_messages={"required": "List at least one competency"},
    )


class PeriodForm(forms.Form):
    year = forms.RegexField(
        regex=r"^\d{4}/\d{2}$", required=False, label="NHS year", help_text="For example, 2020/21."
    )


STAGE_LABELS = dict(FeedbackStage.choices)


class TraineeStatusForm(forms.Form):
    status = forms.ChoiceField(choices=TraineeStatus.choices, widget=forms.RadioSelect, label="Status")
    reason = forms.CharField(
        required=False,
        max_length=300,
        label="Reason",
        help_text="Needed for a break or a withdrawal.",
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        label="Why is the placement withdrawn?",
        error_messages={"required": "Give the reason for withdrawing the placement"},
    )


class BidForm(forms.Form):
    """A host's bid as the GMTS team receives it."""

    intake = forms.ModelChoiceField(queryset=Intake.objects.none(), empty_label="Choose an intake")
    lead_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label="Lead organisation", empty_label="Choose an organisation"
    )
    partners = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    kind = forms.ChoiceField(choices=PlacementKind.choices, label="Kind of placement")
    places_requested = forms.IntegerField(min_value=1, max_value=50, label="Placements offered")
    programme_manager_email = forms.EmailField(label="Programme manager's work email")
    placement_manager_email = forms.EmailField(label="Placement manager's work email")
    funding_commitment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Funding commitment")

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intake"].queryset = Intake.objects.filter(region=region)
        organisations = Organisation.objects.filter(region=region)
        self.fields["lead_organisation"].queryset = organisations
        self.fields["partners"].queryset = organisations

    def clean(self):
        data = super().clean()
        for name in ("programme_manager_email", "placement_manager_email"):
            email = data.get(name)
            if email:
                person = Person.objects.filter(user__email__iexact=email).first()
                if person is None:
                    self.add_error(name, f"No one in the portal has the email {email}")
                data[name.removesuffix("_email")] = person
        return data


class TraineeCreateForm(forms.Form):
    """A GMTS manager adds one trainee: someone on Academy already (by their email), or someone new,
    who is sent an invitation to set a password."""

    email = forms.EmailField(
        label="Work email",
        max_length=254,
        help_text="If they are not on Academy yet, give their name too: they are sent an invitation.",
        error_messages={"required": "Enter the trainee's work email"},
    )
    first_name = forms.CharField(
        required=False, max_length=100, label="First name", help_text="Only for someone new to Academy."
    )
    last_name = forms.CharField(
        required=False, max_length=100, label="Last name", help_text="Only for someone new to Academy."
    )
    intake = forms.ModelChoiceField(
        queryset=Intake.objects.none(),
        empty_label="Choose an intake",
        error_messages={"required": "Choose the intake they join"},
    )
    specialism = forms.ModelChoiceField(
        queryset=Specialism.objects.all(),
        empty_label="Choose a specialism",
        error_messages={"required": "Choose their specialism"},
    )
    programme_manager_email = forms.EmailField(
        required=False,
        max_length=254,
        label="Programme manager's work email (optional)",
        help_text="Someone on Academy already.",
    )

    def __init__(self, *args, intakes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intake"].queryset = intakes if intakes is not None else Intake.objects.none()

    def clean(self):
        data = super().clean()
        data["programme_manager"] = None
        email = data.get("programme_manager_email")
        if email:
            data["programme_manager"] = Person.objects.filter(user__email__iexact=email).first()
            if data["programme_manager"] is None:
                self.add_error("programme_manager_email", f"No one in the portal has the email {email}")
        return data
