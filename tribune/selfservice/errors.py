"""Errors of the self-service app, each with a message for the reader."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class SelfServiceError(Exception):
    """A request "Your page" cannot carry out, explained to the reader."""

    status = 400
    default_message = _("This request cannot be carried out.")

    def __init__(self, message: str | None = None) -> None:
        self.message = str(message or self.default_message)
        super().__init__(self.message)


class TooManyRequestsError(SelfServiceError):
    status = 429
    default_message = _(
        "Too many requests from your network in the last hour. Please try again later."
    )


class LinkError(SelfServiceError):
    """A link that is unknown, used already or expired (`reason` tells which)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__()


class NotYoursError(SelfServiceError):
    status = 404
    default_message = _("There is no such comment among yours.")


class NotAllowedError(SelfServiceError):
    status = 403
    default_message = _(
        "Accounts of the newsroom's staff cannot be erased here; please ask an "
        "administrator."
    )
