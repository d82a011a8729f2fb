"""The parts the portal cannot work without, checked for /health/."""

from __future__ import annotations

import logging
from pathlib import Path

from django.db import connection

logger = logging.getLogger(__name__)


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Health check: database unreachable")
        return False


def broker_ok() -> bool:
    from academy.celery import app

    try:
        if app.conf.broker_url.startswith("filesystem://"):
            folder = Path(app.conf.broker_transport_options["data_folder_in"])
            return folder.is_dir()
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        logger.exception("Health check: broker unreachable")
        return False


def run_all() -> dict[str, bool]:
    return {"database": database_ok(), "broker": broker_ok()}
