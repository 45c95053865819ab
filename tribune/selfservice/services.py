"""Every write of "Your page": links, the reader's comments and mail, erasure.

Each function calls the owning app's services for the rows it changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction

from tribune.core import clock, pagecache, ratelimit
from tribune.discussion import authored, policies
from tribune.discussion import erasure as discussion_erasure
from tribune.discussion import services as discussion
from tribune.discussion.identity import Viewer
from tribune.discussion.models import Comment, DiscussionSettings
from tribune.funding import donor_services
from tribune.funding import erasure as funding_erasure
from tribune.mailing import services as mailing
from tribune.mailing.addresses import normalize_address
from tribune.newsletter import selectors as newsletter_selectors
from tribune.newsletter import services as newsletter
from tribune.newsletter.models import Subscriber
from tribune.selfservice import conf, notifications
from tribune.selfservice.errors import (
    LinkError,
    NotAllowedError,
    NotYoursError,
    TooManyRequestsError,
)
from tribune.selfservice.identity import Person
from tribune.selfservice.models import (
    DEFAULT_IP_RETENTION_DAYS,
    AccessLink,
    CommentsChoice,
    Erasure,
    PrivacySettings,
)
from tribune.subscriptions import erasure as subscriptions_erasure
from tribune.subscriptions import services as subscriptions

HOUR = 3600
STOP_ALL_NOTE = "asked on Your page"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def request_link(*, email: str, ip: str | None) -> bool:
    """Mail a one-time link to "Your page" to a valid address.

    The same mail goes to every address, known or not, so neither the answer
    nor its timing tells who has comments or gifts here.  Raises
    TooManyRequestsError when the client's network asked too often this hour;
    an address asked for too often gets no further mail, silently (the
    reader's answer stays the same).  Returns whether a mail was queued;
    sends on commit.
    """
    if not ratelimit.hit(
        scope="selfservice.link.ip",
        key=ratelimit.client_key(ip),
        limit=conf.get("LINKS_PER_IP_PER_HOUR"),
        window=HOUR,
    ):
        raise TooManyRequestsError()
    address = normalize_address(email)
    if not ratelimit.hit(
        scope="selfservice.link.address",
        key=address,
        limit=conf.get("LINKS_PER_ADDRESS_PER_HOUR"),
        window=HOUR,
    ):
        return False
    secret = secrets.token_urlsafe(32)
    now = clock.now()
    with transaction.atomic():
        link = AccessLink.objects.create(
            digest=_digest(secret),
            email=address,
            created_at=now,
            expires_at=now + dt.timedelta(minutes=conf.get("LINK_MINUTES")),
        )
        notifications.send_link(email=address, secret=secret, link_id=link.pk)
    return True


def use_link(*, secret: str) -> str:
    """Spend a link and return the address it proves.

    One conditional update spends it, so of two requests racing with the same
    link exactly one succeeds.  Raises LinkError ("unknown", "used" or
    "expired") otherwise.
    """
    now = clock.now()
    digest = _digest(secret)
    with transaction.atomic():
        spent = AccessLink.objects.filter(
            digest=digest, used_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
        link = AccessLink.objects.filter(digest=digest).first()
    if link is None:
        raise LinkError("unknown")
    if not spent:
        raise LinkError("used" if link.used_at is not None else "expired")
    return link.email


def _own_comment(person: Person, comment_id: int) -> Comment:
    comment = authored.get_authored_comment(
        comment_id=comment_id, email=person.email, user_id=person.user_id
    )
    if comment is None:
        raise NotYoursError()
    return comment


def _author_viewer(comment: Comment) -> Viewer:
    # The reader proved the address the comment was written with; the
    # discussion's own checks then see them as its author.
    if comment.author_id is not None:
        return Viewer(user_id=comment.author_id)
    return Viewer(guest_token=comment.guest_token)


def edit_comment(
    *, person: Person, comment_id: int, body: str, rules: DiscussionSettings
) -> Comment:
    """Change the text of one of the person's comments within the edit window.

    Raises NotYoursError for someone else's comment, and the discussion's
    errors (NotAllowedError after the window, InvalidCommentError for bad
    text) from discussion.services.edit_comment.
    """
    comment = _own_comment(person, comment_id)
    return discussion.edit_comment(
        comment=comment, viewer=_author_viewer(comment), body=body, rules=rules
    )


def delete_comment(*, person: Person, comment_id: int) -> Comment:
    """Delete one of the person's comments, within the edit window or after it.

    Raises NotYoursError for someone else's comment.  Drops cached pages.
    """
    comment = _own_comment(person, comment_id)
    viewer = _author_viewer(comment)
    if policies.can_delete(comment, viewer):
        return discussion.delete_comment(comment=comment, viewer=viewer)
    return discussion_erasure.delete_authored_comment(comment=comment)


def remove_subscription(*, person: Person, subscription_id: int) -> int:
    """Stop one subscription of the person's address; returns 0 or 1."""
    return subscriptions.remove_subscription(
        email=person.email, subscription_id=subscription_id
    )


def change_newsletter(
    *,
    person: Person,
    everything: bool,
    series_ids: list[int],
    topic_ids: list[int],
    frequency: str,
) -> Subscriber | None:
    """Change what the person's newsletter subscription follows and how often;
    None when the address does not get the newsletter."""
    return newsletter.change_choices(
        email=person.email,
        everything=everything,
        series_ids=series_ids,
        topic_ids=topic_ids,
        frequency=frequency,
    )


def stop_newsletter(*, person: Person) -> bool:
    """Stop the newsletter to the person's address, a send under way included."""
    return newsletter.unsubscribe(email=person.email)


@transaction.atomic
def stop_all_mail(*, person: Person) -> int:
    """Remove every subscription, the newsletter's too, and put the address on
    the suppression list.

    Nothing is mailed to it afterwards, links to this page included, until
    `resume_mail`.  Returns the number of subscriptions removed (the
    newsletter counts as one).
    """
    removed = subscriptions.remove_all_subscriptions(email=person.email)
    removed += int(newsletter.unsubscribe(email=person.email))
    mailing.suppress_address(email=person.email, note=STOP_ALL_NOTE)
    return removed


def choose_badge(*, person: Person, shown: bool) -> bool:
    """Show or hide the supporter badge beside the person's comments; returns
    the choice now recorded."""
    choice = donor_services.choose_badge(email=person.email, shown=shown)
    return choice.shown if choice is not None else True


@transaction.atomic
def resume_mail(*, person: Person) -> int:
    """Take the address off the suppression list; returns 0 or 1."""
    return mailing.unsuppress_address(email=person.email)


@transaction.atomic
def erase_person(*, person: Person, comments: str) -> Erasure:
    """Erase what the site holds about the person, at once and for everyone.

    Comments are removed or kept without a name (`comments`), and lose every
    trace of their author; votes and reports go while counts stay; the
    subscriptions (the newsletter's too), the mail log and the links go;
    gifts stay in the ledger without the person.  What undoing needs is kept
    in the Erasure row for SELFSERVICE_UNDO_DAYS.  The moderators' log
    records that an erasure happened.  Drops every cached page on commit.
    Raises NotAllowedError for staff accounts.
    """
    if person.is_staff:
        raise NotAllowedError()
    if comments not in CommentsChoice.values:
        raise ValueError(f"unknown choice {comments!r}")
    now = clock.now()
    held = {
        "discussion": discussion_erasure.erase_author(
            email=person.email,
            user_id=person.user_id,
            remove=comments == CommentsChoice.REMOVE,
        ),
        "subscriptions": subscriptions_erasure.erase_subscriber(email=person.email),
        "funding": funding_erasure.forget_donor(email=person.email),
        # mailing.erase_address drops the newsletter subscriber (a signal).
        "newsletter": newsletter_selectors.held_choices(person.email),
    }
    mailing.erase_address(email=person.email)
    AccessLink.objects.filter(email=person.email).delete()
    erasure = Erasure.objects.create(
        email=person.email,
        user_id=person.user_id,
        comments=comments,
        created_at=now,
        undo_until=now + dt.timedelta(days=conf.get("UNDO_DAYS")),
        held=held,
    )
    discussion_erasure.log_erasure()
    transaction.on_commit(pagecache.invalidate_all, robust=True)
    return erasure


@transaction.atomic
def undo_erasures(*, person: Person) -> int:
    """Put back everything the person's erasures still hold, newest last undone.

    Only erasures within their undo days count.  Drops every cached page on
    commit.  Returns the number of erasures undone.
    """
    pending = list(
        Erasure.objects.select_for_update()
        .filter(email=person.email, undo_until__gt=clock.now())
        .order_by("-created_at", "-pk")
    )
    for erasure in pending:
        held = erasure.held
        discussion_erasure.restore_author(held=held.get("discussion", {}))
        subscriptions_erasure.restore_subscriber(
            email=erasure.email, held=held.get("subscriptions", [])
        )
        funding_erasure.restore_donor(held=held.get("funding", {}))
        newsletter.restore_subscriber(email=erasure.email, held=held.get("newsletter"))
        erasure.delete()
    if pending:
        transaction.on_commit(pagecache.invalidate_all, robust=True)
    return len(pending)


def purge_erasures(*, now: dt.datetime, dry_run: bool = False) -> int:
    """Delete for good what erasures past their undo days still hold.

    Closed accounts are deleted with them.  Returns how many were purged
    (or would be, with `dry_run`).
    """
    due = Erasure.objects.filter(undo_until__lte=now).order_by("pk")
    if dry_run:
        return due.count()
    purged = 0
    for erasure_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            erasure = Erasure.objects.select_for_update().filter(pk=erasure_id).first()
            if erasure is None:
                continue
            discussion_erasure.purge_account(held=erasure.held.get("discussion", {}))
            erasure.delete()
            purged += 1
    return purged


def ip_retention_days() -> int:
    """The shortest IP retention any site sets (its default when none is saved)."""
    days = PrivacySettings.objects.values_list("ip_retention_days", flat=True)
    return min(days, default=DEFAULT_IP_RETENTION_DAYS)


def forget_old_addresses(*, now: dt.datetime, dry_run: bool = False) -> int:
    """Remove commenters' IP addresses older than the privacy setting allows.

    Returns the number of comments whose address went (or would, with
    `dry_run`).  Spent and expired links go too.
    """
    cutoff = now - dt.timedelta(days=ip_retention_days())
    if dry_run:
        return authored.count_addresses_older_than(cutoff=cutoff)
    AccessLink.objects.filter(expires_at__lte=now).delete()
    return discussion_erasure.forget_ip_addresses(before=cutoff)
