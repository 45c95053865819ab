"""`tribune spam_eval`: train a fresh model on labelled files, measure it on another."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tribune.discussion.spamfilter import corpus, model, screening, services


class Command(BaseCommand):
    help = (
        "Train a model as the site would on --train CSV files (CONTENT, AUTHOR, "
        "CLASS; 1 = spam) and report recall and false-positive rate on --test."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--train", required=True, help="Comma-separated CSV files to train on."
        )
        parser.add_argument("--test", required=True, help="The CSV file to measure.")

    def handle(self, *args: Any, **options: Any) -> None:
        train_paths = [Path(p) for p in options["train"].split(",") if p.strip()]
        if not train_paths:
            raise CommandError("--train needs at least one file")
        try:
            examples = corpus.read_files(train_paths)
            test = corpus.read_csv(Path(options["test"]))
            trained = services.fit_site_model(examples)
        except (corpus.CorpusError, model.NotEnoughDataError) as error:
            raise CommandError(str(error)) from None
        caught = false_alarms = spam = good = 0
        for sample, label in zip(test.samples, test.labels, strict=True):
            flagged = screening.score_sample(trained, sample).band == screening.LIKELY
            if label:
                spam += 1
                caught += flagged
            else:
                good += 1
                false_alarms += flagged
        recall = caught / spam if spam else 0.0
        fpr = false_alarms / good if good else 0.0
        self.stdout.write(
            f"spam_eval: recall {recall:.3f} at false-positive rate {fpr:.3f} "
            f"(threshold {trained.spam_threshold:.3f}, n={len(test.labels)})"
        )
