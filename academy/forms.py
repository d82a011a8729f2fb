"""Forms and the renderer that gives every form in the portal the NHS.UK frontend markup."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting

from academy.models import Organisation, Person


class NHSFormRenderer(TemplatesSetting):
    """Renders every form (ours, allauth's, django-filter's) with NHS.UK frontend markup: the field
    templates lay each field out, and widgets get the component classes here, with the error
    variant when Django marks the widget `aria-invalid`."""

    form_template_name = "includes/forms/form.html"
    field_template_name = "includes/forms/field.html"

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if isinstance(widget, dict) and "attrs" in widget:
            css = widget_class(widget.get("template_name", template_name))
            if css:
                attrs = dict(widget["attrs"])
                classes = [css, attrs.get("class", "")]
                if attrs.get("aria-invalid") in ("true", True) and css in _ERROR_CLASSES:
                    classes.append(_ERROR_CLASSES[css])
                attrs["class"] = " ".join(c for c in classes if c)
                # The NHS pattern labels every field; placeholders only repeat the label.
                attrs.pop("placeholder", None)
                widget["attrs"] = attrs
        return super().render(template_name, context, request)


_WIDGET_CLASSES = {
    "radio_option.html": "nhsuk-radios__input",
    "checkbox_option.html": "nhsuk-checkboxes__input",
    "checkbox.html": "nhsuk-checkboxes__input",
    "select.html": "nhsuk-select",
    "textarea.html": "nhsuk-textarea",
    "file.html": "nhsuk-file-upload__input",
    "clearable_file_input.html": "nhsuk-file-upload__input",
}
_INPUT_TEMPLATES = {
    "text.html",
    "email.html",
    "password.html",
    "number.html",
    "url.html",
    "date.html",
    "datetime.html",
    "time.html",
    "search.html",
    "tel.html",
    "input.html",
}
_ERROR_CLASSES = {
    "nhsuk-input": "nhsuk-input--error",
    "nhsuk-select": "nhsuk-select--error",
    "nhsuk-textarea": "nhsuk-textarea--error",
}


def widget_class(template_name: str) -> str:
    name = template_name.rsplit("/", 1)[-1]
    if name in _INPUT_TEMPLATES:
        return "nhsuk-input"
    return _WIDGET_CLASSES.get(name, "")


class ProfileForm(forms.ModelForm):
    """The participant's own profile. Equality questions are optional and explained."""

    class Meta:
        model = Person
        fields = [
            "given_name",
            "family_name",
            "job_title",
            "organisation",
            "staff_group",
            "pay_band",
            "gender",
            "ethnic_category",
            "disability",
        ]
        widgets = {
            "gender": forms.RadioSelect,
            "disability": forms.RadioSelect,
        }
        help_texts = {
            "organisation": "The organisation that employs you.",
            "staff_group": "Your ESR staff group.",
            "gender": "Used only in anonymised figures: groups smaller than 8 are never shown.",
            "ethnic_category": "The NHS data dictionary categories. Used only in anonymised figures.",
            "disability": "Do you consider yourself to have a disability? Used only in anonymised figures.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("given_name", "family_name", "organisation", "staff_group", "job_title"):
            self.fields[name].required = True
        self.fields["organisation"].queryset = Organisation.objects.select_related("system").order_by("name")
        self.fields["organisation"].empty_label = "Choose your organisation"
        for name, label in (
            ("staff_group", "Choose your staff group"),
            ("pay_band", "Choose your pay band"),
            ("ethnic_category", "Choose a category"),
        ):
            self.fields[name].choices = [("", label), *[c for c in self.fields[name].choices if c[0]]]
        for name in ("gender", "disability"):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's refusal becomes the form's errors (per field where the service named one), so the
    page re-renders with the NHS error summary and nothing is lost."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
