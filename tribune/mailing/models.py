"""The outbox, the suppression list and the per-address send allowance."""
# mypy: disable-error-code="var-annotated"

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutboundEmail(models.Model):
    """One message to one recipient, from queueing to delivery.

    The row is the record of what was sent: a message is delivered only by the
    worker that moved it from queued to sending, and `message_id` stays the same
    across attempts. See docs/subsystems/mailing.md for the states.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SUPPRESSED = "suppressed", _("Suppressed")
        UNKNOWN = "unknown", _("Unknown: handed over, answer lost on the last attempt")

    recipient = models.EmailField(max_length=254)
    subject = models.CharField(max_length=255)
    text_body = models.TextField()
    html_body = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    dedupe_key = models.CharField(
        max_length=200,
        help_text=_("Names the logical message; queueing it twice is a no-op."),
    )
    message_id = models.CharField(max_length=255, unique=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    enqueued_at = models.DateTimeField(
        help_text=_("When the last delivery task became runnable.")
    )
    lease_until = models.DateTimeField(null=True, blank=True)
    handed_over_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When the worker sent the end of the message to the server."),
    )
    possible_duplicates = models.PositiveIntegerField(
        default=0,
        help_text=_(
            "Times the message was sent again after a server may already have "
            "accepted it (the worker stopped after the end of the message)."
        ),
    )
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbound email")
        verbose_name_plural = _("sent-mail log")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="mailing_one_mail_per_key"
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="mailing_sent_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="mailing_due_idx"),
            models.Index(fields=["recipient"], name="mailing_recipient_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"


class Suppression(models.Model):
    """An address that gets no mail: it bounced, complained or asked."""

    class Reason(models.TextChoices):
        BOUNCE = "bounce", _("Hard bounce")
        COMPLAINT = "complaint", _("Spam complaint")
        MANUAL = "manual", _("Manual entry")

    email = models.EmailField(max_length=254, unique=True)
    reason = models.CharField(
        max_length=10, choices=Reason.choices, default=Reason.MANUAL
    )
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self) -> str:
        return self.email


class SendAllowance(models.Model):
    """When an address last got mail of one purpose; the rate guard's lock row."""

    email = models.EmailField(max_length=254)
    purpose = models.CharField(max_length=50)
    granted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["email", "purpose"], name="mailing_one_allowance_per_purpose"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} {self.purpose} {self.granted_at:%Y-%m-%d %H:%M}"
