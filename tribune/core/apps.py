from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tribune.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out
        from django.core.signals import request_finished, request_started
        from django.urls import register_converter

        from tribune.core import (
            checks,  # noqa: F401 - registers the checks
            generations,
            sites,
            staffcookie,
        )
        from tribune.core.converters import IdConverter

        sites.connect()
        # Each generation number is read once per request (core/generations.py).
        request_started.connect(generations.begin_request, dispatch_uid="gen-begin")
        request_finished.connect(generations.end_request, dispatch_uid="gen-end")
        # Before any URLconf loads: `<id:...>` in every app's patterns.
        register_converter(IdConverter, "id")
        # Staff browsers skip the shared page copies (decision 0024).
        user_logged_in.connect(staffcookie.on_login, dispatch_uid="tribune-staff-in")
        user_logged_out.connect(staffcookie.on_logout, dispatch_uid="tribune-staff-out")
