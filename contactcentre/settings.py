"""Settings for Tawasul, read from the environment (12-factor).

One module for every environment. The differences are driven by environment variables, not by
separate files: DEBUG for the developer demo, DATABASE_URL for PostgreSQL instead of the embedded
SQLite file, REDIS_URL for Redis instead of the embedded Celery broker and the local memory cache.
Tests add a few explicit overrides in ``contactcentre/test_settings.py``.
"""

import secrets
import sys
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env (never committed; `make run` writes one for the demo) fills in what the
# process environment does not set.
# ENV_FILE names another file (the test of `make run` uses a throwaway one).
environ.Env.read_env(environ.Env().str("ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# manage.py commands that only read the code (CI's "is a migration missing?") sign nothing: they
# run without a configured key, on a throwaway one. Everything else refuses to start without it.
CODE_ONLY_COMMANDS = {"makemigrations"}
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if DEBUG:
        # Only the local demo runs without a configured key; it is not secret and never leaves the machine.
        SECRET_KEY = "insecure-demo-key-only-for-DEBUG-" + "x" * 32
    elif Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] and sys.argv[1] in CODE_ONLY_COMMANDS:
        SECRET_KEY = secrets.token_urlsafe(50)
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    # Third party
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "phonenumber_field",
    "axes",
    # Tawasul
    "contactcentre",
    "staff",
    "customers",
    "claims",
    "calls",
    "surveys",
    "performance",
]

MIDDLEWARE = [
    "contactcentre.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "contactcentre.urls"
WSGI_APPLICATION = "contactcentre.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "contactcentre.context_processors.navigation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
# No DATABASE_URL: an embedded SQLite file (the demo). With one: PostgreSQL (tests, production).
SQLITE_PATH = Path(env.str("SQLITE_PATH", default=str(BASE_DIR / "var" / "tawasul.sqlite3")))
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                # The web server and the Celery worker write to the same file: wait for the lock
                # instead of failing, take the write lock at BEGIN, and let readers run beside a writer.
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery ----------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_DIR = Path(env.str("CELERY_BROKER_DIR", default=str(BASE_DIR / "var" / "celery-broker")))
# The cache may have a Redis database of its own (CACHE_URL), so that clearing it never touches
# queued tasks; by default it shares REDIS_URL, with its keys prefixed.
CACHE_URL = env.str("CACHE_URL", default=REDIS_URL)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "contactcentre.cache.ReusingRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="tawasul"),
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # kombu's filesystem transport: a real broker that needs no server. The web process and
    # the worker exchange messages as files in one folder.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR),
        "data_folder_out": str(CELERY_BROKER_DIR),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="tawasul")
CELERY_TASK_IGNORE_RESULT = True  # tasks record what they did in the database
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 9 * 60
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/London"
HEARTBEAT_INTERVAL_SECONDS = env.int("HEARTBEAT_INTERVAL_SECONDS", default=60)
# The other periodic tasks, kept in the database by contactcentre.services.schedules_sync after
# every migrate: (schedule name, task, every so many seconds). Each app adds its own lines.
PERIODIC_TASKS: list[tuple[str, str, int]] = []
# An open follow-up this many minutes past due is escalated to its team leader, by a sweep every 5 minutes.
FOLLOW_UP_ESCALATION_GRACE_MINUTES = env.int("FOLLOW_UP_ESCALATION_GRACE_MINUTES", default=15)
PERIODIC_TASKS.append(
    ("Escalate overdue follow-ups", "calls.tasks.followups.escalate_overdue_follow_ups", 5 * 60),
)
# Complaint deadline reminders, and breaches of the final-response deadline (calls/services/complaint_sweep.py).
PERIODIC_TASKS.append(
    ("Complaint deadline reminders and breaches", "calls.tasks.complaints.complaint_deadline_sweep", 15 * 60),
)
# Telephony events are folded into their contacts by a task each request queues; this sweep folds
# whatever a lost message left behind (calls/services/telephony_fold.py).
PERIODIC_TASKS.append(("Fold telephony events left pending", "calls.tasks.telephony.fold_pending_contacts", 60))
# Renewal training needs for completions expiring within 30 days (staff/services/training.py).
PERIODIC_TASKS.append(("Raise renewal training needs", "staff.tasks.training.raise_renewal_needs", 24 * 60 * 60))
# Candidates' personal data is kept this many days after their application closes, then anonymised
# by a daily sweep (staff/services/recruitment.py applications_anonymise).
RECRUITMENT_RETENTION_DAYS = env.int("RECRUITMENT_RETENTION_DAYS", default=180)
PERIODIC_TASKS.append(
    ("Anonymise closed applications", "staff.tasks.recruitment.applications_anonymise", 24 * 60 * 60),
)
# Post-contact surveys (surveys/services/invitations.py): a sweep every 5 minutes decides, for each
# contact wrapped up in the last SURVEY_LOOKBACK_HOURS, whether to invite its member (the queue's
# sampling rule, never twice in SURVEY_INTERVAL_DAYS, never after a complaint or a bereavement, never
# a member who opted out). The link in the invitation works for SURVEY_LINK_DAYS.
SURVEY_INTERVAL_DAYS = env.int("SURVEY_INTERVAL_DAYS", default=30)
SURVEY_LINK_DAYS = env.int("SURVEY_LINK_DAYS", default=7)
SURVEY_LOOKBACK_HOURS = env.int("SURVEY_LOOKBACK_HOURS", default=48)
# Reason codes whose contacts are never followed by a survey (a bereavement, a complaint).
SURVEY_EXCLUDED_REASONS = env.list("SURVEY_EXCLUDED_REASONS", default=["bereavement", "complaint"])
# Where text-message invitations go: a dotted path to a function (number, text) -> None. The default
# writes them to the log; an installation points it at its SMS provider's client.
SURVEY_SMS_SENDER = env.str("SURVEY_SMS_SENDER", default="surveys.sms.log_sender")
# The address members reach Tawasul's public pages at (the survey links in emails and texts).
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://localhost:8000")
PERIODIC_TASKS.append(("Invite members to post-contact surveys", "surveys.tasks.invitations.invite_sweep", 5 * 60))
# Invitations whose sending task was lost (the broker down when they were made) are queued again.
PERIODIC_TASKS.append(("Send survey invitations left unsent", "surveys.tasks.invitations.resend_unsent", 15 * 60))
# KPI rollups (performance/services/rollups.py): writers mark the days they change; this rebuilds
# the marked days from the raw contacts, so dashboards lag the calls by at most this many seconds.
ROLLUP_REFRESH_SECONDS = env.int("ROLLUP_REFRESH_SECONDS", default=60)
PERIODIC_TASKS.append(("Refresh the KPI rollups", "performance.tasks.rollups.refresh_rollups", ROLLUP_REFRESH_SECONDS))
# What the staffing page assumes for a queue without history (docs/performance/workforce.md).
PERFORMANCE_DEFAULT_AHT_SECONDS = env.int("PERFORMANCE_DEFAULT_AHT_SECONDS", default=300)
PERFORMANCE_DEFAULT_SHRINKAGE = env.float("PERFORMANCE_DEFAULT_SHRINKAGE", default=0.30)
# The fold is what makes a call pop up on the agent's desk: give it its own queue and worker in
# production (docker-compose.yml does), so that long tasks never hold it up. Empty: the default queue.
CELERY_TELEPHONY_QUEUE = env.str("CELERY_TELEPHONY_QUEUE", default="")
CELERY_TASK_ROUTES = {"calls.tasks.telephony.*": {"queue": CELERY_TELEPHONY_QUEUE}} if CELERY_TELEPHONY_QUEUE else {}

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "staff.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "staff.auth.EmailBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Five wrong passwords for one account from one address lock that pair out for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # the login form's field (its default is USERNAME_FIELD, "email")
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_CALLABLE = "staff.auth.lockout_username"
AXES_CLIENT_IP_CALLABLE = "contactcentre.http.client_ip"
# Proxies in front of the app that append to X-Forwarded-For (login lockout, throttles, audit).
PROXY_COUNT = env.int("PROXY_COUNT", default=0)

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
PHONENUMBER_DEFAULT_REGION = env.str("PHONE_REGION", default="GB")  # how national numbers are read
# Money is Decimal everywhere, in one currency per installation (ISO 4217: GBP, SAR, ...).
CURRENCY = env.str("CURRENCY", default="GBP")
# Working days: weekends (0 = Monday) and public holidays of this country/subdivision ("holidays" package).
HOLIDAY_COUNTRY = env.str("HOLIDAY_COUNTRY", default="GB")
HOLIDAY_SUBDIVISION = env.str("HOLIDAY_SUBDIVISION", default="ENG")
WEEKEND_DAYS = tuple(env.list("WEEKEND_DAYS", cast=int, default=[5, 6]))
# The regulatory profile complaints are timed by (calls/rules/complaints.py PROFILES); fca_disp: UK FCA
# DISP, summary resolution by the close of the 3rd business day after receipt, final response in 8 weeks.
COMPLAINT_PROFILE = env.str("COMPLAINT_PROFILE", default="fca_disp")

# --- Static files ----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "var" / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- REST API --------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "contactcentre.api.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["contactcentre.api.CanUseApi"],
    "DEFAULT_PAGINATION_CLASS": "contactcentre.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "contactcentre.throttling.AnonThrottle",
        "contactcentre.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="30/minute"),
        "user": env.str("API_THROTTLE_USER", default="1200/minute"),
        "token_failure": env.str("API_THROTTLE_TOKEN_FAILURE", default="10/minute"),
        # A telephony platform sends every call's events (a few hundred a second at the busiest hour).
        "telephony": env.str("API_THROTTLE_TELEPHONY", default="60000/minute"),
        # The careers site's application form, per client address (no account needed).
        "careers": env.str("API_THROTTLE_CAREERS", default="10/hour"),
        # An SMS or IVR provider's webhook, per client token.
        "survey_webhook": env.str("API_THROTTLE_SURVEY_WEBHOOK", default="600/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "contactcentre.api_errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "NUM_PROXIES": PROXY_COUNT,
}
REST_KNOX = {
    # Tokens are stored as SHA-512 digests; the clear token is shown once, when created.
    "TOKEN_TTL": None,  # machine clients: valid until revoked
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
# Each API process remembers a valid token's client (and a telephony client's signing secret, and
# that an address is under the wrong-token limit) for this many seconds instead of reading them on
# every call: a revoked token, a deactivated client, a new secret or wrong tokens sent to another
# process take effect within this time. 0: read them every time.
API_TOKEN_CACHE_SECONDS = env.int("API_TOKEN_CACHE_SECONDS", default=5)
SPECTACULAR_SETTINGS = {
    "TITLE": "Tawasul API",
    "DESCRIPTION": "Contact-centre operations for a health insurer: telephony integration and data access.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["contactcentre.api.CanUseApi"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ClaimStatusEnum": "claims.models.ClaimStatus",
        "PolicyStatusEnum": "claims.models.PolicyStatus",
        "PreAuthorisationStatusEnum": "claims.models.PreAuthorisationStatus",
        "CustomerStatusEnum": "customers.models.CustomerStatus",
    },
}

# --- Email ----------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Tawasul <no-reply@tawasul.local>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
ADMINS = [("Administrators", a) for a in env.list("ADMIN_EMAILS", default=[])]

# --- Security (secure by default; the demo turns the HTTPS-only parts off through DEBUG) ---------
SECURE_COOKIES = env.bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 3600)  # one long shift
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "contactcentre.views.csrf_failure"
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
