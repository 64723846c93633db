"""Fupin's settings: one file, every value from the environment (see .env.example)."""

from pathlib import Path

from fupin import config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(config.env_str("FUPIN_VAR_DIR", str(BASE_DIR / "var")))

FUPIN_ENV = config.env_str("FUPIN_ENV", "development")
if FUPIN_ENV not in {"development", "production", "test"}:
    raise config.ImproperlyConfigured(
        f"FUPIN_ENV={FUPIN_ENV!r} is not valid: use development, test or production."
    )
PRODUCTION = FUPIN_ENV == "production"

SECRET_KEY = config.secret_key(PRODUCTION, VAR_DIR)
DEBUG = config.env_bool("DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise config.ImproperlyConfigured(
        "DEBUG must be off when FUPIN_ENV=production: its pages show settings and data."
    )
ALLOWED_HOSTS = config.env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise config.ImproperlyConfigured(
        "ALLOWED_HOSTS must be set when FUPIN_ENV=production (the names Fupin answers to)."
    )
CSRF_TRUSTED_ORIGINS = config.env_list("CSRF_TRUSTED_ORIGINS", [])

DATABASES = {
    "default": config.database_from_url(
        config.env_str("DATABASE_URL", "sqlite:///var/fupin.sqlite3"), BASE_DIR
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "simple_history",
    "axes",
    "django_htmx",
    "csp",
    "ninja",  # django-ninja: its swagger-ui assets, served by Fupin (no CDN)
    "fupin.core",
    "fupin.documents",  # no models: an app so that its strings have a catalogue of their own
    "fupin.registry",
    "fupin.assessment",
    "fupin.workplan",
    "fupin.fieldwork",
    "fupin.procedures",
    "fupin.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "fupin.core.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fupin.urls"
WSGI_APPLICATION = "fupin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fupin.core.context_processors.navigation",
            ],
        },
    }
]

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Brute-force throttling: lock a username from one address after this many failures.
AXES_FAILURE_LIMIT = config.env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = config.env_int("AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Sessions and cookies: HttpOnly everywhere; Secure when served over HTTPS.
HTTPS = config.env_bool("FUPIN_HTTPS", default=PRODUCTION)
SESSION_COOKIE_AGE = config.env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = HTTPS and config.env_bool("SECURE_SSL_REDIRECT", default=True)
# A monitor on the server itself asks /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = config.env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = False
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = ["security.W021"]  # HSTS preload is a choice for the operator.

# Content Security Policy: everything from Fupin itself, nothing inline, no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = []  # each app (fupin.documents too) holds its own catalogue in <app>/locale
TIME_ZONE = config.env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on a missing root
# Front-end packages come from npm (package-lock.json) and are served by Fupin itself.
STATICFILES_DIRS = [("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The largest registry file an import accepts (bytes) and its most rows.
FUPIN_IMPORT_MAX_BYTES = config.env_int("FUPIN_IMPORT_MAX_BYTES", 300 * 1024 * 1024)
FUPIN_IMPORT_MAX_ROWS = config.env_int("FUPIN_IMPORT_MAX_ROWS", 2_000_000)
# Its most columns (a sheet or CSV line wider than this is refused before it is loaded) and
# the most row errors a check collects before it stops and says so.
FUPIN_IMPORT_MAX_COLUMNS = config.env_int("FUPIN_IMPORT_MAX_COLUMNS", 200)
FUPIN_IMPORT_MAX_ERRORS = config.env_int("FUPIN_IMPORT_MAX_ERRORS", 1000)
# A job still running after this many hours is taken for one whose worker died (`fupin
# recover-jobs`, also run when a worker starts): it is marked failed, its upload removed.
FUPIN_JOB_STALE_HOURS = config.env_int("FUPIN_JOB_STALE_HOURS", 6)
# Job files (exports, error reports) are removed this many days after their job ended
# (`fupin cleanup-jobs`, also run when a worker starts).
FUPIN_JOB_FILE_DAYS = config.env_int("FUPIN_JOB_FILE_DAYS", 7)
# Import files from this size on are read and parsed in a second process (fupin.registry.
# importer): below it, starting one costs more than it saves.
FUPIN_IMPORT_ASIDE_BYTES = config.env_int("FUPIN_IMPORT_ASIDE_BYTES", 4 * 1024 * 1024)

# Assessment runs older than this many days are pruned to the latest of each month
# (fupin/assessment/retention.py, `fupin prune-runs`).
FUPIN_RUN_KEEP_DAYS = config.env_int("FUPIN_RUN_KEEP_DAYS", 62)
# The training candidate finder's ages, both inclusive (fupin/fieldwork/trainings.py).
FUPIN_TRAINING_AGE_MIN = config.env_int("FUPIN_TRAINING_AGE_MIN", 15)
FUPIN_TRAINING_AGE_MAX = config.env_int("FUPIN_TRAINING_AGE_MAX", 30)
# A mediation case still open this many days after it was received is warned on the home page.
FUPIN_MEDIATION_WARN_DAYS = config.env_int("FUPIN_MEDIATION_WARN_DAYS", 30)

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": config.env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# The API (fupin.api): requests per token (or session user), as django-ninja's throttle reads it.
API_THROTTLE_RATE = config.env_str("API_THROTTLE_RATE", "6000/m")
