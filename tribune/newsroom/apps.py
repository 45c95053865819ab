from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "tribune.newsroom"
    label = "newsroom"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from taggit.models import Tag
        from wagtail.contrib.settings.registry import registry
        from wagtail.documents import get_document_model
        from wagtail.embeds.models import Embed
        from wagtail.images import get_image_model
        from wagtail.models import PageViewRestriction, Site, get_page_models
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from tribune.core import sites
        from tribune.newsroom import selectors
        from tribune.newsroom.models import Author, SupportPanel

        # Each page type is its own sender; naming them keeps every other model's
        # saves (a comment, a vote) free of this receiver.
        for model in [*get_page_models(), Site, PageViewRestriction]:
            uid = f"menu-{model._meta.label}"
            post_save.connect(selectors.forget_menu, sender=model, dispatch_uid=uid)
            post_delete.connect(selectors.forget_menu, sender=model, dispatch_uid=uid)
        post_page_move.connect(selectors.forget_menu, dispatch_uid="menu-move")
        page_unpublished.connect(selectors.forget_menu, dispatch_uid="menu-unpublish")

        # What a kept report shows (docs/decisions/0036-report-kept.md). A
        # rendition is made during a render, so only its deletion counts.
        image = get_image_model()
        shown = [
            *get_page_models(),
            Site,
            Author,
            SupportPanel,
            Tag,
            image,
            get_document_model(),
            Embed,
            *registry,
        ]
        for model in shown:
            uid = f"report-{model._meta.label}"
            post_save.connect(selectors.forget_reports, sender=model, dispatch_uid=uid)
            post_delete.connect(
                selectors.forget_reports, sender=model, dispatch_uid=uid
            )
        post_delete.connect(
            selectors.forget_reports,
            sender=image.get_rendition_model(),
            dispatch_uid="report-rendition",
        )
        post_page_move.connect(selectors.forget_reports, dispatch_uid="report-move")
        page_unpublished.connect(
            selectors.forget_reports, dispatch_uid="report-unpublish"
        )
        # Whole cached pages: a page's public version changed (a draft's save
        # changes none, so page saves are not a sender here).
        page_published.connect(selectors.forget_cached_pages, dispatch_uid="cached-pub")
        page_unpublished.connect(
            selectors.forget_cached_pages, dispatch_uid="cached-unpub"
        )
        post_page_move.connect(
            selectors.forget_cached_pages, dispatch_uid="cached-move"
        )
        for model in get_page_models():
            post_delete.connect(
                selectors.forget_cached_pages,
                sender=model,
                dispatch_uid=f"cached-{model._meta.label}",
            )
        # The settings kept per process (core/sites.py) hold the panel they name.
        post_save.connect(sites.bump, sender=SupportPanel, dispatch_uid="sites-panel")
        post_delete.connect(sites.bump, sender=SupportPanel, dispatch_uid="sites-panel")
