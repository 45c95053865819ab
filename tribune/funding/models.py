"""Campaigns, the append-only donation ledger, processed events and the wall."""
# mypy: disable-error-code="var-annotated"

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField

from tribune.funding.money import COLUMN_CEILING


class Provider(models.TextChoices):
    STRIPE = "stripe", "Stripe"
    PAYPAL = "paypal", "PayPal"
    PATREON = "patreon", "Patreon"
    MANUAL = "manual", _("Manual entry")
    IMPORT = "import", _("CSV import")


class Campaign(ClusterableModel):
    """A fundraising goal over a monthly (self-renewing) or fixed window."""

    class Window(models.TextChoices):
        MONTHLY = "monthly", _("Monthly, renews every month")
        FIXED = "fixed", _("Fixed start and end dates")

    title = models.CharField(max_length=120)
    window = models.CharField(
        max_length=10, choices=Window.choices, default=Window.MONTHLY
    )
    currency = models.CharField(max_length=3, default="USD")
    goal = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        help_text=_("The goal; a monthly campaign uses it for months without one."),
    )
    starts_on = models.DateField()
    ends_on = models.DateField(
        null=True, blank=True, help_text=_("Required for a fixed window.")
    )
    is_active = models.BooleanField(
        default=True, help_text=_("The active campaign is shown in the bar.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("window"),
        FieldPanel("currency"),
        FieldPanel("goal"),
        FieldPanel("starts_on"),
        FieldPanel("ends_on"),
        FieldPanel("is_active"),
        InlinePanel("months", heading=_("Goals by month"), label=_("Month")),
    ]

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(goal__gt=0), name="funding_campaign_goal_positive"
            ),
            models.CheckConstraint(
                condition=Q(window="monthly") | Q(ends_on__isnull=False),
                name="funding_campaign_fixed_has_end",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="funding_campaign_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CampaignMonth(models.Model):
    """The goal of one month of a monthly campaign; past months are kept."""

    campaign = ParentalKey(Campaign, on_delete=models.CASCADE, related_name="months")
    month = models.DateField(help_text=_("The first day of the month."))
    goal = models.DecimalField(max_digits=14, decimal_places=2)

    panels = [FieldPanel("month"), FieldPanel("goal")]

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "month"], name="funding_one_goal_per_month"
            ),
            models.CheckConstraint(
                condition=Q(goal__gt=0), name="funding_month_goal_positive"
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="funding_month_is_first_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} {self.month:%Y-%m}"


class Donation(models.Model):
    """One provider transaction in the ledger; money columns are never edited.

    `payment_status` only moves forward (pending to succeeded or failed);
    refunds and disputes are separate `Adjustment` entries.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    class Method(models.TextChoices):
        CARD = "card", _("Card")
        PAYPAL = "paypal", "PayPal"
        PATREON = "patreon", "Patreon"
        BANK_TRANSFER = "bank_transfer", _("Bank transfer")
        CHEQUE = "cheque", _("Cheque")
        CRYPTO = "crypto", _("Crypto")
        CASH = "cash", _("Cash")
        OTHER = "other", _("Other")

    provider = models.CharField(max_length=10, choices=Provider.choices)
    transaction_id = models.CharField(max_length=200)
    payment_status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    method = models.CharField(
        max_length=20, choices=Method.choices, default=Method.CARD
    )
    amount = models.DecimalField(
        max_digits=14, decimal_places=2, help_text=_("Gross, in the ledger currency.")
    )
    fee = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    net = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3)
    original_amount = models.DecimalField(max_digits=14, decimal_places=2)
    original_currency = models.CharField(max_length=3)
    exchange_rate = models.DecimalField(
        max_digits=18, decimal_places=8, default=Decimal(1)
    )
    received_at = models.DateTimeField(db_index=True)
    month = models.DateField(
        db_index=True,
        help_text=_("The campaign month it counts towards, in the site's time zone."),
    )
    recurring = models.BooleanField(default=False)
    covered_fee = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("What the donor added to cover the fees (part of the gross)."),
    )
    customer_ref = models.CharField(
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text=_("The provider's customer id, for managing a monthly gift."),
    )
    # Which of the customer's monthly gifts this payment belongs to: a customer
    # may run several, and ending one must not end the others.
    subscription_ref = models.CharField(
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text=_("The provider's id of the monthly gift (subscription)."),
    )
    monthly_ended_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_(
            "When the provider ended the monthly gift this payment was part of."
        ),
    )
    public_name = models.CharField(max_length=80, blank=True)
    email = models.EmailField(blank=True)
    message = models.TextField(blank=True, max_length=1000)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "transaction_id"],
                name="funding_one_row_per_transaction",
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="funding_donation_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(original_amount__gt=0),
                name="funding_donation_original_positive",
            ),
            # SQLite does not enforce the column's digits: without these a row
            # too large to read back breaks every page that sums the ledger.
            models.CheckConstraint(
                condition=Q(amount__lt=COLUMN_CEILING)
                & Q(original_amount__lt=COLUMN_CEILING),
                name="funding_donation_amount_fits",
            ),
            models.CheckConstraint(
                condition=(Q(fee__isnull=True) | Q(fee__lt=COLUMN_CEILING))
                & (Q(net__isnull=True) | Q(net__lt=COLUMN_CEILING)),
                name="funding_donation_fee_fits",
            ),
            models.CheckConstraint(
                condition=Q(exchange_rate__gt=0), name="funding_donation_rate_positive"
            ),
            models.CheckConstraint(
                condition=Q(fee__isnull=True) | Q(fee__gte=0),
                name="funding_donation_fee_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="funding_donation_month_first_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.transaction_id} {self.amount} {self.currency}"


class Adjustment(models.Model):
    """A reversing entry against a payment: refund or dispute step.

    Names its payment by provider and transaction id rather than a foreign key,
    so an entry delivered before its payment is kept and counts once it arrives.
    """

    class Kind(models.TextChoices):
        REFUND = "refund", _("Refund")
        DISPUTE_OPENED = "dispute_opened", _("Dispute opened")
        DISPUTE_WON = "dispute_won", _("Dispute won")
        DISPUTE_LOST = "dispute_lost", _("Dispute lost")

    provider = models.CharField(max_length=10, choices=Provider.choices)
    reference = models.CharField(max_length=200)
    transaction_id = models.CharField(max_length=200, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    amount = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        help_text=_("In the payment's original currency."),
    )
    currency = models.CharField(max_length=3)
    occurred_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "reference"], name="funding_one_adjustment_per_ref"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="funding_adjustment_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(amount__lt=COLUMN_CEILING),
                name="funding_adjustment_amount_fits",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.currency} on {self.transaction_id}"


class ProcessedEvent(models.Model):
    """A provider event already handled; a replay finds its row and changes nothing."""

    provider = models.CharField(max_length=10, choices=Provider.choices)
    event_id = models.CharField(max_length=200)
    event_type = models.CharField(max_length=100)
    processed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "event_id"], name="funding_event_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.event_id}"


class SupporterMessage(models.Model):
    """A donor's opted-in name and message for the supporters' wall, moderated."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    donation = models.OneToOneField(
        Donation, on_delete=models.CASCADE, related_name="wall_message"
    )
    public_name = models.CharField(max_length=80, blank=True)
    message = models.TextField(blank=True, max_length=1000)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.public_name or str(_("Anonymous"))


class BadgeChoice(models.Model):
    """A donor's choice whether their comments show a supporter badge.

    No row means shown (the donate page's default). Keyed by the lower-cased
    address, as the badges match it; `chosen_at` lets a later choice win over
    an earlier one that arrives late (a monthly payment repeats the donate
    page's choice of months ago).
    """

    email = models.EmailField(unique=True)
    shown = models.BooleanField(default=True)
    chosen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.email}: {'shown' if self.shown else 'hidden'}"


@register_setting(icon="pick")
class FundingSettings(BaseSiteSetting):
    """The donate page's editorial choices."""

    preset_amounts = models.CharField(
        max_length=100,
        default="5, 10, 25, 50",
        help_text=_("Comma-separated amounts offered as buttons."),
    )
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    paypal_url = models.URLField(blank=True, help_text=_("A PayPal.me or donate link."))
    patreon_url = models.URLField(blank=True)
    bank_instructions = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Bank transfer and other ways to give; empty hides the section."),
    )
    thanks_text = RichTextField(blank=True, features=["bold", "italic", "link"])

    panels = [
        FieldPanel("intro"),
        FieldPanel("preset_amounts"),
        MultiFieldPanel(
            [FieldPanel("paypal_url"), FieldPanel("patreon_url")],
            heading=_("Links"),
        ),
        FieldPanel("bank_instructions"),
        FieldPanel("thanks_text"),
    ]
