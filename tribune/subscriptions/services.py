"""Writes of the subscriptions app: subscribe, confirm, unsubscribe, erase.

Telling subscribers about comments (announce, notify, digests) is in
announcements.py; the mails themselves are built in emails.py.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tribune.core import clock, generations
from tribune.discussion.models import Comment, Thread
from tribune.mailing.addresses import normalize_address
from tribune.subscriptions import conf, emails, selectors
from tribune.subscriptions.models import (
    Delivery,
    Digest,
    DigestItem,
    Scope,
    Subscription,
)
from tribune.subscriptions.tokens import Unsubscribe

logger = logging.getLogger(__name__)


class SubscriptionError(ValueError):
    """A subscription request that cannot be taken as asked."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _valid_address(email: str) -> str:
    address = normalize_address(email or "")
    if not address:
        raise SubscriptionError(_("Please give your email address."), field="email")
    try:
        validate_email(address)
    except ValidationError:
        raise SubscriptionError(
            _("This email address does not look right."), field="email"
        ) from None
    return address


@transaction.atomic
def subscribe(
    *,
    email: str,
    scope: str,
    delivery: str = Delivery.INSTANT,
    thread: Thread | None = None,
    comment: Comment | None = None,
    user: User | None = None,
) -> Subscription:
    """Add a subscription, or return the address's existing one for the same target.

    With `user` (a signed-in reader asking for their own account's address)
    the subscription is in effect at once. Otherwise it waits for the address
    to confirm, and a confirmation mail is queued unless the address already
    got one within SUBSCRIPTIONS_CONFIRM_INTERVAL (mailing's rate guard). A
    guest cannot change an existing subscription. Raises SubscriptionError
    for a bad address, scope or delivery.
    """
    address = _valid_address(email)
    if delivery not in Delivery.values:
        raise SubscriptionError(_("Choose instant mail or a daily digest."))
    targets = {
        Scope.THREAD: (thread is not None, comment is None),
        Scope.COMMENT: (comment is not None, thread is None),
        Scope.MY_REPLIES: (True, thread is None and comment is None),
    }
    if scope not in targets or not all(targets[Scope(scope)]):
        raise SubscriptionError(_("Choose what to be notified of."), field="scope")
    now = clock.now()
    lookup = {"email": address, "scope": scope, "thread": thread, "comment": comment}
    subscription = Subscription.objects.filter(**lookup).first()
    if subscription is None:
        try:
            with transaction.atomic():
                subscription = Subscription.objects.create(
                    **lookup,
                    user=user,
                    delivery=delivery,
                    created_at=now,
                    confirmed_at=now if user is not None else None,
                )
        except IntegrityError:
            # A concurrent request made the same subscription first.
            subscription = Subscription.objects.get(**lookup)
    elif user is not None:
        subscription.user = user
        subscription.delivery = delivery
        subscription.confirmed_at = subscription.confirmed_at or now
        subscription.save(update_fields=["user", "delivery", "confirmed_at"])
    elif subscription.confirmed_at is None:
        # A guest asking again restarts the week an unconfirmed one may wait.
        subscription.created_at = now
        subscription.delivery = delivery
        subscription.save(update_fields=["created_at", "delivery"])
    if subscription.confirmed_at is None:
        emails.queue_confirmation(email=address)
    return subscription


@transaction.atomic
def import_subscription(
    *,
    email: str,
    scope: str,
    delivery: str = Delivery.INSTANT,
    thread: Thread | None = None,
    comment: Comment | None = None,
) -> Subscription:
    """Add a subscription already in effect, without mail.

    For the demo and for imports from another system whose addresses were
    confirmed there. Idempotent per address and target.
    """
    address = _valid_address(email)
    subscription, _created = Subscription.objects.get_or_create(
        email=address,
        scope=scope,
        thread=thread,
        comment=comment,
        defaults={"delivery": delivery, "confirmed_at": clock.now()},
    )
    return subscription


@transaction.atomic
def confirm_address(*, email: str) -> int:
    """Put every pending subscription of an address into effect; returns how many.

    Subscriptions older than SUBSCRIPTIONS_CONFIRM_DAYS are not confirmed
    (the purge deletes them).
    """
    now = clock.now()
    confirmed = Subscription.objects.filter(
        email=normalize_address(email),
        confirmed_at__isnull=True,
        created_at__gt=now - dt.timedelta(days=conf.confirm_days()),
    ).update(confirmed_at=now)
    # An update sends no post_save: retire the remembered answers here.
    generations.bump(selectors.GENERATION)
    return confirmed


@transaction.atomic
def unsubscribe(*, request: Unsubscribe) -> int:
    """Remove what a one-click link names: its subscriptions, or the digest.

    Idempotent: a second POST removes nothing and succeeds. Returns the
    number of subscriptions removed.
    """
    address = normalize_address(request.email)
    mine = Subscription.objects.filter(email=address)
    removed, _detail = mine.filter(pk__in=request.subscription_ids).delete()
    if request.digest:
        more, _detail = mine.filter(delivery=Delivery.DIGEST).delete()
        removed += more
        DigestItem.objects.filter(email=address, digest__isnull=True).delete()
    return int(removed)


@transaction.atomic
def remove_subscription(*, email: str, subscription_id: int) -> int:
    """Remove one subscription of an address (from the manage page)."""
    deleted, _detail = Subscription.objects.filter(
        email=normalize_address(email), pk=subscription_id
    ).delete()
    return int(deleted)


@transaction.atomic
def remove_all_subscriptions(*, email: str) -> int:
    """Remove every subscription of an address and its waiting digest items."""
    address = normalize_address(email)
    DigestItem.objects.filter(email=address, digest__isnull=True).delete()
    deleted, _detail = Subscription.objects.filter(email=address).delete()
    return int(deleted)


@transaction.atomic
def erase_subscriptions(*, email: str) -> int:
    """Forget an address: subscriptions, digest items and digests.

    Called from mailing's `address_erased` signal inside erase_address's
    transaction. Returns the number of subscriptions deleted.
    """
    address = normalize_address(email)
    DigestItem.objects.filter(email=address).delete()
    Digest.objects.filter(email=address).delete()
    deleted, _detail = Subscription.objects.filter(email=address).delete()
    return int(deleted)


@transaction.atomic
def purge_unconfirmed(*, now: dt.datetime) -> int:
    """Delete subscriptions left unconfirmed longer than a confirmation link works."""
    cutoff = now - dt.timedelta(days=conf.confirm_days())
    deleted, _detail = Subscription.objects.filter(
        confirmed_at__isnull=True, created_at__lte=cutoff
    ).delete()
    return int(deleted)


def request_manage_link(*, email: str) -> bool:
    """Mail the "manage my subscriptions" link to an address that has subscriptions.

    Rate-limited per address; see emails.queue_manage_link. Raises
    SubscriptionError for something that is not an address.
    """
    return emails.queue_manage_link(email=_valid_address(email))


def subscribe_author(*, comment: Comment, notify: str) -> Subscription | None:
    """Subscribe a comment's author as they asked on the comment form.

    "all": new comments on the report; "replies": replies to this comment.
    Accounts use their own address; guests confirm the address they typed.
    Returns None when the author has no address.
    """
    user = comment.author
    email = (user.email if user is not None else comment.author_email) or ""
    if not email.strip():
        return None
    if notify == "all":
        return subscribe(
            email=email, scope=Scope.THREAD, thread=comment.thread, user=user
        )
    if notify == "replies":
        return subscribe(email=email, scope=Scope.COMMENT, comment=comment, user=user)
    return None
