from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tribune.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out
        from django.urls import register_converter

        from tribune.core import (
            checks,  # noqa: F401 - registers the checks
            sites,
            staffcookie,
        )
        from tribune.core.converters import IdConverter

        sites.connect()
        # Before any URLconf loads: `<id:...>` in every app's patterns.
        register_converter(IdConverter, "id")
        # Staff browsers skip the shared page copies (decision 0024).
        user_logged_in.connect(staffcookie.on_login, dispatch_uid="tribune-staff-in")
        user_logged_out.connect(staffcookie.on_logout, dispatch_uid="tribune-staff-out")
