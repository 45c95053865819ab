"""Leave-one-file-out over the spam seed corpus, through `tribune spam_eval`.

For each of the four files of the shipped seed corpus, trains on the other three
exactly as the site does and measures the held-out file with the site's default
threshold (`tribune spam_eval`); also prints the best recall any threshold reaches
at <= 1% false positives on that file, an upper bound that peeks at it (for the
table in docs/subsystems/spamfilter.md, not a claim).  Prints a Markdown table and,
under it, the leave-one-file-out estimate issue 14 sets its target on: the folds'
mean, and the pooled rates (every file weighted by its comments).

Run: .venv/bin/python bench/spam_lofo.py
"""

import os
import re
import secrets
import tempfile
import time
from io import StringIO

os.environ.setdefault("TRIBUNE_VAR_DIR", tempfile.mkdtemp(prefix="tribune-spam."))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tribune.config.settings.bench")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))

import django

django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402

from tribune.discussion.spamfilter import corpus, model, services  # noqa: E402

LINE = re.compile(
    r"recall ([\d.]+) at false-positive rate ([\d.]+) \(threshold ([\d.]+)"
)
files = sorted(corpus.SEED_DIR.glob("*.csv"))
print(
    "| left out | recall | false-positive rate | threshold"
    " | best at <= 1% (peeks) | spam_eval seconds |"
)
print("|---|---:|---:|---:|---:|---:|")
recalls, fprs = [], []
caught = spams = false_alarms = goods = 0
for held in files:
    train = [f for f in files if f != held]
    out = StringIO()
    started = time.perf_counter()
    call_command(
        "spam_eval", train=",".join(map(str, train)), test=str(held), stdout=out
    )
    seconds = time.perf_counter() - started
    found = LINE.search(out.getvalue().strip().splitlines()[-1])
    assert found, out.getvalue()
    recall, fpr, threshold = found.groups()
    # The upper bound: the same model, the threshold chosen on the held-out file.
    trained = services.fit_site_model(corpus.read_files(train))
    test = corpus.read_csv(held)
    scores = trained.score_many(test.samples)
    labels = np.asarray(test.labels)
    n_spam = int((labels == 1).sum())
    recalls.append(float(recall))
    fprs.append(float(fpr))
    spams += n_spam
    goods += len(labels) - n_spam
    caught += round(float(recall) * n_spam)
    false_alarms += round(float(fpr) * (len(labels) - n_spam))
    best = model.threshold_for(scores, labels, 0.01)
    upper = float((scores[labels == 1] >= best).mean())
    print(
        f"| {held.name} | {recall} | {fpr} | {threshold} | {upper:.3f}"
        f" | {seconds:.0f} |"
    )
print(
    f"| mean of the {len(files)} folds | {sum(recalls) / len(recalls):.3f}"
    f" | {sum(fprs) / len(fprs):.4f} | | | |"
)
print(
    f"| pooled ({caught} of {spams} spam, {false_alarms} of {goods} good)"
    f" | {caught / spams:.3f} | {false_alarms / goods:.4f} | | | |"
)
