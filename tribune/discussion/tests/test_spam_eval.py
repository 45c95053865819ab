import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tribune.discussion.spamfilter.corpus import SEED_DIR

pytestmark = pytest.mark.django_db

LINE = re.compile(
    r"^spam_eval: recall (?P<recall>[\d.]+) at false-positive rate (?P<fpr>[\d.]+)"
    r" \(threshold (?P<threshold>[\d.]+), n=(?P<n>\d+)\)$"
)


def test_one_left_out_file_keeps_false_positives_at_one_percent():
    """Leave-one-file-out on the seed corpus, the Eminem fold.  Issue 14's target
    is recall >= 0.92 at a false-positive rate <= 0.01, which this fold reaches
    (0.927 at 0.000); the four folds are in docs/subsystems/spamfilter.md
    (bench/spam_lofo.py reproduces them)."""
    out = StringIO()
    train = ",".join(
        str(SEED_DIR / name)
        for name in (
            "Youtube01-Psy.csv",
            "Youtube02-KatyPerry.csv",
            "Youtube03-LMFAO.csv",
        )
    )
    call_command(
        "spam_eval",
        train=train,
        test=str(SEED_DIR / "Youtube04-Eminem.csv"),
        stdout=out,
    )
    last = out.getvalue().strip().splitlines()[-1]
    found = LINE.match(last)
    assert found, last
    assert int(found["n"]) == 448
    assert float(found["fpr"]) <= 0.01
    assert float(found["recall"]) >= 0.92


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match=r"missing\.csv"):
        call_command(
            "spam_eval",
            train=str(tmp_path / "missing.csv"),
            test=str(SEED_DIR / "Youtube04-Eminem.csv"),
        )
