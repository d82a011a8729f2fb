"""Settings for the benchmark's own server processes (bench/http_load.py runs gunicorn with them): the
portal's settings, read from the environment as always, with the benchmark's URLconf, which adds the
bare views under /bench-bare/ to the portal's URLs."""

from __future__ import annotations

from academy.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare_urls"

# The same hashed names and manifest as production's storage, without compressing 60 MB of assets on
# every run: the measured requests are pages, never static files.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
