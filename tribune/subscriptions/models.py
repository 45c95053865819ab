"""Subscriptions data: who wants mail about which comments, and the digest queue."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tribune.core import clock


class Scope(models.TextChoices):
    THREAD = "thread", _("All new comments on a report")
    MY_REPLIES = "my_replies", _("Replies to my comments")
    COMMENT = "comment", _("Replies to one comment")


class Delivery(models.TextChoices):
    INSTANT = "instant", _("Instantly")
    DIGEST = "digest", _("Daily digest")


class Subscription(models.Model):
    """One address's wish for mail; in effect once `confirmed_at` is set."""

    # Stored trimmed and lower-cased (mailing.addresses.normalize_address).
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    scope = models.CharField(max_length=12, choices=Scope.choices)
    thread = models.ForeignKey(
        "discussion.Thread",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    comment = models.ForeignKey(
        "discussion.Comment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    delivery = models.CharField(
        max_length=8, choices=Delivery.choices, default=Delivery.INSTANT
    )
    created_at = models.DateTimeField(default=clock.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(scope="thread", thread__isnull=False, comment__isnull=True)
                    | Q(scope="comment", comment__isnull=False, thread__isnull=True)
                    | Q(scope="my_replies", thread__isnull=True, comment__isnull=True)
                ),
                name="subscriptions_target_matches_scope",
            ),
            models.UniqueConstraint(
                fields=["email", "thread"],
                condition=Q(scope="thread"),
                name="subscriptions_one_per_thread",
            ),
            models.UniqueConstraint(
                fields=["email", "comment"],
                condition=Q(scope="comment"),
                name="subscriptions_one_per_comment",
            ),
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(scope="my_replies"),
                name="subscriptions_one_my_replies",
            ),
        ]
        indexes = [models.Index(fields=["email"], name="subscriptions_email")]

    def __str__(self) -> str:
        return f"{self.email}: {self.get_scope_display()}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class Digest(models.Model):
    """The one digest an address gets on a day (the unique row is the guard)."""

    email = models.EmailField()
    day = models.DateField()
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["email", "day"], name="subscriptions_one_digest_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"Digest for {self.email} on {self.day}"


class DigestItem(models.Model):
    """A visible comment waiting for an address's next digest."""

    email = models.EmailField()
    comment = models.ForeignKey(
        "discussion.Comment", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)
    # Set when a digest took the item; None while it waits.
    digest = models.ForeignKey(
        Digest, null=True, blank=True, on_delete=models.CASCADE, related_name="items"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["email", "comment"], name="subscriptions_one_item_per_comment"
            )
        ]
        indexes = [
            models.Index(
                fields=["email", "created_at"],
                name="subscriptions_waiting",
                condition=Q(digest__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.email}: comment {self.comment_id}"


class Announcement(models.Model):
    """A comment that became visible and whose subscribers are to be told.

    Written when discussion announces the comment, marked done by the task
    that told them; the periodic job enqueues the task again for rows left
    undone (a lost task), as mailing's sweeper does for mail.
    """

    comment = models.OneToOneField(
        "discussion.Comment", on_delete=models.CASCADE, related_name="+"
    )
    enqueued_at = models.DateTimeField(default=clock.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["enqueued_at"],
                name="subscriptions_undone",
                condition=Q(done_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"Announcement of comment {self.comment_id}"
