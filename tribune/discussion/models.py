"""Discussion data: threads, comments, votes, reports, moderation log, site settings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tribune.core import clock

# The site setting lives in its own module; imported here so Django registers it.
from tribune.discussion.site_settings import (
    DiscussionSettings as DiscussionSettings,
)
from tribune.discussion.site_settings import (
    ModerationPolicy as ModerationPolicy,
)
from tribune.discussion.site_settings import (
    SiteCommentsMode as SiteCommentsMode,
)
from tribune.discussion.site_settings import SpamAction as SpamAction


class Thread(models.Model):
    """The comment thread of one page (a report, or a plain page with a
    discussion: newsroom.DISCUSSED_PAGE_TYPES), with its counter of visible
    comments."""

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    # Approved comments; kept by the services with F() so pages need no COUNT.
    comment_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=clock.now)

    def __str__(self) -> str:
        return f"Thread of page {self.page_id}"


class Status(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    SPAM = "spam", _("Spam")
    DELETED = "deleted", _("Deleted")


class HeldReason(models.TextChoices):
    NONE = "", _("Not held")
    POLICY = "policy", _("Moderation policy")
    FIRST_GUEST = "first_guest", _("First comment of a guest")
    WORDS = "words", _("Contains a held word")
    REPORTS = "reports", _("Reported by readers")
    # A shadow ban: the author sees the comment as if it were published.
    BANNED = "banned", _("Author is banned (shadow hold)")
    SPAM_FILTER = "spam_filter", _("The spam filter")
    OFFENSIVE = "offensive", _("Offensive language")


class PassageState(models.TextChoices):
    NONE = "", _("Not inline")
    ANCHORED = "anchored", _("Anchored")
    ORPHANED = "orphaned", _("Orphaned")


class Comment(models.Model):
    """One comment or reply; `root` is its top-level ancestor (None for top level).

    Its table also holds `conversation_version`, not a field here: triggers
    give a top-level comment a new one on every write to its conversation
    (migration 0013, decision 0048).
    """

    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Nesting below the top level (0 = top level), uncapped; display caps it.
    depth = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.APPROVED
    )
    held_reason = models.CharField(
        max_length=12, choices=HeldReason.choices, default="", blank=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    author_name = models.CharField(max_length=80)
    # Never shown to readers; moderators and notifications only.
    author_email = models.EmailField(blank=True)
    author_website = models.URLField(max_length=200, blank=True)
    # Random token of the posting guest's browser (signed cookie), for edit rights.
    guest_token = models.CharField(max_length=64, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    body_markdown = models.TextField()
    body_html = models.TextField()
    created_at = models.DateTimeField(default=clock.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    upvotes = models.PositiveIntegerField(default=0)
    downvotes = models.PositiveIntegerField(default=0)
    score = models.IntegerField(default=0)
    # Wilson lower bound of upvotes among all votes (ranking.wilson_lower_bound).
    rank = models.FloatField(default=0.0)
    report_count = models.PositiveIntegerField(default=0)
    # Sent with the form; a resubmitted form finds the comment it already made.
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)
    # Inline feedback (top-level comments only): the passage of the body it is
    # about, as anchoring.Anchor fields.  `passage_block` is "<stream block
    # uuid>.<n>", the n-th paragraph of that block; offsets count code points.
    # An orphaned comment keeps the quote it was made on.
    passage_state = models.CharField(
        max_length=10, choices=PassageState.choices, default="", blank=True
    )
    passage_block = models.CharField(max_length=80, blank=True)
    passage_exact = models.TextField(blank=True)
    passage_prefix = models.CharField(max_length=64, blank=True)
    passage_suffix = models.CharField(max_length=64, blank=True)
    passage_start = models.PositiveIntegerField(null=True, blank=True)
    passage_end = models.PositiveIntegerField(null=True, blank=True)
    # How the last re-anchoring placed it (anchoring.Method), "" until then.
    passage_method = models.CharField(max_length=10, blank=True)
    # The spam filter's score when posted (None: no model yet), the features
    # that weighed most (spamfilter.model.Reason fields), and the facts about the
    # poster it saw, kept so that retraining sees what scoring saw.
    spam_score = models.FloatField(null=True, blank=True)
    spam_reasons = models.JSONField(default=list, blank=True)
    spam_facts = models.JSONField(default=dict, blank=True)
    # The offensive-language score when posted, 0-100 (None: the check was
    # off), and the site's listed word it matched, for the moderation queue.
    offensive_score = models.PositiveSmallIntegerField(null=True, blank=True)
    offensive_match = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="discussion_comment_unique_submission",
            ),
            models.CheckConstraint(
                condition=Q(score=models.F("upvotes") - models.F("downvotes")),
                name="discussion_comment_score_is_balance",
            ),
        ]
        indexes = [
            models.Index(
                fields=["thread", "status", "created_at"],
                name="discussion_comment_listing",
                condition=Q(root__isnull=True),
            ),
            # A thread's top level in time order (the first page, oldest or
            # newest first): without it the planner walks the top level of
            # every thread of the site to find one thread's first 30.
            models.Index(
                fields=["thread", "created_at", "id"],
                name="discussion_comment_top",
                condition=Q(root__isnull=True),
            ),
            models.Index(fields=["root", "created_at"], name="discussion_comment_root"),
            models.Index(fields=["status", "created_at"], name="discussion_queue"),
            models.Index(fields=["author_email"], name="discussion_comment_email"),
            models.Index(
                fields=["thread", "passage_state"],
                name="discussion_comment_passage",
                condition=~Q(passage_state=""),
            ),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} by {self.author_name}"

    @property
    def passage_target(self) -> str:
        """The HTML id of the body block holding the passage (no-JS link target)."""
        return f"block-{self.passage_block.split('.')[0]}" if self.passage_block else ""


class Vote(models.Model):
    """One reader's up (+1) or down (-1) vote on a comment."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    # "u:<user id>" for accounts, "g:<token>" for a guest's signed-cookie token.
    voter = models.CharField(max_length=80)
    value = models.SmallIntegerField()
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "voter"], name="discussion_one_vote_per_voter"
            ),
            models.CheckConstraint(
                condition=Q(value__in=[-1, 1]), name="discussion_vote_is_up_or_down"
            ),
        ]
        indexes = [models.Index(fields=["voter"], name="discussion_vote_voter")]

    def __str__(self) -> str:
        return f"{self.voter} {self.value:+d} on {self.comment_id}"


class Report(models.Model):
    """A reader's flag on a comment; one per reader per comment."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.CharField(max_length=80)
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    # The reporter's IPv4 address or IPv6 /64, so one network counts once.
    network = models.CharField(max_length=50, blank=True)
    # False for reporters that cost nothing to fake (a fresh guest cookie):
    # moderators still see the report, but it does not hide the comment.
    counted = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="discussion_one_report_per_reader"
            )
        ]

    def __str__(self) -> str:
        return f"Report on {self.comment_id}"


class Action(models.TextChoices):
    APPROVE = "approve", _("Approved")
    SPAM = "spam", _("Marked as spam")
    DELETE = "delete", _("Deleted")
    EDIT = "edit", _("Edited")
    HOLD = "hold", _("Held for review")
    BAN = "ban", _("Banned")
    BAN_EDIT = "ban_edit", _("Ban changed")
    UNBAN = "unban", _("Ban lifted")
    # A reader erased their own data; the log says that it happened, not what.
    ERASE = "erase", _("A reader erased their data")


class ModerationAction(models.Model):
    """The log of every moderation step: who did what to which comment or ban,
    and when."""

    comment = models.ForeignKey(
        Comment,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="moderation_actions",
    )
    ban = models.ForeignKey(
        "Ban",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="moderation_actions",
    )
    # None when the system acted (word list, reports).
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    # Blank for bans.
    from_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} on {self.comment_id or self.ban_id}"


class EmailVerification(models.Model):
    """A guest's request to prove an email address from one browser.

    Trust goes to the browser (guest token) that asked, once someone opens the
    link mailed to the address: typing an address proves nothing.
    """

    email = models.EmailField()
    guest_token = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=clock.now)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["guest_token", "email"], name="discussion_verification"
            )
        ]

    def __str__(self) -> str:
        return f"Verification {self.pk}"


class BanMode(models.TextChoices):
    SHADOW = "shadow", _("Shadow hold: keep their comments held, silently")
    REFUSE = "refuse", _("Refuse: tell them they cannot comment or vote")


class Ban(models.Model):
    """A moderator's ban of an account, an email, a guest browser or an IP range.

    A ban matches when any of its set targets matches the poster; `network` is
    an IPv4 CIDR or an IPv6 prefix of /64 or wider, normalised (bans.py).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    email = models.EmailField(blank=True)
    guest_token = models.CharField(max_length=64, blank=True)
    network = models.CharField(max_length=64, blank=True)
    mode = models.CharField(
        max_length=10, choices=BanMode.choices, default=BanMode.SHADOW
    )
    reason = models.CharField(max_length=300)
    # None: until lifted.
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(user__isnull=True, email="", guest_token="", network=""),
                name="discussion_ban_has_target",
            )
        ]

    def __str__(self) -> str:
        return f"Ban {self.pk}"


class SpamModelVersion(models.Model):
    """One trained spam model; the newest row is the one in use."""

    created_at = models.DateTimeField(default=clock.now)
    # Labelled examples it was trained on: seed corpus plus moderator decisions.
    examples = models.PositiveIntegerField()
    decisions = models.PositiveIntegerField()
    # The newest moderator decision it saw, so the worker can count newer ones.
    last_decision_id = models.PositiveBigIntegerField(default=0)
    spam_threshold = models.FloatField()
    hold_threshold = models.FloatField()
    # spamfilter.model.SpamModel, pickled; written only by train_spam_model.
    data = models.BinaryField()

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Spam model {self.pk}"
