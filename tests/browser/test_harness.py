"""The harness itself: where Chromium is missing, CI fails and a developer's machine skips."""

from __future__ import annotations

import pytest

from tests.browser.conftest import require_chromium


def add_to_main(journey, html: str) -> None:
    """Add `html` at the end of the page's main content, as if the page had been served with it."""
    journey.page.evaluate(
        "html => document.querySelector('main').insertAdjacentHTML('beforeend', html)", html
    )


@pytest.fixture
def no_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("ACADEMY_REQUIRE_BROWSER", raising=False)


def test_missing_chromium_fails_under_ci(no_ci, monkeypatch, tmp_path):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="not installed"):
        require_chromium(tmp_path / "chromium")


def test_missing_chromium_fails_when_the_browser_is_required(no_ci, monkeypatch, tmp_path):
    monkeypatch.setenv("ACADEMY_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="ACADEMY_REQUIRE_BROWSER"):
        require_chromium(tmp_path / "chromium")


def test_missing_chromium_skips_on_a_developer_machine(no_ci, tmp_path):
    with pytest.raises(pytest.skip.Exception, match="make browsers"):
        require_chromium(tmp_path / "chromium")


def test_installed_chromium_runs(no_ci, monkeypatch, tmp_path):
    monkeypatch.setenv("CI", "true")
    chromium = tmp_path / "chromium"
    chromium.touch()
    require_chromium(chromium)  # neither fails nor skips


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_check_fails_on_an_accessibility_violation_and_names_it(journey):
    journey.visit("/", "landing page")
    add_to_main(journey, '<img src="x.png">')
    with pytest.raises(AssertionError) as failure:
        journey.check("landing page with an image without alt text")
    message = str(failure.value)
    assert "image-alt (critical)" in message
    assert "elements: img" in message
    assert "dequeuniversity.com/rules/axe" in message


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_page_loaded_without_a_check_fails_the_journey(journey):
    journey.visit("/", "landing page")
    journey.page.get_by_role("link", name="Sign in").first.click()
    journey.page.wait_for_url("**/accounts/login/")
    journey.page.goto(journey.url("/"))
    with pytest.raises(AssertionError, match="Pages loaded without an accessibility check"):
        journey.check("landing page again")
    journey.checked = len(journey.documents)  # the journey itself then ends cleanly


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_check_fails_on_what_the_content_security_policy_refuses(journey):
    journey.visit("/", "landing page")
    # The portal's policy allows no inline style or script: the browser refuses both and says so.
    add_to_main(journey, '<p style="color: red">x</p>')
    journey.page.evaluate(
        "const s = document.createElement('script'); s.textContent = 'window.ran = true'; document.body.append(s);"
    )
    assert journey.page.evaluate("window.ran") is None, "the inline script did not run"
    with pytest.raises(AssertionError, match="Refused under the Content-Security-Policy"):
        journey.check("landing page with an inline style and script")
    journey.csp_violations.clear()
