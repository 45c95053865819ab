from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tribune.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.urls import register_converter

        from tribune.core import (
            checks,  # noqa: F401 - registers the checks
            sites,
        )
        from tribune.core.converters import IdConverter

        sites.connect()
        # Before any URLconf loads: `<id:...>` in every app's patterns.
        register_converter(IdConverter, "id")
