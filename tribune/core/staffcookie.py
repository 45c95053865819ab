"""The `tribune_staff` cookie: a hint to the caches that this browser belongs to staff.

Staff see the Wagtail user bar and previews, so neither the page cache's shared copy
nor the proxy's micro-cache may answer them (decision 0024). The hint is set when a
staff member signs in and dropped when anyone signs out; it grants nothing, so a
forged one only buys its sender a personal render.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

COOKIE = "tribune_staff"
_FLAG = "_tribune_staff_cookie"


def on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """user_logged_in receiver: staff get the cookie with this response."""
    if request is not None and getattr(user, "is_staff", False):
        request.__dict__[_FLAG] = True


def on_logout(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    """user_logged_out receiver: the cookie goes with this response."""
    if request is not None:
        request.__dict__[_FLAG] = False


class StaffCookieMiddleware:
    """Applies what the sign-in and sign-out receivers decided; costs nothing else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        flag = request.__dict__.get(_FLAG)
        if flag is True:
            response.set_cookie(
                COOKIE,
                "1",
                max_age=settings.SESSION_COOKIE_AGE,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        elif flag is False and COOKIE in request.COOKIES:
            response.delete_cookie(COOKIE, samesite="Lax")
        return response
