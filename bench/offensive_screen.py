"""What the offensive-language check adds to a POST of a new comment, in-process.

Loads the model alt-profanity-check ships (timed: what `warm_up` pays at start-up),
then screens 400 comments of the seed corpus through `screen_comment`, the one call
the comment service makes, with the site's defaults (threshold 80, no word list),
and with a 60-entry word list. Prints the median and 90th percentile per call, the
parts, and the package's own `predict_prob` for comparison. No database.

Run: .venv/bin/python bench/offensive_screen.py
"""

import os
import secrets
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tribune.config.settings.bench")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))

import django

django.setup()

from tribune.discussion.models import DiscussionSettings  # noqa: E402
from tribune.discussion.offensive import model, screening  # noqa: E402
from tribune.discussion.offensive.wordlist import WordList  # noqa: E402
from tribune.discussion.spamfilter import corpus  # noqa: E402

started = time.perf_counter()
model.warm_up()
print(f"model load and warm-up: {(time.perf_counter() - started) * 1000:.0f} ms")

texts = [s.text for s in corpus.read_seed().samples[:400]]
print(f"comments: {len(texts)}, median length {statistics.median(map(len, texts))}")
defaults = DiscussionSettings()
# Sixty entries in several languages, a few phrases and prefixes among them.
words = [f"wort{n}" for n in range(50)] + [
    "hijo de puta",
    "dummkopf*",
    "scheiße",
    "дурак",
    "connard",
    "stronzo",
    "kurwa",
    "idioot",
    "pendejo*",
    "cabrón",
]
listed = DiscussionSettings(offensive_words="\n".join(words))
wordlist = WordList.parse(words)


def per_call(run) -> list[float]:
    spent = []
    for text in texts:
        began = time.perf_counter()
        run(text)
        spent.append((time.perf_counter() - began) * 1000)
    return spent


def package_predict_prob(text: str) -> None:
    from profanity_check import predict_prob

    predict_prob([text])


per_call(lambda t: screening.screen_comment(text=t, name="Ada", rules=listed))
for label, run in [
    (
        "screen_comment, defaults",
        lambda t: screening.screen_comment(text=t, name="Ada", rules=defaults),
    ),
    (
        "screen_comment, 60-entry list",
        lambda t: screening.screen_comment(text=t, name="Ada", rules=listed),
    ),
    ("  model_score (all sentences)", screening.model_score),
    ("  word list alone", wordlist.find),
    ("package predict_prob (whole text)", package_predict_prob),
]:
    spent = per_call(run)
    print(
        f"{label}: median {statistics.median(spent):.3f} ms, "
        f"p90 {statistics.quantiles(spent, n=10)[-1]:.3f} ms (n={len(spent)})"
    )
