"""What the coaching services share: certificate rules and sending email after commit."""

from __future__ import annotations

from django.db import transaction

CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024
# Checked against the file's first bytes: the name and the browser's content type can both lie.
CERTIFICATE_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


def _after_commit(task, *args) -> None:
    """Queue an email task once the change has committed: a rolled-back change sends nothing."""
    transaction.on_commit(lambda: task.delay(*args))
