"""The real-browser harness: Debian's Chromium, driven by Playwright, against a live Academy server.

Each journey gets a fresh browser context (no cookies, no storage) on a live server that pytest-django
runs on 127.0.0.1 in this process, on the suite's PostgreSQL database. Celery tasks run eagerly
(CELERY_TASK_ALWAYS_EAGER in the test settings) and email goes to django.core.mail.outbox.

The `journey` fixture is the one thing a test needs: `journey.page` is the Playwright page, and
`journey.check("name")` (or `journey.visit(path, "name")`) runs axe-core on the page the browser is on,
writes a full-page screenshot to the journey's folder and fails on any accessibility violation, on a
page that scrolls sideways at 320 px wide (WCAG 1.4.10) and on a page whose title another page of the
journey already has (WCAG 2.4.2; a page shown again with its errors is the same page).
A journey that loads a page it never checked fails too, so every page the journeys visit is checked.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pyotp
import pytest
from allauth.account.models import EmailAddress
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connections
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.factories import TEST_PASSWORD

# pytest-django's live server listens on localhost unless told otherwise.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

BASE_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA (axe tags its 2.2 rules wcag22aa only).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCREENSHOTS = Path(os.environ.get("ACADEMY_SCREENSHOTS", BASE_DIR / ".data" / "screenshots"))

# Exceptions to the axe rules, each with its reason. Keep this empty unless a rule is wrong for a page;
# a real violation is fixed in the template, never listed here. Shape: {rule_id: reason}.
AXE_EXCEPTIONS: dict[str, str] = {}
# Narrower: a rule that is wrong for one element of the design system, named by a CSS selector. Shape:
# {(rule_id, selector): reason}. Every other element is still checked against the rule.
AXE_ELEMENT_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("label-content-name-mismatch", ".nhsuk-file-upload__drop-button"): (
        "The NHS.UK file upload's button is named by aria-labelledby pointing at its label and at "
        "itself (govuk-frontend#5652), so its visible text is in its name; axe's experimental rule "
        "does not follow the self-reference."
    ),
}

# How long a step may wait for the page it expects. A page that is right arrives sooner (the wait ends
# as soon as it does); the margin is for a busy two-core machine running the rest of the suite beside
# the browser, where a first page (templates compiled, components drawn) can take several seconds.
DEFAULT_TIMEOUT_MS = 30_000
# WCAG 1.4.10 (reflow): content fits 320 CSS pixels wide without scrolling sideways.
REFLOW_WIDTH = 320
_journey_folders: list[Path] = []


def require_chromium(path: Path) -> None:
    """Skip when Chromium is missing on a developer's machine; fail under CI (CI=true) or when
    ACADEMY_REQUIRE_BROWSER=1, so the journeys can never silently not run where they must."""
    if path.exists():
        return
    reason = (
        f"Debian's Chromium is not installed at {path}: run `make browsers` as root "
        "(apt-get install chromium) to run the browser journeys."
    )
    if os.environ.get("CI", "").lower() == "true" or os.environ.get("ACADEMY_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} CI (or ACADEMY_REQUIRE_BROWSER=1) requires them.", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def browser(monkeypatch) -> Browser:
    """A fresh Chromium for each journey. Playwright's sync API keeps an event loop running in this
    thread while it is open, and Django refuses ORM calls from such a thread unless told it is safe
    (here it is: the test and the live server share only the database). The browser and the setting
    last for one journey only, so the rest of the suite (and any subprocess it starts) runs without."""
    require_chromium(CHROMIUM)
    if not AXE_SCRIPT.exists():
        pytest.fail(f"axe-core is missing at {AXE_SCRIPT}: run `make install`.", pytrace=False)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@dataclass
class Journey:
    """One person's way through the portal, in a fresh browser context (`as_someone_else()` starts
    another fresh context for the next person in the same journey)."""

    browser: Browser
    name: str
    folder: Path
    base_url: str
    page: Page = None
    context: BrowserContext = None
    step: int = 0
    documents: list[str] = field(default_factory=list)
    checked: int = 0
    page_errors: list[str] = field(default_factory=list)
    # What the browser refused under the Content-Security-Policy (an inline script or style, say).
    csp_violations: list[str] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)  # each title the journey met -> its page's path

    def open(self) -> None:
        self.context = self.browser.new_context(
            base_url=self.base_url,
            viewport={"width": 1280, "height": 900},
            accept_downloads=True,
            locale="en-GB",
            timezone_id="Europe/London",
        )
        self.context.add_init_script(path=str(AXE_SCRIPT))
        self.page = self.context.new_page()
        self.page.set_default_timeout(DEFAULT_TIMEOUT_MS)
        self.page.on("domcontentloaded", lambda p: self.documents.append(p.url))
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        self.page.on(
            "console",
            lambda message: (
                self.csp_violations.append(f"{self.page.url}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )

    def close(self) -> None:
        if self.context is not None:
            self.context.close()
            self.context = None

    def as_someone_else(self) -> Page:
        """Close this browser context (cookies and all) and open a fresh one."""
        self.require_every_page_checked()
        self.close()
        self.open()
        return self.page

    def url(self, path: str) -> str:
        return self.base_url + path

    def refused(self, button: str, error: str, name: str) -> None:
        """A wrong entry: pressing `button` shows the error summary with `error` (checked as page `name`),
        and following its link puts focus on the field in error."""
        self.page.get_by_role("button", name=button).click()
        expect_error_summary(self.page, error)
        self.check(name)
        follow_error(self.page, error)

    def import_previewed(self, good: str, bad: str, error: str) -> None:
        """On an import page, a wrong file first: uploading `bad` shows the error summary with `error` and
        nothing imported; uploading the fixed file, `good`, shows its preview. Both pages keep the
        import page's heading, and are checked under it."""
        heading = self.page.get_by_role("heading", level=1).inner_text()
        upload_and_check(self.page, bad)
        expect_error_summary(self.page, error)
        expect(self.page.locator(".nhsuk-error-summary")).to_contain_text("Nothing has been imported")
        self.check(f"{heading} - a bad row", h1=heading)
        upload_and_check(self.page, good)
        self.check(f"{heading} - preview", h1=heading)

    def visit(self, path: str, name: str) -> None:
        response = self.page.goto(self.url(path))
        assert response is not None and response.ok, f"GET {path} answered {response and response.status}"
        self.check(name)

    def from_menu(self, link: str, name: str, *, h1: str | re.Pattern | None = None) -> None:
        """Follow `link` in the header's Menu, as a person moving between sections does, and check the
        page it opens as `name`."""
        self.page.get_by_role("navigation", name="Menu").get_by_role("link", name=link).click()
        self.check(name, h1=h1)

    def check(self, name: str, *, h1: str | re.Pattern | None = None) -> None:
        """Screenshot the page the browser is on and fail on any WCAG 2.2 A/AA violation axe finds.

        `h1` (the page's main heading) makes sure the browser has reached the page meant: after a
        click, the next page may not have started loading yet."""
        if h1 is not None:
            try:
                expect(self.page.get_by_role("heading", level=1)).to_have_text(h1)
            except AssertionError as wrong_page:
                summary = self.page.locator(".nhsuk-error-summary")
                problems = summary.inner_text() if summary.count() else "no error summary"
                raise AssertionError(f"{wrong_page}\nOn {self.page.url}: {problems}") from None
        self.page.wait_for_load_state("load")
        self._require_checked(upto=len(self.documents) - 1)
        self.checked = len(self.documents)
        self.step += 1
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        self.page.screenshot(path=self.folder / f"{self.step:02d}-{slug}.png", full_page=True)
        assert not self.page_errors, f"JavaScript errors on {self.page.url}: {self.page_errors}"
        assert not self.csp_violations, "Refused under the Content-Security-Policy:\n" + "\n".join(
            self.csp_violations
        )
        violations = self.page.evaluate(
            """async ([tags, skips]) => {
                const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}, elementRef: true});
                const skipped = (rule, node) => skips.some(([id, selector]) => id === rule && node.element && node.element.matches(selector));
                return results.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                    targets: v.nodes.filter(n => !skipped(v.id, n)).map(n => n.target.join(' ')),
                })).filter(v => v.targets.length);
            }""",
            [AXE_TAGS, list(AXE_ELEMENT_EXCEPTIONS)],
        )
        violations = [v for v in violations if v["id"] not in AXE_EXCEPTIONS]
        assert not violations, f"Accessibility violations on {name!r} ({self.page.url}):\n" + "\n".join(
            f"  - {v['id']} ({v['impact']}): {v['help']}\n    elements: {', '.join(v['targets'])}\n"
            f"    {v['helpUrl']}"
            for v in violations
        )
        self._require_unique_title(name)
        self._require_reflow(name)

    def _require_unique_title(self, name: str) -> None:
        title = self.page.title().removeprefix("Error: ")
        path = urlsplit(self.page.url).path
        first = self.titles.setdefault(title, path)
        assert first == path, f"{name!r} ({path}) has the same title as {first}: {title!r}"

    def _require_reflow(self, name: str) -> None:
        viewport = self.page.viewport_size
        self.page.set_viewport_size({"width": REFLOW_WIDTH, "height": viewport["height"]})
        try:
            # The resize reaches the page asynchronously: measure once it has, after a frame is laid out.
            self.page.wait_for_function(f"window.innerWidth === {REFLOW_WIDTH}")
            width = self.page.evaluate(
                "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame("
                "() => done(document.documentElement.scrollWidth))))"
            )
        finally:
            self.page.set_viewport_size(viewport)
        assert width <= REFLOW_WIDTH, (
            f"{name!r} ({self.page.url}) scrolls sideways at {REFLOW_WIDTH} px wide: it is {width} px wide "
            "(WCAG 1.4.10, reflow)"
        )

    def require_every_page_checked(self) -> None:
        self._require_checked(upto=len(self.documents))

    def _require_checked(self, *, upto: int) -> None:
        missed = self.documents[self.checked : max(upto, self.checked)]
        assert not missed, f"Pages loaded without an accessibility check: {missed}"

    def download(self, link) -> tuple[str, bytes]:
        """Follow a link that downloads a file; return its suggested name and its bytes."""
        with self.page.expect_download() as info:
            link.click()
        download = info.value
        return download.suggested_filename, Path(download.path()).read_bytes()


@pytest.fixture
def journey(request, browser: Browser, live_server) -> Journey:
    """A fresh browser context on the live server; its screenshots go to SCREENSHOTS/<test name>/."""
    cache.clear()  # allauth's rate limits and used TOTP codes live in the cache, which outlives tests.
    # Tasks run eagerly, as the test settings say, whatever an earlier test left in the Celery app.
    from academy.celery import app as celery_app

    celery_app.conf.task_always_eager = django_settings.CELERY_TASK_ALWAYS_EAGER
    name = re.sub(r"^test_", "", request.node.name)
    folder = SCREENSHOTS / re.sub(r"[^A-Za-z0-9_.-]+", "-", name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    _journey_folders.append(folder)
    expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
    current = Journey(browser=browser, name=name, folder=folder, base_url=live_server.url)
    current.open()
    yield current
    try:
        if getattr(request.node, "rep_call", None) and request.node.rep_call.failed:
            current.page.screenshot(path=folder / f"{current.step + 1:02d}-failed-here.png", full_page=True)
        else:
            current.require_every_page_checked()
    finally:
        current.close()
        # Playwright's running event loop gives this code its own database connection (Django keeps
        # connections per async context); close it here, or it outlives the journey and keeps the test
        # database from being dropped at the end of the run.
        connections.close_all()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def pytest_terminal_summary(terminalreporter) -> None:
    if _journey_folders:
        terminalreporter.write_sep("-", "browser journeys")
        terminalreporter.write_line(f"Screenshots of every page the journeys visited: {SCREENSHOTS}")


# --- helpers the journeys share ------------------------------------------------------------------------


def expect_error_summary(page: Page, *messages: str) -> None:
    """The NHS error summary is shown, has focus, and links each message; the title starts "Error: "."""
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    for message in messages:
        expect(summary.get_by_role("link", name=re.compile(re.escape(message)))).to_be_visible()


def follow_error(page: Page, message: str) -> None:
    """Following the summary's link for `message` puts focus on the field in error."""
    link = page.locator(".nhsuk-error-summary").get_by_role("link", name=re.compile(re.escape(message)))
    target_id = link.get_attribute("href").lstrip("#")
    link.click()
    expect(page.locator(f"[id='{target_id}']")).to_be_focused()


def upload_and_check(
    page: Page, text: str, *, name: str = "file.csv", label: str = "Spreadsheet file"
) -> None:
    """Choose a CSV file on an import page through the NHS.UK file upload's button, as a person does (the
    component hides the native input behind a button named by the field's label), and upload it."""
    with page.expect_file_chooser() as chooser:
        page.get_by_label(label).click()
    chooser.value.set_files(files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode()}])
    page.get_by_role("button", name="Upload and check").click()


def fill_date(page: Page, question: str, value: dt.date | dt.datetime | None = None, **boxes: str) -> None:
    """Types a date (and a time, for a datetime, in UK time) into the NHS date input whose legend is
    `question`, box by box as a person would: Day, Month, Year, then Time. `boxes` types raw text
    instead, e.g. day="31", month="2", year="2027"; an empty string clears a box."""
    if value is not None:
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value)
            boxes = {"time": f"{value:%H:%M}", **boxes}
        boxes = {"day": str(value.day), "month": str(value.month), "year": str(value.year), **boxes}
    group = page.get_by_role("group", name=question)
    for part in ("day", "month", "year", "time"):
        if part in boxes:
            group.get_by_label(part.capitalize(), exact=True).fill(boxes[part])


def totp_code(secret: str) -> str:
    """The current code, waiting out the last seconds of a 30-second period so it is still valid
    when the server checks it (allauth allows no clock drift by default)."""
    if 30 - time.time() % 30 < 3:
        time.sleep(30 - time.time() % 30 + 0.2)
    return pyotp.TOTP(secret).now()


def verified(person):
    """A factory person whose email allauth treats as verified, so they can sign in."""
    EmailAddress.objects.update_or_create(
        user=person.user, email=person.user.email, defaults={"verified": True, "primary": True}
    )
    return person


def tab_to(page: Page, target, *, max_tabs: int = 60) -> None:
    """Press Tab until `target` (a locator) has focus; fail if it never does or has no visible focus."""
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            has_indicator = target.evaluate(
                """el => { const s = getComputedStyle(el);
                           return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                                  || s.boxShadow !== 'none'; }"""
            )
            assert has_indicator, f"{target} has focus but no visible focus indicator"
            return
    raise AssertionError(f"{target} was not reached with {max_tabs} presses of Tab")


def sign_in(
    journey: Journey, person, *, password: str = TEST_PASSWORD, totp_secret: str | None = None
) -> None:
    """Sign in through the sign-in page (and the two-factor page when `totp_secret` is given)."""
    page = journey.page
    journey.visit("/accounts/login/", "sign in")
    page.get_by_label("Work email address").fill(person.user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if totp_secret:
        journey.check("two-factor code", h1="Enter the 6-digit code")
        page.get_by_label("6-digit code").fill(totp_code(totp_secret))
        page.get_by_role("button", name="Sign in").click()
    journey.check("home", h1=re.compile("^Welcome"))
