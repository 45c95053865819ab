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


FILES = (
    "Youtube01-Psy.csv",
    "Youtube02-KatyPerry.csv",
    "Youtube03-LMFAO.csv",
    "Youtube04-Eminem.csv",
)


# Each fold's recall as measured in decision 0033 (bench/spam_lofo.py), the
# floor it must not fall below.  Three are over issue 14's target of 0.92;
# LMFAO is not (0.873: its spam includes like-requests that the other files
# label good, decisions 0030 and 0033), and its floor keeps it from sliding.
@pytest.mark.parametrize(
    ("held_out", "rows", "floor"),
    [
        ("Youtube01-Psy.csv", 350, 0.943),
        ("Youtube02-KatyPerry.csv", 350, 0.931),
        ("Youtube03-LMFAO.csv", 438, 0.873),
        ("Youtube04-Eminem.csv", 448, 0.951),
    ],
)
def test_a_left_out_file_meets_the_recall_target(held_out, rows, floor):
    """Leave-one-file-out on the seed corpus: issue 14's target is recall
    >= 0.92 at a false-positive rate <= 0.01 on the file the model never saw,
    with the threshold chosen from the training files; the four folds are in
    docs/subsystems/spamfilter.md (bench/spam_lofo.py reproduces them)."""
    out = StringIO()
    train = ",".join(str(SEED_DIR / name) for name in FILES if name != held_out)
    call_command("spam_eval", train=train, test=str(SEED_DIR / held_out), stdout=out)
    last = out.getvalue().strip().splitlines()[-1]
    found = LINE.match(last)
    assert found, last
    assert int(found["n"]) == rows
    assert float(found["fpr"]) <= 0.01
    assert float(found["recall"]) >= floor
    if held_out != "Youtube03-LMFAO.csv":
        assert float(found["recall"]) >= 0.92


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match=r"missing\.csv"):
        call_command(
            "spam_eval",
            train=str(tmp_path / "missing.csv"),
            test=str(SEED_DIR / "Youtube04-Eminem.csv"),
        )
