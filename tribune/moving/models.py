"""What came from another system, keyed by its ids: a rerun updates, not duplicates."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


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
