"""The newsletter app: readers follow the newsroom's reports by email."""

from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "tribune.newsletter"
    label = "newsletter"
    verbose_name = "Newsletter"

    def ready(self) -> None:
        from wagtail.signals import page_published

        from tribune.mailing import signals as mailing_signals
        from tribune.newsletter import receivers
        from tribune.newsroom.models import ArticlePage

        page_published.connect(
            receivers.report_published,
            sender=ArticlePage,
            dispatch_uid="newsletter.published",
        )
        mailing_signals.address_erased.connect(
            receivers.address_erased, dispatch_uid="newsletter.erased"
        )
