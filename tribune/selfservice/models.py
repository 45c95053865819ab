"""Self-service data: one-time links, erasures on hold, privacy settings."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from tribune.core import clock

# Long enough to look into abuse of a new comment, short enough that the
# address is gone before most comments are old (docs/privacy.md).
DEFAULT_IP_RETENTION_DAYS = 30


class AccessLink(models.Model):
    """A link mailed to an address; it opens "Your page" once, within the hour.

    Only a digest of the link's secret is stored, so a copy of the database
    opens nothing.
    """

    # SHA-256 of the secret in the link, hex.
    digest = models.CharField(max_length=64, unique=True)
    email = models.EmailField()
    created_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["email"], name="selfservice_link_email")]

    def __str__(self) -> str:
        return f"Link {self.pk}"


class CommentsChoice(models.TextChoices):
    REMOVE = "remove", _("Remove my comments")
    ANONYMISE = "anonymise", _("Keep my comments without my name")


class Erasure(models.Model):
    """A person's erasure, with what undoing it needs, until it is purged.

    `held` keeps the values the erasure took out of the other apps' tables;
    the worker deletes the row (and with it the last copy of the person's
    data) once `undo_until` has passed.
    """

    email = models.EmailField()
    user_id = models.PositiveBigIntegerField(null=True, blank=True)
    comments = models.CharField(max_length=10, choices=CommentsChoice.choices)
    created_at = models.DateTimeField(default=clock.now)
    undo_until = models.DateTimeField()
    held = models.JSONField(default=dict)

    class Meta:
        indexes = [
            models.Index(fields=["email"], name="selfservice_erasure_email"),
            models.Index(fields=["undo_until"], name="selfservice_erasure_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(undo_until__gt=models.F("created_at")),
                name="selfservice_erasure_undo_later",
            )
        ]

    def __str__(self) -> str:
        return f"Erasure {self.pk}"


@register_setting(icon="lock")
class PrivacySettings(BaseSiteSetting):
    """How long the site keeps what readers did not choose to publish."""

    ip_retention_days = models.PositiveSmallIntegerField(
        _("days commenters' IP addresses are kept"),
        default=DEFAULT_IP_RETENTION_DAYS,
        help_text=_(
            "Used against spam and abuse while a comment is new; the worker "
            "removes older addresses. 0 removes them within the hour."
        ),
    )

    panels = [FieldPanel("ip_retention_days")]

    class Meta:
        verbose_name = _("privacy settings")
