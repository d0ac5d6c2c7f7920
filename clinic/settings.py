"""Settings for the clinic portal: one module, every value from the environment.

Development defaults need nothing installed (SQLite, a filesystem broker, mail to files
under var/). Production (DEBUG off) refuses to start without a secret key and hosts.
Every variable is documented in README.md.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool) -> bool:
    """Read a yes/no variable; anything else stops start-up with a clear message."""
    raw = env.str(name, default="yes" if default else "no").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(_TRUE | _FALSE - {''})}, not {raw!r}")


DEBUG = envbool("DEBUG", True)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-never-use-in-production")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
else:
    # Production secrets have no default: a missing one stops start-up here.
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be set (50+ random characters) when DEBUG is off")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "health_check",  # its HTML page for /healthz/ready in a browser (no models)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "accounts",
    "audit",
    "clinic",
    "messaging",
    "booking",
    "intake",
    "care_plans",
    "waitlist",
]

MIDDLEWARE = [
    # First: /healthz/live answers before the host check, the https redirect or any database.
    "clinic.health.LivenessMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After auth, OTP and messages: an idle staff session ends first, then an unverified one
    # is sent to its second factor before any staff page runs.
    "accounts.middleware.StaffIdleTimeoutMiddleware",
    "accounts.middleware.StaffSecondFactorMiddleware",
    # Records a staff page of patient data that answered 200 (audit.pages says which pages).
    "audit.middleware.StaffAccessMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "clinic.outage.DatabaseOutageMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clinic.context_processors.clinic",
            ],
            # {% url %}: a name with no arguments reversed once per process (clinic/templatetags/kept_urls.py)
            "builtins": ["clinic.templatetags.kept_urls"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL selects PostgreSQL in production and CI; the default is SQLite under var/.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'clinic.sqlite3'}"),
}
_db = DATABASES["default"]
if not _db.get("ENGINE"):
    raise ImproperlyConfigured("DATABASE_URL is malformed: no database engine could be read from it")
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes SQLite's write lock at BEGIN, so a booking's overlap check and its
    # insert cannot interleave with another writer's (SQLite has no exclusion constraint).
    _db.setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
    # A file, not :memory:, so a Celery worker process can share the test database.
    _db["TEST"] = {"NAME": env.str("TEST_SQLITE_NAME", default=str(VAR_DIR / "test.sqlite3"))}
else:
    _db["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    _db["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, sessions, broker ---------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# Short socket timeouts: an unreachable Redis costs a request half a second, not a hang.
_REDIS_TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": _REDIS_TIMEOUTS,
        },
        # The rate-limit counters fail open when Redis is unreachable (ratelimits/).
        "ratelimit": {
            "BACKEND": "ratelimits.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": _REDIS_TIMEOUTS,
        },
    }
else:
    # Shared between processes (unlike LocMemCache), so rate limits hold across workers.
    _db_cache = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "clinic_cache"}
    CACHES = {"default": _db_cache, "ratelimit": _db_cache}
# Sessions live in the database: web processes keep no state of their own.
SESSION_ENGINE = "clinic.sessions"  # the database backend, its read prepared once (clinic/sessions.py)

# --- Celery ---------------------------------------------------------------------------------
if REDIS_URL:
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
    CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL)
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {"visibility_timeout": 3600}
else:
    # A folder per environment (tests give each run its own) keeps queues from mixing.
    _broker_dir = Path(env.str("CELERY_FS_DIR", default=str(VAR_DIR / "broker")))
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        # The worker looks for a message (and, every 2 s, for a stop) this often: 0.1 s rather than
        # kombu's 1 s lets Ctrl-C of `make run` end the worker about a second sooner.
        "polling_interval": 0.1,
    }
    CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=f"file://{_broker_dir / 'results'}")
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_RETRY_DELAY = 30
CELERY_TASK_TIME_LIMIT = 60
CELERY_TASK_SOFT_TIME_LIMIT = 30
CELERY_RESULT_EXPIRES = 3600
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = env.str(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(VAR_DIR / "celerybeat-schedule")
)
# Beat sends what is due and unsent every minute (reminders at their time, and messages whose
# enqueue was lost while the broker was down).
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "sweep-due-messages": {"task": "clinic.sweep_due_messages", "schedule": 60.0},
    "sweep-waitlist": {"task": "waitlist.sweep", "schedule": 60.0},
    # Times freed without a cancellation (closure or time off removed, shift added, hold released).
    "waitlist-free-times": {"task": "waitlist.offer_free_times", "schedule": 300.0},
    # Expired sessions (unfinished questionnaires hold health answers) are deleted nightly
    # (08:15 UTC: 3 or 4 AM in Michigan).
    # Failed and stuck messages to the front desk at 12:00 UTC (7 or 8 AM in Michigan).
    "failure-digest": {"task": "messaging.failure_digest", "schedule": crontab(hour=12, minute=0)},
    "clear-expired-sessions": {
        "task": "accounts.clear_expired_sessions",
        "schedule": crontab(hour=8, minute=15),
    },
}
REMINDER_OFFSETS_HOURS = env.list("REMINDER_OFFSETS_HOURS", cast=int, default=[48, 2])
URGENT_ESCALATION_MINUTES = env.int("URGENT_ESCALATION_MINUTES", default=30)
# The waitlist (README, "Waitlist"): a freed time goes to this many waiting patients at once, the
# next ones this many minutes later while it is still free; an offer holds this many hours at most.
WAITLIST_BATCH_SIZE = env.int("WAITLIST_BATCH_SIZE", default=3)
WAITLIST_BATCH_DELAY_MINUTES = env.int("WAITLIST_BATCH_DELAY_MINUTES", default=15)
WAITLIST_OFFER_HOURS = env.int("WAITLIST_OFFER_HOURS", default=3)
# Every five minutes the next this many days are searched for free times waiting patients ask for
# (freed by a closure or time off removed, a shift added, held capacity released); at most this
# many become offers a run, weighed for the first this many waiting patients of each type.
WAITLIST_SCAN_DAYS = env.int("WAITLIST_SCAN_DAYS", default=14)
WAITLIST_SCAN_OPENINGS = env.int("WAITLIST_SCAN_OPENINGS", default=20)
WAITLIST_SCAN_ENTRIES = env.int("WAITLIST_SCAN_ENTRIES", default=500)

# --- Email ----------------------------------------------------------------------------------
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(environ.Env.email_url_config(EMAIL_URL))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Heel Pain Clinic <no-reply@clinic.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 20

# --- Internationalisation and time ----------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/Detroit"
USE_I18N = True
USE_TZ = True
# One format for every date and time a person reads ("Mon Nov 30, 9:00 AM"): clinic/formats/.
FORMAT_MODULE_PATH = ["clinic.formats"]

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "clinic.storage.KeptURLStaticFilesStorage"  # whitenoise's, addresses kept (clinic/storage.py)
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGIN_URL = "admin:login"
# After logging in (and on an unsafe `next`), staff land on the admin's index.
LOGIN_REDIRECT_URL = "admin:index"

# --- Staff accounts: second factor, lockout, passwords, sessions ------------------------------
# Every is_staff account needs TOTP (or a backup code) on top of its password before any staff
# page opens. Only development may turn this off (`make run` does, for the demo logins).
STAFF_2FA_REQUIRED = envbool("STAFF_2FA_REQUIRED", True)
if not STAFF_2FA_REQUIRED and not DEBUG:
    raise ImproperlyConfigured("STAFF_2FA_REQUIRED may be turned off only in development (DEBUG=yes)")
OTP_TOTP_ISSUER = env.str("CLINIC_NAME", default="Heel Pain Clinic")
OTP_BACKUP_CODES = 10
# No TOTP secret or QR code in the admin: a device is enrolled on its owner's own second-factor
# page. (The admin's config and QR views also answered 500 to an unknown device id.)
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out username+address first
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure kept, not only the running count
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"
AXES_VERBOSE = False  # no start-up banner on every manage.py command (the triage CLI prints JSON)
# The client address counting TRUSTED_PROXY_COUNT proxies: the one function the rate limits use.
AXES_CLIENT_IP_CALLABLE = "ratelimits.client_ip"
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token", "token"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Staff sessions end after this long without a request (a warning shows a minute or two before).
STAFF_IDLE_MINUTES = env.int("STAFF_IDLE_MINUTES", default=15)
# Every session cookie dies with the browser; a patient's session (questionnaire, booking)
# lasts at most this many hours on the server.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
PATIENT_SESSION_HOURS = env.int("PATIENT_SESSION_HOURS", default=3)
SESSION_COOKIE_AGE = PATIENT_SESSION_HOURS * 3600

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)

# Every page is served from this origin: no CDN, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# --- The real client address and rate limits ---------------------------------------------------
# How many proxies in front of the web server append to X-Forwarded-For (compose's TLS proxy: 1).
# 0 (development, or gunicorn reached directly): the client is REMOTE_ADDR. Rate limits and the
# staff login lockout both key on the address this gives (ratelimits.client_ip).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more")

# django-ratelimit, e.g. "20/m". Over a limit its middleware answers with RATELIMIT_VIEW (429).
RATELIMIT_ENABLE = envbool("RATELIMIT_ENABLE", True)
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_FAIL_OPEN = True
RATELIMIT_VIEW = "ratelimits.ratelimited"
RATELIMIT_IP_META_KEY = "ratelimits.client_ip"
PUBLIC_FORM_RATE = env.str("PUBLIC_FORM_RATE", default="30/m")
MANAGE_LINK_RATE = env.str("MANAGE_LINK_RATE", default="30/m")
SLOT_SEARCH_RATE = env.str("SLOT_SEARCH_RATE", default="60/m")
STAFF_LOGIN_RATE = env.str("STAFF_LOGIN_RATE", default="10/m")

# /healthz/ready answers loopback, or a request with "Authorization: Bearer <HEALTH_TOKEN>".
HEALTH_TOKEN = env.str("HEALTH_TOKEN", default="")
# Who gets the morning note of failed and stuck messages (no health details in it).
FAILURE_DIGEST_TO = env.list("FAILURE_DIGEST_TO", default=["frontdesk@clinic.example"])

# --- The clinic -----------------------------------------------------------------------------
CLINIC_NAME = env.str("CLINIC_NAME", default="Heel Pain Clinic")
CLINIC_TIME_ZONE = "America/Detroit"
# How long a web process keeps the lists of active sites, appointment types and podiatrists before
# reading them again (booking.prepared.KeptRead); a change in the admin shows at once in the
# process that made it and within this many seconds in the others. 0 reads them on every call.
REFERENCE_DATA_SECONDS = env.float("REFERENCE_DATA_SECONDS", default=10)
# The sites' phone numbers for the page shown while the database is unreachable (it cannot read
# them from the database): "Name: number" items, separated by ";".
CLINIC_PHONES = [
    tuple(part.strip() for part in item.split(":", 1))
    for item in env.str(
        "CLINIC_PHONES", default="Bloomfield Hills: (248) 555-0100; Howell: (517) 555-0100"
    ).split(";")
    if ":" in item
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Manage-link tokens open an appointment like a password, and search terms carry names.
    "filters": {"redact": {"()": "accounts.logging.RedactSecrets"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    # Django's own loggers ("Internal Server Error: <path>", runserver's request lines) would keep
    # their default, unfiltered handlers: they go through the filtered one instead.
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
