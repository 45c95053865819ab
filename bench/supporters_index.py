"""What the supporter badges cost: building the cached list of supporters from a
ledger of 40,000 payments by 10,000 donors, its size in the cache, and a page's
lookup of 50 commenters' addresses from it.

Migrates a throw-away SQLite database (benchmark settings; PostgreSQL when
DATABASE_URL is set), fills the ledger with bulk inserts, and prints medians.
Run: .venv/bin/python bench/supporters_index.py
"""

import datetime as dt
import os
import pickle
import random
import secrets
import statistics
import tempfile
import time
from decimal import Decimal

os.environ.setdefault("TRIBUNE_VAR_DIR", tempfile.mkdtemp(prefix="tribune-badges."))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tribune.config.settings.bench")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from tribune.core import clock  # noqa: E402
from tribune.funding.models import Donation  # noqa: E402
from tribune.supporters import selectors  # noqa: E402

DONORS, PAYMENTS, RUNS = 10_000, 40_000, 5


def fill() -> None:
    rng = random.Random(14)
    now = clock.now()
    rows = []
    for n in range(PAYMENTS):
        at = now - dt.timedelta(days=rng.randrange(720))
        rows.append(
            Donation(
                provider="manual",
                payment_status="succeeded",
                transaction_id=f"bench-{n}",
                amount=Decimal(10),
                currency="USD",
                original_amount=Decimal(10),
                original_currency="USD",
                received_at=at,
                month=at.date().replace(day=1),
                recurring=rng.random() < 0.3,
                email=f"Donor{rng.randrange(DONORS)}@Example.org",
            )
        )
    Donation.objects.bulk_create(rows, batch_size=2000)


def main() -> None:
    call_command("migrate", verbosity=0)
    fill()
    builds = []
    for _ in range(RUNS):
        started = time.perf_counter()
        index = selectors._build_index()
        builds.append(time.perf_counter() - started)
    selectors.forget_supporters()
    selectors.supporter_index()  # into the cache
    lookup = selectors.LedgerSupporters()
    page = [f"donor{n}@example.org" for n in range(0, 500, 10)]
    lookups = []
    for _ in range(200):
        started = time.perf_counter()
        lookup.shown_badges(page)
        lookups.append(time.perf_counter() - started)
    print(f"supporters: {len(index)} addresses from {PAYMENTS} payments")
    print(f"build (one query): median {statistics.median(builds) * 1000:.1f} ms")
    print(f"cached size: {len(pickle.dumps(index)) / 1024:.0f} KiB (pickled)")
    print(
        "lookup of 50 addresses from the cache: median "
        f"{statistics.median(lookups) * 1000:.2f} ms"
    )


if __name__ == "__main__":
    main()
