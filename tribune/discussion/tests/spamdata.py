"""A small labelled corpus for spam filter tests, cut from the shipped seed files."""

from __future__ import annotations

import csv
from pathlib import Path

from tribune.discussion.spamfilter.corpus import SEED_DIR


def write_small_seed(folder: Path, per_class: int = 40) -> Path:
    """Two seed files cut to `per_class` spam and good rows each, in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("Youtube01-Psy.csv", "Youtube04-Eminem.csv"):
        with (SEED_DIR / name).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        kept = [r for r in rows if r["CLASS"] == "1"][:per_class] + [
            r for r in rows if r["CLASS"] == "0"
        ][:per_class]
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(kept)
    return folder
