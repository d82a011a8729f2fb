from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BASE = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "k3#x9!q2@Lm8zP0vR7tY4uW1eS6dF5gH3jK2lZ0xC9vB8nM7-production-test-key",
    "DJANGO_ALLOWED_HOSTS": "academy.example.nhs.uk",
    "DATABASE_URL": "postgres://academy@127.0.0.1:5432/academy",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
    "EMAIL_HOST": "smtp.example.nhs.uk",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    base_env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k != "REDIS_URL"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE,
        env={**base_env, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_ALLOWED_HOSTS"}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def test_malformed_setting_is_named():
    result = _manage("check", DJANGO_DEBUG="perhaps")
    assert result.returncode != 0
    assert "DJANGO_DEBUG is malformed" in result.stderr


def test_production_without_a_shared_cache_fails_the_check():
    # The rate limits (sign-in, the certificate check) count in the cache: the database cache cannot
    # count atomically, so production names the missing Redis.
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "REDIS_URL"}
    result = _manage("check", "--deploy", **env)
    assert result.returncode != 0
    assert "django_ratelimit.E003" in result.stderr


def test_check_deploy_reports_no_warnings_in_production():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_email_links_follow_the_port_unless_site_url_is_set():
    show = "from django.conf import settings; print(settings.SITE_URL)"
    env = {"DJANGO_ENV": "test"}
    assert _manage("shell", "-c", show, PORT="8123", **env).stdout.split()[-1] == "http://127.0.0.1:8123"
    assert (
        _manage(
            "shell", "-c", show, PORT="8123", SITE_URL="https://academy.example.nhs.uk/", **env
        ).stdout.split()[-1]
        == "https://academy.example.nhs.uk"
    )
