"""Settings for the scholarship portal, all read from the environment.

Defaults are safe for production (DEBUG off, secure cookies, HSTS); `make run`
turns DEBUG on for local development. See README.md, "Configuration".
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY in the environment (DEBUG is off).")
    SECRET_KEY = "insecure-development-key-only-used-when-debug-is-on"

# Keys for the encrypted fields (config/fields.py): Fernet keys, newest first,
# kept apart from SECRET_KEY and from the database backups.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
if not FIELD_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set FIELD_ENCRYPTION_KEYS in the environment (DEBUG is off); "
            "README.md, Configuration, says how to make a key."
        )
    FIELD_ENCRYPTION_KEYS = ["ZGV2ZWxvcG1lbnQtb25seS1rZXktbm90LWZvci1wcm8="]

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://localhost:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "formtools",
    "djmoney",
    "django_countries",
    "anymail",
    "django_tasks_db",
    "django_otp",
    # Ours, lowest first: each app may import only the apps above it in this list.
    "notifications",
    "accounts",
    "conferences",
    "scholarships",
    "meetings",
    "payments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "accounts.audit.AuditContextMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.UserPreferencesMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "accounts.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# Forms: Django's renderer, with its label and input templates built in Python.
FORM_RENDERER = "config.renderers.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "libraries": {"forms": "config.template_tags"},
        },
    },
]

# Database: SQLite in the project folder out of the box, PostgreSQL in production.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE makes concurrent writers queue for the lock instead of failing with
    # "database is locked" half-way through a transaction; WAL lets readers go on.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Parameters sent apart from the SQL, and a statement a connection runs again and
    # again (the session's user, the application of a wizard step) prepared from its
    # fifth run on (psycopg's threshold; Django turns preparing off unless it is given):
    # PostgreSQL then stops parsing and planning it on every request. Both off behind a
    # pooler that cannot keep prepared statements.
    prepared = env.bool("DATABASE_SERVER_SIDE_BINDING", default=True)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=prepared, prepare_threshold=5 if prepared else None
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # ModelBackend, loading with the user whether they have an authenticator app.
    "accounts.backends.UserBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "scholarships:call-list"
LOGOUT_REDIRECT_URL = "scholarships:call-list"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3
# Throttling of logins and password resets: failures per network and per account
# within the window (accounts/throttle.py).
LOGIN_THROTTLE_WINDOW = env.int("LOGIN_THROTTLE_WINDOW", default=15 * 60)
LOGIN_THROTTLE_LIMITS = {
    "network": env.int("LOGIN_THROTTLE_NETWORK", default=20),
    "account": env.int("LOGIN_THROTTLE_ACCOUNT", default=5),
}
# Second factor: required for every staff role, offered to applicants.
OTP_ISSUER = env.str("OTP_ISSUER", default="Scholarships")

# Cache: this process's memory unless CACHE_URL names a cache every app server shares
# (Redis in production, redis://: the rankings are then computed once for all servers).
CACHES = {
    "default": env.cache_url_config(env.str("CACHE_URL", default="") or "locmemcache://"),
    # Template fragments that depend only on the code, the translations and the URLs
    # (the site's header for a language and a set of roles): the same on every server,
    # so each process keeps its own and nothing ever needs to invalidate them. Not kept
    # with DEBUG on, where a template edited under runserver must show at once.
    "templates": {
        "BACKEND": "django.core.cache.backends."
        + ("dummy.DummyCache" if DEBUG else "locmem.LocMemCache"),
        "LOCATION": "templates",
        "TIMEOUT": None,
    },
}
SHARED_CACHE = not CACHES["default"]["BACKEND"].endswith("LocMemCache")

# Sessions and cookies: nothing but the session id and the language in cookies.
# With a shared cache, a session is read from it and written through to the database
# (one cache read instead of a query on every page); with a per-process cache that
# would let a logout on one server go unseen by another, so sessions stay in the
# database alone.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if SHARED_CACHE
    else "django.contrib.sessions.backends.db"
)
SESSION_COOKIE_AGE = 60 * 60 * 12
# accounts.middleware.SessionTimeoutMiddleware: idle limits and an absolute one.
SESSION_IDLE_STAFF = env.int("SESSION_IDLE_STAFF", default=30 * 60)
SESSION_IDLE_APPLICANT = env.int("SESSION_IDLE_APPLICANT", default=60 * 60)
SESSION_ABSOLUTE = env.int("SESSION_ABSOLUTE", default=12 * 60 * 60)
# Approving or paying money, changing the second factor and bulk exports ask for the
# password (and code) again when the last one is older than this (SECURITY.md, AU-8).
REAUTHENTICATE_AFTER_SECONDS = env.int("REAUTHENTICATE_AFTER_SECONDS", default=5 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE

# HTTPS and headers
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
# How many proxies in front of the app append to X-Forwarded-For (0: none, the
# client's address is REMOTE_ADDR). Throttling and the audit log depend on it.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

from django.utils.csp import CSP  # noqa: E402  (kept beside the setting it serves)

SECURE_CSP = {
    "default-src": [CSP.SELF],
    # No inline script anywhere: only files served from here.
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Languages: the network's five working languages.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("ru", "Русский"),
    ("zh-hans", "简体中文"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# Static files, served by WhiteNoise; hashed names in production.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("PRIVATE_STORAGE_ROOT", default=BASE_DIR / "private")},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}
# Serve from the source folders without `collectstatic` in development and tests.
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_AUTOREFRESH", default=DEBUG)
# No public media: uploads live in private storage (STORAGES["default"]) and leave
# only through views that check permission. Nothing serves MEDIA_URL, and MEDIA_ROOT
# is an empty folder of its own so that even a development server serves nothing.
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "staticfiles" / "no-public-media"

# Email: through django-anymail in production, printed to the console in development.
# MAILER_BACKEND is an anymail backend in production, e.g.
# anymail.backends.postmark.EmailBackend, with its keys in ANYMAIL (JSON).
MAILERS = {
    "default": {
        "BACKEND": env.str(
            "MAILER_BACKEND", default="django.core.mail.backends.console.EmailBackend"
        ),
    },
}
ANYMAIL = env.json("ANYMAIL", default={})
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Scholarships <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
# A row left "sending" this long means the worker died mid-send.
OUTBOX_STUCK_AFTER_SECONDS = env.int("OUTBOX_STUCK_AFTER_SECONDS", default=600)

# Background tasks: Django's Tasks framework, stored in the database.
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    },
}

# Calls with more reviewed applications than this are solved by the task worker.
SELECTION_INLINE_LIMIT = env.int("SELECTION_INLINE_LIMIT", default=2000)

# Money
CURRENCIES = env.list(
    "CURRENCIES",
    default=["USD", "EUR", "CHF", "GBP", "ZAR", "KES", "XOF", "THB", "INR", "BRL", "MXN", "CAD"],
)
DEFAULT_CURRENCY = "USD"
# Each applicant's estimated cost for the selection's budget (payments' travel estimates);
# empty: the balance policy's flat estimate per region for everyone.
SELECTION_COST_ESTIMATOR = env.str(
    "SELECTION_COST_ESTIMATOR", default="payments.estimates.estimated_costs"
)

# `manage.py load_demo` (scholarships) calls these after its own demo, each with the demo
# call and coordinator; they return a line for its summary.
DEMO_LOADERS = [
    "payments.demo.load_demo_payments",
    "meetings.demo.load_demo_meetings",
]

# PDF letters: one TrueType font (or a face of a collection) covering Latin, Cyrillic and
# Chinese, embedded in every PDF. Debian's fonts-wqy-zenhei by default.
PDF_FONT_PATH = env.str("PDF_FONT_PATH", default="/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
PDF_FONT_SUBFONT_INDEX = env.int("PDF_FONT_SUBFONT_INDEX", default=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
