"""Errors the discussion services raise; each carries a code, a message and a status."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class DiscussionError(Exception):
    """A request the discussion cannot carry out, explained to the reader.

    `field` names the form field the message belongs next to (None: the form).
    """

    code = "invalid"
    status = 400
    default_message = _("This request cannot be carried out.")
    # The field a client sends back (true) to go ahead anyway; None: none can.
    confirm: str | None = None

    def __init__(
        self, message: str | None = None, *, field: str | None = None, code: str = ""
    ) -> None:
        self.message = str(message or self.default_message)
        self.field = field
        if code:
            self.code = code
        super().__init__(self.message)


class InvalidCommentError(DiscussionError):
    code = "invalid_comment"


class InvalidReplyError(DiscussionError):
    code = "invalid_parent"
    default_message = _("The comment you are replying to is not available.")


class ThreadClosedError(DiscussionError):
    code = "thread_closed"
    status = 403
    default_message = _("Comments on this report are closed.")


class NotAllowedError(DiscussionError):
    code = "not_allowed"
    status = 403
    default_message = _("You cannot do this to this comment.")


class BannedError(DiscussionError):
    code = "banned"
    status = 403
    default_message = _("You cannot comment or vote here.")


class NotFoundError(DiscussionError):
    code = "not_found"
    status = 404
    default_message = _("There is no such comment.")


class RateLimitedError(DiscussionError):
    code = "rate_limited"
    status = 429
    default_message = _(
        "You are commenting faster than we allow. Please wait a minute and send again."
    )


class SpamSuspectedError(DiscussionError):
    code = "spam_suspected"
    default_message = _("This form could not be accepted. Please send it again.")


class OffensiveLanguageError(DiscussionError):
    """The reader is asked once whether to rephrase; nothing was stored."""

    code = "offensive_language"
    status = 409
    confirm = "confirm_offensive"
    default_message = _(
        "Your comment may read as offensive to others. Would you like to "
        "rephrase it? If you post it as it is, it waits for a moderator."
    )
