"""The report task: claimed once, safe to run twice, retried after a failure — eagerly and through a
real Celery worker process (the foundation's worker helpers)."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from academy.models import AuditEntry
from reporting import services
from reporting.models import ReportRun, ReportRunStatus
from reporting.tasks import render_report_run
from tests.factories import RegionFactory, UserFactory
from tests.reporting import builders as b
from tests.worker import celery_worker, tasks_sent_to_the_broker


@pytest.fixture
def edition(db):
    region = RegionFactory()
    east = b.system(region, sub_region="East Midlands")
    course = b.cohort(b.programme(region, code="CLS5"))
    session = b.session(course, b.london(2020, 10, 1, 10))
    for _ in range(12):
        b.mark(session, b.enrol(course, b.person(east)))
    return b.edition(region, actor=UserFactory(), title="A Year in Review 2020/21")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def test_requesting_a_run_renders_it_after_commit(edition, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = services.report_run_request(edition=edition, actor=UserFactory())
    assert len(callbacks) == 1
    run.refresh_from_db()
    assert run.status == ReportRunStatus.SUCCEEDED
    assert (run.progress, run.attempts) == (100, 1)
    assert (media / run.file.name).read_bytes().startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="report_run.succeed", target_id=str(run.pk)).exists()


def test_a_second_delivery_finds_nothing_to_claim_and_never_duplicates_the_file(edition, media):
    run = ReportRun.objects.create(edition=edition)
    render_report_run.apply(args=[run.pk])
    run.refresh_from_db()
    first_file = run.file.name
    render_report_run.apply(args=[run.pk])  # e.g. redelivered after acks_late
    run.refresh_from_db()
    assert run.attempts == 1 and run.file.name == first_file
    assert len(list((media / "reports").iterdir())) == 1


def test_only_one_claim_of_a_pending_run_succeeds(edition):
    run = ReportRun.objects.create(edition=edition)
    assert services.report_run_claim(run_id=run.pk) is True
    assert services.report_run_claim(run_id=run.pk) is False


def test_a_run_lost_with_its_worker_can_be_claimed_again(edition):
    run = ReportRun.objects.create(
        edition=edition, status=ReportRunStatus.RUNNING, started_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    assert services.report_run_claim(run_id=run.pk) is True


def test_a_failure_is_recorded_and_the_retry_overwrites_the_same_file(
    edition, media, monkeypatch, eager_retries
):
    real = services.report_pdf
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the fonts were missing")
        return real(**kwargs)

    monkeypatch.setattr(services, "report_pdf", flaky)
    run = ReportRun.objects.create(edition=edition)
    render_report_run.apply(args=[run.pk])  # eager: the retry runs at once
    run.refresh_from_db()
    assert run.status == ReportRunStatus.SUCCEEDED and run.attempts == 2 and run.error == ""
    failure = AuditEntry.objects.get(action="report_run.fail", target_id=str(run.pk))
    assert "the fonts were missing" in failure.data["error"] and failure.data["will_retry"] is True
    assert [p.name for p in (media / "reports").iterdir()] == [f"year-in-review-run-{run.pk}.pdf"]


def test_after_the_last_retry_the_run_stays_failed_with_its_reason(
    edition, media, monkeypatch, eager_retries
):
    def broken(**kwargs):
        raise RuntimeError("the template is broken")

    monkeypatch.setattr(services, "report_pdf", broken)
    run = ReportRun.objects.create(edition=edition)
    result = render_report_run.apply(args=[run.pk])
    assert result.failed()
    run.refresh_from_db()
    assert run.status == ReportRunStatus.FAILED and run.attempts == 4  # first try and three retries
    assert "the template is broken" in run.error and run.stage == "Failed"


# --- Through a real worker -------------------------------------------------------------------------


@pytest.fixture
def report_worker(transactional_db, tmp_path):
    """A worker with its own MEDIA_ROOT, so the test can make saving fail."""
    media = tmp_path / "media"
    media.mkdir()
    with celery_worker(MEDIA_ROOT=str(media)) as worker:
        yield worker, media


def _wait_for(run: ReportRun, worker, condition, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if condition(run):
            return
        time.sleep(0.3)
    worker.terminate()
    output = worker.communicate(timeout=20)[0]
    pytest.fail(f"Run {run.pk} is {run.status} ({run.stage}). Worker output:\n{output}")


@pytest.mark.worker
def test_a_real_worker_fails_then_retries_and_succeeds(report_worker, settings, edition):
    worker, media = report_worker
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # The first attempt cannot save: "reports" is a file where the folder should be.
    (media / "reports").write_text("in the way")
    with tasks_sent_to_the_broker():
        run = services.report_run_request(edition=edition, actor=UserFactory())
    _wait_for(run, worker, lambda r: r.status == ReportRunStatus.FAILED)
    assert run.attempts == 1 and "could not be rendered" in run.error
    assert run.stage == "Failed: trying again shortly"
    (media / "reports").unlink()  # the retry (5 s later) can now save
    _wait_for(run, worker, lambda r: r.status == ReportRunStatus.SUCCEEDED)
    assert run.attempts == 2 and run.progress == 100
    assert (media / run.file.name).read_bytes().startswith(b"%PDF")
    assert worker.poll() is None
