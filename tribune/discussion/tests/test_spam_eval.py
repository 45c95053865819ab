import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tribune.discussion.spamfilter.corpus import SEED_DIR, read_csv

pytestmark = pytest.mark.django_db

LINE = re.compile(
    r"^spam_eval: recall (?P<recall>[\d.]+) at false-positive rate (?P<fpr>[\d.]+)"
    r" \(threshold (?P<threshold>[\d.]+), n=(?P<n>\d+)\)$"
)

# Each fold's recall as measured in decision 0033 (bench/spam_lofo.py), the
# floor it must not fall below.  Three are over issue 14's target of 0.92 on
# their own; LMFAO is not (0.873: its spam includes like-requests that the
# other files label good, decisions 0030 and 0033), and its floor keeps it
# from sliding.
FOLDS = {
    "Youtube01-Psy.csv": (350, 0.943),
    "Youtube02-KatyPerry.csv": (350, 0.931),
    "Youtube03-LMFAO.csv": (438, 0.873),
    "Youtube04-Eminem.csv": (448, 0.951),
}


def _fold(held_out: str) -> dict[str, float]:
    out = StringIO()
    train = ",".join(str(SEED_DIR / name) for name in FOLDS if name != held_out)
    call_command("spam_eval", train=train, test=str(SEED_DIR / held_out), stdout=out)
    last = out.getvalue().strip().splitlines()[-1]
    found = LINE.match(last)
    assert found, last
    return {name: float(value) for name, value in found.groupdict().items()}


def test_leave_one_file_out_meets_the_recall_target():
    """Issue 14's target: recall >= 0.92 at a false-positive rate <= 0.01 on a
    file the model never saw, estimated by leave-one-file-out over the four
    seed files with the threshold chosen from the training files.  The
    estimate is the folds' mean (and, weighting each file by its comments,
    the pooled rate); every fold keeps its floor and the rate limit."""
    recalls, fprs, caught, spams, false_alarms, goods = [], [], 0, 0, 0, 0
    for held_out, (rows, floor) in FOLDS.items():
        found = _fold(held_out)
        labels = read_csv(SEED_DIR / held_out).labels
        assert int(found["n"]) == rows == len(labels)
        assert found["fpr"] <= 0.01, held_out
        assert found["recall"] >= floor, held_out
        recalls.append(found["recall"])
        fprs.append(found["fpr"])
        n_spam = sum(1 for label in labels if label == 1)
        spams += n_spam
        goods += len(labels) - n_spam
        caught += round(found["recall"] * n_spam)
        false_alarms += round(found["fpr"] * (len(labels) - n_spam))
    assert sum(recalls) / len(recalls) >= 0.92
    assert sum(fprs) / len(fprs) <= 0.01
    assert caught / spams >= 0.92
    assert false_alarms / goods <= 0.01


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match=r"missing\.csv"):
        call_command(
            "spam_eval",
            train=str(tmp_path / "missing.csv"),
            test=str(SEED_DIR / "Youtube04-Eminem.csv"),
        )
