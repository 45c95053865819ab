"""The discussion app: comment threads under reports."""

from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "tribune.discussion"
    label = "discussion"
    verbose_name = "Discussion"

    def ready(self) -> None:
        from wagtail.signals import page_published

        from tribune.core import pagecache
        from tribune.discussion import conf, inline, spam, views

        # Cached article pages get a fresh form timestamp for every reader.
        pagecache.register_generator(
            "discussion_form", lambda request: spam.issue_form_token()
        )
        # A guest who wrote or voted nothing in a thread sees the public page.
        pagecache.register_sharer(conf.get("GUEST_COOKIE"), views.shares_public_copy)
        # A published revision moves passages; inline comments follow them.
        page_published.connect(
            inline.on_page_published, dispatch_uid="discussion_reanchor"
        )
