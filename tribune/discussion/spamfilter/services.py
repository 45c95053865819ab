"""Writes for the spam filter: training and storing a new model version."""

from __future__ import annotations

import logging
from pathlib import Path

from django.db import transaction

from tribune.core import generations
from tribune.discussion import conf
from tribune.discussion.models import SpamModelVersion
from tribune.discussion.spamfilter import corpus, model, selectors

logger = logging.getLogger(__name__)


def seed_corpus() -> corpus.Corpus:
    """The seed examples of DISCUSSION_SPAM_SEED_DIR (the shipped corpus by default)."""
    setting = conf.get("SPAM_SEED_DIR")
    if setting == "":
        return corpus.Corpus()
    return corpus.read_seed(Path(setting) if setting else corpus.SEED_DIR)


def fit_site_model(examples: corpus.Corpus) -> model.SpamModel:
    """Train a model the way the site does, with the site's false-positive targets.

    `tribune spam_eval` calls this too, so what it measures is what the site runs.
    Raises model.NotEnoughDataError with too few examples of a class.
    """
    return model.train(
        examples.samples,
        examples.labels,
        groups=examples.groups,
        max_fpr=conf.get("SPAM_MAX_FPR"),
        hold_fpr=conf.get("SPAM_HOLD_FPR"),
    )


def train_spam_model(*, force: bool = False) -> SpamModelVersion | None:
    """Train on the seed corpus plus every moderator decision and store the model.

    Without `force`, trains only when there is no model yet or at least
    DISCUSSION_SPAM_RETRAIN_AFTER decisions came in since the last one; returns
    None when it did not train.  Side effects: a new SpamModelVersion row, and
    the model generation advances on commit so every process loads it.  Raises
    model.NotEnoughDataError when seed and decisions are too few.
    """
    newest = selectors.get_newest_version()
    if not force and newest is not None:
        fresh = selectors.count_decisions_after(newest.last_decision_id)
        if fresh < conf.get("SPAM_RETRAIN_AFTER"):
            return None
    examples = seed_corpus()
    decisions, last_id = selectors.list_decisions()
    for decision in decisions:
        examples.add(
            selectors.sample_of(decision.comment),
            decision.label,
            f"thread:{decision.comment.thread_id}",
        )
    trained = fit_site_model(examples)
    with transaction.atomic():
        version = SpamModelVersion.objects.create(
            examples=trained.trained_on,
            decisions=len(decisions),
            last_decision_id=last_id,
            spam_threshold=trained.spam_threshold,
            hold_threshold=trained.hold_threshold,
            data=trained.dumps(),
        )
        generations.bump(selectors.GENERATION)
    logger.info(
        "spam model %s trained on %d examples (%d decisions)",
        version.pk,
        version.examples,
        version.decisions,
    )
    return version
