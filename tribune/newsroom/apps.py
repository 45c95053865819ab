from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "tribune.newsroom"
    label = "newsroom"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_unpublished, post_page_move

        from tribune.newsroom import selectors

        # Any sender: every page type is its own model; forget_menu picks pages,
        # sites and view restrictions out.
        for signal in (post_save, post_delete):
            signal.connect(selectors.forget_menu, dispatch_uid=f"menu-{id(signal)}")
        post_page_move.connect(selectors.forget_menu, dispatch_uid="menu-move")
        page_unpublished.connect(selectors.forget_menu, dispatch_uid="menu-unpublish")
