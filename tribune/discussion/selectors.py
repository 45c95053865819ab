"""Reads of threads and comments; a thread page costs a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from tribune.core import clock, generations, sites
from tribune.discussion import policies
from tribune.discussion.errors import NotFoundError
from tribune.discussion.identity import Viewer
from tribune.discussion.models import (
    Ban,
    Comment,
    DiscussionSettings,
    EmailVerification,
    SiteCommentsMode,
    Status,
    Thread,
    Vote,
)
from tribune.discussion.pages import (
    ARTICLES_GENERATION,
    THREAD_PAGE,
    discussed,
    find_discussed,
    thread_with_page,
)
from tribune.newsroom.models import DiscussedPage

# Copies of articles kept per process for posting; bumped when a page is saved,
# deleted or moved, or a thread deleted (apps.py).
KEEP_SECONDS = 3600
# The article's fields a post needs: its state, its address, its privacy.
POST_FIELDS = ("title", "url_path", "path", "depth", "live", "comments")


# Bans kept per process for the posting and voting paths; bumped by every
# change of a ban (bans.py).  Expiry is checked at use, so it needs no bump.
BANS_GENERATION = "discussion:bans:generation"


def list_active_bans() -> list[Ban]:
    """Bans not lifted and not yet expired when loaded, from this process's
    memory when it can be (no query).

    policies.ban_verdict checks expiry again at the moment of use.
    """

    def load() -> list[Ban]:
        now = clock.now()
        return list(
            Ban.objects.filter(lifted_at__isnull=True)
            .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
            .order_by()
        )

    return generations.remember(
        BANS_GENERATION, "discussion:bans:active", load, KEEP_SECONDS
    )


def list_bans(*, lifted: bool) -> QuerySet[Ban]:
    """Bans for moderators, newest first: current ones, or lifted and expired."""
    now = clock.now()
    current = Q(lifted_at__isnull=True) & (
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )
    bans = Ban.objects.exclude(current) if lifted else Ban.objects.filter(current)
    return bans.select_related("user", "created_by").order_by("-created_at", "-id")


def get_settings(site: Site | None) -> DiscussionSettings:
    """The discussion settings of a site (the default site when None)."""
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return DiscussionSettings(moderation="publish")
    return DiscussionSettings.for_site(site)


def get_settings_for_request(request: HttpRequest) -> DiscussionSettings:
    """The discussion settings of the site serving the request (cached on it).

    A host no site answers (and no default site) gets the defaults, so the
    pages that do not belong to an article (sign-up, the API) still answer.
    """
    try:
        return DiscussionSettings.for_request(request)
    except DiscussionSettings.DoesNotExist:
        return get_settings(None)


def thread_for_post(page_id: int) -> Thread | None:
    """The thread of a live article, with the article's POST_FIELDS on `thread.page`.

    From this process's memory when it can be (no query); the copy's
    `comment_count` may be behind. None when the article is not live or has no
    thread yet.
    """

    def load() -> Thread | None:
        return thread_with_page(page_id, POST_FIELDS)

    return generations.remember(
        ARTICLES_GENERATION, f"discussion:post:{page_id}", load, KEEP_SECONDS
    )


def get_public_article(page_id: int, *, fields: Sequence[str] = ()) -> DiscussedPage:
    """The report or plain page readers may see: live and outside every private
    section.

    Raises NotFoundError otherwise.  `fields` limits the columns loaded (a post
    needs POST_FIELDS; the body loads on use).
    """
    return _public(find_discussed(page_id, fields))


def is_public(article: Page) -> bool:
    """Whether readers may see the page: live and outside every private section."""
    return bool(article.live) and not sites.is_private(article)


def _public(article: DiscussedPage | None) -> DiscussedPage:
    if article is None or not is_public(article):
        raise NotFoundError(_("There is no such report."))
    return article


def get_public_thread(page_id: int) -> Thread | None:
    """thread_for_post's thread when its article is public (NotFoundError when
    not), or None when the article has no thread yet."""
    thread = thread_for_post(page_id)
    if thread is not None:
        _public(thread.page)
    return thread


def forget_articles(sender: Any = None, **kwargs: Any) -> None:
    """Retire every process's copies of articles (a page or thread changed)."""
    generations.bump(ARTICLES_GENERATION)


def get_state(article: Page, rules: DiscussionSettings) -> SiteCommentsMode:
    """Whether the page's comments are open, closed or hidden."""
    return policies.thread_state(discussed(article).comments, rules.comments)


def has_stake(viewer: Viewer, page_ids: list[int]) -> bool:
    """Whether a guest wrote or voted anything in the threads of these articles."""
    wrote = Comment.objects.filter(
        thread__page_id__in=page_ids, guest_token=viewer.guest_token
    )
    voted = Vote.objects.filter(voter=viewer.key, comment__thread__page_id__in=page_ids)
    return wrote.exists() or voted.exists()


def is_trusted_guest(*, guest_token: str, email: str) -> bool:
    """Whether a guest proved they may skip the first-comment hold.

    Proof is the browser itself (its guest token wrote an approved comment) or
    a verified address (this browser asked for the link mailed to `email`, and
    it was opened).  An address typed into the form counts for nothing alone.
    """
    if not guest_token:
        return False
    wrote = Comment.objects.filter(guest_token=guest_token, status=Status.APPROVED)
    verified = EmailVerification.objects.filter(
        guest_token=guest_token, email=email, verified_at__isnull=False
    )
    return wrote.exists() or (bool(email) and verified.exists())


def guest_has_verified_email(*, guest_token: str) -> bool:
    """Whether this browser opened a verification link for any address."""
    return bool(guest_token) and (
        EmailVerification.objects.filter(
            guest_token=guest_token, verified_at__isnull=False
        ).exists()
    )


def visible_to(viewer: Viewer) -> Q:
    """Comments a reader sees: approved, and their own awaiting moderation."""
    visible = Q(status=Status.APPROVED)
    if viewer.user_id is not None:
        visible |= Q(status=Status.PENDING, author_id=viewer.user_id)
    elif viewer.guest_token:
        visible |= Q(status=Status.PENDING, guest_token=viewer.guest_token)
    return visible


def access_comment(
    *, comment_id: int, viewer: Viewer, rules: DiscussionSettings
) -> Comment:
    """The comment with its thread and article, if policies.can_view_comment lets
    the reader see it; otherwise NotFoundError, the same answer as for an id
    that does not exist (ids are sequential, so any other answer would tell
    readers what the moderation queue holds).
    """
    comment = get_comment(comment_id)
    if comment is None:
        raise NotFoundError()
    article = discussed(comment.thread.page)
    if not policies.can_view_comment(
        viewer=viewer,
        comment=comment,
        state=get_state(article, rules),
        page_public=article.live and not sites.is_private(article),
    ):
        raise NotFoundError()
    return comment


def get_comment(comment_id: int) -> Comment | None:
    """A comment with its thread and article, or None."""
    return (
        Comment.objects.select_related("thread", *THREAD_PAGE)
        .filter(pk=comment_id)
        .first()
    )


def count_comments(page_ids: Iterable[int]) -> dict[int, int]:
    """Visible comment counts of many articles in one query (0 for no thread)."""
    ids = list(page_ids)
    found = dict(
        Thread.objects.filter(page_id__in=ids).values_list("page_id", "comment_count")
    )
    return {pk: found.get(pk, 0) for pk in ids}


def list_moderation_queue(
    *,
    status: str,
    thread_id: int | None = None,
    email: str | None = None,
    by_spam_score: bool = False,
) -> QuerySet[Comment]:
    """Comments in one status for moderators, with their article: newest first,
    or highest spam score first (unscored last)."""
    comments = Comment.objects.filter(status=status).select_related(
        "thread__page", "author"
    )
    if thread_id is not None:
        comments = comments.filter(thread_id=thread_id)
    if email:
        comments = comments.filter(author_email__iexact=email)
    if by_spam_score:
        return comments.order_by(
            F("spam_score").desc(nulls_last=True), "-created_at", "-id"
        )
    return comments.order_by("-created_at", "-id")


def count_by_status() -> dict[str, int]:
    """How many comments each status holds, in one query."""
    return dict(
        Comment.objects.values_list("status").annotate(n=Count("id")).order_by()
    )


def list_author_history(comment: Comment, *, limit: int) -> list[Comment]:
    """Other comments by the same author (account or email), newest first."""
    same = Q(author_email__iexact=comment.author_email) if comment.author_email else Q()
    if comment.author_id is not None:
        same |= Q(author_id=comment.author_id)
    if not same:
        return []
    return list(
        Comment.objects.filter(same)
        .exclude(pk=comment.pk)
        .select_related("thread__page")
        .order_by("-created_at")[:limit]
    )


@dataclass(frozen=True)
class ReportRow:
    """A reader report as moderators see it: who, from where, and whether it counted."""

    created_at: Any
    reason: str
    reporter: str
    is_account: bool
    network: str
    counted: bool


def list_reports(comment: Comment, *, limit: int = 50) -> list[ReportRow]:
    """The comment's reports, newest first, with each reporting account's email.

    Guests are shown by the start of their cookie token (enough to spot one
    browser reporting many comments).  Two queries.
    """
    reports = list(comment.reports.order_by("-created_at")[:limit])
    user_ids = [int(r.reporter[2:]) for r in reports if r.reporter.startswith("u:")]
    emails = dict(
        get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "email")
    )
    rows = []
    for report in reports:
        kind, _sep, ident = report.reporter.partition(":")
        is_account = kind == "u"
        label = (
            str(emails.get(int(ident), report.reporter)) if is_account else ident[:8]
        )
        rows.append(
            ReportRow(
                created_at=report.created_at,
                reason=report.reason,
                reporter=label,
                is_account=is_account,
                network=report.network,
                counted=report.counted,
            )
        )
    return rows
