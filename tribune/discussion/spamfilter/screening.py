"""Scoring one new comment: its score, band and reasons, for the posting path."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Min, Q

from tribune.core import clock
from tribune.discussion.models import Comment, SpamAction, Status
from tribune.discussion.spamfilter import selectors
from tribune.discussion.spamfilter.features import Sample
from tribune.discussion.spamfilter.model import SpamModel

logger = logging.getLogger(__name__)

UNLIKELY, POSSIBLE, LIKELY = "unlikely", "possible", "likely"
# Reasons kept with a comment for the moderation queue.
REASONS_KEPT = 5


@dataclass(frozen=True)
class Screening:
    """The filter's verdict on one comment; score None when no model is trained."""

    score: float | None = None
    band: str = UNLIKELY
    reasons: list[dict[str, object]] = field(default_factory=list)
    facts: dict[str, object] = field(default_factory=dict)

    def action(self, *, likely: str, possible: str) -> str:
        """The site's SpamAction for this band (the two site settings)."""
        if self.band == LIKELY:
            return likely
        if self.band == POSSIBLE:
            return possible
        return SpamAction.PUBLISH


def score_sample(model: SpamModel, sample: Sample) -> Screening:
    """Score and band one sample with `model`: the code every comment goes through."""
    score = model.score(sample)
    if score >= model.spam_threshold:
        band = LIKELY
    elif score >= model.hold_threshold:
        band = POSSIBLE
    else:
        band = UNLIKELY
    reasons = []
    if band != UNLIKELY:
        # Only held comments are read with reasons; explaining costs a transform.
        reasons = [
            {"kind": r.kind, "value": r.value, "weight": round(r.weight, 3)}
            for r in model.explain(sample, REASONS_KEPT)
        ]
    return Screening(score=score, band=band, reasons=reasons)


def poster_facts(
    *, has_account: bool, email: str, guest_token: str, now: datetime | None = None
) -> dict[str, object]:
    """What the site knows of the poster, in one query: their approved and spam
    comments (by email or guest cookie) and how long this browser's cookie has
    been seen posting.  Email verification is unknown (None) until accounts
    record it."""
    same = Q(author_email=email) if email else Q(pk__in=[])
    if guest_token:
        same |= Q(guest_token=guest_token)
    history = Comment.objects.filter(same).aggregate(
        approved=Count("pk", filter=Q(status=Status.APPROVED)),
        spam=Count("pk", filter=Q(status=Status.SPAM)),
        first_seen=Min("created_at", filter=Q(guest_token=guest_token))
        if guest_token
        else Min("created_at", filter=Q(pk__in=[])),
    )
    age: float | None = None
    if not has_account:
        first = history["first_seen"]
        age = ((now or clock.now()) - first).total_seconds() / 86400 if first else 0.0
    return {
        "has_account": has_account,
        "email_verified": None,
        "guest_age_days": age,
        "approved_before": history["approved"],
        "spam_before": history["spam"],
    }


def screen_comment(
    *,
    text: str,
    name: str,
    website: str,
    has_account: bool,
    email: str,
    guest_token: str,
) -> Screening:
    """The spam filter's verdict on a comment about to be posted.

    Reads the model in use (one cache read while unchanged) and the poster's
    history (one query).  A failing model is logged and the comment goes on
    unscored: the filter must never turn a post into an error.
    """
    try:
        loaded = selectors.get_current_model()
    except Exception:
        logger.exception("the spam model could not be loaded")
        return Screening()
    if loaded is None:
        return Screening()
    facts = poster_facts(has_account=has_account, email=email, guest_token=guest_token)
    sample = Sample(text=text, name=name, website=website, **facts)  # type: ignore[arg-type]
    try:
        screening = score_sample(loaded.model, sample)
    except Exception:
        logger.exception("spam model %s failed", loaded.version)
        return Screening(facts=facts)
    return Screening(
        score=screening.score,
        band=screening.band,
        reasons=screening.reasons,
        facts=facts,
    )
