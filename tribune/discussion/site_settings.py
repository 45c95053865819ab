"""The discussion's Wagtail site setting: editorial choices about comments."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class SiteCommentsMode(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed (readable)")
    HIDDEN = "hidden", _("Hidden")


class ModerationPolicy(models.TextChoices):
    PUBLISH = "publish", _("Publish at once")
    HOLD_FIRST_GUEST = (
        "hold_first_guest",
        _("Hold guests until one of their comments is approved"),
    )
    HOLD_ALL = "hold_all", _("Hold every comment for review")


class SpamAction(models.TextChoices):
    PUBLISH = "publish", _("Publish")
    HOLD = "hold", _("Hold for review")
    SPAM = "spam", _("File as spam")


@register_setting(icon="comment")
class DiscussionSettings(BaseSiteSetting):
    """Editorial choices about comments for the whole site."""

    comments: models.CharField[str, str] = models.CharField(
        _("comments on reports"),
        max_length=10,
        choices=SiteCommentsMode.choices,
        default=SiteCommentsMode.OPEN,
        help_text=_("Used by every report whose own setting is 'Site default'."),
    )
    moderation: models.CharField[str, str] = models.CharField(
        max_length=20,
        choices=ModerationPolicy.choices,
        default=ModerationPolicy.HOLD_FIRST_GUEST,
    )
    held_words: models.TextField[str, str] = models.TextField(
        _("words that hold a comment for review"),
        blank=True,
        help_text=_("One word or phrase per line; matching ignores case."),
    )
    max_links: models.PositiveSmallIntegerField[int, int] = (
        models.PositiveSmallIntegerField(_("links allowed per comment"), default=3)
    )
    reports_to_hide: models.PositiveSmallIntegerField[int, int] = (
        models.PositiveSmallIntegerField(
            _("reports that hide a comment"),
            default=3,
            help_text=_(
                "A comment waits for review once this many counted reports came "
                "from as many different networks."
            ),
        )
    )

    report_min_guest_age_hours: models.PositiveSmallIntegerField[int, int] = (
        models.PositiveSmallIntegerField(
            _("hours before a guest's reports count"),
            default=24,
            help_text=_(
                "Reports from accounts always count; a guest's count once their "
                "browser has been known this long, so fresh cookies cannot hide "
                "comments."
            ),
        )
    )
    reports_per_ip_per_hour: models.PositiveSmallIntegerField[int, int] = (
        models.PositiveSmallIntegerField(
            _("reports per network per hour"),
            default=10,
            help_text=_("Per IPv4 address or IPv6 /64; 0 switches the limit off."),
        )
    )
    new_guests_per_ip_per_hour: models.PositiveSmallIntegerField[int, int] = (
        models.PositiveSmallIntegerField(
            _("new guest identities per network per hour"),
            default=20,
            help_text=_(
                "Browsers without a guest cookie that may post, vote or report "
                "from one IPv4 address or IPv6 /64 in an hour; 0 switches the "
                "limit off."
            ),
        )
    )
    votes_per_ip_per_hour: models.PositiveSmallIntegerField[int, int] = (
        models.PositiveSmallIntegerField(
            _("votes per network per hour"),
            default=120,
            help_text=_("Per IPv4 address or IPv6 /64; 0 switches the limit off."),
        )
    )
    signups_per_ip_per_hour: models.PositiveSmallIntegerField[int, int] = (
        models.PositiveSmallIntegerField(
            _("account sign-ups per network per hour"),
            default=5,
            help_text=_(
                "Each sign-up mails a link; per IPv4 address or IPv6 /64; 0 "
                "switches the limit off."
            ),
        )
    )
    signups_per_address_per_day: models.PositiveSmallIntegerField[int, int] = (
        models.PositiveSmallIntegerField(
            _("sign-up mails per address per day"),
            default=3,
            help_text=_("0 switches the limit off."),
        )
    )

    spam_likely: models.CharField[str, str] = models.CharField(
        _("comments the spam filter finds likely spam"),
        max_length=10,
        choices=SpamAction.choices,
        default=SpamAction.SPAM,
        help_text=_(
            "Scores at or above the model's spam threshold, chosen so that about "
            "1 in 100 good comments or fewer reach it."
        ),
    )
    spam_possible: models.CharField[str, str] = models.CharField(
        _("comments the spam filter finds possibly spam"),
        max_length=10,
        choices=SpamAction.choices,
        default=SpamAction.HOLD,
        help_text=_(
            "Scores between the model's hold and spam thresholds "
            "(about 5 in 100 good comments or fewer)."
        ),
    )
    supporters_skip_hold: models.BooleanField[bool, bool] = models.BooleanField(
        _("supporters skip the hold for review"),
        default=False,
        help_text=_(
            "A supporter (an account, or a guest with a verified address, that "
            "gave to the newsroom) is published at once when guests or all "
            "comments are held; held words, bans and the spam filter still apply."
        ),
    )

    offensive_check: models.BooleanField[bool, bool] = models.BooleanField(
        _("check comments for offensive language"),
        default=True,
        help_text=_(
            "An English model scores every comment, and the word list below "
            "catches other languages; readers are asked once whether they want "
            "to rephrase, and comments that still score high wait for review."
        ),
    )
    offensive_threshold: models.PositiveSmallIntegerField[int, int] = (
        models.PositiveSmallIntegerField(
            _("offensive language threshold"),
            default=80,
            validators=[MaxValueValidator(100)],
            help_text=_(
                "0-100: comments scoring this or more are held with the reason "
                "'offensive language'. Lower holds more; 0 switches the check off."
            ),
        )
    )
    offensive_words: models.TextField[str, str] = models.TextField(
        _("offensive words and phrases"),
        blank=True,
        help_text=_(
            "One per line, in any language; they score 100. Matching ignores "
            "case, accents, invisible characters, common leetspeak (sh1t), "
            "repeated letters and letters spelt apart, and matches whole words "
            "only. End a line with * to match words that begin with it."
        ),
    )

    panels = [
        FieldPanel("comments"),
        FieldPanel("moderation"),
        FieldPanel("supporters_skip_hold"),
        FieldPanel("spam_likely"),
        FieldPanel("spam_possible"),
        FieldPanel("held_words"),
        MultiFieldPanel(
            [
                FieldPanel("offensive_check"),
                FieldPanel("offensive_threshold"),
                FieldPanel("offensive_words"),
            ],
            heading=_("Offensive language"),
        ),
        FieldPanel("max_links"),
        MultiFieldPanel(
            [
                FieldPanel("reports_to_hide"),
                FieldPanel("report_min_guest_age_hours"),
                FieldPanel("reports_per_ip_per_hour"),
                FieldPanel("new_guests_per_ip_per_hour"),
                FieldPanel("votes_per_ip_per_hour"),
                FieldPanel("signups_per_ip_per_hour"),
                FieldPanel("signups_per_address_per_day"),
            ],
            heading=_("Limits against abuse"),
        ),
    ]

    class Meta:
        verbose_name = _("discussion settings")

    def word_list(self) -> list[str]:
        return [w.strip().lower() for w in self.held_words.splitlines() if w.strip()]
