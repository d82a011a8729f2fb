"""The registries apps fill from `ready()`: Year in Review chapters and demo loaders."""

from __future__ import annotations

import pytest

from academy import chapters, demos
from academy.chapters import Chapter


def test_the_chapters_are_in_the_documents_order():
    order = [
        "welcome",
        "executive_summary",
        "reach",
        "looking_after",
        "belonging",
        "new_ways",
        "growing",
        "coaching",
        "talent",
        "gmts",
        "hclm",
        "voices",
        "looking_ahead",
    ]
    assert [c.key for c in chapters.chapters()] == order
    # Every chapter but the two that open the document and the one that closes it has an introduction.
    assert [c.key for c in chapters.with_introductions()] == order[2:-1]


def test_each_app_owns_its_chapters_template():
    templates = {c.key: c.template for c in chapters.chapters()}
    assert templates["reach"] == "programmes/report/reach.html"
    assert templates["growing"] == "programmes/report/theme.html"
    assert templates["coaching"] == "coaching/report/coaching.html"
    assert templates["talent"] == "talent/report/talent.html"
    assert templates["gmts"] == "gmts/report/gmts.html"
    assert templates["hclm"] == "reporting/report/hclm.html"


def test_registering_a_key_again_changes_nothing_and_a_new_chapter_takes_its_order():
    first = chapters.chapters()
    chapters.register(Chapter("coaching", "Something else", "x.html", order=1))
    assert chapters.chapters() == first
    apprenticeships = Chapter(
        "apprenticeships", "Apprenticeships", "x/report/apprenticeships.html", order=230
    )
    chapters.register(apprenticeships)
    try:
        keys = [c.key for c in chapters.chapters()]
        assert keys.index("gmts") < keys.index("apprenticeships") < keys.index("hclm")
    finally:
        chapters.unregister("apprenticeships")
    assert chapters.chapters() == first


def test_every_chapters_tables_are_offered_in_the_documents_order():
    assert list(chapters.tables()) == [
        "headline",
        "themes",
        "programmes",
        "staff-groups",
        "genders",
        "ethnic-groups",
        "minority-ethnic",
        "systems",
        "sub-regions",
        "coaching",
        "coaches-by-system",
        "mentors-by-system",
        "talent-readiness-by-professional-group",
        "talent-readiness-by-system",
        "talent-readiness-by-service-type",
        "talent-movements",
        "talent-equity-funnel",
        "gmts",
        "gmts-by-system",
        "gmts-by-type",
        "hclm",
    ]


def test_demo_loaders_run_after_those_they_read():
    order = [loader.app for loader in demos.in_dependency_order()]
    assert order.index("programmes") < order.index("coaching") < order.index("reporting")
    assert order.index("coaching") < order.index("talent")


def test_demo_loaders_follow_their_dependencies_whatever_the_registration_order(monkeypatch):
    monkeypatch.setattr(demos, "_loaders", {})
    demos.register("reporting", "Reporting", "reporting.demo", after=["programmes", "talent"])
    demos.register("talent", "Talent", "talent.demo", after=["programmes"])
    demos.register("programmes", "Programmes", "programmes.demo")
    demos.register("programmes", "Registered twice", "elsewhere.demo")
    assert [(loader.app, loader.label) for loader in demos.in_dependency_order()] == [
        ("programmes", "Programmes"),
        ("talent", "Talent"),
        ("reporting", "Reporting"),
    ]


def test_demo_loaders_that_depend_on_each_other_in_a_circle_are_refused(monkeypatch):
    monkeypatch.setattr(demos, "_loaders", {})
    demos.register("talent", "Talent", "talent.demo", after=["gmts"])
    demos.register("gmts", "GMTS", "gmts.demo", after=["talent"])
    with pytest.raises(ValueError, match="circle"):
        demos.in_dependency_order()
