"""Labelled comments from CSV files (CONTENT, AUTHOR, CLASS columns); no ORM."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from tribune.discussion.spamfilter.features import Sample

# The seed corpus shipped with Tribune (see its README for the attribution).
SEED_DIR = Path(__file__).resolve().parent.parent / "data" / "youtube-spam"


class CorpusError(ValueError):
    """A corpus file that cannot be read as labelled comments."""


@dataclass
class Corpus:
    """Examples with their labels (1 = spam) and where each came from."""

    samples: list[Sample] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)

    def add(self, sample: Sample, label: int, group: str) -> None:
        self.samples.append(sample)
        self.labels.append(label)
        self.groups.append(group)

    def extend(self, other: Corpus) -> None:
        self.samples += other.samples
        self.labels += other.labels
        self.groups += other.groups


def read_csv(path: Path) -> Corpus:
    """The rows of one file; raises CorpusError for a missing column or bad label."""
    corpus = Corpus()
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = {"CONTENT", "CLASS"} - set(reader.fieldnames or [])
            if missing:
                raise CorpusError(f"{path}: no column {', '.join(sorted(missing))}")
            for line, row in enumerate(reader, start=2):
                label = (row.get("CLASS") or "").strip()
                if label not in {"0", "1"}:
                    raise CorpusError(f"{path}, line {line}: CLASS must be 0 or 1")
                sample = Sample(text=row["CONTENT"] or "", name=row.get("AUTHOR") or "")
                corpus.add(sample, int(label), path.name)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise CorpusError(f"{path}: {error}") from None
    return corpus


def read_files(paths: list[Path]) -> Corpus:
    corpus = Corpus()
    for path in paths:
        corpus.extend(read_csv(path))
    return corpus


def read_seed(directory: Path = SEED_DIR) -> Corpus:
    """Every CSV file of the seed folder, in name order."""
    return read_files(sorted(directory.glob("*.csv")))
