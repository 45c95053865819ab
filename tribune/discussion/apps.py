"""The discussion app: comment threads under reports."""

from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "tribune.discussion"
    label = "discussion"
    verbose_name = "Discussion"

    def ready(self) -> None:
        from wagtail.signals import page_published

        from tribune.core import pagecache
        from tribune.discussion import inline, spam

        # Cached article pages get a fresh form timestamp for every reader.
        pagecache.register_generator(
            "discussion_form", lambda request: spam.issue_form_token()
        )
        # A published revision moves passages; inline comments follow them.
        page_published.connect(
            inline.on_page_published, dispatch_uid="discussion_reanchor"
        )
