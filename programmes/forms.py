"""Forms are plain Django forms (the NHS renderer lays them out); they validate input only and
hand cleaned data to the services."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from academy.forms import DateField, DateTimeField, Form, ModelForm, rating_field
from academy.imports.pages import ImportUploadForm
from academy.models import PayBand, StaffGroup, System
from academy.once import OnceFormMixin
from academy.selectors import system_choices
from programmes.models import (
    ApplicationDecision,
    AttendanceStatus,
    Audience,
    Cohort,
    DeliveryMode,
    Programme,
    Session,
    Theme,
)
from programmes.services import PROGRAMME_FIELDS


class OfferForm(Form):
    """The offer's search and filters (GET). Each is optional; `programmes.selectors.offer_page` applies
    those given."""

    q = forms.CharField(label="Search", required=False, max_length=200)
    theme = forms.ChoiceField(
        choices=[("", "Any theme"), *Theme.choices], label="People Plan theme", required=False
    )
    audience = forms.ChoiceField(
        choices=[("", "Anyone"), *Audience.choices], label="Audience", required=False
    )
    delivery_mode = forms.ChoiceField(
        choices=[("", "Any"), *DeliveryMode.choices], label="How it is delivered", required=False
    )
    system = forms.ChoiceField(
        # Reference data kept per process (academy.selectors.system_choices): no query per request.
        choices=lambda: [("", "Any system"), *((str(choice.pk), choice.name) for choice in system_choices())],
        label="Your system",
        help_text="Cohorts for this system and region-wide cohorts.",
        required=False,
    )
    starts_after = DateField(label="Starting on or after", error_name="Earliest start date", required=False)
    starts_before = DateField(label="Starting on or before", error_name="Latest start date", required=False)
    places_available = forms.BooleanField(label="Only with places available now", required=False)

    def clean_system(self):
        chosen = self.cleaned_data["system"]
        return next((system for system in system_choices() if chosen and str(system.pk) == chosen), None)


class ApplicationForm(Form):
    profession = forms.ChoiceField(
        choices=[("", "Choose"), ("Nurse", "Nurse"), ("Midwife", "Midwife"), ("Other", "Other")],
        label="Your profession",
    )
    why = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Why do you want to join this programme?",
        max_length=3000,
    )
    contribution = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        label="What will you do with what you learn, in your team and your system?",
        max_length=3000,
    )
    line_manager_name = forms.CharField(label="Your line manager's name", max_length=200)
    line_manager_email = forms.EmailField(label="Your line manager's work email", max_length=254)
    line_manager_supports = forms.BooleanField(
        label="My line manager supports this application and the time it needs",
        error_messages={"required": "Confirm that your line manager supports this application"},
    )


class FeedbackForm(Form):
    rating = rating_field("How would you rate this programme overall?")
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), required=False, label="What difference has it made to you?"
    )
    consent_to_quote = forms.BooleanField(
        required=False, label="You may quote my comment, without my name, in Academy publications"
    )
    attribution = forms.CharField(
        required=False,
        max_length=150,
        label="How should a quote be signed?",
        help_text='Your role, not your name: for example "PCN Clinical Director".',
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("consent_to_quote") and not cleaned.get("attribution"):
            self.add_error("attribution", "Say how a quote should be signed, or untick the consent box")
        return cleaned


class ProgrammeForm(OnceFormMixin, ModelForm):
    eligible_pay_bands = forms.MultipleChoiceField(
        choices=PayBand.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked for every band.",
    )
    eligible_staff_groups = forms.MultipleChoiceField(
        choices=StaffGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked for every staff group.",
    )

    class Meta:
        model = Programme
        fields = list(PROGRAMME_FIELDS)
        widgets = {
            "theme": forms.RadioSelect,
            "delivery_mode": forms.RadioSelect,
            "entry_route": forms.RadioSelect,
        }


class CohortForm(OnceFormMixin, ModelForm):
    enrolment_opens_at = DateTimeField(
        label="Enrolment opens",
        error_name="Enrolment opening date",
        required=False,
        help_text="Enrolment also has to be opened on the cohort's page.",
    )
    enrolment_closes_at = DateTimeField(
        label="Enrolment closes", error_name="Enrolment closing date", required=False
    )

    class Meta:
        model = Cohort
        fields = ["name", "system", "capacity", "enrolment_opens_at", "enrolment_closes_at", "facilitators"]
        help_texts = {"system": "Leave empty for a region-wide cohort."}

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = System.objects.filter(sub_region__region=region).order_by("name")
        self.fields["system"].empty_label = "Region-wide"

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("enrolment_opens_at"), cleaned.get("enrolment_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("enrolment_closes_at", "Enrolment must close after it opens")
        return cleaned

    def _post_clean(self):
        # The model's constraints are checked by the service; the form checks its own fields only.
        pass


class SessionForm(OnceFormMixin, ModelForm):
    joining_url = forms.URLField(assume_scheme="https", required=False, label="Joining link", max_length=200)
    recording_url = forms.URLField(
        assume_scheme="https",
        required=False,
        max_length=200,
        label="Recording link",
        help_text="Add after the session, if recorded.",
    )

    starts_at = DateTimeField(label="Starts", error_name="Start date")
    ends_at = DateTimeField(label="Ends", error_name="End date")

    class Meta:
        model = Session
        fields = ["title", "starts_at", "ends_at", "venue", "joining_url", "recording_url"]

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The session must end after it starts")
        if not cleaned.get("venue") and not cleaned.get("joining_url"):
            self.add_error("venue", "Give a venue or a joining link")
        return cleaned

    def _post_clean(self):
        pass


class AddPersonForm(Form):
    email = forms.EmailField(
        max_length=254,
        label="Work email of the person to add",
        help_text="Someone from outside your region, or new to Academy, is invited: you see their "
        "name once they accept.",
    )


class EnrolmentImportForm(ImportUploadForm):
    """The file, and the exception to the sign-up domains a staff member may confirm, with its reason."""

    other_domains = forms.BooleanField(
        label="Allow email addresses outside the sign-up domains",
        required=False,
        help_text="Only for people who work for the NHS or care but have no such address. The reason is recorded.",
    )
    reason = forms.CharField(
        label="Why these addresses are allowed",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("other_domains") and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Give the reason for allowing addresses outside the sign-up domains")
        if not cleaned.get("other_domains"):
            cleaned["reason"] = ""
        return cleaned


class CancelCohortForm(Form):
    reason = forms.CharField(
        label="Reason (sent to everyone on the cohort)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class AttendanceForm(Form):
    """One choice per enrolled person, all saved together. The answers are read straight from the
    submitted data rather than through 500 Django fields, which would cost more than the page."""

    def __init__(self, data=None, *, enrolments):
        super().__init__(data)
        self.enrolments = enrolments
        self.row_errors: dict[str, str] = {}
        self.cleaned_marks: dict[int, str] = {}

    def clean(self):
        allowed = set(AttendanceStatus.values)
        for enrolment in self.enrolments:
            value = self.data.get(f"e{enrolment['pk']}")
            if value in allowed:
                self.cleaned_marks[enrolment["pk"]] = value
            else:
                self.row_errors[f"e{enrolment['pk']}"] = (
                    f"Choose attended, absent or apologies for {enrolment['full_name'] or 'this person'}"
                )
        if self.row_errors:
            raise forms.ValidationError(list(self.row_errors.values()))
        return self.cleaned_data

    @property
    def summary_errors(self) -> list[tuple[str, str]]:
        """Each unmarked person's error links to their first answer, as the NHS error summary asks."""
        return [(f"id_{name}_0", message) for name, message in self.row_errors.items()]

    def marks(self) -> dict[int, str]:
        return dict(self.cleaned_marks)

    def rows(self) -> list[dict]:
        """The values each person's row of the register shows: name, organisation, the radios' name
        and id prefix, which answer is chosen, and the error. The template stamps one row per person."""
        rows = []
        for enrolment in self.enrolments:
            name = f"e{enrolment['pk']}"
            value = self.data.get(name) if self.is_bound else enrolment["current"]
            rows.append(
                {
                    "enrolment": enrolment,
                    "name": name,
                    "prefix": f"id_{name}",
                    "person": enrolment["full_name"],
                    "organisation": enrolment["organisation"] or "",
                    "value": value,
                    "attended": value == "attended",
                    "absent": value == "absent",
                    "apologies": value == "apologies",
                    "error": self.row_errors.get(name, ""),
                }
            )
        return rows


class DecisionForm(Form):
    decision = forms.ChoiceField(
        choices=[(ApplicationDecision.SHORTLISTED, "Shortlist"), (ApplicationDecision.DECLINED, "Decline")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Note (staff only)"
    )


class ShortlistFilterForm(Form):
    system = forms.ModelChoiceField(queryset=System.objects.none(), required=False, empty_label="All systems")
    profession = forms.CharField(required=False, max_length=100)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = System.objects.filter(sub_region__region=region).order_by("name")


def aware(value):
    return timezone.make_aware(value) if value is not None and timezone.is_naive(value) else value
