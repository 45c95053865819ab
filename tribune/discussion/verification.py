"""Writes that let a guest prove an email address: the mailed link and its use.

A guest earns "trusted" (published at once under "hold first-time guests") only
with proof: the browser that asked for a link mailed to an address is trusted
for that address once someone opens the link.  Typing an address proves
nothing, and nothing a response says depends on what is known of an address.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from tribune.core import clock
from tribune.discussion import services
from tribune.discussion.models import (
    Comment,
    EmailVerification,
    HeldReason,
    Status,
)
from tribune.mailing import services as mailing

SALT = "discussion.verify-email"
# How long a mailed link works.
LINK_MAX_AGE = dt.timedelta(days=3)
# One verification mail per address per ten minutes, whoever asks.
MAIL_EVERY_SECONDS = 600


@transaction.atomic
def request_email_verification(
    *, email: str, guest_token: str, base_url: str
) -> EmailVerification | None:
    """Mail a verification link for `email`, bound to the guest's browser.

    Precondition: `email` passed the comment form's checks.  The mail holds no
    text the guest typed (only the link), and goes out at most once per address
    every ten minutes, on commit.  Returns the request, or None when the browser
    has no guest token or the address had a mail too recently (the caller shows
    the same answer either way).
    """
    address = email.strip().lower()
    if not guest_token or not address:
        return None
    if not mailing.allow_send(
        email=address, purpose="guest_verify", per=MAIL_EVERY_SECONDS
    ):
        return None
    request = EmailVerification.objects.create(email=address, guest_token=guest_token)
    token = signing.dumps(request.pk, salt=SALT)
    context = {
        "link": base_url.rstrip("/") + reverse("discussion:verify_email", args=[token]),
        "SITE_NAME": settings.SITE_NAME,
    }
    mailing.queue_templated_email(
        "discussion/mail/verify",
        to=address,
        context=context,
        dedupe_key=f"guest-verify:{request.pk}",
    )
    return request


@transaction.atomic
def verify_guest_email(*, token: str) -> EmailVerification | None:
    """Mark the request the link names as verified, or None for a bad or old link.

    Publishes the requesting browser's comments that were held only because
    it was a first-time guest with that address (each change is logged), as a
    moderator would have.  Using a link twice changes nothing more.
    """
    try:
        pk = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    request = (
        EmailVerification.objects.select_for_update().filter(pk=pk).first()
        if isinstance(pk, int)
        else None
    )
    if request is None:
        return None
    if request.verified_at is None:
        request.verified_at = clock.now()
        request.save(update_fields=["verified_at"])
    held = Comment.objects.select_for_update().filter(
        guest_token=request.guest_token,
        author_email=request.email,
        status=Status.PENDING,
        held_reason=HeldReason.FIRST_GUEST,
    )
    for comment in held:
        services.release_comment(
            comment=comment, note=_("The guest verified their email address.")
        )
    return request
