from django.apps import AppConfig


class SupportersConfig(AppConfig):
    name = "tribune.supporters"
    label = "supporters"
    verbose_name = "Supporters"

    def ready(self) -> None:
        # Imported here: the app registry must be ready for the models.
        from tribune.discussion import badges
        from tribune.funding import signals
        from tribune.supporters import selectors

        badges.register(selectors.LedgerSupporters())
        signals.supporters_changed.connect(
            selectors.on_supporters_changed, dispatch_uid="supporters.forget"
        )
