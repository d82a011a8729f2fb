"""The portal's own form fields (the NHS.UK date input, parsed and worded as the design system asks) and
forms. Pages draw every field through the Jinja2 bridge (`academy/jinja2.py`: `field()`).

Every form of the portal subclasses `Form` or `ModelForm` here (a FilterSet through `Meta.form`), so
no input can reach the database unchecked: text is refused when it holds a NUL byte or runs past a
length (its model column's, else `TEXT_MAX_LENGTH` for a text box and `LONG_TEXT_MAX_LENGTH` for a text
area), and whole numbers past PostgreSQL's integer range are refused, each with a message the NHS error
summary shows."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.utils import from_current_timezone
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from academy.models import Organisation, Person
from academy.services import PROFILE_FIELDS

# --- Safe fields: every form refuses what the database cannot hold --------------------------------

TEXT_MAX_LENGTH = 255  # a one-line answer with no length of its own
LONG_TEXT_MAX_LENGTH = 10_000  # a text area with no length of its own (about four pages of writing)
INTEGER_MIN, INTEGER_MAX = -(2**31), 2**31 - 1  # PostgreSQL's integer column


def _label(field: forms.Field, name: str) -> str:
    text = str(field.label or name.replace("_", " ").capitalize())
    return text[0].upper() + text[1:]


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(_holds_nul(v) for v in value)
    return False


def bound_field(field: forms.Field, name: str) -> None:
    """Give `field` the limits the database needs when it was declared without them."""
    label = _label(field, name).replace("%", "%%")  # validators %-format their message
    if isinstance(field, forms.CharField) and field.max_length is None:
        field.max_length = (
            LONG_TEXT_MAX_LENGTH if isinstance(field.widget, forms.Textarea) else TEXT_MAX_LENGTH
        )
        field.validators.append(
            validators.MaxLengthValidator(
                field.max_length, message=f"{label} must be {field.max_length:,} characters or fewer"
            )
        )
    if isinstance(field, forms.IntegerField):
        if field.max_value is None or field.max_value > INTEGER_MAX:
            field.max_value = INTEGER_MAX
            field.validators.append(
                validators.MaxValueValidator(INTEGER_MAX, message=f"{label} must be {INTEGER_MAX:,} or less")
            )
        if field.min_value is None or field.min_value < INTEGER_MIN:
            field.min_value = INTEGER_MIN
            field.validators.append(
                validators.MinValueValidator(INTEGER_MIN, message=f"{label} must be {INTEGER_MIN:,} or more")
            )


class SafeFormMixin:
    """Bounds every field (`bound_field`) and refuses a NUL byte in any of them with one clear
    message, whatever kind of field it is."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            bound_field(field, name)

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        for name, field in self.fields.items():
            raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            if _holds_nul(raw):
                self._errors.pop(name, None)
                self.add_error(
                    name, ValidationError(NUL_MESSAGE.format(label=_label(field, name)), code="nul")
                )


NUL_MESSAGE = "{label} must not contain hidden characters (a null byte): type it again"


class Form(SafeFormMixin, forms.Form):
    """The portal's plain form."""


class ModelForm(SafeFormMixin, forms.ModelForm):
    """The portal's model form: text fields keep their model column's length."""


# --- The NHS.UK date input -----------------------------------------------------------------------
# A date is asked as three boxes (Day, Month, Year) in a fieldset whose legend is the question; a date
# and time adds a Time box in the same fieldset. The bridge (academy/jinja2.py) draws them with the
# NHS.UK `dateInput` macro from what the widget's context gives: each box's id, name, value and error.

DATE_PARTS = ("day", "month", "year")
DATE_EXAMPLE = "For example, 15 3 2027"
TIME_HINT = "Use the 24-hour clock, for example 14:30"
_PART_LABELS = {"day": "Day", "month": "Month", "year": "Year", "time": "Time"}
_PART_WIDTHS = {"day": 2, "month": 2, "year": 4, "time": 5}
_MONTH_NAMES = {
    **{name.lower(): number for number, name in enumerate(calendar.month_name) if name},
    **{name.lower(): number for number, name in enumerate(calendar.month_abbr) if name},
    "sept": 9,
}
_DIGITS = re.compile(r"[0-9]{1,8}")  # a longer run is no day, month or year (and int() refuses 4,300+ digits)
_TIME = re.compile(r"([0-9]{1,2})[:.]?([0-9]{2})")


class NHSDateInput(forms.MultiWidget):
    """Day, Month and Year text boxes. Posted as `<name>_day`, `<name>_month`, `<name>_year`; the
    boxes' ids are `id_<name>_day` and so on, and the error summary links to the first box in error."""

    parts: tuple[str, ...] = DATE_PARTS

    def __init__(self, attrs=None):
        super().__init__(dict.fromkeys(self.parts, forms.TextInput), attrs)
        # The parts the field refused, so only those are marked; empty means the whole date.
        self.error_parts: tuple[str, ...] = ()

    def decompress(self, value):
        if isinstance(value, str):
            value = parse_datetime(value) or parse_date(value)
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value) if timezone.is_aware(value) else value
            return [str(value.day), str(value.month), str(value.year), f"{value:%H:%M}"][: len(self.parts)]
        if isinstance(value, dt.date):
            return [str(value.day), str(value.month), str(value.year), ""][: len(self.parts)]
        return [None] * len(self.parts)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        invalid = widget["attrs"].pop("aria-invalid", None) in ("true", True)
        id_ = widget["attrs"].get("id")
        marked = self.error_parts or self.parts
        for part, sub in zip(self.parts, widget["subwidgets"], strict=True):
            has_error = invalid and part in marked
            attrs = {k: v for k, v in sub["attrs"].items() if k != "aria-invalid"}
            classes = ["nhsuk-input", f"nhsuk-input--width-{_PART_WIDTHS[part]}"]
            if part != "time":
                classes.append("nhsuk-date-input__input")
            if has_error:
                classes.append("nhsuk-input--error")
                attrs["aria-invalid"] = "true"
            attrs["class"] = " ".join(classes)
            attrs["inputmode"] = "numeric"
            attrs["spellcheck"] = "false"
            if id_:
                attrs["id"] = f"{id_}_{part}"
            if part == "time" and id_:
                attrs["aria-describedby"] = f"{id_}_time-hint"
            sub.update(attrs=attrs, part=part, label=_PART_LABELS[part], has_error=has_error)
        widget["date_parts"] = [s for s in widget["subwidgets"] if s["part"] != "time"]
        widget["time_part"] = next((s for s in widget["subwidgets"] if s["part"] == "time"), None)
        widget["time_hint"] = TIME_HINT
        return context

    def id_for_label(self, id_):
        """The box the error summary links to: the first one in error, else Day."""
        if not id_:
            return ""
        return f"{id_}_{self.error_parts[0] if self.error_parts else self.parts[0]}"


class NHSDateTimeInput(NHSDateInput):
    """The date input followed by a Time box (24-hour clock), posted as `<name>_time`."""

    parts = (*DATE_PARTS, "time")


class DateField(forms.Field):
    """A date entered in the NHS.UK date input, with the GOV.UK/NHS messages. `error_name` names the
    date in messages ("Date of supervision must include a month"); it defaults to the label."""

    widget = NHSDateInput
    default_error_messages = {
        "required": "Enter {the_name}",
        "incomplete": "{name} must include a {missing}",
        "invalid": "{name} must be a real date",
        "year": "{name} must include a year with 4 numbers, for example 2027",
    }

    def __init__(self, *, error_name: str | None = None, help_text: str = "", **kwargs):
        super().__init__(help_text=" ".join(t for t in (str(help_text or ""), DATE_EXAMPLE) if t), **kwargs)
        self.error_name = error_name

    # Messages -----------------------------------------------------------------------------------

    def _names(self) -> dict[str, str]:
        name = str(self.error_name or self.label or "Date")
        lowered = name[0].lower() + name[1:]
        the_name = lowered if lowered.split(" ", 1)[0] in ("the", "your", "a", "an") else f"the {lowered}"
        return {"name": name[0].upper() + name[1:], "the_name": the_name}

    def _refuse(self, code: str, marked, **params):
        self.widget.error_parts = tuple(marked)
        message = str(self.error_messages[code]).format(**self._names(), **params)
        raise ValidationError(message, code=code)

    def validate(self, value):
        if value in self.empty_values and self.required:
            self._refuse("required", ())
        super().validate(value)

    # Parsing ------------------------------------------------------------------------------------

    def _raw(self, value) -> dict[str, str]:
        values = [*value, *[""] * len(self.widget.parts)][: len(self.widget.parts)]
        return {part: str(v or "").strip() for part, v in zip(self.widget.parts, values, strict=True)}

    def _parse_date(self, raw: dict[str, str]) -> dt.date:
        if not any(raw[p] for p in DATE_PARTS):
            self._refuse("required", DATE_PARTS)
        missing = [p for p in DATE_PARTS if not raw[p]]
        if missing:
            names = missing[0] if len(missing) == 1 else f"{missing[0]} and {missing[1]}"
            self._refuse("incomplete", missing, missing=names)
        month_text = raw["month"].lower().rstrip(".")
        # At most 6 digits a part: longer is no date (and too long to be made a number at all).
        numbers = {
            p: int(raw[p]) if _DIGITS.fullmatch(raw[p]) and len(raw[p]) <= 6 else None for p in DATE_PARTS
        }
        if numbers["month"] is None:
            numbers["month"] = _MONTH_NAMES.get(month_text)
        wrong = [p for p in DATE_PARTS if numbers[p] is None]
        if wrong:
            self._refuse("invalid", wrong)
        day, month, year = numbers["day"], numbers["month"], numbers["year"]
        if len(raw["year"]) != 4:
            self._refuse("year", ["year"])
        wrong = [
            p
            for p, ok in (("day", 1 <= day <= 31), ("month", 1 <= month <= 12), ("year", year >= 1))
            if not ok
        ]
        if wrong:
            self._refuse("invalid", wrong)
        try:
            return dt.date(year, month, day)
        except ValueError:
            self._refuse("invalid", ["day"])

    def to_python(self, value):
        self.widget.error_parts = ()
        if isinstance(value, dt.datetime):
            return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        if isinstance(value, dt.date) or value in self.empty_values:
            return value or None
        if isinstance(value, str):  # an ISO date given in code, never typed
            try:
                return parse_date(value) or self._refuse("invalid", ())
            except ValueError:
                self._refuse("invalid", ())
        raw = self._raw(value)
        if not any(raw.values()):
            return None
        return self._parse_date(raw)

    def has_changed(self, initial, data):
        marked = self.widget.error_parts  # keep what clean() marked for the page
        try:
            return (self.to_python(initial) if initial else None) != self.to_python(data)
        except ValidationError:
            return True
        finally:
            self.widget.error_parts = marked


class DateTimeField(DateField):
    """A date and a time of day, entered as UK (Europe/London) time and returned aware."""

    widget = NHSDateTimeInput
    default_error_messages = {
        "time": "Enter the time in the 24-hour clock, for example 14:30",
        "clocks": "The clocks change at that time on that day: enter a time an hour earlier or later",
    }

    def to_python(self, value):
        self.widget.error_parts = ()
        if isinstance(value, dt.datetime) or value in self.empty_values:
            return value or None
        if isinstance(value, str):  # an ISO datetime given in code, never typed
            try:
                value = parse_datetime(value) or self._refuse("invalid", ())
            except ValueError:
                self._refuse("invalid", ())
            return from_current_timezone(value)
        raw = self._raw(value)
        if not any(raw.values()):
            return None
        day = self._parse_date(raw)
        match = _TIME.fullmatch(raw["time"].replace(" ", ""))
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            self._refuse("time", ["time"])
        naive = dt.datetime.combine(day, dt.time(int(match[1]), int(match[2])))
        try:
            return from_current_timezone(naive)
        except ValidationError:
            self._refuse("clocks", ["time"])

    def prepare_value(self, value):
        return (
            timezone.localtime(value)
            if isinstance(value, dt.datetime) and timezone.is_aware(value)
            else value
        )


class OrganisationChoiceField(forms.ModelChoiceField):
    """An organisation, chosen by typing its name or ODS code. The page holds a text box, not a list of
    every organisation (a region has hundreds): static/academy/autocomplete.js turns it into GOV.UK's
    accessible autocomplete, offering the matches `academy:organisation_search` finds as the person
    types. Without JavaScript the typed text is matched here: a name as the chooser shows it
    ("name (code)"), an ODS code, a whole name, or a part of a name only one organisation has; when
    several match, the error names some of them."""

    def __init__(self, queryset=None, **kwargs):
        kwargs["widget"] = forms.TextInput(
            attrs={
                "data-organisation-search": reverse_lazy("academy:organisation_search"),
                "autocomplete": "off",
                "spellcheck": "false",
            }
        )
        super().__init__(queryset if queryset is not None else Organisation.objects.none(), **kwargs)

    def label_from_instance(self, obj: Organisation) -> str:
        return obj.label

    def prepare_value(self, value):
        if isinstance(value, Organisation):
            return value.label
        if isinstance(value, int):  # a model form's initial value: the primary key
            found = self.queryset.filter(pk=value).first()
            return found.label if found else ""
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Organisation):
            return value
        text = " ".join(str(value).split())
        if "\x00" in text or len(text) > 250:
            raise ValidationError("Type the organisation's name or its ODS code", code="invalid_choice")
        organisations = self.queryset
        if text.isdigit():  # a primary key, as a select (or another form) sends it
            found = organisations.filter(pk=int(text)).first() if len(text) < 10 else None
            if found is not None:
                return found
        shown = re.fullmatch(r"(.+?)\s*\(([A-Za-z0-9]{3,10})\)", text)
        for candidates in (
            organisations.filter(name__iexact=shown[1], ods_code__iexact=shown[2]) if shown else None,
            organisations.filter(ods_code__iexact=text),
            organisations.filter(name__iexact=text),
        ):
            found = list(candidates[:2]) if candidates is not None else []
            if len(found) == 1:
                return found[0]
        from academy.selectors import organisations_matching

        matches = organisations_matching(text, organisations)
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise ValidationError(
                f"No organisation matches “{text[:80]}”: type part of its name or its ODS code",
                code="invalid_choice",
            )
        some = ", ".join(o.label for o in matches[:3])
        raise ValidationError(
            f"{len(matches)}{'+' if len(matches) == 20 else ''} organisations match “{text[:80]}”: "
            f"type the whole name or the ODS code of yours (for example {some})",
            code="invalid_choice",
        )

    def has_changed(self, initial, data) -> bool:
        try:
            chosen = self.to_python(data)
        except ValidationError:
            return True
        initial_pk = initial.pk if isinstance(initial, Organisation) else initial
        return (chosen.pk if chosen else None) != initial_pk


def organisations_to_choose(current: Organisation | None = None):
    """The organisations a person can say they work for: the open ones, and the one already chosen
    even if it has closed since (so saving a profile never silently drops it)."""
    chosen = Q(pk=current.pk) if current is not None else Q(pk__in=[])
    return Organisation.objects.filter(Q(pk__in=Organisation.objects.open().values("pk")) | chosen).order_by(
        "name", "ods_code"
    )


class ProfileForm(ModelForm):
    """The participant's own profile. Equality questions are optional and explained."""

    class Meta:
        model = Person
        fields = list(PROFILE_FIELDS)
        field_classes = {"organisation": OrganisationChoiceField}
        widgets = {
            "gender": forms.RadioSelect,
            "disability": forms.RadioSelect,
        }
        help_texts = {
            "organisation": "The organisation that employs you. Type its name or ODS code.",
            "staff_group": "Your ESR staff group.",
            "gender": "Used only in anonymised figures: groups smaller than 8 are never shown.",
            "ethnic_category": "The NHS data dictionary categories. Used only in anonymised figures.",
            "disability": "Do you consider yourself to have a disability? Used only in anonymised figures.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("given_name", "family_name", "organisation", "staff_group", "job_title"):
            self.fields[name].required = True
        self.fields["organisation"].queryset = organisations_to_choose(self.instance.organisation)
        for name, label in (
            ("staff_group", "Choose your staff group"),
            ("pay_band", "Choose your pay band"),
            ("ethnic_category", "Choose a category"),
        ):
            self.fields[name].choices = [("", label), *[c for c in self.fields[name].choices if c[0]]]
        for name in ("gender", "disability"):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]


def rating_field(label: str) -> forms.TypedChoiceField:
    """The feedback forms' rating, from 5 (excellent) to 1 (very poor), as radios."""
    return forms.TypedChoiceField(
        coerce=int,
        choices=[
            (5, "5 – excellent"),
            (4, "4 – good"),
            (3, "3 – fair"),
            (2, "2 – poor"),
            (1, "1 – very poor"),
        ],
        widget=forms.RadioSelect,
        label=label,
        error_messages={"required": "Choose a rating from 1 to 5"},
    )


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's refusal becomes the form's errors (per field where the service named one), so the
    page re-renders with the NHS error summary and nothing is lost."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ErasureFindForm(Form):
    email = forms.EmailField(max_length=254, label="Work email of the person to erase")


class ErasureForm(Form):
    reference = forms.CharField(
        max_length=200,
        label="The request's reference",
        help_text="For example the subject access or erasure request number, e.g. SAR-2025-014. It is kept in the audit log.",
    )
    confirm = forms.BooleanField(
        label="I have checked this is the person who asked, and that nothing must be kept for a legal reason",
        error_messages={"required": "Confirm you have checked the request"},
    )
