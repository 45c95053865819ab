"""What came from another system, keyed by its ids: a rerun updates, not duplicates."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from tribune.core import clock


class Source(models.TextChoices):
    WORDPRESS = "wordpress", "WordPress"
    DISQUS = "disqus", "Disqus"


class LegacyRecord(models.Model):
    """One imported object: where it came from and what it became here."""

    source = models.CharField(max_length=16, choices=Source.choices)
    # The exported site's base address (WordPress `base_site_url`, Disqus forum id):
    # two sites' post 12 are different posts.
    site_key = models.CharField(max_length=200)
    # post, page, attachment, author, term, comment, thread ... as the source says.
    kind = models.CharField(max_length=32)
    legacy_id = models.CharField(max_length=64)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    # A hash of what was imported, so a newer export updates only what changed.
    fingerprint = models.CharField(max_length=64, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("imported record")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "site_key", "kind", "legacy_id"],
                name="moving_one_record_per_legacy_id",
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.source}:{self.kind}:{self.legacy_id}"


class RunState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportRun(models.Model):
    """One import started from the admin: its files, its progress, its report."""

    created_at = models.DateTimeField(default=clock.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(
        max_length=16, choices=Source.choices, default=Source.WORDPRESS
    )
    file_name = models.CharField(max_length=255)
    # Where the uploaded files wait for the task (outside the public media
    # folder); removed once it ran.
    path = models.CharField(max_length=500)
    uploads_path = models.CharField(max_length=500, blank=True)
    subscriptions_path = models.CharField(max_length=500, blank=True)
    dry_run = models.BooleanField(default=False)
    state = models.CharField(
        max_length=10, choices=RunState.choices, default=RunState.QUEUED
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    report = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.state})"

    @property
    def percent(self) -> int:
        if self.state == RunState.DONE:
            return 100
        return self.done * 100 // self.total if self.total else 0
