"""Django settings. Every value a deployment may change comes from casebridge.config."""

import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url

from casebridge import config
from casebridge.audit.backends.engines import engine_for

try:
    ENV = config.load()
except config.ConfigError as exc:
    # One line, no traceback: the operator needs the reason, not our stack.
    sys.stderr.write(f"casebridge: configuration error: {exc}\n")
    raise SystemExit(2) from None

BASE_DIR = Path(__file__).resolve().parent
MODE = ENV["CASEBRIDGE_MODE"]
DEBUG = False
SECRET_KEY = ENV["CASEBRIDGE_SECRET_KEY"]
ALLOWED_HOSTS = ENV["CASEBRIDGE_ALLOWED_HOSTS"]
if "pytest" in sys.modules:
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # Django's widget templates, for FORM_RENDERER below
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_htmx",
    "casebridge.audit",
    "casebridge.agencies",
    "casebridge.accounts",
    "casebridge.cases",
    "casebridge.items",
    "casebridge.sharing",
    "casebridge.decisions",
    "casebridge.conferences",
    "casebridge.assessments",
    "casebridge.reflector",
    "casebridge.glossary",
    "casebridge.network",
    "casebridge.dataprotection",
    "casebridge.search",
    "casebridge.imports",
    "casebridge.demo",
    "casebridge.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "casebridge.accounts.middleware.IdleTimeoutMiddleware",
    # The language from the cookie or Accept-Language (after the session, before CommonMiddleware);
    # a signed-in person's own choice overrides it below (PreferredLanguageMiddleware).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "casebridge.forms.ErrorTitleMiddleware",  # "Error:" in the title of a page with an error summary
    "casebridge.accounts.middleware.ActiveAgencyMiddleware",
    "casebridge.accounts.middleware.PreferredLanguageMiddleware",
    "casebridge.accounts.middleware.PurposeMiddleware",
    "casebridge.edge.EdgeMiddleware",
    "casebridge.permissions.DenyByDefaultMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Widgets render through the project's templates, so casebridge/templates/django/forms/ can replace
# one of Django's widget templates (the select, whose options are written inline).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

ROOT_URLCONF = "casebridge.urls"
WSGI_APPLICATION = "casebridge.wsgi.application"
AUTH_USER_MODEL = "agencies.Practitioner"
LOGIN_URL = "accounts:login"

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
                "casebridge.accounts.context.casebridge_context",
            ],
        },
    }
]


# PostgreSQL: Django's connection pool (psycopg_pool), one per server process. A request borrows a
# connection for its lifetime and gives it back at the end instead of opening a new one (a TLS
# handshake and a backend fork, 5-20 ms). The pool is opened lazily in each process, after a
# pre-forking server has forked. CONN_HEALTH_CHECKS makes the pool ask the server whether a
# connection still lives before lending it out, so a restarted PostgreSQL costs one failed check,
# not a failed request. max_size covers a process's threads (8 by default) with room for a test's
# threads; `timeout`: a request waits at most 10 s for a free connection, then fails cleanly.
# SQLite: each server thread keeps its connection (CONN_MAX_AGE, checked before each request).
# Opening the file is cheap, but a new connection parses the whole schema again on its first
# statement and starts with an empty page cache: on the load benchmark that doubled the time of
# every request.
SQLITE_CONN_MAX_AGE = 600
POSTGRES_POOL = {"min_size": 1, "max_size": 16, "timeout": 10, "max_idle": 300}
# Parameters bound in the server, and a statement a connection has run 5 times kept prepared:
# PostgreSQL plans it once, not on every request (planning took twice as long as executing a case
# page's queries). The benchmark's connections use them too (casebridge.ops.bench.database).
POSTGRES_STATEMENTS = {"server_side_binding": True, "prepare_threshold": 5}
CACHE_POOL_SIZE = 4  # connections a process keeps for the shared cache (CASEBRIDGE_CACHE=database)


def _database(url: str) -> dict:
    db = dj_database_url.parse(url, conn_max_age=0)
    # Django's backend with the audit trail's append-before-commit (casebridge.audit.backends).
    db["ENGINE"] = engine_for(db["ENGINE"])
    if db["ENGINE"] == "casebridge.audit.backends.sqlite3":
        db["CONN_MAX_AGE"] = SQLITE_CONN_MAX_AGE if db["NAME"] != ":memory:" else 0
        db["CONN_HEALTH_CHECKS"] = True
        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True) if db["NAME"] != ":memory:" else None
        db["OPTIONS"] = {
            # IMMEDIATE: a request takes the write lock when it starts, so the audit chain's
            # read-last-then-append can never interleave with another writer.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    else:
        db.setdefault("OPTIONS", {})["pool"] = dict(POSTGRES_POOL)
        db["OPTIONS"].update(POSTGRES_STATEMENTS)
        db["CONN_HEALTH_CHECKS"] = True
    db["ATOMIC_REQUESTS"] = True
    return db


DATABASES = {"default": _database(ENV["DATABASE_URL"])}
if ENV["CASEBRIDGE_CACHE"] == "database":
    # The shared cache (rate-limit counts) on a connection of its own to the same database, in
    # autocommit: a count is kept even when the request that made it is rolled back (a refused
    # token is an error, and errors roll back), and a read-only request never writes in its
    # read transaction (casebridge.accounts.throttle.CacheRouter). Tests use the default connection.
    DATABASES["cache"] = {**_database(ENV["DATABASE_URL"]), "ATOMIC_REQUESTS": False, "TEST": {"MIRROR": "default"}}
    if "pool" in DATABASES["cache"]["OPTIONS"]:
        DATABASES["cache"]["OPTIONS"] = {**DATABASES["cache"]["OPTIONS"],
                                         "pool": {**POSTGRES_POOL, "max_size": CACHE_POOL_SIZE}}
    DATABASE_ROUTERS = ["casebridge.accounts.throttle.CacheRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    *(["casebridge.accounts.hashers.DemoArgon2PasswordHasher"] if MODE == "demo" else []),  # why: hashers.py
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "casebridge.accounts.backends.PeopleOnlyBackend",
]

# Lockout (django-axes): by username, so an attacker cannot lock out a whole office by IP.
AXES_FAILURE_LIMIT = ENV["CASEBRIDGE_LOCKOUT_FAILURES"]
AXES_COOLOFF_TIME = timedelta(minutes=ENV["CASEBRIDGE_LOCKOUT_MINUTES"])
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "casebridge.accounts.views.locked_out"
AXES_VERBOSE = False
# Lock by account, not by IP: offices share addresses, and per-IP lockout would let one
# attacker lock out a whole agency. Rotating user agents cannot bypass a per-username lock.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Rate limits (casebridge.accounts.throttle): counters in the default cache. Local memory is per
# process; several server processes share the database cache table (created by `casebridge migrate`).
CASEBRIDGE_RATES = {
    "login": ENV["CASEBRIDGE_RATE_LOGIN"],
    "second_factor": ENV["CASEBRIDGE_RATE_SECOND_FACTOR"],
    "lookup": ENV["CASEBRIDGE_RATE_LOOKUP"],
    "token": ENV["CASEBRIDGE_RATE_TOKEN"],
}
CASEBRIDGE_RATE_ADDRESS_FACTOR = ENV["CASEBRIDGE_RATE_ADDRESS_FACTOR"]
CACHE_TABLE = "casebridge_cache"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}
    if ENV["CASEBRIDGE_CACHE"] == "database" else
    {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "casebridge"},
}

OTP_TOTP_ISSUER = "Casebridge"

SESSION_COOKIE_SECURE = ENV["CASEBRIDGE_SECURE_COOKIES"]
CSRF_COOKIE_SECURE = ENV["CASEBRIDGE_SECURE_COOKIES"]
CSRF_FAILURE_VIEW = "casebridge.edge.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_AGE = ENV["CASEBRIDGE_SESSION_MINUTES"] * 60
SESSION_SAVE_EVERY_REQUEST = False  # the idle timeout is kept by accounts.middleware.IdleTimeoutMiddleware
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if MODE == "production":
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# The interface in four languages (docs/i18n.md). Arabic exists only for the documents given to
# clients (the transparency notice's texts are per-language data files, not message catalogues).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("nl", "Nederlands"), ("fr", "Français"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "casebridge_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"  # it only chooses the language; Lax keeps it on a link from e-mail
LANGUAGE_COOKIE_SECURE = ENV["CASEBRIDGE_SECURE_COOKIES"]
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
# Dates and times per locale (USE_L10N is always on): Django's formats for nl/fr/de, and British
# rather than American English ones for en (casebridge/formats/en/formats.py).
FORMAT_MODULE_PATH = ["casebridge.formats"]
TIME_ZONE = ENV["CASEBRIDGE_TIME_ZONE"]
USE_I18N = True
USE_TZ = True
# Dates on pages follow the language: English as written in Europe (casebridge/formats/en), the others Django's.
FORMAT_MODULE_PATH = ["casebridge.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = ENV["CASEBRIDGE_DATA_DIR"] / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it; collectstatic fills it in production
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

CASEBRIDGE_REMINDER_DAYS = ENV["CASEBRIDGE_REMINDER_DAYS"]
CASEBRIDGE_CONFERENCE_KINDS = ENV["CASEBRIDGE_CONFERENCE_KINDS"]
CASEBRIDGE_CONFERENCE_RELEASE_WEEKS = ENV["CASEBRIDGE_CONFERENCE_RELEASE_WEEKS"]
CASEBRIDGE_CONFERENCE_REVIEW_DAYS = ENV["CASEBRIDGE_CONFERENCE_REVIEW_DAYS"]
CASEBRIDGE_BASE_URL = ENV["CASEBRIDGE_BASE_URL"].rstrip("/")
CASEBRIDGE_INSTRUMENTS_DIR = ENV["CASEBRIDGE_INSTRUMENTS_DIR"]
CASEBRIDGE_INSTRUMENT_WORDING_DIR = ENV["CASEBRIDGE_INSTRUMENT_WORDING_DIR"]
CASEBRIDGE_GLOSSARY_DIR = ENV["CASEBRIDGE_GLOSSARY_DIR"]
CASEBRIDGE_PDF_FONT_DIR = ENV["CASEBRIDGE_PDF_FONT_DIR"]
CASEBRIDGE_NOTICE_DIR = ENV["CASEBRIDGE_NOTICE_DIR"]

# E-mail (conference invitations): SMTP when a host is configured, else the console (the demo).
DEFAULT_FROM_EMAIL = ENV["CASEBRIDGE_MAIL_FROM"]
if ENV["CASEBRIDGE_SMTP_HOST"]:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = ENV["CASEBRIDGE_SMTP_HOST"]
    EMAIL_PORT = ENV["CASEBRIDGE_SMTP_PORT"]
    EMAIL_HOST_USER = ENV["CASEBRIDGE_SMTP_USER"]
    EMAIL_HOST_PASSWORD = ENV["CASEBRIDGE_SMTP_PASSWORD"]
    EMAIL_USE_TLS = ENV["CASEBRIDGE_SMTP_TLS"]
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Signed checkpoints of the audit chain head: the key and the checkpoints live outside the database.
CASEBRIDGE_AUDIT_SIGNING_KEY = ENV["CASEBRIDGE_AUDIT_SIGNING_KEY"]
CASEBRIDGE_AUDIT_CHECKPOINT_DIR = ENV["CASEBRIDGE_AUDIT_CHECKPOINT_DIR"]
CASEBRIDGE_LOCK_TIMES = ENV["CASEBRIDGE_LOCK_TIMES"]
CASEBRIDGE_CLASSIFICATION_LABELS = ENV["CASEBRIDGE_CLASSIFICATION_LABELS"]
CASEBRIDGE_MAX_TEXT = ENV["CASEBRIDGE_MAX_TEXT"]
CASEBRIDGE_DEMO_TOTP_HINT = ENV["CASEBRIDGE_DEMO_TOTP_HINT"]
# Role-fitting actions by agency kind, read through casebridge.policy.roles only.
CASEBRIDGE_DECISION_AGENCY_KINDS = ENV["CASEBRIDGE_DECISION_AGENCY_KINDS"]
CASEBRIDGE_INTELLIGENCE_AGENCY_KINDS = ENV["CASEBRIDGE_INTELLIGENCE_AGENCY_KINDS"]
CASEBRIDGE_SOURCE_METHOD_AGENCY_KINDS = ENV["CASEBRIDGE_SOURCE_METHOD_AGENCY_KINDS"]
CASEBRIDGE_DISTANCING_AGENCY_KINDS = ENV["CASEBRIDGE_DISTANCING_AGENCY_KINDS"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
