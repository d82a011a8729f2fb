"""The talent lead's pages for the systems' talent boards: critical roles and their successor slates,
the senior workforce figures (band 8c to VSM) and the board seats they grant."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from academy.models import Role
from academy.pages import form_page
from academy.permissions import require_region, role_required
from academy.views import run_service
from talent import selectors, services
from talent.forms import CriticalRoleForm, SeatForm, SlateAddForm, WorkforceForm

lead_only = role_required(Role.TALENT_LEAD)


def boards_url() -> str:
    return reverse("talent:boards")


@require_GET
@lead_only
def boards(request: HttpRequest) -> HttpResponse:
    require_region(request.user)
    systems = list(selectors.lead_systems(request.user))
    return render(
        request,
        "talent/boards.html",
        {
            "slates": selectors.slates(systems=systems),
            "diversity": selectors.slate_diversity(systems),
            "seats": selectors.board_seats_of(systems),
        },
    )


@lead_only
def critical_role_new(request: HttpRequest) -> HttpResponse:
    region = require_region(request.user)
    return form_page(
        request,
        CriticalRoleForm,
        template="talent/critical_role_form.html",
        context={"cancel_url": boards_url()},
        service=lambda form: services.critical_role_create(actor=request.user, **form.cleaned_data),
        success=lambda role: f"{role} is a critical role.",
        then=lambda role: reverse("talent:critical_role", args=[role.pk]),
        region=region,
        roles=selectors.target_roles_for(region),
    )


@lead_only
def critical_role(request: HttpRequest, pk: int) -> HttpResponse:
    """A critical role's successor slate, and the form naming another successor."""
    role = selectors.critical_role_for_lead(request.user, pk)
    return form_page(
        request,
        SlateAddForm,
        template="talent/critical_role.html",
        context={"role": role, "slate": selectors.slate_of(role)},
        service=lambda form: services.slate_add(
            critical_role=role, member=form.cleaned_data["email"], actor=request.user
        ),
        success=lambda entry: f"{entry.member.person.full_name} is on the slate.",
        then=reverse("talent:critical_role", args=[role.pk]),
        members=selectors.members_for(request.user).active(),
    )


@require_POST
@lead_only
def slate_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.slate_entry_for_lead(request.user, pk)
    return run_service(
        request,
        lambda: services.slate_remove(entry=entry, actor=request.user),
        success=f"{entry.member.person.full_name} is no longer on the slate.",
        then=reverse("talent:critical_role", args=[entry.critical_role_id]),
    )


@lead_only
def workforce_new(request: HttpRequest) -> HttpResponse:
    require_region(request.user)
    return form_page(
        request,
        WorkforceForm,
        template="talent/workforce_form.html",
        context={"cancel_url": boards_url()},
        service=lambda form: services.senior_workforce_record(actor=request.user, **form.cleaned_data),
        success=lambda figures: f"The senior workforce figures for {figures.system} are saved.",
        then=boards_url(),
        systems=selectors.lead_systems(request.user),
    )


@lead_only
def seat_new(request: HttpRequest) -> HttpResponse:
    region = require_region(request.user)
    return form_page(
        request,
        SeatForm,
        template="talent/seat_form.html",
        context={"cancel_url": boards_url()},
        service=lambda form: services.board_seat_grant(
            user=form.cleaned_data["email"].user, system=form.cleaned_data["system"], actor=request.user
        ),
        success=lambda seat: f"{seat.user.person.full_name} now sits on {seat.system}'s talent board.",
        then=boards_url(),
        region=region,
        systems=selectors.lead_systems(request.user),
    )
