"""What the spam filter adds to a POST of a new comment, in-process (wall time).

Migrates a throw-away database (benchmark settings, SQLite unless DATABASE_URL is
set), trains the day-one model on the shipped seed corpus, then screens 400 comments
from the corpus through `screen_comment`, the one call the comment service makes
(model lookup, the poster-history query, scoring, and reasons for held ones).
Prints the median and 90th percentile per call, and the scoring alone.

Run: .venv/bin/python bench/spam_screen.py
"""

import os
import secrets
import statistics
import tempfile
import time

os.environ.setdefault("TRIBUNE_VAR_DIR", tempfile.mkdtemp(prefix="tribune-spam."))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tribune.config.settings.bench")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from tribune.discussion.spamfilter import corpus, screening, selectors  # noqa: E402
from tribune.discussion.spamfilter import services as spamfilter  # noqa: E402

call_command("migrate", verbosity=0)
spamfilter.train_spam_model(force=True)
model = selectors.get_current_model().model
samples = corpus.read_seed().samples[:400]


def per_call(run) -> list[float]:
    spent = []
    for sample in samples:
        started = time.perf_counter()
        run(sample)
        spent.append((time.perf_counter() - started) * 1000)
    return spent


def screen(sample) -> None:
    screening.screen_comment(
        text=sample.text,
        name=sample.name,
        website="",
        has_account=False,
        email="reader@example.org",
        guest_token=secrets.token_hex(16),
    )


per_call(screen)  # warm-up: first lookups, imports
for label, run in [
    ("screen_comment", screen),
    ("  model lookup", lambda s: selectors.get_current_model()),
    (
        "  poster history",
        lambda s: screening.poster_facts(
            has_account=False, email="reader@example.org", guest_token="ab" * 16
        ),
    ),
    ("  score and reasons", lambda s: screening.score_sample(model, s)),
    ("  score alone", lambda s: model.score(s)),
]:
    spent = per_call(run)
    print(
        f"{label}: median {statistics.median(spent):.2f} ms, "
        f"p90 {statistics.quantiles(spent, n=10)[-1]:.2f} ms (n={len(spent)})"
    )
