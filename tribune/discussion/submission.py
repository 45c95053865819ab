"""One comment post as a value, whatever the door (form, paragraph form, API).

Each door checks what only it can (form fields, bot signals, JSON types), then
builds a `Submission` with `build_submission` and hands it to
`services.posting.post_comment`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tribune.discussion import identity, selectors
from tribune.discussion.identity import Viewer
from tribune.discussion.models import DiscussionSettings, Thread

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpRequest


@dataclass(frozen=True)
class Guest:
    """What a guest types into the form; the email is for moderators only."""

    name: str
    email: str
    website: str = ""


@dataclass(frozen=True)
class Quote:
    """The passage an inline comment is about, as the browser sends it: the
    paragraph id, the selected text and its context."""

    block: str
    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Submission:
    """Everything `post_comment` needs to add one comment or reply.

    `state` is the thread's policies.thread_state and `rules` its site's
    settings.  `user` is the signed-in author, else `guest` holds the typed
    identity and `viewer` carries the guest's browser token.  A `quote` makes an
    inline comment on a passage of the article (top level only).  A repeated
    `idempotency_key` returns the comment the first submission made.  `notify`
    ("replies" or "all") is the author's wish for email.  `throttle` False skips
    the per-network rate limit (imports, demo content, tests).
    `offensive_confirmed` says the reader was asked whether to rephrase and
    sends it anyway (OffensiveLanguageError); the comment is then held.
    """

    thread: Thread
    state: str
    rules: DiscussionSettings
    viewer: Viewer
    body: str
    user: User | None = None
    guest: Guest | None = None
    parent_id: int | None = None
    quote: Quote | None = None
    ip: str | None = None
    idempotency_key: str | None = None
    notify: str = ""
    throttle: bool = True
    offensive_confirmed: bool = False


@dataclass(frozen=True)
class Fields:
    """What a reader sent, already checked for type by the door."""

    body: str
    name: str = ""
    email: str = ""
    website: str = ""
    parent_id: int | None = None
    key: str = ""
    notify: str = ""
    confirm_offensive: bool = False

    @classmethod
    def from_form(cls, data: Mapping[str, Any]) -> Fields:
        """The fields of a valid comment or paragraph form's cleaned data."""
        return cls(
            body=data["body"],
            name=data.get("name", ""),
            email=data.get("email", ""),
            website=data.get("website", ""),
            parent_id=data.get("parent"),
            key=data.get("key") or "",
            notify=data.get("notify") or "",
            confirm_offensive=bool(data.get("confirm_offensive")),
        )


def build_submission(
    request: HttpRequest,
    *,
    thread: Thread,
    fields: Fields,
    quote: Quote | None = None,
) -> Submission:
    """The Submission of `request`'s reader posting `fields` to `thread`.

    Precondition: `thread.page` is the public article.  Side effect: a new
    anonymous reader gets a guest token (identity.ensure_guest, which counts it
    and may raise RateLimitedError); the door sets the cookie with
    identity.remember_guest(response, submission.viewer).
    """
    rules = selectors.get_settings_for_request(request)
    viewer = identity.ensure_guest(request, identity.viewer_for(request))
    signed_in = viewer.user_id is not None
    return Submission(
        thread=thread,
        state=selectors.get_state(thread.page, rules),
        rules=rules,
        viewer=viewer,
        body=fields.body,
        user=request.user if signed_in else None,  # type: ignore[arg-type]
        guest=None if signed_in else Guest(fields.name, fields.email, fields.website),
        parent_id=fields.parent_id,
        quote=quote,
        ip=identity.client_ip(request),
        idempotency_key=fields.key[:64] or None,
        notify=fields.notify,
        offensive_confirmed=fields.confirm_offensive,
    )
