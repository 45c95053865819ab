"""Newsletter subscribers, sends (one per report, correction or digest) and their
per-recipient progress, and the site's newsletter settings."""
# mypy: disable-error-code="var-annotated"

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class Frequency(models.TextChoices):
    EACH = "each", _("Each report as it is published")
    DAILY = "daily", _("A daily digest")
    WEEKLY = "weekly", _("A weekly digest")


class Subscriber(models.Model):
    """A confirmed address and what it follows. Unconfirmed sign-ups have no row:
    their choices travel in the signed confirmation link."""

    email = models.EmailField(max_length=254, unique=True)
    everything = models.BooleanField(
        default=True, help_text=_("Every report; otherwise the series and topics.")
    )
    series = models.ManyToManyField("newsroom.SeriesPage", blank=True, related_name="+")
    topics = models.ManyToManyField("taggit.Tag", blank=True, related_name="+")
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.EACH
    )
    confirmed_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        indexes = [models.Index(fields=["frequency"], name="newsletter_freq_idx")]

    def __str__(self) -> str:
        return self.email


class Dispatch(models.Model):
    """One newsletter send: a report, a correction of one, or a digest."""

    class Kind(models.TextChoices):
        REPORT = "report", pgettext_lazy("the article", "Report")
        CORRECTION = "correction", _("Correction")
        DAILY = "daily", _("Daily digest")
        WEEKLY = "weekly", _("Weekly digest")

    class State(models.TextChoices):
        PREPARING = "preparing", _("Preparing")
        SENDING = "sending", _("Sending")
        DONE = "done", _("Done")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PREPARING
    )
    article = models.ForeignKey(
        "newsroom.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    note = models.TextField(blank=True, help_text=_("What a correction corrects."))
    period_start = models.DateTimeField(null=True, blank=True)
    period_end = models.DateTimeField(null=True, blank=True)
    article_ids = models.JSONField(default=list, blank=True)
    recipients = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("newsletter send")
        verbose_name_plural = _("newsletter sends")
        constraints = [
            # A report goes out once, whatever later edits and republishing do.
            models.UniqueConstraint(
                fields=["article"],
                condition=Q(kind="report"),
                name="newsletter_one_send_per_report",
            ),
            # One digest per period, however many workers run the clock.
            models.UniqueConstraint(
                fields=["kind", "period_start"],
                condition=Q(kind__in=["daily", "weekly"]),
                name="newsletter_one_digest_per_period",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["daily", "weekly"]) | Q(article__isnull=False),
                name="newsletter_report_send_has_article",
            ),
        ]
        indexes = [models.Index(fields=["state", "id"], name="newsletter_state_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Delivery(models.Model):
    """One recipient of one send: the send's progress, kept in the database so a
    restarted worker goes on where the last one stopped."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        QUEUED = "queued", _("Handed to the outbox")
        SKIPPED = "skipped", _("Skipped")

    dispatch = models.ForeignKey(
        Dispatch, on_delete=models.CASCADE, related_name="deliveries"
    )
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="deliveries"
    )
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PENDING
    )
    queued_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("newsletter delivery")
        verbose_name_plural = _("newsletter deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["dispatch", "subscriber"], name="newsletter_one_per_recipient"
            )
        ]
        indexes = [
            models.Index(fields=["dispatch", "state", "id"], name="newsletter_todo_idx")
        ]

    def __str__(self) -> str:
        return f"{self.dispatch_id}/{self.subscriber_id}: {self.state}"


@register_setting(icon="mail")
class NewsletterSettings(BaseSiteSetting):
    """Editorial choices of the newsletter."""

    full_text = models.BooleanField(
        _("send the full text"),
        default=False,
        help_text=_(
            "Mail the whole report; otherwise the headline, lead, picture and a link."
        ),
    )

    panels = [FieldPanel("full_text")]

    class Meta:
        verbose_name = _("newsletter")
