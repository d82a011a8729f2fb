from __future__ import annotations

import pytest

from academy import health

pytestmark = pytest.mark.django_db


def test_health_is_ok_when_database_and_broker_answer(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "broker": "ok"}


def test_health_names_the_broker_when_it_is_down(client, monkeypatch):
    monkeypatch.setattr(health, "broker_ok", lambda: False)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["down"] == ["broker"]


def test_health_names_the_database_when_it_is_down(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["down"] == ["database"]


def test_broker_check_fails_for_an_unreachable_redis(monkeypatch):
    from kombu import Connection

    from academy.celery import app

    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setattr(app, "connection_for_write", lambda: Connection("redis://127.0.0.1:1/0"))
    assert health.broker_ok() is False
