"""`tribune spam_train`: train the spam filter on the seed and moderator decisions."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tribune.discussion.spamfilter import corpus, model, services


class Command(BaseCommand):
    help = (
        "Train the spam filter when it has no model or enough new moderator "
        "decisions came in (--force: always)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Train even when nothing changed."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            version = services.train_spam_model(force=options["force"])
        except (model.NotEnoughDataError, corpus.CorpusError) as error:
            raise CommandError(str(error)) from None
        if version is None:
            self.stdout.write("spam_train: too few new decisions; model unchanged")
            return
        self.stdout.write(
            f"spam_train: model {version.pk} trained on {version.examples} examples "
            f"({version.decisions} moderator decisions); thresholds "
            f"hold {version.hold_threshold:.3f}, spam {version.spam_threshold:.3f}"
        )
