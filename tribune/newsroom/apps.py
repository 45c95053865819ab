from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "tribune.newsroom"
    label = "newsroom"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import PageViewRestriction, Site, get_page_models
        from wagtail.signals import page_unpublished, post_page_move

        from tribune.newsroom import selectors

        # Each page type is its own sender; naming them keeps every other model's
        # saves (a comment, a vote) free of this receiver.
        for model in [*get_page_models(), Site, PageViewRestriction]:
            uid = f"menu-{model._meta.label}"
            post_save.connect(selectors.forget_menu, sender=model, dispatch_uid=uid)
            post_delete.connect(selectors.forget_menu, sender=model, dispatch_uid=uid)
        post_page_move.connect(selectors.forget_menu, dispatch_uid="menu-move")
        page_unpublished.connect(selectors.forget_menu, dispatch_uid="menu-unpublish")
