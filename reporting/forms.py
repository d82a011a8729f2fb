"""Forms for leads: the dashboard filter, an edition (period and scope), its narrative, its quotes and
the HCLM 360 upload. Plain Django forms; the NHS renderer gives them NHS.UK markup."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from academy.forms import DateField, Form
from academy.imports.pages import ImportUploadForm
from academy.models import Region, System
from academy.once import OnceFormMixin
from reporting.chapters import with_introductions
from reporting.imports import HCLM360
from reporting.models import Edition, nhs_year_label, nhs_year_period

CUSTOM = "custom"


def nhs_year_choices(*, back_to: int = 2019) -> list[tuple[str, str]]:
    this_year = int(nhs_year_label(timezone.localdate())[:4])
    return [
        (f"{y}/{(y + 1) % 100:02d}", f"{y}/{(y + 1) % 100:02d} (1 April {y} to 31 March {y + 1})")
        for y in range(this_year, back_to - 1, -1)
    ]


class SystemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: System) -> str:
        return obj.name


class DashboardFilterForm(Form):
    year = forms.ChoiceField(label="Year")
    system = SystemChoiceField(queryset=System.objects.none(), required=False, empty_label="The whole region")

    def __init__(self, *args, region: Region, years: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]
        self.fields["system"].queryset = System.objects.filter(sub_region__region=region)


class EditionForm(OnceFormMixin, Form):
    title = forms.CharField(
        max_length=200,
        help_text='For example, "A Year in Review 2020/21".',
        error_messages={"required": "Enter a title for the edition."},
    )
    year = forms.ChoiceField(
        label="Period",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the year the edition covers, or a custom period."},
        help_text="An NHS year runs from 1 April to 31 March.",
    )
    period_start = DateField(label="First day of the custom period", required=False)
    period_end = DateField(label="Last day of the custom period", required=False)
    system = SystemChoiceField(
        queryset=System.objects.none(),
        required=False,
        empty_label="The whole region",
        help_text="Leave as the whole region, or choose one system.",
    )

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [*nhs_year_choices(), (CUSTOM, "A custom period")]
        self.fields["system"].queryset = System.objects.filter(sub_region__region=region)

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("year")
        if year == CUSTOM:
            start, end = cleaned.get("period_start"), cleaned.get("period_end")
            # A day already refused as malformed keeps its one message; only a missing day is named here.
            if not start and "period_start" not in self.errors:
                self.add_error("period_start", "Enter the first day of the custom period.")
            if not end and "period_end" not in self.errors:
                self.add_error("period_end", "Enter the last day of the custom period.")
            if start and end and end < start:
                self.add_error("period_end", "The last day must be on or after the first day.")
        elif year:
            cleaned["period_start"], cleaned["period_end"] = nhs_year_period(year)
        return cleaned

    def edition_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "system": data.get("system"),
        }


class NarrativeForm(Form):
    """The words leads write: welcome, executive summary, an introduction per chapter, looking ahead."""

    welcome = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), required=False)
    executive_summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), required=False)
    looking_ahead = forms.CharField(
        label="Our achievements and looking ahead", widget=forms.Textarea(attrs={"rows": 8}), required=False
    )

    def __init__(self, *args, edition: Edition, **kwargs):
        initial = {
            "welcome": edition.welcome,
            "executive_summary": edition.executive_summary,
            "looking_ahead": edition.looking_ahead,
        }
        for chapter in with_introductions():
            initial[f"intro_{chapter.key}"] = edition.introduction(chapter.key)
        super().__init__(*args, initial=initial, **kwargs)
        for chapter in with_introductions():
            self.fields[f"intro_{chapter.key}"] = forms.CharField(
                label=f"Introduction: {chapter.title}",
                widget=forms.Textarea(attrs={"rows": 4}),
                required=False,
            )
        # Keep the document's order: welcome, summary, chapters, looking ahead last.
        self.order_fields(["welcome", "executive_summary", *[f"intro_{c.key}" for c in with_introductions()]])

    def edition_fields(self) -> dict:
        data = self.cleaned_data
        introductions = {
            c.key: data[f"intro_{c.key}"] for c in with_introductions() if data.get(f"intro_{c.key}")
        }
        return {
            "welcome": data["welcome"],
            "executive_summary": data["executive_summary"],
            "looking_ahead": data["looking_ahead"],
            "chapter_introductions": introductions,
        }


class QuoteChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return (
            f"“{obj.comment}” — {obj.attribution or 'A participant'}, {obj.enrolment.cohort.programme.title}"
        )


class QuotesForm(Form):
    quotes = QuoteChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Quotes to publish",
        help_text="Only feedback given with consent to quote is listed.",
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quotes"].queryset = queryset


class HclmUploadForm(ImportUploadForm):
    """The HCLM 360 file: an Excel workbook or CSV within the import's limits (`reporting.imports`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, spec=HCLM360, **kwargs)
        self.fields["file"].label = "HCLM 360 counts (Excel workbook or CSV)"


def default_year() -> str:
    """The last complete NHS year: what a lead most often reports on."""
    today = timezone.localdate()
    return nhs_year_label(today - dt.timedelta(days=366))
