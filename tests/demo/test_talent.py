"""The talent demo fills every talent page and the chapter: its figures for 2020/21 are pinned."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from academy.scope import Scope
from talent.models import CareerMovement, CriticalRole, Opportunity, PoolMember, SlateEntry
from talent.selectors import talent_chapter_figures
from tests.conftest import signed_in_client

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]


def test_the_demo_gives_the_chapters_figures(demo):
    figures = talent_chapter_figures(Scope.for_nhs_year("2020/21", region=demo))
    pool = figures["pool"]["by_readiness"]
    assert [c.display for c in pool.cells] == ["75", "130", "95"] and pool.total.display == "295"
    assert {k: v.value for k, v in figures["movements"].items()} == {
        "movements": 56,
        "appointments": 22,
        "promotions": 34,
        "board_appointments": 14,
        "interim": 2,
        "placements": 2,
    }
    ethnicity = figures["funnel"][0]
    assert [[c.display for c in s.breakdown.cells] for s in ethnicity["steps"]] == [
        ["245", "80", "25"],
        ["240", "80", "20"],
        ["225", "75", "20"],
        ["60", "*", "*"],
        ["10", "*", "*"],
    ]
    assert [s.ratio for s in ethnicity["steps"]] == ["", "0.98", "1.00", "*", "*"]
    by_system = figures["pool"]["by_system"]
    assert len(by_system.row_labels) == 11 and by_system.rows()[-1] == ["Total", "75", "130", "95", "295"]


def test_the_demo_has_every_part_of_the_pool(demo):
    assert PoolMember.objects.count() == 321  # with the demo member's own account
    assert PoolMember.objects.filter(exit_reason="appointed").count() == 12
    assert set(PoolMember.objects.values_list("readiness", flat=True)) == {
        "ready_now",
        "ready_soon",
        "not_yet_ready",
    }
    assert PoolMember.objects.values("system").distinct().count() == 11
    assert CareerMovement.objects.count() == 56 + 6  # 2020/21's, and six in the weeks before the load
    recent = CareerMovement.objects.filter(moved_on__gte=timezone.localdate() - dt.timedelta(days=100))
    assert recent.count() == 6 and not recent.filter(member__exited_on__isnull=False).exists()
    assert CriticalRole.objects.count() == 88 and SlateEntry.objects.exists()
    assert Opportunity.objects.count() == 5


def test_the_demo_accounts_see_their_pages(demo):
    from academy.models import User

    member = signed_in_client(User.objects.get(email="aspirant@nhs.net").person)
    assert "Ready soon" in member.get(reverse("talent:mine")).content.decode()
    board = signed_in_client(User.objects.get(email="board@nhs.net").person)
    body = board.get(reverse("talent:board")).content.decode()
    assert "Grace Okonjo" in body and "Birmingham and Solihull" in body
    lead = signed_in_client(User.objects.get(email="talent@nhs.net").person)
    dashboard = lead.get(reverse("talent:dashboard"))
    assert dashboard.status_code == 200
    latest = dashboard.context["movements"][0]
    assert latest.moved_on == timezone.localdate() - dt.timedelta(days=6) and latest.kind == "appointment"
