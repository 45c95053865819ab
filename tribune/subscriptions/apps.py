"""The subscriptions app: email notifications about new comments."""

from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "tribune.subscriptions"
    label = "subscriptions"
    verbose_name = "Subscriptions"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from tribune.discussion import reader_state
        from tribune.discussion import signals as discussion_signals
        from tribune.mailing import signals as mailing_signals
        from tribune.subscriptions import receivers, selectors
        from tribune.subscriptions.models import Subscription

        discussion_signals.comment_visible.connect(
            receivers.comment_became_visible, dispatch_uid="subscriptions.visible"
        )
        discussion_signals.comment_posted.connect(
            receivers.comment_posted, dispatch_uid="subscriptions.posted"
        )
        for signal in (post_save, post_delete):
            signal.connect(
                receivers.subscription_changed,
                sender=Subscription,
                dispatch_uid=f"subscriptions.changed.{signal is post_save}",
            )
        # The article page's script shows the reader's own subscriptions.
        reader_state.register_part("subscriptions", selectors.list_reader_subscriptions)
        mailing_signals.address_erased.connect(
            receivers.address_erased, dispatch_uid="subscriptions.erased"
        )
