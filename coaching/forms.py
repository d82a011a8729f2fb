"""Forms of the coaching app: plain forms whose cleaned data the views pass to a service."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from academy.forms import DateField, DateTimeField, Form
from academy.once import OnceFormMixin
from coaching.models import (
    Availability,
    CoachKind,
    QualificationKind,
    RelationshipType,
    Specialism,
    SupervisionFunction,
    SupervisionTheme,
)
from coaching.services import CERTIFICATE_MAX_BYTES, ReviewDecision, certificate_content_type


def _narrow(width: int = 4) -> forms.NumberInput:
    return forms.NumberInput(attrs={"class": f"nhsuk-input--width-{width}"})


def _text_area(
    label: str | None, *, rows: int, required: bool = True, help_text: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={"rows": rows}), required=required, help_text=help_text
    )


def _specialisms(label: str, *, required: bool = True) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=Specialism.choices, widget=forms.CheckboxSelectMultiple, required=required
    )


class CertificateField(forms.FileField):
    """A PDF, JPG or PNG under 5 MB, checked by its content as well as its size."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            try:
                certificate_content_type(upload)
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from error
        return upload


class QualificationForm(Form):
    qualification_kind = forms.ChoiceField(
        label="Qualification", choices=QualificationKind.choices, widget=forms.RadioSelect
    )
    qualification_title = forms.CharField(
        label="Name of the qualification",
        required=False,
        max_length=200,
        help_text="Needed if you chose other.",
    )
    awarded_on = DateField(label="Date awarded", required=False)
    certificate = CertificateField(
        label="Certificate",
        required=False,
        help_text=f"A PDF, JPG or PNG, at most {CERTIFICATE_MAX_BYTES // (1024 * 1024)} MB. Only you and the "
        "academy team can see it.",
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("qualification_kind") == QualificationKind.OTHER and not cleaned.get(
            "qualification_title"
        ):
            self.add_error("qualification_title", "Enter the name of the qualification.")
        return cleaned


class ApplyForm(QualificationForm):
    kind = forms.ChoiceField(
        label="Join the register as", choices=CoachKind.choices, widget=forms.RadioSelect
    )
    specialisms = _specialisms("What you can help with")
    capacity = forms.IntegerField(
        label="How many coachees can you take at once?",
        min_value=1,
        max_value=20,
        initial=2,
        widget=_narrow(2),
    )
    availability = forms.ChoiceField(choices=Availability.choices, widget=forms.RadioSelect, initial="now")
    availability_notes = forms.CharField(
        label="When are you usually free?",
        required=False,
        max_length=300,
        help_text="For example, Tuesday afternoons.",
    )
    experience = forms.CharField(label="Your coaching or mentoring experience", widget=forms.Textarea)

    field_order = [
        "kind",
        "specialisms",
        "capacity",
        "availability",
        "availability_notes",
        "experience",
        "qualification_kind",
        "qualification_title",
        "awarded_on",
        "certificate",
    ]


class ProfileUpdateForm(Form):
    specialisms = _specialisms("What you can help with")
    capacity = forms.IntegerField(
        label="How many coachees can you take at once?", min_value=0, max_value=20, widget=_narrow(2)
    )
    availability = forms.ChoiceField(choices=Availability.choices, widget=forms.RadioSelect)
    availability_notes = forms.CharField(label="When are you usually free?", required=False, max_length=300)


class ReviewForm(Form):
    decision = forms.ChoiceField(choices=ReviewDecision.CHOICES, widget=forms.RadioSelect)
    note = _text_area(
        "Note to the applicant", rows=3, required=False, help_text="Needed when you ask for more information."
    )


class SupervisionLogForm(Form):
    held_on = DateField(label="Date of supervision")
    hours = forms.DecimalField(
        min_value=Decimal("0.25"), max_value=24, decimal_places=2, initial=1, widget=_narrow()
    )
    supervisor_name = forms.CharField(label="Supervisor's name", max_length=200)
    functions = forms.MultipleChoiceField(
        label="Which functions did it serve?",
        choices=SupervisionFunction.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.MultipleChoiceField(
        choices=SupervisionTheme.choices, widget=forms.CheckboxSelectMultiple, required=False
    )


class ScheduleSupervisionForm(Form):
    starts_at = DateTimeField(label="Date and time")
    duration_hours = forms.DecimalField(
        label="Length in hours",
        min_value=Decimal("0.5"),
        max_value=8,
        decimal_places=2,
        initial=2,
        widget=_narrow(),
    )
    joining_details = forms.CharField(label="Joining link or venue", required=False, max_length=300)


class AddAttendeeForm(Form):
    profile = forms.ModelChoiceField(label="Coach", queryset=None, empty_label="Choose a coach")

    # A big register would make a select of thousands: offer those whose supervision is most overdue
    # or soonest due; any coach on the register is still accepted when posted.
    MAX_CHOICES = 200

    def __init__(self, *args, coaches, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["profile"]
        field.queryset = coaches
        field.widget.choices = [("", "Choose a coach")] + [
            (p.pk, _attendee_label(p)) for p in coaches[: self.MAX_CHOICES]
        ]


def _attendee_label(profile) -> str:
    if profile.supervision_due_on:
        return f"{profile.person.full_name} – supervision due {profile.supervision_due_on:%-d %b %Y}"
    return profile.person.full_name


class ConfirmAttendanceForm(Form):
    attended = forms.MultipleChoiceField(
        label="Who attended?", widget=forms.CheckboxSelectMultiple, required=False
    )
    functions = forms.MultipleChoiceField(
        label="Which functions did the session serve?",
        choices=SupervisionFunction.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.MultipleChoiceField(
        label="Themes explored",
        choices=SupervisionTheme.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, attendees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(str(a.profile_id), a.profile.person.full_name) for a in attendees]


class ReflectiveNoteForm(OnceFormMixin, Form):
    title = forms.CharField(max_length=200)
    body = _text_area("Your reflection", rows=10)


class CPDEventForm(OnceFormMixin, Form):
    title = forms.CharField(max_length=200)
    description = _text_area(None, rows=3, required=False)
    starts_at = DateTimeField(label="Date and time")
    duration_hours = forms.DecimalField(
        label="Length in hours",
        min_value=Decimal("0.25"),
        max_value=8,
        decimal_places=2,
        initial=1,
        widget=_narrow(),
    )
    joining_url = forms.URLField(label="Joining link", required=False, assume_scheme="https", max_length=200)


class RecordingForm(Form):
    recording_url = forms.URLField(label="Recording link", assume_scheme="https", max_length=200)


class CPDLogForm(Form):
    done_on = DateField(label="Date")
    hours = forms.DecimalField(min_value=Decimal("0.25"), max_value=100, decimal_places=2, widget=_narrow())
    activity = forms.CharField(label="What did you do?", max_length=200)
    learning = _text_area("What you learnt", rows=4, required=False)


class CoachingRequestForm(Form):
    relationship_type = forms.ChoiceField(
        label="What are you looking for?", choices=RelationshipType.choices, widget=forms.RadioSelect
    )
    goals = _text_area("What do you want to work on?", rows=4)
    specialisms = _specialisms("Which of these areas matter most?", required=False)
    preferences = _text_area(
        "Anything else we should know?",
        rows=3,
        required=False,
        help_text="For example, a preference for someone outside your profession.",
    )


class OfferForm(Form):
    coach = forms.IntegerField(widget=forms.HiddenInput)


class SessionLogForm(Form):
    held_on = DateField(label="Date of the session")
    duration_minutes = forms.IntegerField(
        label="Length in minutes", min_value=5, max_value=480, initial=60, widget=_narrow()
    )
    notes = _text_area(
        "Notes",
        rows=4,
        required=False,
        help_text="Only you and your coaching partner can read these. The academy sees only dates and hours.",
    )


class CloseForm(Form):
    rating = forms.TypedChoiceField(
        label="How useful was the relationship?",
        choices=[
            (5, "Very useful"),
            (4, "Useful"),
            (3, "Somewhat useful"),
            (2, "Not very useful"),
            (1, "Not useful"),
        ],
        coerce=int,
        widget=forms.RadioSelect,
    )
    evaluation = _text_area("What difference did it make?", rows=4, required=False)


class ConfirmForm(Form):
    """A confirmation page's form: no fields, but somewhere for a service's refusal to be shown."""
