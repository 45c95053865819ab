"""Writes of the newsletter: sign-up, confirmation, unsubscribe, and the sends
editors and the clock start (a report, a correction, the digests)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from taggit.models import Tag

from tribune.core import clock
from tribune.mailing import services as mailing
from tribune.mailing.addresses import normalize_address
from tribune.newsletter import conf, matching, notifications, selectors, tokens
from tribune.newsletter.models import Dispatch, Frequency, Subscriber
from tribune.newsroom.models import ArticlePage, SeriesPage

logger = logging.getLogger(__name__)


class NewsletterError(ValueError):
    """A request the newsletter cannot carry out as asked; `message` is for readers."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _address(email: str) -> str:
    address = normalize_address(email)
    try:
        validate_email(address)
    except ValidationError:
        raise NewsletterError("Enter a valid email address.") from None
    return address


def request_signup(
    *,
    email: str,
    everything: bool,
    series_ids: Sequence[int] = (),
    topic_ids: Sequence[int] = (),
    frequency: str = Frequency.EACH,
) -> bool:
    """Mail a confirmation link that carries the sign-up's choices.

    Nothing is stored but mailing's rate guard: at most one confirmation per
    address per NEWSLETTER_CONFIRM_INTERVAL. Returns whether a mail was queued;
    callers answer the same either way (no enumeration). Sends on commit.
    """
    if frequency not in Frequency.values:
        raise NewsletterError("Choose how often.")
    if not everything and not series_ids and not topic_ids:
        raise NewsletterError("Choose at least one series or topic, or everything.")
    choices = tokens.Choices(
        email=_address(email),
        everything=everything,
        series_ids=tuple(sorted(set(series_ids))) if not everything else (),
        topic_ids=tuple(sorted(set(topic_ids))) if not everything else (),
        frequency=frequency,
    )
    return notifications.send_confirmation(choices=choices)


@transaction.atomic
def subscribe(
    *,
    email: str,
    everything: bool = True,
    series_ids: Sequence[int] = (),
    topic_ids: Sequence[int] = (),
    frequency: str = Frequency.EACH,
    confirmed_at: dt.datetime | None = None,
) -> Subscriber:
    """Record a confirmed subscriber, or replace an existing one's choices.

    Called when a confirmation link is used, and by the demo and imports
    (already confirmed: no mail). Unknown series and topics are dropped; a
    choice left with none of them becomes "everything". A new subscriber is
    confirmed at `confirmed_at` (default now; undoing an erasure gives the
    first date); an existing one keeps its date.
    """
    if frequency not in Frequency.values:
        raise NewsletterError("Choose how often.")
    series = list(SeriesPage.objects.filter(pk__in=list(series_ids)))
    topics = list(Tag.objects.filter(pk__in=list(topic_ids)))
    everything = everything or not (series or topics)
    defaults: dict[str, Any] = {"everything": everything, "frequency": frequency}
    subscriber, _ = Subscriber.objects.update_or_create(
        email=_address(email),
        defaults=defaults,
        create_defaults={**defaults, "confirmed_at": confirmed_at or clock.now()},
    )
    subscriber.series.set([] if everything else series)
    subscriber.topics.set([] if everything else topics)
    return subscriber


@transaction.atomic
def change_choices(
    *,
    email: str,
    everything: bool,
    series_ids: Sequence[int] = (),
    topic_ids: Sequence[int] = (),
    frequency: str = Frequency.EACH,
) -> Subscriber | None:
    """Change what a confirmed subscriber follows and how often (Your page).

    Only an existing subscriber changes (its confirmation date stays); returns
    None for an address that is not subscribed. Unknown series and topics are
    dropped as in `subscribe`.
    """
    address = normalize_address(email)
    if not Subscriber.objects.select_for_update().filter(email=address).exists():
        return None
    return subscribe(
        email=address,
        everything=everything,
        series_ids=series_ids,
        topic_ids=topic_ids,
        frequency=frequency,
    )


def import_subscribers(
    *, emails: Sequence[str], frequency: str = Frequency.EACH, batch: int = 2000
) -> int:
    """Add already-confirmed subscribers of everything in bulk (imports, the
    demo, the benchmark); addresses already subscribed are left as they are.
    Sends no mail. Returns how many were added."""
    if frequency not in Frequency.values:
        raise NewsletterError("Choose how often.")
    now = clock.now()
    added = 0
    for start in range(0, len(emails), batch):
        chunk = {_address(e) for e in emails[start : start + batch]}
        with transaction.atomic():
            known = set(
                Subscriber.objects.filter(email__in=chunk).values_list(
                    "email", flat=True
                )
            )
            made = Subscriber.objects.bulk_create(
                Subscriber(email=e, frequency=frequency, confirmed_at=now)
                for e in sorted(chunk - known)
            )
        added += len(made)
    return added


def confirm_signup(*, choices: tokens.Choices) -> Subscriber:
    """Use a confirmation link: the address subscribes with the choices in it."""
    return subscribe(
        email=choices.email,
        everything=choices.everything,
        series_ids=choices.series_ids,
        topic_ids=choices.topic_ids,
        frequency=choices.frequency,
    )


@transaction.atomic
def unsubscribe(*, email: str) -> bool:
    """Forget a subscriber at once, including mail of a send still running.

    Its pending deliveries go with it, and its newsletter messages still
    waiting in the outbox are withdrawn; a message a worker is handing to the
    server at this instant may still arrive. Returns whether it was subscribed.
    """
    address = normalize_address(email)
    deleted, _ = Subscriber.objects.filter(email=address).delete()
    mailing.withdraw_queued(email=address, dedupe_prefix=selectors.DEDUPE_PREFIX)
    return bool(deleted)


def is_first_publication(article: ArticlePage) -> bool:
    """Whether this publish made the report live for the first time.

    Wagtail sets `first_published_at` and `last_published_at` to the same
    instant then; republishing and later edits change only the latter.
    """
    return bool(
        article.live
        and article.first_published_at is not None
        and article.first_published_at == article.last_published_at
    )


def announce_report(*, article: ArticlePage) -> Dispatch | None:
    """Start the send of a report that was just published for the first time.

    Once per report, whoever publishes it (an editor, the scheduler, a
    command); nothing for a report whose "send to newsletter" is off, or on
    later edits. The worker's `newsletter_send` does the sending.
    """
    if not article.newsletter or not is_first_publication(article):
        return None
    if not ArticlePage.objects.public().filter(pk=article.pk).exists():
        return None  # a report behind a password or login is not mailed
    try:
        with transaction.atomic():
            dispatch, _ = Dispatch.objects.get_or_create(
                kind=Dispatch.Kind.REPORT, article=article
            )
    except IntegrityError:
        return Dispatch.objects.filter(
            kind=Dispatch.Kind.REPORT, article=article
        ).first()
    return dispatch


@transaction.atomic
def send_correction(*, article: ArticlePage, note: str, user: Any = None) -> Dispatch:
    """Send a correction of a report, marked as such, to those who got the report."""
    if not article.live:
        raise NewsletterError("Only a published report can be corrected by mail.")
    if not note.strip():
        raise NewsletterError("Say what the correction corrects.")
    return Dispatch.objects.create(
        kind=Dispatch.Kind.CORRECTION,
        article=article,
        note=note.strip(),
        created_by=user if getattr(user, "pk", None) else None,
    )


def send_test(*, article: ArticlePage, email: str) -> None:
    """Mail an editor the report as subscribers will get it, marked as a test."""
    notifications.send_test(article=article, email=_address(email))


def open_digests(*, now: dt.datetime | None = None) -> list[Dispatch]:
    """Start the daily and weekly digests whose period has closed, once each.

    A unique constraint per kind and period is the guard, so repeated runs and
    several workers start one. A period with no subscribers of that kind is
    skipped. Returns the sends it started.
    """
    now = now or clock.now()
    tz = ZoneInfo(settings.TIME_ZONE)
    started = []
    for kind, frequency, days, weekday in (
        (Dispatch.Kind.DAILY, Frequency.DAILY, 1, None),
        (Dispatch.Kind.WEEKLY, Frequency.WEEKLY, 7, conf.weekly_digest_weekday()),
    ):
        if not Subscriber.objects.filter(frequency=frequency).exists():
            continue
        start, end = matching.digest_period(
            now=now, tz=tz, hour=conf.digest_hour(), days=days, weekday=weekday
        )
        if Dispatch.objects.filter(kind=kind, period_start=start).exists():
            continue
        ids = selectors.list_digest_report_ids(start=start, end=end)
        try:
            with transaction.atomic():
                started.append(
                    Dispatch.objects.create(
                        kind=kind,
                        period_start=start,
                        period_end=end,
                        article_ids=ids,
                    )
                )
        except IntegrityError:
            continue
    return started


@transaction.atomic
def erase_subscriber(*, email: str) -> int:
    """mailing.erase_address forgets an address: forget the subscriber too."""
    deleted, _ = Subscriber.objects.filter(email=normalize_address(email)).delete()
    return deleted


def restore_subscriber(*, email: str, held: dict[str, Any] | None) -> Subscriber | None:
    """Subscribe again with what `selectors.held_choices` kept (an erasure
    undone); None when nothing was kept."""
    if not held:
        return None
    return subscribe(
        email=email,
        everything=bool(held.get("everything", True)),
        series_ids=held.get("series_ids", []),
        topic_ids=held.get("topic_ids", []),
        frequency=str(held.get("frequency", Frequency.EACH)),
        confirmed_at=dt.datetime.fromisoformat(held["confirmed_at"])
        if held.get("confirmed_at")
        else None,
    )
