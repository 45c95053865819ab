"""Benchmark: production settings over plain HTTP on loopback, comment limits raised.

Used by bench/run.sh (docs/benchmarks.md). Everything not listed here is production's:
DEBUG off, SECRET_KEY required from the environment (bench/run.sh makes a throwaway
one when none is set), DATABASE_URL or SQLite under TRIBUNE_VAR_DIR, REDIS_URL for the
cache when set, hashed static files served by WhiteNoise. The moderation policy is a
site setting in the database; bench/run.sh sets it to "publish at once".
"""

from tribune.config.settings.production import *  # noqa: F403

# wrk and the harness speak plain HTTP to 127.0.0.1: no TLS redirect, no HSTS, and
# cookies that a plain-HTTP client gets back.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_PRELOAD = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

# A run posts hundreds of comments a second from 127.0.0.1 under a few hundred email
# addresses. The limits stay on (their cache counters are part of a POST's cost) but
# sit far above benchmark rates; the adapter records these values with every result.
DISCUSSION_RATE_PER_IP_PER_MINUTE = 100_000_000
DISCUSSION_RATE_PER_EMAIL_PER_HOUR = 100_000_000
