"""Programme staff pages, all scoped to the staff member's own region by the selectors."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from academy.downloads import private_csv, private_xlsx
from academy.imports.pages import PreviewTable, import_page, template_download
from academy.models import Role
from academy.pages import form_page
from academy.permissions import require_region, role_required
from academy.views import run_service
from programmes import selectors, services
from programmes.forms import (
    AddPersonForm,
    AttendanceForm,
    CancelCohortForm,
    CohortForm,
    DecisionForm,
    EnrolmentImportForm,
    ProgrammeForm,
    SessionForm,
    ShortlistFilterForm,
)
from programmes.imports import ENROLMENTS
from programmes.models import ApplicationDecision, AttendanceStatus, Programme
from programmes.services import history

staff_only = role_required(Role.PROGRAMME_STAFF)


@staff_only
def programme_list(request: HttpRequest) -> HttpResponse:
    page = selectors.programme_page_for_staff(request.user, request.GET.get("page"))
    rows = selectors.staff_programme_rows(page.object_list)
    return render(request, "programmes/staff/programme_list.html", {"page": page, "rows": rows})


@staff_only
def programme_create(request: HttpRequest) -> HttpResponse:
    region = require_region(request.user)
    return form_page(
        request,
        ProgrammeForm,
        instance=Programme(region=region),
        template="programmes/staff/programme_form.html",
        service=lambda form: services.programme_create(
            region=region, actor=request.user, **form.cleaned_data
        ),
        success=lambda programme: f"{programme} has been created. Add its first cohort.",
        then=lambda programme: reverse("programmes:staff_programme", args=[programme.pk]),
    )


@staff_only
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_for_staff(request.user, pk)
    cohorts = selectors.cohorts_of_programme(programme)
    return render(
        request, "programmes/staff/programme_detail.html", {"programme": programme, "cohorts": cohorts}
    )


@staff_only
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_for_staff(request.user, pk)
    return form_page(
        request,
        ProgrammeForm,
        instance=programme,
        template="programmes/staff/programme_form.html",
        context={"programme": programme},
        service=lambda form: services.programme_update(
            programme=selectors.programme_for_staff(request.user, pk), actor=request.user, **form.cleaned_data
        ),
        success="The programme has been saved.",
        then=reverse("programmes:staff_programme", args=[pk]),
    )


@staff_only
def cohort_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_for_staff(request.user, pk)
    return form_page(
        request,
        CohortForm,
        region=programme.region,
        template="programmes/staff/cohort_form.html",
        context={"programme": programme},
        service=lambda form: services.cohort_create(
            programme=programme, actor=request.user, **form.cleaned_data
        ),
        success=lambda cohort: f"{cohort.name} has been created as a draft. Add its sessions.",
        then=lambda cohort: reverse("programmes:staff_cohort", args=[cohort.pk]),
    )


@staff_only
def cohort_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_for_staff(request.user, pk)
    return form_page(
        request,
        CohortForm,
        instance=cohort,
        region=cohort.region,
        template="programmes/staff/cohort_form.html",
        context={"programme": cohort.programme, "cohort": cohort},
        service=lambda form: services.cohort_update(cohort=cohort, actor=request.user, **form.cleaned_data),
        success="The cohort has been saved.",
        then=reverse("programmes:staff_cohort", args=[pk]),
    )


@staff_only
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The register: every enrolment by status with attendance rates, and the sessions."""
    cohort = selectors.cohort_for_staff(request.user, pk)
    sessions = selectors.cohort_sessions_with_rates(cohort)
    context = {
        "cohort": cohort,
        "groups": selectors.register_by_status(cohort),
        "sessions": sessions,
        "cohort_rate": selectors.cohort_attendance_rate(sessions),
        "add_form": AddPersonForm(),
    }
    return render(request, "programmes/staff/cohort_detail.html", context)


@staff_only
@require_POST
def cohort_status(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    cohort = selectors.cohort_for_staff(request.user, pk)
    change = {"open": services.cohort_open, "close": services.cohort_close}.get(action)
    if change is None:
        return redirect("programmes:staff_cohort", pk=pk)
    return run_service(
        request,
        lambda: change(cohort=cohort, actor=request.user),
        success=lambda cohort: f"{cohort.name} is now {cohort.get_status_display().lower()}.",
        then=reverse("programmes:staff_cohort", args=[pk]),
    )


@staff_only
def cohort_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_for_staff(request.user, pk)
    form = CancelCohortForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        return run_service(
            request,
            lambda: services.cohort_cancel(
                cohort=cohort, actor=request.user, reason=form.cleaned_data["reason"]
            ),
            success=f"{cohort.name} is cancelled. Everyone on it has been emailed.",
            then=reverse("programmes:staff_cohort", args=[pk]),
        )
    return render(request, "programmes/staff/cohort_cancel.html", {"cohort": cohort, "form": form})


@staff_only
@require_POST
def cohort_add_person(request: HttpRequest, pk: int) -> HttpResponse:
    """Add someone by their work email: named in the message only as the address typed, unless they
    are already a person of the region (see `enrolment_add_by_email`)."""
    cohort = selectors.cohort_for_staff(request.user, pk)
    form = AddPersonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the work email of the person to add, like name@nhs.net.")
        return redirect("programmes:staff_cohort", pk=pk)
    return run_service(
        request,
        lambda: services.enrolment_add_by_email(
            cohort=cohort, email=form.cleaned_data["email"], actor=request.user
        ),
        success=lambda enrolment: (
            f"{enrolment.staff_label} is {'invited and ' if enrolment.awaits_acceptance else ''}"
            f"{enrolment.get_status_display().lower()}."
        ),
        then=reverse("programmes:staff_cohort", args=[pk]),
    )


@staff_only
@require_POST
def waitlist_promote(request: HttpRequest, pk: int, enrolment_pk: int) -> HttpResponse:
    cohort = selectors.cohort_for_staff(request.user, pk)
    enrolment = selectors.enrolment_for_staff(request.user, enrolment_pk)
    return run_service(
        request,
        lambda: services.waitlist_promote(cohort=cohort, actor=request.user, enrolment=enrolment),
        success=lambda promoted: f"{promoted.staff_label} now has a place.",
        then=reverse("programmes:staff_cohort", args=[pk]),
    )


@staff_only
def register_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The register with a column per session, as CSV (UTF-8 with a byte-order mark) or .xlsx."""
    cohort = selectors.cohort_for_staff(request.user, pk)
    rows = selectors.register_rows(cohort)
    if fmt == "xlsx":
        return private_xlsx(rows, filename=f"register-{cohort.pk}.xlsx", title=cohort.name)
    return private_csv(rows, filename=f"register-{cohort.pk}.csv")


# The preview tells staff nothing about people outside their region: anyone not already a person of
# the region shows the names the file gave and "Invited", whether or not an account exists elsewhere.
IMPORT_TABLE = PreviewTable(
    headings=["Line", "Email", "Name", "Account"],
    cells=lambda row: [
        row.line,
        row["email"],
        f"{row['first_name']} {row['last_name']}".strip() if row["invited"] else row["person"].full_name,
        "Invited" if row["invited"] else "In your region",
    ],
)


@staff_only
def cohort_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload shows a preview (nothing written); 'Import' commits the same file, all or nothing."""
    cohort = selectors.cohort_for_staff(request.user, pk)
    return import_page(
        request,
        spec=ENROLMENTS,
        service="programmes.services.enrolments_import_commit",
        check=lambda content, filename, options: services.enrolments_import(
            cohort=cohort, content=content, filename=filename, actor=request.user, **options
        ),
        form_class=EnrolmentImportForm,
        target_id=cohort.pk,
        template="programmes/staff/cohort_import.html",
        context={"cohort": cohort},
        table=IMPORT_TABLE,
        done_url=reverse("programmes:staff_cohort", args=[cohort.pk]),
        will_do=lambda preview: f"{preview.counted()} will be enrolled or invited.",
    )


@staff_only
def cohort_import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    return template_download(ENROLMENTS, fmt)


HISTORY_TABLES = {
    "programmes": PreviewTable(["Line", "Code", "Title"], lambda row: [row.line, row["code"], row["title"]]),
    "cohorts": PreviewTable(
        ["Line", "Cohort", "Programme", "Session date"],
        lambda row: [row.line, row["cohort"], row["programme"], f"{row['session_date']:%d/%m/%Y}"],
    ),
    "people": PreviewTable(
        ["Line", "Email", "Name"],
        lambda row: [row.line, row["email"], f"{row['first_name']} {row['last_name']}"],
    ),
    # The register is read as a stream (a year's million marks are not held as rows): its first 200 show.
    "register": PreviewTable(
        ["Line", "Cohort", "Email", "Session date", "Attendance"],
        lambda row: [
            row.line,
            row["cohort"],
            row["email"],
            f"{row['session_date']:%d/%m/%Y}",
            AttendanceStatus(row["attendance"]).label,
        ],
    ),
}


@staff_only
def history_import(request: HttpRequest, kind: str) -> HttpResponse:
    """One file of a past year (programmes, cohorts with sessions, people, registers), into the staff
    member's region: preview, then import (a large file in the background, with its progress)."""
    if kind not in history.SPECS:
        raise Http404("No such history file")
    region = require_region(request.user)
    spec = history.SPECS[kind]
    return import_page(
        request,
        spec=spec,
        service="programmes.services.history.history_commit",
        check=lambda content, filename, options: history.history_check(
            kind=kind, region=region, content=content, filename=filename
        ),
        target_id=region.pk,
        template="programmes/staff/history_import.html",
        context={"kind": kind, "region": region, "steps": history.FILES, "specs": history.SPECS},
        table=HISTORY_TABLES[kind],
        done_url=reverse("programmes:staff_history_import", args=[kind]),
        will_do=lambda preview: (
            f"{preview.counted()} will be read; what Academy already holds is kept as it is."
        ),
    )


@staff_only
def history_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in history.SPECS:
        raise Http404("No such history file")
    return template_download(history.SPECS[kind], fmt)


@staff_only
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_for_staff(request.user, pk)
    return form_page(
        request,
        SessionForm,
        template="programmes/staff/session_form.html",
        context={"cohort": cohort},
        service=lambda form: services.session_create(cohort=cohort, actor=request.user, **form.cleaned_data),
        success="The session has been added.",
        then=reverse("programmes:staff_cohort", args=[pk]),
    )


@staff_only
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for_staff(request.user, pk)
    return form_page(
        request,
        SessionForm,
        instance=session,
        template="programmes/staff/session_form.html",
        context={"cohort": session.cohort, "session": session},
        service=lambda form: services.session_update(
            session=session, actor=request.user, **form.cleaned_data
        ),
        success="The session has been saved. Anyone with a place has been sent the change.",
        then=reverse("programmes:staff_cohort", args=[session.cohort_id]),
    )


@staff_only
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for_staff(request.user, pk)
    if request.method == "POST":
        services.session_cancel(session=session, actor=request.user)
        messages.success(
            request, f"{session.title} is cancelled. Everyone with a place has been sent the change."
        )
        return redirect("programmes:staff_cohort", pk=session.cohort_id)
    return render(request, "programmes/staff/session_cancel.html", {"session": session})


@staff_only
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for_staff(request.user, pk)
    sheet = selectors.attendance_sheet(session) if session.register_open else []
    return form_page(
        request,
        AttendanceForm,
        enrolments=sheet,
        template="programmes/staff/attendance.html",
        context={"session": session},
        service=lambda form: services.attendance_mark(
            session=session, marks=form.marks(), actor=request.user
        ),
        success=lambda saved: f"Attendance saved for {saved} people.",
        then=reverse("programmes:staff_cohort", args=[session.cohort_id]),
    )


@staff_only
def applications(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_for_staff(request.user, pk)
    filters = ShortlistFilterForm(request.GET or None, region=cohort.region)
    rows = selectors.applications_for_shortlisting(cohort)
    if filters.is_valid():
        if filters.cleaned_data["system"]:
            rows = rows.filter(enrolment__person__organisation__system=filters.cleaned_data["system"])
        if filters.cleaned_data["profession"]:
            rows = rows.filter(profession__iexact=filters.cleaned_data["profession"])
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {
        "cohort": cohort,
        "filters": filters,
        "page": page,
        "quota": selectors.shortlist_quota(cohort),
        "decision_form": DecisionForm(),
    }
    return render(request, "programmes/staff/applications.html", context)


@staff_only
@require_POST
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_staff(request.user, pk)
    form = DecisionForm(request.POST)
    # Back to the same filtered list; the query is re-encoded, so it cannot point elsewhere.
    query = QueryDict(request.POST.get("query", "")).urlencode()
    url = reverse("programmes:staff_applications", args=[application.enrolment.cohort_id])
    back = f"{url}?{query}" if query else url
    if not form.is_valid():
        messages.error(request, "Choose shortlist or decline.")
        return redirect(back)
    shortlisted = form.cleaned_data["decision"] == ApplicationDecision.SHORTLISTED
    return run_service(
        request,
        lambda: services.application_decide(
            application=application, reviewer=request.user, **form.cleaned_data
        ),
        success=f"Application {'shortlisted' if shortlisted else 'declined'}.",
        then=back,
    )


@staff_only
@require_POST
def application_offer(request: HttpRequest, enrolment_pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_for_staff(request.user, enrolment_pk)
    return run_service(
        request,
        lambda: services.application_offer(enrolment=enrolment, actor=request.user),
        success=f"{enrolment.staff_label} has been offered a place, held for 48 hours.",
        then=reverse("programmes:staff_applications", args=[enrolment.cohort_id]),
    )
