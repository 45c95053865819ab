from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tribune.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from tribune.core import (
            checks,  # noqa: F401 - registers the checks
            sites,
        )

        sites.connect()
