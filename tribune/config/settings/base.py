"""Settings shared by every environment; values that vary come from config.env."""

from __future__ import annotations

from typing import Any

from csp.constants import NONCE
from django.conf.locale import LANG_INFO

from tribune.config import env

BASE_DIR = env.BASE_DIR
VAR_DIR = env.VAR_DIR

DEBUG = env.get_bool("DEBUG", False)
ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS", [])
# Addresses of reverse proxies whose X-Forwarded-For may be believed.
TRUSTED_PROXIES = env.get_list("TRUSTED_PROXIES", [])

INSTALLED_APPS = [
    "tribune.core",
    "tribune.mailing",
    "tribune.newsroom",
    "tribune.funding",
    "tribune.discussion",
    "tribune.subscriptions",
    "tribune.supporters",
    "tribune.live",
    "tribune.selfservice",
    "tribune.newsletter",
    "tribune.moving",
    "tribune.demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # /healthz and /readyz, before anything that reads the database or cache.
    "tribune.core.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    # WordPress's "/?p=12" of imported posts, before a cached home page answers.
    "tribune.moving.middleware.LegacyQueryRedirectMiddleware",
    # Before everything that only matters when a page is rendered (core/pagecache.py).
    "tribune.core.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks staff browsers at sign-in so no shared copy answers them.
    "tribune.core.staffcookie.StaffCookieMiddleware",
    # Django's, with the storage made when a request first uses it.
    "tribune.core.messages.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tribune.core.csp.CSPMiddleware",
    "tribune.core.sites.SiteMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "tribune.config.urls"
WSGI_APPLICATION = "tribune.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tribune" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "csp.context_processors.nonce",
                "tribune.core.context_processors.site",
                "tribune.core.context_processors.csrf",
            ],
        },
    }
]

DATABASES = {"default": env.database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.get("REDIS_URL")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    # Django's RedisCache that keeps answering while Redis is away (core/cache.py).
    _SHARED: dict[str, Any] = {
        "BACKEND": "tribune.core.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "tribune",
        "OPTIONS": {
            "socket_connect_timeout": env.get_float("REDIS_TIMEOUT", 0.5),
            "socket_timeout": env.get_float("REDIS_TIMEOUT", 0.5),
            "RETRY_SECONDS": env.get_float("REDIS_RETRY_SECONDS", 2.0),
        },
    }
else:
    # Without Redis the shared cache lives in files so that every web worker
    # and the task worker see the same counters, invalidations and rate limits
    # (docs/decisions/0004-cache-without-redis.md).
    _SHARED = {
        "BACKEND": "tribune.core.filecache.SharedFileCache",
        "LOCATION": str(VAR_DIR / "cache"),
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
CACHES = {
    "default": _SHARED,
    # Per process: rendered pages and comment boxes, always looked up under keys
    # that carry a version read from the shared cache, so a copy is never stale.
    # Bounded by bytes, least recently used out first (core/memorycache.py).
    "local": {
        "BACKEND": "tribune.core.memorycache.MemoryCache",
        "LOCATION": "tribune-local",
        "OPTIONS": {"MAX_BYTES": env.get_int("PAGECACHE_MAX_BYTES", 64 * 1024 * 1024)},
    },
    # Wagtail's image renditions, in the shared cache; Wagtail writes each one back
    # on every lookup; this alias drops the writes that repeat (core/repeatcache.py).
    "renditions": {
        "BACKEND": "tribune.core.repeatcache.RepeatSkippingCache",
        "OPTIONS": {"TARGET": "default", "SKIP_SECONDS": 60},
    },
}

# Whole pages for readers without a session, kept this many seconds at most;
# apps invalidate a page's path when what it shows changes (0 turns it off).
PAGECACHE_SECONDS = env.get_int("PAGECACHE_SECONDS", 30)
# A request carrying any of these cookies sees something personal: no cache.
# (A guest's cookie is checked instead: discussion registers a pagecache sharer.)
PAGECACHE_BYPASS_COOKIES = ["sessionid", "messages"]
# Cookies that choose between public variants of a page.
PAGECACHE_VARY_COOKIES = ["tribune_comment_sort"]
# Set by the page scripts: this browser fetches its own state (/api/threads/<id>/me),
# so it gets the shared copy, the same bytes for every reader (decision 0024).
PAGECACHE_SCRIPT_COOKIE = "tribune_js"
# Readers with these get their own render even so (staff see the Wagtail user bar).
PAGECACHE_SHARED_BYPASS_COOKIES = ["messages", "tribune_staff"]
# How long a proxy in front (the shipped nginx, a CDN) may keep a shared copy.
PAGECACHE_SHARED_SECONDS = env.get_int("PAGECACHE_SHARED_SECONDS", 5)

# Comment section tunables (defaults and meaning in tribune/discussion/conf.py).
DISCUSSION_EDIT_WINDOW_MINUTES = env.get_int("DISCUSSION_EDIT_WINDOW_MINUTES", 15)
DISCUSSION_MAX_DEPTH = env.get_int("DISCUSSION_MAX_DEPTH", 5)
DISCUSSION_PAGE_SIZE = env.get_int("DISCUSSION_PAGE_SIZE", 30)
DISCUSSION_MIN_FILL_SECONDS = env.get_int("DISCUSSION_MIN_FILL_SECONDS", 3)
DISCUSSION_RATE_PER_IP_PER_MINUTE = env.get_int("DISCUSSION_RATE_PER_IP_PER_MINUTE", 5)
DISCUSSION_RATE_PER_EMAIL_PER_HOUR = env.get_int(
    "DISCUSSION_RATE_PER_EMAIL_PER_HOUR", 20
)

if REDIS_URL:
    # Tasks live in Redis and run on RQ workers (docs/decisions/0002-mail-delivery.md).
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    # Enqueuing gives up quickly when Redis is away (the sweepers enqueue again);
    # RQ's worker raises the timeout it needs for its own blocking reads.
    _RQ_URL = env.with_timeouts(REDIS_URL, env.get_float("REDIS_TIMEOUT", 0.5))
    RQ_QUEUES = {"default": {"URL": _RQ_URL, "DEFAULT_TIMEOUT": 600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# `tribune worker` runs these management commands every so many seconds.
WORKER_PERIODIC_COMMANDS = {
    "publish_scheduled": 60.0,
    # Due mail (retries included) goes out from the database within seconds,
    # with or without a queue task; the sweeper takes back expired leases.
    "mailing_deliver_due": 5.0,
    "mailing_sweep": 15.0,
    "subscriptions_send_digests": 600.0,
    # Starts digests and hands the next batch of newsletter mail to the outbox.
    "newsletter_send": 5.0,
    # Trains the first spam model, then retrains after enough moderator decisions.
    "spam_train": 600.0,
    # Purges erasures past their undo days and commenters' old IP addresses.
    "selfservice_purge": 3600.0,
    # Live events older than LIVE_KEEP_SECONDS: past the replay window.
    "live_prune": 600.0,
}

_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]
# Readers sign in from the comment section; without a "next" they land on the
# front page (Django's default, /accounts/profile/, does not exist here).
LOGIN_REDIRECT_URL = "/"

LANGUAGE_CODE = env.get("LANGUAGE_CODE", "en")
# The languages readers may get. Unset, the site speaks LANGUAGE_CODE alone;
# LANGUAGES=en,de lets the browser choose and shows a language switch.
LANGUAGES = [
    (code, LANG_INFO.get(code, {}).get("name_local", code))
    for code in env.get_list("LANGUAGES", [LANGUAGE_CODE])
]
# Tribune's own catalogues (de, es, fr, uk); Django and Wagtail ship theirs.
LOCALE_PATHS = [BASE_DIR / "tribune" / "locale"]
TIME_ZONE = env.get("TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "tribune" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "tribune.core.staticfiles.StaticFilesStorage"},
}
# Hashed file names are safe to cache for a year.
WHITENOISE_MAX_AGE = 31536000

SITE_NAME = env.get("SITE_NAME", "The Valley Ledger")
WAGTAIL_SITE_NAME = SITE_NAME
WAGTAILADMIN_BASE_URL = env.base_url()
WAGTAILSEARCH_BACKENDS = {
    # Picks PostgreSQL full-text search on PostgreSQL, a portable index elsewhere.
    "default": {"BACKEND": "wagtail.search.backends.database"}
}
WAGTAILIMAGES_FORMAT_CONVERTERS = {"webp": "webp"}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_I18N_ENABLED = False
# No Gravatar: editors' email hashes stay here, and the CSP allows no outside images.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# No upgrade check from the dashboard: the CSP allows no outside requests (each
# superuser's visit would log a refused fetch), and the newsroom's version comes
# from its own release notes and pip, not from a call out to wagtail.org.
WAGTAIL_ENABLE_UPDATE_CHECK = False
TAGGIT_CASE_INSENSITIVE = True

# Live updates (tribune/live, decision 0025): where pages open the event stream
# (a path nginx sends to `tribune live`, or a full URL), and streams per address.
LIVE_STREAM_URL = env.get("LIVE_STREAM_URL", "/live/stream/")
LIVE_CONNECTIONS_PER_IP = env.get_int("LIVE_CONNECTIONS_PER_IP", 16)
_LIVE_ORIGIN = LIVE_STREAM_URL.split("/live/")[0] if "://" in LIVE_STREAM_URL else ""

# Strict CSP: no inline script or style. No public page asks for a nonce; one that
# did could not be shared (core/pagecache.py, decision 0024).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'", *([_LIVE_ORIGIN] if _LIVE_ORIGIN else [])],
        "frame-src": [
            "'self'",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ],
        "frame-ancestors": ["'self'"],
        "form-action": [
            "'self'",
            "https://checkout.stripe.com",
            "https://www.paypal.com",
        ],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the site's JS reads it to send X-CSRFToken
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail lifts it for its own preview

# Mail is written to files under var/mail/ unless EMAIL_URL or EMAIL_HOST
# configures SMTP (or EMAIL_URL=console:// prints it).
_EMAIL = env.email()
EMAIL_BACKEND = _EMAIL["EMAIL_BACKEND"]
EMAIL_FILE_PATH = _EMAIL.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = _EMAIL.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _EMAIL.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _EMAIL.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _EMAIL.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _EMAIL.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _EMAIL.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = _EMAIL.get("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# Reader funding: a provider without its secrets is not offered.
STRIPE_SECRET_KEY = env.get("STRIPE_SECRET_KEY")
STRIPE_WEBHOOK_SECRET = env.get("STRIPE_WEBHOOK_SECRET")
PAYPAL_CLIENT_ID = env.get("PAYPAL_CLIENT_ID")
PAYPAL_CLIENT_SECRET = env.get("PAYPAL_CLIENT_SECRET")
PAYPAL_WEBHOOK_ID = env.get("PAYPAL_WEBHOOK_ID")
PAYPAL_API_BASE = env.get("PAYPAL_API_BASE", "https://api-m.paypal.com")
PATREON_WEBHOOK_SECRET = env.get("PATREON_WEBHOOK_SECRET")
FUNDING_CURRENCY = env.get("FUNDING_CURRENCY", "USD")
FUNDING_LOCALE = env.get("FUNDING_LOCALE")
