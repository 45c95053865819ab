"""Writes of votes: a reader's up, down or withdrawn vote and the counters."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from tribune.discussion import caching, policies, ranking, signals, spam
from tribune.discussion.errors import InvalidCommentError, NotAllowedError
from tribune.discussion.identity import Viewer
from tribune.discussion.models import Comment, DiscussionSettings, Vote
from tribune.discussion.services.posting import check_not_banned


def vote(
    *,
    comment: Comment,
    viewer: Viewer,
    value: int,
    state: str,
    rules: DiscussionSettings | None = None,
    ip: str | None = None,
) -> Comment:
    """Set the viewer's vote on a comment to +1, -1, or 0 (withdraw).

    The unique constraint on (comment, voter) decides races: a concurrent
    duplicate insert fails and is retried as an update of the row that won.
    Counters change with F() in the same transaction.  Returns the comment with
    fresh counters.  Raises NotAllowedError for own comments, closed threads,
    hidden comments, or a value outside -1..1, BannedError for a voter a
    ban refuses (a shadow-banned voter's vote changes nothing), and
    RateLimitedError when the client's network has voted more than `rules`
    allow this hour (counted even when refused; no limit without `rules`).
    """
    if value not in (-1, 0, 1):
        raise InvalidCommentError(_("A vote is up, down or none."), code="bad_vote")
    key = viewer.key
    if key is None or not policies.can_vote(comment, viewer, state):
        raise NotAllowedError(
            _("You cannot vote on this comment."), code="vote_not_allowed"
        )
    if check_not_banned(user_id=viewer.user_id, guest_token=viewer.guest_token, ip=ip):
        # A shadow-banned voter's vote is not counted; the answer looks the same.
        return comment
    if rules is not None:
        spam.check_vote_rate(ip=ip, rules=rules)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return _apply_vote(comment, key, value)
        except IntegrityError:
            continue
    raise IntegrityError("vote kept conflicting")  # pragma: no cover


def _apply_vote(comment: Comment, key: str, value: int) -> Comment:
    existing = (
        Vote.objects.select_for_update().filter(comment=comment, voter=key).first()
    )
    old = existing.value if existing else 0
    if existing is None and value:
        Vote.objects.create(comment=comment, voter=key, value=value)
    elif existing is not None and value == 0:
        existing.delete()
    elif existing is not None and value != old:
        existing.value = value
        existing.save(update_fields=["value"])
    up = (value == 1) - (old == 1)
    down = (value == -1) - (old == -1)
    if up or down:
        Comment.objects.filter(pk=comment.pk).update(
            upvotes=F("upvotes") + up,
            downvotes=F("downvotes") + down,
            score=F("score") + up - down,
        )
        # The UPDATE holds the row lock, so this read sees the final counts.
        fresh = Comment.objects.values("upvotes", "downvotes").get(pk=comment.pk)
        rank = ranking.wilson_lower_bound(fresh["upvotes"], fresh["downvotes"])
        Comment.objects.filter(pk=comment.pk).update(rank=rank)
        caching.invalidate_thread_pages(comment.thread.page_id)
    comment.refresh_from_db(fields=["upvotes", "downvotes", "score", "rank"])
    if up or down:
        signals.send_on_commit(signals.comment_scored, comment=comment)
    return comment
