"""Logs are one line per event: nothing printed twice, and a 403 or 404 without a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """
import logging
import django
django.setup()
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseForbidden, HttpResponseNotFound, HttpResponseServerError
from django.test import RequestFactory
from django.utils.log import log_response

request = RequestFactory().get("/audit/")
for error, response in ((PermissionDenied, HttpResponseForbidden()), (Http404, HttpResponseNotFound()),
                        (RuntimeError, HttpResponseServerError())):
    try:
        raise error("boom")
    except Exception as exc:
        log_response("Failed %s: %s", response.status_code, request.path, response=response,
                     request=request, exception=exc)
logging.getLogger("django").info("one event")
logging.getLogger("academy").info("another event")
"""


@pytest.mark.parametrize("environment", ["development", "production"])
def test_each_event_is_logged_once_and_client_errors_carry_no_traceback(environment):
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "academy.settings",
        "DJANGO_ENV": environment,
        "PYTHONPATH": str(root),
        "DJANGO_SECRET_KEY": "k3v9-QpZ7_w2Lr8mT4yX1nB6cF0hJ5sD-aG9eU3iO7tR2pW8zK4vN6bM1qY5xC0l",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "CELERY_BROKER_URL": "redis://127.0.0.1:1/0",
        "REDIS_URL": "redis://127.0.0.1:1/1",
        "EMAIL_HOST": "localhost",
        "SITE_URL": "https://academy.example.nhs.uk",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, cwd=root, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert sum("Failed 403: /audit/" in line for line in lines) == 1
    assert sum("Failed 404: /audit/" in line for line in lines) == 1
    assert sum("one event" in line for line in lines) == 1
    assert sum("another event" in line for line in lines) == 1
    # Only the server error brings its traceback.
    assert result.stderr.count("Traceback (most recent call last)") == 1
    assert "RuntimeError: boom" in result.stderr
    assert "PermissionDenied" not in result.stderr and "Http404" not in result.stderr
