"""The discussion app: comment threads under articles."""

from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "tribune.discussion"
    label = "discussion"
    verbose_name = "Discussion"

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models import Model
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Page
        from wagtail.signals import page_published, post_page_move

        from tribune.core import pagecache
        from tribune.discussion import conf, selectors, spam, views
        from tribune.discussion.models import Thread
        from tribune.discussion.services import inline

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
        # Posting reads articles from memory: any change of a page retires them.
        models: list[type[Model]] = [
            *(m for m in apps.get_models() if issubclass(m, Page)),
            Thread,
        ]
        for model in models:
            uid = f"discussion_articles_{model._meta}"
            post_save.connect(selectors.forget_articles, sender=model, dispatch_uid=uid)
            post_delete.connect(
                selectors.forget_articles, sender=model, dispatch_uid=uid + "_d"
            )
        post_page_move.connect(
            selectors.forget_articles, dispatch_uid="discussion_move"
        )
