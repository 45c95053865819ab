"""Reads for the spam filter: the model in use, the moderators' labelled decisions."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from tribune.core import generations
from tribune.discussion.models import (
    Action,
    Comment,
    ModerationAction,
    SpamModelVersion,
)
from tribune.discussion.spamfilter.features import Sample
from tribune.discussion.spamfilter.model import SpamModel

# Bumped by train_spam_model; each process reloads the model at its next lookup.
GENERATION = "discussion:spam-model:generation"
_LABELS = {Action.APPROVE: 0, Action.SPAM: 1}

_lock = threading.Lock()
# This process's copy: (generation, version id, model), id 0 and no model while
# none is trained.  A module global and not the local cache, which would
# unpickle the whole model on every lookup.
# (generation, model version, model); the generation is None while the shared
# cache is away, and the copy is then checked against the database each time.
_loaded: tuple[int | None, int, SpamModel | None] | None = None


@dataclass(frozen=True)
class LoadedModel:
    version: int
    model: SpamModel


def get_current_model() -> LoadedModel | None:
    """The newest trained model, or None before the first training.

    Costs one cache read while the generation is unchanged; after a retraining
    the first lookup in each process loads the new row.
    """
    global _loaded
    generation = generations.current(GENERATION)
    held = _loaded
    if held is None or generation is None or held[0] != generation:
        with _lock:
            newest = SpamModelVersion.objects.order_by("-id").values("id").first()
            if newest is None:
                held = (generation, 0, None)
            elif held is not None and held[1] == newest["id"]:
                held = (generation, held[1], held[2])
            else:
                data = SpamModelVersion.objects.values_list("data", flat=True).get(
                    pk=newest["id"]
                )
                held = (generation, newest["id"], SpamModel.loads(bytes(data)))
            _loaded = held
    if held[2] is None:
        return None
    return LoadedModel(version=held[1], model=held[2])


def get_newest_version() -> SpamModelVersion | None:
    return SpamModelVersion.objects.defer("data").order_by("-id").first()


def sample_of(comment: Comment) -> Sample:
    """The comment as the model sees it, with the poster facts stored when posted."""
    facts = comment.spam_facts or {}
    return Sample(
        text=comment.body_markdown,
        name=comment.author_name,
        website=comment.author_website,
        has_account=facts.get("has_account"),
        email_verified=facts.get("email_verified"),
        guest_age_days=facts.get("guest_age_days"),
        approved_before=facts.get("approved_before"),
        spam_before=facts.get("spam_before"),
    )


@dataclass(frozen=True)
class Decision:
    comment: Comment
    label: int


def list_decisions() -> tuple[list[Decision], int]:
    """Each comment's latest approve-or-spam decision by a moderator, with the
    newest decision's id (0 when there is none).

    Approving (or restoring) says "not spam"; marking as spam says "spam".  A
    later decision on the same comment replaces an earlier one.  Decisions by
    the system (no moderator) teach nothing.
    """
    rows = (
        ModerationAction.objects.filter(
            moderator__isnull=False, action__in=list(_LABELS)
        )
        .order_by("comment_id", "-id")
        .values_list("id", "comment_id", "action")
    )
    latest: dict[int, tuple[int, str]] = {}
    newest = 0
    for action_id, comment_id, action in rows:
        newest = max(newest, action_id)
        latest.setdefault(comment_id, (action_id, action))
    comments = Comment.objects.in_bulk(list(latest))
    decisions = [
        Decision(comment=comments[cid], label=_LABELS[Action(action)])
        for cid, (_id, action) in sorted(latest.items())
        if cid in comments
    ]
    return decisions, newest


def count_decisions_after(action_id: int) -> int:
    """Moderator approve/spam decisions logged after `action_id`."""
    return ModerationAction.objects.filter(
        moderator__isnull=False, action__in=list(_LABELS), pk__gt=action_id
    ).count()
